/**
 * What a layer's state means for the cost model: in-use chunks at every size the registry's rules
 * use (MEASURED_CHUNK_SLOTS), for each set of entry kinds that drives a structure, plus cluster
 * occupancy histograms. O(slots / 64) per call, independent of the number of masks (counts go
 * through a 16-bucket histogram of "which kinds are present" per chunk).
 */
import { MEASURED_CHUNK_SLOTS, SIM_KINDS, type MeasuredChunks, type MeasuredLayer } from "../models/occupancy.js";
import { CLUSTER_SLOTS, KINDS, type SlotLayer } from "./layer.js";

const HEIGHTS = 6;

/**
 * Which kinds are present in each 64-slot chunk / each cluster, as 4-bit sets. A layer that does
 * not track per-chunk counters (the direct layer) passes its sets in (SwapSim.chunkKindSets).
 */
function chunkKindSets(layer: SlotLayer, given?: Uint8Array): { chunk64: Uint8Array; cluster: Uint8Array } {
  const n64 = layer.clusters * 8;
  let chunk64: Uint8Array;
  if (given) {
    if (given.length !== n64) throw new RangeError(`${layer.id}: ${given.length} chunk sets for ${n64} chunks`);
    chunk64 = given;
  } else {
    if (!layer.trackChunks) throw new RangeError(`${layer.id} does not track 64-slot chunks: pass its chunk kind sets`);
    const words = new Uint32Array(layer.kinds64.buffer, layer.kinds64.byteOffset, n64);
    chunk64 = new Uint8Array(n64);
    for (let i = 0; i < n64; i++) {
      const w = words[i];
      if (w === 0) continue;
      // little-endian typed arrays (every platform Node runs on): byte k = kind k
      chunk64[i] = ((w & 0xff) !== 0 ? 1 : 0) | ((w & 0xff00) !== 0 ? 2 : 0) | ((w & 0xff0000) !== 0 ? 4 : 0) | ((w & 0xff000000) !== 0 ? 8 : 0);
    }
  }
  const cluster = new Uint8Array(layer.clusters);
  for (let c = 0; c < layer.clusters; c++) {
    let v = 0;
    for (let i = c * 8; i < c * 8 + 8; i++) v |= chunk64[i];
    cluster[c] = v;
  }
  return { chunk64, cluster };
}

/** OR consecutive groups of `factor` sets. */
function coarsen(sets: Uint8Array, factor: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(sets.length / factor));
  for (let i = 0; i < sets.length; i++) out[(i / factor) | 0] |= sets[i];
  return out;
}

/** Count chunks whose kind set meets each mask; with the first / last flags and height-class prefixes. */
function countSets(sets: Uint8Array, chunkSlots: number, masks: readonly number[]): Record<string, MeasuredChunks> {
  const hist = new Float64Array(16);
  const limits: number[] = [];
  for (let h = 1; h <= HEIGHTS; h++) limits.push(Math.floor(64 ** h / chunkSlots));
  const prefix: Float64Array[] = [];
  let next = 0;
  for (let i = 0; i <= sets.length; i++) {
    while (next < HEIGHTS && limits[next] === i) {
      prefix[next++] = hist.slice();
    }
    if (i < sets.length) hist[sets[i]]++;
  }
  while (next < HEIGHTS) prefix[next++] = hist.slice();
  const out: Record<string, MeasuredChunks> = {};
  const meets = (h: Float64Array, m: number): number => {
    let n = 0;
    for (let v = 1; v < 16; v++) if (v & m) n += h[v];
    return n;
  };
  for (const m of masks) {
    out[String(m)] = {
      inUse: meets(hist, m),
      first: sets.length > 0 && (sets[0] & m) !== 0 ? 1 : 0,
      last: sets.length > 0 && (sets[sets.length - 1] & m) !== 0 ? 1 : 0,
      below: prefix.map((p) => meets(p, m)),
    };
  }
  return out;
}

/**
 * In-use chunk counts of a layer for the given driver masks (see driverMask), at every measured
 * chunk size up to the layer's size.
 */
export function measureLayer(layer: SlotLayer, masks: readonly number[], chunkSets?: Uint8Array): MeasuredLayer {
  const uniq = [...new Set(masks)].filter((m) => m > 0 && m < 16).sort((a, b) => a - b);
  const { chunk64, cluster } = chunkKindSets(layer, chunkSets);
  const byMask: Record<string, Record<string, MeasuredChunks>> = {};
  for (const m of uniq) byMask[String(m)] = {};
  let sets = cluster;
  let setsSlots = CLUSTER_SLOTS;
  for (const g of MEASURED_CHUNK_SLOTS) {
    if (g > layer.slots) break;
    let level: Uint8Array;
    if (g === 64) level = chunk64;
    else {
      level = coarsen(sets, g / setsSlots);
      sets = level;
      setsSlots = g;
    }
    const counts = countSets(level, g, uniq);
    for (const m of uniq) byMask[String(m)][String(g)] = counts[String(m)];
  }
  const entries: number[] = [];
  for (let k = 0; k < KINDS; k++) {
    let n = 0;
    for (let c = 0; c < layer.clusters; c++) n += layer.kindCount(c, k);
    entries.push(n);
  }
  return { layer: layer.id, slots: layer.slots, entries, chunks: byMask };
}

export interface OccupancyHistogram {
  /** Bucket upper bounds in live entries per cluster: 0, 32, 64, …, 512. */
  readonly upperBounds: readonly number[];
  /** Existing clusters per bucket (bucket 0: clusters that exist but hold no live entry). */
  readonly clusters: readonly number[];
  /** Clusters that exist (static layers: all of them). */
  readonly existing: number;
  /** Clusters holding at least one live entry. */
  readonly inUse: number;
  /** Mean live entries per in-use cluster. */
  readonly meanPerInUse: number;
}

/** Cluster occupancy histogram: live entries per cluster in buckets of `width` (default 32). */
export function occupancyHistogram(layer: SlotLayer, width = 32): OccupancyHistogram {
  const buckets = Math.ceil(CLUSTER_SLOTS / width);
  const upperBounds = [0];
  for (let b = 1; b <= buckets; b++) upperBounds.push(Math.min(CLUSTER_SLOTS, b * width));
  const clusters = new Array<number>(buckets + 1).fill(0);
  let existing = 0;
  let inUse = 0;
  let live = 0;
  for (let c = 0; c < layer.clusters; c++) {
    if (!layer.clusterExists(c)) continue;
    existing++;
    const n = layer.liveIn(c);
    if (n === 0) clusters[0]++;
    else {
      clusters[Math.ceil(n / width)]++;
      inUse++;
      live += n;
    }
  }
  return { upperBounds, clusters, existing, inUse, meanPerInUse: inUse > 0 ? live / inUse : 0 };
}

/** Clusters (512 slots) holding a live entry of a kind in `mask` (all kinds by default). */
export function clustersInUse(layer: SlotLayer, mask = 15): number {
  let n = 0;
  const k = layer.m16;
  for (let c = 0; c < layer.clusters; c++) {
    const b = (c << 4) + 1;
    if (((mask & 1) && k[b]) || ((mask & 2) && k[b + 1]) || ((mask & 4) && k[b + 2]) || ((mask & 8) && k[b + 3])) n++;
  }
  return n;
}

export { SIM_KINDS };
