/**
 * .ipynb (nbformat 4.5) handling for the runner: preparing a notebook for execution (papermill-style
 * parameter injection), normalising what nbconvert returns so re-runs are byte-identical, adding
 * the static figure images, and serialising like nbformat does (sorted keys, one-space indent,
 * multi-line strings split into lists). Pure: no files, no processes.
 */
import type { NotebookCell } from "./params.js";
import { cellSource, findParamsCell, injectedParamsSource, type ParamValue } from "./params.js";

export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface Cell extends NotebookCell {
  outputs?: Output[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export const INJECTED_TAG = "injected-parameters";

function joined(v: unknown): unknown {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? v.join("") : v;
}

/** Reads .ipynb text; multi-line fields are joined into strings. */
export function parseNotebook(text: string): Notebook {
  const nb = JSON.parse(text) as Notebook;
  if (!Array.isArray(nb.cells) || nb.nbformat !== 4) throw new Error("not an nbformat 4 notebook");
  for (const c of nb.cells) {
    c.source = joined(c.source) as string;
    for (const o of c.outputs ?? []) {
      if (o.text !== undefined) o.text = joined(o.text) as string;
      if (o.data) for (const k of Object.keys(o.data)) if (!isJsonMime(k)) o.data[k] = joined(o.data[k]);
    }
  }
  return nb;
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

/**
 * The notebook to execute: previous injected-parameters cells removed, outputs cleared, and (with
 * overrides) a new injected-parameters cell after the parameters cell, as papermill does.
 */
export function prepareForRun(nb: Notebook, overrides: Readonly<Record<string, ParamValue>> | undefined, how: string): Notebook {
  const cells: Cell[] = nb.cells
    .filter((c) => !(c.metadata?.tags ?? []).includes(INJECTED_TAG))
    .map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : { ...c }));
  if (overrides && Object.keys(overrides).length > 0) {
    const at = findParamsCell(cells);
    if (at < 0) throw new Error("the notebook has no parameters cell to override");
    cells.splice(at + 1, 0, {
      cell_type: "code",
      id: INJECTED_TAG,
      metadata: { tags: [INJECTED_TAG] },
      execution_count: null,
      outputs: [],
      source: injectedParamsSource(overrides, how),
    });
  }
  return { ...nb, cells };
}

/** Merges consecutive stream outputs of the same stream (message chunking varies between runs). */
export function coalesceStreams(outputs: readonly Output[]): Output[] {
  const out: Output[] = [];
  for (const o of outputs) {
    const prev = out[out.length - 1];
    if (o.output_type === "stream" && prev && prev.output_type === "stream" && prev.name === o.name) {
      out[out.length - 1] = { ...prev, text: String(joined(prev.text)) + String(joined(o.text)) };
    } else {
      out.push({ ...o });
    }
  }
  return out;
}

/**
 * What the runner keeps of an executed notebook: cell sources, ids and metadata from `source`
 * (minus kernel timing), outputs from `executed` (streams coalesced), notebook metadata from
 * `source` plus the executed kernel's language_info. Throws if the cells do not line up.
 */
export function normaliseExecuted(source: Notebook, executed: Notebook): Notebook {
  if (source.cells.length !== executed.cells.length) {
    throw new Error(`nbconvert returned ${executed.cells.length} cells for ${source.cells.length}`);
  }
  const cells = source.cells.map((c, i) => {
    const e = executed.cells[i];
    const metadata = { ...(c.metadata ?? {}) };
    delete (metadata as Record<string, unknown>).execution;
    delete (metadata as Record<string, unknown>).collapsed;
    if (c.cell_type !== "code") return { ...c, metadata };
    return { ...c, metadata, execution_count: null, outputs: coalesceStreams(e.outputs ?? []) };
  });
  const metadata: Record<string, unknown> = { ...source.metadata };
  if (executed.metadata.language_info) metadata.language_info = executed.metadata.language_info;
  return { cells, metadata, nbformat: 4, nbformat_minor: Math.max(5, source.nbformat_minor ?? 5) };
}

/** Calls `f` for every output that a display helper marked as figure `name` (metadata.swapcost.figure). */
export function figureOutputs(nb: Notebook): Array<{ name: string; output: Output }> {
  const hits: Array<{ name: string; output: Output }> = [];
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      const tag = (o.metadata?.swapcost as { figure?: unknown } | undefined)?.figure;
      if (o.output_type === "display_data" && typeof tag === "string") hits.push({ name: tag, output: o });
    }
  }
  return hits;
}

/** Texts written to stderr by each code cell (tslab reports errors, type errors included, there). */
export function stderrOf(cell: Cell): string {
  return (cell.outputs ?? [])
    .filter((o) => o.output_type === "stream" && o.name === "stderr")
    .map((o) => String(joined(o.text)))
    .join("");
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  return v;
}

/** Python's str.splitlines(keepends=True) for the "\n" line ends notebooks use. */
export function splitLines(s: string): string[] {
  const parts = s.split(/(?<=\n)/);
  return parts.length === 1 && parts[0] === "" ? [] : parts;
}

/** Serialises like nbformat.writes: multi-line strings as lists, sorted keys, indent 1, trailing newline. */
export function serialiseNotebook(nb: Notebook): string {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  for (const c of copy.cells) {
    c.source = splitLines(cellSource(c));
    for (const o of c.outputs ?? []) {
      if (typeof o.text === "string") o.text = splitLines(o.text);
      if (o.data) for (const k of Object.keys(o.data)) if (!isJsonMime(k) && typeof o.data[k] === "string") o.data[k] = splitLines(o.data[k] as string);
    }
  }
  return JSON.stringify(sortKeys(copy), null, 1) + "\n";
}
