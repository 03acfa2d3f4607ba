/**
 * Nhat Pham's Virtual Swap Space: PTEs hold a virtual slot, a per-slot descriptor names the
 * backend. RFC v1/v2 (2025), v3-v6 (2026, on 6.19) and the Swap Table Edition RFC v1/v2 (2026, on
 * swap table phase IV).
 */
import { derived, kCited as k, mail, type Source } from "../kernel/sources.js";
import {
  ALL_ENTRIES,
  LETTER,
  clusterInfo,
  globalCluster,
  percpuClusterOld,
  reservedSwapTables,
  swapCacheXarray,
  swapExtent,
  swapMap,
  swapTable,
  zeromap,
  zramTable,
  zsHandle,
  zswapEntry,
  zswapXarray,
} from "./catalog.js";
import { PHYSICAL_LIMIT } from "./mainline.js";
import { P4_PARTS } from "./swap-table.js";
import type { Design, EntryWeights, SlotLimit, Structure } from "./types.js";

const DISK_ONLY: EntryWeights = { disk: 1 };

const RFC_V1 = mail("https://lore.kernel.org/all/20250407234223.1059191-1-nphamcs@gmail.com/", "Nhat Pham", "2025-04-07", "virtual swap descriptor, 64 bytes per entry");
const RFC_V1_P6 = mail("https://lore.kernel.org/all/20250407234223.1059191-7-nphamcs@gmail.com/", "Nhat Pham", "2025-04-07", "KMEM_CACHE(swp_desc, 0); descriptors indexed by the vswap_map xarray");
const RFC_V2 = mail("https://lore.kernel.org/all/20250429233848.3093350-1-nphamcs@gmail.com/", "Nhat Pham", "2025-04-29", "48 bytes (single atomic swap_refs); zeromap removed");
const V3 = mail("https://lore.kernel.org/all/20260208215839.87595-1-nphamcs@gmail.com/", "Nhat Pham", "2026-02-08", "swp_desc: size: 24");
const V3_P20 = mail("https://lore.kernel.org/all/20260208215839.87595-21-nphamcs@gmail.com/", "Nhat Pham", "2026-02-08", "swap_map becomes 2 bitmaps (allocated, bad)");
const V5 = mail("https://lkml.iu.edu/2604.2/08220.html", "Kairui Song (quoting Nhat Pham's v5 00/21 of 2026-03-20)", "2026-04-21", "Re: [PATCH v5 00/21] Virtual Swap Space");
const V6_FIRST_LAYOUT_CHANGE = derived("v4 (2026-03-18) and v5 (2026-03-20) keep v3's layout: the first change to it is v6's \"Decouple descriptor array from cluster header\"");
const V6 = mail("https://lore.kernel.org/all/20260505153854.1612033-1-nphamcs@gmail.com/", "Nhat Pham", "2026-05-05", "Decouple descriptor array from cluster header to eliminate wasted space from slab rounding");
const STE_V1 = mail("https://lore.kernel.org/all/20260528212955.1912856-1-nphamcs@gmail.com/", "Nhat Pham", "2026-05-28", "virtual_table … 8 bytes per slot");
const STE_V1_P1 = mail("https://lore.kernel.org/all/20260528212955.1912856-2-nphamcs@gmail.com/", "Nhat Pham", "2026-05-28", "vswap clusters: swap_cluster_info_dynamic + table + memcg table, xa_alloc");
const STE_V2 = mail("https://lore.kernel.org/all/20260612193738.2183968-1-nphamcs@gmail.com/", "Nhat Pham", "2026-06-12", "Defer memcg_table allocation on physical clusters … Saves ~512 bytes per physical cluster that only serves vswap-backing slots");
const STE_V2_P6 = mail("https://lore.kernel.org/all/20260612193738.2183968-7-nphamcs@gmail.com/", "Nhat Pham", "2026-06-12", "the wasted table is SWAPFILE_CLUSTER * sizeof(unsigned short)");
const STE_V2_P7 = mail("https://lore.kernel.org/all/20260612193738.2183968-8-nphamcs@gmail.com/", "Nhat Pham", "2026-06-12", "vswap supports ~8 PB");

const VS = (lines: string | undefined, symbol: string, note?: string): Source => k("vswap", "mm/vswap.c", lines, symbol, note);

/** MAX_VSWAP = U32_MAX clusters of 512 slots (≈ 8 PiB of virtual space). */
const VSWAP_LIMIT: SlotLimit = {
  slots: (2 ** 32 - 1) * 512,
  what: "U32_MAX virtual clusters of 512 slots (≈ 8 PiB)",
  sources: [VS("138-139", "MAX_VSWAP")],
};

const VSWAP_LETTER = {
  note: "Nhat Pham's v3-v6 tables: 2 bits/slot of physical bitmaps static; 24 B descriptor + 64 B per 512-entry cluster (24.125 B/entry) dynamic; 8 B/entry reverse map for disk-backed entries",
  sources: [V3],
};

// ---------------------------------------------------------------------------------------------
// Physical side of v3-v6 (6.19 base)

function bitmap(id: string, name: string, what: string): Structure {
  return {
    id,
    name,
    what,
    layer: "physical",
    rule: { kind: "perSlots", slotsPerElement: 64, elementBytes: 8, allocator: { kind: "kvmalloc" } },
    letter: LETTER.bit,
    replaces: ["swap_map"],
    sources: [V3_P20, derived("kvcalloc(BITS_TO_LONGS(maxpages), sizeof(long)), once for each bitmap")],
  };
}

const PHYSICAL_619: Structure[] = [
  bitmap("swap_map", "swap_map bitmap (allocated)", "1 bit per physical slot: slot allocated"),
  bitmap("bad_map", "bad_map bitmap", "1 bit per physical slot: slot bad"),
  clusterInfo("6.19", 32, { structFile: "mm/swap.h", struct: "30-41", alloc: "3314-3323" }, "all", "spinlock 4 + count 2 + flags 1 + order 1 + list_head 16 + table 8", null, [
    derived("the physical allocator keeps its cluster array; the cover letters do not count it"),
  ]),
  globalCluster("6.19", "3331"),
  reservedSwapTables("6.19", "757-777"),
  swapExtent("6.19"),
  zramTable("6.12", "6.19 keeps the 24-byte entry of 6.12 (inferred)"),
  swapTable(
    "6.19",
    [V3, derived("vswap_rmap_set() → __swap_table_set(): the physical swap table holds the virtual slot of each disk-backed entry")],
    DISK_ONLY,
    "swap table (physical, reverse map)",
    "struct swap_table of the physical device: physical → virtual reverse map, one 4 KiB page per physical cluster with disk-backed entries",
  ),
];

function vswapZswap(tree: "6.19" | "7.1"): Structure[] {
  const e = zswapEntry(tree, 56, "190-198", false);
  return [
    { ...e, layer: "virtual", replaces: [] },
    { ...zsHandle("6.19", "407"), layer: "virtual" },
  ];
}

const REPLACED_BY_DESC = ["swap_map", "swap_cgroup", "zeromap", "swap_table", "swap_cache", "swap_address_space", "zswap_tree", "zswap_xa"];

function v3to5(id: string, title: string, date: string, cover: Source, extraSources: Source[] = []): Design {
  return {
    id,
    aliases: [],
    title,
    family: "vswap",
    author: "Nhat Pham",
    date,
    status: "posted series",
    summary: "24-byte swp_desc per virtual slot, embedded in a 512-slot vswap_cluster (12392 B, kvzalloc'ed: a 16 KiB kmalloc_large) allocated on demand; physical swap keeps 2 bitmaps and reuses its swap table as reverse map",
    sources: [cover, V3, ...extraSources],
    devices: ["ssd", "hdd", "zram", "none"],
    entryKinds: ["disk", "zswap", "zero", "cache"],
    // entry 0 is invalid: cluster 0 starts at slot nr (vswap_alloc_from_cluster)
    layers: { physical: DISK_ONLY, virtual: ALL_ENTRIES, virtualHeaderSlots: 1 },
    defaultZpool: "zsmalloc",
    limits: { physical: PHYSICAL_LIMIT, virtual: VSWAP_LIMIT },
    structures: [
      ...PHYSICAL_619,
      {
        id: "vswap_cluster",
        name: "vswap_cluster (descriptors embedded)",
        what: "struct vswap_cluster { header 104 B; struct swp_desc descriptors[512] (24 B each) } = 12392 B, kvzalloc → 16 KiB",
        layer: "virtual",
        rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 12392, allocator: { kind: "kvmalloc" } },
        drivenBy: ALL_ENTRIES,
        letter: [
          { per: "entry", bytes: 24 },
          { per: "clusterInUse", bytes: 64 },
        ],
        replaces: REPLACED_BY_DESC,
        sources: [V3, derived("12392 B > KMALLOC_MAX_CACHE_SIZE, so kvmalloc's kmalloc_large takes 2^get_order(12392) = 4 pages = 16 KiB (32 B per slot in a full cluster); the letters count 24 B + 64 B per cluster")],
      },
      ...vswapZswap("6.19"),
    ],
    letterBasis: VSWAP_LETTER,
    notes: [
      "zswap-only operation needs no swapfile at all (device none): nothing is allocated at swapon",
      "per-CPU vswap cluster caches (80 B per CPU) are static kernel data, not swapon cost",
      "the vswap_cluster_map xarray (one slot per virtual cluster, ≈ 9 B per 512 slots) is not itemised",
      "virtual entry 0 is never allocated (vswap_alloc_from_cluster(): cluster 0 starts at slot nr)",
    ],
  };
}

export const VSWAP_V3 = v3to5("vswap-v3", "Virtual Swap Space v3", "2026-02-08", V3);
export const VSWAP_V4 = v3to5("vswap-v4", "Virtual Swap Space v4", "2026-03-18", V3, [V6, V6_FIRST_LAYOUT_CHANGE]);
export const VSWAP_V5 = v3to5("vswap-v5", "Virtual Swap Space v5", "2026-03-20", V5, [V6, V6_FIRST_LAYOUT_CHANGE]);

export const VSWAP_V6: Design = {
  ...v3to5("vswap-v6", "Virtual Swap Space v6", "2026-05-05", V6),
  aliases: ["vswap"],
  summary: "24-byte swp_desc per virtual slot in a vzalloc'ed 12 KiB array per 512-slot virtual cluster plus a 112-byte vswap_cluster header; physical swap keeps 2 bitmaps and reuses its swap table as reverse map",
  structures: [
    ...PHYSICAL_619,
    {
      id: "vswap_cluster",
      name: "vswap_cluster",
      what: "struct vswap_cluster (112 B: lock, rcu/list, id, count/order bits, refcnt, bitmap[512 bits], descriptors*) from its kmem_cache",
      layer: "virtual",
      rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 112, allocator: { kind: "slab", cache: "vswap_cluster", objectsPerSlab: 36, slabBytes: 4096 } },
      drivenBy: ALL_ENTRIES,
      letter: { per: "clusterInUse", bytes: 64 },
      replaces: [],
      sources: [VS("182-196", "struct vswap_cluster"), VS(undefined, "vswap_init(): KMEM_CACHE(vswap_cluster, 0)"), derived("4 + 4 pad + 16 + 8 + 4 + 4 + 64 + 8 = 112 B; floor(4096 / 112) = 36 per slab")],
    },
    {
      id: "vswap_desc",
      name: "swp_desc array",
      what: "struct swp_desc (24 B: slot|zswap_entry 8, swap_cache|shadow 8, swap_count 4, memcgid:16 + in_swapcache:1 + type:2) × 512 = vzalloc(12288)",
      layer: "virtual",
      rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 12288, allocator: { kind: "vmalloc" } },
      drivenBy: ALL_ENTRIES,
      letter: { per: "entry", bytes: 24 },
      replaces: REPLACED_BY_DESC,
      sources: [VS("98-115", "struct swp_desc"), VS(undefined, "folio_alloc_swap(): cluster->descriptors = vzalloc(array_size(512, sizeof(struct swp_desc)))"), V6],
    },
    ...vswapZswap("6.19"),
  ],
};

// ---------------------------------------------------------------------------------------------
// RFC v1 / v2 (2025, base 6.14): a descriptor object per entry, indexed by an xarray

function rfc(id: string, title: string, date: string, descBytes: number, withZeromap: boolean, cover: Source): Design {
  const physical: Structure[] = [
    swapMap("6.12", "3460"),
    ...(withZeromap ? [zeromap("6.12", "3481")] : []),
    clusterInfo("6.12", 24, { structFile: "include/linux/swap.h", struct: "249-259", alloc: "3279-3289" }, "nonrot", "spinlock 4 + count u16 2 + flags u8 1 + order u8 1 + list_head 16", null, [
      derived("the RFCs are based on 6.14; 6.12's physical allocations are used for it"),
    ]),
    ...percpuClusterOld("6.12", 40, { next: "3296", percpu: "3305", struct: "273-286" }),
    swapExtent("6.12"),
    zramTable("6.12"),
    {
      id: "vswap_rmap",
      name: "vswap_rmap xarray",
      what: "xarray physical slot → virtual slot, one xa_node per 64 physical slots in use",
      layer: "physical",
      rule: { kind: "xarray", treeSlots: 0 },
      drivenBy: DISK_ONLY,
      letter: null,
      replaces: [],
      sources: [RFC_V1_P6],
    },
  ];
  const cacheXa = swapCacheXarray("6.12");
  const zxa = zswapXarray("6.12", "virtual");
  return {
    id,
    aliases: [],
    title,
    family: "vswap",
    author: "Nhat Pham",
    date,
    status: "RFC",
    summary: `a ${descBytes}-byte descriptor object per swapped entry (kmem_cache), indexed by an xarray over the virtual space; physical swap_map${withZeromap ? " and zeromap" : ""} kept, swap_cgroup dropped`,
    sources: [cover, RFC_V1_P6],
    devices: ["ssd", "hdd", "zram", "none"],
    entryKinds: ["disk", "zswap", "zero", "cache"],
    layers: { physical: DISK_ONLY, virtual: ALL_ENTRIES },
    defaultZpool: "zsmalloc",
    limits: { physical: PHYSICAL_LIMIT, virtual: VSWAP_LIMIT },
    structures: [
      ...physical,
      {
        id: "vswap_desc",
        name: "swp_desc objects",
        what: `struct swp_desc (${descBytes} B) per swapped entry from KMEM_CACHE(swp_desc)`,
        layer: "virtual",
        rule: { kind: "perEntry", bytesPerEntry: descBytes, allocator: { kind: "slab", cache: "swp_desc", objectsPerSlab: Math.floor(4096 / descBytes), slabBytes: 4096 } },
        drivenBy: ALL_ENTRIES,
        letter: { per: "entry", bytes: descBytes },
        replaces: ["swap_cgroup", ...(withZeromap ? [] : ["zeromap"])],
        sources: [cover, RFC_V1_P6, derived(descBytes === 64 ? "vswap 8 + union 8 + rcu_head 16 + rwlock 8 + type 4 + memcgid 4 + in_swapcache 4 + kref 4 + swap_count 4 = 60 → 64 B" : "union 8 + rcu_head 16 + rwlock 8 + type 4 + memcgid 4 + swap_refs 4 = 44 → 48 B")],
      },
      {
        id: "vswap_map",
        name: "vswap_map xarray",
        what: "xarray virtual slot → descriptor, one xa_node per 64 virtual slots in use",
        layer: "virtual",
        rule: { kind: "xarray", treeSlots: 0 },
        drivenBy: ALL_ENTRIES,
        letter: null,
        replaces: [],
        sources: [RFC_V1_P6],
      },
      { ...cacheXa, layer: "virtual", sources: [...cacheXa.sources, derived("the RFCs keep the swap cache, indexed by the virtual slot (removed in v3)")] },
      { ...zxa, sources: [...zxa.sources, derived("the RFCs keep the zswap xarrays, indexed by the virtual slot (removed in v3)")] },
      { ...zswapEntry("6.12", 56, "196-204", false), layer: "virtual" },
      { ...zsHandle("6.12", "302, 329"), layer: "virtual" },
    ],
    letterBasis: { note: `the RFC letter's descriptor size (${descBytes} B per entry) over physical swap_map`, sources: [cover] },
    notes: [
      "based on 6.14; allocations of the virtual swap cache and zswap tree heads for the virtual space are not modelled",
      ...(descBytes === 48 ? ["the RFC v2 changelog says \"64 KB down to 48 KB\": a typo for bytes (v3 says 64 B → 48 B)"] : []),
    ],
  };
}

export const VSWAP_RFC_V1 = rfc("vswap-rfc-v1", "Virtual Swap Space RFC v1", "2025-04-07", 64, true, RFC_V1);
export const VSWAP_RFC_V2 = rfc("vswap-rfc-v2", "Virtual Swap Space RFC v2", "2025-04-29", 48, false, RFC_V2);

// ---------------------------------------------------------------------------------------------
// Swap Table Edition (on swap table phase IV v5)

function steDesign(version: 1 | 2): Design {
  const { clusterInfoP4, memcgTable, reservedMemcgTables, swapTableP4, zswapTrees72 } = P4_PARTS;
  const cover = version === 1 ? STE_V1 : STE_V2;
  const physical: Structure[] = [
    clusterInfoP4(),
    globalCluster("7.1"),
    reservedSwapTables("7.1", "765"),
    reservedMemcgTables(),
    swapExtent("deb-7.2"),
    zramTable("7.2"),
    swapTableP4(DISK_ONLY, "swap table (physical, tagged reverse map)", "struct swap_table of the physical device: a pointer-tagged rmap entry per slot backing a vswap entry"),
    ...(version === 1
      ? [memcgTable(DISK_ONLY, "physical", { note: "v1 allocates it for every populated physical cluster, although slots backing vswap entries keep their memcg id upstairs (\"a waste of memory\")" }), zswapTrees72()]
      : []),
  ];
  const virtualCluster: Structure[] = [
    {
      id: "vswap_cluster_info",
      name: "cluster_info (dynamic, vswap device)",
      what: "struct swap_cluster_info_dynamic (80 B: ci 48, index 4, pad 4, rcu 16, virtual_table* 8) → kmalloc-96, per vswap cluster",
      layer: "virtual",
      rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 80, allocator: { kind: "kmalloc" } },
      drivenBy: ALL_ENTRIES,
      letter: null,
      sources: [STE_V1_P1, derived("48 + 4 + 4 + 16 + 8 = 80 B, kzalloc → kmalloc-96")],
    },
    {
      id: "vswap_swap_table",
      name: "swap table (vswap device)",
      what: "struct swap_table (4 KiB page) per vswap cluster: count, zero flag, swap cache folio / shadow",
      layer: "virtual",
      rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 4096, allocator: { kind: "pages" } },
      drivenBy: ALL_ENTRIES,
      letter: LETTER.swapTable,
      replaces: ["swap_table", "swap_cache", "zeromap"],
      sources: [STE_V1_P1, cover],
    },
    { ...memcgTable(ALL_ENTRIES, "virtual"), rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 1024, allocator: { kind: "kmalloc" } }, sources: [STE_V1_P1, k("deb-7.2", "mm/swap_table.h", "14-17", "struct swap_memcg_table")] },
    {
      id: "virtual_table",
      name: "virtual_table",
      what: `atomic_long_t[512] per vswap cluster (kcalloc → kmalloc-4k): backend tag ${version === 1 ? "NONE/PHYS/ZERO/ZSWAP/FOLIO" : "NONE/PHYS/ZSWAP"} + physical slot or zswap_entry`,
      layer: "virtual",
      rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 4096, allocator: { kind: "kmalloc" } },
      drivenBy: ALL_ENTRIES,
      letter: { per: "entry", bytes: 8 },
      replaces: ["zswap_xa", "zswap_tree"],
      sources: [cover, derived("vswap_cluster_alloc_vtable(): kcalloc(SWAPFILE_CLUSTER, sizeof(atomic_long_t), GFP_ATOMIC)")],
    },
  ];
  const e = zswapEntry("7.1", 56, "190-198", false);
  return {
    id: version === 1 ? "vswap-ste-v1" : "vswap-ste-v2",
    aliases: version === 1 ? ["ste-v1"] : ["ste-v2", "vswap-ste"],
    title: `Virtual Swap Space, Swap Table Edition RFC v${version}`,
    family: "vswap",
    author: "Nhat Pham",
    date: version === 1 ? "2026-05-28" : "2026-06-12",
    status: "RFC",
    summary:
      version === 1
        ? "a boot-time vswap device on phase IV: per vswap cluster a dynamic ci, a swap table, a memcg table and an 8 B/slot virtual_table; physical clusters backing it keep a tagged rmap entry and (v1) a memcg table"
        : "as v1, but physical clusters that only back vswap get no memcg table and the zswap xarray is merged into the clusters; ~8 PiB of virtual space",
    sources: version === 1 ? [STE_V1, STE_V1_P1] : [STE_V2, STE_V2_P6, STE_V2_P7],
    devices: ["ssd", "hdd", "zram", "none"],
    entryKinds: ["disk", "zswap", "zero", "cache"],
    layers: { physical: DISK_ONLY, virtual: ALL_ENTRIES },
    defaultZpool: "zsmalloc",
    limits: {
      physical: PHYSICAL_LIMIT,
      virtual:
        version === 1
          ? { slots: 4294966784, what: "ALIGN_DOWN(UINT_MAX, SWAPFILE_CLUSTER) slots (≈ 16 TiB)", sources: [STE_V1] }
          : { slots: (2 ** 32 - 1) * 512, what: "ALIGN_DOWN(UINT_MAX * SWAPFILE_CLUSTER, SWAPFILE_CLUSTER) slots (≈ 8 PiB)", sources: [STE_V2_P7] },
    },
    structures: [...physical, ...virtualCluster, { ...e, layer: "virtual" }, { ...zsHandle("deb-7.2", "2228"), layer: "virtual" }],
    letterBasis: {
      note: "Nhat Pham's STE arithmetic: swap table 8 + virtual_table 8 + memcg table 2 bytes per vswap slot; physical rmap 8 bytes per disk-backed slot",
      sources: [cover],
    },
    notes: [
      version === 1
        ? "the v2 cover letter says deferring the physical memcg table \"saves ~512 bytes per physical cluster\"; the table it defers is 512 × 2 = 1024 bytes (v2 patch 6)"
        : "the cover letter's \"~512 bytes per physical cluster\" saving conflicts with the 1024-byte table patch 6 defers; the model uses 1024",
      "the vswap device has no swapon-time arrays: clusters (and their xarray slots, not itemised) are allocated on demand",
    ],
  };
}

export const VSWAP_STE_V1 = steDesign(1);
export const VSWAP_STE_V2 = steDesign(2);
