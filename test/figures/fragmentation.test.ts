import { describe, expect, it } from "vitest";
import { bytesPerLiveEntryFigure, fragmentationRatioFigure, occupancyHistogramFigure, occupancyOverTimeFigure } from "../../src/figures/fragmentation.js";
import { resolveDesign } from "../../src/designs/registry.js";
import { runSimulation } from "../../src/sim/run.js";
import { designSeriesRows, histogramRows, occupancyRows, type DesignSeriesRow, type HistogramRow, type OccupancyRow } from "../../src/sim/rows.js";
import { parseWorkloadSpec } from "../../src/sim/workloads.js";

const designs = ["linux-7.1", "vswap-v6"].map((id) => resolveDesign(id));
const run = runSimulation({
  swapSizeBytes: 64 * 2 ** 20, cpus: 4, seed: 1, workload: parseWorkloadSpec("random-churn"), usedShare: 0.5,
  mix: { zswap: 0.7, zero: 0, disk: 0.3 }, writebackRate: 0.1, events: 20_000, samples: 5, designs,
});
const families = new Map(designs.map((d) => [d.id, d.family]));
function golden(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(6)) : x), 2) + "\n";
}
const names = (fig: { data: unknown[] }) => fig.data.map((d) => (d as { name: string }).name);

describe("simulation rows", () => {
  it("one occupancy row per sample and layer, with live entries per in-use cluster", () => {
    const rows = occupancyRows(run, "w");
    expect(rows).toHaveLength(run.samples.length * run.config.layers.length);
    for (const r of rows) if (r.clustersInUse > 0) expect(r.livePerInUseCluster).toBeCloseTo(r.live / r.clustersInUse, 9);
  });

  it("one design row per sample and design, the simulated cost beside the analytic ones", () => {
    const rows = designSeriesRows(run, "w", families);
    expect(rows).toHaveLength(run.samples.length * 2);
    const last = rows.filter((r) => r.event === run.counters.events);
    expect(last.map((r) => r.design)).toEqual(["linux-7.1", "vswap-v6"]);
    for (const r of last) {
      const d = run.designs.find((x) => x.id === r.design)!.cost!;
      expect(r.simulated).toBe(d.measured.bytesPerLiveEntry);
      expect(r.packed).toBe(d.packed.bytesPerLiveEntry);
      expect(r.family).toBe(families.get(r.design));
    }
  });

  it("histogram rows cover every existing cluster of every layer", () => {
    const rows = histogramRows(run, "w");
    for (const l of run.layers) {
      const mine = rows.filter((r) => r.layer === l.id);
      expect(mine.reduce((a, r) => a + r.clusters, 0)).toBe(l.histogram.existing);
      expect(mine.map((r) => r.bucket).slice(0, 3)).toEqual(["0", "1-32", "33-64"]);
    }
  });
});

describe("fragmentation figures", () => {
  it("occupancy over time: one line per workload of the chosen layer", () => {
    const rows = [...occupancyRows(run, "a"), ...occupancyRows(run, "b")];
    const fig = occupancyOverTimeFigure(rows, { layer: "vswap", sizeLabel: "64 MiB" });
    expect(names(fig)).toEqual(["a", "b"]);
    expect((fig.layout.title as { text: string }).text).toMatch(/vswap layer, 64 MiB/);
  });

  it("histogram: bars of the chosen layer's buckets", () => {
    const fig = occupancyHistogramFigure(histogramRows(run, "a"), { layer: "direct", sizeLabel: "64 MiB" });
    expect(names(fig)).toEqual(["a"]);
    expect((fig.data[0] as { x: string[] }).x).toHaveLength(17);
  });

  it("bytes per live entry: a simulated (solid) and a packed (dotted) line per design, in the design's colour", () => {
    const fig = bytesPerLiveEntryFigure(designSeriesRows(run, "a", families), { x: "event", title: "t", xTitle: "events" });
    expect(names(fig).sort()).toEqual(["linux-7.1 packed", "linux-7.1 simulated", "vswap-v6 packed", "vswap-v6 simulated"]);
    const line = (n: string) => (fig.data.find((d) => (d as { name: string }).name === n) as { line: { color: string; dash: string } }).line;
    expect(line("vswap-v6 packed").dash).toBe("dot");
    expect(line("vswap-v6 simulated").dash).toBe("solid");
    expect(line("vswap-v6 packed").color).toBe(line("vswap-v6 simulated").color);
    expect(line("vswap-v6 simulated").color).not.toBe(line("linux-7.1 simulated").color);
  });

  it("ratio: one bar trace per scenario", () => {
    const fig = fragmentationRatioFigure([{ design: "x", scenario: "s1", ratio: 1.1 }, { design: "x", scenario: "s2", ratio: 1.2 }], { title: "t" });
    expect(names(fig)).toEqual(["s1", "s2"]);
  });
});

/** Fixed rows for the golden files, so a change in the simulator does not change the figure goldens. */
const fixedOccupancy: OccupancyRow[] = ["random-churn", "sequential"].flatMap((w, i) =>
  [0, 10_000, 20_000].flatMap((event, j) => (["direct", "vswap"] as const).map((layer) => {
    const live = 4096 + 2048 * j, inUse = 8 + 4 * j + (i ? 0 : 8 * j) + (layer === "vswap" ? 0 : 2);
    return { workload: w, event, layer, live, clustersInUse: inUse, clustersExisting: 32, livePerInUseCluster: live / inUse };
  })));
const fixedHistogram: HistogramRow[] = ["random-churn", "sequential"].flatMap((w, i) =>
  (["direct", "vswap"] as const).flatMap((layer) => ["0", "1-32", "33-64", "481-512"].map((bucket, k) => {
    const clusters = [10, 3 + i, 5 - i, 14][k];
    return { workload: w, layer, bucket, clusters, sharePct: (100 * clusters) / 32 };
  })));
const fixedSeries: DesignSeriesRow[] = [["linux-7.1", "mainline", 0], ["vswap-v6", "vswap", 1]].flatMap(([design, family, k]) =>
  [5_000, 10_000, 20_000].map((event, j) => {
    const live = 4000 * (j + 1), bytes = (k ? 0 : 65536) + live * (k ? 24 : 8) * (1 + 0.1 * j);
    return { workload: "random-churn", event, live, livePct: (100 * live) / 16384, design: design as string, family: family as string,
      dynamicBytes: bytes - (k ? 0 : 65536), bytes, simulated: bytes / live, packed: ((k ? 0 : 65536) + live * (k ? 24 : 8)) / live, random: (bytes * 1.5) / live };
  }));

describe("goldens", () => {
  it("occupancyOverTimeFigure and occupancyHistogramFigure (fixed rows)", async () => {
    await expect(golden(occupancyOverTimeFigure(fixedOccupancy, { layer: "vswap", sizeLabel: "64 MiB" }))).toMatchFileSnapshot("__snapshots__/frag-occupancy-over-time.json");
    await expect(golden(occupancyHistogramFigure(fixedHistogram, { layer: "direct", sizeLabel: "64 MiB" }))).toMatchFileSnapshot("__snapshots__/frag-occupancy-histogram.json");
  });

  it("bytesPerLiveEntryFigure (fixed rows, against events and against live %)", async () => {
    await expect(golden(bytesPerLiveEntryFigure(fixedSeries, { x: "event", title: "Bytes per live entry over the run, 64 MiB", xTitle: "events" })))
      .toMatchFileSnapshot("__snapshots__/frag-bytes-per-live-entry.json");
    await expect(golden(bytesPerLiveEntryFigure(fixedSeries, { x: "livePct", title: "Bytes per live entry vs live share, 64 MiB", xTitle: "live entries (% of usable slots, log)" })))
      .toMatchFileSnapshot("__snapshots__/frag-bytes-per-live-entry-live-pct.json");
  });

  it("fragmentationRatioFigure (fixed rows)", async () => {
    const rows = [
      { design: "linux-7.1", scenario: "random-churn", ratio: 1.125 }, { design: "vswap-v6", scenario: "random-churn", ratio: 1.4 },
      { design: "linux-7.1", scenario: "sequential", ratio: 1 }, { design: "vswap-v6", scenario: "sequential", ratio: 1.05 },
    ];
    await expect(golden(fragmentationRatioFigure(rows, { title: "Simulated over packed cost, 64 MiB" }))).toMatchFileSnapshot("__snapshots__/frag-ratio.json");
  });
});
