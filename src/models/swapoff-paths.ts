/**
 * Which code path each design takes for swapoff and for moving entries between backends, with the
 * lines it was read from. Keyed by design id; designs not listed (custom designs) fall back on
 * their family. Plain data: ./swapoff.ts and ./transfer.ts interpret it.
 */
import { SwapcostInputError } from "../errors.js";
import { derived, k, mail, type Source } from "../kernel/sources.js";
import type { Design, DesignFamily } from "../designs/types.js";

/** The mainline try_to_unuse shape a kernel uses (they differ in how a PMD is skipped and what a slot scan reads). */
export type MainlineVariant = "6.1" | "6.12" | "7.2";

export interface WalkPath {
  readonly variant: MainlineVariant;
  /** What one step of find_next_to_unuse reads. */
  readonly slotItem: string;
  /** How none / huge PMDs are skipped. */
  readonly pmdSkip: string;
  readonly sources: readonly Source[];
}

export interface SwapoffRules {
  /**
   * `pte-walk`: mainline try_to_unuse (shmem swaplist, every PTE of every anon VMA of every mm on
   * init_mm.mmlist, a linear slot scan, retry until empty).
   * `virtual`: PTEs hold a virtual slot; the device's entries are read into the (virtual) swap
   * cache and their virtual slot re-pointed at the folio, found through a physical → virtual
   * reverse map when the design has one, else by scanning the in-use virtual clusters.
   */
  readonly method: "pte-walk" | "virtual";
  /** Which layer's slots the swapped-off device is: a physical device, or (ghost swapfile) the virtual file itself. */
  readonly deviceLayer: "physical" | "virtual";
  /** Physical → virtual reverse map present (the design default; the model can be asked for the other case). */
  readonly reverseMap: boolean;
  /** Overhead-model structure holding the reverse map (its bytes are the reverse map's memory). */
  readonly rmapStructure?: string;
  /** What one step of the physical slot scan reads in the virtual path. */
  readonly rmapSlotItem?: string;
  /**
   * Disk entries whose PTEs hold the physical slot directly, so the mainline walk is still needed
   * for them: none (vswap), a parameter (ghost-p4: swapped to the physical device without the ghost
   * layer), or the disk entries that did not arrive by zswap writeback (redirect).
   */
  readonly directMapped: "none" | "param" | "notWrittenBack";
  /** The mainline walk used for the pte-walk method and for direct-mapped entries. */
  readonly walk: WalkPath;
  readonly sources: readonly Source[];
  readonly notes: readonly string[];
}

export interface TransferRules {
  /**
   * zswap writeback: `reserved-slot` = the disk slot was allocated (and charged) before zswap
   * stored the page, writeback writes to it, PTEs untouched; `descriptor` = a disk slot is
   * allocated at writeback time and one descriptor / virtual-table entry is re-pointed;
   * `redirect` = a disk slot is allocated and a redirect entry written in the upper tier;
   * `unsupported` = the design has no disk behind zswap.
   */
  readonly writeback: "reserved-slot" | "descriptor" | "redirect" | "unsupported";
  /**
   * Moving entries between two swap devices (tier promotion/demotion): `page-table-walk` = the
   * PTEs hold the slot, so they must be found (a try_to_unuse-style walk of every mm on mmlist)
   * and rewritten; `descriptor` = one descriptor update (+ reverse map); `redirect` = one
   * redirect update.
   */
  readonly tierMove: "page-table-walk" | "descriptor" | "redirect";
  /** Reverse-map entries written per moved entry when the design keeps one. */
  readonly rmapWrites: number;
  readonly sources: readonly Source[];
  readonly notes: readonly string[];
}

export interface DesignPaths {
  readonly swapoff: SwapoffRules;
  readonly transfer: TransferRules;
  /** "design" when the id is listed, "family" when a custom design fell back on its family. */
  readonly matchedBy: "design" | "family";
}

// ---------------------------------------------------------------------------------------------
// Mainline walks, by code shape

const WALK_61: WalkPath = {
  variant: "6.1",
  slotItem: "swap_map byte (READ_ONCE(si->swap_map[i]))",
  pmdSkip: "pmd_none_or_trans_huge_or_clear_bad() in unuse_pmd_range",
  sources: [
    k("deb-6.1", "mm/swapfile.c", "2052-2146", "try_to_unuse(): retry: shmem_unuse, the mmlist loop, find_next_to_unuse, goto retry"),
    k("deb-6.1", "mm/swapfile.c", "2001-2019", "unuse_mm(): VMAs with anon_vma, not hugetlb"),
    k("deb-6.1", "mm/swapfile.c", "1919-1938", "unuse_pmd_range(): none/huge PMDs skipped"),
    k("deb-6.1", "mm/swapfile.c", "1850-1917", "unuse_pte_range(): every PTE; swapin_readahead for a swap PTE of this type"),
    k("deb-6.1", "mm/swapfile.c", "2026-2050", "find_next_to_unuse(): linear over si->max"),
    k("deb-6.1", "mm/shmem.c", "1312-1350", "shmem_unuse(): every inode on shmem_swaplist"),
    k("deb-6.1", "mm/rmap.c", "1750-1753", "an mm joins init_mm.mmlist when one of its pages is unmapped to swap"),
    k("deb-6.1", "kernel/fork.c", "1222-1224", "an mm leaves mmlist only in __mmput (or drain_mmlist when all swap is empty)"),
  ],
};

const WALK_612: WalkPath = {
  variant: "6.12",
  slotItem: "swap_map byte (READ_ONCE(si->swap_map[i]))",
  pmdSkip: "pte_offset_map() returns NULL for none/huge PMDs",
  sources: [
    k("deb-6.12", "mm/swapfile.c", "2387-2487", "try_to_unuse()"),
    k("deb-6.12", "mm/swapfile.c", "2333-2354", "unuse_mm()"),
    k("deb-6.12", "mm/swapfile.c", "2180-2251", "unuse_pte_range()"),
    k("deb-6.12", "mm/pgtable-generic.c", "282-306", "__pte_offset_map(): none/huge PMD → NULL"),
    k("deb-6.12", "mm/swapfile.c", "2361-2385", "find_next_to_unuse()"),
    k("deb-6.12", "mm/shmem.c", "1462-1500", "shmem_unuse()"),
    k("deb-6.12", "mm/rmap.c", "1906-1909", "mmlist join at unmap to swap"),
    k("deb-6.12", "kernel/fork.c", "1372-1374", "mmlist leave in __mmput"),
    k("6.19", "mm/swapfile.c", "2455", "try_to_unuse() in 6.19, same shape"),
  ],
};

const WALK_72: WalkPath = {
  variant: "7.2",
  slotItem: "swap table entry (swap_table_get(), 8 bytes)",
  pmdSkip: "pte_offset_map() returns NULL for none/huge PMDs",
  sources: [
    k("deb-7.2", "mm/swapfile.c", "2725-2825", "try_to_unuse()"),
    k("deb-7.2", "mm/swapfile.c", "2670-2691", "unuse_mm()"),
    k("deb-7.2", "mm/swapfile.c", "2521-2588", "unuse_pte_range()"),
    k("deb-7.2", "mm/pgtable-generic.c", "285-309", "__pte_offset_map(): none/huge PMD → NULL"),
    k("deb-7.2", "mm/swapfile.c", "2698-2723", "find_next_to_unuse(): reads the swap table"),
    k("deb-7.2", "mm/shmem.c", "1550-1591", "shmem_unuse()"),
    k("deb-7.2", "mm/rmap.c", "2315-2318", "mmlist join at unmap to swap"),
    k("deb-7.2", "kernel/fork.c", "1195-1197", "mmlist leave in __mmput"),
    k("7.1", "mm/swapfile.c", "2559", "try_to_unuse() in 7.1, same shape"),
  ],
};

// ---------------------------------------------------------------------------------------------
// Mail sources

const NHAT_RFC_SWAPOFF = mail(
  "https://lore.kernel.org/all/20250407234223.1059191-14-nphamcs@gmail.com/",
  "Nhat Pham",
  "2025-04-07",
  "Simply iterate through all the allocated swap slots on the swapfile, invoke the backward map and fault them in",
  "[RFC PATCH 13/14] swap: simplify swapoff using virtual swap: two rounds over find_next_to_unuse (submit reads, then re-point each virtual slot)",
);
const NHAT_V6_SWAPOFF = mail(
  "https://lore.kernel.org/all/20260505153854.1612033-20-nphamcs@gmail.com/",
  "Nhat Pham",
  "2026-05-05",
  "iterate through all the allocated swap slots on the swapfile, find their corresponding virtual swap slots, and fault them in",
  "[PATCH v6 19/22]: shmem_unuse and the PTE walk removed; two rounds over the allocation bitmap, vswap_store_folio per slot",
);
const NHAT_V3 = mail("https://lore.kernel.org/all/20260208215839.87595-1-nphamcs@gmail.com/", "Nhat Pham", "2026-02-08", "we only have to fault the page in and have the virtual swap slot points to the page instead of the on-disk physical swap slot");
const KAIRUI_NOT_CLEAN = mail(
  "https://lore.kernel.org/all/CAMgjq7AQNGK-a=AOgvn4-V+zGO21QMbMTVbrYSW_R2oDSLoC+A@mail.gmail.com/",
  "Kairui Song",
  "2026-02-11",
  "not really a clean swapoff, minor faults will still be triggered afterwards, and metadata is not released",
);
const P4_RFC = mail("https://lore.kernel.org/all/20260220-swap-table-p4-v1-0-104795d19815@tencent.com/", "Kairui Song", "2026-02-20", "Fast swapoff: Just read into ghost / virtual swap cache");
const P4_RFC_P15 = mail("https://lore.kernel.org/all/20260220-swap-table-p4-v1-15-104795d19815@tencent.com/", "Kairui Song", "2026-02-20", "put the folio->swap as a reverse entry in the lower layer's swap table");
const NHAT_P4_CRITIQUE = mail(
  "https://lore.kernel.org/all/CAKEwX=NjRGxjQuvAnRoom=Ac_YptspMk1pwoq-2on46f1meuyw@mail.gmail.com/",
  "Nhat Pham (quoting his ~2026-02-23 reply)",
  "2026-02-24",
  "Swapoff - now you have to both page tables and virtual swap table",
);
const STE_V1 = mail("https://lore.kernel.org/all/20260528212955.1912856-1-nphamcs@gmail.com/", "Nhat Pham", "2026-05-28", "in-place vtable updates, no PTE/rmap walking");
const STE_V2 = mail("https://lore.kernel.org/all/20260612193738.2183968-1-nphamcs@gmail.com/", "Nhat Pham", "2026-06-12", "Swap Table Edition RFC v2");
const CHRIS_REDIRECT = mail("https://lkml.iu.edu/hypermail/linux/kernel/2602.1/02140.html", "Chris Li", "2026-02-09", "8 dynamic + 4(optional redirect)");
const GHOST_RFC = mail("https://lore.kernel.org/all/20251121-ghost-v1-1-cfc0efcf3855@kernel.org/", "Chris Li", "2025-11-21", "a swapfile that only contains the swapfile header; writeback disabled");
const TIERS_V5 = mail("https://lore.kernel.org/all/20260325175453.2523280-1-youngjun.park@lge.com/", "YoungJun Park", "2026-03-25", "does not yet define when or how pages move between tiers");
const VSS_TRANSFER = mail(
  "https://lore.kernel.org/all/20260208215839.87595-1-nphamcs@gmail.com/",
  "Nhat Pham",
  "2026-02-08",
  "efficient backend transfer, i.e without having to perform the expensive page table walk to update all the PTEs that refer to the swap entry",
);
const VSS_PRERESERVE = mail(
  "https://lore.kernel.org/all/20260505153854.1612033-1-nphamcs@gmail.com/",
  "Nhat Pham",
  "2026-05-05",
  "pre-reserves physical swap space for pages when they enter the zswap pool",
);

const ZSWAP_WRITEBACK_612 = k("deb-6.12", "mm/zswap.c", "1054-1120", "zswap_writeback_entry(): decompress into a swap cache folio of the same swp_entry, __swap_writepage()");
const ZSWAP_STORE_AFTER_ALLOC = [
  k("deb-6.12", "mm/vmscan.c", "1269", "add_to_swap(folio): the slot is allocated at reclaim"),
  k("deb-6.12", "mm/page_io.c", "279", "swap_writepage(): zswap_store(folio) on the already allocated slot"),
  k("deb-7.2", "mm/vmscan.c", "1273", "folio_alloc_swap(folio)"),
  k("deb-7.2", "mm/page_io.c", "285", "swap_writeout(): zswap_store(folio)"),
];

// ---------------------------------------------------------------------------------------------
// Rules

function mainlineRules(walk: WalkPath, extra: Source[] = [], notes: string[] = []): SwapoffRules {
  return {
    method: "pte-walk",
    deviceLayer: "physical",
    reverseMap: false,
    directMapped: "none",
    walk,
    sources: [...walk.sources, ...extra],
    notes,
  };
}

const MAINLINE_TRANSFER: TransferRules = {
  writeback: "reserved-slot",
  tierMove: "page-table-walk",
  rmapWrites: 0,
  sources: [ZSWAP_WRITEBACK_612, ...ZSWAP_STORE_AFTER_ALLOC, VSS_PRERESERVE, VSS_TRANSFER],
  notes: [
    "zswap writeback needs no PTE work because every zswap entry already owns a disk slot (allocated and charged at reclaim, before zswap_store); that slot is held on disk while the page sits in zswap",
    "no mainline code moves swapped-out entries between devices: with the slot in the PTE, a move has to find the PTEs first (a try_to_unuse-style walk of every mm on init_mm.mmlist), then rewrite each one",
    "the reads of a direct-mapped move are modelled as swapoff does them: synchronous, in PTE order, one readahead window at a time (a batched implementation would overlap them: compare with --cost readaheadPages=<n>)",
  ],
};

function vswapRules(rmapStructure: string, slotItem: string, sources: Source[], notes: string[]): SwapoffRules {
  return {
    method: "virtual",
    deviceLayer: "physical",
    reverseMap: true,
    rmapStructure,
    rmapSlotItem: slotItem,
    directMapped: "none",
    walk: WALK_612,
    sources: [...sources, KAIRUI_NOT_CLEAN],
    notes,
  };
}

const VSWAP_TRANSFER: TransferRules = {
  writeback: "descriptor",
  tierMove: "descriptor",
  rmapWrites: 1,
  sources: [VSS_TRANSFER, VSS_PRERESERVE],
  notes: ["a disk slot is allocated only when an entry is written back; the PTE keeps the virtual slot, the descriptor is re-pointed and the physical slot's reverse-map entry set"],
};

const RULES: Readonly<Record<string, { swapoff: SwapoffRules; transfer: TransferRules }>> = {
  "linux-6.1": { swapoff: mainlineRules(WALK_61), transfer: MAINLINE_TRANSFER },
  "linux-6.6": { swapoff: mainlineRules(WALK_61, [k("6.6", "mm/swapfile.c", "2049", "try_to_unuse() in 6.6, same shape as 6.1")]), transfer: MAINLINE_TRANSFER },
  "linux-6.12": { swapoff: mainlineRules(WALK_612), transfer: MAINLINE_TRANSFER },
  "linux-6.19": { swapoff: mainlineRules(WALK_612), transfer: MAINLINE_TRANSFER },
  "linux-7.1": { swapoff: mainlineRules(WALK_72), transfer: MAINLINE_TRANSFER },
  "swap-table-p4-rfc": { swapoff: mainlineRules(WALK_72), transfer: MAINLINE_TRANSFER },
  "swap-table-p4": { swapoff: mainlineRules(WALK_72), transfer: MAINLINE_TRANSFER },
  "swap-tiers": {
    swapoff: mainlineRules(WALK_72, [TIERS_V5]),
    transfer: { ...MAINLINE_TRANSFER, sources: [...MAINLINE_TRANSFER.sources, TIERS_V5], notes: [...MAINLINE_TRANSFER.notes, "swap tiers v5-v8 leave promotion/demotion undefined; the tier-move row is what a move would cost on this kernel"] },
  },
  "ghost-swapfile": {
    swapoff: {
      ...mainlineRules(WALK_612, [GHOST_RFC]),
      deviceLayer: "virtual",
      notes: ["the ghost swapfile is a mainline swap device whose slots live in zswap only: its swapoff is the mainline walk, every swap-in a decompression"],
    },
    transfer: {
      writeback: "unsupported",
      tierMove: "page-table-walk",
      rmapWrites: 0,
      sources: [GHOST_RFC],
      notes: ["the ghost swapfile has no data section: zswap writeback is disabled"],
    },
  },
  "ghost-p4": {
    swapoff: {
      method: "virtual",
      deviceLayer: "physical",
      reverseMap: true,
      rmapStructure: "swap_table",
      rmapSlotItem: "swap table entry of the physical device (a reverse entry to the ghost slot)",
      directMapped: "param",
      walk: WALK_72,
      sources: [P4_RFC, P4_RFC_P15, NHAT_P4_CRITIQUE, KAIRUI_NOT_CLEAN],
      notes: [
        "P4 RFC: a physical slot holding a reverse entry is read into the ghost device's swap cache (O(1) per entry); entries swapped to the physical device without the ghost layer (--direct-share) still need the old walk (\"Else goto the old logic\")",
        "no swapoff code was posted: the scan is modelled like vswap's (two rounds over the device's slots reading its swap table)",
      ],
    },
    transfer: {
      writeback: "descriptor",
      tierMove: "descriptor",
      rmapWrites: 1,
      sources: [P4_RFC, P4_RFC_P15],
      notes: ["writeback re-allocates a lower slot after unmap (folio_realloc_swap) and writes a reverse entry in the lower layer's swap table"],
    },
  },
  redirect: {
    swapoff: {
      method: "virtual",
      deviceLayer: "physical",
      reverseMap: false,
      rmapSlotItem: "swap table entry of the disk tier",
      directMapped: "notWrittenBack",
      walk: WALK_72,
      sources: [CHRIS_REDIRECT, GHOST_RFC],
      notes: [
        "no series posted: entries that reached the disk tier by zswap writeback keep their ghost-tier slot and a redirect, so swapoff finds them by scanning the ghost tier's in-use clusters (there is no reverse map); entries swapped to the disk tier directly hold the disk slot in their PTE and need the mainline walk",
      ],
    },
    transfer: {
      writeback: "redirect",
      tierMove: "redirect",
      rmapWrites: 0,
      sources: [CHRIS_REDIRECT],
      notes: ["a redirect entry (4 bytes) in the upper tier points at the lower-tier slot; the PTE keeps the upper slot (assumed; no series posted)"],
    },
  },
  "vswap-rfc-v1": {
    swapoff: vswapRules("vswap_rmap", "swap_map byte of the physical device, then the vswap_rmap xarray", [NHAT_RFC_SWAPOFF, NHAT_V3], []),
    transfer: VSWAP_TRANSFER,
  },
  "vswap-rfc-v2": {
    swapoff: vswapRules("vswap_rmap", "swap_map byte of the physical device, then the vswap_rmap xarray", [NHAT_RFC_SWAPOFF, NHAT_V3], []),
    transfer: VSWAP_TRANSFER,
  },
  ...Object.fromEntries(
    ["vswap-v3", "vswap-v4", "vswap-v5", "vswap-v6"].map((id) => [
      id,
      {
        swapoff: vswapRules("swap_table", "allocation bit of the physical device (swap_slot_allocated), then its swap table (reverse map)", [NHAT_V6_SWAPOFF, NHAT_V3], id === "vswap-v6" ? [] : ["swapoff code read in v6 (patch 19/22); v3-v5 describe the same swapoff in their cover letters"]),
        transfer: VSWAP_TRANSFER,
      },
    ]),
  ),
  ...Object.fromEntries(
    ["vswap-ste-v1", "vswap-ste-v2"].map((id) => [
      id,
      {
        swapoff: vswapRules("swap_table", "swap table entry of the physical device (tagged reverse-map entry)", [id === "vswap-ste-v1" ? STE_V1 : STE_V2, NHAT_V6_SWAPOFF], [
          "swapoff code of the Swap Table Edition was not read: modelled as v6's two rounds over the device's slots, reading the physical swap table",
        ]),
        transfer: { ...VSWAP_TRANSFER, sources: [id === "vswap-ste-v1" ? STE_V1 : STE_V2, ...VSWAP_TRANSFER.sources] },
      },
    ]),
  ),
};

const FAMILY_FALLBACK: Readonly<Partial<Record<DesignFamily, string>>> = {
  mainline: "linux-6.12",
  "swap-table": "swap-table-p4",
  tiers: "swap-tiers",
  ghost: "ghost-swapfile",
  redirect: "redirect",
  vswap: "vswap-v6",
};

/** The swapoff and transfer rules of a design (by id, else by family). */
export function pathsOf(design: Design): DesignPaths {
  const byId = RULES[design.id];
  if (byId) return { ...byId, matchedBy: "design" };
  const fallback = FAMILY_FALLBACK[design.family];
  if (!fallback) {
    throw new SwapcostInputError("design family", design.family, `one of ${Object.keys(FAMILY_FALLBACK).join(", ")} (swapoff rules are keyed by family for custom designs)`, `no swapoff/transfer rules for ${design.id}`);
  }
  const r = RULES[fallback];
  const note = `custom design ${design.id}: swapoff and transfer follow ${fallback} (family ${design.family})`;
  return {
    swapoff: { ...r.swapoff, notes: [...r.swapoff.notes, note], sources: [...r.swapoff.sources, derived(note)] },
    transfer: { ...r.transfer, notes: [...r.transfer.notes, note] },
    matchedBy: "family",
  };
}

/** Design ids with explicit rules, for tests and docs. */
export function designsWithRules(): string[] {
  return Object.keys(RULES);
}
