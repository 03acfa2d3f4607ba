/**
 * What a design charges to a cgroup v2 hierarchy when anonymous memory is swapped out: every
 * counter named after its cgroup file (memory.current, memory.swap.current, memory.zswap.current,
 * memory.stat, memory.swap.events), the limits that bite, the pages that could not be reclaimed,
 * and the real memory the swapped data takes (pool pages, uncharged metadata) against what is
 * charged. The charging rules come from ./memcg-rules.ts (cited, per design); the pool sizes from
 * ./zpool.ts; the uncharged metadata from the overhead model.
 *
 * The model walks the pages each cgroup pushes out through the design's swap-out path, in bulk:
 * pages of one kind (zero-filled, same-filled, compressed to a given length, incompressible) are
 * processed together up to the next point where a limit changes the outcome, then the boundary is
 * handled page-exactly. Kinds are interleaved in proportion to their shares (every prefix of the
 * stream holds each kind within about one page of its share) and cgroups under a common ancestor
 * take turns in 256 rounds, so pages compete for shared limits in proportion.
 *
 * Pure: inputs in, a plain JSON-serialisable record out.
 */
import { SwapcostInputError, SwapcostInvariantError } from "../errors.js";
import type { Design } from "../designs/types.js";
import { citeSource, derived, type Source } from "../kernel/sources.js";
import { apportion } from "../units/share.js";
import { memcgRulesFor, type MemcgRules } from "./memcg-rules.js";
import { overhead, type OverheadResult, type OverheadRow, type Usage } from "./overhead.js";
import { apportionSmall, ZswapLru } from "./zswap-lru.js";
import { poolFootprint, zpoolStore, type PoolFootprint, type ZpoolKind, type ZpoolProfile } from "./zpool.js";

export const PAGE_SIZE_BYTES = 4096;
const GiB = 1024 ** 3;

// ---------------------------------------------------------------------------------------------
// Inputs

/**
 * How the pages leave memory.
 * - `pageout`: MADV_PAGEOUT of `anonBytes`: every page goes through shrink_folio_list(), so a
 *   slot charge that fails at memory.swap.max counts a memory.swap.events `max` (and `fail`) per page.
 * - `lru`: memory.reclaim of `anonBytes`: LRU reclaim, which (mainline) stops scanning anon once
 *   the cgroup has no swap room left (can_reclaim_anon_pages): no events, the rest is not scanned.
 * - `limit`: the workload touches `anonBytes` under memory.max; LRU reclaim pushes out what the
 *   limits (the cgroup's and its ancestors') require, or the cgroup OOMs.
 */
export type ReclaimMode = "pageout" | "lru" | "limit";
export const RECLAIM_MODES: readonly ReclaimMode[] = ["pageout", "lru", "limit"];

export interface CompressedSize {
  /** Compressor output for a page, in bytes (above PAGE_SIZE means incompressible). */
  readonly compressedBytes: number;
  /** Relative frequency (any positive scale). */
  readonly weight: number;
}

/** How the compressible pages compress. */
export type Compressibility =
  /** Every compressible page compresses to round(PAGE_SIZE / ratio) bytes; ratio ≥ 1. */
  | { readonly kind: "ratio"; readonly ratio: number }
  /** A distribution of compressed sizes (from zsmalloc's class stats, a lab run, …). */
  | { readonly kind: "sizes"; readonly sizes: readonly CompressedSize[] };

export interface Workload {
  /** Anonymous memory: what is pushed out (pageout, lru), or the whole anon footprint under memory.max (limit). Bytes, whole pages. */
  readonly anonBytes: number;
  /** Anon that stays resident besides (pageout, lru only). @defaultValue 0 */
  readonly residentBytes?: number;
  /**
   * Other memory charged to the cgroup that anon reclaim cannot free (page tables, kernel stacks,
   * slab): it counts in memory.current and against memory.max. @defaultValue 0
   */
  readonly otherChargedBytes?: number;
  /** @defaultValue "pageout" */
  readonly reclaim?: ReclaimMode;
  readonly compressibility: Compressibility;
  /** Share of the pushed-out pages that are zero-filled. @defaultValue 0 */
  readonly zeroShare?: number;
  /** Share that is filled with one repeated non-zero word. @defaultValue 0 */
  readonly sameFilledShare?: number;
  /** Share the compressor cannot shrink below PAGE_SIZE. @defaultValue 0 */
  readonly incompressibleShare?: number;
  /** Share of the zswap-stored pages later written back to disk (zswap shrinker, age). @defaultValue 0 */
  readonly writtenBackShare?: number;
}

export interface CgroupSpec {
  /** Directory name (letters, digits, `.`, `_`, `-`). */
  readonly name: string;
  /** Name of the parent cgroup; absent or null for a child of the root. */
  readonly parent?: string | null;
  /** memory.max in bytes; null or absent = max. */
  readonly memoryMaxBytes?: number | null;
  /** memory.swap.max in bytes; null or absent = max. */
  readonly swapMaxBytes?: number | null;
  /** memory.zswap.max in bytes; null or absent = max. */
  readonly zswapMaxBytes?: number | null;
  /** memory.zswap.writeback (6.8+). @defaultValue true */
  readonly zswapWriteback?: boolean;
  /** Only on leaf cgroups (cgroup v2 has no processes in inner nodes). */
  readonly workload?: Workload;
}

export interface MemcgSystem {
  /** Size of the physical swap device; null = no swap device. @defaultValue 32 GiB */
  readonly swapDeviceBytes: number | null;
  /** Device kind, for the metadata model. @defaultValue "ssd" */
  readonly device: "ssd" | "hdd" | "zram";
  /**
   * Size of the space the PTEs point into when it is not the device: the ghost swapfile's declared
   * size, the ghost device, the virtual swap space. @defaultValue the device size for a ghost
   * swapfile (32 GiB without a device), the design's limit otherwise.
   */
  readonly virtualSwapBytes?: number;
  /** zswap enabled (zswap.enabled=1). @defaultValue true */
  readonly zswapEnabled: boolean;
  /** Pool allocator; @defaultValue the kernel's default (zbud on Debian's 6.1, zsmalloc later). */
  readonly zpool?: ZpoolKind;
  /** Possible CPUs (per-CPU metadata). @defaultValue 8 */
  readonly cpus: number;
  /**
   * Compressed length of a same-filled non-zero page on kernels without a same-filled path
   * (6.12+). @defaultValue 33: lz4 1.9.4 `-1` block of a page of one repeated 8-byte word
   * (48-byte frame minus 15 bytes of frame header, block size and end mark).
   */
  readonly sameFilledCompressedBytes: number;
}

export const DEFAULT_MEMCG_SYSTEM: MemcgSystem = {
  swapDeviceBytes: 32 * GiB,
  device: "ssd",
  zswapEnabled: true,
  cpus: 8,
  sameFilledCompressedBytes: 33,
};

export const SAME_FILLED_COMPRESSED_SOURCE: Source = derived(
  "lz4 1.9.4: `lz4 -1 -B4 --no-frame-crc` of 4096 bytes of one repeated 8-byte word = 48-byte frame - 7 (header) - 4 (block size) - 4 (end mark) = 33 bytes (26 for a repeated byte); lzo differs by a few bytes",
);

export interface MemcgInput {
  readonly design: Design;
  readonly system?: Partial<MemcgSystem>;
  readonly cgroups: readonly CgroupSpec[];
}

// ---------------------------------------------------------------------------------------------
// Outputs

/** Why resident pages could not be pushed out. */
export type StuckReason =
  | "memory.swap.max"
  | "no free swap slot"
  | "zswap rejected, memory.zswap.writeback=0"
  | "zswap rejected, no swap data section"
  | "not scanned: no swap room";

export const STUCK_REASONS: readonly StuckReason[] = [
  "memory.swap.max",
  "no free swap slot",
  "zswap rejected, memory.zswap.writeback=0",
  "zswap rejected, no swap data section",
  "not scanned: no swap room",
];

/** zswap stores refused, by cause (the /sys/kernel/debug/zswap counter where there is one). */
export type RejectReason = "memory.zswap.max" | "memory.zswap.max, LRU head rotated" | "reject_compress_poor" | "reject_alloc_fail" | "reject_compress_fail" | "compression failed (not counted)";
export const REJECT_REASONS: readonly RejectReason[] = ["memory.zswap.max", "memory.zswap.max, LRU head rotated", "reject_compress_poor", "reject_alloc_fail", "reject_compress_fail", "compression failed (not counted)"];

export interface CgroupCounters {
  /** Charged memory: resident anon + zswap compressed bytes (page-rounded per cgroup, as obj_cgroup charges whole pages). */
  readonly "memory.current": number;
  readonly "memory.swap.current": number;
  readonly "memory.zswap.current": number;
  readonly "memory.stat:anon": number;
  readonly "memory.stat:zswap": number;
  readonly "memory.stat:zswapped": number;
  readonly "memory.stat:zswpout": number;
  /** 6.8+ only (null before). */
  readonly "memory.stat:zswpwb": number | null;
  readonly "memory.swap.events:max": number;
  readonly "memory.swap.events:fail": number;
}

export interface CgroupPages {
  /** Pages the workload tried to push out (pageout/lru: all of anonBytes; limit: what reclaim took). */
  readonly attempted: number;
  readonly resident: number;
  readonly zswap: number;
  /** Zero-filled pages kept as a bit or descriptor type (no zswap entry). */
  readonly zero: number;
  /** 6.1/6.6: same-filled pages kept as zswap entries of length 0 (part of `zswap`). */
  readonly sameFilledEntries: number;
  readonly disk: number;
  /** Of `disk`: reached disk by zswap writeback (memory.zswap.max or the workload's writtenBackShare). */
  readonly writtenBack: number;
  /** Resident pages still holding a swap slot (in the swap cache) after zswap rejected them. */
  readonly residentWithSlot: number;
  readonly stuck: Readonly<Record<StuckReason, number>>;
}

export interface CgroupFootprint {
  /** memory.current. */
  readonly chargedBytes: number;
  /** Resident anon + other charged memory + pool pages + zspage headers + the cgroup's share of the uncharged per-entry metadata. */
  readonly realBytes: number;
  readonly residentBytes: number;
  /** The cgroup's share of the pool's pages (amortised per object class). */
  readonly poolBytes: number;
  /** Of the compressed data: pool bytes minus the compressed length charged. */
  readonly poolOverheadBytes: number;
  /** Uncharged metadata attributed to the cgroup's entries (zswap_entry, handles, descriptors, tables, xarray nodes). */
  readonly metadataBytes: number;
  /** realBytes - chargedBytes. */
  readonly unchargedBytes: number;
  /** Data on the swap device (not memory). */
  readonly diskBytes: number;
}

export interface LimitHit {
  /** A cgroup file, or "swap space" when the swap device (or ghost/virtual space) is full or absent. */
  readonly file: "memory.max" | "memory.swap.max" | "memory.zswap.max" | "memory.zswap.writeback" | "swap space";
  /** The cgroup whose limit bit (this one or an ancestor; the cgroup itself for swap space). */
  readonly at: string;
  readonly pages: number;
  readonly what: string;
}

/** A workload as the model read it (defaults filled in). */
export interface WorkloadEcho {
  readonly anonBytes: number;
  readonly residentBytes: number;
  readonly otherChargedBytes: number;
  readonly reclaim: ReclaimMode;
  readonly compressibility: Compressibility | null;
  readonly zeroShare: number;
  readonly sameFilledShare: number;
  readonly incompressibleShare: number;
  readonly writtenBackShare: number;
  /** Mean compressed length of the compressible pages (bytes). */
  readonly meanCompressedBytes: number | null;
}

export interface CgroupResult {
  readonly name: string;
  readonly path: string;
  readonly parent: string | null;
  readonly depth: number;
  readonly leaf: boolean;
  readonly workload: WorkloadEcho | null;
  readonly limits: {
    readonly "memory.max": number | null;
    readonly "memory.swap.max": number | null;
    readonly "memory.zswap.max": number | null;
    readonly "memory.zswap.writeback": 0 | 1 | null;
  };
  /** Hierarchical, as the kernel reports them (this cgroup and its descendants). */
  readonly counters: CgroupCounters;
  /** This cgroup's own pages (leaves) or the sum over its subtree. */
  readonly pages: CgroupPages;
  readonly zswapRejects: Readonly<Record<RejectReason, number>>;
  readonly footprint: CgroupFootprint;
  /** Limits that changed an outcome for this cgroup's pages (and where). */
  readonly limitsHit: readonly LimitHit[];
  /** memory.max not met at the end (limit mode: OOM; pageout/lru: the kernel would reclaim more or OOM). */
  readonly overMemoryMax: { readonly bytes: number; readonly oom: boolean } | null;
}

export interface UnchargedRow {
  readonly structure: string;
  readonly name: string;
  readonly class: "static" | "dynamic";
  readonly bytes: number;
  readonly chargedTo: "nobody";
  readonly sources: readonly string[];
}

export interface MemcgResult {
  readonly design: { readonly id: string; readonly title: string; readonly family: string };
  readonly rules: MemcgRules;
  readonly system: MemcgSystem & { readonly zpool: ZpoolKind; readonly virtualSwapBytes: number };
  readonly cgroups: readonly CgroupResult[];
  readonly totals: {
    readonly pool: Omit<PoolFootprint, "bytesPerObject"> & { readonly bytesPerObject: ReadonlyArray<readonly [number, number]> };
    readonly physicalSlotsUsed: number;
    readonly physicalSlotsUsable: number;
    readonly virtualSlotsUsed: number;
    readonly usage: Usage;
    /** Metadata no cgroup is charged for, from the overhead model (static: at swapon; dynamic: per entry/cluster). */
    readonly uncharged: readonly UnchargedRow[];
    readonly unchargedBytes: number;
  };
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Validation and normalisation

const NAME = /^[A-Za-z0-9._-]+$/;

function isLimit(v: unknown): v is number | null | undefined {
  return v === null || v === undefined || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0);
}

function share(v: number | undefined, field: string): number {
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) throw new SwapcostInputError(field, v, "a share between 0 and 1 (0% to 100%)");
  return v;
}

interface Kind {
  readonly type: "zero" | "same" | "data";
  /** Compressor output (data): above PAGE_SIZE = incompressible. */
  readonly lengthBytes: number;
  readonly weight: number;
}

interface NormWorkload {
  readonly otherBytes: number;
  readonly anonPages: number;
  readonly residentPages: number;
  readonly reclaim: ReclaimMode;
  readonly kinds: readonly Kind[];
  readonly writtenBackShare: number;
}

const INCOMPRESSIBLE = PAGE_SIZE_BYTES + 1;

function normWorkload(w: Workload, field: string): NormWorkload {
  if (typeof w !== "object" || w === null) throw new SwapcostInputError(field, w, "a workload object");
  if (!Number.isSafeInteger(w.anonBytes) || w.anonBytes < 0) throw new SwapcostInputError(`${field}.anonBytes`, w.anonBytes, "a size in bytes ≥ 0");
  const residentBytes = w.residentBytes ?? 0;
  if (!Number.isSafeInteger(residentBytes) || residentBytes < 0) throw new SwapcostInputError(`${field}.residentBytes`, w.residentBytes, "a size in bytes ≥ 0");
  const otherBytes = w.otherChargedBytes ?? 0;
  if (!Number.isSafeInteger(otherBytes) || otherBytes < 0) throw new SwapcostInputError(`${field}.otherChargedBytes`, w.otherChargedBytes, "a size in bytes ≥ 0");
  const reclaim = w.reclaim ?? "pageout";
  if (!RECLAIM_MODES.includes(reclaim)) throw new SwapcostInputError(`${field}.reclaim`, reclaim, RECLAIM_MODES.join(", "));
  if (reclaim === "limit" && residentBytes > 0) {
    throw new SwapcostInputError(`${field}.residentBytes`, residentBytes, "0 with reclaim limit (anonBytes is the whole anon footprint and memory.max decides what is pushed out)");
  }
  const zero = share(w.zeroShare, `${field}.zeroShare`);
  const same = share(w.sameFilledShare, `${field}.sameFilledShare`);
  const incomp = share(w.incompressibleShare, `${field}.incompressibleShare`);
  const rest = 1 - zero - same - incomp;
  if (rest < -1e-9) {
    throw new SwapcostInputError(`${field} shares`, `${(zero * 100).toFixed(2)}% zero + ${(same * 100).toFixed(2)}% same-filled + ${(incomp * 100).toFixed(2)}% incompressible`, "shares that add up to at most 100%", `they add up to ${((zero + same + incomp) * 100).toFixed(2)}%`);
  }
  const kinds: Kind[] = [];
  if (zero > 0) kinds.push({ type: "zero", lengthBytes: 0, weight: zero });
  if (same > 0) kinds.push({ type: "same", lengthBytes: 0, weight: same });
  if (incomp > 0) kinds.push({ type: "data", lengthBytes: INCOMPRESSIBLE, weight: incomp });
  const c = w.compressibility;
  if (rest > 1e-12) {
    if (!c || typeof c !== "object") throw new SwapcostInputError(`${field}.compressibility`, c, "{kind: \"ratio\", ratio} or {kind: \"sizes\", sizes: [{compressedBytes, weight}]}");
    if (c.kind === "ratio") {
      if (typeof c.ratio !== "number" || !Number.isFinite(c.ratio) || c.ratio < 1) throw new SwapcostInputError(`${field}.compressibility.ratio`, c.ratio, "a compression ratio ≥ 1 (original / compressed); use incompressibleShare for pages that do not compress");
      kinds.push({ type: "data", lengthBytes: Math.max(1, Math.round(PAGE_SIZE_BYTES / c.ratio)), weight: rest });
    } else if (c.kind === "sizes") {
      if (!Array.isArray(c.sizes) || c.sizes.length === 0) throw new SwapcostInputError(`${field}.compressibility.sizes`, c.sizes, "a non-empty list of {compressedBytes, weight}");
      let total = 0;
      const merged = new Map<number, number>();
      c.sizes.forEach((s, i) => {
        const f = `${field}.compressibility.sizes[${i}]`;
        if (!s || !Number.isSafeInteger(s.compressedBytes) || s.compressedBytes < 1 || s.compressedBytes > 65536) throw new SwapcostInputError(`${f}.compressedBytes`, s?.compressedBytes, "a whole number of bytes from 1 to 65536");
        if (typeof s.weight !== "number" || !Number.isFinite(s.weight) || s.weight <= 0) throw new SwapcostInputError(`${f}.weight`, s.weight, "a positive number");
        const len = s.compressedBytes > PAGE_SIZE_BYTES ? INCOMPRESSIBLE : s.compressedBytes;
        merged.set(len, (merged.get(len) ?? 0) + s.weight);
        total += s.weight;
      });
      for (const [len, wt] of [...merged.entries()].sort((a, b) => a[0] - b[0])) {
        const existing = kinds.find((k) => k.type === "data" && k.lengthBytes === len);
        if (existing) (existing as { weight: number }).weight += (wt / total) * rest;
        else kinds.push({ type: "data", lengthBytes: len, weight: (wt / total) * rest });
      }
    } else throw new SwapcostInputError(`${field}.compressibility.kind`, (c as { kind: unknown }).kind, "ratio or sizes");
  }
  return {
    otherBytes,
    anonPages: Math.floor(w.anonBytes / PAGE_SIZE_BYTES),
    residentPages: Math.floor(residentBytes / PAGE_SIZE_BYTES),
    reclaim,
    kinds: kinds.filter((k) => k.weight > 0),
    writtenBackShare: share(w.writtenBackShare, `${field}.writtenBackShare`),
  };
}

// ---------------------------------------------------------------------------------------------
// Simulation state

interface Cg {
  readonly idx: number;
  readonly spec: CgroupSpec;
  readonly name: string;
  readonly path: string;
  readonly parent: number;
  readonly depth: number;
  /** This cgroup and its ancestors below the root, nearest first. */
  ancestors: number[];
  children: number[];
  readonly maxMem: number;
  readonly maxSwap: number;
  readonly maxZswap: number;
  writeback: boolean;
  readonly workload: NormWorkload | null;
  emitted: number[];
  emittedTotal: number;
  // own state
  /** Non-anon charge that reclaim cannot free (workload.otherChargedBytes). */
  otherBytes: number;
  resident: number;
  swap: number;
  zswapBytes: number;
  zswapEntries: number;
  lens: Map<number, number>;
  lru: ZswapLru;
  zero: number;
  sameFilled: number;
  disk: number;
  writtenBack: number;
  withSlot: number;
  stores: number;
  attempted: number;
  remaining: number;
  blocked: boolean;
  stuck: Record<StuckReason, number>;
  rejects: Record<RejectReason, number>;
  eventMax: number;
  eventFail: number;
  hits: Map<number, Map<string, { file: LimitHit["file"]; at: string; pages: number; what: string }>>;
  // hierarchical aggregates
  aggMem: number;
  aggSwap: number;
  aggZswap: number;
}

interface Sim {
  readonly rules: MemcgRules;
  readonly system: MemcgSystem & { zpool: ZpoolKind; virtualSwapBytes: number };
  readonly pool: ZpoolProfile;
  readonly cgs: Cg[];
  physUsable: number;
  physUsed: number;
  virtUsable: number;
  virtUsed: number;
  readonly chargeAtAlloc: boolean;
  readonly notes: Set<string>;
  /** Counter of stream draws: entries stored in one draw share an LRU run. */
  batch: number;
}

function ownMemBytes(c: Cg): number {
  return c.resident * PAGE_SIZE_BYTES + Math.ceil(c.zswapBytes / PAGE_SIZE_BYTES) * PAGE_SIZE_BYTES + c.otherBytes;
}

/** Change a cgroup's own resident pages, charged slots and zswap bytes, and its ancestors' aggregates. */
function bump(s: Sim, c: Cg, dResident: number, dSwap: number, dZswapBytes: number): void {
  const memBefore = ownMemBytes(c);
  c.resident += dResident;
  c.swap += dSwap;
  c.zswapBytes += dZswapBytes;
  const dMem = ownMemBytes(c) - memBefore;
  if (dMem || dSwap || dZswapBytes) {
    for (const a of c.ancestors) {
      const x = s.cgs[a];
      x.aggMem += dMem;
      x.aggSwap += dSwap;
      x.aggZswap += dZswapBytes;
    }
  }
}

const LIMIT_FILES: readonly LimitHit["file"][] = ["memory.max", "memory.swap.max", "memory.zswap.max", "memory.zswap.writeback", "swap space"];

function hit(c: Cg, file: LimitHit["file"], at: Cg, pages: number, what: string): void {
  const key = at.idx * LIMIT_FILES.length + LIMIT_FILES.indexOf(file);
  let byWhat = c.hits.get(key);
  if (!byWhat) c.hits.set(key, (byWhat = new Map()));
  const h = byWhat.get(what);
  if (h) h.pages += pages;
  else byWhat.set(what, { file, at: at.path, pages, what });
}

/** Pages of memory.swap room before any ancestor's memory.swap.max refuses a charge, and which ancestor binds. */
function swapRoom(s: Sim, c: Cg): { room: number; at: Cg | null } {
  let room = Infinity;
  let at: Cg | null = null;
  for (const a of c.ancestors) {
    const x = s.cgs[a];
    if (x.maxSwap === Infinity) continue;
    const r = x.maxSwap - x.aggSwap;
    if (r < room) {
      room = r;
      at = x;
    }
  }
  return { room: Math.max(0, room), at };
}

function layerRoom(s: Sim, layer: "physical" | "virtual"): number {
  return layer === "physical" ? Math.max(0, s.physUsable - s.physUsed) : Math.max(0, s.virtUsable - s.virtUsed);
}

function takeSlots(s: Sim, layer: "physical" | "virtual", n: number): void {
  if (layer === "physical") s.physUsed += n;
  else s.virtUsed += n;
}

function chargeSwap(s: Sim, c: Cg, n: number): void {
  if (n) bump(s, c, 0, n, 0);
}

function swapEvents(s: Sim, c: Cg, max: number, fail: number): void {
  for (const a of c.ancestors) {
    s.cgs[a].eventMax += max;
    s.cgs[a].eventFail += fail;
  }
}

/** mem_cgroup_swap_full(): any ancestor at half its memory.swap.max, or the device more than half used. */
function swapFullRoom(s: Sim, c: Cg): number {
  let room = Infinity;
  for (const a of c.ancestors) {
    const x = s.cgs[a];
    if (x.maxSwap === Infinity) continue;
    room = Math.min(room, Math.ceil(x.maxSwap / 2) - x.aggSwap);
  }
  const layer = s.rules.chargedLayer.value;
  const usable = layer === "physical" ? s.physUsable : s.virtUsable;
  const used = layer === "physical" ? s.physUsed : s.virtUsed;
  room = Math.min(room, Math.floor((usable + 1) / 2) - used);
  return Math.max(0, room);
}

/** The tightest memory.zswap.max among the cgroup and its ancestors: bytes left before stores stop (≤ 0: at the limit). */
function zswapRoom(s: Sim, c: Cg): { roomBytes: number; at: Cg | null; zero: boolean } {
  let room = Infinity;
  let at: Cg | null = null;
  for (const a of c.ancestors) {
    const x = s.cgs[a];
    if (x.maxZswap === Infinity) continue;
    if (x.maxZswap === 0) return { roomBytes: 0, at: x, zero: true };
    const r = x.maxZswap * PAGE_SIZE_BYTES - x.aggZswap;
    if (r < room) {
      room = r;
      at = x;
    }
  }
  return { roomBytes: room, at, zero: false };
}

// ---------------------------------------------------------------------------------------------
// Swap-out path

const STOP = -1;

interface Ctx {
  readonly mode: ReclaimMode;
}

/** Resident pages that zswap rejected and that cannot go to disk: they keep their slot unless swap is full. */
function keepResident(s: Sim, c: Cg, n: number, reason: StuckReason): number {
  const r = s.rules;
  if (r.residentAfterReject.value === "virtual-slot-uncharged") {
    c.stuck[reason] += n;
    c.withSlot += n;
    return n;
  }
  const room = swapFullRoom(s, c);
  if (room <= 0) {
    // folio_free_swap(): the slot is released and uncharged
    bump(s, c, 0, -n, 0);
    takeSlots(s, r.chargedLayer.value, -n);
    c.stuck[reason] += n;
    return n;
  }
  const k = Math.min(n, room);
  c.stuck[reason] += k;
  c.withSlot += k;
  return k;
}

/** Pages zswap did not take: disk if allowed, else they stay in memory. Returns pages processed (≤ n). */
function fallback(s: Sim, c: Cg, n: number): number {
  const r = s.rules;
  if (s.system.zswapEnabled && !c.writeback) {
    hit(c, "memory.zswap.writeback", firstWritebackOff(s, c), n, "zswap rejected the page and writeback is off: it stays in memory");
    return keepResident(s, c, n, "zswap rejected, memory.zswap.writeback=0");
  }
  if (r.rejectedFallback.value === "stay-resident") return keepResident(s, c, n, "zswap rejected, no swap data section");
  const dc = r.diskCharge.value;
  if (dc === "already-charged") {
    bump(s, c, -n, 0, 0);
    c.disk += n;
    return n;
  }
  const phys = layerRoom(s, "physical");
  if (dc === "not-charged-again") {
    if (phys <= 0) {
      hit(c, "swap space", c, n, s.physUsable === 0 ? "no swap device behind the ghost/virtual slots: a page zswap rejects stays in memory" : "no free disk slot: the page stays in memory");
      return keepResident(s, c, n, "no free swap slot");
    }
    const k = Math.min(n, phys);
    takeSlots(s, "physical", k);
    bump(s, c, -k, 0, 0);
    c.disk += k;
    return k;
  }
  // charge-physical-slot (vswap): a physical slot, charged now
  if (phys <= 0) {
    c.stuck["no free swap slot"] += n;
    c.withSlot += n;
    hit(c, "swap space", c, n, s.physUsable === 0 ? "no swap device: a page zswap rejects stays in memory (in the swap cache)" : "no free disk slot: the page stays in memory (in the swap cache)");
    return n;
  }
  const { room, at } = swapRoom(s, c);
  if (room <= 0) {
    swapEvents(s, c, n, n);
    if (at) hit(c, "memory.swap.max", at, n, "no memory.swap room for the disk slot: the page stays in memory (in the swap cache)");
    c.stuck["memory.swap.max"] += n;
    c.withSlot += n;
    return n;
  }
  const k = Math.min(n, phys, room);
  takeSlots(s, "physical", k);
  bump(s, c, -k, k, 0);
  c.disk += k;
  return k;
}

function firstWritebackOff(s: Sim, c: Cg): Cg {
  for (let i = c.ancestors.length - 1; i >= 0; i--) {
    const x = s.cgs[c.ancestors[i]];
    if (x.spec.zswapWriteback === false) return x;
  }
  return c;
}

/** Pages a zswap writeback can move to disk now (0: shrink_memcg fails). */
function writebackRoom(s: Sim, c: Cg): number {
  if (!c.writeback) return 0;
  const r = s.rules;
  if (r.rejectedFallback.value === "stay-resident") return 0;
  switch (r.diskCharge.value) {
    case "already-charged":
      return Infinity;
    case "not-charged-again":
      return layerRoom(s, "physical");
    case "charge-physical-slot":
      return Math.min(layerRoom(s, "physical"), swapRoom(s, c).room);
  }
}

/** Write back the `n` oldest stored entries of `c` (the head of its zswap LRU) to disk. */
function writeBack(s: Sim, c: Cg, n: number): void {
  let left = n;
  let bytes = 0;
  while (left > 0) {
    const k = Math.min(left, c.lru.headRunRemaining());
    if (k <= 0) throw new SwapcostInvariantError(`writeback of ${n} entries of ${c.path}: only ${n - left} stored`);
    c.lru.takeHead(k, (len, m) => {
      c.lens.set(len, (c.lens.get(len) ?? 0) - m);
      bytes += m * len;
    });
    left -= k;
  }
  const dc = s.rules.diskCharge.value;
  if (dc !== "already-charged") takeSlots(s, "physical", n);
  bump(s, c, 0, dc === "charge-physical-slot" ? n : 0, -bytes);
  c.zswapEntries -= n;
  c.disk += n;
  c.writtenBack += n;
}

function store(s: Sim, c: Cg, len: number, n: number): void {
  bump(s, c, -n, 0, len * n);
  c.zswapEntries += n;
  c.stores += n;
  c.lens.set(len, (c.lens.get(len) ?? 0) + n);
  // entries with a length go on the zswap LRU (6.1's zbud keeps an LRU of pool pages: same order)
  if (len > 0) c.lru.push(true, len, n, s.batch);
}

/** What zswap does with a payload of `len` bytes (before limits): store (with its length) or a reject reason. */
type CompressOutcome = { readonly kind: "store"; readonly len: number } | { readonly kind: "reject"; readonly reason: RejectReason };

function compressOutcome(s: Sim, c: Cg, len: number): CompressOutcome {
  if (len >= PAGE_SIZE_BYTES) {
    if (s.rules.incompressible.value === "store-as-is-unless-writeback-off") {
      if (c.writeback) return { kind: "store", len: PAGE_SIZE_BYTES };
      return { kind: "reject", reason: "reject_compress_fail" };
    }
    // the compressor's output does not fit the PAGE_SIZE it was given: the compression fails
    if (len > PAGE_SIZE_BYTES) return { kind: "reject", reason: s.rules.behaviour.compressFailCounter.value };
  }
  if (len === 0) return { kind: "store", len: 0 };
  const z = zpoolStore(s.pool, Math.min(len, PAGE_SIZE_BYTES + 1));
  return z.outcome === "stored" ? { kind: "store", len } : { kind: "reject", reason: z.reason };
}

/** zswap for `n` pages of payload `len` that hold a slot. Returns pages processed (≤ n, ≥ 1). */
function zswapPath(s: Sim, c: Cg, len: number, n: number): number {
  if (!s.system.zswapEnabled) return fallback(s, c, n);
  const z = zswapRoom(s, c);
  const outcome = compressOutcome(s, c, len);
  if (z.roomBytes > 0) {
    if (outcome.kind === "reject") {
      const k = fallback(s, c, n);
      c.rejects[outcome.reason] += k;
      return k;
    }
    const k = outcome.len === 0 || z.roomBytes === Infinity ? n : Math.min(n, Math.ceil(z.roomBytes / outcome.len));
    store(s, c, outcome.len, k);
    return k;
  }
  // at memory.zswap.max (of this cgroup or an ancestor)
  const at = z.at ?? c;
  if (s.rules.zswapMax.value === "reject" || z.zero) {
    const k = fallback(s, c, n);
    c.rejects["memory.zswap.max"] += k;
    hit(c, "memory.zswap.max", at, k, "zswap refused the page at memory.zswap.max");
    return k;
  }
  // shrink_memcg(): look at the head of this cgroup's zswap LRU
  const headRef = c.lru.headRef();
  const wbRoom = writebackRoom(s, c);
  if (headRef === undefined || wbRoom <= 0) {
    const k = fallback(s, c, n);
    c.rejects["memory.zswap.max"] += k;
    hit(c, "memory.zswap.max", at, k, "zswap refused the page at memory.zswap.max (nothing to write back)");
    return k;
  }
  const headLeft = c.lru.headRunRemaining();
  if (headRef) {
    // second chance: rotate, reject this store
    const k = fallback(s, c, Math.min(n, headLeft));
    c.lru.rotate(k, s.batch);
    c.rejects["memory.zswap.max, LRU head rotated"] += k;
    hit(c, "memory.zswap.max", at, k, "at memory.zswap.max: the LRU head was referenced, rotated, and the store refused");
    return k;
  }
  // write back the unreferenced head, then store
  let k = Math.min(n, headLeft, wbRoom);
  if (outcome.kind === "store") {
    // Each store replaces the oldest entry, so the bytes drift by (new - old) per page: the kernel
    // stores after a successful shrink without checking again, and zswap.current can pass
    // zswap.max while new entries are larger than the ones written back. Bulk steps are kept to
    // about a page of drift so the kinds of the stream interleave as they do page by page.
    const drift = Math.abs(c.lru.headMeanLength() - outcome.len);
    if (drift > 0) k = Math.max(1, Math.min(k, Math.floor(PAGE_SIZE_BYTES / drift)));
  }
  writeBack(s, c, k);
  hit(c, "memory.zswap.max", at, k, "at memory.zswap.max: the oldest entry was written back to make room");
  if (outcome.kind === "reject") {
    const kk = fallback(s, c, k);
    c.rejects[outcome.reason] += kk;
    return kk;
  }
  store(s, c, outcome.len, k);
  return k;
}

/** One kind of page, `n` of them, through the design's swap-out path. Returns pages processed, or STOP. */
function step(s: Sim, c: Cg, kind: Kind, n: number, ctx: Ctx): number {
  const r = s.rules;
  if (s.chargeAtAlloc) {
    const layer = r.chargedLayer.value;
    const cap = layerRoom(s, layer);
    const { room, at } = swapRoom(s, c);
    const avail = Math.min(cap, room);
    if (avail <= 0) {
      const reason: StuckReason = cap <= 0 ? "no free swap slot" : "memory.swap.max";
      if (ctx.mode !== "pageout" && r.anonScanNeedsSwapRoom.value) return STOP;
      c.stuck[reason] += n;
      c.attempted += n;
      if (reason === "memory.swap.max") {
        swapEvents(s, c, n, n);
        if (at) hit(c, "memory.swap.max", at, n, "the swap slot could not be charged: the page stays in memory");
      } else {
        swapEvents(s, c, 0, n);
        hit(c, "swap space", c, n, s.physUsable === 0 && layer === "physical" ? "no swap device: no slot, so zswap is never reached" : "no free swap slot: the page stays in memory");
      }
      return n;
    }
    const m = Math.min(n, avail);
    const done = afterSlot(s, c, kind, m);
    // the slots of the pages processed: allocated and charged before zswap saw them
    takeSlots(s, layer, done);
    chargeSwap(s, c, done);
    c.attempted += done;
    return done;
  }
  // physical-slots-only: a virtual slot, uncharged
  const cap = layerRoom(s, "virtual");
  if (cap <= 0) {
    if (ctx.mode !== "pageout") return STOP;
    c.stuck["no free swap slot"] += n;
    c.attempted += n;
    hit(c, "swap space", c, n, "the virtual swap space is full");
    return n;
  }
  const m = Math.min(n, cap);
  const done = afterSlot(s, c, kind, m);
  takeSlots(s, "virtual", done);
  c.attempted += done;
  return done;
}

function afterSlot(s: Sim, c: Cg, kind: Kind, m: number): number {
  const r = s.rules;
  if (kind.type === "zero") {
    switch (r.zeroPages.value) {
      case "zero-bit":
      case "virtual-zero":
        bump(s, c, -m, 0, 0);
        c.zero += m;
        return m;
      case "zswap-same-filled-entry":
        return sameFilledEntry(s, c, m);
    }
  }
  if (kind.type === "same") {
    if (r.sameFilledPages.value === "zswap-same-filled-entry") return sameFilledEntry(s, c, m);
    return zswapPath(s, c, s.system.sameFilledCompressedBytes, m);
  }
  return zswapPath(s, c, kind.lengthBytes, m);
}

function sameFilledEntry(s: Sim, c: Cg, m: number): number {
  const before = c.zswapEntries;
  const k = zswapPath(s, c, 0, m);
  c.sameFilled += c.zswapEntries - before;
  return k;
}

// ---------------------------------------------------------------------------------------------
// Streams and reclaim drivers

function drawKinds(s: Sim, c: Cg, n: number): number[] {
  s.batch++;
  const w = c.workload!;
  const total = c.emittedTotal + n;
  const desired = w.kinds.map((k, i) => Math.max(0, total * k.weight - c.emitted[i]));
  const parts = apportionSmall(n, desired);
  parts.forEach((p, i) => (c.emitted[i] += p));
  c.emittedTotal = total;
  return parts;
}

/**
 * Under a finite memory.zswap.max (6.8+ rules), pages per kind per draw of the stream: the stream
 * is interleaved this finely, so zswap.current drifts past zswap.max by at most about one draw.
 */
export const KIND_INTERLEAVE_PAGES = 4;

/** Push `n` pages of leaf `c` through the swap-out path; returns pages taken from the workload. */
function pushOut(s: Sim, c: Cg, n: number, ctx: Ctx): number {
  if (n <= 0 || c.blocked) return 0;
  const w = c.workload!;
  let taken = 0;
  let drawn = 0;
  while (drawn < n && !c.blocked) {
    // At memory.zswap.max (6.8+) each store replaces the oldest entry without checking the limit
    // again, so the order in which the kinds were stored decides which lengths replace which, and
    // how far memory.zswap.current drifts past memory.zswap.max. The workload gives a distribution,
    // not an order: the model takes the evenest one, kinds interleaved one draw of
    // KIND_INTERLEAVE_PAGES × kinds pages at a time, from the first store under a finite zswap.max
    // (stored in blocks below the limit, the entries written back later would come in blocks too).
    const fine = w.kinds.length > 1 && s.rules.zswapMax.value === "writeback-lru-head-then-store" && zswapRoom(s, c).roomBytes !== Infinity;
    const batch = fine ? Math.min(n - drawn, KIND_INTERLEAVE_PAGES * w.kinds.length) : n - drawn;
    const parts = drawKinds(s, c, batch);
    drawn += batch;
    for (let i = 0; i < w.kinds.length && !c.blocked; i++) {
      let left = parts[i];
      while (left > 0) {
        const done = step(s, c, w.kinds[i], left, ctx);
        if (done === STOP) {
          c.blocked = true;
          break;
        }
        if (done <= 0) throw new SwapcostInvariantError(`no progress for ${c.path}`);
        left -= done;
        taken += done;
      }
    }
  }
  c.remaining -= taken;
  return taken;
}

const ROUNDS = 256;

function proactive(s: Sim, leaves: Cg[]): void {
  if (!leaves.length) return;
  const targets = leaves.map((c) => c.workload!.anonPages);
  for (let r = 0; r < ROUNDS; r++) {
    leaves.forEach((c, i) => {
      const n = Math.floor((targets[i] * (r + 1)) / ROUNDS) - Math.floor((targets[i] * r) / ROUNDS);
      pushOut(s, c, n, { mode: c.workload!.reclaim });
    });
  }
  for (const c of leaves) {
    if (c.remaining > 0) {
      // LRU reclaim stopped scanning anon (no swap room): what is left stays in memory
      c.stuck["not scanned: no swap room"] += c.remaining;
      blockedHit(s, c, c.remaining);
      c.remaining = 0;
    }
  }
}

/** Why LRU reclaim stopped scanning a leaf's anon (no memory.swap room, or no swap space). */
function blockedHit(s: Sim, c: Cg, pages: number): void {
  const { room, at } = swapRoom(s, c);
  if (at && room <= 0) hit(c, "memory.swap.max", at, pages, "reclaim stopped scanning anon: no memory.swap room (can_reclaim_anon_pages)");
  else hit(c, "swap space", c, pages, s.physUsable === 0 && s.rules.chargedLayer.value === "physical" ? "no swap device: reclaim does not scan anon (zswap needs a swap slot)" : "reclaim stopped scanning anon: no free swap slot");
}

/** memory.max cannot be met under `v`: the pages reclaim still needed, spread over the blocked leaves. */
function oomPages(s: Sim, v: Cg, excessBytes: number): void {
  const blocked = subtreeLeaves(s, v).filter((c) => c.workload?.reclaim === "limit" && c.blocked && c.remaining > 0);
  const need = Math.ceil(excessBytes / PAGE_SIZE_BYTES);
  const parts = apportion(need, blocked.map((c) => c.remaining));
  blocked.forEach((c, i) => {
    const k = Math.min(parts[i], c.remaining);
    if (k <= 0) return;
    c.stuck["not scanned: no swap room"] += k;
    blockedHit(s, c, k);
  });
}

function subtreeLeaves(s: Sim, v: Cg): Cg[] {
  const out: Cg[] = [];
  const walk = (i: number) => {
    const x = s.cgs[i];
    if (x.children.length === 0) out.push(x);
    x.children.forEach(walk);
  };
  walk(v.idx);
  return out;
}

function limitReclaim(s: Sim, oom: Set<number>): void {
  const estimate = new Map<number, number>();
  for (let guard = 0; guard < 1_000_000; guard++) {
    let v: Cg | null = null;
    for (const x of s.cgs) {
      if (x.maxMem === Infinity || oom.has(x.idx)) continue;
      if (x.aggMem > x.maxMem * PAGE_SIZE_BYTES && (!v || x.depth > v.depth)) v = x;
    }
    if (!v) return;
    const excess = v.aggMem - v.maxMem * PAGE_SIZE_BYTES;
    const leaves = subtreeLeaves(s, v).filter((c) => c.workload?.reclaim === "limit" && c.remaining > 0 && !c.blocked);
    if (!leaves.length) {
      oom.add(v.idx);
      // record why the leaves under v could not give more
      oomPages(s, v, excess);
      continue;
    }
    const perPage = estimate.get(v.idx) ?? PAGE_SIZE_BYTES;
    // reclaim in slices (a sixteenth of what is missing, at least 32 pages) so that siblings share
    // the ancestors' limits in proportion, as concurrent reclaim does
    const need = Math.max(1, Math.ceil(excess / Math.max(1, perPage)));
    const want = Math.min(need, Math.max(32, Math.ceil(need / 16)));
    const weights = leaves.map((c) => c.remaining);
    const total = weights.reduce((a, b) => a + b, 0);
    const parts = apportion(Math.min(want, total), weights);
    const before = v.aggMem;
    let pushed = 0;
    leaves.forEach((c, i) => (pushed += pushOut(s, c, Math.min(parts[i], c.remaining), { mode: "limit" })));
    const freed = before - v.aggMem;
    if (pushed > 0) estimate.set(v.idx, freed > 0 ? freed / pushed : Math.max(1, perPage / 4));
  }
  throw new SwapcostInvariantError("memory.max reclaim did not converge");
}

function postWriteback(s: Sim, leaves: Cg[]): void {
  for (const c of leaves) {
    const w = c.workload!;
    if (w.writtenBackShare <= 0) continue;
    const stored = c.lru.size;
    const want = Math.round(stored * w.writtenBackShare);
    if (want <= 0) continue;
    const room = writebackRoom(s, c);
    const k = Math.min(want, room === Infinity ? want : room);
    if (k < want) {
      s.notes.add(
        !c.writeback
          ? `${c.path}: writtenBackShare ignored, memory.zswap.writeback is 0`
          : s.rules.rejectedFallback.value === "stay-resident"
            ? `${c.path}: writtenBackShare ignored, the design has no swap data section`
            : `${c.path}: ${want - k} of ${want} pages could not be written back (no disk slot or no memory.swap room)`,
      );
      if (k < want && s.rules.diskCharge.value === "charge-physical-slot" && c.writeback) {
        const at = swapRoom(s, c).at;
        if (at && swapRoom(s, c).room <= 0) hit(c, "memory.swap.max", at, want - k, "zswap writeback needs a charged disk slot: entries stay in zswap");
      }
    }
    if (k > 0) writeBack(s, c, k);
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point

function limitPages(v: number | null | undefined): number {
  return v === null || v === undefined ? Infinity : Math.floor(v / PAGE_SIZE_BYTES);
}

function resolveSystem(design: Design, rules: MemcgRules, sys: Partial<MemcgSystem> | undefined): MemcgSystem & { zpool: ZpoolKind; virtualSwapBytes: number } {
  const s = { ...DEFAULT_MEMCG_SYSTEM, ...(sys ?? {}) };
  if (s.swapDeviceBytes !== null && (!Number.isSafeInteger(s.swapDeviceBytes) || s.swapDeviceBytes < 2 * PAGE_SIZE_BYTES)) {
    throw new SwapcostInputError("swap device size", s.swapDeviceBytes, "at least 8K (a header page and one slot), or none");
  }
  if (!["ssd", "hdd", "zram"].includes(s.device)) throw new SwapcostInputError("device", s.device, "ssd, hdd or zram");
  if (!Number.isSafeInteger(s.cpus) || s.cpus < 1 || s.cpus > 8192) throw new SwapcostInputError("cpus", s.cpus, "a whole number of CPUs between 1 and 8192");
  if (!Number.isSafeInteger(s.sameFilledCompressedBytes) || s.sameFilledCompressedBytes < 1 || s.sameFilledCompressedBytes > PAGE_SIZE_BYTES) {
    throw new SwapcostInputError("same-filled compressed size", s.sameFilledCompressedBytes, "a whole number of bytes from 1 to 4096");
  }
  const b = rules.behaviour;
  const zpool = s.zpool ?? b.zpools.value.defaultZpool;
  if (!b.zpools.value.available.includes(zpool)) {
    throw new SwapcostInputError("zpool", zpool, `one of ${b.zpools.value.available.join(", ")} for ${design.id}`, `no ${zpool} in the ${rules.kernel} kernel`);
  }
  // a ghost swapfile has no data device: the size given is its declared size
  const ghostFile = rules.rejectedFallback.value === "stay-resident";
  let virtualSwapBytes = s.virtualSwapBytes;
  if (virtualSwapBytes === undefined) {
    if (ghostFile) virtualSwapBytes = s.swapDeviceBytes ?? 32 * GiB;
    else virtualSwapBytes = (design.limits.virtual?.slots ?? design.limits.physical?.slots ?? 2 ** 32) * PAGE_SIZE_BYTES;
  }
  if (!Number.isSafeInteger(virtualSwapBytes) || virtualSwapBytes < 2 * PAGE_SIZE_BYTES) throw new SwapcostInputError("virtual swap size", virtualSwapBytes, "at least 8K");
  const vlimit = design.limits.virtual;
  if (vlimit && virtualSwapBytes / PAGE_SIZE_BYTES > vlimit.slots) throw new SwapcostInputError("virtual swap size", virtualSwapBytes, `at most ${vlimit.slots * PAGE_SIZE_BYTES} bytes for ${design.id}`, `exceeds ${vlimit.what}`);
  return { ...s, zpool, virtualSwapBytes, swapDeviceBytes: ghostFile ? null : s.swapDeviceBytes };
}

function buildTree(specs: readonly CgroupSpec[], rules: MemcgRules): Cg[] {
  if (!Array.isArray(specs) || specs.length === 0) throw new SwapcostInputError("cgroups", specs, "at least one cgroup");
  const byName = new Map<string, number>();
  specs.forEach((c, i) => {
    if (!c || typeof c.name !== "string" || !NAME.test(c.name)) throw new SwapcostInputError(`cgroups[${i}].name`, c?.name, "a cgroup directory name: letters, digits, '.', '_' or '-' (no '/')");
    if (byName.has(c.name)) throw new SwapcostInputError(`cgroups[${i}].name`, c.name, "names that are unique in the file", "duplicate name");
    byName.set(c.name, i);
  });
  const parentOf = specs.map((c, i) => {
    if (c.parent === undefined || c.parent === null || c.parent === "") return -1;
    const p = byName.get(c.parent);
    if (p === undefined) throw new SwapcostInputError(`${c.name}.parent`, c.parent, `the name of another cgroup (${[...byName.keys()].join(", ")}) or none for a child of the root`, "no such cgroup");
    if (p === i) throw new SwapcostInputError(`${c.name}.parent`, c.parent, "a different cgroup", "a cgroup cannot be its own parent");
    return p;
  });
  // cycles
  specs.forEach((c, i) => {
    const seen = [i];
    for (let p = parentOf[i]; p >= 0; p = parentOf[p]) {
      if (seen.includes(p)) {
        const cycle = [...seen.slice(seen.indexOf(p)), p].map((x) => specs[x].name).join(" -> ");
        throw new SwapcostInputError("cgroups parent", cycle, "a tree: following parents must reach the root", "cycle");
      }
      seen.push(p);
    }
  });
  for (const c of specs) {
    for (const f of ["memoryMaxBytes", "swapMaxBytes", "zswapMaxBytes"] as const) {
      if (!isLimit(c[f])) {
        const file = f === "memoryMaxBytes" ? "memory.max" : f === "swapMaxBytes" ? "memory.swap.max" : "memory.zswap.max";
        throw new SwapcostInputError(`${c.name}.${file}`, c[f], "a size in bytes ≥ 0, or max");
      }
    }
    if (c.zswapWriteback !== undefined && typeof c.zswapWriteback !== "boolean") throw new SwapcostInputError(`${c.name}.memory.zswap.writeback`, c.zswapWriteback, "0 or 1");
    if (c.zswapWriteback === false && !rules.writebackKnob.value) {
      throw new SwapcostInputError(`${c.name}.memory.zswap.writeback`, 0, `1 (the default): ${rules.design} has no memory.zswap.writeback (added in 6.8)`);
    }
  }
  // order: parents first
  const depthOf = (i: number): number => (parentOf[i] < 0 ? 1 : 1 + depthOf(parentOf[i]));
  const order = specs.map((_, i) => i).sort((a, b) => depthOf(a) - depthOf(b) || a - b);
  const newIdx = new Map(order.map((old, n) => [old, n]));
  const cgs: Cg[] = order.map((old, n) => {
    const spec = specs[old];
    const p = parentOf[old] < 0 ? -1 : newIdx.get(parentOf[old])!;
    const pathOf = (i: number): string => (parentOf[i] < 0 ? `/${specs[i].name}` : `${pathOf(parentOf[i])}/${specs[i].name}`);
    return {
      idx: n,
      spec,
      name: spec.name,
      path: pathOf(old),
      parent: p,
      depth: depthOf(old),
      ancestors: [],
      children: [],
      maxMem: limitPages(spec.memoryMaxBytes),
      maxSwap: limitPages(spec.swapMaxBytes),
      maxZswap: limitPages(spec.zswapMaxBytes),
      writeback: true,
      workload: null,
      emitted: [],
      emittedTotal: 0,
      otherBytes: 0,
      resident: 0,
      swap: 0,
      zswapBytes: 0,
      zswapEntries: 0,
      lens: new Map(),
      lru: new ZswapLru(),
      zero: 0,
      sameFilled: 0,
      disk: 0,
      writtenBack: 0,
      withSlot: 0,
      stores: 0,
      attempted: 0,
      remaining: 0,
      blocked: false,
      stuck: Object.fromEntries(STUCK_REASONS.map((r) => [r, 0])) as Record<StuckReason, number>,
      rejects: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>,
      eventMax: 0,
      eventFail: 0,
      hits: new Map(),
      aggMem: 0,
      aggSwap: 0,
      aggZswap: 0,
    };
  });
  for (const c of cgs) {
    if (c.parent >= 0) cgs[c.parent].children.push(c.idx);
    const anc: number[] = [];
    for (let x = c.idx; x >= 0; x = cgs[x].parent) anc.push(x);
    c.ancestors = anc;
    c.writeback = anc.every((a) => cgs[a].spec.zswapWriteback !== false);
  }
  for (const c of cgs) {
    if (c.spec.workload === undefined) continue;
    if (c.children.length) throw new SwapcostInputError(`${c.name}.workload`, c.name, "workloads on leaf cgroups only (cgroup v2 has no processes in inner cgroups)", "this cgroup has children");
    const w = normWorkload(c.spec.workload, `${c.name}.workload`);
    c.emitted = w.kinds.map(() => 0);
    (c as { workload: NormWorkload }).workload = w;
  }
  return cgs;
}

/** Run the memcg charging model for one design over a cgroup hierarchy. */
export function memcg(input: MemcgInput): MemcgResult {
  const design = input.design;
  const rules = memcgRulesFor(design);
  const system = resolveSystem(design, rules, input.system);
  const cgs = buildTree(input.cgroups, rules);
  const pool: ZpoolProfile = system.zpool === "zbud" ? rules.behaviour.zbud! : rules.behaviour.zsmalloc;
  const physSlots = system.swapDeviceBytes === null ? 0 : Math.floor(system.swapDeviceBytes / PAGE_SIZE_BYTES);
  const s: Sim = {
    rules,
    system,
    pool,
    cgs,
    physUsable: Math.max(0, physSlots - 1),
    physUsed: 0,
    virtUsable: Math.floor(system.virtualSwapBytes / PAGE_SIZE_BYTES) - 1,
    virtUsed: 0,
    chargeAtAlloc: rules.swapCharge.value === "every-entry-at-allocation",
    notes: new Set(),
    batch: 0,
  };
  // resident anon to start with
  for (const c of cgs) {
    const w = c.workload;
    if (!w) continue;
    const pages = w.reclaim === "limit" ? w.anonPages : w.anonPages + w.residentPages;
    const before = ownMemBytes(c);
    c.otherBytes = w.otherBytes;
    const dOther = ownMemBytes(c) - before;
    for (const a of c.ancestors) cgs[a].aggMem += dOther;
    bump(s, c, pages, 0, 0);
    c.remaining = w.anonPages;
  }
  const leaves = cgs.filter((c) => c.workload);
  proactive(s, leaves.filter((c) => c.workload!.reclaim !== "limit"));
  const oom = new Set<number>();
  limitReclaim(s, oom);
  postWriteback(s, leaves);
  return finish(design, s, oom);
}

// ---------------------------------------------------------------------------------------------
// Results

function echo(c: Cg): WorkloadEcho | null {
  const w = c.spec.workload;
  const n = c.workload;
  if (!w || !n) return null;
  const data = n.kinds.filter((k) => k.type === "data" && k.lengthBytes <= PAGE_SIZE_BYTES);
  const wsum = data.reduce((a, k) => a + k.weight, 0);
  return {
    anonBytes: n.anonPages * PAGE_SIZE_BYTES,
    residentBytes: n.residentPages * PAGE_SIZE_BYTES,
    otherChargedBytes: n.otherBytes,
    reclaim: n.reclaim,
    compressibility: w.compressibility ?? null,
    zeroShare: w.zeroShare ?? 0,
    sameFilledShare: w.sameFilledShare ?? 0,
    incompressibleShare: w.incompressibleShare ?? 0,
    writtenBackShare: n.writtenBackShare,
    meanCompressedBytes: wsum > 0 ? data.reduce((a, k) => a + k.weight * k.lengthBytes, 0) / wsum : null,
  };
}

function emptyStuck(): Record<StuckReason, number> {
  return Object.fromEntries(STUCK_REASONS.map((r) => [r, 0])) as Record<StuckReason, number>;
}

function overheadUsage(s: Sim): Usage {
  let disk = 0;
  let zswap = 0;
  let zero = 0;
  let cache = 0;
  for (const c of s.cgs) {
    disk += c.disk;
    zswap += c.zswapEntries - c.sameFilled;
    zero += c.zero + c.sameFilled;
    cache += c.withSlot;
  }
  return { disk, zswap, zero, cache };
}

function runOverhead(design: Design, s: Sim, usage: Usage): OverheadResult | null {
  const used = usage.disk + usage.zswap + usage.zero + usage.cache;
  const device = s.system.swapDeviceBytes === null ? "none" : s.system.device;
  if (!design.devices.includes(device)) {
    s.notes.add(`uncharged metadata not computed: ${design.id} does not run on device ${device}`);
    return null;
  }
  let size = s.system.swapDeviceBytes ?? s.system.virtualSwapBytes;
  if (design.layers.virtual && used + 1 > Math.floor(size / PAGE_SIZE_BYTES) - 1) {
    const need = Math.ceil(((used + 2) * PAGE_SIZE_BYTES) / (2 * 1024 * 1024)) * 2 * 1024 * 1024;
    s.notes.add(`the overhead model sizes both layers alike: metadata computed for a ${need} byte space holding the ${used} entries`);
    size = need;
  }
  if (size > 2 ** 50) size = Math.max(32 * GiB, Math.ceil(((used + 2) * PAGE_SIZE_BYTES) / GiB) * GiB);
  try {
    return overhead({ design, swapSizeBytes: size, device, memcg: true, usage, occupancy: { kind: "packed" }, accounting: "kernel", cpus: s.system.cpus, zpool: s.system.zpool, writebackShare: usage.disk > 0 ? writtenBackShareOf(s) : 0 });
  } catch (e) {
    if (e instanceof SwapcostInputError) {
      s.notes.add(`uncharged metadata not computed: ${e.message}`);
      return null;
    }
    throw e;
  }
}

function writtenBackShareOf(s: Sim): number {
  let disk = 0;
  let wb = 0;
  for (const c of s.cgs) {
    disk += c.disk;
    wb += c.writtenBack;
  }
  return disk > 0 ? wb / disk : 0;
}

/** Entries of a cgroup that drive each metadata structure (weights per kind). */
function drivingEntries(design: Design, structureId: string, c: { disk: number; zswap: number; zero: number; cache: number }): number {
  const st = design.structures.find((x) => x.id === structureId);
  const layerW = st?.layer === "virtual" ? (design.layers.virtual ?? {}) : design.layers.physical;
  const w = st?.drivenBy ?? layerW;
  return (w.disk ?? 0) * c.disk + (w.zswap ?? 0) * c.zswap + (w.zero ?? 0) * c.zero + (w.cache ?? 0) * c.cache;
}

/** Where the uncharged `struct zspage` row comes from: the pool profile's struct and kmem cache lines. */
function zspageSources(pool: ZpoolProfile): string[] {
  const own = pool.sources.filter((x) => x.kind === "kernel" && /struct zspage|zspage kmem cache/.test(x.symbol ?? ""));
  const size = pool.kind === "zsmalloc" ? pool.zspageStructBytes : 0;
  return [...own, derived(`sizeof(struct zspage) = ${size} B (bitfields 4, inuse 4, freeobj 4, pad 4, first page 8, list 16, pool 8, lock 8), one per zspage, from a kmem cache without SLAB_ACCOUNT`)].map(citeSource);
}

function finish(design: Design, s: Sim, oom: Set<number>): MemcgResult {
  const { cgs, rules } = s;
  // pool
  const allLens = new Map<number, number>();
  for (const c of cgs) for (const [len, n] of c.lens) if (len > 0 && n > 0) allLens.set(len, (allLens.get(len) ?? 0) + n);
  const pool = poolFootprint(s.pool, allLens);
  const usage = overheadUsage(s);
  const oh = runOverhead(design, s, usage);
  const uncharged: UnchargedRow[] = (oh?.rows ?? [])
    .filter((r) => r.bytes > 0)
    .map((r: OverheadRow) => ({ structure: r.structure, name: r.name, class: r.class, bytes: r.bytes, chargedTo: "nobody" as const, sources: r.sources }));
  if (pool.zspageStructBytes > 0) {
    uncharged.push({ structure: "zspage", name: "struct zspage", class: "dynamic", bytes: pool.zspageStructBytes, chargedTo: "nobody", sources: zspageSources(s.pool) });
  }
  const unchargedBytes = uncharged.reduce((a, r) => a + r.bytes, 0) + (pool.poolBytes - pool.payloadBytes);
  const dynRows = (oh?.rows ?? []).filter((r) => r.class === "dynamic" && r.bytes > 0);
  const totalDriving = new Map(dynRows.map((r) => [r.structure, drivingEntries(design, r.structure, usage)]));

  const own = cgs.map((c) => {
    let poolBytes = 0;
    let payload = 0;
    for (const [len, n] of c.lens) {
      if (len <= 0 || n <= 0) continue;
      poolBytes += n * (pool.bytesPerObject.get(len) ?? 0);
      payload += n * len;
    }
    const zspageShare = pool.poolBytes > 0 ? (pool.zspageStructBytes * poolBytes) / pool.poolBytes : 0;
    const u = { disk: c.disk, zswap: c.zswapEntries - c.sameFilled, zero: c.zero + c.sameFilled, cache: c.withSlot };
    let meta = zspageShare;
    for (const r of dynRows) {
      const t = totalDriving.get(r.structure) ?? 0;
      if (t > 0) meta += (r.bytes * drivingEntries(design, r.structure, u)) / t;
    }
    return { poolBytes, payload, meta };
  });

  const hasWb = rules.writebackKnob.value;
  const results: CgroupResult[] = cgs.map((c) => {
    const sub: Cg[] = [];
    const walk = (i: number) => {
      sub.push(cgs[i]);
      cgs[i].children.forEach(walk);
    };
    walk(c.idx);
    const sum = (f: (x: Cg) => number) => sub.reduce((a, x) => a + f(x), 0);
    const stuck = emptyStuck();
    for (const x of sub) for (const r of STUCK_REASONS) stuck[r] += x.stuck[r];
    const rejects = Object.fromEntries(REJECT_REASONS.map((r) => [r, sum((x) => x.rejects[r])])) as Record<RejectReason, number>;
    const residentBytes = sum((x) => x.resident) * PAGE_SIZE_BYTES;
    const poolBytes = sub.reduce((a, x) => a + own[x.idx].poolBytes, 0);
    const payload = sub.reduce((a, x) => a + own[x.idx].payload, 0);
    const meta = sub.reduce((a, x) => a + own[x.idx].meta, 0);
    const charged = c.aggMem;
    const otherBytes = sum((x) => x.otherBytes);
    const real = Math.round(residentBytes + otherBytes + poolBytes + meta);
    const hits = new Map<string, LimitHit>();
    for (const x of sub)
      for (const byWhat of x.hits.values())
        for (const h of byWhat.values()) {
          const key = `${h.file}@${h.at}:${h.what}`;
          const prev = hits.get(key);
          hits.set(key, { ...h, pages: (prev?.pages ?? 0) + h.pages });
        }
    let over: CgroupResult["overMemoryMax"] = null;
    if (c.maxMem !== Infinity && c.aggMem > c.maxMem * PAGE_SIZE_BYTES) over = { bytes: c.aggMem - c.maxMem * PAGE_SIZE_BYTES, oom: oom.has(c.idx) };
    if (over) hits.set(`memory.max@${c.path}`, { file: "memory.max", at: c.path, pages: Math.ceil(over.bytes / PAGE_SIZE_BYTES), what: over.oom ? "memory.max cannot be met: nothing left to reclaim (OOM)" : "memory.current above memory.max after the push-out: the kernel would reclaim more or OOM" });
    const zswapped = sum((x) => x.zswapEntries);
    return {
      name: c.name,
      path: c.path,
      parent: c.parent >= 0 ? cgs[c.parent].name : null,
      depth: c.depth,
      leaf: c.children.length === 0,
      workload: echo(c),
      limits: {
        "memory.max": c.maxMem === Infinity ? null : c.maxMem * PAGE_SIZE_BYTES,
        "memory.swap.max": c.maxSwap === Infinity ? null : c.maxSwap * PAGE_SIZE_BYTES,
        "memory.zswap.max": c.maxZswap === Infinity ? null : c.maxZswap * PAGE_SIZE_BYTES,
        "memory.zswap.writeback": hasWb ? (c.spec.zswapWriteback === false ? 0 : 1) : null,
      },
      counters: {
        "memory.current": charged,
        "memory.swap.current": c.aggSwap * PAGE_SIZE_BYTES,
        "memory.zswap.current": c.aggZswap,
        "memory.stat:anon": residentBytes,
        "memory.stat:zswap": c.aggZswap,
        "memory.stat:zswapped": zswapped * PAGE_SIZE_BYTES,
        "memory.stat:zswpout": sum((x) => x.stores),
        "memory.stat:zswpwb": hasWb ? sum((x) => x.writtenBack) : null,
        "memory.swap.events:max": c.eventMax,
        "memory.swap.events:fail": c.eventFail,
      },
      pages: {
        attempted: sum((x) => x.attempted),
        resident: sum((x) => x.resident),
        zswap: zswapped,
        zero: sum((x) => x.zero),
        sameFilledEntries: sum((x) => x.sameFilled),
        disk: sum((x) => x.disk),
        writtenBack: sum((x) => x.writtenBack),
        residentWithSlot: sum((x) => x.withSlot),
        stuck,
      },
      zswapRejects: rejects,
      footprint: {
        chargedBytes: charged,
        realBytes: real,
        residentBytes,
        poolBytes: Math.round(poolBytes),
        poolOverheadBytes: Math.round(poolBytes - payload),
        metadataBytes: Math.round(meta),
        unchargedBytes: real - charged,
        diskBytes: sum((x) => x.disk) * PAGE_SIZE_BYTES,
      },
      limitsHit: [...hits.values()],
      overMemoryMax: over,
    };
  });

  const notes = [...s.notes];
  if (pool.extrapolated) notes.push(`zbud pairing simulated on the first objects and scaled to ${pool.objects} objects`);
  notes.push("memory.current counts zswap bytes rounded up to whole pages per cgroup (obj_cgroup_charge takes pages; the per-CPU byte stock can hold up to a page more per CPU)");
  notes.push("steady state after reclaim: pages written to disk are counted as freed (the kernel keeps them in the swap cache, charged, until they are reclaimed); order-0 pages only (no THP/mTHP swap-out)");
  notes.push("not modelled: zswap's global pool limit (max_pool_percent of RAM) and its shrinker; use writtenBackShare for pages written back after they were stored");
  if (rules.zswapMax.value === "writeback-lru-head-then-store") {
    notes.push("at memory.zswap.max each store after a successful writeback is not checked again: with mixed compressed sizes zswap.current can pass zswap.max by more than a page (as in the kernel); the model takes the evenest order of the workload's kinds (one page of each per draw), so the drift stays within about one draw; a workload that stores small pages first and large ones later drifts further (up to the entries that fit under zswap.max times the largest length)");
  }
  const { bytesPerObject, ...poolRest } = pool;
  return {
    design: { id: design.id, title: design.title, family: design.family },
    rules,
    system: s.system,
    cgroups: results,
    totals: {
      pool: { ...poolRest, bytesPerObject: [...bytesPerObject.entries()].sort((a, b) => a[0] - b[0]) },
      physicalSlotsUsed: s.physUsed,
      physicalSlotsUsable: s.physUsable,
      virtualSlotsUsed: s.virtUsed,
      usage,
      uncharged,
      unchargedBytes,
    },
    notes,
  };
}
