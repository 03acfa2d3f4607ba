/**
 * Flat rows → CSV through danfojs-node (`new DataFrame(rows)` then `toCSV`). danfojs 1.2.0 writes
 * cells raw, so strings with commas, quotes or line breaks are quoted here first (RFC 4180), and
 * missing keys become empty cells. Columns keep first-seen order.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type { Row } from "./manifest.js";

interface Danfo {
  DataFrame: new (data: unknown, options?: { columns?: string[] }) => unknown;
  toCSV(df: unknown): string;
}

let danfo: Danfo | undefined;

/** danfojs-node, loaded on first use (~0.8 s). */
export function loadDanfo(): Danfo {
  danfo ??= createRequire(path.resolve("package.json"))("danfojs-node") as Danfo;
  return danfo;
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows made safe for danfojs' unquoted writer: every row has every column; strings quoted when needed. */
export function csvReadyRows(rows: readonly Row[]): { columns: string[]; rows: Record<string, unknown>[] } {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), columns.push(k));
  const out = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const c of columns) {
      const v = r[c];
      if (v === undefined || v === null) o[c] = "";
      else if (typeof v === "string") o[c] = quote(v);
      else if (typeof v === "number" || typeof v === "boolean") o[c] = v;
      else o[c] = quote(JSON.stringify(v));
    }
    return o;
  });
  return { columns: columns.map(quote), rows: out };
}

/** CSV text for `rows` (header line, "\n" line ends, trailing newline). */
export function rowsToCsv(rows: readonly Row[], dfd: Danfo = loadDanfo()): string {
  if (rows.length === 0) return "";
  const ready = csvReadyRows(rows);
  const data = ready.rows.map((r) => Object.values(r));
  const df = new dfd.DataFrame(data, { columns: ready.columns });
  const csv = dfd.toCSV(df);
  return csv.endsWith("\n") ? csv : csv + "\n";
}
