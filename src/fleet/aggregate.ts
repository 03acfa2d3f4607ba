/**
 * A fleet: many hosts, each under every design, then distributions of cost and savings per design
 * and the hosts where the ranking of designs differs from the fleet's. Pure.
 */
import type { Design } from "../designs/types.js";
import { designsOnDevices, type DesignOnHost, type DeviceUsage, type HostAnalysis } from "../host/analyse.js";
import { baselineForRelease } from "../host/baseline.js";
import { resolveDesign } from "../designs/registry.js";
import type { Accounting } from "../models/overhead.js";
import type { Occupancy } from "../models/occupancy.js";
import type { HostSummary } from "./summary.js";

export interface FleetDesignCost {
  readonly id: string;
  readonly runnable: boolean;
  readonly reason: string | null;
  readonly staticBytes: number | null;
  readonly dynamicBytes: number | null;
  readonly totalBytes: number | null;
  readonly savingBytes: number | null;
  readonly rank: number | null;
}

export interface FleetHost {
  readonly host: string;
  readonly origin: string;
  readonly baseline: string | null;
  readonly baselineMatch: string | null;
  readonly summary: HostSummary;
  readonly designs: readonly FleetDesignCost[];
}

export interface FleetOptions {
  readonly designs: readonly Design[];
  readonly occupancy: Occupancy;
  readonly accounting: Accounting;
  /** One baseline for every host instead of each host's kernel design. */
  readonly baseline?: Design;
}

function costs(rows: readonly DesignOnHost[]): FleetDesignCost[] {
  return rows.map((d) => ({
    id: d.id,
    runnable: d.runnable,
    reason: d.reason,
    staticBytes: d.totals?.staticBytes ?? null,
    dynamicBytes: d.totals?.dynamicBytes ?? null,
    totalBytes: d.totals?.bytes ?? null,
    savingBytes: d.savingBytes,
    rank: d.rank,
  }));
}

/** A host known only by its summary row: one device with the row's usage, every design. */
export function costSummary(s: HostSummary, opts: FleetOptions): FleetHost {
  const b = opts.baseline ? null : s.kernel ? baselineForRelease(s.kernel) : null;
  const baseline = opts.baseline ?? (b ? resolveDesign(b.design) : undefined);
  const devices: DeviceUsage[] =
    s.device === "none"
      ? []
      : [
          {
            path: s.host,
            type: "partition",
            block: null,
            kind: s.device,
            kindFrom: "summary row",
            swapSizeBytes: s.swapBytes,
            usablePages: s.swapBytes / 4096 - 1,
            usedPages: s.disk + s.zswap + s.zero,
            usage: { disk: s.disk, zswap: s.zswap, zero: s.zero, cache: 0 },
            split: [],
          },
        ];
  const rows = designsOnDevices(opts.designs, devices, {
    baseline,
    baselineZpool: s.zpool ?? undefined,
    memcg: s.memcg,
    cpus: s.cpus,
    occupancy: opts.occupancy,
    accounting: opts.accounting,
    writebackShare: s.writebackShare,
  });
  return { host: s.host, origin: s.origin, baseline: baseline?.id ?? null, baselineMatch: opts.baseline ? "chosen" : (b?.match ?? null), summary: s, designs: costs(rows) };
}

/** A host from its full analysis (a snapshot): devices kept apart. */
export function fleetHostOf(host: string, a: HostAnalysis, summary: HostSummary): FleetHost {
  return { host, origin: summary.origin, baseline: a.baseline?.design ?? null, baselineMatch: a.baseline?.match ?? null, summary, designs: costs(a.designs) };
}

// ---------------------------------------------------------------------------------------------
// Distributions

export interface Quantiles {
  readonly n: number;
  readonly min: number;
  readonly p10: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Quantile of sorted values, linear interpolation between order statistics (Hyndman-Fan type 7, R's default). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function quantiles(values: readonly number[]): Quantiles | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    min: s[0],
    p10: quantile(s, 0.1),
    p25: quantile(s, 0.25),
    p50: quantile(s, 0.5),
    p75: quantile(s, 0.75),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/** Empirical CDF as [value, share of hosts ≤ value] steps, at most `points` of them. */
export function ecdf(values: readonly number[], points = 200): [number, number][] {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return [];
  const out: [number, number][] = [];
  const step = Math.max(1, Math.ceil(n / points));
  for (let i = step - 1; i < n; i += step) {
    while (i + 1 < n && s[i + 1] === s[i]) i++;
    out.push([s[i], (i + 1) / n]);
  }
  if (out[out.length - 1][1] !== 1) out.push([s[n - 1], 1]);
  return out;
}

export interface DesignDistribution {
  readonly id: string;
  /** Hosts with swap the design can hold (every distribution is over these). */
  readonly hosts: number;
  readonly notRunnable: number;
  /** A reason seen for not runnable, with how many hosts. */
  readonly notRunnableReasons: readonly { readonly reason: string; readonly hosts: number }[];
  readonly cost: Quantiles | null;
  /** Cost as a share of the host's RAM (hosts with MemTotal known). */
  readonly costShareOfRam: Quantiles | null;
  /** Baseline total − design total, per host (hosts with a baseline). */
  readonly saving: Quantiles | null;
  /** Share of hosts (with a baseline) where the design costs less than the baseline. */
  readonly savingHosts: number;
  /** Hosts where the design is the cheapest (ties count for each tied design). */
  readonly cheapest: number;
  readonly costEcdf: readonly [number, number][];
  readonly savingEcdf: readonly [number, number][];
}

export interface FlipPair {
  /** Cheaper than `b` at the fleet median… */
  readonly a: string;
  readonly b: string;
  readonly medianA: number;
  readonly medianB: number;
  /** …but more expensive on these hosts. */
  readonly flippedHosts: number;
  readonly comparedHosts: number;
  readonly examples: readonly string[];
}

export interface CheapestFlip {
  readonly host: string;
  readonly cheapest: readonly string[];
  readonly cheapestBytes: number;
  readonly fleetCheapestBytes: number;
  readonly summary: HostSummary;
}

export interface FleetResult {
  readonly hosts: number;
  readonly hostsWithSwap: number;
  readonly designs: readonly DesignDistribution[];
  /** Designs runnable on every host with swap, ordered by median cost: the fleet's ranking. */
  readonly fleetRanking: readonly string[];
  readonly flips: readonly FlipPair[];
  /** Hosts whose cheapest design is not the fleet's cheapest. */
  readonly cheapestFlips: readonly CheapestFlip[];
  readonly excluded: readonly { readonly host: string; readonly reason: string }[];
}

export function aggregateFleet(hosts: readonly FleetHost[], excluded: readonly { host: string; reason: string }[] = []): FleetResult {
  const ids = [...new Set(hosts.flatMap((h) => h.designs.map((d) => d.id)))];
  const withSwap = hosts.filter((h) => h.summary.device !== "none");
  const get = (h: FleetHost, id: string) => h.designs.find((d) => d.id === id);
  // distributions over the hosts with swap: a host without swap costs 0 under every design and
  // would only pull every quantile towards 0 (they are counted apart, in hosts - hostsWithSwap)
  const designs: DesignDistribution[] = ids.map((id) => {
    const run = withSwap.map((h) => ({ h, d: get(h, id) })).filter((x) => x.d?.runnable);
    const not = withSwap.map((h) => get(h, id)).filter((d) => d && !d.runnable);
    const reasons = new Map<string, number>();
    for (const d of not) {
      const r = (d!.reason ?? "").replace(/\(.*?\)/g, "(…)").replace(/^[^:]*: /, "");
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    const totals = run.map((x) => x.d!.totalBytes!);
    const savings = run.filter((x) => x.d!.savingBytes !== null).map((x) => x.d!.savingBytes!);
    const ram = run.filter((x) => x.h.summary.memTotalBytes).map((x) => x.d!.totalBytes! / x.h.summary.memTotalBytes!);
    const cheapest = withSwap.filter((h) => {
      const mine = get(h, id);
      if (!mine?.runnable) return false;
      return h.designs.every((o) => !o.runnable || o.totalBytes! >= mine.totalBytes!);
    }).length;
    return {
      id,
      hosts: run.length,
      notRunnable: not.length,
      notRunnableReasons: [...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([reason, n]) => ({ reason, hosts: n })),
      cost: quantiles(totals),
      costShareOfRam: quantiles(ram),
      saving: quantiles(savings),
      savingHosts: savings.length ? savings.filter((s) => s > 0).length / savings.length : 0,
      cheapest,
      costEcdf: ecdf(totals),
      savingEcdf: ecdf(savings),
    };
  });
  const everywhere = designs.filter((d) => d.cost && d.notRunnable === 0);
  const fleetRanking = [...everywhere].sort((x, y) => x.cost!.p50 - y.cost!.p50 || (x.id < y.id ? -1 : 1)).map((d) => d.id);
  const median = new Map(designs.map((d) => [d.id, d.cost?.p50 ?? NaN]));
  const flips: FlipPair[] = [];
  for (let i = 0; i < fleetRanking.length; i++) {
    for (let j = i + 1; j < fleetRanking.length; j++) {
      const a = fleetRanking[i];
      const b = fleetRanking[j];
      if (median.get(a) === median.get(b)) continue;
      let compared = 0;
      const hit: string[] = [];
      for (const h of withSwap) {
        const da = get(h, a);
        const db = get(h, b);
        if (!da?.runnable || !db?.runnable) continue;
        compared++;
        if (da.totalBytes! > db.totalBytes!) hit.push(h.host);
      }
      if (hit.length) flips.push({ a, b, medianA: median.get(a)!, medianB: median.get(b)!, flippedHosts: hit.length, comparedHosts: compared, examples: hit.slice(0, 5) });
    }
  }
  flips.sort((x, y) => y.flippedHosts - x.flippedHosts || (x.a + x.b < y.a + y.b ? -1 : 1));
  const top = fleetRanking[0];
  const cheapestFlips: CheapestFlip[] = [];
  if (top) {
    for (const h of withSwap) {
      const run = h.designs.filter((d) => d.runnable);
      if (run.length === 0) continue;
      const min = Math.min(...run.map((d) => d.totalBytes!));
      const best = run.filter((d) => d.totalBytes === min).map((d) => d.id);
      const topHere = get(h, top);
      if (!topHere?.runnable || best.includes(top)) continue;
      cheapestFlips.push({ host: h.host, cheapest: best, cheapestBytes: min, fleetCheapestBytes: topHere.totalBytes!, summary: h.summary });
    }
  }
  return { hosts: hosts.length, hostsWithSwap: withSwap.length, designs, fleetRanking, flips, cheapestFlips, excluded };
}
