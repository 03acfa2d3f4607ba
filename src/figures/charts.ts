/**
 * Generic, pure chart builders over flat rows (the shape sweeps return). Each returns a plotly
 * `{data, layout}` spec; nothing here renders. Domain figures (src/figures/overhead.ts) compose
 * these, so every chart of the kit looks the same: one colour per series, stable across figures.
 */
import type { Data, Figure, Layout } from "./figure.js";

export type Row = Readonly<Record<string, unknown>>;

/** Okabe–Ito colours (colour-blind safe), then a few extra; assigned by series order. */
export const PALETTE = [
  "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
  "#7F7F7F", "#8C564B", "#17BECF", "#BCBD22",
] as const;

/** Colour for series `i` of a figure (cycles). */
export function seriesColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Distinct values of `key` in first-seen order (series and category order follow the rows). */
export function distinct(rows: readonly Row[], key: string): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const r of rows) {
    const v = r[key];
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

function num(v: unknown, key: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new TypeError(`figure: column ${JSON.stringify(key)} must hold finite numbers, got ${JSON.stringify(v)}`);
  }
  return v;
}

export interface AxisOptions {
  title?: string;
  /** plotly tick suffix, e.g. "%" or " MiB". */
  ticksuffix?: string;
  rangemode?: "tozero" | "normal" | "nonnegative";
  type?: "linear" | "log" | "category";
}

export interface BaseChartOptions {
  rows: readonly Row[];
  title: string;
  x: string;
  y: string;
  /** Column whose values name the traces (one trace per distinct value). */
  series?: string;
  xAxis?: AxisOptions;
  yAxis?: AxisOptions;
  /** Explicit series order/colours: series value → colour. Unlisted series get palette colours. */
  colors?: Readonly<Record<string, string>>;
  /** Hover value format, plotly d3-format syntax (default ",.4~f"). */
  hoverFormat?: string;
}

function axis(a: AxisOptions | undefined): Partial<Layout["xaxis"]> {
  if (!a) return { automargin: true };
  return {
    automargin: true,
    ...(a.title !== undefined ? { title: { text: a.title } } : {}),
    ...(a.ticksuffix !== undefined ? { ticksuffix: a.ticksuffix } : {}),
    ...(a.rangemode !== undefined ? { rangemode: a.rangemode } : {}),
    ...(a.type !== undefined ? { type: a.type } : {}),
  };
}

/** The kit's common layout: title, font (Liberation Sans, installed with Chromium), margins. */
export function commonLayout(title: string): Partial<Layout> {
  return {
    title: { text: title },
    legend: { orientation: "v" },
    hovermode: "closest",
    font: { family: "Liberation Sans, Arial, sans-serif", size: 13 },
    margin: { l: 70, r: 20, t: 60, b: 70 },
  } as Partial<Layout>;
}

function baseLayout(o: BaseChartOptions): Partial<Layout> {
  return { ...commonLayout(o.title), xaxis: axis(o.xAxis), yaxis: axis(o.yAxis) };
}

function groups(o: BaseChartOptions): Array<{ name: string; rows: Row[] }> {
  if (!o.series) return [{ name: o.y, rows: [...o.rows] }];
  const names = distinct(o.rows, o.series);
  return names.map((n) => ({ name: String(n), rows: o.rows.filter((r) => r[o.series as string] === n) }));
}

function colorOf(o: BaseChartOptions, name: string, i: number): string {
  return o.colors?.[name] ?? seriesColor(i);
}

/** One line per series: y against numeric x. */
export function lineChart(o: BaseChartOptions & { dash?: Readonly<Record<string, "solid" | "dash" | "dot" | "dashdot">> }): Figure {
  const fmt = o.hoverFormat ?? ",.4~f";
  const data: Data[] = groups(o).map((g, i) => ({
    type: "scatter",
    mode: "lines+markers",
    name: g.name,
    x: g.rows.map((r) => num(r[o.x], o.x)),
    y: g.rows.map((r) => num(r[o.y], o.y)),
    line: { color: colorOf(o, g.name, i), width: 2, dash: o.dash?.[g.name] ?? "solid" },
    marker: { size: 5 },
    hovertemplate: `%{fullData.name}<br>${o.xAxis?.title ?? o.x}: %{x}<br>${o.yAxis?.title ?? o.y}: %{y:${fmt}}<extra></extra>`,
  }));
  return { data, layout: baseLayout(o) };
}

/** Bars: x is a category, one bar trace per series; `stacked` stacks the series. */
export function barChart(o: BaseChartOptions & { stacked?: boolean; horizontal?: boolean }): Figure {
  const fmt = o.hoverFormat ?? ",.4~f";
  const data: Data[] = groups(o).map((g, i) => {
    const cats = g.rows.map((r) => String(r[o.x]));
    const vals = g.rows.map((r) => num(r[o.y], o.y));
    return {
      type: "bar",
      name: g.name,
      ...(o.horizontal ? { y: cats, x: vals, orientation: "h" as const } : { x: cats, y: vals }),
      marker: { color: colorOf(o, g.name, i) },
      hovertemplate: `%{fullData.name}<br>%{${o.horizontal ? "y" : "x"}}: %{${o.horizontal ? "x" : "y"}:${fmt}}<extra></extra>`,
    };
  });
  const layout = baseLayout(o);
  layout.barmode = o.stacked ? "stack" : "group";
  if (o.horizontal) {
    layout.xaxis = axis(o.yAxis);
    layout.yaxis = { ...axis(o.xAxis), autorange: "reversed" };
  } else {
    layout.xaxis = { ...axis(o.xAxis), type: "category" };
  }
  return { data, layout };
}

export interface HeatmapOptions {
  rows: readonly Row[];
  title: string;
  /** Column naming the heatmap's columns (x) and rows (y); order follows the rows. */
  x: string;
  y: string;
  /** Numeric column for the colour; null/undefined cells stay empty. */
  z: string;
  /** Optional column shown as the cell's text (e.g. "37.5%" or "never"). */
  text?: string;
  xAxis?: AxisOptions;
  yAxis?: AxisOptions;
  /** Colour bar title. */
  zTitle?: string;
  /** [min, max] of the colour scale. */
  zRange?: readonly [number, number];
}

/** A matrix: one cell per (x, y) pair, e.g. the break-even usage of every pair of designs. */
export function heatmap(o: HeatmapOptions): Figure {
  const xs = distinct(o.rows, o.x).map(String);
  const ys = distinct(o.rows, o.y).map(String);
  const z: (number | null)[][] = ys.map(() => xs.map(() => null));
  const text: string[][] = ys.map(() => xs.map(() => ""));
  for (const r of o.rows) {
    const i = ys.indexOf(String(r[o.y]));
    const j = xs.indexOf(String(r[o.x]));
    const v = r[o.z];
    if (v !== null && v !== undefined) z[i][j] = num(v, o.z);
    if (o.text) text[i][j] = String(r[o.text] ?? "");
  }
  const data: Data[] = [
    {
      type: "heatmap",
      x: xs,
      y: ys,
      z,
      ...(o.text ? { text, texttemplate: "%{text}", textfont: { size: 10 } } : {}),
      colorscale: "Viridis",
      ...(o.zRange ? { zmin: o.zRange[0], zmax: o.zRange[1] } : {}),
      colorbar: o.zTitle ? { title: { text: o.zTitle } } : {},
      hoverongaps: false,
      hovertemplate: `${o.yAxis?.title ?? o.y}: %{y}<br>${o.xAxis?.title ?? o.x}: %{x}<br>${o.zTitle ?? o.z}: %{z}<extra></extra>`,
    } as Data,
  ];
  const layout = baseLayout({ rows: o.rows, title: o.title, x: o.x, y: o.z, xAxis: o.xAxis, yAxis: o.yAxis });
  layout.xaxis = { ...axis(o.xAxis), type: "category", tickangle: -45 };
  layout.yaxis = { ...axis(o.yAxis), type: "category", autorange: "reversed" };
  return { data, layout };
}
