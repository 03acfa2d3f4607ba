/**
 * Notebook parameters, papermill's convention in TypeScript: the first code cell of a notebook
 * (tagged "parameters") holds a single object literal,
 *
 *     const params = {
 *       swapSizeBytes: "32G",
 *       usedPercents: [0, 25, 50, 75, 100],
 *     };
 *
 * and `npm start -- --set 01.swapSizeBytes=64G` or `--params file.json` overrides it: the runner
 * inserts a cell tagged "injected-parameters" right after it (as papermill does) containing
 * `Object.assign(params, {...})`. Values are checked before anything runs: the key must exist, the
 * value must have the default's type, and key-name rules (src/notebook/param-rules.ts: `…Bytes` is
 * a size, `…Percent(s)` is 0..100, a list is not empty, `…Design` is one design, …) apply, then the
 * notebook's cross-parameter rules (CROSS_RULES: 01.focusPercent must be one of 01.usedPercents, …) on
 * its defaults with the overrides applied. Every problem is one line naming the notebook, the key,
 * the value and what is allowed.
 *
 * Pure: the runner and the notebook helpers share this module; nothing here touches the kernel.
 */
import * as vm from "node:vm";
import { CROSS_RULES, PARAM_RULES, type CrossRule, type ParamRule } from "./param-rules.js";

export type ParamScalar = string | number | boolean;
export type ParamValue = ParamScalar | readonly ParamScalar[];
export type Params = Readonly<Record<string, ParamValue>>;

/** A bad parameter, key or argument: the runner prints `message` as one line and exits 2. */
export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParamError";
  }
}

export function isParamError(e: unknown): e is ParamError {
  return e instanceof ParamError;
}

function show(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

function typeName(v: ParamValue): string {
  if (Array.isArray(v)) return v.length ? `a list of ${typeof v[0]}s` : "a list";
  return `a ${typeof v}`;
}

/** The rules that apply to `key` (by name), in order. */
export function rulesFor(key: string, rules: readonly ParamRule[] = PARAM_RULES): ParamRule[] {
  return rules.filter((r) => r.applies(key));
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function scalarFromText(text: string, like: ParamScalar | undefined, def: ParamValue, where: string, key: string): ParamScalar {
  const t = text.trim();
  if (typeof like === "number") {
    if (!NUMBER.test(t)) throw new ParamError(`${where}: ${key} must be ${Array.isArray(def) ? "a list of numbers" : "a number"} (default ${show(def)}), got ${show(text)}`);
    return Number(t);
  }
  if (typeof like === "boolean") {
    if (/^(true|yes|1|on)$/i.test(t)) return true;
    if (/^(false|no|0|off)$/i.test(t)) return false;
    throw new ParamError(`${where}: ${key} must be true or false (default ${show(def)}), got ${show(text)}`);
  }
  return t;
}

/** A value as typed on the command line (`--set key=text`) converted to the default's type. */
export function valueFromText(text: string, def: ParamValue, where: string, key: string): ParamValue {
  if (Array.isArray(def)) {
    const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
    return items.map((s) => scalarFromText(s, def[0], def, where, key));
  }
  return scalarFromText(text, def as ParamScalar, def, where, key);
}

function sameShape(v: unknown, def: ParamValue): boolean {
  if (Array.isArray(def)) {
    if (!Array.isArray(v)) return false;
    const t = def.length ? typeof def[0] : undefined;
    return v.every((x) => (t ? typeof x === t : ["string", "number", "boolean"].includes(typeof x)));
  }
  return typeof v === typeof def;
}

/**
 * Checks one value against the default's type and the key rules; returns the value to inject.
 * `raw` is command-line text (`fromText`, from `--set`: converted to the default's type) or a JSON
 * value (from `--params` or a params object: must already have the default's type).
 */
export function checkParam(key: string, raw: unknown, def: ParamValue, where: string, rules: readonly ParamRule[] = PARAM_RULES, fromText = typeof raw === "string"): ParamValue {
  let value: unknown = raw;
  const applicable = rulesFor(key, rules);
  if (fromText && typeof raw === "string" && typeof def !== "string") {
    // Rules that read text (sizes) get the text itself (split into items for lists).
    value = applicable.some((r) => r.parsesText)
      ? (Array.isArray(def) ? raw.split(",").map((s) => s.trim()).filter((s) => s !== "") : raw.trim())
      : valueFromText(raw, def, where, key);
  }
  // A rule may accept another spelling (e.g. "64G" for a numeric …Bytes default) and normalise it.
  for (const rule of applicable) {
    const r = rule.check(value, def);
    if (!r.ok) throw new ParamError(`${where}: ${key} must be ${rule.allowed} (default ${show(def)}), got ${show(raw)}${r.why ? `: ${r.why}` : ""}`);
    value = r.value;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new ParamError(`${where}: ${key} must be a finite number, got ${show(raw)}`);
  if (!sameShape(value, def)) throw new ParamError(`${where}: ${key} must be ${typeName(def)} like its default ${show(def)}, got ${show(raw)}`);
  return value as ParamValue;
}

/** Checks a whole params object against the key rules (used inside notebooks: `checkParams(params)`). */
export function checkParams<T extends Params>(params: T, where = "params", rules: readonly ParamRule[] = PARAM_RULES): T {
  for (const [k, v] of Object.entries(params)) checkParam(k, v, v, where, rules, false);
  return params;
}

// ---------------------------------------------------------------------------------------------
// Reading the parameters cell of a notebook (.ipynb JSON)
// ---------------------------------------------------------------------------------------------

export interface NotebookCell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata?: { tags?: string[]; [k: string]: unknown };
  [k: string]: unknown;
}

export function cellSource(c: NotebookCell): string {
  return Array.isArray(c.source) ? c.source.join("") : c.source;
}

/** Index of the parameters cell: the code cell tagged "parameters", else the first code cell if it declares `const params`. */
export function findParamsCell(cells: readonly NotebookCell[]): number {
  const tagged = cells.findIndex((c) => c.cell_type === "code" && (c.metadata?.tags ?? []).includes("parameters"));
  if (tagged >= 0) return tagged;
  const first = cells.findIndex((c) => c.cell_type === "code");
  return first >= 0 && /^\s*(export\s+)?const\s+params\b/m.test(cellSource(cells[first])) ? first : -1;
}

/**
 * Evaluates the parameters cell in an empty V8 context and returns its `params` object. The cell
 * must be plain JavaScript syntax (an object literal with comments; no imports, no type
 * annotations) whose values are strings, numbers, booleans or lists of them.
 */
export function readParamsCell(source: string, where: string): Params {
  let value: unknown;
  try {
    value = vm.runInNewContext(`${source}\n;(typeof params === "undefined" ? undefined : params)`, Object.create(null), { timeout: 1000 });
  } catch (e) {
    throw new ParamError(`${where}: the parameters cell must be a plain \`const params = { … }\` object literal (no imports or type annotations): ${(e as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ParamError(`${where}: the parameters cell does not define a \`params\` object`);
  }
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const ok = ["string", "number", "boolean"].includes(typeof v) ||
      (Array.isArray(v) && v.every((x) => ["string", "number", "boolean"].includes(typeof x)));
    if (!ok) throw new ParamError(`${where}: params.${k} must be a string, number, boolean or a list of them`);
    out[k] = Array.isArray(v) ? [...v] : (v as ParamScalar);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Command-line overrides: --set <nb>.<key>=<value> and --params <file.json>
// ---------------------------------------------------------------------------------------------

/** Overrides before validation: notebook selector → key → raw value (text or JSON). */
export type RawOverrides = Map<string, Map<string, { raw: unknown; where: string; fromText: boolean }>>;

/** Adds `--set nb.key=value` to `into`. */
export function addSetArg(into: RawOverrides, arg: string): void {
  const m = /^([^.=\s]+)\.([A-Za-z_$][\w$]*)=(.*)$/s.exec(arg);
  if (!m) throw new ParamError(`--set ${arg}: expected <notebook>.<key>=<value>, e.g. --set 01.swapSizeBytes=64G`);
  const [, nb, key, value] = m;
  if (!into.has(nb)) into.set(nb, new Map());
  into.get(nb)!.set(key, { raw: value, where: `--set ${arg}`, fromText: true });
}

/** Adds the contents of a --params JSON file: `{ "<notebook>": { "<key>": value, … }, … }`. */
export function addParamsJson(into: RawOverrides, json: unknown, file: string): void {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ParamError(`--params ${file}: expected a JSON object {"<notebook>": {"<key>": value}}, e.g. {"01": {"swapSizeBytes": "64G"}}`);
  }
  for (const [nb, obj] of Object.entries(json as Record<string, unknown>)) {
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
      throw new ParamError(`--params ${file}: "${nb}" must map to an object of parameters, got ${show(obj)}`);
    }
    if (!into.has(nb)) into.set(nb, new Map());
    for (const [key, raw] of Object.entries(obj as Record<string, unknown>)) {
      into.get(nb)!.set(key, { raw, where: `--params ${file}: ${nb}.${key}`, fromText: false });
    }
  }
}

/** Whether selector `sel` names notebook `stem` ("01" names "01-static-vs-dynamic"). */
export function selects(sel: string, stem: string): boolean {
  return sel === stem || stem.startsWith(`${sel}-`);
}

/** The notebook `sel` names, or a ParamError listing the valid ones. */
export function resolveSelector(sel: string, stems: readonly string[], where: string): string {
  const hits = stems.filter((s) => selects(sel, s));
  if (hits.length === 1) return hits[0];
  const valid = stems.map((s) => s.split("-")[0]).join(", ");
  throw new ParamError(hits.length === 0
    ? `${where}: no notebook ${show(sel)}; notebooks are ${stems.join(", ") || "(none)"} (select by prefix: ${valid})`
    : `${where}: ${show(sel)} names several notebooks (${hits.join(", ")}); use the full name`);
}

/**
 * Validates every override against its notebook's defaults; returns notebook → checked overrides
 * (only notebooks with overrides). Throws ParamError on the first problem.
 */
export function resolveOverrides(
  raw: RawOverrides,
  defaults: ReadonlyMap<string, Params | undefined>,
  rules: readonly ParamRule[] = PARAM_RULES,
  cross: readonly CrossRule[] = CROSS_RULES,
): Map<string, Record<string, ParamValue>> {
  const stems = [...defaults.keys()];
  const out = new Map<string, Record<string, ParamValue>>();
  for (const [sel, entries] of raw) {
    const first = entries.values().next().value?.where ?? sel;
    const stem = resolveSelector(sel, stems, first);
    const defs = defaults.get(stem);
    if (!defs) throw new ParamError(`${first}: notebook ${stem} has no parameters cell`);
    const checked = out.get(stem) ?? {};
    for (const [key, { raw: value, where, fromText }] of entries) {
      if (!Object.prototype.hasOwnProperty.call(defs, key)) {
        throw new ParamError(`${where}: ${stem} has no parameter ${show(key)}; its parameters are ${Object.keys(defs).join(", ")}`);
      }
      checked[key] = checkParam(key, value, defs[key], where, rules, fromText);
    }
    out.set(stem, checked);
  }
  for (const [stem, checked] of out) checkCross(stem, defaults.get(stem)!, checked, raw, cross);
  return out;
}

/**
 * Cross-parameter rules of notebook `stem` on its defaults with `checked` applied; a rule runs only
 * when one of its keys was overridden, and its error names that override.
 */
export function checkCross(stem: string, defs: Params, checked: Readonly<Record<string, ParamValue>>, raw: RawOverrides, cross: readonly CrossRule[] = CROSS_RULES): void {
  const merged: Params = { ...defs, ...checked };
  for (const rule of cross) {
    if (!selects(rule.notebook, stem)) continue;
    const set = rule.keys.find((k) => Object.prototype.hasOwnProperty.call(checked, k));
    if (set === undefined || !rule.keys.every((k) => Object.prototype.hasOwnProperty.call(merged, k))) continue;
    const problem = rule.check(merged);
    if (!problem) continue;
    let where = `${stem}.${set}`;
    for (const [sel, entries] of raw) if (selects(sel, stem) && entries.has(set)) where = entries.get(set)!.where;
    throw new ParamError(`${where}: ${problem}`);
  }
}

/** Source of the papermill-style "injected-parameters" cell. */
export function injectedParamsSource(overrides: Readonly<Record<string, ParamValue>>, how: string): string {
  return [
    `// injected-parameters: ${how}`,
    `// (papermill convention: overrides the defaults in the parameters cell above)`,
    `Object.assign(params, ${JSON.stringify(overrides, null, 1).replace(/\n\s*/g, " ")});`,
  ].join("\n");
}
