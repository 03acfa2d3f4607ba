/**
 * The catalogue of swap metadata structures, per kernel version and per proposed series, with
 * sizes and allocation points cited to kernel file:line (trees in ../kernel/sources.ts) or to the
 * mail that proposes them. Designs (./builtin.ts) compose these.
 *
 * Conventions: N = slots of the layer (device size / 4 KiB, header page included), C = ⌈N/512⌉
 * clusters, A = ⌈N/16384⌉ swap address spaces, P = possible CPUs. Struct sizes are field sums for
 * x86_64 without lock debugging (spinlock_t = 4 bytes); "derived" sources show the arithmetic.
 */
import type { Allocator } from "../kernel/alloc.js";
import { derived, kCited as k, mail, type Source } from "../kernel/sources.js";
import type { EntryWeights, LetterRule, Structure } from "./types.js";

export const ALL_ENTRIES: EntryWeights = { disk: 1, zswap: 1, zero: 1, cache: 1 };
const VMALLOC: Allocator = { kind: "vmalloc" };
const KVMALLOC: Allocator = { kind: "kvmalloc" };
const KMALLOC: Allocator = { kind: "kmalloc" };
const PAGES: Allocator = { kind: "pages" };
const PERCPU: Allocator = { kind: "percpu" };

/** Non-rotational devices (zram is always non-rotational). */
const NONROT = ["ssd", "zram"] as const;

export const LETTER = {
  swapMap: { per: "slot", bytes: 1 } as LetterRule,
  swapCgroup: { per: "slot", bytes: 2 } as LetterRule,
  bit: { per: "slotBits", bits: 1 } as LetterRule,
  swapTable: { per: "entry", bytes: 8 } as LetterRule,
  zswapIndex: { per: "entry", bytes: 8 } as LetterRule,
};

/** Nhat Pham's v3 cover letter: the per-design arithmetic of the 32 GB tables. */
export const NHAT_V3_LETTER = mail(
  "https://lore.kernel.org/all/20260208215839.87595-1-nphamcs@gmail.com/",
  "Nhat Pham",
  "2026-02-08",
  "Old design … 25.00 MB … Vswap 0.00 MB / 2.00 MB",
);

// ---------------------------------------------------------------------------------------------
// Static, per slot

export function swapMap(tree: string, line: string): Structure {
  return {
    id: "swap_map",
    name: "swap_map",
    what: "unsigned char per slot: swap count (+ SWAP_HAS_CACHE)",
    layer: "physical",
    rule: { kind: "perSlots", slotsPerElement: 1, elementBytes: 1, allocator: VMALLOC },
    letter: LETTER.swapMap,
    sources: [k(tree, "mm/swapfile.c", line, "p->swap_map = vzalloc(maxpages)")],
  };
}

/** 6.1-6.12: one zeroed page per 2048 slots of 2-byte ids, plus a vcalloc'ed page-pointer array. */
export function swapCgroupPaged(tree: string, swaponLine: string, cgLines: { struct?: string; prepare?: string; swapon?: string }): Structure {
  return {
    id: "swap_cgroup",
    name: "swap_cgroup",
    what: "struct swap_cgroup { unsigned short id; } per slot, one page per 2048 slots + page-pointer array",
    layer: "physical",
    rule: { kind: "pagedPerSlots", slotsPerPage: 2048, pointerBytes: 8, pointerAllocator: VMALLOC },
    when: { memcg: true },
    letter: LETTER.swapCgroup,
    sources: [
      k(tree, "mm/swapfile.c", swaponLine, "swap_cgroup_swapon(p->type, maxpages)"),
      k(tree, "mm/swap_cgroup.c", cgLines.struct, "struct swap_cgroup; SC_PER_PAGE = PAGE_SIZE / sizeof(struct swap_cgroup)"),
      k(tree, "mm/swap_cgroup.c", cgLines.prepare, "swap_cgroup_prepare(): alloc_page(GFP_KERNEL | __GFP_ZERO) per page"),
      k(tree, "mm/swap_cgroup.c", cgLines.swapon, "array = vcalloc(length, sizeof(void *)); skipped if mem_cgroup_disabled()"),
    ],
  };
}

/** 6.19+: two 16-bit ids packed in an atomic_t, one vzalloc of ⌈N/2⌉ × 4 bytes. */
export function swapCgroupPacked(tree: "6.19" | "7.1", swaponLine: string, cgLines: Record<string, string>): Structure {
  return {
    id: "swap_cgroup",
    name: "swap_cgroup",
    what: "struct swap_cgroup { atomic_t ids; }: two 16-bit memcg ids per 4 bytes",
    layer: "physical",
    rule: { kind: "perSlots", slotsPerElement: 2, elementBytes: 4, allocator: VMALLOC },
    when: { memcg: true },
    letter: LETTER.swapCgroup,
    sources: [
      k(tree, "mm/swapfile.c", swaponLine, "swap_cgroup_swapon(type, maxpages)"),
      k(tree, "mm/swap_cgroup.c", cgLines.struct, "struct swap_cgroup { atomic_t ids; }"),
      k(tree, "mm/swap_cgroup.c", cgLines.alloc, "vzalloc(DIV_ROUND_UP(max_pages, ID_PER_SC) * sizeof(struct swap_cgroup))"),
    ],
  };
}

export function frontswapMap61(): Structure {
  return {
    id: "zeromap",
    name: "frontswap_map",
    what: "1 bit per slot: page is in frontswap (zswap)",
    layer: "physical",
    rule: { kind: "perSlots", slotsPerElement: 64, elementBytes: 8, allocator: KVMALLOC },
    letter: LETTER.bit,
    sources: [k("6.1", "mm/swapfile.c", "3152", "frontswap_map = kvcalloc(BITS_TO_LONGS(maxpages), sizeof(long)) (CONFIG_FRONTSWAP, on in Debian 12)")],
    note: "shares the id `zeromap` with its 6.12+ counterpart: both are the per-slot bitmap the letters count as 1 bit",
  };
}

export function zeromap(tree: "6.12" | "6.19" | "7.1", line: string): Structure {
  return {
    id: "zeromap",
    name: "zeromap",
    what: "1 bit per slot: the slot holds a zero-filled page",
    layer: "physical",
    rule: { kind: "perSlots", slotsPerElement: 64, elementBytes: 8, allocator: KVMALLOC },
    letter: LETTER.bit,
    sources: [k(tree, "mm/swapfile.c", line, "si->zeromap = kvmalloc_array(BITS_TO_LONGS(maxpages), sizeof(long))")],
  };
}

// ---------------------------------------------------------------------------------------------
// Static, per cluster / per address space / per device / per CPU

export function clusterInfo(
  tree: string,
  bytes: number,
  lines: { struct: string; structFile: string; alloc: string },
  devices: "nonrot" | "all",
  fields: string,
  letter: LetterRule | null = null,
  extraSources: Source[] = [],
): Structure {
  return {
    id: "cluster_info",
    name: "cluster_info",
    what: `struct swap_cluster_info (${bytes} B: ${fields}) per 512-slot cluster`,
    layer: "physical",
    rule: { kind: "perSlots", slotsPerElement: 512, elementBytes: bytes, allocator: KVMALLOC },
    when: devices === "nonrot" ? { devices: NONROT } : undefined,
    letter,
    sources: [
      k(tree, lines.structFile, lines.struct, "struct swap_cluster_info"),
      k(tree, "mm/swapfile.c", lines.alloc, "kvcalloc(nr_clusters, sizeof(struct swap_cluster_info))"),
      derived(`field sum: ${fields} = ${bytes} bytes`),
      ...extraSources,
    ],
    note: devices === "nonrot" ? "allocated for non-rotational devices only (SSD, zram)" : "allocated for every device",
  };
}

export function percpuClusterOld(tree: "6.1" | "6.6" | "6.12", bytes: number, lines: { next: string; percpu: string; struct?: string }): Structure[] {
  return [
    {
      id: "cluster_next_cpu",
      name: "cluster_next_cpu",
      what: "unsigned int per CPU: next offset hint",
      layer: "physical",
      rule: { kind: "fixed", bytes: 4, allocator: PERCPU, perCpu: true },
      when: { devices: NONROT },
      letter: null,
      sources: [k(tree, "mm/swapfile.c", lines.next, "p->cluster_next_cpu = alloc_percpu(unsigned int)")],
    },
    {
      id: "percpu_cluster",
      name: "percpu_cluster",
      what: `struct percpu_cluster (${bytes} B) per CPU`,
      layer: "physical",
      rule: { kind: "fixed", bytes, allocator: PERCPU, perCpu: true },
      when: { devices: NONROT },
      letter: null,
      sources: [
        k(tree, "include/linux/swap.h", lines.struct, "struct percpu_cluster"),
        k(tree, "mm/swapfile.c", lines.percpu, "alloc_percpu(struct percpu_cluster)"),
      ],
    },
  ];
}

export function globalCluster(tree: "6.19" | "7.1", line?: string): Structure {
  return {
    id: "global_cluster",
    name: "global_cluster",
    what: "struct swap_sequential_cluster { unsigned int next[SWAP_NR_ORDERS]; } (40 B)",
    layer: "physical",
    rule: { kind: "fixed", bytes: 40, allocator: KMALLOC },
    when: { devices: ["hdd"] },
    letter: null,
    sources: [k(tree, "mm/swapfile.c", line, "si->global_cluster = kmalloc(sizeof(*si->global_cluster)) for rotational devices"), k(tree, "include/linux/swap.h", tree === "6.19" ? "256-258" : undefined, "struct swap_sequential_cluster")],
  };
}

/**
 * sizeof(struct address_space) on x86_64 with Debian's config (CONFIG_READ_ONLY_THP_FOR_FS off, no
 * lock debugging): host 8, i_pages 16, invalidate_lock 40 (rw_semaphore: count 8, owner 8, osq 4,
 * wait_lock 4, wait_list 16), gfp_mask 4, i_mmap_writable 4, i_mmap 16, i_mmap_rwsem 40, nrpages 8,
 * writeback_index 8, a_ops 8, flags 8, wb_err 4, private_lock 4, private_list 16, private_data 8 =
 * 192 (pahole on Debian's 6.1.192 and 6.12.95 BTF). 200 with READ_ONLY_THP_FOR_FS=y (nr_thps).
 */
export const ADDRESS_SPACE_BYTES = 192;

export function swapAddressSpaces(tree: "6.1" | "6.6" | "6.12", swaponLine: string, stateLine: string): Structure {
  return {
    id: "swap_address_space",
    name: "swap address_space array",
    what: `struct address_space (${ADDRESS_SPACE_BYTES} B) per 16384 slots (64 MiB): the swap cache`,
    layer: "physical",
    rule: { kind: "perSlots", slotsPerElement: 16384, elementBytes: ADDRESS_SPACE_BYTES, allocator: KVMALLOC },
    letter: null,
    replaces: [],
    sources: [
      k(tree, "mm/swapfile.c", swaponLine, "init_swap_address_space(p->type, maxpages)"),
      k(tree, "mm/swap_state.c", stateLine, "spaces = kvcalloc(nr, sizeof(struct address_space))"),
      k(tree === "6.12" ? "deb-6.12" : "deb-6.1", "include/linux/fs.h", tree === "6.12" ? "465-485" : "432-452", "struct address_space"),
      derived("8+16+40+4+4+16+40+8+8+8+8+4+4+16+8 = 192 bytes (pahole on Debian BTF agrees)"),
    ],
  };
}

export function zswapTreeOld(tree: "6.1" | "6.6", lines: { struct: string; alloc: string }): Structure {
  return {
    id: "zswap_tree",
    name: "zswap_tree",
    what: "struct zswap_tree { struct rb_root rbroot; spinlock_t lock; } (16 B) per device",
    layer: "physical",
    rule: { kind: "fixed", bytes: 16, allocator: KMALLOC },
    letter: null,
    sources: [k(tree, "mm/zswap.c", lines.struct, "struct zswap_tree"), k(tree, "mm/zswap.c", lines.alloc, "tree = kzalloc(sizeof(*tree), GFP_KERNEL)")],
  };
}

export function zswapTreesXarray(tree: "6.12" | "6.19" | "7.1", swaponLine: string, zswapLines: string, layer: "physical" | "virtual" = "physical"): Structure {
  return {
    id: "zswap_tree",
    name: "zswap xarray heads",
    what: "struct xarray (16 B) per 16384 slots: the zswap trees",
    layer,
    rule: { kind: "perSlots", slotsPerElement: 16384, elementBytes: 16, allocator: KVMALLOC },
    letter: null,
    sources: [
      k(tree, "mm/swapfile.c", swaponLine, "zswap_swapon(type, maxpages)"),
      k(tree, "mm/zswap.c", zswapLines, "trees = kvcalloc(nr, sizeof(*tree)); one xarray per SWAP_ADDRESS_SPACE_PAGES"),
    ],
  };
}

export function swapExtent(tree: string): Structure {
  return {
    id: "swap_extent",
    name: "swap_extent",
    what: "struct swap_extent { rb_node 24; start_page 8; nr_pages 8; start_block 8 } = 48 B, one per contiguous extent (1 for a block device)",
    layer: "physical",
    rule: { kind: "fixed", bytes: 48, allocator: KMALLOC },
    when: { devices: ["ssd", "hdd", "zram"] },
    letter: null,
    sources: [k(tree, "mm/swapfile.c", undefined, "add_swap_extent(): new_se = kmalloc(sizeof(*se), GFP_KERNEL)"), derived("a swap file on a fragmented filesystem has more extents; one is assumed")],
  };
}

/** 6.19+: swapon allocates a swap table for each cluster holding the header, bad or tail slots. */
export function reservedSwapTables(tree: "6.19" | "7.1", lines: string): Structure {
  return {
    id: "swap_table_reserved",
    name: "swap tables of reserved clusters",
    what: "struct swap_table (4 KiB) for each cluster holding the header page, bad slots or the tail past maxpages",
    layer: "physical",
    rule: { kind: "reservedClusters", bytesPerCluster: 4096, allocator: PAGES },
    letter: null,
    sources: [k(tree, "mm/swapfile.c", lines, "swap_cluster_setup_bad_slot() allocates the cluster's table at swapon")],
  };
}

// ---------------------------------------------------------------------------------------------
// Dynamic

export function swapCacheXarray(tree: "6.1" | "6.6" | "6.12"): Structure {
  return {
    id: "swap_cache",
    name: "swap cache xarray nodes",
    what: "xa_node (576 B per 64 slots) holding swap-cache folios and workingset shadows",
    layer: "physical",
    rule: { kind: "xarray", treeSlots: 16384 },
    drivenBy: ALL_ENTRIES,
    letter: null,
    sources: [
      k(tree === "6.1" ? "6.1" : tree, "mm/swap_state.c", undefined, "add_to_swap_cache() / __delete_from_swap_cache(folio, entry, shadow)"),
      k("6.12", "mm/vmscan.c", "763-764", "shadow = workingset_eviction(); __delete_from_swap_cache(folio, swap, shadow)"),
      k("6.1", "include/linux/xarray.h", "1140-1156", "struct xa_node"),
    ],
    note: "every swapped-out entry keeps a workingset shadow in the swap cache until its slot is freed; the shadow-node shrinker (mm/workingset.c) can reclaim nodes that hold only shadows under memory pressure, which this row does not model",
  };
}

export function swapTable(tree: string, sources: Source[], drivenBy: EntryWeights = ALL_ENTRIES, name = "swap table", what = "struct swap_table: atomic_long_t[512] = one 4 KiB page per cluster in use"): Structure {
  return {
    id: "swap_table",
    name,
    what,
    layer: "physical",
    rule: { kind: "perChunkInUse", chunkSlots: 512, bytesPerChunk: 4096, allocator: PAGES, skipReserved: true },
    drivenBy,
    letter: LETTER.swapTable,
    replaces: ["swap_cache", "swap_address_space"],
    sources: [k(tree === "mm-dev" ? "mm-dev" : tree, "mm/swap_table.h", tree === "7.1" || tree === "6.19" ? "10-14" : undefined, "struct swap_table { atomic_long_t entries[SWAPFILE_CLUSTER]; }"), ...sources],
  };
}

export function zswapXarray(tree: "6.12" | "6.19" | "7.1", layer: "physical" | "virtual" = "physical"): Structure {
  return {
    id: "zswap_xa",
    name: "zswap xarray nodes",
    what: "xa_node (576 B per 64 slots) indexing zswap entries by swap offset",
    layer,
    rule: { kind: "xarray", treeSlots: 16384 },
    drivenBy: { zswap: 1 },
    letter: LETTER.zswapIndex,
    sources: [k(tree, "mm/zswap.c", tree === "6.12" ? "206-207" : tree === "6.19" ? "229-230" : "1654-1659", "xa_store(swap_zswap_tree(swp), offset, entry)"), NHAT_V3_LETTER],
    note: "the letters count ~8 B per zswap entry; the kernel takes 576-byte nodes per 64 slots (9 B/entry dense, far more when sparse)",
  };
}

export function zswapEntry(tree: "6.1" | "6.6" | "6.12" | "6.19" | "7.1", bytes: number, lines: string, sameFilled: boolean): Structure {
  return {
    id: "zswap_entry",
    name: "zswap_entry",
    what: `struct zswap_entry (${bytes} B) per zswap-stored page${sameFilled ? " (also for same-filled pages)" : ""}`,
    layer: "physical",
    rule: { kind: "perEntry", bytesPerEntry: bytes, allocator: { kind: "slab", cache: "zswap_entry", objectsPerSlab: Math.floor(4096 / bytes), slabBytes: 4096 } },
    drivenBy: sameFilled ? { zswap: 1, zero: 1 } : { zswap: 1 },
    letter: null,
    sources: [k(tree, "mm/zswap.c", lines, "struct zswap_entry"), derived(`order-0 slab holds floor(4096 / ${bytes}) = ${Math.floor(4096 / bytes)} objects`)],
    note: sameFilled ? "zero pages are stored as same-filled zswap entries (length 0, no pool object) when zswap is enabled" : undefined,
  };
}

export function zsHandle(tree: string, lines: string): Structure {
  return {
    id: "zs_handle",
    name: "zsmalloc handle",
    what: "8-byte zs_handle slab object per zsmalloc object",
    layer: "physical",
    rule: { kind: "perEntry", bytesPerEntry: 8, allocator: { kind: "slab", cache: "zs_handle", objectsPerSlab: 512, slabBytes: 4096 } },
    drivenBy: { zswap: 1 },
    when: { zpool: "zsmalloc" },
    letter: null,
    sources: [k(tree, "mm/zsmalloc.c", lines, "cache_alloc_handle(): kmem_cache_alloc(pool->handle_cachep)")],
    note: "the compressed payload itself is data, not metadata: it is modelled by the memcg model",
  };
}

/** zram's own per-page table (any design on a zram device). */
export const ZRAM_TABLE = {
  "6.1": { tree: "deb-6.1", bytes: 24, fields: "handle 8, flags 8, ac_time 8 (ZRAM_MEMORY_TRACKING)", lines: "59-68", alloc: "1197" },
  "6.12": { tree: "deb-6.12", bytes: 24, fields: "handle 8, u32 flags + spinlock 8, ac_time 8", lines: "64-74", alloc: "1345" },
  "7.2": { tree: "deb-7.2", bytes: 16, fields: "handle 8, u32 flags + u32 ac_time 8", lines: "80-91", alloc: "1993" },
} as const;

export function zramTable(v: keyof typeof ZRAM_TABLE, sinceNote?: string): Structure {
  const z = ZRAM_TABLE[v];
  return zramTableRaw(z.tree, z.bytes, z.fields, z.lines, z.alloc, sinceNote);
}

function zramTableRaw(tree: string, bytes: number, fields: string, lines: string, alloc: string, sinceNote?: string): Structure {
  return {
    id: "zram_table",
    name: "zram table",
    what: `struct zram_table_entry (${bytes} B: ${fields}) per page of the zram disk`,
    layer: "physical",
    rule: { kind: "perSlots", slotsPerElement: 1, elementBytes: bytes, allocator: VMALLOC },
    when: { devices: ["zram"] },
    letter: null,
    sources: [
      k(tree, "drivers/block/zram/zram_drv.h", lines, "struct zram_table_entry"),
      k(tree, "drivers/block/zram/zram_drv.c", alloc, "zram->table = vzalloc(array_size(num_pages, sizeof(*zram->table)))"),
      ...(sinceNote ? [derived(sinceNote)] : []),
    ],
    note: "zram's own table, allocated when disksize is set (before swapon); the same for every design on the same kernel",
  };
}
