/**
 * Named cost sets fitted to a published measurement. `rfc-benchmark`: the per-item costs that make
 * the swapoff model reproduce the virtual swap RFC's swapoff benchmark (data/benchmarks/vswap-rfc:
 * "swapoff of a 32 GB swapfile 50% full, with a process holding a 128 GB mmap'd file", base 6.14 vs
 * the RFC), solved by explainSwapoffPair, the same fit notebook 04 §3 uses, from the numbers of the
 * benchmark table (never stored here). The setup below says how the benchmark is read into model
 * inputs; the walked span is an assumption and is named as one. Pure: the caller reads the table.
 */
import { SwapcostInputError } from "../errors.js";
import { findMeasure } from "../benchmarks/delta.js";
import type { BenchTable } from "../benchmarks/tables.js";
import { resolveDesign } from "../designs/registry.js";
import { derived, mail } from "../kernel/sources.js";
import { usageOf } from "./scenario.js";
import { DEFAULT_COSTS, type CostName, type CostParam, type SwapoffCosts } from "./swapoff-costs.js";
import { explainSwapoffPair, type PublishedSwapoffPair, type SwapoffExplanation } from "./swapoff-explain.js";
import { swapoff, type SwapoffResult } from "./swapoff.js";

const GiB = 2 ** 30;

/** How a published before/after swapoff measurement is read into model inputs. */
export interface BenchmarkCostSetup {
  /** data/benchmarks/<table>.json id. */
  readonly table: string;
  readonly baselineSeries: string;
  readonly candidateSeries: string;
  readonly baselineDesign: string;
  readonly candidateDesign: string;
  readonly swapSizeBytes: number;
  readonly usedShare: number;
  /** Page-table span walked by the baseline (an assumption: the letter gives the mapped file, not the walked VMAs). */
  readonly mappedBytes: number;
  readonly device: "ssd" | "hdd";
  /** How each choice was made, printed with the cost set. */
  readonly basis: readonly string[];
}

/** The RFC benchmark as notebook 04 reads it (its params cell holds the same choices). */
export const RFC_BENCHMARK_SETUP: BenchmarkCostSetup = {
  table: "vswap-rfc",
  baselineSeries: "base-6.14",
  candidateSeries: "vss-rfc",
  baselineDesign: "linux-6.12",
  candidateDesign: "vswap-rfc-v1",
  swapSizeBytes: 32 * GiB,
  usedShare: 0.5,
  mappedBytes: 144 * GiB,
  device: "ssd",
  basis: [
    "baseline linux-6.12: the RFC is based on 6.14, whose try_to_unuse has 6.12's shape",
    "\"a 32 GB swapfile that is 50% full\" read as 32 GiB = 8,388,608 slots, half of them used, all on disk",
    "walked span 144 GiB (assumption): the 128 GB mmap'd file plus the 16 GiB that was swapped; the letter does not say which VMAs carry an anon_vma",
    "device: SSD (the letter does not name it)",
  ],
};

/** Cost sets selectable by name (`--costs`). */
export const COST_SETS = ["defaults", "rfc-benchmark"] as const;
export type CostSetName = (typeof COST_SETS)[number];

export interface BenchmarkCosts extends SwapoffExplanation {
  readonly setup: BenchmarkCostSetup;
  readonly baseline: SwapoffResult;
  readonly candidate: SwapoffResult;
  readonly published: PublishedSwapoffPair;
}

function seconds(table: BenchTable, metric: "real" | "sys", series: string): number {
  const row = table.rows.find((r) => r.test === "swapoff" && r.metric === metric && r.series === series);
  const m = findMeasure(table, "swapoff", metric, series);
  if (!row || !m) throw new SwapcostInputError(`benchmark ${table.meta.id}`, `swapoff / ${metric} / ${series}`, "a swapoff real and sys time for the baseline and candidate series");
  if (row.unit !== "s") throw new SwapcostInputError(`benchmark ${table.meta.id} swapoff ${metric} unit`, row.unit, "s");
  return m.value;
}

/**
 * Fit the per-item costs to a published swapoff pair: run the model on the benchmark's work with
 * `base`, then solve for the costs that reproduce both measured (real, sys) points. The implied
 * parameters get basis `calibrated`, the measurement as source and their derivation.
 */
export function benchmarkCosts(table: BenchTable, setup: BenchmarkCostSetup = RFC_BENCHMARK_SETUP, base: SwapoffCosts = DEFAULT_COSTS): BenchmarkCosts {
  if (table.meta.id !== setup.table) throw new SwapcostInputError("benchmark table", table.meta.id, setup.table);
  const published: PublishedSwapoffPair = {
    baseline: { realNs: seconds(table, "real", setup.baselineSeries) * 1e9, sysNs: seconds(table, "sys", setup.baselineSeries) * 1e9 },
    candidate: { realNs: seconds(table, "real", setup.candidateSeries) * 1e9, sysNs: seconds(table, "sys", setup.candidateSeries) * 1e9 },
    source: mail(table.meta.url, table.meta.speaker, table.meta.date, table.meta.tests.swapoff?.setup ?? "swapoff"),
    label: `data/benchmarks/${table.meta.id} swapoff (published measurement, ${table.meta.speaker}, ${table.meta.date})`,
  };
  const run = (design: string, costs: SwapoffCosts) =>
    swapoff({
      design: resolveDesign(design),
      swapSizeBytes: setup.swapSizeBytes,
      device: setup.device,
      usage: usageOf(setup.swapSizeBytes, setup.usedShare, { disk: 1 }),
      occupancy: { kind: "packed" },
      memcg: true,
      cpus: 8,
      workload: { processes: 1, mappedBytes: setup.mappedBytes },
      costs,
    });
  const e = explainSwapoffPair(run(setup.baselineDesign, base), run(setup.candidateDesign, base), published, base);
  const params: Record<CostName, CostParam> = { ...e.costs.params };
  const fromBench = `${setup.baselineSeries} as ${setup.baselineDesign}, ${setup.candidateSeries} as ${setup.candidateDesign}; setup in src/models/benchmark-costs.ts, walked span ${setup.mappedBytes / GiB} GiB assumed`;
  for (const i of e.implied) {
    params[i.name] = { ...params[i.name], basis: "calibrated", sources: [published.source, derived(`implied by ${published.label} (${fromBench}): ${i.derivation}`)] };
  }
  const costs: SwapoffCosts = { params, ioModel: base.ioModel, label: `rfc-benchmark: implied by ${published.label}` };
  return { ...e, costs, setup, published, baseline: run(setup.baselineDesign, costs), candidate: run(setup.candidateDesign, costs) };
}
