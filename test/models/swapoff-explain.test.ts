import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import { mail } from "../../src/kernel/sources.js";
import { usageOf } from "../../src/models/scenario.js";
import { DEFAULT_COSTS, type SwapoffCosts } from "../../src/models/swapoff-costs.js";
import { explainSwapoffPair, type PublishedSwapoffPair } from "../../src/models/swapoff-explain.js";
import { swapoff } from "../../src/models/swapoff.js";
import { GiB } from "../../src/units/bytes.js";
import { findTable, readBenchmarks } from "../../src/benchmarks/tables.js";
import { findMeasure } from "../../src/benchmarks/delta.js";

// Published measurement (an input, not an output), read from data/benchmarks/vswap-rfc: Nhat Pham,
// VSS RFC v1 (patch 13/14 "swap: simplify swapoff using virtual swap"), 2025-04-07: swapoff of a 32 GB
// swapfile 50% full, a process mapping a 128 GB file.
const TABLE = findTable(readBenchmarks(), "vswap-rfc");
const at = (series: string, metric: string) => findMeasure(TABLE, "swapoff", metric, series)!.value * 1e9;
const RFC_PAIR: PublishedSwapoffPair = {
  baseline: { realNs: at("base-6.14", "real"), sysNs: at("base-6.14", "sys") },
  candidate: { realNs: at("vss-rfc", "real"), sysNs: at("vss-rfc", "sys") },
  source: mail(TABLE.meta.url, TABLE.meta.speaker, TABLE.meta.date),
  label: "VSS RFC v1 swapoff benchmark (published)",
};

function scenario(id: string, costs: SwapoffCosts, mappedGiB = 128 + 16) {
  return swapoff({
    design: resolveDesign(id),
    swapSizeBytes: 32 * GiB,
    device: "ssd",
    usage: usageOf(32 * GiB, 0.5, { disk: 1 }),
    occupancy: { kind: "packed" },
    memcg: true,
    cpus: 8,
    workload: { processes: 1, mappedBytes: mappedGiB * GiB },
    costs,
  });
}

describe("explainSwapoffPair: the costs that reproduce a published before/after pair", () => {
  const base = scenario("linux-6.12", DEFAULT_COSTS);
  const cand = scenario("vswap-rfc-v1", DEFAULT_COSTS);
  const ex = explainSwapoffPair(base, cand, RFC_PAIR, DEFAULT_COSTS);
  const again = { base: scenario("linux-6.12", ex.costs), cand: scenario("vswap-rfc-v1", ex.costs) };
  it("with the implied costs the model lands on both measured points (by construction)", () => {
    expect(again.base.estimate.sysNs / RFC_PAIR.baseline.sysNs).toBeCloseTo(1, 9);
    expect(again.base.estimate.realNs / RFC_PAIR.baseline.realNs).toBeCloseTo(1, 9);
    expect(again.cand.estimate.sysNs / RFC_PAIR.candidate.sysNs).toBeCloseTo(1, 9);
    expect(again.cand.estimate.realNs / RFC_PAIR.candidate.realNs).toBeCloseTo(1, 9);
  });
  it("names every implied parameter with its derivation; the other end of the walk/restore line also reproduces the baseline sys", () => {
    expect(ex.implied.map((i) => i.name)).toEqual(["swapInCpuNs", "pteVisitNs", "unusePteNs", "ssdReadLatencyNs", "ssdReadBandwidth"]);
    for (const i of ex.implied) expect(i.derivation.length).toBeGreaterThan(20);
    const alt = Object.fromEntries(ex.alternative.map((a) => [a.name, a.value]));
    const altCosts = { ...ex.costs, params: { ...ex.costs.params, pteVisitNs: { ...ex.costs.params.pteVisitNs, value: alt.pteVisitNs }, unusePteNs: { ...ex.costs.params.unusePteNs, value: alt.unusePteNs } } };
    expect(scenario("linux-6.12", altCosts).estimate.sysNs / RFC_PAIR.baseline.sysNs).toBeCloseTo(1, 9);
  });
  it("the shape away from the measured point: the baseline's sys grows with the mapped span, the candidate's does not", () => {
    const b512 = scenario("linux-6.12", ex.costs, 512);
    const c512 = scenario("vswap-rfc-v1", ex.costs, 512);
    expect(b512.estimate.sysNs).toBeGreaterThan(again.base.estimate.sysNs);
    expect(c512.estimate.sysNs).toBe(again.cand.estimate.sysNs);
  });
  it("rejects a pair in the wrong order", () => {
    expect(() => explainSwapoffPair(cand, base, RFC_PAIR, DEFAULT_COSTS)).toThrow(/direct-mapped baseline/);
  });
});
