import { describe, expect, it } from "vitest";
import { allDesigns } from "../../src/designs/registry.js";
import { aggregateFleet, costSummary } from "../../src/fleet/aggregate.js";
import { cheapestPoints, costEcdfRows, flipRows, pairPoints, savingEcdfRows, type CheapestPoint, type EcdfRow, type FlipRow, type PairPoint } from "../../src/fleet/rows.js";
import { syntheticFleet } from "../../src/fleet/synthetic.js";
import { cheapestMapFigure, costCdfFigure, flipFigure, pairMapFigure, savingCdfFigure } from "../../src/figures/fleet.js";

function golden(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(6)) : x), 2) + "\n";
}
const names = (fig: { data: unknown[] }) => fig.data.map((d) => (d as { name: string }).name);

/** Fixed rows for the golden files, so a change in the models does not change the figure goldens. */
const ecdf: EcdfRow[] = [
  { design: "linux-6.12", mib: 6.4, share: 0.5 }, { design: "linux-6.12", mib: 8, share: 1 },
  { design: "vswap-v6", mib: 3.1, share: 0.5 }, { design: "vswap-v6", mib: 66, share: 1 },
];
const flips: FlipRow[] = [{ pair: "vswap-v6 < linux-6.1", flippedHosts: 3, comparedHosts: 4, share: 0.75 }];
const points: CheapestPoint[] = [
  { host: "a", cheapest: "swap-table-p4", usedPct: 10, zswapPct: 80 },
  { host: "b", cheapest: "linux-6.1", usedPct: 90, zswapPct: 95 },
];

describe("fleet figures", () => {
  it("costCdfFigure: one step line per design on a log x axis, design colours", async () => {
    const fig = costCdfFigure(ecdf, { fleetLabel: "test" });
    expect(names(fig)).toEqual(["linux-6.12", "vswap-v6"]);
    expect((fig.data[0] as { line: { shape: string } }).line.shape).toBe("hv");
    expect(fig.layout.xaxis?.type).toBe("log");
    await expect(golden(fig)).toMatchFileSnapshot("__snapshots__/fleet-cost-cdf.json");
  });

  it("savingCdfFigure, flipFigure and cheapestMapFigure", async () => {
    expect(savingCdfFigure(ecdf, { fleetLabel: "test", baseline: "each host's kernel" }).layout.xaxis?.type).toBeUndefined();
    const f = flipFigure(flips, { fleetLabel: "test" });
    expect((f.data[0] as { x: number[] }).x).toEqual([75]);
    await expect(golden(f)).toMatchFileSnapshot("__snapshots__/fleet-flips.json");
    const m = cheapestMapFigure(points, { fleetLabel: "test" });
    expect(names(m)).toEqual(["swap-table-p4", "linux-6.1"]);
    expect((m.data[0] as { mode: string }).mode).toBe("markers");
  });

  it("from a real aggregation: every design's CDF ends at 1 and the map has one point per host with swap", () => {
    const hosts = syntheticFleet(80, 3).map((r) => costSummary(r, { designs: allDesigns(), occupancy: { kind: "packed" }, accounting: "kernel" }));
    const res = aggregateFleet(hosts);
    const fig = costCdfFigure(costEcdfRows(res, ["linux-6.1", "swap-table-p4", "vswap-v6"]), { fleetLabel: "80 hosts" });
    for (const t of fig.data as Array<{ y: number[] }>) expect(t.y.at(-1)).toBe(1);
    expect(savingEcdfRows(res).length).toBeGreaterThan(0);
    expect(cheapestPoints(hosts)).toHaveLength(res.hostsWithSwap);
    expect(flipFigure(flipRows(res), { fleetLabel: "80 hosts" }).data.length).toBe(1);
    const pp = pairPoints(hosts, "linux-6.12", "vswap-v6");
    for (const p of pp) {
      const h = hosts.find((x) => x.host === p.host)!;
      const d = h.designs.find((x) => x.id === "linux-6.12")!.totalBytes! - h.designs.find((x) => x.id === "vswap-v6")!.totalBytes!;
      expect(p.cheaper).toBe(d < 0 ? "linux-6.12 cheaper" : d > 0 ? "vswap-v6 cheaper" : "equal");
    }
    const fig2 = pairMapFigure(pp, { a: "linux-6.12", b: "vswap-v6", fleetLabel: "80 hosts" });
    expect(fig2.data.reduce((s, t) => s + (t as { x: number[] }).x.length, 0)).toBe(pp.length);
  });
});

describe("goldens", () => {
  it("savingCdfFigure (fixed rows, savings of both signs)", async () => {
    const saving: EcdfRow[] = [
      { design: "swap-table-p4", mib: -2.5, share: 0.25 }, { design: "swap-table-p4", mib: 4, share: 1 },
      { design: "vswap-v6", mib: -60, share: 0.5 }, { design: "vswap-v6", mib: 1.5, share: 1 },
    ];
    await expect(golden(savingCdfFigure(saving, { fleetLabel: "test", baseline: "each host's kernel" }))).toMatchFileSnapshot("__snapshots__/fleet-saving-cdf.json");
  });

  it("cheapestMapFigure (fixed points)", async () => {
    await expect(golden(cheapestMapFigure(points, { fleetLabel: "test" }))).toMatchFileSnapshot("__snapshots__/fleet-cheapest-map.json");
  });

  it("pairMapFigure (fixed points, all three outcomes, given out of order)", async () => {
    const pp: PairPoint[] = [
      { host: "c", cheaper: "equal", usedPct: 0, zswapPct: 0, deltaMiB: 0 },
      { host: "b", cheaper: "vswap-v6 cheaper", usedPct: 5, zswapPct: 90, deltaMiB: 2.25 },
      { host: "a", cheaper: "linux-6.12 cheaper", usedPct: 70, zswapPct: 20.5, deltaMiB: -12.5 },
    ];
    await expect(golden(pairMapFigure(pp, { a: "linux-6.12", b: "vswap-v6", fleetLabel: "test" }))).toMatchFileSnapshot("__snapshots__/fleet-pair-map.json");
  });
});
