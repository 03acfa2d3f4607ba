/**
 * The design registry's vocabulary. A design is an inventory of metadata structures; each
 * structure says how big it is, what sizes it (the device at swapon, clusters in use, entries),
 * on which layer it lives, which backends it applies to, what it replaces and where every number
 * comes from. Designs are plain data: the overhead model interprets them, tables print them.
 */
import type { Allocator } from "../kernel/alloc.js";
import type { Source } from "../kernel/sources.js";

/** What a used swap entry's data is backed by. */
export type EntryKind =
  /** on the swap device (SSD, HDD or a zram device) */
  | "disk"
  /** compressed in the zswap pool */
  | "zswap"
  /** a zero-filled page (mainline: zeromap bit; vswap: a descriptor type) */
  | "zero"
  /** only in the swap cache (a folio still in memory holding a swap entry) */
  | "cache";

export const ENTRY_KINDS: readonly EntryKind[] = ["disk", "zswap", "zero", "cache"];

/** The swap device under the design. `none` = no swapfile at all (zswap-only). */
export type DeviceKind = "ssd" | "hdd" | "zram" | "none";
export const DEVICE_KINDS: readonly DeviceKind[] = ["ssd", "hdd", "zram", "none"];

/**
 * `physical`: indexed by the slot on the real device (the PTE holds it in direct-mapped designs).
 * `virtual`: indexed by a slot of a virtual/ghost space (vswap, ghost device, ghost swapfile);
 * sized by the declared swap size.
 */
export type Layer = "physical" | "virtual";

/**
 * Which entries occupy a slot of a layer (or drive a structure): weight per kind, 0..1.
 * `writeback` counts the disk-backed entries that reached the disk by zswap writeback (a share of
 * `disk` set by the workload), for designs where that path leaves extra state (a redirect).
 */
export type EntryWeights = Readonly<Partial<Record<EntryKind | "writeback", number>>>;

export type SizeRule =
  /** Static: one allocation of ceil(slots / slotsPerElement) × elementBytes (swap_map, bitmaps, cluster_info, …). */
  | {
      readonly kind: "perSlots";
      readonly slotsPerElement: number;
      readonly elementBytes: number;
      readonly allocator: Allocator;
    }
  /** Static: one page per `slotsPerPage` slots plus a pointer array (6.1-6.12 swap_cgroup). */
  | {
      readonly kind: "pagedPerSlots";
      readonly slotsPerPage: number;
      readonly pointerBytes: number;
      readonly pointerAllocator: Allocator;
    }
  /** Static: a fixed allocation per device, or per possible CPU when `perCpu`. */
  | { readonly kind: "fixed"; readonly bytes: number; readonly allocator: Allocator; readonly perCpu?: boolean }
  /**
   * Static: a per-cluster table allocated at swapon for every cluster holding a reserved slot
   * (the header page at slot 0, bad slots, the slots past the end in a partial last cluster).
   */
  | { readonly kind: "reservedClusters"; readonly bytesPerCluster: number; readonly allocator: Allocator }
  /**
   * Dynamic: `bytesPerChunk` for every chunk of `chunkSlots` slots of the layer that holds at least
   * one driving entry (a swap table per cluster in use, a descriptor array per virtual cluster).
   * `skipReserved`: chunks that got a table at swapon (reservedClusters) are not charged again.
   */
  | {
      readonly kind: "perChunkInUse";
      readonly chunkSlots: number;
      readonly bytesPerChunk: number;
      readonly allocator: Allocator;
      readonly skipReserved?: boolean;
    }
  /**
   * Dynamic: xarray nodes (576-byte xa_node, 64 slots each, from the radix_tree_node slab) at every
   * level, for trees each covering `treeSlots` slots of the layer and indexed by the full slot
   * offset (so high trees have tall single-node chains). `treeSlots: 0` = one tree over the layer.
   */
  | { readonly kind: "xarray"; readonly treeSlots: number }
  /** Dynamic: one object per driving entry. */
  | { readonly kind: "perEntry"; readonly bytesPerEntry: number; readonly allocator: Allocator };

export type StructureClass = "static" | "dynamic";

export function ruleClass(rule: SizeRule): StructureClass {
  switch (rule.kind) {
    case "perSlots":
    case "pagedPerSlots":
    case "fixed":
    case "reservedClusters":
      return "static";
    default:
      return "dynamic";
  }
}

/** How the cover letters count a structure: nominal size, no allocator rounding. */
export type LetterRule =
  | { readonly per: "slot"; readonly bytes: number }
  | { readonly per: "slotBits"; readonly bits: number }
  | { readonly per: "cluster"; readonly bytes: number }
  | { readonly per: "entry"; readonly bytes: number }
  | { readonly per: "clusterInUse"; readonly bytes: number };

export interface Conditions {
  /** Only on these device kinds (e.g. 6.1 cluster_info: non-rotational devices only). */
  readonly devices?: readonly DeviceKind[];
  /** Only when memcg is on (true) or off (false). */
  readonly memcg?: boolean;
  /** Only with this zswap pool allocator. */
  readonly zpool?: "zsmalloc" | "zbud";
}

export interface Structure {
  /** Stable id shared across designs so versions compare row by row (`swap_map`, `swap_table`, …). */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** The C type or what one element holds. */
  readonly what: string;
  readonly layer: Layer;
  readonly rule: SizeRule;
  /** For dynamic rules: which entries drive the allocation (weights per kind). */
  readonly drivenBy?: EntryWeights;
  readonly when?: Conditions;
  /** Ids of structures (in other designs) whose job this one takes over. */
  readonly replaces?: readonly string[];
  /** How the letters count it (several terms are summed); `null` = the letters do not count it. */
  readonly letter: LetterRule | readonly LetterRule[] | null;
  readonly sources: readonly Source[];
  readonly note?: string;
}

export type DesignFamily = "mainline" | "swap-table" | "ghost" | "redirect" | "vswap" | "tiers" | "custom";

export interface SlotLimit {
  readonly slots: number;
  readonly what: string;
  readonly sources: readonly Source[];
}

export interface Design {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly title: string;
  readonly family: DesignFamily;
  readonly author: string;
  readonly date: string;
  readonly status: string;
  readonly summary: string;
  readonly sources: readonly Source[];
  /** Device kinds the design can run on; `none` = zswap-only without any swapfile. */
  readonly devices: readonly DeviceKind[];
  /** Entry kinds the design can hold (a ghost swapfile cannot hold disk-backed entries). */
  readonly entryKinds: readonly EntryKind[];
  /**
   * Which entries hold a slot in each layer. `virtualHeaderSlots`: slots at the start of the
   * virtual space that are never allocated (a ghost device or ghost file has a header page).
   */
  readonly layers: { readonly physical: EntryWeights; readonly virtual?: EntryWeights; readonly virtualHeaderSlots?: number };
  /** zswap pool allocator assumed unless the caller says otherwise. */
  readonly defaultZpool: "zsmalloc" | "zbud";
  readonly limits: { readonly physical?: SlotLimit; readonly virtual?: SlotLimit };
  readonly structures: readonly Structure[];
  /** Which letter's arithmetic the letter accounting follows for this design. */
  readonly letterBasis: { readonly note: string; readonly sources: readonly Source[] };
  /** Values of the design's parameters this instance was built with. */
  readonly params?: Readonly<Record<string, string>>;
  readonly notes?: readonly string[];
}

export interface ParamSpec {
  readonly name: string;
  readonly doc: string;
  readonly allowed: readonly string[] | "share";
  readonly default: string;
}

/** A registry entry: a design, possibly parameterised (e.g. redirect granularity). */
export interface DesignSpec {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly params: readonly ParamSpec[];
  build(params: Readonly<Record<string, string>>): Design;
}
