/**
 * The swap device's slot allocator, step by step as mm/swapfile.c does it in 6.19, 7.1 and 7.2
 * (line numbers: Debian's linux-source-7.2 7.2.13-1, tree `deb-7.2` in src/kernel/sources.ts; the
 * cluster allocator is the same since 6.19: per-CPU current cluster per order, free / nonfull /
 * frag / full lists).
 *
 * - folio_alloc_swap (:1734) → swap_alloc_fast (:1361): the CPU's percpu_swap_cluster.offset[order]
 *   (:120-130); if its cluster is still usable for the order (cluster_is_usable :390), scan it from
 *   that offset (alloc_swap_scan_cluster :964).
 * - else cluster_alloc_swap_entry (:1092): with SWP_PAGE_DISCARD the free list first; then every
 *   cluster of nonfull_clusters[order] (order < PMD_ORDER); then [dynamic devices] a new cluster
 *   (alloc_swap_scan_dynamic, Swap Table Edition / ghost device); then one free cluster; then one
 *   cluster of frag_clusters[order]; order 0 finally steals from the frag and nonfull lists of
 *   every higher order.
 * - alloc_swap_scan_cluster scans aligned ranges of 2^order slots from the offset to the end of the
 *   cluster (not before it), takes the first free one, sets the CPU's next offset, and relocates the
 *   cluster (relocate_cluster :759): empty → free, partly used → frag_clusters[ci->order], full →
 *   full list. The first allocation in an empty cluster sets its order (:955-956).
 * - freeing (__swap_cluster_free_entries :1909): empty → free_cluster (:719: the discard list when
 *   discarding, then the free list; dynamic devices free the cluster), else partial_free_cluster
 *   (:743): to nonfull_clusters[ci->order] unless already there.
 * - swapon (setup_swap_clusters_info :3521): the header slot and the slots past the end of the last
 *   cluster are bad slots (count them, :787); clusters holding one go to nonfull_clusters[0], the
 *   others to the free list in index order.
 *
 * Not modelled: swap-cache reclaim (cluster_reclaim_range, swap_reclaim_full_clusters: the simulator
 * has no swap cache), lock contention (isolate_lock_cluster always takes the list head), and discard
 * latency (a discarded cluster is back on the free list before the next allocation).
 */
import { CLUSTER_SLOTS, NR_ORDERS, PMD_ORDER, SlotLayer, WORDS_PER_CLUSTER, ctz32 } from "./layer.js";

// enum swap_cluster_flags (deb-7.2 mm/swap.h:69-79), plus DEAD for clusters of a dynamic device
// that do not exist (kfree'd, CLUSTER_FLAG_DEAD in the Swap Table Edition).
export const FLAG_NONE = 0;
export const FLAG_FREE = 1;
export const FLAG_NONFULL = 2;
export const FLAG_FRAG = 3;
export const FLAG_FULL = 4;
export const FLAG_DISCARD = 5;
export const FLAG_DEAD = 6;

const LIST_FREE = 0;
const LIST_FULL = 1;
const LIST_DISCARD = 2;
const LIST_NONFULL = 3;
const LIST_FRAG = LIST_NONFULL + NR_ORDERS;
const NR_LISTS = LIST_FRAG + NR_ORDERS;

export interface SwapfileLayerOptions {
  readonly id: string;
  /** si->max: slots of the device, header page included (a dynamic device: its capacity). */
  readonly slots: number;
  /** Possible CPUs (per-CPU current clusters). */
  readonly cpus: number;
  /** Clusters created on demand and freed when empty (alloc_swap_scan_dynamic). */
  readonly dynamic?: boolean;
  /** SWP_PAGE_DISCARD (swapon --discard=pages): prefer free clusters over nonfull ones. */
  readonly discard?: boolean;
  /** Not SWP_SOLIDSTATE: one global next[order] instead of per-CPU clusters. */
  readonly rotational?: boolean;
  /** SWP_BLKDEV: large orders allowed (a swap file cannot allocate them, :1101-1102). Default true. */
  readonly blockDevice?: boolean;
  /** Maintain per-64-slot kind counters (default true; see SlotLayer.trackChunks). */
  readonly trackChunks?: boolean;
}

export class SwapfileLayer extends SlotLayer {
  readonly dynamic: boolean;
  readonly discard: boolean;
  readonly rotational: boolean;
  readonly blockDevice: boolean;
  readonly cpus: number;
  /** Usable slots (si->pages): capacity minus reserved slots. */
  readonly pages: number;
  /** Slots actually in use by entries, as si->inuse_pages. */
  inuse = 0;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  /** percpu_swap_cluster.offset[order] per CPU (0 = SWAP_ENTRY_INVALID); one row when rotational. */
  readonly pcp: Int32Array;
  /** Dynamic devices: cluster ids in use (xa_alloc into cluster_info_pool) and a lowest-free hint. */
  private readonly idBits: Uint32Array | null;
  private idHint = 0;
  /** Clusters created / freed on demand (dynamic devices). */
  clustersCreated = 0;
  clustersReleased = 0;

  constructor(o: SwapfileLayerOptions) {
    const dynamic = o.dynamic ?? false;
    const clusters = Math.ceil(o.slots / CLUSTER_SLOTS);
    super(o.id, dynamic ? clusters * CLUSTER_SLOTS : o.slots, clusters, o.trackChunks ?? true);
    if (!Number.isSafeInteger(o.cpus) || o.cpus < 1) throw new RangeError(`${o.id}: cpus must be a positive integer`);
    this.dynamic = dynamic;
    this.discard = o.discard ?? false;
    this.rotational = o.rotational ?? false;
    this.blockDevice = o.blockDevice ?? true;
    this.cpus = o.cpus;
    this.head = new Int32Array(NR_LISTS);
    this.tail = new Int32Array(NR_LISTS);
    this.pcp = new Int32Array((this.rotational ? 1 : o.cpus) * NR_ORDERS);
    this.idBits = dynamic ? new Uint32Array(Math.ceil(clusters / 32)) : null;
    // si->pages = maxpages - 1 (the header) - bad pages; the tail past maxpages is not counted.
    this.pages = this.slots - 1;
    this.swapon();
  }

  /** setup_swap_clusters_info (:3521-3580): bad slots, then the lists in cluster index order. */
  private swapon(): void {
    this.head.fill(-1);
    this.tail.fill(-1);
    this.pcp.fill(0);
    // The header page (slot 0) and, for a static device, the slots past maxpages up to the cluster end.
    this.markReserved(0);
    if (!this.dynamic) for (let s = this.slots; s < this.clusters * CLUSTER_SLOTS; s++) this.markReserved(s);
    for (let c = 0; c < this.clusters; c++) {
      this.setOrder(c, 0);
      if (this.countOf(c)) {
        this.setFlag(c, FLAG_NONE);
        this.moveTo(c, LIST_NONFULL, FLAG_NONFULL);
      } else if (this.dynamic) {
        this.setFlag(c, FLAG_DEAD);
      } else {
        this.setFlag(c, FLAG_NONE);
        this.moveTo(c, LIST_FREE, FLAG_FREE);
      }
    }
    if (this.idBits) {
      this.idBits.fill(0);
      this.idBits[0] = 1; // cluster 0 (the header) exists from swapon; xa_alloc starts at 1
      this.idHint = 0;
    }
  }

  private markReserved(slot: number): void {
    const c = slot >>> 9;
    this.bitmap[slot >>> 5] |= 1 << (slot & 31);
    this.m16[c << 4]++;
    this.m16[(c << 4) + 5]++;
  }

  /** The state of a fresh swapon (swapoff followed by swapon): every entry must be gone. */
  reset(): void {
    if (this.live !== 0) throw new Error(`${this.id}: reset with ${this.live} live entries`);
    this.bitmap.fill(0);
    this.m32.fill(0);
    this.swapon();
  }

  // --- the cluster record (SlotLayer.m16/m8/m32): swap_cluster_info's flags, order and list links

  /** ci->flags of cluster c. */
  flagOf(c: number): number {
    return this.m8[(c << 5) + 14];
  }

  private setFlag(c: number, f: number): void {
    this.m8[(c << 5) + 14] = f;
  }

  /** ci->order of cluster c. */
  orderOf(c: number): number {
    return this.m8[(c << 5) + 15];
  }

  private setOrder(c: number, o: number): void {
    this.m8[(c << 5) + 15] = o;
  }

  private nextOf(c: number): number {
    return this.m32[(c << 3) + 4];
  }

  private setNext(c: number, n: number): void {
    this.m32[(c << 3) + 4] = n;
  }

  private prevOf(c: number): number {
    return this.m32[(c << 3) + 5];
  }

  private setPrev(c: number, p: number): void {
    this.m32[(c << 3) + 5] = p;
  }

  /** Reserved slots (header, past the end) in cluster c. */
  reservedIn(c: number): number {
    return this.m16[(c << 4) + 5];
  }

  clusterExists(c: number): boolean {
    return this.flagOf(c) !== FLAG_DEAD;
  }

  /**
   * Allocate 2^order aligned slots for a folio swapped out on `cpu` (folio_alloc_swap → fast path →
   * cluster_alloc_swap_entry). Returns the first slot, or 0 (SWAP_ENTRY_INVALID) when no room.
   */
  alloc(cpu: number, order: number, kind: number): number {
    // A full device is off swap_avail_head (swap_usage_add :1272-1286): nothing to scan.
    if ((order && !this.blockDevice) || this.inuse >= this.pages) {
      this.failures++;
      return 0;
    }
    const row = (this.rotational ? 0 : cpu) * NR_ORDERS;
    // swap_alloc_fast (:1361-1389), or the global next[order] of a rotational device (:1104-1120)
    const offset = this.pcp[row + order];
    if (order === 0) {
      // The order-0 steps of swap_alloc_fast and cluster_alloc_swap_entry, inlined (the common
      // case of every run). The CPU's cluster when usable (NONFULL or FRAG: FREE ones have no
      // table, a cluster with an offset is never empty without being freed): its first free slot
      // at or after the offset.
      if (offset !== 0) {
        const c = offset >>> 9;
        const f = this.flagOf(c);
        if (f === FLAG_FRAG || f === FLAG_NONFULL) {
          const found = this.scan0(c, offset, f, kind, row);
          if (found !== 0) return found;
        }
      }
      // Then, unless discarding, the head of nonfull_clusters[0] (alloc_swap_scan_list over
      // isolate_lock_cluster), scanned from its start.
      if (!this.discard) {
        const c = this.head[LIST_NONFULL];
        if (c >= 0) {
          this.listDel(c, LIST_NONFULL);
          this.setFlag(c, FLAG_NONE);
          const found = this.scan0(c, c << 9, FLAG_NONE, kind, row);
          if (found !== 0) return found;
        }
      }
    } else if (offset !== 0) {
      const c = offset >>> 9;
      if (this.usable(c, order)) {
        const found = this.scanCluster(c, this.countOf(c) === 0 ? c << 9 : offset, order, kind, row);
        if (found) return found;
      }
    }
    const found = this.slowPath(order, kind, row);
    if (!found) this.failures++;
    return found;
  }

  /**
   * alloc_swap_scan_cluster (:964-1013) for order 0: the first free slot of cluster c at or after
   * `offset`, then relocate_cluster and the CPU's next offset. `f` is the cluster's flag before
   * the scan. Returns 0 when the cluster has no free slot there.
   */
  private scan0(c: number, offset: number, f: number, kind: number, row: number): number {
    const bm = this.bitmap;
    let w = offset >>> 5;
    const lastW = (c << 4) + 15;
    let bits = ~bm[w] & (-1 << (offset & 31));
    while (bits === 0 && w < lastW) bits = ~bm[++w];
    if (bits === 0) {
      this.relocate(c);
      this.pcp[row] = 0;
      return 0;
    }
    const b = bits & -bits;
    const found = (w << 5) + 31 - Math.clz32(b);
    bm[w] |= b;
    const m16 = this.m16;
    const n = ++m16[c << 4];
    if (n === 1) this.setOrder(c, 0); // __swap_cluster_alloc_entries: the first allocation sets the order
    m16[(c << 4) + 1 + kind]++;
    if (this.trackChunks) this.kinds64[((found >>> 6) << 2) + kind]++;
    this.live++;
    this.allocated++;
    this.inuse++;
    this.pcp[row] = n < CLUSTER_SLOTS && found + 1 <= (c << 9) + CLUSTER_SLOTS - 1 ? found + 1 : 0;
    if (n === CLUSTER_SLOTS) this.moveTo(c, LIST_FULL, FLAG_FULL);
    else if (f !== FLAG_FRAG) this.moveTo(c, LIST_FRAG + this.orderOf(c), FLAG_FRAG);
    return found;
  }

  /**
   * `count` order-0 allocations on `cpu` in a row, the same steps as `alloc` each time (the fast path
   * inline with the arrays in locals; any other case through `alloc`). Writes the slots to `out`
   * and returns how many were placed (fewer only when the device is full).
   */
  allocRun0(cpu: number, kind: number, count: number, out: Int32Array): number {
    const row = (this.rotational ? 0 : cpu) * NR_ORDERS;
    const bm = this.bitmap;
    const m16 = this.m16;
    const m8 = this.m8;
    const pcp = this.pcp;
    const k64 = this.trackChunks ? this.kinds64 : null;
    let i = 0;
    let done = 0; // fast-path allocations not yet added to the counters
    while (i < count) {
      const offset = pcp[row];
      const c = offset >>> 9;
      const f = m8[(c << 5) + 14];
      const room = this.pages - this.inuse - done; // allocations the device still admits
      if (offset !== 0 && (f === FLAG_FRAG || f === FLAG_NONFULL) && room > 0) {
        let w = offset >>> 5;
        const lastW = (c << 4) + 15;
        let bits = ~bm[w] & (-1 << (offset & 31));
        while (bits === 0 && w < lastW) bits = ~bm[++w];
        if (bits !== 0) {
          // The first free slot at or after the offset, then the next free ones of the same word:
          // each allocation sets the CPU's offset past the slot it took, so the following ones
          // take the word's free slots in order. One bitmap and counter update for the run.
          const want = Math.min(count - i, room);
          let taken = 0;
          let k = 0;
          let found = 0;
          do {
            const b = bits & -bits;
            found = (w << 5) + 31 - Math.clz32(b);
            out[i + k++] = found;
            taken |= b;
            bits ^= b;
          } while (bits !== 0 && k < want);
          bm[w] |= taken;
          i += k;
          done += k;
          const n = (m16[c << 4] += k);
          m16[(c << 4) + 1 + kind] += k;
          if (k64 !== null) k64[((w >>> 1) << 2) + kind] += k; // a word lies in one 64-slot chunk
          pcp[row] = n < CLUSTER_SLOTS && found + 1 <= (c << 9) + CLUSTER_SLOTS - 1 ? found + 1 : 0;
          // relocate_cluster as after each step: the first of the run moves the cluster to its frag
          // list (unless it is there or that allocation fills it), the one that fills it marks it full
          if (f !== FLAG_FRAG && (k > 1 || n < CLUSTER_SLOTS)) this.moveTo(c, LIST_FRAG + this.orderOf(c), FLAG_FRAG);
          if (n === CLUSTER_SLOTS) this.moveTo(c, LIST_FULL, FLAG_FULL);
          continue;
        }
      }
      // anything else: bring the counters up to date and take the general path
      this.live += done;
      this.allocated += done;
      this.inuse += done;
      done = 0;
      const s = this.alloc(cpu, 0, kind);
      if (s === 0) return i;
      out[i++] = s;
    }
    this.live += done;
    this.allocated += done;
    this.inuse += done;
    return i;
  }

  /** cluster_alloc_swap_entry (:1122-1188) after the per-CPU attempt. */
  private slowPath(order: number, kind: number, row: number): number {
    let found = 0;
    if (this.discard) {
      found = this.scanList(LIST_FREE, order, kind, row, false);
      if (found) return found;
    }
    if (order < PMD_ORDER) {
      found = this.scanList(LIST_NONFULL + order, order, kind, row, true);
      if (found) return found;
    }
    if (this.dynamic) {
      found = this.scanDynamic(order, kind, row);
      if (found) return found;
    }
    if (!this.discard) {
      found = this.scanList(LIST_FREE, order, kind, row, false);
      if (found) return found;
    }
    if (order < PMD_ORDER) {
      // "Scan only one fragment cluster is good enough."
      found = this.scanList(LIST_FRAG + order, order, kind, row, false);
      if (found) return found;
    }
    if (order) return 0;
    // Order 0 stealing from higher orders.
    for (let o = 1; o < NR_ORDERS; o++) {
      found = this.scanList(LIST_FRAG + o, 0, kind, row, true);
      if (found) return found;
      found = this.scanList(LIST_NONFULL + o, 0, kind, row, true);
      if (found) return found;
    }
    return 0;
  }

  /** cluster_is_usable (:390-399): allocatable flags, a table, and an empty cluster or the same order. */
  private usable(c: number, order: number): boolean {
    const f = this.flagOf(c);
    // FLAG_FREE clusters have no table (swap_cluster_free_table in __free_cluster); DEAD ones no cluster.
    if (f > FLAG_FRAG || f === FLAG_FREE) return false;
    if (!order) return true;
    return this.countOf(c) === 0 || this.orderOf(c) === order;
  }

  /** alloc_swap_scan_list (:1015-1035) over isolate_lock_cluster (:623-661): take list heads. */
  private scanList(list: number, order: number, kind: number, row: number, all: boolean): number {
    // Each failed cluster is relocated off this list (or to its tail for frag lists, which never fail
    // an order-0 scan); bound the walk by the cluster count all the same.
    for (let guard = this.clusters; guard > 0; guard--) {
      const c = this.head[list];
      if (c < 0) return 0;
      this.listDel(c, list);
      this.setFlag(c, FLAG_NONE); // a FREE cluster gets its table here (swap_cluster_populate :526)
      const found = this.scanCluster(c, c << 9, order, kind, row);
      if (found || !all) return found;
    }
    return 0;
  }

  /**
   * alloc_swap_scan_dynamic (Swap Table Edition RFC patch 2; P4 RFC patch 15 for the ghost device):
   * create a cluster at the lowest free index ≥ 1 of cluster_info_pool and scan it.
   */
  private scanDynamic(order: number, kind: number, row: number): number {
    const c = this.allocId();
    if (c < 0) return 0;
    this.clustersCreated++;
    this.setFlag(c, FLAG_NONE);
    this.setOrder(c, 0);
    return this.scanCluster(c, c << 9, order, kind, row);
  }

  /** alloc_swap_scan_cluster (:964-1013). */
  private scanCluster(c: number, offset: number, order: number, kind: number, row: number): number {
    const nr = 1 << order;
    const start = c << 9;
    const end = start + CLUSTER_SLOTS - nr;
    const bm = this.bitmap;
    let found = 0;
    let next = 0;
    if (this.countOf(c) + nr <= CLUSTER_SLOTS) {
      if (nr === 1) {
        // First free slot at or after the offset (bit scan instead of slot-by-slot).
        let w = offset >>> 5;
        const lastW = (start >>> 5) + WORDS_PER_CLUSTER - 1;
        let bits = ~bm[w] & (-1 << (offset & 31));
        while (bits === 0 && w < lastW) bits = ~bm[++w];
        if (bits !== 0) found = (w << 5) + ctz32(bits);
      } else if (nr < 32) {
        const mask0 = (1 << nr) - 1;
        for (; offset <= end; offset += nr) {
          const word = bm[offset >>> 5];
          if (word === 0xffffffff) {
            offset = ((offset >>> 5) << 5) + 32 - nr;
            continue;
          }
          if ((word & (mask0 << (offset & 31))) === 0) {
            found = offset;
            break;
          }
        }
      } else {
        const words = nr >>> 5;
        for (; offset <= end; offset += nr) {
          const w = offset >>> 5;
          let clear = true;
          for (let i = 0; i < words; i++) {
            if (bm[w + i] !== 0) {
              clear = false;
              break;
            }
          }
          if (clear) {
            found = offset;
            break;
          }
        }
      }
      if (found) {
        // __swap_cluster_alloc_entries (:911-962): the first allocation makes the cluster this order's.
        if (this.countOf(c) === 0) this.setOrder(c, order);
        this.take(c, found, nr, kind);
        this.inuse += nr;
        const after = found + nr;
        if (this.countOf(c) < CLUSTER_SLOTS && after <= end) next = after;
      }
    }
    this.relocate(c);
    this.pcp[row + order] = next;
    return found;
  }

  /** relocate_cluster (:759-781). */
  private relocate(c: number): void {
    const f = this.flagOf(c);
    if (f === FLAG_DISCARD) return;
    const n = this.countOf(c);
    if (n === 0) {
      if (f !== FLAG_FREE) this.freeCluster(c);
    } else if (n !== CLUSTER_SLOTS) {
      if (f !== FLAG_FRAG) this.moveTo(c, LIST_FRAG + this.orderOf(c), FLAG_FRAG);
    } else if (f !== FLAG_FULL) this.moveTo(c, LIST_FULL, FLAG_FULL);
  }

  /** free_cluster (:719-741) and __free_cluster (:606-611); dynamic devices free the cluster itself. */
  private freeCluster(c: number): void {
    if (this.dynamic) {
      const f = this.flagOf(c);
      if (f !== FLAG_NONE && f !== FLAG_DEAD && f !== FLAG_FULL) this.listDel(c, this.listOf(c));
      this.setFlag(c, FLAG_DEAD);
      this.setOrder(c, 0);
      this.releaseId(c);
      this.clustersReleased++;
      return;
    }
    // Discard (swap_cluster_schedule_discard) completes before the next allocation here: the
    // cluster ends on the free list's tail either way.
    this.moveTo(c, LIST_FREE, FLAG_FREE);
    this.setOrder(c, 0);
  }

  /** Free one slot (__swap_cluster_free_entries for one slot, :1909-1958). */
  free(slot: number, kind: number): void {
    const c = slot >>> 9;
    this.release(c, slot, kind);
    this.inuse--;
    if (this.countOf(c) === 0) this.freeCluster(c);
    else if (this.flagOf(c) !== FLAG_NONFULL) this.moveTo(c, LIST_NONFULL + this.orderOf(c), FLAG_NONFULL); // partial_free_cluster
  }

  /** flush_percpu_swap_cluster (:3052-3066) at swapoff. */
  flushPercpu(): void {
    this.pcp.fill(0);
  }

  // --- lists (struct list_head in swap_cluster_info) -------------------------------------------

  private listOf(c: number): number {
    switch (this.flagOf(c)) {
      case FLAG_FREE:
        return LIST_FREE;
      case FLAG_DISCARD:
        return LIST_DISCARD;
      case FLAG_NONFULL:
        return LIST_NONFULL + this.orderOf(c);
      case FLAG_FRAG:
        return LIST_FRAG + this.orderOf(c);
      default:
        return -1;
    }
  }

  /**
   * move_cluster (:579-596): list_add_tail / list_move_tail, then the new flag. The full list is
   * only walked by swap_reclaim_full_clusters (swap-cache reclaim, not modelled), so full
   * clusters carry the flag without being linked: one random memory access less per event.
   */
  private moveTo(c: number, list: number, flag: number): void {
    const f = this.flagOf(c);
    if (f !== FLAG_NONE && f !== FLAG_FULL) this.listDel(c, this.listOf(c));
    this.setFlag(c, flag);
    if (list === LIST_FULL) return;
    const t = this.tail[list];
    this.setPrev(c, t);
    this.setNext(c, -1);
    if (t < 0) this.head[list] = c;
    else this.setNext(t, c);
    this.tail[list] = c;
  }

  private listDel(c: number, list: number): void {
    const p = this.prevOf(c);
    const n = this.nextOf(c);
    if (p < 0) this.head[list] = n;
    else this.setNext(p, n);
    if (n < 0) this.tail[list] = p;
    else this.setPrev(n, p);
  }

  /** Full clusters (the flag; the list itself is not kept). */
  fullClusters(): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.clusters; c++) if (this.flagOf(c) === FLAG_FULL) out.push(c);
    return out;
  }

  /** Clusters on a list, head first (tests, debugging). */
  listClusters(name: "free" | "discard" | "nonfull" | "frag", order = 0): number[] {
    const list = name === "free" ? LIST_FREE : name === "discard" ? LIST_DISCARD : name === "nonfull" ? LIST_NONFULL + order : LIST_FRAG + order;
    const out: number[] = [];
    for (let c = this.head[list]; c >= 0; c = this.nextOf(c)) out.push(c);
    return out;
  }

  // --- dynamic cluster ids (xa_alloc with XA_FLAGS_ALLOC: the lowest free index) -----------------

  private allocId(): number {
    const bits = this.idBits!;
    for (let w = this.idHint; w < bits.length; w++) {
      const free = ~bits[w];
      if (free === 0) {
        if (w === this.idHint) this.idHint = w + 1;
        continue;
      }
      const id = (w << 5) + ctz32(free);
      if (id >= this.clusters) return -1;
      bits[w] |= 1 << (id & 31);
      return id;
    }
    return -1;
  }

  private releaseId(c: number): void {
    this.idBits![c >>> 5] &= ~(1 << (c & 31));
    if (c >>> 5 < this.idHint) this.idHint = c >>> 5;
  }

  /** Full consistency check: the shared counters plus list membership against flags. */
  verifyLists(): void {
    this.verify((c) => this.reservedIn(c));
    const seen = new Uint8Array(this.clusters);
    for (let list = 0; list < NR_LISTS; list++) {
      let prev = -1;
      for (let c = this.head[list]; c >= 0; c = this.nextOf(c)) {
        if (seen[c]) throw new Error(`${this.id}: cluster ${c} on two lists`);
        seen[c] = 1;
        if (this.listOf(c) !== list) throw new Error(`${this.id}: cluster ${c} (flag ${this.flagOf(c)}, order ${this.orderOf(c)}) on list ${list}`);
        if (this.prevOf(c) !== prev) throw new Error(`${this.id}: list ${list} broken at cluster ${c}`);
        prev = c;
      }
      if (this.tail[list] !== prev) throw new Error(`${this.id}: list ${list} tail is ${this.tail[list]}, walk ended at ${prev}`);
    }
    let inuse = 0;
    for (let c = 0; c < this.clusters; c++) {
      const f = this.flagOf(c);
      if (f !== FLAG_DEAD && f !== FLAG_NONE && f !== FLAG_FULL && !seen[c]) throw new Error(`${this.id}: cluster ${c} (flag ${f}) on no list`);
      if (f === FLAG_FREE && this.countOf(c) !== 0) throw new Error(`${this.id}: free cluster ${c} holds ${this.countOf(c)} slots`);
      if (f === FLAG_FULL && this.countOf(c) !== CLUSTER_SLOTS) throw new Error(`${this.id}: full cluster ${c} holds ${this.countOf(c)} slots`);
      if (this.dynamic && (f === FLAG_DEAD) === ((this.idBits![c >>> 5] & (1 << (c & 31))) !== 0)) throw new Error(`${this.id}: cluster ${c} id bit disagrees with its flag`);
      inuse += this.countOf(c) - this.reservedIn(c);
    }
    if (inuse !== this.inuse) throw new Error(`${this.id}: inuse ${this.inuse} but clusters hold ${inuse}`);
  }
}
