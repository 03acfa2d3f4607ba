/**
 * What a host snapshot gives the memcg charging model (issue 4) and the swapoff model (issue 9):
 * their input shapes, filled from the host's counters, with the derivation of every value. Pure.
 * memcg-on-host.ts and swapoff-on-host.ts run the models on them; what the host cannot tell is
 * stated in each value's `from` and in the notes.
 */
import type { CgroupUsage, HostAnalysis } from "./analyse.js";

const PAGE = 4096;

/** The memcg model's cgroup (a node of the v2 tree, limits, and on leaves the pages pushed out). */
export interface HostCgroupSpec {
  readonly name: string;
  readonly parent: string | null;
  /** The host's path of the group (`/fleet/web`). */
  readonly path: string;
  readonly memoryMaxBytes: number | null;
  readonly swapMaxBytes: number | null;
  readonly zswapMaxBytes: number | null;
  readonly zswapWriteback?: boolean;
  readonly workload?: {
    /** Pages out now: memory.swap.current (mainline charges one slot per swapped page). */
    readonly anonBytes: number;
    /** Resident anon: memory.stat anon. */
    readonly residentBytes: number;
    /** The rest of memory.current (file, kernel, page tables): memory.current - anon - zswap, not reclaimed by the replay. */
    readonly otherChargedBytes: number;
    readonly reclaim: "pageout";
    /** zswapped / zswap of the group: the compressed length charged per page. */
    readonly compressibility: { readonly kind: "ratio"; readonly ratio: number };
    /** Zero/same-filled pages (6.1-6.11: zswap entries with no compressed bytes; 6.12+: swpout_zero - swpin_zero). */
    readonly zeroShare: number;
    /** Pages out but not in zswap, zero or written back, with zswap on and no limit explaining them. */
    readonly incompressibleShare: number;
    readonly writtenBackShare: number;
  };
  /** How each value was derived. */
  readonly from: readonly string[];
}

function name(path: string): string {
  return path === "/" ? "root" : path.slice(1).replace(/\//g, ".").replace(/[^A-Za-z0-9._-]/g, "_");
}

const lim = (l: CgroupUsage["memoryMax"]) => (typeof l === "number" ? l : null);

/**
 * The host's cgroup v2 tree as memcg-model cgroups: every group on the path to a group with swap in
 * use, leaves carrying the pages they have out now. Names are the paths with `/` → `.` (unique).
 */
export function memcgCgroupsOf(a: HostAnalysis): { cgroups: HostCgroupSpec[]; notes: string[] } {
  const notes: string[] = [];
  if (a.cgroups.hierarchy !== "v2") return { cgroups: [], notes: [`no cgroup v2 memory controller (${a.cgroups.hierarchy}): no per-cgroup input`] };
  const groups = a.cgroups.groups.filter((g) => g.path !== "/");
  const byPath = new Map(groups.map((g) => [g.path, g]));
  const swapping = groups.filter((g) => (g.slotsCharged ?? 0) > 0);
  const keep = new Set<string>();
  for (const g of swapping) {
    let p = g.path;
    while (p !== "/" && p !== "") {
      if (byPath.has(p)) keep.add(p);
      p = p.slice(0, p.lastIndexOf("/")) || "/";
    }
  }
  const kept = [...keep].sort();
  const isLeaf = (p: string) => !kept.some((q) => q !== p && q.startsWith(p + "/"));
  const out: HostCgroupSpec[] = kept.map((p) => {
    const g = byPath.get(p)!;
    const parentPath = p.slice(0, p.lastIndexOf("/")) || "/";
    const from = [`${p}: limits from memory.max, memory.swap.max, memory.zswap.max`];
    const base = {
      name: name(p),
      parent: parentPath === "/" || !keep.has(parentPath) ? null : name(parentPath),
      path: p,
      memoryMaxBytes: lim(g.memoryMax),
      swapMaxBytes: lim(g.swapMax),
      zswapMaxBytes: lim(g.zswapMax),
      ...(g.zswapWriteback === null ? {} : { zswapWriteback: g.zswapWriteback }),
    };
    if (!isLeaf(p) || !g.slotsCharged) return { ...base, from };
    const slots = g.slotsCharged;
    const zswappedPages = Math.round((g.zswappedBytes ?? 0) / PAGE);
    const compressed = g.zswapCurrent ?? 0;
    // 6.1-6.11: same-filled pages are zswap entries with no compressed bytes, so a group whose
    // zswapped pages carry no compressed bytes at all holds only those
    const sameOnly = zswappedPages > 0 && compressed === 0;
    // 6.12+: zero-filled pages never reach zswap (zeromap); memory.stat counts them out and in
    const zeroPages = Math.min(Math.max(0, slots - zswappedPages), g.zeroOutPages ?? 0);
    const ratio = !sameOnly && compressed > 0 ? Math.max(1, (zswappedPages * PAGE) / compressed) : (a.backends.zswap.poolRatio?.value ?? 1);
    const notInZswap = Math.max(0, slots - zswappedPages - zeroPages);
    const zswapOff = a.backends.zswap.enabled !== true || g.zswapMax === 0;
    // a group at memory.zswap.max had its other pages refused (or written back) by the limit, which
    // the model applies itself: only pages no limit explains are incompressible or written back
    const limited = g.atLimit.includes("memory.zswap.max");
    // written back: the group's own counter (memory.stat zswpwb, 6.8+), else the host's since-boot share
    const wbPages = zswapOff || limited ? 0 : g.writtenBackPages !== null ? Math.min(notInZswap, g.writtenBackPages) : Math.round(notInZswap * a.backends.writebackShare.value);
    const incompressible = zswapOff || limited ? 0 : notInZswap - wbPages;
    from.push(
      `anonBytes = memory.swap.current = ${slots} pages out now`,
      `residentBytes = memory.stat anon; otherChargedBytes = memory.current - anon - memory.zswap.current (file, kernel: not reclaimed by the replay)`,
      sameOnly ? "zeroShare: zswapped pages with 0 compressed bytes are same-filled entries (6.1-6.11)" : compressed > 0 ? `ratio = zswapped / zswap = ${ratio.toFixed(3)} (the compressed length charged)` : `ratio: no compressed page in the group; the host's pool ratio (or 1)`,
      ...(g.zeroOutPages !== null ? [`zeroShare: memory.stat swpout_zero - swpin_zero = ${g.zeroOutPages} (an upper bound), at most the pages not in zswap: ${zeroPages}`] : []),
      zswapOff
        ? `pages not in zswap: zswap ${g.zswapMax === 0 ? "disabled for the group (memory.zswap.max = 0)" : "off"}, so on disk`
        : limited
          ? `pages not in zswap (${notInZswap}): the group is at memory.zswap.max, which the model applies (neither incompressible nor written back by assumption)`
          : `pages not in zswap (${notInZswap}): ${wbPages} written back (${g.writtenBackPages !== null ? "memory.stat zswpwb" : `the host's written-back share ${a.backends.writebackShare.value.toFixed(3)}`}), ${incompressible} taken as incompressible`,
    );
    const stored = zswappedPages + wbPages;
    return {
      ...base,
      workload: {
        anonBytes: slots * PAGE,
        residentBytes: Math.floor((g.anonBytes ?? 0) / PAGE) * PAGE,
        otherChargedBytes: Math.floor(Math.max(0, (g.memoryCurrent ?? 0) - (g.anonBytes ?? 0) - (g.zswapCurrent ?? 0)) / PAGE) * PAGE,
        reclaim: "pageout" as const,
        compressibility: { kind: "ratio" as const, ratio },
        zeroShare: (sameOnly ? zswappedPages : zeroPages) / slots,
        incompressibleShare: incompressible / slots,
        writtenBackShare: stored > 0 ? wbPages / stored : 0,
      },
      from,
    };
  });
  if (swapping.length === 0) notes.push("no cgroup has swap in use");
  notes.push("6.1-6.11: a group's same-filled pages are told apart only when it has no compressed page (memory.stat keeps them in zswapped); 6.12+: memory.stat swpout_zero - swpin_zero bounds the zero pages out now");
  return { cgroups: out, notes };
}

/** The swapoff model's workload for this host: the mms it would walk and their page tables. */
export interface HostSwapoffWorkload {
  readonly processes: number;
  readonly mappedBytes: number;
  readonly idleProcesses: number;
  readonly idleMappedBytes: number;
  readonly from: readonly string[];
}

/** One PTE page maps 512 × 4 KiB = 2 MiB: page-table kB → bytes of address space under PTE tables. */
export const BYTES_MAPPED_PER_PT_KB = (2 * 1024 * 1024) / 4;

export function swapoffWorkloadOf(a: HostAnalysis): { workload: HostSwapoffWorkload | null; notes: string[] } {
  const m = a.processes;
  if (!m) return { workload: null, notes: ["no swapcost/mm-summary in the snapshot: the page-table walk cannot be sized"] };
  return {
    workload: {
      processes: m.swappingProcesses,
      mappedBytes: m.vmpteKbSwapping * BYTES_MAPPED_PER_PT_KB,
      idleProcesses: m.processes - m.swappingProcesses,
      idleMappedBytes: (m.vmpteKbAll - m.vmpteKbSwapping) * BYTES_MAPPED_PER_PT_KB,
      from: [
        `processes = ${m.swappingProcesses} with VmSwap > 0 now (a lower bound of init_mm.mmlist, which keeps every mm that swapped since swap was last empty)`,
        `mappedBytes = ${m.vmpteKbSwapping} kB of their page tables (VmPTE, every level) x 2 MiB per 4 KiB PTE page: an upper bound of the PTE-table span (upper-level pages counted as PTE pages)`,
      ],
    },
    notes: ["shmem/tmpfs swap entries are not in the snapshot: shmem_unuse work is not sized (0)"],
  };
}
