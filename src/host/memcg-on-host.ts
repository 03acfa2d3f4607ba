/**
 * The host's cgroups under each design's charging rules: the memcg model (src/models/memcg.ts)
 * replays the pages every leaf cgroup has out now (memcgCgroupsOf) with the host's limits, device,
 * zswap state and pool. For the host's own design the replay can be checked against the counters
 * the host reported (`read`); for the others it says what those counters would read instead.
 */
import { isInputError } from "../errors.js";
import type { Design } from "../designs/types.js";
import { memcg, type CgroupSpec, type MemcgResult, type MemcgSystem } from "../models/memcg.js";
import type { ZpoolKind } from "../models/zpool.js";
import type { HostAnalysis } from "./analyse.js";
import { memcgCgroupsOf, type HostCgroupSpec } from "./model-inputs.js";

export interface MemcgCounterRow {
  readonly cgroup: string;
  /** What the host reported (memory.current, memory.swap.current, memory.zswap.current), bytes. */
  readonly read: { readonly memoryCurrent: number | null; readonly swapCurrent: number | null; readonly zswapCurrent: number | null };
  /** Per design id: what the model says the counters read under it, and the limits that bit. */
  readonly designs: Readonly<
    Record<string, { readonly memoryCurrent: number; readonly swapCurrent: number; readonly zswapCurrent: number; readonly limitsHit: readonly string[] } | null>
  >;
}

export interface MemcgOnHost {
  /** Why nothing was modelled (no cgroup v2 memory controller, no cgroup with swap in use). */
  readonly skipped: string | null;
  readonly system: Partial<MemcgSystem> | null;
  readonly cgroups: readonly HostCgroupSpec[];
  readonly results: readonly { readonly design: string; readonly result: MemcgResult | null; readonly reason: string | null }[];
  readonly rows: readonly MemcgCounterRow[];
  readonly notes: readonly string[];
}

/** The memcg model's system for this host: its swap size and kind, zswap state and pool, CPUs. */
export function memcgSystemOf(a: HostAnalysis, design: Design): Partial<MemcgSystem> {
  const bytes = a.devices.reduce((s, d) => s + d.swapSizeBytes, 0);
  const byKind = new Map<string, number>();
  for (const d of a.devices) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + d.usedPages + 1);
  const kind = ([...byKind.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? "ssd") as MemcgSystem["device"];
  const zp = a.backends.zswap.zpool;
  const hostPool: ZpoolKind | undefined = zp === "zsmalloc" || zp === "zbud" ? zp : undefined;
  return {
    swapDeviceBytes: bytes > 0 ? bytes : null,
    device: kind === ("none" as string) ? "ssd" : kind,
    zswapEnabled: a.backends.zswap.enabled === true,
    cpus: a.cpus.value,
    // the host's pool for its own design; every other design keeps its kernel's default pool
    ...(hostPool && design.id === a.baseline?.design ? { zpool: hostPool } : {}),
  };
}

function strip(c: HostCgroupSpec): CgroupSpec {
  const { path: _p, from: _f, ...spec } = c;
  return spec;
}

export function memcgOnHost(a: HostAnalysis, designs: readonly Design[]): MemcgOnHost {
  const { cgroups, notes } = memcgCgroupsOf(a);
  const leaves = cgroups.filter((c) => c.workload);
  if (leaves.length === 0) return { skipped: notes[0] ?? "no cgroup with swap in use", system: null, cgroups, results: [], rows: [], notes };
  const results = designs.map((d) => {
    try {
      return { design: d.id, result: memcg({ design: d, system: memcgSystemOf(a, d), cgroups: cgroups.map(strip) }), reason: null };
    } catch (e) {
      if (isInputError(e)) return { design: d.id, result: null, reason: e.message };
      throw e;
    }
  });
  const byPath = new Map(a.cgroups.groups.map((g) => [g.path, g]));
  const rows: MemcgCounterRow[] = cgroups.map((c) => {
    const g = byPath.get(c.path);
    const per: Record<string, MemcgCounterRow["designs"][string]> = {};
    for (const r of results) {
      const cr = r.result?.cgroups.find((x) => x.name === c.name);
      per[r.design] = cr
        ? {
            memoryCurrent: cr.counters["memory.current"],
            swapCurrent: cr.counters["memory.swap.current"],
            zswapCurrent: cr.counters["memory.zswap.current"],
            limitsHit: Array.from(new Set<string>(cr.limitsHit.map((h) => h.file as string))),
          }
        : null;
    }
    return { cgroup: c.path, read: { memoryCurrent: g?.memoryCurrent ?? null, swapCurrent: g?.swapCurrent ?? null, zswapCurrent: g?.zswapCurrent ?? null }, designs: per };
  });
  return { skipped: null, system: memcgSystemOf(a, designs[0]), cgroups, results, rows, notes };
}
