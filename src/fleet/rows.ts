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
