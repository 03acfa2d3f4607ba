/**
 * Which allocator places each layer of a design, for the slot-level simulator (src/sim/). A design
 * is an inventory of structures; where its entries land is decided by the allocator of each layer:
 *
 * - `direct`: the device's swapfile.c cluster allocator holding every entry (direct-mapped designs:
 *   mainline, swap-table phases, swap tiers). The PTE holds this slot.
 * - `backing`: the same allocator on the device, holding only disk-backed entries, allocated when
 *   the data goes to disk (zswap writeback, or a direct swap-out to disk): the physical layer under a
 *   virtual one.
 * - `vswap`: mm/vswap.c's virtual cluster allocator (vswap v3-v6; the RFCs are placed the same way):
 *   clusters created on demand by xa_alloc, one folio order each, freed when empty.
 * - `dynamic`: swapfile.c's allocator on a device whose clusters are created on demand
 *   (alloc_swap_scan_dynamic: ghost-p4's ghost device, the Swap Table Edition's vswap device).
 * - `ghost`: swapfile.c's allocator on a static ghost swapfile of the declared size, holding the
 *   entries that never went to disk directly (ghost swapfile, the redirect proposal's upper tier).
 *
 * Plain data in, plain data out; no simulation here.
 */
import { derived, k, mail, type Source } from "../kernel/sources.js";
import type { Design } from "../designs/types.js";
import type { MeasuredLayer, MeasuredOccupancy } from "./occupancy.js";
import type { Usage } from "./overhead.js";

export type SimLayerId = "direct" | "backing" | "vswap" | "dynamic" | "ghost";
export const SIM_LAYER_IDS: readonly SimLayerId[] = ["direct", "backing", "vswap", "dynamic", "ghost"];

export interface LayerPlacement {
  /** Allocator of the design's physical layer; null when the design has no device layer. */
  readonly physical: SimLayerId | null;
  /** Allocator of the design's virtual layer; null for direct-mapped designs. */
  readonly virtual: SimLayerId | null;
  readonly why: string;
  readonly sources: readonly Source[];
}

const SWAPFILE_72 = k("deb-7.2", "mm/swapfile.c", "1092-1188", "cluster_alloc_swap_entry()");
const VSWAP_ALLOC = k("vswap", "mm/vswap.c", undefined, "folio_alloc_swap(): per-CPU cluster, partial_clusters_lists[order], xa_alloc of a new cluster");
const VSWAP_SLOT = k("vswap", "mm/vswap.c", undefined, "vswap_alloc_swap_slot(): a physical slot only when the data goes to disk");
const DYNAMIC = mail(
  "https://lore.kernel.org/all/20260528212955.1912856-3-nphamcs@gmail.com/",
  "Nhat Pham",
  "2026-05-28",
  "alloc_swap_scan_dynamic(): xa_alloc(&si->cluster_info_pool, …, XA_LIMIT(1, …)) between the nonfull and free lists",
);
const GHOST_P15 = mail("https://lore.kernel.org/all/20260220-swap-table-p4-v1-15-104795d19815@tencent.com/", "Kairui Song", "2026-02-20", "ghost device clusters allocated on demand");
const GHOST_FILE = mail("https://lore.kernel.org/all/20251121-ghost-v1-1-cfc0efcf3855@kernel.org/", "Chris Li", "2025-11-21", "the swapfile only contains the swapfile header");

/** The allocators that place a design's layers. */
export function placementOf(d: Design): LayerPlacement {
  if (!d.layers.virtual) {
    return { physical: "direct", virtual: null, why: "direct-mapped: every entry holds a device slot from swapon's cluster allocator", sources: [SWAPFILE_72] };
  }
  const hasPhysical = Object.values(d.layers.physical).some((w) => (w ?? 0) > 0);
  const physical: SimLayerId | null = hasPhysical ? "backing" : null;
  if (d.id === "ghost-p4" || d.id.startsWith("vswap-ste")) {
    return {
      physical,
      virtual: "dynamic",
      why: "a swap device whose clusters are created on demand (alloc_swap_scan_dynamic) and freed when empty; disk slots allocated when data goes to disk",
      sources: [SWAPFILE_72, d.id === "ghost-p4" ? GHOST_P15 : DYNAMIC],
    };
  }
  if (d.family === "vswap") {
    return {
      physical,
      virtual: "vswap",
      why: d.id.startsWith("vswap-rfc")
        ? "mm/vswap.c's cluster allocator (the RFCs index descriptors by an xarray; they are placed as v3-v6 place them)"
        : "mm/vswap.c's cluster allocator: virtual clusters created on demand, one order each, freed when empty",
      sources: [VSWAP_ALLOC, VSWAP_SLOT, ...(d.id.startsWith("vswap-rfc") ? [derived("RFC placement assumed equal to v3-v6's allocator")] : [])],
    };
  }
  return {
    physical,
    virtual: "ghost",
    why: "a static ghost swapfile of the declared size (swapon's cluster allocator); entries swapped straight to disk hold no ghost slot",
    sources: [SWAPFILE_72, GHOST_FILE],
  };
}

/**
 * A simulation's final state, for every allocator layer it ran: what `--occupancy sim:…` puts in a
 * scenario. `inputOf` turns it into the `measured` occupancy of each design (its own layers) and
 * takes the usage from it.
 */
export interface SimulatedPlacement {
  readonly kind: "simulated";
  readonly label: string;
  /** Live entries by backend at the end of the simulation. */
  readonly usage: Usage;
  /** Share of disk entries that reached the disk by zswap writeback. */
  readonly writebackShare: number;
  readonly layers: Readonly<Partial<Record<SimLayerId, MeasuredLayer>>>;
}

/** The measured occupancy of one design from a simulation of all its layers. */
export function measuredFor(d: Design, sim: SimulatedPlacement): MeasuredOccupancy {
  const p = placementOf(d);
  const physical = p.physical ? sim.layers[p.physical] : undefined;
  const virtual = p.virtual ? sim.layers[p.virtual] : undefined;
  return { kind: "measured", label: sim.label, ...(physical ? { physical } : {}), ...(virtual ? { virtual } : {}) };
}
