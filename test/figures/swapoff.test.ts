import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import { benchmarkFigure, reverseMapFigure, swapoffPhaseRows, swapoffPhasesFigure, swapoffVsMappedFigure, transferFigure } from "../../src/figures/swapoff.js";
import { reverseMapSweep } from "../../src/models/reverse-map.js";
import { usageOf } from "../../src/models/scenario.js";
import { DEFAULT_COSTS } from "../../src/models/swapoff-costs.js";
import { swapoff } from "../../src/models/swapoff.js";
import { sweepSwapoff, sweepTransfer } from "../../src/sweep/swapoff-sweep.js";
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
