/**
 * Number formatting and delta semantics shared by every table.
 *
 * Delta semantics follow mmtests (Stat.pm pdiff/pndiff): the printed percentage is positive when
 * the value is better than the baseline, the baseline shows 0.00%, two decimals. Every table header
 * says which direction is better.
 */
import { MiB } from "../units/bytes.js";

export type Better = "lower" | "higher";

/** Percentage change with mmtests' sign: + means better. null when the baseline is 0. */
export function pctChange(value: number, base: number, better: Better): number | null {
  if (base === 0) return value === 0 ? 0 : null;
  const raw = ((value - base) / Math.abs(base)) * 100;
  return better === "lower" ? -raw : raw;
}

export function fmtPct(p: number | null, width = 8): string {
  if (p === null) return "(n/a)".padStart(width + 2);
  const s = `${p >= 0 ? "+" : ""}${p.toFixed(2)}%`;
  return `(${s.padStart(width)})`;
}

export function fixed(n: number, decimals: number): string {
  if (!Number.isFinite(n)) return "n/a";
  const s = n.toFixed(decimals);
  return s === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : s;
}

export function mib(bytes: number, decimals = 2): string {
  return fixed(bytes / MiB, decimals);
}

export function perUnit(n: number | null, decimals = 3): string {
  return n === null ? "-" : fixed(n, decimals);
}

export function intWithSep(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Left-pad/right-pad cells into aligned columns. `align`: 'l' or 'r' per column. */
export function alignRows(rows: readonly (readonly string[])[], align: readonly ("l" | "r")[], gap = 2): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (align[i] === "r" ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join(" ".repeat(gap))
      .replace(/\s+$/, ""),
  );
}

/**
 * Wrap prose to `width` columns (for notes and footnotes); continuation lines start with
 * `indent`. A word longer than the width (a long URL or Message-ID) is broken hard, so no line
 * is ever longer than `width`. The indent is dropped when it would leave no room for text.
 */
export function wrap(text: string, width: number, indent = ""): string[] {
  const w = Math.max(1, Math.floor(width));
  const ind = indent.length < w ? indent : "";
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length > w && line) {
      lines.push(line);
      line = ind + word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines.flatMap((l) => {
    const out: string[] = [];
    let rest = l;
    while (rest.length > w) {
      out.push(rest.slice(0, w));
      rest = ind + rest.slice(w);
    }
    out.push(rest);
    return out;
  });
}

/**
 * Like wrap(), but a word too long for an indented continuation line (a Message-ID, a URL) goes
 * on a line of its own without the indent when that lets it stay whole; only a word longer than
 * the full width is broken.
 */
export function wrapKeepWords(text: string, width: number, indent: string): string[] {
  const w = Math.max(1, Math.floor(width));
  const ind = indent.length < w ? indent : "";
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!line) {
      line = lines.length === 0 || ind.length + word.length <= w ? (lines.length ? ind : "") + word : word;
    } else if (line.length + 1 + word.length <= w) {
      line = `${line} ${word}`;
    } else {
      lines.push(line);
      line = ind.length + word.length <= w ? ind + word : word;
    }
    while (line.length > w) {
      lines.push(line.slice(0, w));
      line = line.slice(w);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** `+1.23%` / `-0.50%` / `+0.00%`: a signed percentage with fixed decimals (no parentheses). */
export function signedPct(p: number, decimals = 2): string {
  const s = fixed(p, decimals);
  return `${s.startsWith("-") ? "" : "+"}${s}%`;
}

/** Replace non-ASCII characters with ASCII equivalents (mail output must be plain ASCII). */
export function ascii(s: string): string {
  return s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/\u00d7/g, "x")
    .replace(/\u2192/g, "->")
    .replace(/\u2190/g, "<-")
    .replace(/\u2264/g, "<=")
    .replace(/\u2265/g, ">=")
    .replace(/\u2248/g, "~")
    .replace(/\u2308|\u2309/g, "")
    .replace(/\u00b7/g, "*")
    .replace(/\u2212/g, "-")
    .replace(/[^\x20-\x7e\n]/g, "?");
}
