/**
 * Kairui Song's swap table phase IV (RFC and v5, merged in 7.2), its dynamic ghost device, Chris
 * Li's ghost swapfile and redirect proposal, and YoungJun Park's swap tiers.
 */
import { derived, kCited as k, mail } from "../kernel/sources.js";
import {
  ALL_ENTRIES,
  LETTER,
  NHAT_V3_LETTER,
  globalCluster,
  reservedSwapTables,
  swapExtent,
  swapTable,
  zramTable,
  zsHandle,
  zswapEntry,
  zswapTreesXarray,
  zswapXarray,
  clusterInfo,
  swapCgroupPacked,
  swapMap,
  zeromap,
} from "./catalog.js";
import { LINUX_6_19, LINUX_7_1, PHYSICAL_LIMIT } from "./mainline.js";
import type { Design, DesignSpec, EntryWeights, Structure } from "./types.js";

const P4_RFC = mail(
  "https://lore.kernel.org/all/20260220-swap-table-p4-v1-0-104795d19815@tencent.com/",
  "Kairui Song",
  "2026-02-20",
  "Zero static data … even the clusters are dynamic (If using Xarray, only for ghost / virtual swap file)",
);
const P4_RFC_P15 = mail(
  "https://lore.kernel.org/all/20260220-swap-table-p4-v1-15-104795d19815@tencent.com/",
  "Kairui Song",
  "2026-02-20",
  "put the folio->swap as a reverse entry in the lower layer's swap table",
);
const P4_V5 = mail(
  "https://lore.kernel.org/all/20260517-swap-table-p4-v5-0-88ae43e064c7@tencent.com/",
  "Kairui Song",
  "2026-05-17",
  "roughly 0.09375 bytes per slot (48 bytes ci info per cluster)",
);
const P4_V5_P10 = mail(
  "https://lore.kernel.org/all/20260517-swap-table-p4-v5-10-88ae43e064c7@tencent.com/",
  "Kairui Song",
  "2026-05-17",
  "The per-cluster memcg table is 1024 / 512 bytes on most archs",
);
const P4_V5_P12 = mail(
  "https://lore.kernel.org/all/20260517-swap-table-p4-v5-12-88ae43e064c7@tencent.com/",
  "Kairui Song",
  "2026-05-17",
  "merge zeromap into the swap table",
);
const GHOST_RFC = mail(
  "https://lore.kernel.org/all/20251121-ghost-v1-1-cfc0efcf3855@kernel.org/",
  "Chris Li",
  "2025-11-21",
  "the swapfile only contains the swapfile header … there is no swap data section",
);
const CHRIS_REDIRECT = mail(
  "https://lkml.iu.edu/hypermail/linux/kernel/2602.1/02140.html",
  "Chris Li",
  "2026-02-09",
  "8 dynamic + 4(optional redirect)",
);
const TIERS_V5 = mail(
  "https://lore.kernel.org/all/20260325175453.2523280-1-youngjun.park@lge.com/",
  "YoungJun Park",
  "2026-03-25",
  "swap tiers: named tiers over device priorities, memory.swap.tiers per memcg",
);

const DISK_ONLY: EntryWeights = { disk: 1 };

// ---------------------------------------------------------------------------------------------
// Phase IV structures

/** P4 v5 / 7.2: 48-byte cluster_info on every device. */
function clusterInfoP4(layer: "physical" | "virtual" = "physical"): Structure {
  const ci = clusterInfo(
    "deb-7.2",
    48,
    { structFile: "mm/swap.h", struct: "48-66", alloc: "3530" },
    "all",
    "lock 4, count 2, flags 1, order 1, table 8, extend_table 8, memcg_table 8, list_head 16",
    { per: "cluster", bytes: 48 },
    [P4_V5],
  );
  return { ...ci, layer };
}

/** P4 RFC: phase III's 40-byte cluster_info (no memcg_table pointer yet). */
function clusterInfoP4Rfc(layer: "physical" | "virtual" = "physical"): Structure {
  const ci = clusterInfo(
    "7.1",
    40,
    { structFile: "mm/swap.h", struct: "30-42", alloc: "3353" },
    "all",
    "lock 4, count 2, flags 1, order 1, list_head 16, table 8, extend_table 8",
    { per: "cluster", bytes: 40 },
    [P4_RFC],
  );
  return { ...ci, layer };
}

function memcgTable(drivenBy: EntryWeights, layer: "physical" | "virtual", extra: Partial<Structure> = {}): Structure {
  return {
    id: layer === "physical" ? "memcg_table" : "memcg_table_virtual",
    name: layer === "physical" ? "memcg_table" : "memcg_table (virtual clusters)",
    what: "struct swap_memcg_table { unsigned short id[512]; } = 1024 B (kmalloc-1k) per populated cluster",
    layer,
    rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 1024, allocator: { kind: "kmalloc" }, skipReserved: layer === "physical" },
    drivenBy,
    when: { memcg: true },
    letter: { per: "entry", bytes: 2 },
    replaces: ["swap_cgroup"],
    sources: [
      k("deb-7.2", "mm/swap_table.h", "14-17", "struct swap_memcg_table"),
      k("deb-7.2", "mm/swapfile.c", "471-480", "ci->memcg_table = kzalloc_obj(*ci->memcg_table, gfp) unless mem_cgroup_disabled()"),
      P4_V5_P10,
    ],
    ...extra,
  };
}

/** Reserved (header/tail) clusters get their memcg table at swapon too in 7.2. */
function reservedMemcgTables(): Structure {
  return {
    id: "memcg_table_reserved",
    name: "memcg tables of reserved clusters",
    what: "swap_memcg_table (1 KiB) for each cluster holding the header, bad or tail slots",
    layer: "physical",
    rule: { kind: "reservedClusters", bytesPerCluster: 1024, allocator: { kind: "kmalloc" } },
    when: { memcg: true },
    letter: null,
    sources: [k("deb-7.2", "mm/swapfile.c", "815", "swap_cluster_setup_bad_slot() populates the cluster (table + memcg table) at swapon")],
  };
}

function swapTableP4(drivenBy: EntryWeights = ALL_ENTRIES, name = "swap table", what?: string): Structure {
  return swapTable(
    "deb-7.2",
    [
      k("deb-7.2", "mm/swapfile.c", "526-556", "swap_cluster_populate(): table page + memcg table when a free cluster is isolated"),
      k("deb-7.2", "mm/swap_table.h", "71-79", "SWP_TB_ZERO_FLAG: the zero bit lives in the entry (zeromap merged)"),
      P4_V5,
      P4_V5_P12,
    ],
    drivenBy,
    name,
    what ?? "struct swap_table: atomic_long_t[512] (count, zero flag, memcg id in shadows) = one 4 KiB page per cluster in use",
  );
}

function zswapTrees72(layer: "physical" | "virtual" = "physical"): Structure {
  const t = zswapTreesXarray("7.1", "3601", "1654-1659", layer);
  return { ...t, sources: [k("deb-7.2", "mm/zswap.c", "1650-1667", "kvzalloc_objs(struct xarray, DIV_ROUND_UP(nr_pages, ZSWAP_ADDRESS_SPACE_PAGES))")] };
}

function zswapXa72(layer: "physical" | "virtual" = "physical"): Structure {
  const x = zswapXarray("7.1", layer);
  return { ...x, sources: [k("deb-7.2", "mm/zswap.c", "229-230", "ZSWAP_ADDRESS_SPACE_PAGES = 1 << 14; xa_store(tree, offset, entry)"), NHAT_V3_LETTER] };
}

function zswapEntry72(layer: "physical" | "virtual" = "physical"): Structure {
  const e = zswapEntry("7.1", 56, "190-198", false);
  return { ...e, layer, sources: [k("deb-7.2", "mm/zswap.c", "190-198", "struct zswap_entry"), k("deb-7.2", "mm/zswap.c", "1765", "KMEM_CACHE(zswap_entry, 0)")] };
}

function zsHandle72(layer: "physical" | "virtual" = "physical"): Structure {
  return { ...zsHandle("deb-7.2", "2228"), layer };
}

const P4_LETTER = {
  note: "Kairui Song's phase IV arithmetic: 48 B of cluster_info per 512 slots static; 8 B swap table + 2 B memcg table per used slot dynamic",
  sources: [P4_V5, P4_V5_P10],
};

function p4Base(extra: Partial<Design>): Design {
  return {
    id: "",
    aliases: [],
    title: "",
    family: "swap-table",
    author: "Kairui Song",
    date: "",
    status: "",
    summary: "",
    sources: [],
    devices: ["ssd", "hdd", "zram"],
    entryKinds: ["disk", "zswap", "zero", "cache"],
    layers: { physical: ALL_ENTRIES },
    defaultZpool: "zsmalloc",
    limits: { physical: PHYSICAL_LIMIT },
    structures: [],
    letterBasis: P4_LETTER,
    ...extra,
  };
}

export const SWAP_TABLE_P4: Design = p4Base({
  id: "swap-table-p4",
  aliases: ["p4", "swap-table-p4-v5", "linux-7.2", "7.2"],
  title: "Swap table phase IV v5 (merged in 7.2)",
  date: "2026-05-17",
  status: "mainline (7.2)",
  summary: "swap_cgroup array removed (1 KiB memcg_table per populated cluster), zeromap merged into the table: static cost is cluster_info only (48 B per 512 slots)",
  sources: [P4_V5, k("deb-7.2", "mm/swapfile.c", "3348", "swapon in 7.2")],
  structures: [
    clusterInfoP4(),
    globalCluster("7.1"),
    reservedSwapTables("7.1", "765"),
    reservedMemcgTables(),
    zswapTrees72(),
    swapExtent("deb-7.2"),
    zramTable("7.2"),
    swapTableP4(),
    memcgTable(ALL_ENTRIES, "physical"),
    zswapXa72(),
    zswapEntry72(),
    zsHandle72(),
  ],
  notes: ["a cluster with a swap count ≥ 15 also gets a 2 KiB extend_table (not driven by the usage inputs)"],
});

export const SWAP_TABLE_P4_RFC: Design = p4Base({
  id: "swap-table-p4-rfc",
  aliases: ["p4-rfc", "swap-table-p4-v1"],
  title: "Swap table phase IV RFC (memcg id in the table)",
  date: "2026-02-20",
  status: "RFC",
  summary: "zero static data besides cluster_info: the memcg id and the zero flag live in the swap table entries; no memcg_table",
  sources: [P4_RFC],
  structures: [
    clusterInfoP4Rfc(),
    globalCluster("7.1"),
    reservedSwapTables("7.1", "765"),
    zswapTrees72(),
    swapExtent("7.1"),
    zramTable("7.2"),
    swapTableP4(ALL_ENTRIES, "swap table (memcg id in the entry)"),
    zswapXa72(),
    zswapEntry72(),
    zsHandle72(),
  ],
  letterBasis: { note: "Kairui Song: P4 makes \"8 bytes fully dyn\"", sources: [P4_RFC] },
});

// ---------------------------------------------------------------------------------------------
// Ghost device (P4 RFC patches 13-15)

/** Per in-use ghost cluster: struct swap_cluster_info_dynamic { ci 40; index 4; pad 4; rcu 16 } = 64 B. */
function ghostClusterInfo(): Structure {
  return {
    id: "ghost_cluster_info",
    name: "cluster_info (dynamic, ghost device)",
    what: "struct swap_cluster_info_dynamic (64 B: ci 40, index 4, pad 4, rcu_head 16) per in-use ghost cluster",
    layer: "virtual",
    rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 64, allocator: { kind: "kmalloc" }, skipReserved: true },
    drivenBy: ALL_ENTRIES,
    letter: null,
    sources: [P4_RFC_P15, derived("alloc_swap_scan_dynamic(): kzalloc(sizeof(struct swap_cluster_info_dynamic)) then xa_alloc into si->cluster_info_pool")],
    note: "plus one xarray slot per cluster in cluster_info_pool (≈9 B per cluster), not itemised",
  };
}

/** Ghost cluster 0 (it holds the header slot) is populated at swapon: its dynamic ci and table. */
function ghostReservedCluster(): Structure {
  return {
    id: "ghost_cluster_reserved",
    name: "ghost cluster 0 (header)",
    what: "swap_cluster_info_dynamic (64 B) + swap table (4 KiB) of the ghost cluster holding the header slot, allocated at swapon",
    layer: "virtual",
    rule: { kind: "reservedClusters", bytesPerCluster: 4096 + 64, allocator: { kind: "exact" } },
    letter: null,
    sources: [P4_RFC_P15, derived("setup_swap_clusters_info() pre-allocates cluster 0 with the header slot marked bad; 64 (kmalloc-64) + 4096 (one page)")],
  };
}

function ghostSwapTable(): Structure {
  return {
    ...swapTable("7.1", [P4_RFC_P15]),
    id: "ghost_swap_table",
    name: "swap table (ghost device)",
    layer: "virtual",
    rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 4096, allocator: { kind: "pages" }, skipReserved: true },
    drivenBy: ALL_ENTRIES,
    replaces: ["swap_table", "swap_cache"],
  };
}

export const GHOST_P4: Design = p4Base({
  id: "ghost-p4",
  aliases: ["ghostswap", "dynamic-ghost"],
  title: "Dynamic ghost device (P4 RFC patches 13-15)",
  date: "2026-02-20",
  status: "RFC",
  summary: "a virtual /dev/ghostswap (8 × RAM by default) whose clusters are allocated on demand; PTEs hold ghost slots, the physical swap table keeps a reverse entry for disk-backed ones",
  sources: [P4_RFC, P4_RFC_P15],
  devices: ["ssd", "hdd", "zram", "none"],
  layers: { physical: DISK_ONLY, virtual: ALL_ENTRIES, virtualHeaderSlots: 1 },
  limits: { physical: PHYSICAL_LIMIT, virtual: { ...PHYSICAL_LIMIT, what: "the ghost device is a swap device (last_page is a __u32)" } },
  structures: [
    // physical devices: P4 RFC
    clusterInfoP4Rfc(),
    globalCluster("7.1"),
    reservedSwapTables("7.1", "765"),
    swapExtent("7.1"),
    zramTable("7.2"),
    swapTableP4(DISK_ONLY, "swap table (physical, reverse map)", "struct swap_table of the physical device: a reverse entry to the ghost slot per disk-backed entry"),
    // ghost device
    ghostReservedCluster(),
    ghostClusterInfo(),
    ghostSwapTable(),
    zswapTrees72("virtual"),
    zswapXa72("virtual"),
    zswapEntry72("virtual"),
    zsHandle72("virtual"),
  ],
  letterBasis: {
    note: "Kairui Song's P4 RFC arithmetic: 8 B/slot plain, 16 B/slot for ghost zswap (table + zswap xarray), 24 B/slot with the reverse map",
    sources: [P4_RFC],
  },
  notes: [
    "the ghost device's size defaults to 8 × RAM (maxpages = round_up(totalram, 512) * 8); here it is the declared swap size",
    "ghost cluster 0 (header slot) is populated at swapon and counted as static",
  ],
});

/** Chris Li's static ghost swapfile on the swap-table kernel of its time (6.19 structures), all sized by the declared size. */
export const GHOST_SWAPFILE: Design = {
  id: "ghost-swapfile",
  aliases: ["ghost", "ghost-file"],
  title: "Ghost swapfile (Chris Li): a header-only swapfile for zswap",
  family: "ghost",
  author: "Chris Li",
  date: "2025-11-21",
  status: "RFC",
  summary: "a swapfile of one header page whose declared size sizes the usual static arrays; zswap without disk, writeback disabled",
  sources: [GHOST_RFC, mail("https://lore.kernel.org/all/20260220-swap-table-p4-v1-0-104795d19815@tencent.com/", "Kairui Song", "2026-02-20", "patch 13/15: i_size == PAGE_SIZE sets SWP_GHOST")],
  devices: ["none"],
  entryKinds: ["zswap", "zero", "cache"],
  layers: { physical: {}, virtual: { zswap: 1, zero: 1, cache: 1 }, virtualHeaderSlots: 1 },
  defaultZpool: "zsmalloc",
  limits: { virtual: { ...PHYSICAL_LIMIT, what: "the ghost file's header declares last_page as a __u32" } },
  structures: LINUX_6_19.structures
    .filter((s) => !["global_cluster", "swap_extent", "zram_table"].includes(s.id))
    .map((s) => ({ ...s, layer: "virtual" as const, when: s.when?.devices ? { ...s.when, devices: undefined } : s.when })),
  letterBasis: LINUX_6_19.letterBasis,
  notes: [
    "modelled on the 6.19 swap-table kernel; SWP_GHOST sets SWP_SOLIDSTATE, so cluster_info is allocated as for an SSD",
    "static arrays (swap_map, swap_cgroup, zeromap, cluster_info) are still sized by the header's declared size",
  ],
};

// ---------------------------------------------------------------------------------------------
// Chris Li's redirect proposal: swap table + swap.tiers + an optional per-entry redirect

function redirectTable(granularity: string): Structure {
  const weights: EntryWeights = { writeback: 1 };
  if (granularity === "entry") {
    return {
      id: "redirect",
      name: "redirect entries",
      what: "4-byte redirect (upper slot → lower-tier slot) per written-back entry, no container overhead (lower bound)",
      layer: "virtual",
      rule: { kind: "perEntry", bytesPerEntry: 4, allocator: { kind: "exact" } },
      drivenBy: weights,
      letter: { per: "entry", bytes: 4 },
      sources: [CHRIS_REDIRECT, derived("no series posted: granularity is an assumption (parameter granularity=entry)")],
    };
  }
  return {
    id: "redirect",
    name: "redirect table",
    what: "u32[512] = 2 KiB per upper-tier cluster holding a written-back entry",
    layer: "virtual",
    rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 2048, allocator: { kind: "kmalloc" } },
    drivenBy: weights,
    letter: { per: "entry", bytes: 4 },
    sources: [CHRIS_REDIRECT, derived("no series posted: a per-cluster table like every other swap-table structure is assumed (parameter granularity=cluster)")],
  };
}

export const REDIRECT_SPEC: DesignSpec = {
  id: "redirect",
  aliases: ["chris-redirect", "swap-table-redirect"],
  params: [
    { name: "granularity", doc: "how redirect entries are allocated: a 2 KiB table per upper cluster holding one (cluster) or 4 B each with no container (entry)", allowed: ["cluster", "entry"], default: "cluster" },
  ],
  build(params) {
    const granularity = params.granularity ?? "cluster";
    const upper: EntryWeights = { zswap: 1, zero: 1, cache: 1, writeback: 1 };
    return p4Base({
      id: "redirect",
      aliases: REDIRECT_SPEC.aliases,
      title: `Swap table + swap.tiers + redirect (Chris Li; ${granularity} granularity)`,
      family: "redirect",
      author: "Chris Li",
      date: "2026-02-09",
      status: "proposal (no posted series)",
      summary: "a ghost swapfile tier for zswap over P4 swap tables; zswap writeback to a disk tier leaves a 4-byte redirect in the upper tier",
      sources: [CHRIS_REDIRECT, GHOST_RFC],
      devices: ["ssd", "hdd", "zram", "none"],
      layers: { physical: DISK_ONLY, virtual: upper, virtualHeaderSlots: 1 },
      limits: { physical: PHYSICAL_LIMIT, virtual: { ...PHYSICAL_LIMIT, what: "the ghost file's header declares last_page as a __u32" } },
      params: { granularity },
      structures: [
        // lower (disk) tier: P4
        clusterInfoP4(),
        globalCluster("7.1"),
        reservedSwapTables("7.1", "765"),
        reservedMemcgTables(),
        swapExtent("deb-7.2"),
        zramTable("7.2"),
        swapTableP4(DISK_ONLY),
        memcgTable(DISK_ONLY, "physical"),
        // upper tier: a ghost swapfile on P4
        { ...clusterInfoP4("virtual"), id: "ghost_cluster_info", name: "cluster_info (ghost tier)" },
        { ...reservedSwapTables("7.1", "765"), id: "ghost_swap_table_reserved", name: "swap tables of reserved ghost-tier clusters", layer: "virtual" },
        { ...swapTableP4(upper, "swap table (ghost tier)"), id: "ghost_swap_table", layer: "virtual" },
        memcgTable(upper, "virtual"),
        redirectTable(granularity),
        zswapTrees72("virtual"),
        zswapXa72("virtual"),
        zswapEntry72("virtual"),
        zsHandle72("virtual"),
      ],
      letterBasis: { note: "Chris Li: \"8 dynamic + 4 (optional redirect)\" per entry, ~0 static after P4", sources: [CHRIS_REDIRECT] },
      notes: [
        "no posted series: the topology (a ghost tier over a disk tier) and the redirect granularity (parameter) are assumptions; disk entries that reached disk by zswap writeback keep their ghost-tier slot and a redirect (--writeback-share, default 100% when zswap is in use), the rest were swapped to the disk tier directly",
        "the ghost tier is sized by the declared swap size",
      ],
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Swap tiers: no metadata change

export const SWAP_TIERS: Design = {
  ...LINUX_7_1,
  id: "swap-tiers",
  aliases: ["tiers"],
  title: "Swap tiers (YoungJun Park) on 7.1",
  family: "tiers",
  author: "YoungJun Park",
  date: "2026-03-25",
  status: "posted series (v8)",
  summary: "named tiers over device priorities and a per-memcg tier mask (memory.swap.tiers); no per-slot metadata change",
  sources: [TIERS_V5],
  notes: [
    ...(LINUX_7_1.notes ?? []),
    "tiers add a per-memcg mask, not per-slot metadata; moving entries between tiers with direct-mapped PTEs needs an rmap walk per entry (see the transfer model)",
  ],
};

/** Re-exported for the vswap family, which builds on 6.19 and P4. */
export const P4_PARTS = { clusterInfoP4, memcgTable, reservedMemcgTables, swapTableP4, zswapEntry72, zsHandle72, zswapTrees72, P4_V5 };
export const V619_PARTS = { swapMap, swapCgroupPacked, zeromap };
