/**
 * Figures of the thread's published benchmarks: each candidate's change against its table's
 * baseline, with the reported spread as error bars, per table and across a series' versions.
 * mmtests' sign throughout: + = better. Published measurements, not model output.
 */
import type { BenchDelta } from "../benchmarks/delta.js";
import type { TrackRow } from "../benchmarks/tracks.js";
import { commonLayout, distinct, seriesColor } from "./charts.js";
import type { Data, Figure, Layout } from "./figure.js";

function errorBars(errs: readonly (number | null)[]): { type: "data"; array: number[]; visible: boolean; thickness: number; width: number } | undefined {
  if (errs.every((e) => e === null)) return undefined;
  return { type: "data", array: errs.map((e) => e ?? 0), visible: true, thickness: 1.5, width: 4 };
}

function zeroLine(axis: "x" | "y"): Partial<Layout>["shapes"] {
  return [
    axis === "x"
      ? { type: "line", xref: "x", yref: "paper", x0: 0, x1: 0, y0: 0, y1: 1, line: { color: "#555", width: 1 } }
      : { type: "line", xref: "paper", yref: "y", x0: 0, x1: 1, y0: 0, y1: 0, line: { color: "#555", width: 1 } },
  ];
}

/** One published table: a row per test/metric, a marker per candidate series, error bars = propagated stddev. */
export function benchTableFigure(deltas: readonly BenchDelta[], o: { title: string; seriesLabels?: Readonly<Record<string, string>> }): Figure {
  const rows = deltas.filter((d) => d.betterPct !== null);
  const cats = distinct(rows.map((d) => ({ c: `${d.test}: ${d.metric} (${d.unit})` })), "c").map(String);
  const series = distinct(rows as unknown as Array<Record<string, unknown>>, "series").map(String);
  const data: Data[] = series.map((s, i) => {
    const rs = rows.filter((d) => d.series === s);
    const err = errorBars(rs.map((d) => d.errPct));
    return {
      type: "scatter",
      mode: "markers",
      name: o.seriesLabels?.[s] ?? s,
      x: rs.map((d) => d.betterPct as number),
      y: rs.map((d) => `${d.test}: ${d.metric} (${d.unit})`),
      ...(err ? { error_x: err } : {}),
      marker: { color: seriesColor(i), size: 9, symbol: i % 2 ? "diamond" : "circle" },
      customdata: rs.map((d) => [d.baseline, d.value.value, d.base.value, d.errPct === null ? "not reported" : d.errPct.toFixed(2)]),
      hovertemplate: "%{fullData.name} vs %{customdata[0]}<br>%{y}<br>%{customdata[1]} vs %{customdata[2]}<br>%{x:+.2f}% (+ = better), spread %{customdata[3]}<extra></extra>",
    } as Data;
  });
  const layout: Partial<Layout> = {
    ...commonLayout(o.title),
    xaxis: { automargin: true, title: { text: "change against the baseline, % (+ = better)" }, ticksuffix: "%", zeroline: false },
    yaxis: { automargin: true, type: "category", categoryorder: "array", categoryarray: [...cats].reverse() },
    shapes: zeroLine("x"),
    legend: { orientation: "h", y: -0.15 },
  };
  return { data, layout };
}

/** One family across versions: x = the version (table order), a trace per track, error bars = propagated stddev. */
export function versionTrackFigure(rows: readonly TrackRow[], o: { title: string }): Figure {
  const tracks = distinct(rows as unknown as Array<Record<string, unknown>>, "track").map(String);
  const versions = distinct(rows.map((r) => ({ v: `${r.version} (${r.table})` })), "v").map(String);
  const data: Data[] = tracks.map((t, i) => {
    const rs = rows.filter((r) => r.track === t);
    const err = errorBars(rs.map((r) => r.errPct));
    return {
      type: "scatter",
      mode: "markers",
      name: t,
      x: rs.map((r) => `${r.version} (${r.table})`),
      y: rs.map((r) => r.betterPct),
      ...(err ? { error_y: err } : {}),
      marker: { color: seriesColor(i), size: 9 },
      customdata: rs.map((r) => [r.test, r.metric, r.unit, r.series, r.baseline]),
      hovertemplate: "%{customdata[3]} vs %{customdata[4]}<br>%{customdata[0]}: %{customdata[1]} (%{customdata[2]})<br>%{y:+.2f}% (+ = better)<extra>%{fullData.name}</extra>",
    } as Data;
  });
  const layout: Partial<Layout> = {
    ...commonLayout(o.title),
    xaxis: { automargin: true, type: "category", categoryorder: "array", categoryarray: versions, title: { text: "version (table), oldest first" } },
    yaxis: { automargin: true, title: { text: "change against that table's baseline, % (+ = better)" }, ticksuffix: "%", zeroline: false },
    shapes: zeroLine("y"),
  };
  return { data, layout };
}
