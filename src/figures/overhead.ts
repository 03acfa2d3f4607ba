/**
 * Figures of the static/dynamic overhead model (notebook 01), built from the flat rows the core's
 * sweeps return (src/sweep/overhead-sweep.ts) or small row sets derived from them. Pure: plotly
 * `{data, layout}` specs, nothing rendered here.
 *
 * Every design keeps one style across figures: a hue per family (mainline blues, swap-table greens,
 * vswap reds/oranges, …), darker for older members, and a dash pattern, so 19 designs stay legible.
 */
import type { OverheadSweepRow, StructureSweepRow } from "../sweep/overhead-sweep.js";
import { commonLayout, heatmap, lineChart, seriesColor, type Row } from "./charts.js";
import type { Data, Figure } from "./figure.js";

const MiB = 1024 * 1024;

const FAMILY_HUES: Readonly<Record<string, readonly string[]>> = {
  mainline: ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1"],
  "swap-table": ["#00441b", "#238b45", "#41ab5d", "#74c476"],
  ghost: ["#54278f", "#807dba"],
  redirect: ["#8c510a", "#bf812d"],
  vswap: ["#67000d", "#a50f15", "#cb181d", "#ef3b2c", "#fb6a4a", "#d94801", "#f16913", "#fd8d3c", "#fdae6b"],
  tiers: ["#252525", "#636363"],
};

const DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"] as const;

export interface DesignStyle {
  color: string;
  dash: (typeof DASHES)[number];
}

/** A style per design: colour by family (in order of appearance within the family), dash by rank. */
export function designStyles(designs: readonly { id: string; family: string }[]): Map<string, DesignStyle> {
  const rank = new Map<string, number>();
  const out = new Map<string, DesignStyle>();
  let other = 0;
  for (const d of designs) {
    if (out.has(d.id)) continue;
    const i = rank.get(d.family) ?? 0;
    rank.set(d.family, i + 1);
    const hues = FAMILY_HUES[d.family];
    out.set(d.id, { color: hues ? hues[i % hues.length] : seriesColor(other++), dash: DASHES[i % DASHES.length] });
  }
  return out;
}

function stylesOf(rows: readonly { design: string; family?: string }[]): Map<string, DesignStyle> {
  return designStyles(rows.map((r) => ({ id: r.design, family: r.family ?? r.design })));
}

function restyle(fig: Figure, styles: Map<string, DesignStyle>): Figure {
  for (const t of fig.data as Array<{ name?: string; line?: { color?: string; dash?: string }; marker?: object }>) {
    const s = t.name ? styles.get(t.name) : undefined;
    if (s && t.line) t.line = { ...t.line, color: s.color, dash: s.dash };
    if (fig.data.length > 8) t.marker = { size: 3 };
  }
  if (fig.data.length > 8) fig.layout.legend = { ...fig.layout.legend, font: { size: 10 }, tracegroupgap: 0 };
  return fig;
}

/** Net metadata (design total minus the baseline's at the same usage), MiB, one line per design. */
export function netVsUsedFigure(rows: readonly OverheadSweepRow[], o: { baseline: string; sizeLabel: string }): Figure {
  const backend = rows[0]?.backend ?? "";
  const base = new Map(rows.filter((r) => r.design === o.baseline).map((r) => [r.usedPct, r.totalBytes]));
  const net = rows.map((r) => {
    const b = base.get(r.usedPct);
    if (b === undefined) throw new RangeError(`netVsUsedFigure: baseline ${o.baseline} has no row at ${r.usedPct}% used`);
    return { design: r.design, family: r.family, usedPct: r.usedPct, netMiB: (r.totalBytes - b) / MiB };
  });
  const fig = lineChart({
    rows: net,
    title: `Net metadata vs usage: design minus ${o.baseline}, ${o.sizeLabel}, ${backendTitle(backend)}`,
    x: "usedPct",
    y: "netMiB",
    series: "design",
    xAxis: { title: "slots in use (% of usable)", ticksuffix: "%" },
    yAxis: { title: `MiB more (+) or less (−) than ${o.baseline}` },
    hoverFormat: "+,.2f",
  });
  return restyle(fig, stylesOf(net));
}

/** The rows behind netVsUsedFigure (for the CSV export). */
export function netRows(rows: readonly OverheadSweepRow[], baseline: string): Array<{ design: string; usedPct: number; totalBytes: number; baselineBytes: number; netBytes: number }> {
  const base = new Map(rows.filter((r) => r.design === baseline).map((r) => [r.usedPct, r.totalBytes]));
  return rows.map((r) => ({ design: r.design, usedPct: r.usedPct, totalBytes: r.totalBytes, baselineBytes: base.get(r.usedPct) ?? NaN, netBytes: r.totalBytes - (base.get(r.usedPct) ?? NaN) }));
}

function backendTitle(backend: string): string {
  return backend === "zswap" ? "zswap backend" : backend === "disk" ? "disk backend" : `${backend} backend`;
}

/** Total swap metadata (MiB) against the share of usable slots in use, one line per design. */
export function totalVsUsedFigure(rows: readonly OverheadSweepRow[], o: { sizeLabel: string }): Figure {
  const backend = rows[0]?.backend ?? "";
  const fig = lineChart({
    rows: rows as unknown as Row[],
    title: `Total swap metadata vs usage, ${o.sizeLabel}, ${backendTitle(backend)}`,
    x: "usedPct",
    y: "totalMiB",
    series: "design",
    xAxis: { title: "slots in use (% of usable)", ticksuffix: "%" },
    yAxis: { title: "swap metadata (MiB)", rangemode: "tozero" },
    hoverFormat: ",.2f",
  });
  return restyle(fig, stylesOf(rows));
}

/** Bytes of metadata per used entry (log scale): static costs dominate at low usage. */
export function bytesPerEntryFigure(rows: readonly OverheadSweepRow[], o: { sizeLabel: string }): Figure {
  const backend = rows[0]?.backend ?? "";
  const used = rows.filter((r) => r.bytesPerUsedEntry !== null);
  const fig = lineChart({
    rows: used as unknown as Row[],
    title: `Metadata bytes per used entry, ${o.sizeLabel}, ${backendTitle(backend)}`,
    x: "usedPct",
    y: "bytesPerUsedEntry",
    series: "design",
    xAxis: { title: "slots in use (% of usable)", ticksuffix: "%" },
    yAxis: { title: "bytes per used entry (log)", type: "log" },
    hoverFormat: ",.2f",
  });
  return restyle(fig, stylesOf(used));
}

/** Colour of the i-th structure: golden-angle hues in two lightness bands (distinct for ~40 names). */
export function structureColor(i: number): string {
  const hue = Math.round((i * 137.508) % 360);
  return `hsl(${hue}, ${i % 2 ? 45 : 65}%, ${i % 4 < 2 ? 45 : 62}%)`;
}

/**
 * Per-structure stacked breakdown at one usage point: one horizontal bar per design, one segment
 * per structure (static structures first, then dynamic ones, lighter), in MiB; the legend is
 * grouped into static and dynamic.
 */
export function breakdownFigure(rows: readonly StructureSweepRow[], o: { usedPct: number; sizeLabel: string }): Figure {
  const at = rows.filter((r) => r.usedPct === o.usedPct);
  const backend = at[0]?.backend ?? "";
  const order = [...at].sort((a, b) => (a.class === b.class ? 0 : a.class === "static" ? -1 : 1));
  const names: string[] = [];
  for (const r of order) if (!names.includes(r.name) && at.some((x) => x.name === r.name && x.bytes > 0)) names.push(r.name);
  const colors = Object.fromEntries(names.map((n, i) => [n, structureColor(i)]));
  const designs: string[] = [];
  for (const r of at) if (!designs.includes(r.design)) designs.push(r.design);
  const data: Data[] = names.map((name) => {
    const cls = at.find((r) => r.name === name)?.class ?? "";
    const byDesign = new Map(at.filter((r) => r.name === name).map((r) => [r.design, r.MiB]));
    return {
      type: "bar",
      orientation: "h",
      name: name,
      legendgroup: cls,
      legendgrouptitle: { text: cls === "static" ? "static (at swapon)" : "dynamic (with use)" },
      y: designs,
      x: designs.map((d) => byDesign.get(d) ?? 0),
      marker: { color: colors[name], opacity: cls === "dynamic" ? 0.7 : 1, line: { color: "#ffffff", width: 0.5 } },
      hovertemplate: `%{y}<br>${name} (${cls}): %{x:,.3f} MiB<extra></extra>`,
    } as Data;
  });
  return {
    data,
    layout: {
      ...commonLayout(`Per-structure breakdown at ${o.usedPct}% used, ${o.sizeLabel}, ${backendTitle(backend)}`),
      barmode: "stack",
      xaxis: { title: { text: "swap metadata (MiB)" }, automargin: true, rangemode: "tozero" },
      yaxis: { automargin: true, type: "category", autorange: "reversed" },
      legend: { orientation: "v", traceorder: "grouped", font: { size: 10 }, tracegroupgap: 8 },
    },
  };
}

export interface BreakEvenCell {
  /** Row design (cheaper at 0% used when `usedPct` is set). */
  readonly design: string;
  readonly versus: string;
  /** Usage where the totals cross, % of usable slots; null when they never cross on 0..100%. */
  readonly usedPct: number | null;
  readonly label: string;
}

/** Break-even usage of every pair of designs as a matrix (symmetric; "—" = never cross, "=" = equal throughout). */
export function breakEvenFigure(cells: readonly BreakEvenCell[], o: { sizeLabel: string; backend: string }): Figure {
  const fig = heatmap({
    rows: cells as unknown as Row[],
    title: `Break-even usage per pair of designs, ${o.sizeLabel}, ${backendTitle(o.backend)}`,
    x: "versus",
    y: "design",
    z: "usedPct",
    text: "label",
    zTitle: "used (%)",
    zRange: [0, 100],
  });
  return fig;
}

export interface GrossNetRow {
  readonly design: string;
  readonly family: string;
  readonly grossMiB: number;
  /** Design total minus the baseline's total at the same point. */
  readonly netMiB: number;
}

/** Gross (the design's own total) against net (minus the baseline's total), per design, in MiB. */
export function grossNetFigure(rows: readonly GrossNetRow[], o: { baseline: string; usedPct: number; sizeLabel: string; backend: string }): Figure {
  const designs = rows.map((r) => r.design);
  const data: Data[] = [
    { type: "bar", orientation: "h", name: "gross (design total)", y: designs, x: rows.map((r) => r.grossMiB), marker: { color: "#7f7f7f" },
      hovertemplate: "%{y}<br>gross: %{x:,.2f} MiB<extra></extra>" } as Data,
    { type: "bar", orientation: "h", name: `net (minus ${o.baseline})`, y: designs, x: rows.map((r) => r.netMiB),
      marker: { color: rows.map((r) => (r.netMiB > 0 ? "#d62728" : "#2ca02c")) },
      hovertemplate: "%{y}<br>net: %{x:+,.2f} MiB<extra></extra>" } as Data,
  ];
  return {
    data,
    layout: {
      ...commonLayout(`Gross vs net against ${o.baseline} at ${o.usedPct}% used, ${o.sizeLabel}, ${backendTitle(o.backend)}`),
      barmode: "group",
      xaxis: { title: { text: "MiB (net: red = more than the baseline, green = less)" }, automargin: true, zeroline: true },
      yaxis: { automargin: true, type: "category", autorange: "reversed" },
      legend: { x: 1, xanchor: "right", y: 0, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.85)", bordercolor: "#ccc", borderwidth: 1 },
    },
  };
}

export interface AccountingRow {
  readonly design: string;
  readonly kernelMiB: number;
  readonly letterMiB: number;
}

/** What the kernel allocates against what the cover letters count, per design, in MiB. */
export function accountingFigure(rows: readonly AccountingRow[], o: { usedPct: number; sizeLabel: string; backend: string }): Figure {
  const designs = rows.map((r) => r.design);
  const data: Data[] = [
    { type: "bar", orientation: "h", name: "kernel accounting (what is allocated)", y: designs, x: rows.map((r) => r.kernelMiB), marker: { color: "#1f77b4" },
      hovertemplate: "%{y}<br>kernel: %{x:,.2f} MiB<extra></extra>" } as Data,
    { type: "bar", orientation: "h", name: "letter accounting (what the cover letters count)", y: designs, x: rows.map((r) => r.letterMiB), marker: { color: "#ff7f0e" },
      hovertemplate: "%{y}<br>letter: %{x:,.2f} MiB<extra></extra>" } as Data,
  ];
  return {
    data,
    layout: {
      ...commonLayout(`Kernel vs letter accounting at ${o.usedPct}% used, ${o.sizeLabel}, ${backendTitle(o.backend)}`),
      barmode: "group",
      xaxis: { title: { text: "swap metadata (MiB)" }, automargin: true, rangemode: "tozero" },
      yaxis: { automargin: true, type: "category", autorange: "reversed" },
      legend: { x: 1, xanchor: "right", y: 0, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.85)", bordercolor: "#ccc", borderwidth: 1 },
    },
  };
}

/** Rows of `sweepOverhead` at one usage point → gross/net rows against `baseline`. */
export function grossNetRows(rows: readonly OverheadSweepRow[], baseline: string, usedPct: number): GrossNetRow[] {
  const at = rows.filter((r) => r.usedPct === usedPct);
  const base = at.find((r) => r.design === baseline);
  if (!base) throw new RangeError(`grossNetRows: baseline ${baseline} has no row at ${usedPct}% used`);
  return at.map((r) => ({ design: r.design, family: r.family, grossMiB: r.totalBytes / MiB, netMiB: (r.totalBytes - base.totalBytes) / MiB }));
}

/** Rows of a sweep over both accountings at one usage point → kernel/letter rows. */
export function accountingRows(rows: readonly OverheadSweepRow[], usedPct: number): AccountingRow[] {
  const at = rows.filter((r) => r.usedPct === usedPct);
  const designs: string[] = [];
  for (const r of at) if (!designs.includes(r.design)) designs.push(r.design);
  return designs.map((d) => {
    const k = at.find((r) => r.design === d && r.accounting === "kernel");
    const l = at.find((r) => r.design === d && r.accounting === "letter");
    return { design: d, kernelMiB: (k?.totalBytes ?? 0) / MiB, letterMiB: (l?.totalBytes ?? 0) / MiB };
  });
}
