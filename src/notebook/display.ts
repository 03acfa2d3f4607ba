/**
 * Display helpers for tslab notebooks. Import from a cell as
 *
 *     import { initPlotly, show, showFrame, showTable } from "./src/notebook/display.js";
 *
 * - initPlotly(): makes plotly.js available offline (the /files/ loader, or inlined).
 * - show(fig, {name, rows}): one output bundle {application/vnd.plotly.v1+json, text/html,
 *   text/plain}; `npm start` later adds a static PNG inside the HTML so the committed notebook
 *   reads on GitHub/nbviewer, and exports the figure (SVG/PNG/PDF/HTML) and its rows (CSV).
 * - showFrame(df): a danfojs-node DataFrame as an HTML table (not its internals).
 * - showTable(name, text): a plain-text mail table (ASCII, no tabs, ≤ 72 columns, or it throws),
 *   exported to out/tables/.
 *
 * Multi-MIME bundles go through tslab's internal writer (tslab/dist/jupyter, tslab pinned to
 * 1.0.22): the public `display.*` API sends one MIME type per output. Outside a kernel (vitest,
 * tsx) the text/plain part is printed instead.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { DEFAULT_FIGURE_SIZE, type Figure } from "../figures/figure.js";
import {
  PLOTLY_BUNDLE_PATH,
  PLOTLY_MIME,
  figureHtml,
  figurePlainText,
  frameToHtml,
  frameToText,
  interactiveSpec,
  plotlyLoaderHtml,
  preHtml,
  slug,
  type FrameLike,
  type PlotlyMode,
} from "./html.js";
import { checkExportName, currentExport, recordExport, type Row } from "./manifest.js";

export interface OutputBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

type Writer = (msg: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

function projectRequire(): NodeRequire {
  return createRequire(path.resolve("package.json"));
}

function kernelWriter(): Writer | null {
  try {
    const jupyter = projectRequire()("tslab/dist/jupyter") as { lastWriteDisplayData: Writer | null };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** Sends one display_data output with several MIME types (or prints text/plain outside a kernel). */
export function emit(bundle: OutputBundle): void {
  const write = kernelWriter();
  if (write) {
    write({ data: bundle.data, metadata: bundle.metadata, transient: {} }, false);
  } else {
    const text = bundle.data["text/plain"];
    process.stdout.write(`${typeof text === "string" ? text : JSON.stringify(text)}\n`);
  }
}

/** Makes plotly.js available to the figures shown after it, offline. Call once, near the top. */
export function initPlotly(mode: PlotlyMode = "server"): void {
  const source = mode === "inline" ? readFileSync(projectRequire().resolve("plotly.js-dist-min/plotly.min.js"), "utf8") : undefined;
  emit({
    data: {
      "text/html": plotlyLoaderHtml(mode, source),
      "text/plain": mode === "inline" ? "plotly.js inlined" : `plotly.js loader (offline: /files/${PLOTLY_BUNDLE_PATH})`,
    },
    metadata: { swapcost: { plotly: mode } },
  });
}

export interface ShowOptions {
  /** Export name: out/figures/<notebook>/<name>.{svg,png,pdf,html} and out/data/<notebook>/<name>.csv. */
  name?: string;
  /** The flat rows behind the figure (exported as CSV through danfojs-node). */
  rows?: readonly object[] | FrameLike;
  /** Export size in CSS pixels (default 900×540). */
  width?: number;
  height?: number;
}

let figureCounter = 0;
let liveCounter = 0;

/** DOM id of a figure: stable for a given notebook and name, so re-runs are byte-identical. */
export function figureId(name: string, notebook = currentExport()?.notebook ?? "nb"): string {
  return `swapcost-${slug(notebook)}-${slug(name)}`;
}

/** The display bundle of a figure (pure apart from the default name counter). */
export function figureBundle(fig: Figure, name: string, o: { notebook?: string; height?: number; staticPng?: string } = {}): OutputBundle {
  return {
    data: {
      [PLOTLY_MIME]: interactiveSpec(fig),
      "text/html": figureHtml(fig, { id: figureId(name, o.notebook), height: o.height, staticPng: o.staticPng, alt: figurePlainText(fig, name) }),
      "text/plain": figurePlainText(fig, name),
    },
    metadata: { swapcost: { figure: name } },
  };
}

/** Rows from a danfojs DataFrame (columns × values) or pass-through for row arrays. */
export function toRows(rows: readonly object[] | FrameLike): readonly Row[] {
  if (Array.isArray(rows)) return rows as readonly Row[];
  const f = rows as FrameLike;
  const cols = f.columns.map(String);
  return (f.values as readonly (readonly unknown[])[]).map((vals) => Object.fromEntries(cols.map((c, i) => [c, vals[i]])));
}

/** Shows a figure interactively and (under `npm start`) requests its export. */
export function show(fig: Figure, opts: ShowOptions | string = {}): void {
  const o: ShowOptions = typeof opts === "string" ? { name: opts } : opts;
  const name = checkExportName(o.name ?? `figure-${++figureCounter}`, "figure");
  const height = o.height ?? DEFAULT_FIGURE_SIZE.height;
  // Interactively, two outputs may reuse a name (re-run cells, copies): make their DOM ids unique.
  // Under `npm start` ids stay a function of notebook and name, so regenerated notebooks are identical.
  const notebook = currentExport()?.notebook ?? `live-${++liveCounter}`;
  emit(figureBundle(fig, name, { notebook, height: Math.min(height, 560) }));
  recordExport({
    kind: "figure",
    name,
    figure: fig,
    ...(o.rows ? { rows: toRows(o.rows) } : {}),
    width: o.width ?? DEFAULT_FIGURE_SIZE.width,
    height,
  });
}

/**
 * Shows a danfojs-node DataFrame (or anything with columns/index/values) as an HTML table.
 * With a `name`, `npm start` also writes it as out/data/<notebook>/<name>.csv.
 */
export function showFrame(df: FrameLike, opts: { name?: string; maxRows?: number; caption?: string } = {}): void {
  emit({
    data: {
      "text/html": frameToHtml(df, { maxRows: opts.maxRows, caption: opts.caption }),
      "text/plain": frameToText(df),
    },
    metadata: opts.name ? { swapcost: { data: opts.name } } : {},
  });
  if (opts.name) recordExport({ kind: "data", name: checkExportName(opts.name, "data"), rows: toRows(df) });
}

/** Mail tables are pasted into linux-mm replies: at most this many columns per line. */
export const TABLE_WIDTH = 72;

/**
 * Throws unless every line of `text` is plain ASCII, has no tab and is at most 72 columns; the
 * message names the table and the first offending line (1-based) and what is wrong with it.
 */
export function checkMailText(name: string, text: string): void {
  const lines = text.replace(/\n$/, "").split("\n");
  lines.forEach((line, i) => {
    const where = `table ${name}, line ${i + 1}`;
    if (line.includes("\t")) throw new Error(`${where}: tab not allowed in a mail table: ${JSON.stringify(line)}`);
    const bad = /[^\x20-\x7e]/.exec(line);
    if (bad) {
      const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      throw new Error(`${where}: non-ASCII character U+${code} at column ${bad.index + 1} (allowed: printable ASCII): ${JSON.stringify(line)}`);
    }
    if (line.length > TABLE_WIDTH) throw new Error(`${where}: ${line.length} columns (allowed: at most ${TABLE_WIDTH}): ${JSON.stringify(line)}`);
  });
}

/**
 * Shows a plain-text mail table and (under `npm start`) writes it to out/tables/<notebook>-<name>.txt.
 * Refuses (throws) a table with a line over 72 columns, a tab or a non-ASCII character.
 */
export function showTable(name: string, text: string): void {
  checkExportName(name, "table");
  const body = text.endsWith("\n") ? text : text + "\n";
  checkMailText(name, body);
  emit({ data: { "text/html": preHtml(body), "text/plain": body }, metadata: { swapcost: { table: name } } });
  recordExport({ kind: "table", name, text: body });
}

/** Markdown output (e.g. a computed conclusion). */
export function showMarkdown(md: string): void {
  emit({ data: { "text/markdown": md, "text/plain": md }, metadata: {} });
}
