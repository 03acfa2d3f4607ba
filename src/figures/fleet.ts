/**
 * Figures of a fleet (src/fleet): CDFs of per-host cost and saving by design, the pairs whose
 * order flips, and where in the usage space each design is the cheapest. Pure: flat rows in,
 * plotly specs out; colours and dashes per design as in the overhead figures (designStyles).
 */
import { findSpec, resolveDesign } from "../designs/registry.js";
import type { CheapestPoint, EcdfRow, FlipRow, PairPoint } from "../fleet/rows.js";
import { barChart, lineChart, type Row } from "./charts.js";
import type { Figure } from "./figure.js";
import { designStyles } from "./overhead.js";

function familyOf(id: string): string {
  return findSpec(id) ? resolveDesign(id).family : "custom";
}

function styled(fig: Figure, ids: readonly string[], mode: "lines" | "markers"): Figure {
  const styles = designStyles(ids.map((id) => ({ id, family: familyOf(id) })));
  for (const t of fig.data as Array<{ name?: string; mode?: string; line?: Record<string, unknown>; marker?: Record<string, unknown> }>) {
    const s = t.name ? styles.get(t.name) : undefined;
    t.mode = mode;
    if (mode === "lines") t.line = { ...t.line, ...(s ? { color: s.color, dash: s.dash } : {}), shape: "hv", width: 2 };
    else t.marker = { size: 6, opacity: 0.7, ...(s ? { color: s.color } : {}) };
  }
  if (fig.data.length > 8) fig.layout.legend = { ...fig.layout.legend, font: { size: 10 }, tracegroupgap: 0 };
  return fig;
}

/** Empirical CDF of each design's per-host metadata (x: MiB, log scale), step lines. */
export function costCdfFigure(rows: readonly EcdfRow[], o: { fleetLabel: string }): Figure {
  const ids = [...new Set(rows.map((r) => r.design))];
  const fig = lineChart({
    rows: rows as unknown as Row[],
    title: `Swap metadata per host, CDF by design (${o.fleetLabel})`,
    x: "mib",
    y: "share",
    series: "design",
    xAxis: { title: "swap metadata on the host (MiB, log scale)", type: "log" },
    yAxis: { title: "share of hosts with swap at or below", rangemode: "tozero" },
    hoverFormat: ".3f",
  });
  return styled(fig, ids, "lines");
}

/** Empirical CDF of the saving against each host's baseline (x: MiB; left of 0 = the design costs more). */
export function savingCdfFigure(rows: readonly EcdfRow[], o: { fleetLabel: string; baseline: string }): Figure {
  const ids = [...new Set(rows.map((r) => r.design))];
  const fig = lineChart({
    rows: rows as unknown as Row[],
    title: `Saving against ${o.baseline}, CDF by design (${o.fleetLabel})`,
    x: "mib",
    y: "share",
    series: "design",
    xAxis: { title: `baseline total - design total (MiB; < 0: costs more than ${o.baseline})` },
    yAxis: { title: "share of hosts with swap at or below", rangemode: "tozero" },
    hoverFormat: ".3f",
  });
  return styled(fig, ids, "lines");
}

/** Pairs ordered by the fleet median, and on which share of hosts the order is reversed. */
export function flipFigure(rows: readonly FlipRow[], o: { fleetLabel: string }): Figure {
  return barChart({
    rows: rows.map((r) => ({ ...r, sharePct: 100 * r.share, series: "reversed" })) as unknown as Row[],
    title: `Where the ranking flips (${o.fleetLabel})`,
    x: "pair",
    y: "sharePct",
    series: "series",
    horizontal: true,
    xAxis: { title: "pair (cheaper at the fleet median < other)" },
    yAxis: { title: "hosts on which the cheaper design at the median costs more (%)", ticksuffix: "%", rangemode: "tozero" },
    hoverFormat: ".1f",
  });
}

/** Each host with swap placed by % of slots used and % of entries in zswap, coloured by its cheapest design. */
export function cheapestMapFigure(points: readonly CheapestPoint[], o: { fleetLabel: string }): Figure {
  const ids = [...new Set(points.map((p) => p.cheapest))];
  const fig = lineChart({
    rows: points as unknown as Row[],
    title: `The cheapest design on each host (${o.fleetLabel})`,
    x: "usedPct",
    y: "zswapPct",
    series: "cheapest",
    xAxis: { title: "slots in use (% of usable)", ticksuffix: "%", rangemode: "tozero" },
    yAxis: { title: "entries in zswap (% of used)", ticksuffix: "%", rangemode: "tozero" },
    hoverFormat: ".1f",
  });
  fig.layout.showlegend = true;
  return styled(fig, ids, "markers");
}

/** Each host placed by % used and % in zswap, coloured by which of two designs is cheaper there. */
export function pairMapFigure(points: readonly PairPoint[], o: { a: string; b: string; fleetLabel: string }): Figure {
  const order = [`${o.a} cheaper`, `${o.b} cheaper`, "equal"];
  const rows = [...points].sort((x, y) => order.indexOf(x.cheaper) - order.indexOf(y.cheaper));
  const fig = lineChart({
    rows: rows as unknown as Row[],
    title: `${o.a} or ${o.b}: the cheaper one on each host (${o.fleetLabel})`,
    x: "usedPct",
    y: "zswapPct",
    series: "cheaper",
    xAxis: { title: "slots in use (% of usable)", ticksuffix: "%", rangemode: "tozero" },
    yAxis: { title: "entries in zswap (% of used)", ticksuffix: "%", rangemode: "tozero" },
    colors: { [`${o.a} cheaper`]: "#0072B2", [`${o.b} cheaper`]: "#D55E00", equal: "#7F7F7F" },
    hoverFormat: ".1f",
  });
  for (const t of fig.data as Array<{ mode?: string; marker?: Record<string, unknown>; line?: Record<string, unknown> }>) {
    t.mode = "markers";
    t.marker = { size: 6, opacity: 0.7, color: t.line?.color };
  }
  fig.layout.showlegend = true;
  return fig;
}
