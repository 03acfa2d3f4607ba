/**
 * Export requests: how figures, tables and data get from a notebook to out/.
 *
 * When `npm start` (scripts/notebooks.ts) executes a notebook it sets SWAPCOST_NOTEBOOK (the
 * notebook's name) and SWAPCOST_MANIFEST (a JSON-lines file under out/). The display helpers then
 * append one record per figure, mail table or data frame they show. After the notebook has run, the
 * runner reads the manifest and renders every figure with one shared Chromium. Opened interactively
 * (no SWAPCOST_MANIFEST), the helpers only display: nothing is written.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { Figure } from "../figures/figure.js";

export type Row = Readonly<Record<string, unknown>>;

export interface FigureRecord {
  kind: "figure";
  name: string;
  figure: Figure;
  /** The flat rows the figure was built from (written as CSV to out/data/<notebook>/<name>.csv). */
  rows?: readonly Row[];
  /** Export size in CSS pixels. */
  width: number;
  height: number;
}

export interface TableRecord {
  kind: "table";
  name: string;
  /** Plain ASCII mail table (written to out/tables/<notebook>-<name>.txt). */
  text: string;
}

export interface DataRecord {
  kind: "data";
  name: string;
  rows: readonly Row[];
}

export type ExportRecord = FigureRecord | TableRecord | DataRecord;

export const ENV_MANIFEST = "SWAPCOST_MANIFEST";
export const ENV_NOTEBOOK = "SWAPCOST_NOTEBOOK";

/** Export names become file names: letters, digits, dot, dash, underscore; starts with a letter or digit. */
export const EXPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export function checkExportName(name: string, what: string): string {
  if (typeof name !== "string" || !EXPORT_NAME.test(name)) {
    throw new TypeError(`${what} name ${JSON.stringify(name)} is not usable as a file name: use letters, digits, '.', '-' or '_' (at most 80)`);
  }
  return name;
}

/** The notebook being executed by the runner, or undefined when used interactively. */
export function currentExport(env: NodeJS.ProcessEnv = process.env): { notebook: string; manifest: string } | undefined {
  const manifest = env[ENV_MANIFEST];
  const notebook = env[ENV_NOTEBOOK];
  return manifest && notebook ? { notebook, manifest } : undefined;
}

/** Appends a record when running under the runner; returns whether it was recorded. */
export function recordExport(rec: ExportRecord, env: NodeJS.ProcessEnv = process.env): boolean {
  const cur = currentExport(env);
  if (!cur) return false;
  appendFileSync(cur.manifest, JSON.stringify(rec) + "\n");
  return true;
}

/** Reads a manifest; a missing file is an empty manifest. Rejects duplicate names per kind. */
export function readManifest(file: string): ExportRecord[] {
  if (!existsSync(file)) return [];
  const recs: ExportRecord[] = [];
  const seen = new Set<string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as ExportRecord;
    const key = `${rec.kind === "data" ? "figure" : rec.kind}:${rec.name}`; // data and figures share out/data names
    if (seen.has(key)) throw new Error(`two ${rec.kind === "table" ? "tables" : "figures or data frames"} are named ${JSON.stringify(rec.name)}: export names must be unique per notebook`);
    seen.add(key);
    recs.push(rec);
  }
  return recs;
}
