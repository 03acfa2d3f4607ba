/**
 * Figures of the slot-level simulator (notebook 02): cluster occupancy over time and its final
 * histogram, and every design's bytes per live entry under a simulated placement next to the
 * packed placement the published tables assume. Pure plotly specs over the rows of src/sim/rows.ts.
 */
import type { DesignSeriesRow, HistogramRow, OccupancyRow } from "../sim/rows.js";
import { barChart, lineChart, type Row } from "./charts.js";
import type { Figure } from "./figure.js";
import { designStyles } from "./overhead.js";

/** Live entries per in-use cluster of one layer over the run, one line per workload. */
export function occupancyOverTimeFigure(rows: readonly OccupancyRow[], o: { layer: string; sizeLabel: string }): Figure {
  const mine = rows.filter((r) => r.layer === o.layer);
  return lineChart({
    rows: mine as unknown as Row[],
    title: `Live entries per in-use cluster, ${o.layer} layer, ${o.sizeLabel}`,
    x: "event",
    y: "livePerInUseCluster",
    series: "workload",
    xAxis: { title: "events" },
    yAxis: { title: "live entries per cluster in use (512 = packed)", rangemode: "tozero" },
    hoverFormat: ",.1f",
  });
}

/** Final cluster occupancy histogram of one layer, one bar group per workload (share of existing clusters). */
export function occupancyHistogramFigure(rows: readonly HistogramRow[], o: { layer: string; sizeLabel: string }): Figure {
  const mine = rows.filter((r) => r.layer === o.layer);
  return barChart({
    rows: mine as unknown as Row[],
    title: `Clusters by live entries at the end, ${o.layer} layer, ${o.sizeLabel}`,
    x: "bucket",
    y: "sharePct",
    series: "workload",
    xAxis: { title: "live entries in the cluster" },
    yAxis: { title: "share of the layer's clusters", ticksuffix: "%" },
    hoverFormat: ",.2f",
  });
}

/**
 * Bytes per live entry against a numeric x (live %, or events), one solid line per design for the
 * simulated placement and a dashed one for packed.
 */
export function bytesPerLiveEntryFigure(rows: readonly DesignSeriesRow[], o: { x: "livePct" | "event"; title: string; xTitle: string }): Figure {
  const styles = designStyles(rows.map((r) => ({ id: r.design, family: r.family })));
  const long = rows.flatMap((r) => [
    { series: `${r.design} simulated`, design: r.design, x: r[o.x], y: r.simulated },
    { series: `${r.design} packed`, design: r.design, x: r[o.x], y: r.packed },
  ]);
  long.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.x - b.x));
  const fig = lineChart({
    rows: long,
    title: o.title,
    x: "x",
    y: "y",
    series: "series",
    xAxis: { title: o.xTitle, ...(o.x === "livePct" ? { ticksuffix: "%", type: "log" as const } : {}) },
    yAxis: { title: "bytes of swap metadata per live entry", type: "log" },
    hoverFormat: ",.2f",
  });
  for (const t of fig.data as Array<{ name: string; line: { color?: string; dash?: string }; marker?: object }>) {
    const design = t.name.replace(/ (simulated|packed)$/, "");
    const s = styles.get(design);
    t.line = { ...t.line, color: s?.color ?? t.line.color, dash: t.name.endsWith("packed") ? "dot" : "solid" };
    t.marker = { size: 3 };
  }
  fig.layout.legend = { ...fig.layout.legend, font: { size: 10 } };
  return fig;
}

/** Ratio of simulated to packed cost per design, one bar per (design, scenario). */
export function fragmentationRatioFigure(rows: readonly { design: string; scenario: string; ratio: number }[], o: { title: string }): Figure {
  return barChart({
    rows: rows as unknown as Row[],
    title: o.title,
    x: "design",
    y: "ratio",
    series: "scenario",
    xAxis: { title: "design" },
    yAxis: { title: "simulated / packed total bytes", rangemode: "tozero" },
    hoverFormat: ",.3f",
  });
}
