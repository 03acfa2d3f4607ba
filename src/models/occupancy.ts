/**
 * How many fixed-size chunks of a slot space (512-slot clusters, 64-slot xarray leaves, 16384-slot
 * xarray trees, …) hold at least one entry, for a given placement of the entries.
 *
 * - `packed`: entries fill the usable slots from the start (the fewest chunks; the published
 *   tables assume this).
 * - `random`: each usable slot is used independently with probability u = entries / usable slots;
 *   a chunk of s usable slots is in use with probability 1 - (1 - u)^s, so a uniform layer of C
 *   clusters has C·(1 - (1 - u)^512) in use. Expected counts are kept within the bounds every
 *   placement obeys (at least ⌈entries / s⌉ chunks, at most min(chunks, entries)).
 * - `mean`: clusters in use hold `entriesPerCluster` entries on average, clusters are allocated
 *   from the start; inside a cluster the entries sit at random positions (for chunks smaller than
 *   a cluster).
 * - `measured`: counts taken from a slot-level simulation (src/sim/): for each layer, the in-use
 *   chunks of every measured size, per set of entry kinds that drives a structure. Exact when the
 *   usage given to the model is the simulation's; otherwise scaled by the entry ratio and kept
 *   within the bounds every placement obeys.
 *
 * Results are expected values (reals); callers round once per structure.
 */
import { SwapcostInputError, SwapcostInvariantError } from "../errors.js";
import type { EntryWeights, Layer } from "../designs/types.js";

export type Occupancy =
  | { readonly kind: "packed" }
  | { readonly kind: "random" }
  | { readonly kind: "mean"; readonly entriesPerCluster: number }
  | MeasuredOccupancy;

/**
 * Entry kinds a simulation tells apart, as bits of a driver mask: a zswap entry, a zero-filled
 * entry, a disk entry swapped out directly, a disk entry that reached the disk by zswap writeback.
 * (`cache`-only entries are not simulated.)
 */
export const SIM_KINDS = ["zswap", "zero", "direct", "written"] as const;
export type SimKind = (typeof SIM_KINDS)[number];

/** The driver mask of a structure's entry weights: which simulated kinds hold it in use. */
export function driverMask(w: EntryWeights): number {
  return ((w.zswap ?? 0) > 0 ? 1 : 0) | ((w.zero ?? 0) > 0 ? 2 : 0) | ((w.disk ?? 0) > 0 ? 12 : 0) | ((w.writeback ?? 0) > 0 ? 8 : 0);
}

/** Chunk sizes (slots) a measurement records: xarray levels 64^k, 512-slot clusters, 16384-slot trees. */
export const MEASURED_CHUNK_SLOTS: readonly number[] = [64, 512, 4096, 16384, 262144, 16777216, 1073741824];

/** In-use chunks of one size for one driver mask. */
export interface MeasuredChunks {
  readonly inUse: number;
  /** The first / last chunk of the layer holds an entry (1) or not (0). */
  readonly first: number;
  readonly last: number;
  /** below[h - 1]: in-use chunks among the first floor(64^h / chunk size) chunks, h = 1..6 (xarray height classes). */
  readonly below: readonly number[];
}

export interface MeasuredLayer {
  /** The simulated layer (allocator) these counts come from. */
  readonly layer: string;
  /** Slots the simulated layer spans. */
  readonly slots: number;
  /** Live entries by simulated kind, in SIM_KINDS order. */
  readonly entries: readonly number[];
  /** chunks[mask][chunkSlots]: masks as decimal strings, chunk sizes as decimal strings. */
  readonly chunks: Readonly<Record<string, Readonly<Record<string, MeasuredChunks>>>>;
}

export interface MeasuredOccupancy {
  readonly kind: "measured";
  /** What was simulated (workload, size, seed, event). */
  readonly label: string;
  readonly physical?: MeasuredLayer;
  readonly virtual?: MeasuredLayer;
}

/** Which layer and entry kinds a dynamic structure's chunk count refers to (needed by `measured`). */
export interface ChunkDrivers {
  readonly layer: Layer;
  readonly drivers: EntryWeights;
}

export const CLUSTER_SLOTS = 512;

export const OCCUPANCY_SYNTAX = "packed, random, or a mean number of entries per in-use cluster between 1 and 512";

export function parseOccupancy(text: string, field = "occupancy"): Occupancy {
  const t = String(text).trim().toLowerCase();
  if (t === "packed") return { kind: "packed" };
  if (t === "random") return { kind: "random" };
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    if (n >= 1 && n <= CLUSTER_SLOTS) return { kind: "mean", entriesPerCluster: n };
  }
  throw new SwapcostInputError(field, text, OCCUPANCY_SYNTAX);
}

export function describeOccupancy(o: Occupancy): string {
  switch (o.kind) {
    case "packed":
      return "packed (entries fill clusters in order)";
    case "random":
      return "random (uniform placement: C*(1-(1-u)^512) clusters in use)";
    case "mean":
      return `mean ${o.entriesPerCluster} entries per in-use cluster`;
    case "measured":
      return `measured: ${o.label}`;
  }
}

/** A slot space: `slots` slots of which the first `leadingReserved` are never allocated (the header page). */
export interface SlotSpace {
  readonly slots: number;
  readonly leadingReserved: number;
}

export interface ChunkUse {
  /** Expected chunks holding at least one entry. */
  readonly inUse: number;
  /** Probability (0..1) that the first chunk holds an entry. */
  readonly firstInUse: number;
  /** Probability (0..1) that the last chunk holds an entry. */
  readonly lastInUse: number;
  /** Number of chunks covering the space. */
  readonly chunks: number;
}

const NONE: ChunkUse = { inUse: 0, firstInUse: 0, lastInUse: 0, chunks: 0 };

/**
 * Chunks of `chunkSlots` slots holding at least one of `entries` entries in `space`. A `measured`
 * occupancy also needs `who`: the layer and the entry kinds that drive the structure.
 */
export function chunkUse(entries: number, space: SlotSpace, chunkSlots: number, occ: Occupancy, who?: ChunkDrivers): ChunkUse {
  const { slots, leadingReserved: lead } = space;
  const chunks = Math.ceil(slots / chunkSlots);
  if (entries <= 0 || slots <= 0) return { ...NONE, chunks };
  if (occ.kind === "measured") return measuredChunkUse(entries, space, chunkSlots, occ, who);
  const usable = slots - lead;
  const e = Math.min(entries, usable);
  const lastStart = (chunks - 1) * chunkSlots;
  const packedInUse = Math.ceil((lead + e) / chunkSlots) - Math.floor(lead / chunkSlots);
  const packed: ChunkUse = {
    inUse: packedInUse,
    firstInUse: lead < chunkSlots ? 1 : 0,
    lastInUse: lead + e > lastStart ? 1 : 0,
    chunks,
  };
  if (occ.kind === "packed") return packed;

  if (occ.kind === "random") {
    const u = e / usable;
    const pChunk = (usableSlots: number) => (usableSlots <= 0 ? 0 : 1 - Math.pow(1 - u, usableSlots));
    if (chunks === 1) return { inUse: 1, firstInUse: 1, lastInUse: 1, chunks };
    const firstUsable = Math.max(0, Math.min(chunkSlots, slots) - lead);
    const lastUsable = slots - lastStart;
    const first = pChunk(firstUsable);
    const last = pChunk(lastUsable);
    const middle = (chunks - 2) * pChunk(chunkSlots);
    const inUse = clamp(first + middle + last, Math.ceil(e / chunkSlots), Math.min(chunks, e));
    return { inUse, firstInUse: first, lastInUse: last, chunks };
  }

  // mean entries per in-use cluster
  const n = occ.entriesPerCluster;
  const clusters = Math.ceil(slots / CLUSTER_SLOTS);
  const clustersInUse = Math.min(clusters, Math.ceil(e / n));
  let inUse: number;
  if (chunkSlots === CLUSTER_SLOTS) inUse = clustersInUse;
  else if (chunkSlots < CLUSTER_SLOTS) {
    const per = (CLUSTER_SLOTS / chunkSlots) * (1 - Math.pow(1 - Math.min(1, n / CLUSTER_SLOTS), chunkSlots));
    inUse = clustersInUse * per;
  } else inUse = Math.ceil((clustersInUse * CLUSTER_SLOTS) / chunkSlots);
  inUse = clamp(inUse, Math.ceil(e / chunkSlots), Math.min(chunks, e));
  return { inUse, firstInUse: 1, lastInUse: inUse >= chunks ? 1 : 0, chunks };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

interface MeasuredView {
  readonly rec: MeasuredChunks | null;
  /** Entries of the driving kinds in the measurement. */
  readonly measuredEntries: number;
  /** model entries / measured entries (1 when the model's usage is the simulation's). */
  readonly scale: number;
}

function measuredView(entries: number, space: SlotSpace, chunkSlots: number, occ: MeasuredOccupancy, who: ChunkDrivers | undefined): MeasuredView {
  if (!who) throw new SwapcostInvariantError("a measured occupancy needs the layer and driving entry kinds of each structure");
  const ml = who.layer === "physical" ? occ.physical : occ.virtual;
  if (!ml) throw new SwapcostInputError("occupancy", occ.label, `a measurement of the ${who.layer} layer`, "the simulation did not record this layer");
  const mask = driverMask(who.drivers);
  let measuredEntries = 0;
  for (let k = 0; k < SIM_KINDS.length; k++) if (mask & (1 << k)) measuredEntries += ml.entries[k] ?? 0;
  const scale = measuredEntries > 0 ? entries / measuredEntries : 0;
  if (chunkSlots >= space.slots || chunkSlots >= ml.slots) return { rec: null, measuredEntries, scale };
  const rec = ml.chunks[String(mask)]?.[String(chunkSlots)];
  if (!rec) {
    throw new SwapcostInputError("occupancy", `${occ.label} (${ml.layer}, mask ${mask})`, `counts at ${MEASURED_CHUNK_SLOTS.join(", ")}-slot granularity for the entry kinds ${SIM_KINDS.filter((_, k) => mask & (1 << k)).join("+") || "(none)"}`, `no measured count at ${chunkSlots}-slot granularity`);
  }
  return { rec, measuredEntries, scale };
}

function measuredChunkUse(entries: number, space: SlotSpace, chunkSlots: number, occ: MeasuredOccupancy, who: ChunkDrivers | undefined): ChunkUse {
  const chunks = Math.ceil(space.slots / chunkSlots);
  const v = measuredView(entries, space, chunkSlots, occ, who);
  // One chunk spans the whole space: in use when any driving entry is.
  if (!v.rec) return v.measuredEntries > 0 ? { inUse: 1, firstInUse: 1, lastInUse: 1, chunks: Math.max(1, chunks) } : { ...NONE, chunks };
  const e = Math.min(entries, space.slots - space.leadingReserved);
  const inUse = v.scale === 1 ? v.rec.inUse : clamp(v.rec.inUse * v.scale, Math.ceil(e / chunkSlots), Math.min(Math.max(chunks, v.rec.inUse), e));
  return { inUse, firstInUse: v.rec.first, lastInUse: v.rec.last, chunks };
}

/**
 * Chunks in use that did not already get their table at swapon: the first chunk (header page)
 * and, when the space ends in a partial chunk, the last one are reserved (see
 * swap_cluster_setup_bad_slot in 6.19+). Bounded by what any placement allows.
 */
export function unreservedChunksInUse(entries: number, space: SlotSpace, chunkSlots: number, occ: Occupancy, who?: ChunkDrivers): number {
  const use = chunkUse(entries, space, chunkSlots, occ, who);
  if (use.inUse === 0) return 0;
  const tailPartial = space.slots % chunkSlots !== 0 && use.chunks > 1;
  const reservedChunks = (space.leadingReserved > 0 ? 1 : 0) + (tailPartial ? 1 : 0);
  const reservedUse = (space.leadingReserved > 0 ? use.firstInUse : 0) + (tailPartial ? use.lastInUse : 0);
  const firstCap = space.leadingReserved > 0 ? Math.min(chunkSlots, space.slots) - space.leadingReserved : 0;
  const lastCap = tailPartial ? space.slots - (use.chunks - 1) * chunkSlots : 0;
  const e = Math.min(entries, space.slots - space.leadingReserved);
  const lo = Math.max(0, Math.ceil((e - firstCap - lastCap) / chunkSlots));
  const hi = Math.min(Math.max(0, use.chunks - reservedChunks), e);
  // A simulation can use chunks past the model's space (a virtual layer larger than the declared size).
  if (occ.kind === "measured") return Math.max(lo, use.inUse - reservedUse);
  return clamp(use.inUse - reservedUse, lo, hi);
}

/**
 * Expected xa_nodes of xarrays that each index `treeSlots` consecutive slots of the space by the
 * full slot offset. Levels whose chunk (64^level slots) fits in a tree count the chunks in use;
 * above that every non-empty tree has one node per level up to the height its largest possible
 * index needs (tree k covers offsets below (k + 1) · treeSlots).
 */
export function xarrayNodes(entries: number, space: SlotSpace, treeSlots: number, occ: Occupancy, fanout = 64, who?: ChunkDrivers): number {
  if (entries <= 0) return 0;
  let nodes = 0;
  let levelsInTree = 0;
  for (let chunk = fanout; chunk <= treeSlots; chunk *= fanout) {
    nodes += chunkUse(entries, space, chunk, occ, who).inUse;
    levelsInTree++;
  }
  // Non-empty trees, grouped by height class.
  const trees = Math.ceil(space.slots / treeSlots);
  const treeUse = chunkUse(entries, space, treeSlots, occ, who);
  const pNonEmptyMiddle = trees > 0 ? treeUse.inUse / trees : 0;
  // measured: non-empty trees among the first k, from the recorded height-class counts
  const measured = occ.kind === "measured" && fanout === 64 ? measuredView(entries, space, treeSlots, occ, who) : null;
  const measuredBelow = (k: number, height: number): number => {
    if (k >= trees || !measured || !measured.rec) return treeUse.inUse;
    const b = measured.rec.below[height - 1] ?? measured.rec.inUse;
    return measured.scale === 1 ? b : Math.min(k, b * measured.scale);
  };
  let k0 = 0;
  let below0 = 0;
  for (let height = levelsInTree; k0 < trees; height++) {
    // trees k with (k + 1) * treeSlots <= fanout^height need exactly `height` levels
    const k1 = Math.min(trees, Math.floor(fanout ** height / treeSlots));
    if (k1 > k0) {
      let nonEmpty: number;
      if (occ.kind === "random") nonEmpty = (k1 - k0) * pNonEmptyMiddle;
      else if (occ.kind === "measured") {
        const below1 = measuredBelow(k1, height);
        nonEmpty = Math.max(0, below1 - below0);
        below0 = below1;
      } else nonEmpty = Math.max(0, Math.min(k1, treeUse.inUse) - k0);
      nodes += nonEmpty * (height - levelsInTree);
      k0 = k1;
    }
    if (height > 12) break;
  }
  return nodes;
}
