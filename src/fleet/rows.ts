/**
 * Flat rows of a fleet result, the shape charts and DataFrames take (one object per point):
 * CDFs of cost and saving per design, the per-host table, the flipped pairs.
 */
import { MiB } from "../units/bytes.js";
import type { FleetHost, FleetResult } from "./aggregate.js";

export interface EcdfRow {
  readonly design: string;
  /** MiB of swap metadata (cost) or MiB saved against the host's baseline (saving). */
  readonly mib: number;
  /** Share of the hosts with swap at or below `mib`. */
  readonly share: number;
}

export function costEcdfRows(r: FleetResult, designs?: readonly string[]): EcdfRow[] {
  return r.designs.filter((d) => !designs || designs.includes(d.id)).flatMap((d) => d.costEcdf.map(([b, p]) => ({ design: d.id, mib: b / MiB, share: p })));
}

export function savingEcdfRows(r: FleetResult, designs?: readonly string[]): EcdfRow[] {
  return r.designs.filter((d) => !designs || designs.includes(d.id)).flatMap((d) => d.savingEcdf.map(([b, p]) => ({ design: d.id, mib: b / MiB, share: p })));
}

export interface HostCostRow {
  readonly host: string;
  readonly design: string;
  readonly device: string;
  readonly swapGiB: number;
  readonly usedShare: number;
  readonly zswapShare: number;
  readonly totalMiB: number;
  readonly savingMiB: number | null;
  readonly rank: number;
}

/** One row per (host with swap, runnable design). */
export function hostCostRows(hosts: readonly FleetHost[]): HostCostRow[] {
  const out: HostCostRow[] = [];
  for (const h of hosts) {
    const s = h.summary;
    if (s.device === "none") continue;
    const used = s.disk + s.zswap + s.zero;
    for (const d of h.designs) {
      if (!d.runnable) continue;
      out.push({
        host: h.host,
        design: d.id,
        device: s.device,
        swapGiB: s.swapBytes / 2 ** 30,
        usedShare: used / (s.swapBytes / 4096 - 1),
        zswapShare: used ? s.zswap / used : 0,
        totalMiB: d.totalBytes! / MiB,
        savingMiB: d.savingBytes === null ? null : d.savingBytes / MiB,
        rank: d.rank!,
      });
    }
  }
  return out;
}

export interface FlipRow {
  readonly pair: string;
  readonly flippedHosts: number;
  readonly comparedHosts: number;
  readonly share: number;
}

export function flipRows(r: FleetResult, top = 15): FlipRow[] {
  return r.flips.slice(0, top).map((f) => ({ pair: `${f.a} < ${f.b}`, flippedHosts: f.flippedHosts, comparedHosts: f.comparedHosts, share: f.flippedHosts / f.comparedHosts }));
}

export interface CheapestPoint {
  readonly host: string;
  /** The cheapest design on the host (ties: the first in the host's design order, the registry's). */
  readonly cheapest: string;
  readonly usedPct: number;
  readonly zswapPct: number;
}

/** Each host with swap: where it sits (% used, % in zswap) and which design is cheapest there. */
export function cheapestPoints(hosts: readonly FleetHost[]): CheapestPoint[] {
  const out: CheapestPoint[] = [];
  for (const h of hosts) {
    const s = h.summary;
    if (s.device === "none") continue;
    const run = h.designs.filter((d) => d.runnable);
    if (!run.length) continue;
    const best = run.reduce((a, d) => (d.totalBytes! < a.totalBytes! ? d : a));
    const used = s.disk + s.zswap + s.zero;
    out.push({ host: h.host, cheapest: best.id, usedPct: (100 * used) / (s.swapBytes / 4096 - 1), zswapPct: used ? (100 * s.zswap) / used : 0 });
  }
  return out;
}

export interface PairPoint {
  readonly host: string;
  /** Which of the two designs costs less on the host (`=` when equal). */
  readonly cheaper: string;
  readonly usedPct: number;
  readonly zswapPct: number;
  /** a total − b total (MiB). */
  readonly deltaMiB: number;
}

/** Each host with swap where both designs run: which of `a` and `b` is cheaper there, and where the host sits. */
export function pairPoints(hosts: readonly FleetHost[], a: string, b: string): PairPoint[] {
  const out: PairPoint[] = [];
  for (const h of hosts) {
    const s = h.summary;
    if (s.device === "none") continue;
    const da = h.designs.find((d) => d.id === a);
    const db = h.designs.find((d) => d.id === b);
    if (!da?.runnable || !db?.runnable) continue;
    const used = s.disk + s.zswap + s.zero;
    const delta = da.totalBytes! - db.totalBytes!;
    out.push({
      host: h.host,
      cheaper: delta < 0 ? `${a} cheaper` : delta > 0 ? `${b} cheaper` : "equal",
      usedPct: (100 * used) / (s.swapBytes / 4096 - 1),
      zswapPct: used ? (100 * s.zswap) / used : 0,
      deltaMiB: delta / MiB,
    });
  }
  return out;
}
