/**
 * Pure HTML builders for notebook outputs (no tslab, no browser): the figure bundle, the offline
 * plotly loader, DataFrame tables and preformatted mail tables. Kept pure so vitest can check
 * escaping and determinism; src/notebook/display.ts sends them to the kernel.
 */
import type { Figure } from "../figures/figure.js";
import { figureCaption } from "../figures/caption.js";
import { escapeHtml, scriptJson } from "../figures/escape.js";

export { escapeHtml, scriptJson };

/** The MIME type JupyterLab (with the plotly extension) and VS Code render natively. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Where the plotly bundle is, relative to the project root (served by Jupyter at /files/…). */
export const PLOTLY_BUNDLE_PATH = "node_modules/plotly.js-dist-min/plotly.min.js";


/** A DOM id from free text: lowercase letters, digits and dashes. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "x";
}

/** The figure as the notebook front end draws it (responsive, no plotly logo link). */
export function interactiveSpec(fig: Figure): Figure {
  return {
    data: fig.data,
    layout: fig.layout,
    config: { responsive: true, displaylogo: false, ...fig.config },
  };
}

export interface FigureHtmlOptions {
  /** DOM id of the figure's div; must be unique in the page. */
  id: string;
  /** Height of the interactive plot in CSS pixels. */
  height?: number;
  /** A static PNG (base64) shown until plotly draws, and instead of it where scripts do not run (GitHub, nbviewer, untrusted notebooks). */
  staticPng?: string;
  /** Alt text for the static image. */
  alt?: string;
}

/**
 * The text/html part of a figure output: a div holding the static PNG (if any), and a script
 * that replaces it with the interactive plot once plotly.js is available (see plotlyLoaderHtml).
 */
export function figureHtml(fig: Figure, o: FigureHtmlOptions): string {
  const height = o.height ?? 460;
  const id = JSON.stringify(o.id);
  const img = o.staticPng
    ? `<img src="data:image/png;base64,${o.staticPng}" alt="${escapeHtml(o.alt ?? "figure")}" style="max-width:100%;height:auto"/>`
    : "";
  return [
    `<div id="${escapeHtml(o.id)}" class="swapcost-figure" style="width:100%;max-width:980px">${img}</div>`,
    `<script type="text/javascript">(function () {`,
    `  var fig = ${scriptJson(interactiveSpec(fig))};`,
    `  var el = document.getElementById(${id});`,
    `  if (!el) return;`,
    `  function draw(P) { el.innerHTML = ""; el.style.height = "${height}px"; P.newPlot(el, fig.data, fig.layout, fig.config); }`,
    `  function missing() { if (!el.querySelector("img")) el.innerHTML = "<em>plotly.js is not loaded: run initPlotly() in this notebook first</em>"; }`,
    `  if (window.Plotly) draw(window.Plotly);`,
    `  else if (window.__swapcostPlotly) window.__swapcostPlotly.then(draw, missing);`,
    `  else missing();`,
    `})();</script>`,
  ].join("\n");
}

/** text/plain for a figure: what terminals, diffs and `nbconvert --to markdown` show. */
export function figurePlainText(fig: Figure, name: string): string {
  const title = typeof fig.layout.title === "object" && fig.layout.title !== null ? fig.layout.title.text : fig.layout.title;
  const names = fig.data.map((d) => (d as { name?: string }).name).filter((n): n is string => typeof n === "string");
  const lines = [`[figure ${name}] ${title ?? ""}`.trimEnd()];
  if (names.length) lines.push(`traces: ${names.join(", ")}`);
  const caption = figureCaption(fig);
  if (caption) lines.push(caption);
  return lines.join("\n");
}

export type PlotlyMode = "server" | "inline";

/**
 * The text/html output that makes plotly.js available to the figures below it, offline.
 * - "server": a ~1 KB loader that fetches the bundle from the notebook server's /files/ route
 *   (`npm run notebook` serves the project root), for committed notebooks.
 * - "inline": the whole bundle (~4.8 MB) inlined, for notebooks exported to standalone HTML.
 * Never a CDN.
 */
export function plotlyLoaderHtml(mode: PlotlyMode, bundleSource?: string): string {
  const status = `<div class="swapcost-plotly-status" style="font-size:12px;color:#666">Interactive figures need plotly.js, loaded offline from the project (open with <code>npm run notebook</code>); the static images below are the exported figures.</div>`;
  if (mode === "inline") {
    if (!bundleSource) throw new TypeError("plotlyLoaderHtml: inline mode needs the plotly bundle source");
    return [
      `<script type="text/javascript">${bundleSource.replace(/<\/script/gi, "<\\/script")}</script>`,
      `<script type="text/javascript">window.__swapcostPlotly = Promise.resolve(window.Plotly);</script>`,
      `<div class="swapcost-plotly-status" style="font-size:12px;color:#666">plotly.js inlined in this notebook.</div>`,
    ].join("\n");
  }
  return [
    status,
    `<script type="text/javascript">(function () {`,
    `  // NB6 inserts outputs with jQuery, so document.currentScript is null: update every status line.`,
    `  function say(t) { var b = document.querySelectorAll(".swapcost-plotly-status"); for (var i = 0; i < b.length; i++) b[i].textContent = t; }`,
    `  if (window.Plotly) { window.__swapcostPlotly = Promise.resolve(window.Plotly); say("plotly.js " + window.Plotly.version + " loaded (offline)."); return; }`,
    `  if (!window.__swapcostPlotly) {`,
    `    var base = (document.body && document.body.getAttribute("data-base-url")) || "/";`,
    `    window.__swapcostPlotly = new Promise(function (resolve, reject) {`,
    `      var s = document.createElement("script");`,
    `      s.src = base + "files/${PLOTLY_BUNDLE_PATH}";`,
    `      s.onload = function () { window.Plotly ? resolve(window.Plotly) : reject(new Error("no window.Plotly")); };`,
    `      s.onerror = function () { reject(new Error("cannot load " + s.src)); };`,
    `      document.head.appendChild(s);`,
    `    });`,
    `  }`,
    `  window.__swapcostPlotly.then(function (P) { say("plotly.js " + P.version + " loaded (offline, from the project's node_modules)."); },`,
    `    function (e) { say("plotly.js could not be loaded (" + e.message + "): start Jupyter at the project root with npm run notebook. Static images are shown instead."); });`,
    `})();</script>`,
  ].join("\n");
}

/** The subset of a danfojs-node DataFrame that frameToHtml reads. */
export interface FrameLike {
  readonly columns: readonly (string | number)[];
  readonly index: readonly (string | number)[];
  readonly values: readonly (readonly unknown[])[] | readonly unknown[];
  readonly shape?: readonly number[];
}

/** Cell text: integers as is, other numbers with 6 significant digits, null/undefined/NaN empty-ish. */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
    return String(Number(v.toPrecision(6)));
  }
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v) ?? String(v);
}

function frameRows(f: FrameLike): unknown[][] {
  const vals = f.values as readonly unknown[];
  if (vals.length > 0 && !Array.isArray(vals[0])) return vals.map((v) => [v]); // a Series
  return (vals as readonly (readonly unknown[])[]).map((r) => [...r]);
}

/**
 * A DataFrame as a pandas-style HTML table (`class="dataframe"`, which Jupyter styles), with every
 * header and cell escaped, at most `maxRows` rows (head and tail, with a "…" row between).
 */
export function frameToHtml(f: FrameLike, o: { maxRows?: number; index?: boolean; caption?: string } = {}): string {
  const maxRows = o.maxRows ?? 60;
  const showIndex = o.index ?? true;
  const rows = frameRows(f);
  const cols = f.columns.map(String);
  const n = rows.length;
  const cut = n > maxRows;
  const head = cut ? Math.ceil(maxRows / 2) : n;
  const tail = cut ? Math.floor(maxRows / 2) : 0;
  const picks: Array<number | null> = [];
  for (let i = 0; i < head; i++) picks.push(i);
  if (cut) picks.push(null);
  for (let i = n - tail; i < n; i++) picks.push(i);
  const num = (v: unknown) => typeof v === "number";
  const out: string[] = [];
  out.push(`<table border="1" class="dataframe">`);
  if (o.caption) out.push(`<caption>${escapeHtml(o.caption)}</caption>`);
  out.push(`<thead><tr style="text-align: right;">${showIndex ? "<th></th>" : ""}${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`);
  out.push(`<tbody>`);
  for (const i of picks) {
    if (i === null) {
      out.push(`<tr>${showIndex ? "<th>…</th>" : ""}${cols.map(() => "<td>…</td>").join("")}</tr>`);
      continue;
    }
    const idx = showIndex ? `<th>${escapeHtml(formatCell(f.index[i]))}</th>` : "";
    const cells = rows[i].map((v) => `<td${num(v) ? ' style="text-align: right;"' : ""}>${escapeHtml(formatCell(v))}</td>`).join("");
    out.push(`<tr>${idx}${cells}</tr>`);
  }
  out.push(`</tbody>`);
  out.push(`</table>`);
  out.push(`<p style="font-size:12px;color:#666">${n} rows × ${cols.length} columns</p>`);
  return out.join("\n");
}

/** The same table as aligned plain text (text/plain part; numbers right-aligned). */
export function frameToText(f: FrameLike, o: { maxRows?: number } = {}): string {
  const maxRows = o.maxRows ?? 20;
  const rows = frameRows(f);
  const cols = f.columns.map(String);
  const n = rows.length;
  const shown = n > maxRows ? [...rows.slice(0, Math.ceil(maxRows / 2)), null, ...rows.slice(n - Math.floor(maxRows / 2))] : rows;
  const table: string[][] = [["", ...cols]];
  let k = 0;
  for (const r of shown) {
    if (r === null) {
      table.push(["…", ...cols.map(() => "…")]);
      k = n - Math.floor(maxRows / 2);
      continue;
    }
    table.push([formatCell(f.index[k]), ...r.map(formatCell)]);
    k++;
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const lines = table.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ").trimEnd());
  lines.push(`[${n} rows × ${cols.length} columns]`);
  return lines.join("\n");
}

/** A preformatted block (mail tables): monospace, escaped, no wrapping. */
export function preHtml(text: string): string {
  return `<pre style="font-family:monospace;white-space:pre;line-height:1.25">${escapeHtml(text)}</pre>`;
}
