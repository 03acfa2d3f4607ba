/**
 * Plain-text tables that paste into a linux-mm reply: ASCII only, no tabs, every line at most 72
 * columns; the configuration first; labels left, numbers right with fixed decimals; the baseline
 * column first and other columns as `value (+d.dd%)` with mmtests semantics (+ means better, the
 * header says which direction is better); the arithmetic under the table; numbered sources.
 * Comparisons too wide for 72 columns are stacked into blocks that each repeat the baseline.
 */
import { ascii, fixed, fmtPct, pctChange, wrap, type Better } from "./format.js";
import type { Source } from "../kernel/sources.js";
import { citeSource } from "../kernel/sources.js";

export const MAIL_WIDTH = 72;

export interface MailColumn {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

export interface MailTableSpec {
  readonly title: string;
  readonly config: readonly (readonly [string, string])[];
  readonly rowLabels: readonly string[];
  /** First column is the baseline. */
  readonly columns: readonly MailColumn[];
  readonly decimals: number;
  readonly better: Better;
  /** e.g. "MiB"; printed in the header line with the better direction. */
  readonly unit: string;
  /** Show `(+d.dd%)` against the baseline column. */
  readonly deltas: boolean;
  readonly arithmetic?: readonly string[];
  readonly notes?: readonly string[];
  readonly footnotes?: readonly string[];
}

/** A configuration block: `key   value`, values wrapped under themselves. */
export function configBlock(config: readonly (readonly [string, string])[]): string[] {
  const keyWidth = Math.min(18, Math.max(0, ...config.map(([k]) => ascii(k).length)));
  const lines: string[] = [];
  for (const [k, v] of config) {
    const head = ascii(k).padEnd(keyWidth) + "  ";
    const body = wrap(ascii(v), MAIL_WIDTH - head.length);
    lines.push(head + (body[0] ?? ""));
    for (const more of body.slice(1)) lines.push(" ".repeat(head.length) + more.trimStart());
  }
  return lines;
}

function cell(value: number | null, decimals: number): string {
  return value === null ? "-" : fixed(value, decimals);
}

/** Footnote lines `[n] text`, wrapped with a hanging indent. */
export function footnoteLines(notes: readonly string[]): string[] {
  const out: string[] = [];
  notes.forEach((n, i) => {
    const tag = `[${i + 1}] `;
    const body = wrap(ascii(n), MAIL_WIDTH - tag.length);
    out.push(tag + (body[0] ?? ""));
    for (const more of body.slice(1)) out.push(" ".repeat(tag.length) + more.trimStart());
  });
  return out;
}

/** A source as a mail footnote: lore URLs become their Message-ID so the line stays short. */
export function mailSource(s: Source): string {
  if (s.kind === "mail") {
    const m = /^https?:\/\/lore\.kernel\.org\/(?:all|[a-z-]+)\/([^/]+)\/?$/.exec(s.url);
    const where = m ? `<${decodeURIComponent(m[1])}>` : s.url;
    return `${s.who}, ${s.date}: ${where}`;
  }
  return citeSource(s);
}

export function mailTable(spec: MailTableSpec): string {
  const lines: string[] = [];
  lines.push(...wrap(ascii(spec.title), MAIL_WIDTH));
  lines.push("");
  lines.push(...configBlock(spec.config));
  lines.push("");

  const labels = spec.rowLabels.map(ascii);
  const labelWidth = Math.max(...labels.map((l) => l.length), 4);
  const base = spec.columns[0];
  const baseCells = base.values.map((v) => cell(v, spec.decimals));
  const valueCells = (col: MailColumn) => col.values.map((v) => cell(v, spec.decimals));
  const deltaCells = (col: MailColumn) =>
    col.values.map((v, i) => {
      const b = base.values[i];
      return v === null || b === null ? "" : fmtPct(pctChange(v, b, spec.better), 7);
    });
  const width = (cells: readonly string[], name: string) => Math.max(ascii(name).length, ...cells.map((c) => c.length));
  const baseWidth = width(baseCells, base.name);
  const others = spec.columns.slice(1).map((c) => {
    const vals = valueCells(c);
    const ds = spec.deltas ? deltaCells(c) : vals.map(() => "");
    const vw = Math.max(...vals.map((v) => v.length));
    const dw = Math.max(0, ...ds.map((d) => d.length));
    const cells = vals.map((v, i) => (dw ? `${v.padStart(vw)} ${ds[i].padStart(dw)}` : v.padStart(vw)));
    return { name: ascii(c.name), cells, width: Math.max(ascii(c.name).length, ...cells.map((x) => x.length)) };
  });

  // Stack columns into blocks that fit.
  const gap = 2;
  const fixedWidth = labelWidth + gap + baseWidth;
  const blocks: (typeof others)[] = [];
  let current: typeof others = [];
  let used = fixedWidth;
  for (const col of others) {
    const need = gap + col.width;
    if (current.length > 0 && used + need > MAIL_WIDTH) {
      blocks.push(current);
      current = [];
      used = fixedWidth;
    }
    current.push(col);
    used += need;
  }
  if (current.length || blocks.length === 0) blocks.push(current);

  const header = `${spec.unit}, ${spec.better} is better${spec.deltas && others.length ? "; (+x.xx%) = better than " + ascii(base.name) : ""}`;
  lines.push(...wrap(header, MAIL_WIDTH));
  blocks.forEach((block, bi) => {
    if (bi > 0) lines.push("");
    const head = [" ".repeat(labelWidth), ascii(base.name).padStart(baseWidth), ...block.map((c) => c.name.padStart(c.width))].join(" ".repeat(gap));
    lines.push(head.replace(/\s+$/, ""));
    labels.forEach((label, i) => {
      const row = [label.padEnd(labelWidth), baseCells[i].padStart(baseWidth), ...block.map((c) => c.cells[i].padStart(c.width))].join(" ".repeat(gap));
      lines.push(row.replace(/\s+$/, ""));
    });
  });

  if (spec.arithmetic?.length) {
    lines.push("");
    for (const a of spec.arithmetic) lines.push(...wrap(ascii(a), MAIL_WIDTH, "  "));
  }
  if (spec.notes?.length) {
    lines.push("");
    for (const n of spec.notes) lines.push(...wrap(ascii(n), MAIL_WIDTH, "  "));
  }
  if (spec.footnotes?.length) {
    lines.push("");
    lines.push(...footnoteLines(spec.footnotes));
  }
  return finish(lines);
}

/** Final pass: enforce the contract (ASCII, no tabs, ≤ 72 columns) on any mail text. */
export function finish(lines: readonly string[]): string {
  const out = lines.map((l) => ascii(l).replace(/\t/g, " ").replace(/\s+$/, ""));
  for (const l of out) {
    if (l.length > MAIL_WIDTH) throw new Error(`mail line over ${MAIL_WIDTH} columns: ${l}`);
  }
  return out.join("\n") + "\n";
}
