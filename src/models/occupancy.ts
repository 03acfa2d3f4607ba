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
 *
 * Results are expected values (reals); callers round once per structure.
 */
import { SwapcostInputError } from "../errors.js";

export type Occupancy =
  | { readonly kind: "packed" }
  | { readonly kind: "random" }
  | { readonly kind: "mean"; readonly entriesPerCluster: number };

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

/** Chunks of `chunkSlots` slots holding at least one of `entries` entries in `space`. */
export function chunkUse(entries: number, space: SlotSpace, chunkSlots: number, occ: Occupancy): ChunkUse {
  const { slots, leadingReserved: lead } = space;
  const chunks = Math.ceil(slots / chunkSlots);
  if (entries <= 0 || slots <= 0) return { ...NONE, chunks };
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

/**
 * Chunks in use that did not already get their table at swapon: the first chunk (header page)
 * and, when the space ends in a partial chunk, the last one are reserved (see
 * swap_cluster_setup_bad_slot in 6.19+). Bounded by what any placement allows.
 */
export function unreservedChunksInUse(entries: number, space: SlotSpace, chunkSlots: number, occ: Occupancy): number {
  const use = chunkUse(entries, space, chunkSlots, occ);
  if (use.inUse === 0) return 0;
  const tailPartial = space.slots % chunkSlots !== 0 && use.chunks > 1;
  const reservedChunks = (space.leadingReserved > 0 ? 1 : 0) + (tailPartial ? 1 : 0);
  const reservedUse = (space.leadingReserved > 0 ? use.firstInUse : 0) + (tailPartial ? use.lastInUse : 0);
  const firstCap = space.leadingReserved > 0 ? Math.min(chunkSlots, space.slots) - space.leadingReserved : 0;
  const lastCap = tailPartial ? space.slots - (use.chunks - 1) * chunkSlots : 0;
  const e = Math.min(entries, space.slots - space.leadingReserved);
  const lo = Math.max(0, Math.ceil((e - firstCap - lastCap) / chunkSlots));
  const hi = Math.min(Math.max(0, use.chunks - reservedChunks), e);
  return clamp(use.inUse - reservedUse, lo, hi);
}

/**
 * Expected xa_nodes of xarrays that each index `treeSlots` consecutive slots of the space by the
 * full slot offset. Levels whose chunk (64^level slots) fits in a tree count the chunks in use;
 * above that every non-empty tree has one node per level up to the height its largest possible
 * index needs (tree k covers offsets below (k + 1) · treeSlots).
 */
export function xarrayNodes(entries: number, space: SlotSpace, treeSlots: number, occ: Occupancy, fanout = 64): number {
  if (entries <= 0) return 0;
  let nodes = 0;
  let levelsInTree = 0;
  for (let chunk = fanout; chunk <= treeSlots; chunk *= fanout) {
    nodes += chunkUse(entries, space, chunk, occ).inUse;
    levelsInTree++;
  }
  // Non-empty trees, grouped by height class.
  const trees = Math.ceil(space.slots / treeSlots);
  const treeUse = chunkUse(entries, space, treeSlots, occ);
  const pNonEmptyMiddle = trees > 0 ? treeUse.inUse / trees : 0;
  let k0 = 0;
  for (let height = levelsInTree; k0 < trees; height++) {
    // trees k with (k + 1) * treeSlots <= fanout^height need exactly `height` levels
    const k1 = Math.min(trees, Math.floor(fanout ** height / treeSlots));
    if (k1 > k0) {
      let nonEmpty: number;
      if (occ.kind === "random") nonEmpty = (k1 - k0) * pNonEmptyMiddle;
      else nonEmpty = Math.max(0, Math.min(k1, treeUse.inUse) - k0);
      nodes += nonEmpty * (height - levelsInTree);
      k0 = k1;
    }
    if (height > 12) break;
  }
  return nodes;
}
