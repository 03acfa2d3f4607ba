/**
 * The slot-level swap simulator: one logical stream of swap events placed by several allocators at
 * once, so every design sees the same entries.
 *
 * - `direct` (always run): the device's swapfile.c allocator holding every entry; its slot is the
 *   entry's handle (what a direct-mapped PTE holds).
 * - `backing`: the same allocator on the device, holding only disk-backed entries, allocated when
 *   the data goes to disk (a direct swap-out to disk, or zswap writeback: order 0).
 * - `vswap`: mm/vswap.c's virtual allocator; `dynamic`: swapfile.c with clusters created on demand
 *   (ghost-p4, Swap Table Edition); `ghost`: a static ghost swapfile holding the entries that did
 *   not go to disk directly (ghost swapfile, redirect's upper tier).
 *
 * Events: swap-out of an order-k folio by a CPU, swap-in of a folio, free of one entry, fork (a
 * second reference), zswap writeback, swapoff. An order-k swap-out the direct layer cannot place
 * fails (the caller splits the folio, as the kernel does); another layer that cannot place it
 * falls back to order-0 slots for its pages.
 *
 * State: 1 byte per slot (kind and folio order, meaningful while the slot's bitmap bit says it is
 * live: a free does not touch it, an allocation only stores it), used only in clusters whose live
 * entries differ in it (a byte per cluster holds the common value otherwise), plus the layers'
 * bitmaps and counters (about 0.15 bytes per slot for the direct layer, 0.19 for the others) and a
 * 4-byte map per slot for every layer beyond `direct`; O(clusters) besides. No allocation per event.
 */
import { SwapcostInvariantError } from "../errors.js";
import type { SimLayerId } from "../models/placement.js";
import { CLUSTER_SLOTS, KINDS, KIND_DIRECT, KIND_WRITTEN, KIND_ZSWAP, ctz32, popcount32, type SlotLayer } from "./layer.js";
import type { Rng } from "./rng.js";
import { SwapfileLayer } from "./swapfile-layer.js";
import { VswapLayer } from "./vswap-layer.js";

export const PAGE_BYTES = 4096;
/** The simulator's largest device: 2^30 slots = 4 TiB (virtual layers of twice that still fit int32 offsets). */
export const MAX_SIM_SLOTS = 2 ** 30;

/** A state byte written by a swap-out (kind | order << 2 | WRITTEN_BY_SWAPOUT); never cleared. */
const SET = 0x80;

export interface SimOptions {
  /** Device size in bytes (slots = floor(size / 4096), header page included). */
  readonly swapSizeBytes: number;
  readonly cpus: number;
  /** Layers besides `direct` (always run). */
  readonly layers?: readonly SimLayerId[];
  /** Capacity of the on-demand virtual layers (vswap, dynamic) as a multiple of the device (default 2). */
  readonly virtualScale?: number;
  /** Swap device flags for the direct and backing layers. */
  readonly discard?: boolean;
  readonly rotational?: boolean;
  readonly blockDevice?: boolean;
  /** Check conservation (allocated - freed = live, per layer) after every event. */
  readonly debug?: boolean;
}

export interface SimCounters {
  events: number;
  swapOuts: number;
  swapOutPages: number;
  swapOutFailures: number;
  swapIns: number;
  frees: number;
  dups: number;
  writebacks: number;
  writebackFailures: number;
  swapoffs: number;
  swapoffEntries: number;
  /** References that could not be counted (an 8-bit count per slot, as the kernel's before its continuation pages). */
  refSaturations: number;
}

export class SwapSim {
  readonly slots: number;
  readonly cpus: number;
  readonly direct: SwapfileLayer;
  readonly backing: SwapfileLayer | null;
  readonly ghost: SwapfileLayer | null;
  readonly dynamic: SwapfileLayer | null;
  readonly vswap: VswapLayer | null;
  readonly debug: boolean;
  /**
   * Per direct slot, valid while the slot is live and its cluster's `cstate` is 0:
   * SET | order << 2 | kind. Read it through stateOf().
   */
  readonly state: Uint8Array;
  /**
   * Per direct cluster: the state byte all its live entries share, or 0 when they differ (then
   * `state` holds each one). Most clusters hold one kind and one order, so a swap-out need not
   * touch the 1-byte-per-slot array at all: a random store into it per event was the costliest
   * memory access of a churn run (a cache and TLB miss for a byte nobody reads).
   */
  private readonly cstate: Uint8Array;
  /** Extra references per slot (fork), allocated on the first dup. */
  private refs: Uint8Array | null = null;
  private readonly mapBacking: Uint32Array | null;
  private readonly mapGhost: Uint32Array | null;
  private readonly mapDynamic: Uint32Array | null;
  private readonly mapVswap: Uint32Array | null;
  /**
   * Live entries per direct cluster, and per 64 / 4096 clusters (uniform selection of a live entry).
   * The per-cluster count duplicates the layer's record on purpose: 2 bytes per cluster stay in
   * cache where the 32-byte records do not.
   */
  private readonly clive: Uint16Array;
  private readonly g1: Uint32Array;
  private readonly g2: Uint32Array;
  /**
   * 32 - ceil(log2(clusters)): a random cluster index is the top bits of a 32-bit draw, leaving the
   * low 9 bits (at most 2^21 clusters) for the acceptance test.
   */
  private readonly clusterShift: number;
  /** Live entries by kind (SIM_KINDS order). */
  readonly liveByKind: Float64Array = new Float64Array(KINDS);
  live = 0;
  /** Entries a layer should hold but could not place (the layer was full). */
  readonly unplaced = { backing: 0, ghost: 0, dynamic: 0, vswap: 0 };
  readonly counters: SimCounters = {
    events: 0,
    swapOuts: 0,
    swapOutPages: 0,
    swapOutFailures: 0,
    swapIns: 0,
    frees: 0,
    dups: 0,
    writebacks: 0,
    writebackFailures: 0,
    swapoffs: 0,
    swapoffEntries: 0,
    refSaturations: 0,
  };

  constructor(o: SimOptions) {
    const slots = Math.floor(o.swapSizeBytes / PAGE_BYTES);
    if (!Number.isSafeInteger(slots) || slots < 2) throw new RangeError(`swap size ${o.swapSizeBytes} is below 2 pages`);
    if (slots > MAX_SIM_SLOTS) throw new RangeError(`the simulator handles devices up to ${MAX_SIM_SLOTS} slots (4 TiB), got ${slots}`);
    const layers = new Set(o.layers ?? []);
    const scale = o.virtualScale ?? 2;
    if (!(scale >= 1 && scale <= 2)) throw new RangeError(`virtualScale must be between 1 and 2, got ${scale}`);
    this.slots = slots;
    this.cpus = o.cpus;
    this.debug = o.debug ?? false;
    const device = { cpus: o.cpus, discard: o.discard, rotational: o.rotational, blockDevice: o.blockDevice };
    this.direct = new SwapfileLayer({ id: "direct", slots, ...device, trackChunks: false });
    this.backing = layers.has("backing") ? new SwapfileLayer({ id: "backing", slots, ...device }) : null;
    this.ghost = layers.has("ghost") ? new SwapfileLayer({ id: "ghost", slots, cpus: o.cpus }) : null;
    const virtualSlots = Math.min(MAX_SIM_SLOTS * 2 - CLUSTER_SLOTS, Math.ceil((slots * scale) / CLUSTER_SLOTS) * CLUSTER_SLOTS);
    this.dynamic = layers.has("dynamic") ? new SwapfileLayer({ id: "dynamic", slots: virtualSlots, cpus: o.cpus, dynamic: true }) : null;
    this.vswap = layers.has("vswap") ? new VswapLayer({ id: "vswap", slots: virtualSlots, cpus: o.cpus }) : null;
    this.state = new Uint8Array(slots);
    this.cstate = new Uint8Array(this.direct.clusters);
    this.mapBacking = this.backing ? new Uint32Array(slots) : null;
    this.mapGhost = this.ghost ? new Uint32Array(slots) : null;
    this.mapDynamic = this.dynamic ? new Uint32Array(slots) : null;
    this.mapVswap = this.vswap ? new Uint32Array(slots) : null;
    const clusterBits = this.direct.clusters <= 1 ? 0 : 32 - Math.clz32(this.direct.clusters - 1);
    this.clusterShift = 32 - clusterBits;
    this.clive = new Uint16Array(this.direct.clusters);
    this.g1 = new Uint32Array(Math.ceil(this.direct.clusters / 64));
    this.g2 = new Uint32Array(Math.ceil(this.direct.clusters / 4096));
  }

  /** The layers this run places entries in, `direct` first. */
  layers(): SlotLayer[] {
    const out: SlotLayer[] = [this.direct];
    if (this.backing) out.push(this.backing);
    if (this.vswap) out.push(this.vswap);
    if (this.dynamic) out.push(this.dynamic);
    if (this.ghost) out.push(this.ghost);
    return out;
  }

  layer(id: SimLayerId): SlotLayer | null {
    switch (id) {
      case "direct":
        return this.direct;
      case "backing":
        return this.backing;
      case "vswap":
        return this.vswap;
      case "dynamic":
        return this.dynamic;
      case "ghost":
        return this.ghost;
    }
  }

  isLive(slot: number): boolean {
    return this.liveBit(slot);
  }

  /** The kind of a live entry. */
  kindOf(slot: number): number {
    return this.stateOf(slot) & 3;
  }

  /** The order of the folio a live entry belongs to. */
  orderOf(slot: number): number {
    return (this.stateOf(slot) >>> 2) & 15;
  }

  /** The state byte of a live entry (SET | order << 2 | kind). */
  stateOf(slot: number): number {
    const u = this.cstate[slot >>> 9];
    return u !== 0 ? u : this.state[slot];
  }

  /**
   * Record the state byte of `nr` new entries at h (a swap-out), before the cluster's live count
   * includes them.
   */
  private placeState(h: number, nr: number, st: number): void {
    const c = h >>> 9;
    const u = this.cstate[c];
    if (u === st) return;
    if (this.clive[c] === 0) {
      this.cstate[c] = st; // the first live entry of the cluster sets the common value
      return;
    }
    if (u !== 0) this.spillState(c, u);
    if (nr === 1) this.state[h] = st;
    else this.state.fill(st, h, h + nr);
  }

  /** Change the state byte of one live entry. */
  private restate(slot: number, st: number): void {
    const c = slot >>> 9;
    const u = this.cstate[c];
    if (u === st) return;
    if (u !== 0) {
      if (this.clive[c] === 1) {
        this.cstate[c] = st; // the cluster's only live entry
        return;
      }
      this.spillState(c, u);
    }
    this.state[slot] = st;
  }

  /** The cluster's live entries are about to differ: give each its own byte. */
  private spillState(c: number, u: number): void {
    this.cstate[c] = 0;
    this.state.fill(u, c << 9, Math.min(this.slots, (c + 1) << 9));
  }

  /** References held on a live entry (1 + forks). */
  refsOf(slot: number): number {
    return this.isLive(slot) ? 1 + (this.refs ? this.refs[slot] : 0) : 0;
  }

  // --- events ------------------------------------------------------------------------------------

  /**
   * Swap out a folio of 2^order pages on `cpu`, backed by `kind` (zswap, zero or direct-to-disk).
   * Returns the first direct slot (the handle of the folio's first page), or 0 when the device
   * cannot place the folio at this order.
   */
  swapOut(cpu: number, order: number, kind: number): number {
    this.counters.events++;
    const h = this.direct.alloc(cpu, order, kind);
    if (h === 0) {
      this.counters.swapOutFailures++;
      if (this.debug) this.checkConservation();
      return 0;
    }
    const nr = 1 << order;
    this.placeState(h, nr, SET | (order << 2) | kind);
    const c = h >>> 9;
    this.clive[c] += nr;
    this.g1[c >>> 6] += nr;
    this.g2[c >>> 12] += nr;
    this.liveByKind[kind] += nr;
    this.live += nr;
    this.counters.swapOuts++;
    this.counters.swapOutPages += nr;
    if (this.vswap) this.unplaced.vswap += this.placeInLayer(this.vswap, this.mapVswap!, h, cpu, order, kind);
    if (this.dynamic) this.unplaced.dynamic += this.placeInLayer(this.dynamic, this.mapDynamic!, h, cpu, order, kind);
    if (this.ghost && kind !== KIND_DIRECT) this.unplaced.ghost += this.placeInLayer(this.ghost, this.mapGhost!, h, cpu, order, kind);
    if (this.backing && kind === KIND_DIRECT) this.unplaced.backing += this.placeInLayer(this.backing, this.mapBacking!, h, cpu, order, kind);
    if (this.debug) this.checkConservation();
    return h;
  }

  /**
   * Swap out up to `count` folios of the same order, backend and CPU in a row (a reclaim batch):
   * exactly `count` swapOut events, stopping at the first failure. Returns the folios placed.
   */
  swapOutRun(cpu: number, order: number, kind: number, count: number): number {
    if (order !== 0 || this.vswap || this.dynamic || this.ghost || this.backing || this.debug) {
      for (let i = 0; i < count; i++) if (this.swapOut(cpu, order, kind) === 0) return i;
      return count;
    }
    // order 0 on the direct layer alone: the same steps as swapOut, in batches
    const cstate = this.cstate;
    const clive = this.clive;
    const g1 = this.g1;
    const g2 = this.g2;
    const st = SET | kind;
    const buf = this.runBuffer;
    let placed = 0;
    while (placed < count) {
      const want = Math.min(buf.length, count - placed);
      const n = this.direct.allocRun0(cpu, kind, want, buf);
      for (let i = 0; i < n; ) {
        // the slots come in runs of one cluster
        const c = buf[i] >>> 9;
        let j = i + 1;
        while (j < n && buf[j] >>> 9 === c) j++;
        if (cstate[c] === st) clive[c] += j - i;
        else {
          for (let x = i; x < j; x++) {
            this.placeState(buf[x], 1, st);
            clive[c]++;
          }
        }
        g1[c >>> 6] += j - i;
        g2[c >>> 12] += j - i;
        i = j;
      }
      placed += n;
      this.liveByKind[kind] += n;
      this.live += n;
      this.counters.events += n;
      this.counters.swapOuts += n;
      this.counters.swapOutPages += n;
      if (n < want) {
        this.counters.events++;
        this.counters.swapOutFailures++;
        return placed;
      }
    }
    return placed;
  }

  /** Scratch slots for swapOutRun. */
  private readonly runBuffer = new Int32Array(4096);

  /** Place a folio in another allocator layer; returns the pages left without a slot. */
  private placeInLayer(layer: SwapfileLayer | VswapLayer, map: Uint32Array, h: number, cpu: number, order: number, kind: number): number {
    const nr = 1 << order;
    const s = layer.alloc(cpu, order, kind);
    if (s !== 0) {
      for (let j = 0; j < nr; j++) map[h + j] = s + j;
      return 0;
    }
    let missing = 0;
    for (let j = 0; j < nr; j++) {
      const s1 = order === 0 ? 0 : layer.alloc(cpu, 0, kind);
      map[h + j] = s1;
      if (s1 === 0) missing++;
    }
    return missing;
  }

  /** Drop one reference to one entry (a PTE goes away); the slots are freed with the last one. */
  free(slot: number): void {
    this.counters.events++;
    this.counters.frees++;
    this.put(slot);
    if (this.debug) this.checkConservation();
  }

  /** Swap in the folio holding `slot`: one reference to each of its pages. Returns the pages put. */
  swapIn(slot: number): number {
    this.counters.events++;
    this.counters.swapIns++;
    if (this.direct.orderOf(slot >>> 9) === 0 && this.liveBit(slot)) {
      // an entry of an order-0 cluster is an order-0 folio (cluster_is_usable admits no larger one)
      this.putLive(slot);
      if (this.debug) this.checkConservation();
      return 1;
    }
    const n = this.putFolio(slot);
    if (this.debug) this.checkConservation();
    return n;
  }

  /** Fork: a second PTE for every page of the folio holding `slot`. */
  dup(slot: number): void {
    this.counters.events++;
    this.counters.dups++;
    if (!this.liveBit(slot)) throw new SwapcostInvariantError(`dup of free slot ${slot}`);
    const st = this.stateOf(slot);
    if (!this.refs) this.refs = new Uint8Array(this.slots);
    const order = (st >>> 2) & 15;
    const nr = 1 << order;
    const base = slot & ~(nr - 1);
    for (let s = base; s < base + nr; s++) {
      if (!this.liveBit(s) || ((this.stateOf(s) >>> 2) & 15) !== order) continue;
      if (this.refs[s] === 255) this.counters.refSaturations++;
      else this.refs[s]++;
    }
    if (this.debug) this.checkConservation();
  }

  /**
   * zswap writeback of one page: the entry's data moves to disk. The backing layer gets an order-0
   * slot; every other layer keeps its slot and sees the entry change kind. Returns false (nothing
   * changes) when the entry is not in zswap or the device has no room.
   */
  writeback(slot: number, cpu: number): boolean {
    this.counters.events++;
    if (!this.liveBit(slot) || (this.stateOf(slot) & 3) !== KIND_ZSWAP) {
      this.counters.writebackFailures++;
      if (this.debug) this.checkConservation();
      return false;
    }
    if (this.backing) {
      const s = this.backing.alloc(cpu, 0, KIND_WRITTEN);
      if (s === 0) {
        this.counters.writebackFailures++;
        if (this.debug) this.checkConservation();
        return false;
      }
      this.mapBacking![slot] = s;
    }
    this.direct.setKind(slot, KIND_ZSWAP, KIND_WRITTEN);
    if (this.vswap) {
      const s = this.mapVswap![slot];
      if (s !== 0) this.vswap.setKind(s, KIND_ZSWAP, KIND_WRITTEN);
    }
    if (this.dynamic) {
      const s = this.mapDynamic![slot];
      if (s !== 0) this.dynamic.setKind(s, KIND_ZSWAP, KIND_WRITTEN);
    }
    if (this.ghost) {
      const s = this.mapGhost![slot];
      if (s !== 0) this.ghost.setKind(s, KIND_ZSWAP, KIND_WRITTEN);
    }
    this.restate(slot, (this.stateOf(slot) & ~3) | KIND_WRITTEN);
    this.liveByKind[KIND_ZSWAP]--;
    this.liveByKind[KIND_WRITTEN]++;
    this.counters.writebacks++;
    if (this.debug) this.checkConservation();
    return true;
  }

  /**
   * swapoff of the device: try_to_unuse swaps every entry in, so every layer ends empty; the device
   * (direct and backing layers) then starts over as after swapon (flush_percpu_swap_cluster, fresh
   * cluster lists). The virtual layers are other devices and keep their per-CPU caches. Returns the
   * entries dropped.
   */
  swapoff(): number {
    this.counters.events++;
    this.counters.swapoffs++;
    let dropped = 0;
    const bm = this.direct.bitmap;
    for (let w = 0; w < bm.length; w++) {
      let bits = bm[w];
      while (bits !== 0) {
        const slot = (w << 5) + ctz32(bits);
        bits &= bits - 1;
        if (this.liveBit(slot)) {
          if (this.refs) this.refs[slot] = 0;
          this.put(slot);
          dropped++;
        }
      }
    }
    this.direct.reset();
    this.backing?.reset();
    this.counters.swapoffEntries += dropped;
    if (this.debug) this.checkConservation();
    return dropped;
  }

  private putFolio(slot: number): number {
    if (!this.liveBit(slot)) throw new SwapcostInvariantError(`swap-in of free slot ${slot}`);
    const order = (this.stateOf(slot) >>> 2) & 15;
    const nr = 1 << order;
    const base = slot & ~(nr - 1);
    let n = 0;
    for (let s = base; s < base + nr; s++) {
      if (!this.liveBit(s) || ((this.stateOf(s) >>> 2) & 15) !== order) continue;
      this.put(s);
      n++;
    }
    return n;
  }

  /** The slot holds a live entry (its bitmap bit; slot 0 and slots past the end are reserved). */
  private liveBit(slot: number): boolean {
    return slot !== 0 && slot < this.slots && (this.direct.bitmap[slot >>> 5] & (1 << (slot & 31))) !== 0;
  }

  private put(slot: number): void {
    if (!this.liveBit(slot)) throw new SwapcostInvariantError(`free of free slot ${slot}`);
    this.putLive(slot);
  }

  /** Drop one reference to a live entry. */
  private putLive(slot: number): void {
    if (this.refs !== null && this.refs[slot] > 0) {
      this.refs[slot]--;
      return;
    }
    const c = slot >>> 9;
    // The kind: the cluster's common state byte, else its counters when they show a single kind
    // (the record is about to be written anyway), else the per-slot byte.
    const u = this.cstate[c];
    let kind: number;
    if (u !== 0) kind = u & 3;
    else {
      const k = this.direct.m16; // the cluster's record: live entries by kind at 1..4
      const b = (c << 4) + 1;
      const k0 = k[b];
      const k1 = k[b + 1];
      const k2 = k[b + 2];
      const k3 = k[b + 3];
      if (k1 === 0 && k2 === 0 && k3 === 0) kind = 0;
      else if (k0 === 0 && k2 === 0 && k3 === 0) kind = 1;
      else if (k0 === 0 && k1 === 0 && k3 === 0) kind = 2;
      else if (k0 === 0 && k1 === 0 && k2 === 0) kind = 3;
      else kind = this.state[slot] & 3;
    }
    this.direct.free(slot, kind); // the state byte is left as it is: the bitmap says the slot is free
    this.clive[c]--;
    this.g1[c >>> 6]--;
    this.g2[c >>> 12]--;
    this.liveByKind[kind]--;
    this.live--;
    if (this.vswap) {
      const s = this.mapVswap![slot];
      if (s !== 0) {
        this.vswap.free(s, kind);
        this.mapVswap![slot] = 0;
      } else this.unplaced.vswap--;
    }
    if (this.dynamic) {
      const s = this.mapDynamic![slot];
      if (s !== 0) {
        this.dynamic.free(s, kind);
        this.mapDynamic![slot] = 0;
      } else this.unplaced.dynamic--;
    }
    if (this.ghost && kind !== KIND_DIRECT) {
      const s = this.mapGhost![slot];
      if (s !== 0) {
        this.ghost.free(s, kind);
        this.mapGhost![slot] = 0;
      } else this.unplaced.ghost--;
    }
    if (this.backing && (kind === KIND_DIRECT || kind === KIND_WRITTEN)) {
      const s = this.mapBacking![slot];
      if (s !== 0) {
        this.backing.free(s, kind);
        this.mapBacking![slot] = 0;
      } else this.unplaced.backing--;
    }
  }

  // --- selection -----------------------------------------------------------------------------------

  /**
   * A uniformly random live entry (its direct slot), or 0 when none. Rejection sampling over the
   * device while at least 1/8 of it is live; otherwise the k-th live entry by per-cluster counts.
   */
  randomLive(rng: Rng): number {
    const live = this.live;
    if (live === 0) return 0;
    if (live * 8 >= this.slots) {
      // Rejection over the device's slots, one 32-bit draw per try: the top bits pick a cluster,
      // the low 9 bits a slot in it, every slot with probability 1/(C * 512); a try is accepted
      // when the slot holds a live entry, so the choice is uniform over live entries. Empty
      // clusters are rejected from the per-cluster counts (in cache) without touching the bitmap.
      const clusters = this.direct.clusters;
      const cl = this.clive;
      const bm = this.direct.bitmap;
      const slots = this.slots;
      const shift = this.clusterShift;
      for (let t = 0; t < 64; t++) {
        const x = rng.i32();
        const c = (x >>> 1) >>> (shift - 1); // x >>> shift, and 0 when shift is 32
        if (c >= clusters || cl[c] === 0) continue;
        const s = (c << 9) | (x & 511);
        if (s !== 0 && s < slots && (bm[s >>> 5] & (1 << (s & 31))) !== 0) return s;
      }
    }
    return this.kthLive(rng.below(live));
  }

  /** The j-th live slot (0-based) of direct cluster c. */
  private nthInCluster(c: number, j: number): number {
    const bm = this.direct.bitmap;
    const slots = this.slots;
    for (let w = c << 4, end = w + 16; w < end; w++) {
      let bits = bm[w];
      if (w === 0) bits &= ~1;
      const first = w << 5;
      if (first + 32 > slots) bits = first >= slots ? 0 : bits & ((1 << (slots - first)) - 1);
      const pc = popcount32(bits);
      if (j < pc) {
        for (; j > 0; j--) bits &= bits - 1;
        return first + ctz32(bits);
      }
      j -= pc;
    }
    throw new SwapcostInvariantError(`cluster ${c}: live count ${this.direct.liveIn(c)} disagrees with its bitmap`);
  }

  /** The k-th live entry in slot order (0-based). */
  kthLive(k: number): number {
    if (k < 0 || k >= this.live) throw new RangeError(`k ${k} outside 0..${this.live - 1}`);
    const g2 = this.g2;
    const g1 = this.g1;
    const cl = this.clive;
    let i = 0;
    while (k >= g2[i]) k -= g2[i++];
    let j = i * 64;
    while (k >= g1[j]) k -= g1[j++];
    let c = j * 64;
    while (k >= cl[c]) k -= cl[c++];
    return this.nthInCluster(c, k);
  }

  /** A random live zswap entry by rejection (up to `tries` draws), or 0. */
  randomOfKind(rng: Rng, kind: number, tries = 64): number {
    if (this.liveByKind[kind] === 0) return 0;
    for (let t = 0; t < tries; t++) {
      const s = this.randomLive(rng);
      if (s !== 0 && (this.stateOf(s) & 3) === kind) return s; // randomLive returns live slots only
    }
    return 0;
  }

  /**
   * The kinds present in each 64-slot chunk of the direct layer (bit k: kind k), from the occupancy
   * bitmap and the per-slot state. With a single live kind the bitmap alone answers.
   */
  chunkKindSets(): Uint8Array {
    const n64 = this.direct.clusters * 8;
    const out = new Uint8Array(n64);
    const bm = this.direct.bitmap;
    const slots = this.slots;
    let present = 0;
    let only = 0;
    for (let k = 0; k < KINDS; k++) {
      if (this.liveByKind[k] > 0) {
        present++;
        only = 1 << k;
      }
    }
    if (present === 0) return out;
    const state = this.state;
    const cstate = this.cstate;
    for (let i = 0; i < n64; i++) {
      let w0 = bm[2 * i];
      let w1 = bm[2 * i + 1];
      if (i === 0) w0 &= ~1; // the header slot
      const first = i * 64;
      if (first + 64 > slots) {
        // the slots past the end are reserved bits
        const keep = Math.max(0, slots - first);
        if (keep < 32) {
          w0 &= keep === 0 ? 0 : (1 << keep) - 1;
          w1 = 0;
        } else if (keep < 64) w1 &= keep === 32 ? 0 : (1 << (keep - 32)) - 1;
      }
      if ((w0 | w1) === 0) continue;
      if (present === 1) {
        out[i] = only;
        continue;
      }
      const u = cstate[i >>> 3];
      if (u !== 0) {
        out[i] = 1 << (u & 3);
        continue;
      }
      let set = 0;
      for (let j = 0; j < 2; j++) {
        let bits = j === 0 ? w0 : w1;
        const base = first + j * 32;
        while (bits !== 0) {
          set |= 1 << (state[base + ctz32(bits)] & 3);
          bits &= bits - 1;
        }
        if (set === 15) break;
      }
      out[i] = set;
    }
    return out;
  }

  // --- checks --------------------------------------------------------------------------------------

  /** O(1) conservation: allocated - freed = live in every layer, and each layer holds what it should. */
  checkConservation(): void {
    const lk = this.liveByKind;
    const sum = lk[0] + lk[1] + lk[2] + lk[3];
    if (sum !== this.live) throw new SwapcostInvariantError(`live by kind sums to ${sum}, live is ${this.live}`);
    for (const l of this.layers()) {
      if (l.allocated - l.freed !== l.live) throw new SwapcostInvariantError(`${l.id}: allocated ${l.allocated} - freed ${l.freed} != live ${l.live}`);
    }
    if (this.direct.live !== this.live) throw new SwapcostInvariantError(`direct holds ${this.direct.live}, ${this.live} entries live`);
    if (this.vswap && this.vswap.live !== this.live - this.unplaced.vswap) throw new SwapcostInvariantError(`vswap holds ${this.vswap.live}, expected ${this.live - this.unplaced.vswap}`);
    if (this.dynamic && this.dynamic.live !== this.live - this.unplaced.dynamic) throw new SwapcostInvariantError(`dynamic holds ${this.dynamic.live}, expected ${this.live - this.unplaced.dynamic}`);
    if (this.ghost && this.ghost.live !== this.live - lk[KIND_DIRECT] - this.unplaced.ghost) throw new SwapcostInvariantError(`ghost holds ${this.ghost.live}, expected ${this.live - lk[KIND_DIRECT] - this.unplaced.ghost}`);
    if (this.backing && this.backing.live !== lk[KIND_DIRECT] + lk[KIND_WRITTEN] - this.unplaced.backing) throw new SwapcostInvariantError(`backing holds ${this.backing.live}, expected ${lk[KIND_DIRECT] + lk[KIND_WRITTEN] - this.unplaced.backing}`);
  }

  /** O(slots) check of every layer's arrays, lists and the maps between them. */
  verify(): void {
    this.checkConservation();
    this.direct.verifyLists();
    this.backing?.verifyLists();
    this.ghost?.verifyLists();
    this.dynamic?.verifyLists();
    this.vswap?.verifyAll();
    const maps: Array<[Uint32Array | null, SlotLayer | null]> = [
      [this.mapBacking, this.backing],
      [this.mapGhost, this.ghost],
      [this.mapDynamic, this.dynamic],
      [this.mapVswap, this.vswap],
    ];
    const kindsSeen = new Float64Array(KINDS);
    for (let s = 0; s < this.slots; s++) {
      const live = this.liveBit(s);
      const st = live ? this.stateOf(s) : 0;
      if (live && !(st & SET)) throw new SwapcostInvariantError(`slot ${s}: live without a state written by a swap-out`);
      if (live) kindsSeen[st & 3]++;
      for (const [map, layer] of maps) {
        if (!map || !layer) continue;
        const m = map[s];
        if (m !== 0 && (!live || !layer.isSet(m))) throw new SwapcostInvariantError(`${layer.id}: slot ${s} maps to ${m}, live ${live}, set ${layer.isSet(m)}`);
      }
    }
    for (let k = 0; k < KINDS; k++) if (kindsSeen[k] !== this.liveByKind[k]) throw new SwapcostInvariantError(`kind ${k}: ${kindsSeen[k]} entries in state, ${this.liveByKind[k]} counted`);
    for (let c = 0; c < this.direct.clusters; c++) {
      if (this.clive[c] !== this.direct.liveIn(c)) throw new SwapcostInvariantError(`cluster ${c}: selection count ${this.clive[c]} != ${this.direct.liveIn(c)}`);
      const u = this.cstate[c];
      if (u !== 0 && this.direct.kindCount(c, u & 3) !== this.clive[c]) throw new SwapcostInvariantError(`cluster ${c}: common state ${u} but ${this.direct.kindCount(c, u & 3)} of ${this.clive[c]} live entries of its kind`);
    }
  }
}
