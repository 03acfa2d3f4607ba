import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import { benchmarkFigure, labPteTrendFigure, reverseMapFigure, swapoffPhaseRows, swapoffPhasesFigure, swapoffVsMappedFigure, swapoffVsUsedFigure, transferFigure } from "../../src/figures/swapoff.js";
import { reverseMapSweep, type ReverseMapSweepRow } from "../../src/models/reverse-map.js";
import { usageOf } from "../../src/models/scenario.js";
import { DEFAULT_COSTS } from "../../src/models/swapoff-costs.js";
import { swapoff } from "../../src/models/swapoff.js";
import { sweepSwapoff, sweepTransfer, type SwapoffSweepRow, type TransferSweepRow } from "../../src/sweep/swapoff-sweep.js";
import type { SwapoffTrends } from "../../src/models/swapoff-calibration.js";
import { GiB } from "../../src/units/bytes.js";

const designs = ["linux-6.12", "vswap-v6"].map((id) => resolveDesign(id));

describe("swapoff figures (plotly specs from the sweeps)", () => {
  it("swapoffVsMappedFigure: one line per design, x = GiB walked, y = the chosen metric in seconds", () => {
    const rows = sweepSwapoff({ designs, swapSizesBytes: [32 * GiB], usedShares: [0.5], mappedBytes: [16 * GiB, 64 * GiB, 256 * GiB], costs: DEFAULT_COSTS });
    const fig = swapoffVsMappedFigure(rows, { metric: "sysS", sizeLabel: "32 GiB", usedPct: 50 });
    expect(fig.data.map((t) => t.name)).toEqual(["linux-6.12", "vswap-v6"]);
    const walk = fig.data[0] as { x: number[]; y: number[] };
    expect(walk.x).toEqual([16, 64, 256]);
    expect(walk.y).toEqual(rows.filter((r) => r.design === "linux-6.12").map((r) => r.sysS));
  });
  it("swapoffPhaseRows: per design, the parts add up to sys + IO wait (+ the minor faults left for later)", () => {
    const rs = designs.map((d) => swapoff({ design: d, swapSizeBytes: 32 * GiB, device: "ssd", usage: usageOf(32 * GiB, 0.5, { disk: 1 }), occupancy: { kind: "packed" }, memcg: true, cpus: 8, workload: { processes: 1, mappedBytes: 64 * GiB }, costs: DEFAULT_COSTS }));
    const rows = swapoffPhaseRows(rs);
    for (const r of rs) {
      const sum = rows.filter((x) => x.design === r.design.id).reduce((a, x) => a + x.seconds, 0);
      expect(sum).toBeCloseTo((r.estimate.sysNs + r.estimate.ioWaitNs + r.remaining.minorFaultNs) / 1e9, 9);
    }
    const fig = swapoffPhasesFigure(rs, { title: "t" });
    expect(fig.layout.barmode).toBe("stack");
  });
  it("benchmarkFigure keeps the published bars in their own black series", () => {
    const fig = benchmarkFigure([{ bar: "a real", source: "published measurement", seconds: 1 }, { bar: "a real", source: "model, default costs", seconds: 2 }], { title: "t" });
    expect((fig.data[0] as { marker: { color: string } }).marker.color).toBe("#000000");
  });
  it("transferFigure and reverseMapFigure build from their rows", () => {
    const t = sweepTransfer({ designs, from: "zswap", to: "ssd", movedBytes: [1 * GiB, 2 * GiB], swapSizeBytes: 32 * GiB, usedShare: 0.5, mix: { zswap: 0.5, disk: 0.5 }, mappedBytes: 64 * GiB, costs: DEFAULT_COSTS });
    expect(transferFigure(t, { title: "t", log: true }).layout.yaxis).toMatchObject({ type: "log" });
    const rm = reverseMapSweep({ design: resolveDesign("vswap-v6"), device: "ssd", occupancy: { kind: "packed" }, memcg: true, cpus: 8, workload: { processes: 1, mappedBytes: 0 }, costs: DEFAULT_COSTS }, { swapSizesBytes: [8 * GiB, 32 * GiB], usedShares: [0.5], diskShares: [0.5] });
    const fig = reverseMapFigure(rm, { title: "t", sizeLabel: (b) => `${b / GiB} GiB` });
    expect((fig.data[0] as { x: string[] }).x).toEqual(["8 GiB", "32 GiB"]);
  });
});

function golden(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(6)) : x), 2) + "\n";
}

/** Fixed rows for the golden files, so a change in the cost model does not change the figure goldens. */
function sweepRow(design: string, family: string, usedShare: number, mappedGiB: number, sysS: number, realS: number): SwapoffSweepRow {
  return {
    design, family, method: family === "vswap" ? "virtual" : "pte-walk", swapSizeBytes: 32 * GiB, device: "ssd", backend: "disk", usedShare,
    mappedBytes: mappedGiB * GiB, mappedGiB, processes: 1, ptesScanned: mappedGiB * 262144, slotsScanned: 8388608, virtualSlotsScanned: 0, rmapLookups: 0,
    swapIns: Math.round(usedShare * 8388608), sysNs: sysS * 1e9, ioWaitNs: (realS - sysS) * 1e9, realNs: realS * 1e9, sysS, realS, minorFaultsLater: 0,
    metadataHeldBytes: 0, costLabel: "default costs",
  };
}
const fixedByMapped = [16, 64, 256].flatMap((g) => [sweepRow("linux-6.12", "mainline", 0.5, g, 1.5 + g / 32, 9.25 + g / 32), sweepRow("vswap-v6", "vswap", 0.5, g, 1.75, 9.5)]);
const fixedByUsed = [0.1, 0.5, 0.9].flatMap((u) => [sweepRow("linux-6.12", "mainline", u, 64, 2 + 4 * u, 3 + 16 * u), sweepRow("vswap-v6", "vswap", u, 64, 0.25 + 4 * u, 1.25 + 16 * u)]);
const transferRow = (design: string, movedGiB: number, realS: number): TransferSweepRow => ({
  design, kind: "writeback", mechanism: "m", from: "zswap", to: "ssd", entries: movedGiB * 262144, movedGiB, ptesScanned: 0, ptesRewritten: 0,
  descriptorUpdates: 0, redirectUpdates: 0, rmapUpdates: 0, realNs: realS * 1e9, realS, perEntryNs: (realS * 1e9) / (movedGiB * 262144), diskHeldAfterBytes: movedGiB * GiB,
});
const fixedTransfer = [1, 2, 4].flatMap((g) => [transferRow("linux-6.12", g, 0.75 * g), transferRow("vswap-v6", g, 0.5 * g + 0.125)]);
const fixedRmap: ReverseMapSweepRow[] = [8, 32].flatMap((size) => [0.25, 0.75].map((used) => ({
  design: "vswap-v6", swapSizeBytes: size * GiB, usedShare: used, diskShare: 0.5, rmapBytes: size * used * 262144 * 8, scanWithNs: 2e6 * size * used,
  scanWithoutNs: 3.5e6 * size * used - 5e6, savedNs: 1.5e6 * size * used - 5e6, virtualSlotsInUse: size * used * 262144, virtualSlotsAtBreakEven: 1000, writebacksPerSwapoffAtBreakEven: null,
})));
function trends(scale: number): SwapoffTrends {
  const series = (name: string, slope: number) => ({
    series: name, x: name === "ptes_swapped" ? ("ptesInSwappedMm" as const) : ("ptesInOtherMm" as const), slopeNsPerItem: slope,
    points: [[1e6, 5e6 + slope * 1e6], [4e6, 5e6 + slope * 4e6], [16e6, 5e6 + slope * 16e6]] as const, medianNoiseNs: 2e5, effectNs: slope * 15e6, resolvable: true,
  });
  return { series: [series("ptes_swapped", 2.5 * scale), series("ptes_other", 0.125 * scale), { ...series("pages_disk", 9), x: "swappedPages" }], otherToSwappedPteRatio: 0.05, pteWalkResolved: true, verdicts: [] };
}

describe("goldens", () => {
  it("swapoffVsMappedFigure and swapoffVsUsedFigure (fixed rows)", async () => {
    await expect(golden(swapoffVsMappedFigure(fixedByMapped, { metric: "sysS", sizeLabel: "32 GiB", usedPct: 50 }))).toMatchFileSnapshot("__snapshots__/swapoff-vs-mapped.json");
    await expect(golden(swapoffVsUsedFigure(fixedByUsed, { metric: "realS", sizeLabel: "32 GiB", mappedLabel: "64 GiB" }))).toMatchFileSnapshot("__snapshots__/swapoff-vs-used.json");
  });

  it("swapoffPhasesFigure (from the swapoff model with default costs, fixed inputs)", async () => {
    const rs = designs.map((d) => swapoff({ design: d, swapSizeBytes: 8 * GiB, device: "ssd", usage: usageOf(8 * GiB, 0.5, { disk: 1 }), occupancy: { kind: "packed" }, memcg: true, cpus: 8, workload: { processes: 1, mappedBytes: 16 * GiB }, costs: DEFAULT_COSTS }));
    await expect(golden(swapoffPhasesFigure(rs, { title: "Where swapoff's time goes, 8 GiB, 50% swapped to SSD" }))).toMatchFileSnapshot("__snapshots__/swapoff-phases.json");
  });

  it("benchmarkFigure, transferFigure, reverseMapFigure and labPteTrendFigure (fixed rows)", async () => {
    const bars = [
      { bar: "linux-6.12 real", source: "published measurement", seconds: 12.5 }, { bar: "linux-6.12 real", source: "model, default costs", seconds: 10.25 },
      { bar: "vswap-v6 real", source: "published measurement", seconds: 3.5 }, { bar: "vswap-v6 real", source: "model, default costs", seconds: 4 },
    ];
    await expect(golden(benchmarkFigure(bars, { title: "swapoff: published vs model" }))).toMatchFileSnapshot("__snapshots__/swapoff-benchmark.json");
    await expect(golden(transferFigure(fixedTransfer, { title: "zswap to SSD writeback", log: true }))).toMatchFileSnapshot("__snapshots__/swapoff-transfer.json");
    await expect(golden(reverseMapFigure(fixedRmap, { title: "Reverse map: scan time saved", sizeLabel: (b) => `${b / GiB} GiB` }))).toMatchFileSnapshot("__snapshots__/swapoff-reverse-map.json");
    await expect(golden(labPteTrendFigure([{ kernel: "6.12", trends: trends(1) }, { kernel: "vswap-v6", trends: trends(0.1) }], { title: "swapoff time vs PTEs (lab)" })))
      .toMatchFileSnapshot("__snapshots__/swapoff-lab-pte-trend.json");
  });
});
