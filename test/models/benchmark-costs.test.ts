import { describe, expect, it } from "vitest";
import { findTable, readBenchmarks, type BenchTable } from "../../src/benchmarks/tables.js";
import { benchmarkCosts, RFC_BENCHMARK_SETUP } from "../../src/models/benchmark-costs.js";
import { DEFAULT_COSTS } from "../../src/models/swapoff-costs.js";

const table = findTable(readBenchmarks(), "vswap-rfc");
const published = (series: string, metric: string) => table.rows.find((r) => r.test === "swapoff" && r.series === series && r.metric === metric)!.value;

describe("rfc-benchmark cost set: fitted from data/benchmarks/vswap-rfc by explainSwapoffPair", () => {
  const b = benchmarkCosts(table);
  it("the model with the set reproduces both published (real, sys) points of the table", () => {
    expect(b.baseline.estimate.realNs / 1e9).toBeCloseTo(published(RFC_BENCHMARK_SETUP.baselineSeries, "real"), 6);
    expect(b.baseline.estimate.sysNs / 1e9).toBeCloseTo(published(RFC_BENCHMARK_SETUP.baselineSeries, "sys"), 6);
    expect(b.candidate.estimate.realNs / 1e9).toBeCloseTo(published(RFC_BENCHMARK_SETUP.candidateSeries, "real"), 6);
    expect(b.candidate.estimate.sysNs / 1e9).toBeCloseTo(published(RFC_BENCHMARK_SETUP.candidateSeries, "sys"), 6);
  });
  it("the implied parameters are marked calibrated, cite the letter and give their derivation; the rest keep their defaults", () => {
    for (const i of b.implied) {
      const p = b.costs.params[i.name];
      expect(p.basis).toBe("calibrated");
      expect(p.sources[0]).toMatchObject({ kind: "mail", url: table.meta.url });
      expect(p.sources.map((s) => ("note" in s ? s.note : "")).join(" ")).toContain(i.derivation);
    }
    expect(b.implied.map((i) => i.name).sort()).toEqual(["pteVisitNs", "ssdReadBandwidth", "ssdReadLatencyNs", "swapInCpuNs", "unusePteNs"]);
    expect(b.costs.params.slotScanNs).toEqual(DEFAULT_COSTS.params.slotScanNs);
    expect(b.costs.label).toMatch(/^rfc-benchmark: implied by data\/benchmarks\/vswap-rfc/);
  });
  it("is computed from the table, not stored: other published numbers give other costs", () => {
    const scaled: BenchTable = { ...table, rows: table.rows.map((r) => (r.test === "swapoff" && r.metric === "sys" ? { ...r, value: r.value * 1.1 } : r)) };
    const c = benchmarkCosts(scaled);
    expect(c.costs.params.swapInCpuNs.value).toBeGreaterThan(b.costs.params.swapInCpuNs.value * 1.05);
    expect(c.baseline.estimate.sysNs / 1e9).toBeCloseTo(published(RFC_BENCHMARK_SETUP.baselineSeries, "sys") * 1.1, 6);
  });
  it("a table without the swapoff pair is rejected naming the field", () => {
    expect(() => benchmarkCosts({ ...table, rows: table.rows.filter((r) => r.test !== "swapoff") })).toThrow(/benchmark vswap-rfc: .*swapoff \/ real/);
    expect(() => benchmarkCosts(findTable(readBenchmarks(), "vswap-v6"))).toThrow(/benchmark table/);
  });
});

describe("provenance of the timing defaults", () => {
  const notes = (name: keyof typeof DEFAULT_COSTS.params) => DEFAULT_COSTS.params[name].sources.map((s) => ("note" in s && s.note ? s.note : "")).join(" | ");
  it("every assumption says what it rests on in a phrase", () => {
    for (const [name, p] of Object.entries(DEFAULT_COSTS.params)) {
      if (p.basis !== "assumption") continue;
      expect(notes(name as keyof typeof DEFAULT_COSTS.params), name).toMatch(/assumption: [^;]{8,}/);
    }
  });
  it("a default that points at --costs rfc-benchmark is one that cost set really fits, and every fitted one points there", () => {
    const fitted = new Set(benchmarkCosts(table).implied.map((i) => i.name));
    const pointing = Object.keys(DEFAULT_COSTS.params).filter((n) => /--costs rfc-benchmark/.test(notes(n as keyof typeof DEFAULT_COSTS.params)));
    expect(new Set(pointing)).toEqual(fitted);
  });
  it("a default that points at a kernel-lab file names one the lab has", async () => {
    const { readdirSync } = await import("node:fs");
    const kernels = readdirSync("data/lab", { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const files = new Set(kernels.flatMap((k) => readdirSync(`data/lab/${k}`)));
    for (const n of Object.keys(DEFAULT_COSTS.params)) {
      for (const m of notes(n as keyof typeof DEFAULT_COSTS.params).matchAll(/data\/lab\/<kernel>\/([\w.]+)/g)) expect(files.has(m[1]), `${n}: ${m[1]}`).toBe(true);
    }
  });
});

describe("the CLI's rfc-benchmark setup is notebook 04's (one fit, not two that drift)", () => {
  it("table, series, designs, size, share and walked span match the notebook's params cell", async () => {
    const { readFileSync } = await import("node:fs");
    const { cellSource, findParamsCell, readParamsCell } = await import("../../src/notebook/params.js");
    const nb = JSON.parse(readFileSync("notebooks/04-swapoff.ipynb", "utf8"));
    const p = readParamsCell(cellSource(nb.cells[findParamsCell(nb.cells)]), "04") as Record<string, unknown>;
    const s = RFC_BENCHMARK_SETUP;
    expect({ t: p.benchmarkTable, b: p.benchmarkBaselineSeries, c: p.benchmarkCandidateSeries, bd: p.benchmarkBaselineDesign, cd: p.benchmarkCandidateDesign, used: p.benchmarkUsedPercent, mapped: p.benchmarkMappedGiB, size: p.benchmarkSwapSizeBytes })
      .toEqual({ t: s.table, b: s.baselineSeries, c: s.candidateSeries, bd: s.baselineDesign, cd: s.candidateDesign, used: s.usedShare * 100, mapped: s.mappedBytes / 2 ** 30, size: `${s.swapSizeBytes / 2 ** 30}G` });
  });
});
