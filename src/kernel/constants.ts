/**
 * Kernel constants the models depend on, each with its provenance. x86_64, 4 KiB pages,
 * CONFIG_THP_SWAP=y (so a swap cluster is HPAGE_PMD_NR = 512 slots).
 */
import { derived, kCited as k, type Source } from "./sources.js";

export interface Constant {
  readonly value: number;
  readonly name: string;
  readonly sources: readonly Source[];
}

function c(name: string, value: number, ...sources: Source[]): Constant {
  return { name, value, sources };
}

export const PAGE_SIZE = c("PAGE_SIZE", 4096, k("6.1", "arch/x86/include/asm/page_types.h", undefined, "PAGE_SHIFT 12"));

/** Slots per swap cluster: SWAPFILE_CLUSTER = HPAGE_PMD_NR with CONFIG_THP_SWAP. */
export const SWAPFILE_CLUSTER = c(
  "SWAPFILE_CLUSTER",
  512,
  k("6.1", "mm/swapfile.c", undefined, "#define SWAPFILE_CLUSTER HPAGE_PMD_NR"),
  derived("HPAGE_PMD_NR = 1 << (PMD_SHIFT - PAGE_SHIFT) = 2 MiB / 4 KiB = 512 on x86_64"),
);

/** Slots per swap address space (swap cache xarray / zswap xarray): 1 << SWAP_ADDRESS_SPACE_SHIFT. */
export const SWAP_ADDRESS_SPACE_PAGES = c(
  "SWAP_ADDRESS_SPACE_PAGES",
  16384,
  k("6.1", "mm/swap.h", "25", "SWAP_ADDRESS_SPACE_SHIFT 14"),
  k("6.12", "mm/zswap.c", "206-207", "ZSWAP_ADDRESS_SPACE_SHIFT"),
);

/** swap_cgroup ids per page in the 6.1-6.12 page-per-2048-slots scheme: PAGE_SIZE / sizeof(struct swap_cgroup). */
export const SC_PER_PAGE = c("SC_PER_PAGE", 2048, k("6.1", "mm/swap_cgroup.c", "17-20"));

/** Slots per xarray node: XA_CHUNK_SIZE = 1 << XA_CHUNK_SHIFT (6 when !CONFIG_BASE_SMALL). */
export const XA_CHUNK_SIZE = c("XA_CHUNK_SIZE", 64, k("6.1", "include/linux/xarray.h", "1126", "XA_CHUNK_SHIFT"));

/**
 * sizeof(struct xa_node): shift, offset, count, nr_values (4 × u8), parent, array (2 × 8),
 * list_head / rcu_head (16), slots[64] (512), marks[3][1] (24) = 576 bytes.
 */
export const XA_NODE_BYTES = c(
  "sizeof(struct xa_node)",
  576,
  k("6.1", "include/linux/xarray.h", "1140-1156", "struct xa_node"),
  derived("4 + 4 (pad) + 8 + 8 + 16 + 64*8 + 3*8 = 576"),
);

/**
 * The `radix_tree_node` slab that holds xa_nodes. The cache has a constructor, so SLUB keeps the
 * free pointer outside the object: 584-byte slab objects. calculate_order() picks 14 per order-1
 * slab (≤ 3 CPUs), 28 per order-2 (4-63 CPUs) or 56 per order-3 (≥ 64 CPUs): the same 585.1 bytes
 * per node when slabs are full, whichever applies.
 */
export const XA_NODE_SLAB = {
  objectBytes: 584,
  objectsPerSlab: 28,
  slabBytes: 16384,
  sources: [
    k("deb-6.1", "lib/radix-tree.c", "1599-1602", "kmem_cache_create(\"radix_tree_node\", …, SLAB_PANIC | SLAB_RECLAIM_ACCOUNT, radix_tree_node_ctor)"),
    k("deb-6.1", "mm/slub.c", "4238-4246", "a cache with a constructor stores the free pointer after the object"),
    k("deb-6.12", "mm/slub.c", "5129-5181", "calculate_order()"),
    derived("16384 / floor(16384 / 584) = 585.1 bytes per node"),
  ],
} as const;

/** Maximum slots of one physical swap device: union swap_header.info.last_page is a __u32. */
export const MAX_DEVICE_SLOTS_U32 = c(
  "swap_header.info.last_page (u32)",
  2 ** 32,
  k("6.1", "include/linux/swap.h", undefined, "union swap_header { … struct { … __u32 last_page; … } info; }"),
  derived("maxpages = last_page + 1 ≤ 2^32 slots = 16 TiB with 4 KiB pages"),
);
