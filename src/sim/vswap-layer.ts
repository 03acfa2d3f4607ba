/**
 * The virtual slot allocator of Nhat Pham's Virtual Swap Space, as mm/vswap.c does it in the v6
 * series (tree `vswap` in src/kernel/sources.ts; functions cited by name):
 *
 * - Virtual clusters of 512 slots are created on demand (kmem_cache_zalloc + xa_alloc into
 *   vswap_cluster_map with XA_FLAGS_TRACK_FREE: the lowest free cluster id) and freed when their
 *   refcount reaches zero (release_vswap_slot_nr → vswap_cluster_free). There is no free list.
 * - Each cluster serves one folio order for its whole life (struct vswap_cluster.order); there is
 *   no stealing across orders.
 * - folio_alloc_swap: the CPU's cached cluster for the order (percpu_vswap_cluster.clusters[order],
 *   which holds a reference) first; then the uncached partial clusters of the order
 *   (partial_clusters_lists[order], from the head; a cluster that fails is dropped from the list and
 *   marked full); then a new cluster. A new or partial cluster is cached on the CPU if the CPU's
 *   cached cluster is gone or full, else put at the head of the partial list.
 * - vswap_alloc_from_cluster: bitmap_find_next_zero_area from the start of the cluster (first fit,
 *   naturally aligned); cluster 0 starts at slot nr (entry 0 is invalid) and cannot hold a
 *   PMD-sized folio (limit.min = 1).
 * - release_vswap_slot_nr: a full cluster that can take another folio of its order again goes to
 *   the tail of the partial list (unless cached).
 *
 * Faithful quirk: when a CPU's cached cluster is replaced because it is full, it is not marked full,
 * so it never returns to a partial list; it is still freed when it empties.
 */
import { CLUSTER_SLOTS, NR_ORDERS, PMD_ORDER, SlotLayer, ctz32 } from "./layer.js";

export interface VswapLayerOptions {
  readonly id: string;
  /** Capacity: virtual slots the simulation may use (the real limit is U32_MAX clusters). */
  readonly slots: number;
  readonly cpus: number;
}

export class VswapLayer extends SlotLayer {
  readonly cpus: number;
  /** The cluster exists (allocated and in vswap_cluster_map). */
  readonly exists: Uint8Array;
  readonly order: Uint8Array;
  readonly cached: Uint8Array;
  readonly full: Uint8Array;
  /** On partial_clusters_lists[order]. */
  private readonly onList: Uint8Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  /** percpu_vswap_cluster.clusters[order] per CPU: a cluster id, or -1. */
  readonly pcp: Int32Array;
  private readonly idBits: Uint32Array;
  private idHint = 0;
  clustersCreated = 0;
  clustersReleased = 0;

  constructor(o: VswapLayerOptions) {
    const clusters = Math.ceil(o.slots / CLUSTER_SLOTS);
    super(o.id, clusters * CLUSTER_SLOTS, clusters);
    this.cpus = o.cpus;
    this.exists = new Uint8Array(clusters);
    this.order = new Uint8Array(clusters);
    this.cached = new Uint8Array(clusters);
    this.full = new Uint8Array(clusters);
    this.onList = new Uint8Array(clusters);
    this.next = new Int32Array(clusters);
    this.prev = new Int32Array(clusters);
    this.head = new Int32Array(NR_ORDERS).fill(-1);
    this.tail = new Int32Array(NR_ORDERS).fill(-1);
    this.pcp = new Int32Array(o.cpus * NR_ORDERS).fill(-1);
    this.idBits = new Uint32Array(Math.ceil(clusters / 32));
  }

  clusterExists(c: number): boolean {
    return this.exists[c] !== 0;
  }

  /** The folio order cluster c serves. */
  orderOf(c: number): number {
    return this.order[c];
  }

  /** cluster_is_alloc_candidate: room for one more folio of the cluster's order. */
  private candidate(c: number): boolean {
    return this.m16[c << 4] + (1 << this.order[c]) <= CLUSTER_SLOTS;
  }

  /** vswap_alloc_from_cluster: first free aligned range of the cluster's order. */
  private allocFrom(c: number, kind: number): number {
    if (!this.candidate(c)) return 0;
    const order = this.order[c];
    const nr = 1 << order;
    const base = c << 9;
    const bm = this.bitmap;
    let i = c === 0 ? nr : 0;
    let found = -1;
    if (nr === 1) {
      let w = (base + i) >>> 5;
      const lastW = (base >>> 5) + 15;
      let bits = ~bm[w] & (-1 << ((base + i) & 31));
      while (bits === 0 && w < lastW) bits = ~bm[++w];
      if (bits !== 0) found = (w << 5) + ctz32(bits) - base;
    } else if (nr < 32) {
      const mask0 = (1 << nr) - 1;
      for (; i <= CLUSTER_SLOTS - nr; i += nr) {
        const word = bm[(base + i) >>> 5];
        if (word === 0xffffffff) {
          i = ((i >>> 5) << 5) + 32 - nr;
          continue;
        }
        if ((word & (mask0 << (i & 31))) === 0) {
          found = i;
          break;
        }
      }
    } else {
      const words = nr >>> 5;
      for (; i <= CLUSTER_SLOTS - nr; i += nr) {
        const w = (base + i) >>> 5;
        let clear = true;
        for (let j = 0; j < words; j++) {
          if (bm[w + j] !== 0) {
            clear = false;
            break;
          }
        }
        if (clear) {
          found = i;
          break;
        }
      }
    }
    if (found < 0) return 0;
    this.take(c, base + found, nr, kind);
    return base + found;
  }

  /** folio_alloc_swap (mm/vswap.c). Returns the first virtual slot, or 0 when no room. */
  alloc(cpu: number, order: number, kind: number): number {
    const row = cpu * NR_ORDERS + order;
    let entry = 0;
    let needCaching = true;
    let c = this.pcp[row];
    // the locally cached cluster
    if (c >= 0) {
      entry = this.allocFrom(c, kind);
      needCaching = entry === 0;
      if (entry === 0 || !this.candidate(c)) {
        this.pcp[row] = -1;
        this.cached[c] = 0; // refcount_dec: the cluster holds entries, so it stays
        this.full[c] = 1;
      }
    }
    // uncached partial clusters of this order
    if (entry === 0) {
      let p = this.head[order];
      while (p >= 0) {
        const nextP = this.next[p];
        entry = this.allocFrom(p, kind);
        this.listDel(p);
        this.full[p] = entry === 0 || !this.candidate(p) ? 1 : 0;
        needCaching = this.full[p] === 0;
        if (entry !== 0) {
          c = p;
          break;
        }
        p = nextP;
      }
    }
    // a new cluster
    if (entry === 0) {
      c = this.allocId(order === PMD_ORDER ? 1 : 0);
      if (c < 0) {
        this.failures++;
        return 0;
      }
      this.clustersCreated++;
      this.exists[c] = 1;
      this.order[c] = order;
      this.cached[c] = 0;
      this.full[c] = 0;
      const nr = 1 << order;
      const first = (c << 9) + (c === 0 ? nr : 0);
      this.take(c, first, nr, kind);
      entry = first;
      needCaching = this.candidate(c);
    }
    if (needCaching) {
      const local = this.pcp[row];
      if (local !== c) {
        if (local >= 0) {
          // only replace the cached cluster if it is full
          needCaching = !this.candidate(local);
          if (needCaching) {
            this.pcp[row] = -1;
            this.cached[local] = 0;
          }
        }
        if (this.candidate(c)) {
          if (needCaching) {
            this.pcp[row] = c;
            this.cached[c] = 1;
          } else this.listAdd(c, order);
        }
      }
    }
    return entry;
  }

  /** release_vswap_slot_nr for one slot. */
  free(slot: number, kind: number): void {
    const c = slot >>> 9;
    this.release(c, slot, kind);
    if (this.m16[c << 4] === 0 && !this.cached[c]) this.freeCluster(c);
    else if (this.full[c] && this.candidate(c)) {
      this.full[c] = 0;
      if (!this.cached[c]) this.listAddTail(c, this.order[c]);
    }
  }

  /** vswap_cluster_free. */
  private freeCluster(c: number): void {
    if (this.onList[c]) this.listDel(c);
    this.exists[c] = 0;
    this.full[c] = 0;
    this.order[c] = 0;
    this.clustersReleased++;
    this.idBits[c >>> 5] &= ~(1 << (c & 31));
    if (c >>> 5 < this.idHint) this.idHint = c >>> 5;
  }

  /** xa_alloc in a XA_FLAGS_TRACK_FREE xarray: the lowest free index ≥ min. */
  private allocId(min: number): number {
    const bits = this.idBits;
    const w0 = Math.max(this.idHint, min >>> 5);
    for (let w = w0; w < bits.length; w++) {
      let free = ~bits[w];
      if (w === min >>> 5) free &= -1 << (min & 31);
      if (free === 0) {
        if (w === this.idHint && ~bits[w] === 0) this.idHint = w + 1;
        continue;
      }
      const id = (w << 5) + ctz32(free);
      if (id >= this.clusters) return -1;
      bits[w] |= 1 << (id & 31);
      return id;
    }
    return -1;
  }

  // --- partial_clusters_lists ------------------------------------------------------------------

  private listAdd(c: number, order: number): void {
    const h = this.head[order];
    this.prev[c] = -1;
    this.next[c] = h;
    if (h < 0) this.tail[order] = c;
    else this.prev[h] = c;
    this.head[order] = c;
    this.onList[c] = 1;
  }

  private listAddTail(c: number, order: number): void {
    const t = this.tail[order];
    this.next[c] = -1;
    this.prev[c] = t;
    if (t < 0) this.head[order] = c;
    else this.next[t] = c;
    this.tail[order] = c;
    this.onList[c] = 1;
  }

  private listDel(c: number): void {
    const order = this.order[c];
    const p = this.prev[c];
    const n = this.next[c];
    if (p < 0) this.head[order] = n;
    else this.next[p] = n;
    if (n < 0) this.tail[order] = p;
    else this.prev[n] = p;
    this.onList[c] = 0;
  }

  partialClusters(order: number): number[] {
    const out: number[] = [];
    for (let c = this.head[order]; c >= 0; c = this.next[c]) out.push(c);
    return out;
  }

  /** The header "slots" of cluster 0 are simply never allocated: nothing is reserved in counts. */
  verifyAll(): void {
    this.verify(() => 0);
    for (let o = 0; o < NR_ORDERS; o++) {
      let prev = -1;
      for (let c = this.head[o]; c >= 0; c = this.next[c]) {
        if (!this.onList[c] || this.order[c] !== o || !this.exists[c]) throw new Error(`${this.id}: cluster ${c} on partial list ${o} (order ${this.order[c]})`);
        if (this.cached[c]) throw new Error(`${this.id}: cached cluster ${c} on a partial list`);
        if (this.prev[c] !== prev) throw new Error(`${this.id}: partial list ${o} broken at ${c}`);
        prev = c;
      }
    }
    for (let c = 0; c < this.clusters; c++) {
      const has = (this.idBits[c >>> 5] & (1 << (c & 31))) !== 0;
      if (has !== (this.exists[c] === 1)) throw new Error(`${this.id}: cluster ${c} id bit ${has} but exists ${this.exists[c]}`);
      if (this.exists[c] && this.m16[c << 4] === 0 && !this.cached[c]) throw new Error(`${this.id}: empty uncached cluster ${c} not freed`);
    }
    let cachedCount = 0;
    for (let i = 0; i < this.pcp.length; i++) if (this.pcp[i] >= 0) cachedCount++;
    let flagged = 0;
    for (let c = 0; c < this.clusters; c++) flagged += this.cached[c];
    if (cachedCount !== flagged) throw new Error(`${this.id}: ${cachedCount} per-CPU cached clusters but ${flagged} flagged cached`);
  }
}
