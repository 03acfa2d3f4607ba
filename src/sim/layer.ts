/**
 * State every simulated slot layer shares: an occupancy bitmap (1 bit per slot), the kernel's
 * per-cluster usage count, live entries per cluster and per 64-slot chunk by entry kind (what the
 * dynamic structures are sized by), and conservation counters. Typed arrays only; about
 * 0.19 bytes per slot.
 */
import { SIM_KINDS } from "../models/occupancy.js";

/** SWAPFILE_CLUSTER = HPAGE_PMD_NR with CONFIG_THP_SWAP (src/kernel/constants.ts). */
export const CLUSTER_SLOTS = 512;
export const CLUSTER_SHIFT = 9;
/** SWAP_NR_ORDERS = PMD_ORDER + 1 (deb-7.2 include/linux/swap.h:233). */
export const NR_ORDERS = 10;
export const PMD_ORDER = 9;
export const WORDS_PER_CLUSTER = CLUSTER_SLOTS / 32;
export const KINDS = SIM_KINDS.length;

/** Simulated entry kinds (bit k of a driver mask), see SIM_KINDS. */
export const KIND_ZSWAP = 0;
export const KIND_ZERO = 1;
export const KIND_DIRECT = 2;
export const KIND_WRITTEN = 3;

export function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export abstract class SlotLayer {
  readonly id: string;
  /** Slots the layer spans (for a device: maxpages, header page included). */
  readonly slots: number;
  /** Clusters the layer spans (capacity). */
  readonly clusters: number;
  /** 1 bit per slot: allocated, or reserved (header, bad, past the end). */
  readonly bitmap: Uint32Array;
  /**
   * One 32-byte record per cluster, so that an event touches one cache line of cluster metadata
   * (seven separate arrays cost seven lines once the slot arrays have evicted them):
   *   m16[(c << 4) + 0]         ci->count: allocated + reserved slots
   *   m16[(c << 4) + 1 + kind]  live entries by kind
   *   m16[(c << 4) + 5]         reserved slots (header, past the end)
   *   m8[(c << 5) + 14], [+ 15] subclass bytes (swapfile: ci->flags, ci->order)
   *   m32[(c << 3) + 4], [+ 5]  subclass words (swapfile: list next, prev)
   */
  readonly m16: Uint16Array;
  readonly m8: Uint8Array;
  readonly m32: Int32Array;
  /** Live entries per 64-slot chunk by kind: kinds64[chunk * 4 + kind]. */
  readonly kinds64: Uint8Array;
  /** Live entries in the layer. */
  live = 0;
  /** Entries ever allocated / freed in the layer (slots). */
  allocated = 0;
  freed = 0;
  /** Allocation attempts that found no room (order-k attempts counted once). */
  failures = 0;

  /**
   * Maintain kinds64 on every allocation and free. The direct layer does not: its per-slot state
   * gives the same counts at sample time (SwapSim.chunkKindSets), one random memory line fewer per
   * event.
   */
  readonly trackChunks: boolean;

  protected constructor(id: string, slots: number, clusters: number, trackChunks = true) {
    this.trackChunks = trackChunks;
    if (!Number.isSafeInteger(slots) || slots < 2) throw new RangeError(`${id}: a layer needs at least 2 slots, got ${slots}`);
    this.id = id;
    this.slots = slots;
    this.clusters = clusters;
    this.bitmap = new Uint32Array(clusters * WORDS_PER_CLUSTER);
    const meta = new ArrayBuffer(clusters * 32);
    this.m16 = new Uint16Array(meta);
    this.m8 = new Uint8Array(meta);
    this.m32 = new Int32Array(meta);
    this.kinds64 = new Uint8Array(trackChunks ? clusters * 8 * KINDS : 0);
  }

  /** Clusters that exist (static layers: all; dynamic layers: created and not yet freed). */
  abstract clusterExists(c: number): boolean;

  /** Free one slot holding an entry of `kind`. */
  abstract free(slot: number, kind: number): void;

  /** ci->count of cluster c. */
  countOf(c: number): number {
    return this.m16[c << 4];
  }

  /** Live entries of `kind` in cluster c. */
  kindCount(c: number, kind: number): number {
    return this.m16[(c << 4) + 1 + kind];
  }

  /** An entry changed kind in place (zswap writeback keeps its slot). */
  setKind(slot: number, from: number, to: number): void {
    const c = slot >>> 9;
    this.m16[(c << 4) + 1 + from]--;
    this.m16[(c << 4) + 1 + to]++;
    if (!this.trackChunks) return;
    const k = (slot >>> 6) * KINDS;
    this.kinds64[k + from]--;
    this.kinds64[k + to]++;
  }

  /** Is the slot allocated (or reserved)? */
  isSet(slot: number): boolean {
    return (this.bitmap[slot >>> 5] & (1 << (slot & 31))) !== 0;
  }

  /** Mark `nr` (a power of two, aligned) slots allocated and count them as live entries of `kind`. */
  protected take(c: number, offset: number, nr: number, kind: number): void {
    const bm = this.bitmap;
    const w = offset >>> 5;
    if (nr < 32) bm[w] |= ((1 << nr) - 1) << (offset & 31);
    else for (let i = 0, n = nr >>> 5; i < n; i++) bm[w + i] = 0xffffffff;
    this.m16[c << 4] += nr;
    this.m16[(c << 4) + 1 + kind] += nr;
    if (!this.trackChunks) {
      // counted from the per-slot state at sample time
    } else if (nr <= 64) this.kinds64[(offset >>> 6) * KINDS + kind] += nr;
    else for (let ch = offset >>> 6, end = (offset + nr) >>> 6; ch < end; ch++) this.kinds64[ch * KINDS + kind] += 64;
    this.live += nr;
    this.allocated += nr;
  }

  /** Clear one slot and uncount it. */
  protected release(c: number, slot: number, kind: number): void {
    this.bitmap[slot >>> 5] &= ~(1 << (slot & 31));
    this.m16[c << 4]--;
    this.m16[(c << 4) + 1 + kind]--;
    if (this.trackChunks) this.kinds64[(slot >>> 6) * KINDS + kind]--;
    this.live--;
    this.freed++;
  }

  /** Live entries of cluster c (reserved slots excluded). */
  liveIn(c: number): number {
    const b = (c << 4) + 1;
    const m = this.m16;
    return m[b] + m[b + 1] + m[b + 2] + m[b + 3];
  }

  /**
   * Full consistency check (O(slots)): bitmap popcounts against counts, kind counters against live,
   * conservation. Throws on the first mismatch. For tests and the simulator's debug mode.
   */
  verify(reservedOf: (c: number) => number): void {
    let live = 0;
    for (let c = 0; c < this.clusters; c++) {
      let bits = 0;
      for (let w = c * WORDS_PER_CLUSTER, e = w + WORDS_PER_CLUSTER; w < e; w++) bits += popcount32(this.bitmap[w]);
      const liveC = this.liveIn(c);
      if (bits !== this.countOf(c)) throw new Error(`${this.id}: cluster ${c} has ${bits} bits set but count ${this.countOf(c)}`);
      if (liveC + reservedOf(c) !== this.countOf(c)) throw new Error(`${this.id}: cluster ${c}: ${liveC} live + ${reservedOf(c)} reserved != count ${this.countOf(c)}`);
      if (this.trackChunks) {
        for (let k = 0; k < KINDS; k++) {
          let sum64 = 0;
          for (let ch = c * 8; ch < c * 8 + 8; ch++) sum64 += this.kinds64[ch * KINDS + k];
          if (sum64 !== this.kindCount(c, k)) throw new Error(`${this.id}: cluster ${c} kind ${k}: 64-slot chunk counters sum to ${sum64}, the cluster counts ${this.kindCount(c, k)}`);
        }
      }
      if (!this.clusterExists(c) && this.countOf(c) !== 0) throw new Error(`${this.id}: cluster ${c} does not exist but holds ${this.countOf(c)} slots`);
      live += liveC;
    }
    if (live !== this.live) throw new Error(`${this.id}: clusters hold ${live} live entries, counter says ${this.live}`);
    if (this.allocated - this.freed !== this.live) throw new Error(`${this.id}: allocated ${this.allocated} - freed ${this.freed} != live ${this.live}`);
  }
}
