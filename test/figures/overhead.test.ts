import { describe, expect, it } from "vitest";
import { GiB, mixOfBackend, resolveDesign, sweepOverhead, sweepStructures, type OverheadSweepRow, type StructureSweepRow } from "../../src/index.js";
import {
  accountingFigure, accountingRows, breakdownFigure, breakEvenFigure, bytesPerEntryFigure, designStyles, grossNetFigure,
  grossNetRows, netRows, netVsUsedFigure, structureColor, totalVsUsedFigure,
} from "../../src/figures/overhead.js";

const designs = ["linux-6.19", "swap-table-p4", "vswap-v6"].map((id) => resolveDesign(id));
const grid = {
  designs, swapSizesBytes: [32 * GiB], usedShares: [0, 0.5, 1], mixes: [mixOfBackend("zswap")],
  device: "auto" as const, occupancy: { kind: "packed" as const }, memcg: true, cpus: 8,
};
const rows = sweepOverhead({ ...grid, accountings: ["kernel"] });
const both = sweepOverhead({ ...grid, accountings: ["kernel", "letter"] });
const structures = sweepStructures({ ...grid, accountings: ["kernel"] });

/** Fixed rows for the golden files, so a change in the model does not change the figure goldens. */
const fixedRows: OverheadSweepRow[] = [0, 50, 100].flatMap((u) => [
  { design: "linux-6.19", family: "mainline", staticBytes: 26_800_000, dyn: 6_800_000 },
  { design: "vswap-v6", family: "vswap", staticBytes: 0, dyn: 7_400_000 },
].map((d) => ({
  design: d.design, family: d.family, swapSizeBytes: 32 * GiB, device: "ssd", backend: "zswap", accounting: "kernel" as const,
  occupancy: "packed", usedShare: u / 100, usedPct: u, usedEntries: u * 83886, staticBytes: d.staticBytes, dynamicBytes: d.dyn * u,
  totalBytes: d.staticBytes + d.dyn * u, totalMiB: (d.staticBytes + d.dyn * u) / 1048576, bytesPerSlot: (d.staticBytes + d.dyn * u) / 8388608,
  bytesPerUsedEntry: u === 0 ? null : (d.staticBytes + d.dyn * u) / (u * 83886),
})));
const fixedStructures: StructureSweepRow[] = [
  ["linux-6.19", "swap_map", "static", 8388608], ["linux-6.19", "swap table", "dynamic", 33554432], ["vswap-v6", "swp_desc", "dynamic", 100663296],
].map(([design, name, cls, bytes]) => ({
  design: design as string, swapSizeBytes: 32 * GiB, backend: "zswap", accounting: "kernel" as const, usedShare: 0.5, usedPct: 50,
  structure: name as string, name: name as string, class: cls as string, layer: "physical", bytes: bytes as number, MiB: (bytes as number) / 1048576,
  bytesPerSlot: (bytes as number) / 8388608,
}));

function golden(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(6)) : x), 2) + "\n";
}
const names = (fig: { data: unknown[] }) => fig.data.map((d) => (d as { name: string }).name);

describe("figures of the overhead model (from the core's sweeps)", () => {
  it("totalVsUsedFigure: one line per design, y = totalMiB of each row, family colours", async () => {
    const fig = totalVsUsedFigure(rows, { sizeLabel: "32 GiB" });
    expect(names(fig)).toEqual(["linux-6.19", "swap-table-p4", "vswap-v6"]);
    expect((fig.data[0] as { y: number[] }).y).toEqual(rows.filter((r) => r.design === "linux-6.19").map((r) => r.totalMiB));
    await expect(golden(totalVsUsedFigure(fixedRows, { sizeLabel: "32 GiB" }))).toMatchFileSnapshot("__snapshots__/total-vs-used.json");
  });

  it("bytesPerEntryFigure leaves out 0% used (no entries) and uses a log axis", () => {
    const fig = bytesPerEntryFigure(rows, { sizeLabel: "32 GiB" });
    expect((fig.data[0] as { x: number[] }).x).toEqual([50, 100]);
    expect(fig.layout.yaxis?.type).toBe("log");
  });

  it("netVsUsedFigure is zero for the baseline and total minus baseline for the others", () => {
    const fig = netVsUsedFigure(rows, { baseline: "linux-6.19", sizeLabel: "32 GiB" });
    expect((fig.data[0] as { y: number[] }).y).toEqual([0, 0, 0]);
    const n = netRows(rows, "linux-6.19").find((r) => r.design === "vswap-v6" && r.usedPct === 100)!;
    expect(n.netBytes).toBe(n.totalBytes - n.baselineBytes);
    expect(() => netVsUsedFigure(rows, { baseline: "linux-6.1", sizeLabel: "" })).toThrow(/baseline linux-6.1 has no row/);
  });

  it("breakdownFigure stacks every non-zero structure, static before dynamic, per design", async () => {
    const fig = breakdownFigure(structures, { usedPct: 50, sizeLabel: "32 GiB" });
    const groups = fig.data.map((d) => (d as { legendgroup: string }).legendgroup);
    expect(groups.indexOf("dynamic")).toBeGreaterThan(groups.lastIndexOf("static"));
    const at = structures.filter((r) => r.usedPct === 50 && r.design === "vswap-v6");
    const total = fig.data.reduce((a, d) => a + (d as { x: number[] }).x[2], 0);
    expect(total).toBeCloseTo(at.reduce((a, r) => a + r.MiB, 0), 9);
    expect(fig.layout.barmode).toBe("stack");
    await expect(golden(breakdownFigure(fixedStructures, { usedPct: 50, sizeLabel: "32 GiB" }))).toMatchFileSnapshot("__snapshots__/breakdown.json");
  });

  it("grossNetFigure and accountingFigure: one bar pair per design", () => {
    const gn = grossNetRows(rows, "linux-6.19", 50);
    expect(gn.find((r) => r.design === "linux-6.19")?.netMiB).toBe(0);
    expect(names(grossNetFigure(gn, { baseline: "linux-6.19", usedPct: 50, sizeLabel: "32 GiB", backend: "zswap" }))).toEqual(["gross (design total)", "net (minus linux-6.19)"]);
    const acc = accountingRows(both, 50);
    expect(acc).toHaveLength(3);
    expect(acc.every((r) => r.kernelMiB > 0 && r.letterMiB > 0)).toBe(true);
    expect(accountingFigure(acc, { usedPct: 50, sizeLabel: "32 GiB", backend: "zswap" }).layout.barmode).toBe("group");
  });

  it("breakEvenFigure is a heatmap with the labels as cell text", () => {
    const fig = breakEvenFigure([{ design: "a", versus: "b", usedPct: 12.5, label: "12%" }, { design: "b", versus: "a", usedPct: null, label: "—" }], { sizeLabel: "32 GiB", backend: "disk" });
    expect((fig.data[0] as { type: string }).type).toBe("heatmap");
  });

  it("designStyles: colour by family, stable, darker first; structureColor is distinct for 40 names", () => {
    const s = designStyles([{ id: "linux-6.1", family: "mainline" }, { id: "vswap", family: "vswap" }, { id: "linux-6.6", family: "mainline" }]);
    expect(s.get("linux-6.1")).toEqual({ color: "#08306b", dash: "solid" });
    expect(s.get("linux-6.6")).toEqual({ color: "#08519c", dash: "dash" });
    expect(s.get("vswap")?.color).toBe("#67000d");
    expect(new Set(Array.from({ length: 40 }, (_, i) => structureColor(i))).size).toBe(40);
  });
});

describe("goldens", () => {
  it("netVsUsedFigure, bytesPerEntryFigure (fixed rows)", async () => {
    await expect(golden(netVsUsedFigure(fixedRows, { baseline: "linux-6.19", sizeLabel: "32 GiB" }))).toMatchFileSnapshot("__snapshots__/net-vs-used.json");
    await expect(golden(bytesPerEntryFigure(fixedRows, { sizeLabel: "32 GiB" }))).toMatchFileSnapshot("__snapshots__/bytes-per-entry.json");
  });

  it("breakEvenFigure (fixed cells, one pair that never crosses)", async () => {
    const cells = [
      { design: "linux-6.19", versus: "vswap-v6", usedPct: 37.5, label: "37.5%" }, { design: "vswap-v6", versus: "linux-6.19", usedPct: 37.5, label: "37.5%" },
      { design: "linux-6.19", versus: "swap-table-p4", usedPct: null, label: "—" }, { design: "swap-table-p4", versus: "linux-6.19", usedPct: null, label: "—" },
    ];
    await expect(golden(breakEvenFigure(cells, { sizeLabel: "32 GiB", backend: "zswap" }))).toMatchFileSnapshot("__snapshots__/break-even.json");
  });

  it("grossNetFigure (from the fixed rows at 50%) and accountingFigure (fixed rows)", async () => {
    const gn = grossNetRows(fixedRows, "linux-6.19", 50);
    await expect(golden(grossNetFigure(gn, { baseline: "linux-6.19", usedPct: 50, sizeLabel: "32 GiB", backend: "zswap" }))).toMatchFileSnapshot("__snapshots__/gross-net.json");
    const acc = [{ design: "linux-6.19", kernelMiB: 350.25, letterMiB: 288 }, { design: "vswap-v6", kernelMiB: 352.9, letterMiB: 320.125 }];
    await expect(golden(accountingFigure(acc, { usedPct: 50, sizeLabel: "32 GiB", backend: "zswap" }))).toMatchFileSnapshot("__snapshots__/accounting.json");
  });
});
