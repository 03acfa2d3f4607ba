/**
 * Deltas of the published measurements against each table's baseline, with the reported spread
 * carried through. Arithmetic on published numbers only: a mean of listed runs, a percentage
 * change, and first-order error propagation of the two reported standard deviations (treated as
 * independent). Nothing here is a model of the kernel.
 */
import { SwapcostInputError } from "../errors.js";
import type { BenchBetter, BenchFamily, BenchRow, BenchStat, BenchTable } from "./tables.js";

export interface Measure {
  /** The reported value, or the mean of the listed runs. */
  readonly value: number;
  /** The reported standard deviation, or the sample standard deviation (n - 1) of the listed runs; null when not reported. */
  readonly sd: number | null;
  /** Runs behind the value, when stated. */
  readonly n: number | null;
  readonly stat: BenchStat;
}

export function baselineOf(table: BenchTable, test: string): string {
  return table.meta.baselineByTest?.[test] ?? table.meta.baseline;
}

/** One series' measurement of a test/metric; undefined when the table has none. */
export function findMeasure(table: BenchTable, test: string, metric: string, series: string): Measure | undefined {
  const rows = table.rows.filter((r) => r.test === test && r.metric === metric && r.series === series);
  if (rows.length === 0) return undefined;
  if (rows.length === 1 && rows[0].stat !== "run") return { value: rows[0].value, sd: rows[0].sd, n: rows[0].runs, stat: rows[0].stat };
  const xs = rows.map((r) => r.value);
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : null;
  return { value: mean, sd, n: xs.length, stat: "run" };
}

export function measureOf(table: BenchTable, test: string, metric: string, series: string): Measure {
  const m = findMeasure(table, test, metric, series);
  if (!m) throw new SwapcostInputError(`benchmark ${table.meta.id}`, `${test} / ${metric} / ${series}`, "a test, metric and series present in the table");
  return m;
}

/** (value - base) / |base| x 100: the raw change, as the letters quote it (not mmtests' better-sign). */
export function changePct(value: number, base: number): number | null {
  if (base === 0) return value === 0 ? 0 : null;
  return ((value - base) / Math.abs(base)) * 100;
}

/**
 * First-order propagation of two independent standard deviations to the percentage change:
 * 100 x |v/b| x sqrt((sd_v/v)^2 + (sd_b/b)^2). null unless both spreads are known.
 */
export function changeErrPct(value: Measure, base: Measure): number | null {
  if (value.sd === null || base.sd === null || base.value === 0 || value.value === 0) return null;
  const r = Math.abs(value.value / base.value);
  return 100 * r * Math.hypot(value.sd / value.value, base.sd / base.value);
}

export interface BenchDelta {
  readonly table: string;
  readonly family: BenchFamily;
  readonly date: string;
  readonly url: string;
  readonly test: string;
  readonly metric: string;
  readonly unit: string;
  readonly better: BenchBetter;
  readonly baseline: string;
  readonly series: string;
  readonly version: string;
  /** Position of the series in its table's sidecar (for ordering versions within a table). */
  readonly seriesOrder: number;
  readonly design: string | null;
  readonly base: Measure;
  readonly value: Measure;
  /** Raw change in percent. */
  readonly changePct: number | null;
  /** Propagated spread of the change, in percentage points (null when a spread is not reported). */
  readonly errPct: number | null;
  /** mmtests' sign: + means better (null when the direction is not defined). */
  readonly betterPct: number | null;
}

function rowKeys(rows: readonly BenchRow[]): Array<[string, string]> {
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (const r of rows) {
    const k = `${r.test}\u0000${r.metric}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push([r.test, r.metric]);
    }
  }
  return out;
}

/** Every candidate series against its test's baseline, for every test/metric both report; in file order. */
export function benchDeltas(tables: readonly BenchTable[]): BenchDelta[] {
  const out: BenchDelta[] = [];
  for (const t of tables) {
    for (const [test, metric] of rowKeys(t.rows)) {
      const baseline = baselineOf(t, test);
      const base = findMeasure(t, test, metric, baseline);
      if (!base) continue;
      const row = t.rows.find((r) => r.test === test && r.metric === metric)!;
      for (const [order, s] of t.meta.series.entries()) {
        if (s.id === baseline) continue;
        const value = findMeasure(t, test, metric, s.id);
        if (!value) continue;
        const change = changePct(value.value, base.value);
        out.push({
          table: t.meta.id,
          family: t.meta.family,
          date: t.meta.date,
          url: t.meta.tests[test]?.url ?? s.url ?? t.meta.url,
          test,
          metric,
          unit: row.unit,
          better: row.better,
          baseline,
          series: s.id,
          version: s.version,
          seriesOrder: order,
          design: s.design ?? null,
          base,
          value,
          changePct: change,
          errPct: changeErrPct(value, base),
          betterPct: change === null || row.better === "n/a" ? null : row.better === "lower" ? -change : change,
        });
      }
    }
  }
  return out;
}
