/**
 * Tracks across versions: the same kind of measurement (a kernel build's system time, usemem's
 * free time...) in the tables of successive versions of a series (vswap RFC -> v3 -> v4/v5 -> v6 ->
 * STE; swap table P1 -> P2 -> P4), each against its own table's baseline. The grouping rules are
 * plain data below; a measurement that matches none stays out of the tracks (it is still in
 * benchDeltas). Published measurements only.
 */
import type { BenchDelta } from "./delta.js";

/** Test kinds, by the start of the test name. */
export const TEST_KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(kernel )?build/i, "kernel build"],
  [/^usemem/i, "usemem"],
  [/^memhog/i, "memhog"],
  [/^(redis|valkey)/i, "redis/valkey"],
];

/** Metric kinds, by the whole metric name. */
export const METRIC_KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^sys$/i, "system time"],
  [/^(real|wall|elapsed)$/i, "elapsed time"],
  [/^(tput|throughput|throughput \(sum\)|sum tput|avg throughput)$/i, "throughput"],
  [/^(free|free latency|free time|avg free time)$/i, "free time"],
  [/^(rps|rps no bgsave|rps no persistence)$/i, "requests/s"],
];

export function trackOf(test: string, metric: string): string | null {
  const t = TEST_KINDS.find(([re]) => re.test(test))?.[1];
  const m = METRIC_KINDS.find(([re]) => re.test(metric))?.[1];
  return t && m ? `${t}: ${m}` : null;
}

export interface TrackRow {
  readonly family: string;
  readonly track: string;
  readonly version: string;
  readonly seriesOrder: number;
  readonly date: string;
  readonly table: string;
  readonly test: string;
  readonly metric: string;
  readonly unit: string;
  readonly series: string;
  readonly baseline: string;
  /** Change against the table's baseline, mmtests' sign: + = better. */
  readonly betterPct: number;
  /** Propagated stddev of the change, percentage points; null when a spread is not reported. */
  readonly errPct: number | null;
  readonly url: string;
}

/** The deltas that fall on a track: oldest table first, then in the order of the table's series. */
export function versionTracks(deltas: readonly BenchDelta[]): TrackRow[] {
  const out: TrackRow[] = [];
  for (const d of deltas) {
    const track = trackOf(d.test, d.metric);
    if (!track || d.betterPct === null) continue;
    out.push({
      family: d.family,
      track,
      version: d.version,
      seriesOrder: d.seriesOrder,
      date: d.date,
      table: d.table,
      test: d.test,
      metric: d.metric,
      unit: d.unit,
      series: d.series,
      baseline: d.baseline,
      betterPct: d.betterPct,
      errPct: d.errPct,
      url: d.url,
    });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.table.localeCompare(b.table) || a.seriesOrder - b.seriesOrder);
}
