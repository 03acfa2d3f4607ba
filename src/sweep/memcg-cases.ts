/**
 * The five memcg cases of issue 4 §4 as flat rows (one row per design × parameter point), for
 * notebook 03 and for tests. Every input is a parameter with its default here; the defaults that
 * come from the thread cite their message. Pure.
 *
 * (a) a zswap-only cgroup with memory.swap.max = 0 under mainline vs vswap
 * (b) memory.swap.current vs real disk use as the zswap share grows
 * (c) the zero-page accounting disagreement for a realistic zero-page share
 * (d) a two-tenant hierarchy where one design hits a limit and another does not
 * (e) charged vs real footprint for zbud and zsmalloc
 */
import { resolveDesign } from "../designs/registry.js";
import { mail, type Source } from "../kernel/sources.js";
import { memcg, STUCK_REASONS, type CgroupResult, type CgroupSpec, type MemcgResult, type MemcgSystem } from "../models/memcg.js";
import type { ZpoolKind } from "../models/zpool.js";
import { GiB, MiB } from "../units/bytes.js";

/** Usama Arif's zeromap cover letter: the realistic zero-page share used by case (c). */
export const ZERO_SHARE_SOURCE: Source = mail(
  "https://lkml.iu.edu/hypermail/linux/kernel/2405.3/06969.html",
  "Usama Arif",
  "2024-05-30",
  "10-20% of the pages stored in zswap are same-filled. This is also observed across Meta's server fleet … less than 1% of the same-filled pages to be swapped out are non-zero pages",
);

export interface MemcgCaseParams {
  /** Designs compared in (a)-(d). */
  readonly designs: readonly string[];
  /** Anonymous memory of the workload in (a)-(c), bytes. */
  readonly anonBytes: number;
  /** memory.max of the cgroup in (a), bytes. */
  readonly memoryMaxBytes: number;
  /** Physical swap device when there is one, bytes. */
  readonly swapSizeBytes: number;
  /** Every compressible page compresses by this ratio in (a)-(d). */
  readonly compressionRatio: number;
  /** (b): shares of the zswap-stored pages written back to disk, in percent. */
  readonly writtenBackPercents: readonly number[];
  /** (c): zero-filled shares of the swapped-out pages, in percent (10-20% per Usama Arif, 2024). */
  readonly zeroSharePercents: readonly number[];
  /** (c): share of the same-filled pages that are not zero, in percent (under 1% per Usama Arif, 2024). */
  readonly sameFilledNonZeroPercent: number;
  /** (d): the two tenants' anon footprints, bytes, and their parent's limits. */
  readonly tenantAnonBytes: readonly [number, number];
  /** (d): zero-filled share of the second tenant's (t2's) pages, in percent; t1 has none. */
  readonly tenantTwoZeroSharePercent: number;
  readonly parentMemoryMaxBytes: number;
  readonly parentSwapMaxBytes: number;
  /** (e): compressed sizes swept (bytes per page). */
  readonly compressedSizesBytes: readonly number[];
  /** (e): kernels and pools compared. */
  readonly footprintDesigns: readonly string[];
}

export const DEFAULT_MEMCG_CASES: MemcgCaseParams = {
  designs: ["linux-6.1", "linux-6.12", "linux-7.1", "swap-table-p4", "ghost-p4", "vswap-v6", "vswap-ste-v2"],
  anonBytes: 4 * GiB,
  memoryMaxBytes: 2 * GiB,
  swapSizeBytes: 32 * GiB,
  compressionRatio: 3,
  writtenBackPercents: [0, 25, 50, 75, 100],
  zeroSharePercents: [0, 10, 20],
  sameFilledNonZeroPercent: 1,
  tenantAnonBytes: [6 * GiB, 3 * GiB],
  tenantTwoZeroSharePercent: 10,
  parentMemoryMaxBytes: 6 * GiB,
  parentSwapMaxBytes: 2 * GiB,
  compressedSizesBytes: [400, 800, 1200, 1600, 2000, 2400, 2800, 3200, 3600],
  footprintDesigns: ["linux-6.1", "linux-6.12", "linux-7.1"],
};

const ratio = (p: MemcgCaseParams) => ({ kind: "ratio" as const, ratio: p.compressionRatio });

function stuck(c: CgroupResult): number {
  return STUCK_REASONS.reduce((a, k) => a + c.pages.stuck[k], 0);
}

// ---------------------------------------------------------------------------------------------
// (a)

export interface ZswapOnlyRow {
  readonly design: string;
  /** "none" (zswap only, no swapfile) or the device size. */
  readonly swapDevice: string;
  readonly swapMaxBytes: number | null;
  readonly memoryCurrentBytes: number;
  readonly zswapCurrentBytes: number;
  readonly swapCurrentBytes: number;
  readonly pagesInZswap: number;
  readonly pagesStuck: number;
  readonly oom: boolean;
  readonly limitsHit: string;
}

/** (a) a cgroup under memory.max that should live in zswap only: memory.swap.max 0 (and/or no swapfile). */
export function zswapOnlyCase(p: MemcgCaseParams = DEFAULT_MEMCG_CASES): ZswapOnlyRow[] {
  const rows: ZswapOnlyRow[] = [];
  for (const id of p.designs) {
    const design = resolveDesign(id);
    for (const device of [p.swapSizeBytes, null]) {
      if (device === null && !design.devices.includes("none") && design.family !== "mainline" && design.family !== "swap-table" && design.family !== "tiers") continue;
      for (const swapMax of [0, null]) {
        const r = memcg({
          design,
          system: { swapDeviceBytes: device },
          cgroups: [{ name: "zswap-only", memoryMaxBytes: p.memoryMaxBytes, swapMaxBytes: swapMax, workload: { anonBytes: p.anonBytes, reclaim: "limit", compressibility: ratio(p) } }],
        });
        const c = r.cgroups[0];
        rows.push({
          design: id,
          swapDevice: device === null ? "none" : `${device / GiB} GiB`,
          swapMaxBytes: swapMax,
          memoryCurrentBytes: c.counters["memory.current"],
          zswapCurrentBytes: c.counters["memory.zswap.current"],
          swapCurrentBytes: c.counters["memory.swap.current"],
          pagesInZswap: c.pages.zswap,
          pagesStuck: stuck(c),
          oom: c.overMemoryMax?.oom ?? false,
          limitsHit: [...new Set(c.limitsHit.map((h) => h.file))].join("+") || "-",
        });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// (b)

export interface SwapVsDiskRow {
  readonly design: string;
  /** Share of the swapped-out pages kept in zswap (100 - written back). */
  readonly zswapSharePercent: number;
  readonly swapCurrentBytes: number;
  readonly diskBytes: number;
  readonly zswapCurrentBytes: number;
}

/** (b) memory.swap.current against the bytes really on disk, as more of the pages stay in zswap. */
export function swapVsDiskCase(p: MemcgCaseParams = DEFAULT_MEMCG_CASES): SwapVsDiskRow[] {
  const rows: SwapVsDiskRow[] = [];
  for (const id of p.designs) {
    const design = resolveDesign(id);
    for (const wb of p.writtenBackPercents) {
      const c = memcg({ design, system: { swapDeviceBytes: p.swapSizeBytes }, cgroups: [{ name: "job", workload: { anonBytes: p.anonBytes, compressibility: ratio(p), writtenBackShare: wb / 100 } }] }).cgroups[0];
      rows.push({ design: id, zswapSharePercent: 100 - wb, swapCurrentBytes: c.counters["memory.swap.current"], diskBytes: c.footprint.diskBytes, zswapCurrentBytes: c.counters["memory.zswap.current"] });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// (c)

export interface ZeroPageRow {
  readonly design: string;
  /** zswap: pages go to zswap (zero pages to a bit or descriptor); disk: zswap off, pages go to the device. */
  readonly backend: "zswap" | "disk";
  readonly zeroSharePercent: number;
  /** Pages swapped out (every page pushed out that left memory). */
  readonly pagesSwappedOut: number;
  /** What memory.swap.current shows, in pages. */
  readonly pagesInSwapCurrent: number;
  readonly zeroPages: number;
  /** Swapped-out pages memory.swap.current does not show. */
  readonly pagesNotShown: number;
  readonly swapCurrentBytes: number;
  readonly memoryCurrentBytes: number;
}

/**
 * (c) how many swapped-out pages memory.swap.current shows, with a realistic share of zero pages;
 * with zswap on and with zswap off (disk swap), where the zero pages are the only difference.
 */
export function zeroPageCase(p: MemcgCaseParams = DEFAULT_MEMCG_CASES): ZeroPageRow[] {
  const rows: ZeroPageRow[] = [];
  for (const id of p.designs) {
    const design = resolveDesign(id);
    for (const backend of ["zswap", "disk"] as const) {
      for (const z of p.zeroSharePercents) {
        const zero = z / 100;
        const same = (zero * p.sameFilledNonZeroPercent) / (100 - p.sameFilledNonZeroPercent);
        const c = memcg({
          design,
          system: { swapDeviceBytes: p.swapSizeBytes, zswapEnabled: backend === "zswap" },
          cgroups: [{ name: "job", workload: { anonBytes: p.anonBytes, compressibility: ratio(p), zeroShare: zero, sameFilledShare: same } }],
        }).cgroups[0];
        const out = c.pages.zswap + c.pages.zero + c.pages.disk;
        const shown = c.counters["memory.swap.current"] / 4096;
        rows.push({
          design: id,
          backend,
          zeroSharePercent: z,
          pagesSwappedOut: out,
          pagesInSwapCurrent: shown,
          zeroPages: c.pages.zero + c.pages.sameFilledEntries,
          pagesNotShown: out - shown,
          swapCurrentBytes: c.counters["memory.swap.current"],
          memoryCurrentBytes: c.counters["memory.current"],
        });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// (d)

export interface TenantRow {
  readonly design: string;
  readonly cgroup: string;
  readonly memoryCurrentBytes: number;
  readonly swapCurrentBytes: number;
  readonly zswapCurrentBytes: number;
  readonly pagesStuck: number;
  readonly overMemoryMaxBytes: number;
  readonly oom: boolean;
  readonly limitsHit: string;
}

export function tenantCgroups(p: MemcgCaseParams = DEFAULT_MEMCG_CASES): CgroupSpec[] {
  return [
    { name: "tenants", memoryMaxBytes: p.parentMemoryMaxBytes, swapMaxBytes: p.parentSwapMaxBytes },
    { name: "t1", parent: "tenants", workload: { anonBytes: p.tenantAnonBytes[0], reclaim: "limit", compressibility: ratio(p) } },
    { name: "t2", parent: "tenants", workload: { anonBytes: p.tenantAnonBytes[1], reclaim: "limit", compressibility: ratio(p), zeroShare: p.tenantTwoZeroSharePercent / 100 } },
  ];
}

/** (d) the full results (for the mail table) of the two-tenant hierarchy, per design. */
export function tenantResults(p: MemcgCaseParams = DEFAULT_MEMCG_CASES, system: Partial<MemcgSystem> = {}): MemcgResult[] {
  return p.designs.map((id) => memcg({ design: resolveDesign(id), system: { swapDeviceBytes: p.swapSizeBytes, ...system }, cgroups: tenantCgroups(p) }));
}

/** (d) two tenants under a parent's memory.max and memory.swap.max. */
export function tenantCase(p: MemcgCaseParams = DEFAULT_MEMCG_CASES): TenantRow[] {
  return tenantResults(p).flatMap((r) =>
    r.cgroups.map((c) => ({
      design: r.design.id,
      cgroup: c.path,
      memoryCurrentBytes: c.counters["memory.current"],
      swapCurrentBytes: c.counters["memory.swap.current"],
      zswapCurrentBytes: c.counters["memory.zswap.current"],
      pagesStuck: stuck(c),
      overMemoryMaxBytes: c.overMemoryMax?.bytes ?? 0,
      oom: c.overMemoryMax?.oom ?? false,
      limitsHit: [...new Set(c.limitsHit.map((h) => `${h.file}@${h.at}`))].join(" ") || "-",
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// (e)

export interface FootprintRow {
  readonly design: string;
  readonly zpool: ZpoolKind;
  readonly compressedBytes: number;
  /** memory.zswap.current per stored page. */
  readonly chargedBytesPerPage: number;
  /** Pool pages per stored page (amortised). */
  readonly poolBytesPerPage: number;
  /** Pool + uncharged per-entry metadata per stored page. */
  readonly realBytesPerPage: number;
  readonly realOverCharged: number;
}

/** (e) what zswap charges per page (the compressed length) against what the pool and its metadata take. */
export function footprintCase(p: MemcgCaseParams = DEFAULT_MEMCG_CASES): FootprintRow[] {
  const rows: FootprintRow[] = [];
  const pages = 64 * MiB;
  for (const id of p.footprintDesigns) {
    const design = resolveDesign(id);
    const pools: ZpoolKind[] = ["zsmalloc", "zbud"];
    for (const zpool of pools) {
      let r: MemcgResult;
      for (const len of p.compressedSizesBytes) {
        try {
          r = memcg({ design, system: { swapDeviceBytes: p.swapSizeBytes, zpool }, cgroups: [{ name: "job", workload: { anonBytes: pages, compressibility: { kind: "sizes", sizes: [{ compressedBytes: len, weight: 1 }] } } }] });
        } catch {
          break; // this kernel has no such pool
        }
        const c = r.cgroups[0];
        if (c.pages.zswap === 0) continue; // the pool refused this size
        const per = (b: number) => b / c.pages.zswap;
        const real = c.footprint.poolBytes + c.footprint.metadataBytes;
        rows.push({
          design: id,
          zpool,
          compressedBytes: len,
          chargedBytesPerPage: per(c.counters["memory.zswap.current"]),
          poolBytesPerPage: per(c.footprint.poolBytes),
          realBytesPerPage: per(real),
          realOverCharged: real / c.counters["memory.zswap.current"],
        });
      }
    }
  }
  return rows;
}
