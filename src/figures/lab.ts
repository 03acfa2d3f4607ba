/**
 * Figures for the kernel lab (notebook 05): a model beside a measurement, the residual against a
 * tolerance band, and measured trends with their spread. Pure plotly `{data, layout}` specs over
 * plain arrays; nothing here reads files or renders.
 */
import { commonLayout, seriesColor, type AxisOptions } from "./charts.js";
import type { Data, Figure, Layout } from "./figure.js";

function axis(a: AxisOptions | undefined): Partial<Layout["xaxis"]> {
  return {
    automargin: true,
    ...(a?.title !== undefined ? { title: { text: a.title } } : {}),
    ...(a?.ticksuffix !== undefined ? { ticksuffix: a.ticksuffix } : {}),
    ...(a?.rangemode !== undefined ? { rangemode: a.rangemode } : {}),
    ...(a?.type !== undefined ? { type: a.type } : {}),
  };
}

function finite(xs: readonly number[], what: string): number[] {
  xs.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`figure: ${what}[${i}] must be a finite number, got ${JSON.stringify(v)}`);
  });
  return [...xs];
}

function sameLength(name: string, n: number, arrays: Record<string, readonly number[] | undefined>): void {
  for (const [k, a] of Object.entries(arrays)) {
    if (a && a.length !== n) throw new RangeError(`figure: group ${JSON.stringify(name)}: ${k} has ${a.length} values for ${n} x values`);
  }
}

export interface MeasuredVsModelGroup {
  readonly name: string;
  readonly x: readonly number[];
  /** measured value (median) and, optionally, the range of the repetitions */
  readonly measured: readonly number[];
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
  readonly model: readonly number[];
}

/** Each group in one colour: the model as a dashed line, the measurement as markers with its range. */
export function measuredVsModelFigure(o: { title: string; groups: readonly MeasuredVsModelGroup[]; xAxis?: AxisOptions; yAxis?: AxisOptions; hoverFormat?: string }): Figure {
  const fmt = o.hoverFormat ?? ",.4~f";
  const data: Data[] = o.groups.flatMap((g, i) => {
    sameLength(g.name, g.x.length, { measured: g.measured, model: g.model, lo: g.lo, hi: g.hi });
    const color = seriesColor(i);
    const x = finite(g.x, `${g.name}.x`);
    const measured = finite(g.measured, `${g.name}.measured`);
    const err =
      g.lo && g.hi
        ? { error_y: { type: "data" as const, symmetric: false, array: g.hi.map((h, j) => h - measured[j]), arrayminus: g.lo.map((l, j) => measured[j] - l), color, thickness: 1, width: 4 } }
        : {};
    return [
      {
        type: "scatter",
        mode: "lines",
        name: `${g.name}: model`,
        legendgroup: g.name,
        x,
        y: finite(g.model, `${g.name}.model`),
        line: { color, width: 2, dash: "dash" },
        hovertemplate: `%{fullData.name}<br>${o.xAxis?.title ?? "x"}: %{x}<br>${o.yAxis?.title ?? "y"}: %{y:${fmt}}<extra></extra>`,
      },
      {
        type: "scatter",
        mode: "markers",
        name: `${g.name}: measured`,
        legendgroup: g.name,
        x,
        y: measured,
        marker: { color, size: 8, symbol: "circle-open", line: { width: 2 } },
        ...err,
        hovertemplate: `%{fullData.name}<br>${o.xAxis?.title ?? "x"}: %{x}<br>${o.yAxis?.title ?? "y"}: %{y:${fmt}}<extra></extra>`,
      },
    ] as Data[];
  });
  return { data, layout: { ...commonLayout(o.title), xaxis: axis(o.xAxis), yaxis: axis(o.yAxis) } };
}

export interface ResidualGroup {
  readonly name: string;
  readonly x: readonly (number | string)[];
  /** (model − measured) / measured in % (or model − measured in the figure's `unit`) */
  readonly residualPercent: readonly number[];
}

/**
 * Residuals in %, one marker trace per group (joined by a thin line when x is numeric), with the
 * tolerance drawn as a grey band ±`band` %. String x gives a categorical axis (cases).
 */
export function residualFigure(o: { title: string; groups: readonly ResidualGroup[]; band?: number; bandLabel?: string; xAxis?: AxisOptions; yAxis?: AxisOptions; unit?: string }): Figure {
  const unit = o.unit ?? "%";
  const categorical = o.groups.some((g) => g.x.some((v) => typeof v === "string"));
  const data: Data[] = o.groups.map((g, i) => {
    sameLength(g.name, g.x.length, { residualPercent: g.residualPercent });
    return {
      type: "scatter",
      mode: categorical ? "markers" : "lines+markers",
      name: g.name,
      x: categorical ? g.x.map(String) : finite(g.x as number[], `${g.name}.x`),
      y: finite(g.residualPercent, `${g.name}.residualPercent`),
      line: { color: seriesColor(i), width: 1 },
      marker: { color: seriesColor(i), size: 8, symbol: i % 2 ? "diamond" : "circle" },
      hovertemplate: `%{fullData.name}<br>%{x}<br>model − measured: %{y:+.3f} ${unit}<extra></extra>`,
    } as Data;
  });
  const layout: Partial<Layout> = { ...commonLayout(o.title), xaxis: { ...axis(o.xAxis), ...(categorical ? { type: "category" as const } : {}) }, yaxis: { ...axis(o.yAxis ?? { title: "(model − measured) / measured" }), ticksuffix: ` ${unit}`, zeroline: true } };
  // categories: the traces side by side within each case rather than on top of each other
  if (categorical) Object.assign(layout, { scattermode: "group", scattergap: 0.3 });
  if (o.band !== undefined) {
    layout.shapes = [
      { type: "rect", xref: "paper", yref: "y", x0: 0, x1: 1, y0: -o.band, y1: o.band, fillcolor: "rgba(127,127,127,0.15)", line: { width: 0 }, layer: "below" },
    ];
    layout.annotations = [
      { xref: "paper", yref: "y", x: 1, y: o.band, xanchor: "right", yanchor: "bottom", showarrow: false, text: o.bandLabel ?? `±${o.band} ${unit}`, font: { size: 11, color: "#555" } },
    ];
  }
  return { data, layout };
}

export interface TrendGroup {
  readonly name: string;
  readonly x: readonly number[];
  readonly median: readonly number[];
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

/** Measured medians joined by lines, with the range of the repetitions as error bars. */
export function trendFigure(o: { title: string; groups: readonly TrendGroup[]; xAxis?: AxisOptions; yAxis?: AxisOptions }): Figure {
  const data: Data[] = o.groups.map((g, i) => {
    sameLength(g.name, g.x.length, { median: g.median, lo: g.lo, hi: g.hi });
    const median = finite(g.median, `${g.name}.median`);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: g.name,
      x: finite(g.x, `${g.name}.x`),
      y: median,
      line: { color: seriesColor(i), width: 2, dash: i % 2 ? "dash" : "solid" },
      marker: { color: seriesColor(i), size: 7 },
      error_y: { type: "data", symmetric: false, array: g.hi.map((h, j) => h - median[j]), arrayminus: g.lo.map((l, j) => median[j] - l), color: seriesColor(i), thickness: 1, width: 4 },
      hovertemplate: `%{fullData.name}<br>${o.xAxis?.title ?? "x"}: %{x}<br>median: %{y:,.1f}<extra></extra>`,
    } as Data;
  });
  return { data, layout: { ...commonLayout(o.title), xaxis: axis(o.xAxis), yaxis: axis(o.yAxis) } };
}
