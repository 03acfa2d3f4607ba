/**
 * The thread's published benchmark tables as data: `data/benchmarks/<id>.csv` (one measurement per
 * row) with a sidecar `<id>.json` (source URL, speaker, date, setup per test, the series and which
 * one is the baseline). These are published measurements, labelled as such; nothing here is model
 * output. The reader checks the schema and names `file:line` on any error.
 */
import path from "node:path";
import { SwapcostInputError } from "../errors.js";
import { defaultDataRoot, listDataFiles, readJson, readText } from "../data/root.js";
import { parseCsv } from "./csv.js";

export const BENCH_COLUMNS = ["test", "metric", "unit", "better", "series", "stat", "value", "sd", "runs", "run", "note"] as const;
/** Units as the letters report them. */
export const BENCH_UNITS = ["s", "ms", "us", "KB/s", "MB/s", "RPS", "qps", "count"] as const;
export type BenchUnit = (typeof BENCH_UNITS)[number];
export const BENCH_BETTER = ["lower", "higher", "n/a"] as const;
export type BenchBetter = (typeof BENCH_BETTER)[number];
/** `mean` (with `sd` when reported), `value` (one number, statistic not stated), `run` (one run of several, numbered by `run`). */
export const BENCH_STATS = ["mean", "value", "run"] as const;
export type BenchStat = (typeof BENCH_STATS)[number];
export const BENCH_FAMILIES = ["vswap", "swap-table", "swap-tiers"] as const;
export type BenchFamily = (typeof BENCH_FAMILIES)[number];
export const EVIDENCE = ["read in the message", "quoted in a reply"] as const;
export type Evidence = (typeof EVIDENCE)[number];

export interface BenchRow {
  readonly table: string;
  readonly line: number;
  readonly test: string;
  readonly metric: string;
  readonly unit: BenchUnit;
  readonly better: BenchBetter;
  readonly series: string;
  readonly stat: BenchStat;
  readonly value: number;
  /** Decimals the value is printed with in the source (its rounding: half a unit of the last digit). */
  readonly decimals: number;
  /** Standard deviation as reported, or null. */
  readonly sd: number | null;
  readonly runs: number | null;
  readonly run: number | null;
  readonly note: string;
}

export interface BenchSeries {
  readonly id: string;
  readonly label: string;
  /** Kernel or series version (`6.19`, `vswap-v5`, `swap-table-p2`), for plots across versions. */
  readonly version: string;
  /** The registry design this series runs, when there is one. */
  readonly design?: string;
  readonly role: "baseline" | "candidate";
  /** A different source for this series' numbers. */
  readonly url?: string;
  readonly note?: string;
}

export interface BenchTest {
  readonly setup: string;
  readonly url?: string;
  readonly evidence?: Evidence;
}

export interface BenchMeta {
  readonly id: string;
  readonly title: string;
  readonly provenance: "published measurement";
  readonly speaker: string;
  readonly date: string;
  readonly url: string;
  readonly alsoIn?: readonly string[];
  readonly sourceNote?: string;
  readonly evidence: Evidence;
  readonly family: BenchFamily;
  readonly setup: string;
  readonly tests: Readonly<Record<string, BenchTest>>;
  readonly baseline: string;
  readonly baselineByTest?: Readonly<Record<string, string>>;
  readonly series: readonly BenchSeries[];
  readonly notes?: readonly string[];
}

export interface BenchTable {
  readonly meta: BenchMeta;
  readonly rows: readonly BenchRow[];
}

// ---------------------------------------------------------------------------------------------
// Schema

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Obj, key: string, where: string, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw new SwapcostInputError(`${where}: ${key}`, v, "a non-empty string");
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) throw new SwapcostInputError(field, v, `one of ${allowed.join(", ")}`);
  return v as T;
}

export function isUrl(s: string): boolean {
  return /^https?:\/\/[^\s/]+\/\S*$/.test(s);
}

function url(o: Obj, key: string, where: string, optional = false): string | undefined {
  const v = str(o, key, where, optional);
  if (v !== undefined && !isUrl(v)) throw new SwapcostInputError(`${where}: ${key}`, v, "an http(s) URL");
  return v;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KNOWN_META = ["id", "title", "provenance", "speaker", "date", "url", "alsoIn", "sourceNote", "evidence", "family", "setup", "tests", "baseline", "baselineByTest", "series", "notes"];

/** Check a sidecar object; returns it typed. */
export function validateBenchMeta(raw: unknown, file: string): BenchMeta {
  const where = path.basename(file);
  if (!isObj(raw)) throw new SwapcostInputError(where, raw, "a JSON object");
  for (const k of Object.keys(raw)) if (!KNOWN_META.includes(k)) throw new SwapcostInputError(`${where}: ${k}`, k, `a known field (${KNOWN_META.join(", ")})`);
  const id = str(raw, "id", where)!;
  if (`${id}.json` !== where) throw new SwapcostInputError(`${where}: id`, id, `the file's base name (${where.replace(/\.json$/, "")})`);
  if (raw.provenance !== "published measurement") throw new SwapcostInputError(`${where}: provenance`, raw.provenance, '"published measurement"');
  const date = str(raw, "date", where)!;
  if (!DATE.test(date)) throw new SwapcostInputError(`${where}: date`, date, "YYYY-MM-DD");
  url(raw, "url", where);
  if (raw.alsoIn !== undefined) {
    if (!Array.isArray(raw.alsoIn) || !raw.alsoIn.every((u) => typeof u === "string" && isUrl(u))) throw new SwapcostInputError(`${where}: alsoIn`, raw.alsoIn, "a list of URLs");
  }
  str(raw, "title", where);
  str(raw, "speaker", where);
  str(raw, "setup", where);
  str(raw, "sourceNote", where, true);
  oneOf(raw.evidence, EVIDENCE, `${where}: evidence`);
  oneOf(raw.family, BENCH_FAMILIES, `${where}: family`);
  if (!isObj(raw.tests) || Object.keys(raw.tests).length === 0) throw new SwapcostInputError(`${where}: tests`, raw.tests, "an object: test name -> {setup, url?, evidence?}");
  for (const [name, t] of Object.entries(raw.tests)) {
    if (!isObj(t)) throw new SwapcostInputError(`${where}: tests.${name}`, t, "{setup, url?, evidence?}");
    str(t, "setup", `${where}: tests.${name}`);
    url(t, "url", `${where}: tests.${name}`, true);
    if (t.evidence !== undefined) oneOf(t.evidence, EVIDENCE, `${where}: tests.${name}.evidence`);
  }
  if (!Array.isArray(raw.series) || raw.series.length < 1) throw new SwapcostInputError(`${where}: series`, raw.series, "a non-empty list of series");
  const ids = new Set<string>();
  for (const s of raw.series) {
    if (!isObj(s)) throw new SwapcostInputError(`${where}: series`, s, "{id, label, version, role, design?, url?, note?}");
    const sid = str(s, "id", `${where}: series`)!;
    if (ids.has(sid)) throw new SwapcostInputError(`${where}: series`, sid, "unique series ids");
    ids.add(sid);
    str(s, "label", `${where}: series ${sid}`);
    str(s, "version", `${where}: series ${sid}`);
    str(s, "design", `${where}: series ${sid}`, true);
    url(s, "url", `${where}: series ${sid}`, true);
    oneOf(s.role, ["baseline", "candidate"] as const, `${where}: series ${sid}.role`);
  }
  const baseline = str(raw, "baseline", where)!;
  if (!ids.has(baseline)) throw new SwapcostInputError(`${where}: baseline`, baseline, `one of the series (${[...ids].join(", ")})`);
  if (raw.baselineByTest !== undefined) {
    if (!isObj(raw.baselineByTest)) throw new SwapcostInputError(`${where}: baselineByTest`, raw.baselineByTest, "an object: test -> series id");
    for (const [t, b] of Object.entries(raw.baselineByTest)) {
      if (!(t in raw.tests)) throw new SwapcostInputError(`${where}: baselineByTest`, t, "a test named in tests");
      if (typeof b !== "string" || !ids.has(b)) throw new SwapcostInputError(`${where}: baselineByTest.${t}`, b, `one of the series (${[...ids].join(", ")})`);
    }
  }
  if (raw.notes !== undefined && (!Array.isArray(raw.notes) || !raw.notes.every((n) => typeof n === "string"))) throw new SwapcostInputError(`${where}: notes`, raw.notes, "a list of strings");
  return raw as unknown as BenchMeta;
}

function num(text: string, field: string, opts: { optional?: boolean; integer?: boolean; min?: number } = {}): number | null {
  if (text === "") {
    if (opts.optional) return null;
    throw new SwapcostInputError(field, text, "a number");
  }
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new SwapcostInputError(field, text, "a plain decimal number (no units, no thousands separators)");
  const v = Number(text);
  if (opts.integer && !Number.isInteger(v)) throw new SwapcostInputError(field, text, "a whole number");
  if (opts.min !== undefined && v < opts.min) throw new SwapcostInputError(field, text, `a number >= ${opts.min}`);
  return v;
}

/** Parse and check a table's CSV against its sidecar. */
export function parseBenchCsv(text: string, meta: BenchMeta, file: string): BenchRow[] {
  const where = path.basename(file);
  const { header, records } = parseCsv(text);
  if (header.join(",") !== BENCH_COLUMNS.join(",")) throw new SwapcostInputError(`${where}:1 header`, header.join(","), BENCH_COLUMNS.join(","));
  const series = new Set(meta.series.map((s) => s.id));
  const seen = new Set<string>();
  const rows: BenchRow[] = [];
  for (const r of records) {
    const at = `${where}:${r.line}`;
    if (r.fields.length !== BENCH_COLUMNS.length) throw new SwapcostInputError(at, r.fields.length, `${BENCH_COLUMNS.length} fields`);
    const [test, metric, unit, better, s, stat, value, sd, runs, run, note] = r.fields;
    if (!(test in meta.tests)) throw new SwapcostInputError(`${at} test`, test, `a test described in ${meta.id}.json (${Object.keys(meta.tests).join("; ")})`);
    if (!metric.trim()) throw new SwapcostInputError(`${at} metric`, metric, "a metric name");
    if (!series.has(s)) throw new SwapcostInputError(`${at} series`, s, `one of ${[...series].join(", ")}`);
    const row: BenchRow = {
      table: meta.id,
      line: r.line,
      test,
      metric,
      unit: oneOf(unit, BENCH_UNITS, `${at} unit`),
      better: oneOf(better, BENCH_BETTER, `${at} better`),
      series: s,
      stat: oneOf(stat, BENCH_STATS, `${at} stat`),
      value: num(value, `${at} value`)!,
      decimals: value.includes(".") ? value.length - value.indexOf(".") - 1 : 0,
      sd: num(sd, `${at} sd`, { optional: true, min: 0 }),
      runs: num(runs, `${at} runs`, { optional: true, integer: true, min: 1 }),
      run: num(run, `${at} run`, { optional: true, integer: true, min: 1 }),
      note,
    };
    if ((row.stat === "run") !== (row.run !== null)) throw new SwapcostInputError(`${at} run`, run, "a run number exactly when stat is run");
    if (row.run !== null && row.runs !== null && row.run > row.runs) throw new SwapcostInputError(`${at} run`, run, `at most runs (${row.runs})`);
    if (row.sd !== null && row.stat !== "mean") throw new SwapcostInputError(`${at} sd`, sd, "empty unless stat is mean");
    const key = `${test}\u0000${metric}\u0000${s}\u0000${row.run ?? ""}`;
    if (seen.has(key)) throw new SwapcostInputError(at, `${test} / ${metric} / ${s}`, "one row per test, metric, series (and run)");
    seen.add(key);
    rows.push(row);
  }
  // Every test/metric has one unit and one direction.
  const shape = new Map<string, string>();
  for (const r of rows) {
    const k = `${r.test}\u0000${r.metric}`;
    const v = `${r.unit} ${r.better}`;
    if (shape.has(k) && shape.get(k) !== v) throw new SwapcostInputError(`${where}:${r.line}`, v, `the same unit and direction as the other rows of ${r.test} / ${r.metric} (${shape.get(k)})`);
    shape.set(k, v);
  }
  return rows;
}

/** Every table under `<root>/data/benchmarks`, oldest first. */
export function readBenchmarks(root: string = defaultDataRoot()): BenchTable[] {
  const dir = path.join(root, "data", "benchmarks");
  const tables = listDataFiles(dir, ".json", "data/benchmarks").map((file) => {
    const meta = validateBenchMeta(readJson(file, "data/benchmarks"), file);
    const csv = file.replace(/\.json$/, ".csv");
    return { meta, rows: parseBenchCsv(readText(csv, "data/benchmarks"), meta, csv) };
  });
  return tables.sort((a, b) => a.meta.date.localeCompare(b.meta.date) || a.meta.id.localeCompare(b.meta.id));
}

export function findTable(tables: readonly BenchTable[], id: string): BenchTable {
  const t = tables.find((x) => x.meta.id === id);
  if (!t) throw new SwapcostInputError("benchmark table", id, `one of ${tables.map((x) => x.meta.id).join(", ")}`);
  return t;
}
