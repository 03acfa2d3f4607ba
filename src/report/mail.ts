/**
 * Plain-text tables that paste into a linux-mm reply: ASCII only, no tabs, every line at most 72
 * columns; the configuration first; labels left, numbers right with fixed decimals; the baseline
 * column first and other columns as `value (+d.dd%)` with mmtests semantics (+ means better, the
 * header says which direction is better); the arithmetic under the table; numbered sources.
 *
 * Width is guaranteed by construction, not by luck: a comparison too wide for 72 columns is
 * stacked into blocks that each repeat the label and baseline columns; a label too long for the
 * label column goes on its own line above its values; a column name too long for its column is
 * wrapped over several header lines; and when even one column cannot sit beside the baseline,
 * the table is printed vertically (one `name  value (delta)` line per cell). `finish()` checks the
 * contract on the final text and throws if any line breaks it.
 */
import { ascii, fixed, signedPct, wrap, wrapKeepWords, type Better } from "./format.js";
import type { Source } from "../kernel/sources.js";
import { citeSource } from "../kernel/sources.js";

export const MAIL_WIDTH = 72;
/** Spaces between columns. */
const GAP = 2;
/** Labels longer than this go on their own line above their values. */
const LABEL_CAP = 32;
/** Column names longer than this (and than the column's cells) wrap over several header lines. */
const NAME_CAP = 24;
/** Config keys wider than this go on their own line. */
const KEY_CAP = 18;

export interface MailColumn {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

/** A row of a mail table; fields left out take the table's defaults. */
export interface MailRow {
  /** Label with its unit, e.g. `sys (s)` or `Total static (MiB)`. */
  readonly label: string;
  readonly better?: Better;
  readonly decimals?: number;
  /** Show `(+d.dd%)` against the baseline on this row (default: the table's `deltas`). */
  readonly deltas?: boolean;
}

export interface MailTableSpec {
  readonly title: string;
  readonly config: readonly (readonly [string, string])[];
  /** Row labels, or rows with their own direction/decimals/deltas. */
  readonly rowLabels: readonly (string | MailRow)[];
  /** First column is the baseline. */
  readonly columns: readonly MailColumn[];
  readonly decimals: number;
  readonly better: Better;
  /** e.g. "MiB"; printed in the header line with the better direction ("" when units are in the labels). */
  readonly unit: string;
  /** Show `(+d.dd%)` against the baseline column. */
  readonly deltas: boolean;
  readonly arithmetic?: readonly string[];
  readonly notes?: readonly string[];
  readonly footnotes?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Blocks of text

/** ASCII on one line: labels, column names and cells never carry a newline or a tab into the table. */
function oneLine(s: string): string {
  return ascii(s).replace(/\s/g, " ");
}

/** A configuration block: `key   value`, values wrapped under themselves; long keys on their own line. */
export function configBlock(config: readonly (readonly [string, string])[]): string[] {
  const keys = config.map(([k]) => oneLine(k));
  const keyWidth = Math.min(KEY_CAP, Math.max(0, ...keys.filter((k) => k.length <= KEY_CAP).map((k) => k.length)));
  const lines: string[] = [];
  config.forEach(([, v], i) => {
    const key = keys[i];
    const pad = " ".repeat(keyWidth + 2);
    const body = wrap(ascii(v), MAIL_WIDTH - pad.length);
    if (key.length > keyWidth) {
      lines.push(...wrap(key, MAIL_WIDTH));
      for (const b of body) lines.push(pad + b.trimStart());
      return;
    }
    lines.push(key.padEnd(keyWidth) + "  " + (body[0] ?? ""));
    for (const more of body.slice(1)) lines.push(pad + more.trimStart());
  });
  return lines;
}

/** Footnote lines `[n] text`, wrapped with a hanging indent; Message-IDs and URLs are never split when they fit on a line. */
export function footnoteLines(notes: readonly string[]): string[] {
  const out: string[] = [];
  notes.forEach((n, i) => {
    const tag = `[${i + 1}] `;
    const body = wrapKeepWords(tag + ascii(n).replace(/\s+/g, " "), MAIL_WIDTH, " ".repeat(tag.length));
    out.push(...body);
  });
  return out;
}

/** A source as a mail footnote: lore URLs become their Message-ID so the line stays short. */
export function mailSource(s: Source): string {
  if (s.kind === "mail") return `${s.who}, ${s.date}: ${mailUrl(s.url)}`;
  return citeSource(s);
}

/** `https://lore.kernel.org/all/<id>/` → `<id>`; other URLs unchanged. */
export function mailUrl(url: string): string {
  const m = /^https?:\/\/lore\.kernel\.org\/(?:all|[a-z0-9-]+)\/([^/]+)\/?$/.exec(url);
  return m ? `<${decodeURIComponent(m[1])}>` : url;
}

/** Numbers footnotes in order of first use; the same text always gets the same number. */
export class Footnotes {
  private readonly list: string[] = [];
  /** The 1-based number of `text`, adding it when new. */
  ref(text: string): number {
    let i = this.list.indexOf(text);
    if (i < 0) {
      this.list.push(text);
      i = this.list.length - 1;
    }
    return i + 1;
  }
  /** `[1,3]` for several references, `""` for none. */
  tag(texts: readonly string[]): string {
    const ns = [...new Set(texts.map((t) => this.ref(t)))];
    return ns.length ? `[${ns.join(",")}]` : "";
  }
  get notes(): readonly string[] {
    return this.list;
  }
}

/** Wrapped prose lines (title, paragraphs, arithmetic) with a hanging indent. */
export function prose(text: string, indent = "  "): string[] {
  return wrapKeepWords(ascii(text), MAIL_WIDTH, indent);
}

/**
 * A whole mail: title, configuration, the body (already laid out), then arithmetic, notes and
 * numbered footnotes, each separated by a blank line. Returns the checked text.
 */
export function mailDocument(parts: {
  readonly title: string;
  readonly config?: readonly (readonly [string, string])[];
  readonly body: readonly string[];
  readonly arithmetic?: readonly string[];
  /** A heading over the arithmetic; the items are then indented under it. */
  readonly arithmeticHeading?: string;
  readonly notes?: readonly string[];
  readonly footnotes?: readonly string[];
}): string {
  const lines: string[] = [...wrap(ascii(parts.title), MAIL_WIDTH)];
  if (parts.config?.length) lines.push("", ...configBlock(parts.config));
  if (parts.body.length) lines.push("", ...parts.body);
  if (parts.arithmetic?.length) {
    lines.push("");
    if (parts.arithmeticHeading) {
      lines.push(...prose(parts.arithmeticHeading));
      for (const a of parts.arithmetic) lines.push(...wrapKeepWords(ascii(a), MAIL_WIDTH - 2, "    ").map((l) => `  ${l}`));
    } else for (const a of parts.arithmetic) lines.push(...prose(a));
  }
  if (parts.notes?.length) {
    lines.push("");
    for (const n of parts.notes) lines.push(...prose(n));
  }
  if (parts.footnotes?.length) lines.push("", ...footnoteLines(parts.footnotes));
  return finish(lines);
}

// ---------------------------------------------------------------------------------------------
// The grid: labels left, columns of preformatted cells, stacked to fit

export interface GridColumn {
  readonly header: string;
  readonly cells: readonly string[];
  /** Default right (numbers). */
  readonly align?: "l" | "r";
}

export interface GridSpec {
  readonly labels: readonly string[];
  readonly columns: readonly GridColumn[];
  /** How many leading columns are repeated in every stacked block (1 = the baseline). */
  readonly pinned?: number;
}

interface Col {
  readonly header: string;
  readonly cells: readonly string[];
  readonly align: "l" | "r";
  readonly width: number;
  readonly headerLines: readonly string[];
}

function prepare(c: GridColumn, maxWidth: number): Col {
  const header = oneLine(c.header);
  const cells = c.cells.map(oneLine);
  const cellWidth = Math.max(0, ...cells.map((x) => x.length));
  const width = Math.max(1, cellWidth, Math.min(header.length, Math.max(NAME_CAP, cellWidth), maxWidth));
  const headerLines = header.length <= width ? [header] : wrap(header, width);
  return { header, cells, align: c.align ?? "r", width, headerLines };
}

function pad(s: string, width: number, align: "l" | "r"): string {
  return align === "r" ? s.padStart(width) : s.padEnd(width);
}

function blockLines(labels: readonly string[], labelWidth: number, cols: readonly Col[]): string[] {
  const out: string[] = [];
  const height = Math.max(1, ...cols.map((c) => c.headerLines.length));
  for (let h = 0; h < height; h++) {
    const parts = [" ".repeat(labelWidth)];
    for (const c of cols) {
      const k = h - (height - c.headerLines.length);
      parts.push(pad(k >= 0 ? c.headerLines[k] : "", c.width, c.align === "r" ? "r" : "l"));
    }
    const line = parts.join(" ".repeat(GAP)).replace(/\s+$/, "");
    if (line.length || h === height - 1) out.push(line);
  }
  labels.forEach((label, i) => {
    const own = label.length > labelWidth;
    if (own) out.push(...wrap(label, MAIL_WIDTH, "  "));
    const cells = cols.map((c) => pad(c.cells[i] ?? "", c.width, c.align));
    const head = own ? " ".repeat(labelWidth) : label.padEnd(labelWidth);
    const line = [head, ...cells].join(" ".repeat(GAP)).replace(/\s+$/, "");
    out.push(line);
  });
  return out;
}

function verticalLines(labels: readonly string[], cols: readonly Col[]): string[] {
  const out: string[] = [];
  labels.forEach((label, i) => {
    if (i > 0) out.push("");
    out.push(...wrap(label || "-", MAIL_WIDTH, "  "));
    for (const c of cols) {
      const cell = (c.cells[i] ?? "").trim();
      const one = `  ${c.header}  ${cell}`;
      if (one.length <= MAIL_WIDTH) out.push(one.replace(/\s+$/, ""));
      else {
        out.push(...wrap(c.header, MAIL_WIDTH - 2).map((l) => `  ${l}`));
        out.push(...wrap(cell, MAIL_WIDTH - 4).map((l) => `    ${l}`));
      }
    }
  });
  return out;
}

/**
 * Lay out a labelled grid within 72 columns. Tries, in order: columns side by side (stacked into
 * blocks that repeat the pinned columns); labels on their own lines; one line per cell.
 */
export function mailGrid(spec: GridSpec): string[] {
  const labels = spec.labels.map(oneLine);
  const pinnedCount = Math.min(spec.pinned ?? 0, spec.columns.length);
  // Candidate label widths: every short label length (longer labels then sit on their own line),
  // and 0 (every label on its own line). The layout with the fewest lines wins; ties keep the
  // widest label column.
  const widths = [...new Set(labels.filter((l) => l.length <= LABEL_CAP).map((l) => l.length)), 0].sort((a, b) => b - a);
  let best: string[] | undefined;
  for (const labelWidth of widths) {
    const lines = sideBySide(labels, labelWidth, spec.columns, pinnedCount);
    if (lines && (!best || lines.length < best.length)) best = lines;
  }
  return best ?? verticalLines(labels, spec.columns.map((c) => prepare(c, MAIL_WIDTH - 4)));
}

function sideBySide(labels: readonly string[], labelWidth: number, columns: readonly GridColumn[], pinnedCount: number): string[] | undefined {
  const room = MAIL_WIDTH - labelWidth;
  const cols = columns.map((c) => prepare(c, Math.max(1, room - GAP)));
  const pinned = cols.slice(0, pinnedCount);
  const rest = cols.slice(pinnedCount);
  const fixedWidth = labelWidth + pinned.reduce((a, c) => a + GAP + c.width, 0);
  if (fixedWidth > MAIL_WIDTH || rest.some((c) => fixedWidth + GAP + c.width > MAIL_WIDTH)) return undefined;
  const blocks: Col[][] = [];
  let current: Col[] = [];
  let used = fixedWidth;
  for (const c of rest) {
    if (current.length > 0 && used + GAP + c.width > MAIL_WIDTH) {
      blocks.push(current);
      current = [];
      used = fixedWidth;
    }
    current.push(c);
    used += GAP + c.width;
  }
  if (current.length || blocks.length === 0) blocks.push(current);
  const out: string[] = [];
  blocks.forEach((b, i) => {
    if (i > 0) out.push("");
    out.push(...blockLines(labels, labelWidth, [...pinned, ...b]));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The comparison table: baseline first, deltas with mmtests semantics

function cell(value: number | null, decimals: number): string {
  return value === null ? "-" : fixed(value, decimals);
}

function normRow(r: string | MailRow, spec: MailTableSpec): Required<MailRow> {
  const row = typeof r === "string" ? { label: r } : r;
  return {
    label: row.label,
    better: row.better ?? spec.better,
    decimals: clampDecimals(row.decimals ?? spec.decimals),
    deltas: row.deltas ?? spec.deltas,
  };
}

function clampDecimals(d: number): number {
  return Math.max(0, Math.min(6, Math.floor(d)));
}

/** Percentage change with mmtests' sign: + means better. null when the baseline is 0 (and the value is not). */
function betterPct(value: number, base: number, better: Better): number | null {
  if (base === 0) return value === 0 ? 0 : null;
  const raw = ((value - base) / Math.abs(base)) * 100;
  return better === "lower" ? -raw : raw;
}

/** The table's header line(s): unit, which direction is better, what the delta means. */
function directionHeader(spec: MailTableSpec, rows: readonly Required<MailRow>[], mixed: boolean, baseName: string): string[] {
  const unit = spec.unit ? `${spec.unit}, ` : "";
  const anyDelta = spec.columns.length > 1 && rows.some((r) => r.deltas);
  const delta = anyDelta ? `; (+x.xx%) = better than ${baseName}` : "";
  const dir = mixed ? "[-] lower is better, [+] higher is better" : `${rows.find((r) => r.deltas)?.better ?? spec.better} is better`;
  return wrap(ascii(`${unit}${dir}${delta}`), MAIL_WIDTH);
}

/** The body of a comparison table (header line and the grid), without title or config. */
export function mailTableBody(spec: MailTableSpec): string[] {
  const rows = spec.rowLabels.map((r) => normRow(r, spec));
  const withDelta = rows.filter((r) => r.deltas);
  const mixed = new Set(withDelta.map((r) => r.better)).size > 1;
  const labels = rows.map((r) => (mixed && r.deltas ? `${r.label} [${r.better === "lower" ? "-" : "+"}]` : r.label));
  const base = spec.columns[0];
  if (!base) return [...directionHeader(spec, rows, mixed, "-"), ...mailGrid({ labels, columns: [] })];
  const columns: GridColumn[] = [{ header: base.name, cells: rows.map((r, i) => cell(base.values[i] ?? null, r.decimals)) }];
  for (const col of spec.columns.slice(1)) {
    const values = rows.map((r, i) => cell(col.values[i] ?? null, r.decimals));
    const inner = rows.map((r, i) => {
      const v = col.values[i] ?? null;
      const b = base.values[i] ?? null;
      if (!r.deltas) return null;
      if (v === null || b === null) return "";
      const p = betterPct(v, b, r.better);
      return p === null ? "n/a" : signedPct(p, 2);
    });
    const vw = Math.max(0, ...values.map((v) => v.length));
    const dw = Math.max(0, ...inner.map((d) => (d === null ? 0 : d.length)));
    const cells = values.map((v, i) => {
      const d = inner[i];
      if (dw === 0) return v;
      if (d === null || d === "") return `${v.padStart(vw)}${" ".repeat(dw + 3)}`;
      return `${v.padStart(vw)} (${d.padStart(dw)})`;
    });
    columns.push({ header: col.name, cells });
  }
  return [...directionHeader(spec, rows, mixed, oneLine(base.name)), ...mailGrid({ labels, columns, pinned: 1 })];
}

export function mailTable(spec: MailTableSpec): string {
  return mailDocument({
    title: spec.title,
    config: spec.config,
    body: mailTableBody(spec),
    arithmetic: spec.arithmetic,
    notes: spec.notes,
    footnotes: spec.footnotes,
  });
}

/** Final pass: enforce the contract (ASCII, no tabs, ≤ 72 columns) on any mail text. */
export function finish(lines: readonly string[]): string {
  const out = lines.flatMap((l) => ascii(l).split("\n")).map((l) => l.replace(/\t/g, " ").replace(/\s+$/, ""));
  for (const l of out) {
    if (l.length > MAIL_WIDTH) throw new Error(`mail line over ${MAIL_WIDTH} columns: ${l}`);
  }
  return out.join("\n") + "\n";
}
