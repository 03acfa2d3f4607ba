/**
 * Figures of the swapoff, transfer and reverse-map models (notebook 04), built from the flat rows
 * of src/sweep/swapoff-sweep.ts and src/models/reverse-map.ts or from model results. Pure: plotly
 * `{data, layout}` specs, nothing rendered here. Designs keep the styles of notebook 01.
 */
import type { ReverseMapSweepRow } from "../models/reverse-map.js";
import type { SwapoffResult } from "../models/swapoff.js";
import type { SwapoffTrends } from "../models/swapoff-calibration.js";
import type { SwapoffSweepRow, TransferSweepRow } from "../sweep/swapoff-sweep.js";
import { barChart, heatmap, lineChart, type Row } from "./charts.js";
import type { Figure } from "./figure.js";
import { designStyles } from "./overhead.js";

function restyle(fig: Figure, designs: readonly { design: string; family?: string }[]): Figure {
  const styles = designStyles(designs.map((r) => ({ id: r.design, family: r.family ?? r.design })));
  for (const t of fig.data as Array<{ name?: string; line?: { color?: string; dash?: string } }>) {
    const s = t.name ? styles.get(t.name) : undefined;
    if (s && t.line) t.line = { ...t.line, color: s.color, dash: s.dash };
  }
  return fig;
}

const METRIC: Record<"realS" | "sysS", string> = { realS: "estimated real time (s)", sysS: "estimated sys time (s)" };

/** swapoff time vs the page-table span walked, one line per design. */
export function swapoffVsMappedFigure(rows: readonly SwapoffSweepRow[], o: { metric: "realS" | "sysS"; sizeLabel: string; usedPct: number }): Figure {
  const fig = lineChart({
    rows: rows.map((r) => ({ design: r.design, mappedGiB: r.mappedGiB, v: r[o.metric] })),
    title: `swapoff ${o.metric === "realS" ? "real" : "sys"} time vs page-table span walked, ${o.sizeLabel}, ${o.usedPct}% swapped`,
    x: "mappedGiB",
    y: "v",
    series: "design",
    xAxis: { title: "page-table span of the anon VMAs of the mms on init_mm.mmlist (GiB)", rangemode: "tozero" },
    yAxis: { title: METRIC[o.metric], rangemode: "tozero" },
    hoverFormat: ",.2f",
  });
  return restyle(fig, rows);
}

/** swapoff time vs the swapped share of the device, one line per design. */
export function swapoffVsUsedFigure(rows: readonly SwapoffSweepRow[], o: { metric: "realS" | "sysS"; sizeLabel: string; mappedLabel: string }): Figure {
  const fig = lineChart({
    rows: rows.map((r) => ({ design: r.design, usedPct: Math.round(r.usedShare * 10000) / 100, v: r[o.metric] })),
    title: `swapoff ${o.metric === "realS" ? "real" : "sys"} time vs swapped share, ${o.sizeLabel}, ${o.mappedLabel} walked`,
    x: "usedPct",
    y: "v",
    series: "design",
    xAxis: { title: "slots in use (% of usable)", ticksuffix: "%" },
    yAxis: { title: METRIC[o.metric], rangemode: "tozero" },
    hoverFormat: ",.2f",
  });
  return restyle(fig, rows);
}

/** Where the time goes: per design, CPU per phase, the IO wait, and the minor faults left for later. */
export function swapoffPhaseRows(results: readonly SwapoffResult[]): Array<{ design: string; part: string; seconds: number }> {
  const out: Array<{ design: string; part: string; seconds: number }> = [];
  const part = (id: string) =>
    id === "mm-walk" || id === "shmem" ? "PTE walk + shmem (CPU)" : id === "slot-scan" || id === "rmap-scan" || id === "virtual-scan" ? "slot / cluster scans (CPU)" : id === "teardown" ? "teardown (CPU)" : "swap-ins and re-pointing (CPU)";
  const parts = ["PTE walk + shmem (CPU)", "slot / cluster scans (CPU)", "swap-ins and re-pointing (CPU)", "teardown (CPU)", "IO wait", "minor faults later (not in swapoff)"];
  for (const r of results) {
    const sums = new Map<string, number>(parts.map((p) => [p, 0]));
    for (const ph of r.phases) sums.set(part(ph.id), (sums.get(part(ph.id)) ?? 0) + ph.cpuNs / 1e9);
    sums.set("IO wait", r.estimate.ioWaitNs / 1e9);
    sums.set("minor faults later (not in swapoff)", r.remaining.minorFaultNs / 1e9);
    for (const p of parts) out.push({ design: r.design.id, part: p, seconds: sums.get(p) ?? 0 });
  }
  return out;
}

export function swapoffPhasesFigure(results: readonly SwapoffResult[], o: { title: string }): Figure {
  const fig = barChart({
    rows: swapoffPhaseRows(results) as Row[],
    title: o.title,
    x: "design",
    y: "seconds",
    series: "part",
    stacked: true,
    horizontal: true,
    xAxis: { title: "design" },
    yAxis: { title: "seconds (estimated)" },
    colors: {
      "PTE walk + shmem (CPU)": "#D55E00",
      "slot / cluster scans (CPU)": "#E69F00",
      "swap-ins and re-pointing (CPU)": "#0072B2",
      "teardown (CPU)": "#7F7F7F",
      "IO wait": "#56B4E9",
      "minor faults later (not in swapoff)": "#CC79A7",
    },
    hoverFormat: ",.3f",
  });
  return fig;
}

export interface BenchmarkBar {
  /** e.g. "linux-6.12 real" */
  readonly bar: string;
  /** "published (RFC v1)", "model, default costs", "model, implied costs" */
  readonly source: string;
  readonly seconds: number;
}

/** Published measurement vs the model (grouped bars): the published values are inputs, plotted as such. */
export function benchmarkFigure(rows: readonly BenchmarkBar[], o: { title: string }): Figure {
  return barChart({
    rows: rows as unknown as Row[],
    title: o.title,
    x: "bar",
    y: "seconds",
    series: "source",
    xAxis: { title: "design and time" },
    yAxis: { title: "seconds", rangemode: "tozero" },
    colors: { "published measurement": "#000000" },
    hoverFormat: ",.2f",
  });
}

/** Time to move X GiB between backends, one line per design. */
export function transferFigure(rows: readonly TransferSweepRow[], o: { title: string; log?: boolean }): Figure {
  const fig = lineChart({
    rows: rows.map((r) => ({ design: r.design, movedGiB: r.movedGiB, realS: r.realS })),
    title: o.title,
    x: "movedGiB",
    y: "realS",
    series: "design",
    xAxis: { title: "data moved (GiB)", rangemode: "tozero" },
    yAxis: { title: `estimated time (s)${o.log ? ", log" : ""}`, ...(o.log ? { type: "log" as const } : { rangemode: "tozero" as const }) },
    hoverFormat: ",.3f",
  });
  return restyle(fig, rows);
}

/** Reverse map: swapoff scan time saved (ms, negative = the map makes it slower) per device size × usage, with its memory in the cell. */
export function reverseMapFigure(rows: readonly ReverseMapSweepRow[], o: { title: string; sizeLabel: (bytes: number) => string }): Figure {
  const cells = rows.map((r) => ({
    size: o.sizeLabel(r.swapSizeBytes),
    usage: `${Math.round(r.usedShare * 100)}% used, ${Math.round(r.diskShare * 100)}% of it on disk`,
    savedMs: r.savedNs / 1e6,
    text: `${r.savedNs >= 0 ? "+" : ""}${(r.savedNs / 1e6).toFixed(1)} ms / ${(r.rmapBytes / 1048576).toFixed(1)} MiB`,
  }));
  return heatmap({
    rows: cells,
    title: o.title,
    x: "size",
    y: "usage",
    z: "savedMs",
    text: "text",
    xAxis: { title: "swap device size" },
    yAxis: { title: "usage" },
    zTitle: "scan time saved per swapoff (ms)",
  });
}

/** The kernel lab's swapoff series (level medians): time against the PTEs of the swapped mm and of a never-swapped mm. */
export function labPteTrendFigure(trends: readonly { kernel: string; trends: SwapoffTrends }[], o: { title: string }): Figure {
  const rows: Array<{ line: string; mPtes: number; ms: number }> = [];
  for (const k of trends) {
    for (const s of k.trends.series) {
      if (s.series !== "ptes_swapped" && s.series !== "ptes_other") continue;
      const line = `${k.kernel}: ${s.series === "ptes_swapped" ? "PTEs of the swapped mm" : "PTEs of a never-swapped mm"}`;
      for (const [x, ns] of s.points) rows.push({ line, mPtes: x / 1e6, ms: ns / 1e6 });
    }
  }
  return lineChart({
    rows,
    title: o.title,
    x: "mPtes",
    y: "ms",
    series: "line",
    xAxis: { title: "PTEs in present page tables (millions)", rangemode: "tozero" },
    yAxis: { title: "swapoff time, median of repetitions (ms, TCG)", rangemode: "tozero" },
    hoverFormat: ",.1f",
  });
}
