/**
 * Mainline kernels as they allocate swap metadata: 6.1 (Debian 12), 6.6, 6.12, 6.19 (swap table
 * phases I+II) and 7.1 (swap_map gone, count in the swap table; ≈ phase III).
 */
import { derived, kCited as k, mail, type Source } from "../kernel/sources.js";
import { MAX_DEVICE_SLOTS_U32 } from "../kernel/constants.js";
import {
  ALL_ENTRIES,
  NHAT_V3_LETTER,
  clusterInfo,
  frontswapMap61,
  globalCluster,
  percpuClusterOld,
  reservedSwapTables,
  swapAddressSpaces,
  swapCacheXarray,
  swapCgroupPacked,
  swapCgroupPaged,
  swapExtent,
  swapMap,
  swapTable,
  zeromap,
  zramTable,
  zsHandle,
  zswapEntry,
  zswapTreeOld,
  zswapTreesXarray,
  zswapXarray,
} from "./catalog.js";
import type { Design, SlotLimit } from "./types.js";

export const PHYSICAL_LIMIT: SlotLimit = {
  slots: MAX_DEVICE_SLOTS_U32.value,
  what: "16 TiB per swap device (swap_header.info.last_page is a __u32)",
  sources: MAX_DEVICE_SLOTS_U32.sources,
};

const CHRIS_3_8 = mail(
  "https://lkml.iu.edu/hypermail/linux/kernel/2602.1/02140.html",
  "Chris Li",
  "2026-02-09",
  "The current swap overhead is 3 static +8 dynamic",
);

const MAINLINE_LETTER = {
  note: "the per-slot arrays the thread counts (swap_map 1 B, swap_cgroup 2 B, the 1-bit map) and, from 6.19, the swap table at 8 B per entry and the zswap index at 8 B per zswap entry",
  sources: [NHAT_V3_LETTER, CHRIS_3_8],
};

const PHYSICAL_DEVICES = ["ssd", "hdd", "zram"] as const;

function mainline(
  id: string,
  title: string,
  date: string,
  summary: string,
  sources: Source[],
  structures: Design["structures"],
  extra: Partial<Design> = {},
): Design {
  return {
    id,
    aliases: [],
    title,
    family: "mainline",
    author: "mainline",
    date,
    status: "mainline",
    summary,
    sources,
    devices: PHYSICAL_DEVICES,
    entryKinds: ["disk", "zswap", "zero", "cache"],
    layers: { physical: ALL_ENTRIES },
    defaultZpool: "zsmalloc",
    limits: { physical: PHYSICAL_LIMIT },
    structures,
    letterBasis: MAINLINE_LETTER,
    ...extra,
  };
}

export const LINUX_6_1: Design = mainline(
  "linux-6.1",
  "Linux 6.1 (Debian 12)",
  "2022-12-11",
  "swap_map + paged swap_cgroup + frontswap_map static; swap cache xarray per 64 MiB; zswap rb-tree with 64-byte entries (same-filled pages as zswap entries)",
  [k("6.1", "mm/swapfile.c", "2995", "SYSCALL_DEFINE2(swapon)")],
  [
    swapMap("6.1", "3083"),
    clusterInfo("6.1", 8, { structFile: "include/linux/swap.h", struct: "243-252", alloc: "3113-3115" }, "nonrot", "spinlock 4 + data:24/flags:8 4"),
    ...percpuClusterOld("6.1", 12, { next: "3100", percpu: "3125", struct: "262-265" }),
    swapCgroupPaged("6.1", "3140", { struct: "17-20", prepare: "39-63", swapon: "167-202" }),
    frontswapMap61(),
    swapAddressSpaces("6.1", "3187", "664-685"),
    zswapTreeOld("6.1", { struct: "203-206", alloc: "1428-1441" }),
    swapExtent("6.1"),
    zramTable("6.1"),
    swapCacheXarray("6.1"),
    zswapEntry("6.1", 64, "181-192", true),
    zsHandle("6.1", "312, 334"),
  ],
  {
    aliases: ["6.1", "debian-12"],
    defaultZpool: "zbud",
    notes: [
      "Debian 12's 6.1 defaults to zswap zpool zbud (no zs_handle objects); pass --zpool zsmalloc for the other pool",
      "zero-filled pages are stored as same-filled zswap entries when zswap is enabled (6.1 mm/zswap.c:1177-1187)",
    ],
  },
);

export const LINUX_6_6: Design = mainline(
  "linux-6.6",
  "Linux 6.6",
  "2023-10-30",
  "as 6.1 without frontswap; zswap_entry grows to 80 bytes (lru, swpentry)",
  [k("6.6", "mm/swapfile.c", undefined, "SYSCALL_DEFINE2(swapon)")],
  [
    swapMap("6.6", "3076"),
    clusterInfo("6.6", 8, { structFile: "include/linux/swap.h", struct: "250-259", alloc: "3108" }, "nonrot", "spinlock 4 + data:24/flags:8 4"),
    ...percpuClusterOld("6.6", 12, { next: "3093", percpu: "3118" }),
    swapCgroupPaged("6.6", "3133", {}),
    swapAddressSpaces("6.6", "3175", "679"),
    zswapTreeOld("6.6", { struct: "220-223", alloc: "1502-1515" }),
    swapExtent("6.6"),
    zramTable("6.1", "6.6 keeps the 24-byte entry of 6.1 (inferred)"),
    swapCacheXarray("6.6"),
    zswapEntry("6.6", 80, "201-213", true),
    zsHandle("6.12", "302, 329"),
  ],
  { aliases: ["6.6"] },
);

export const LINUX_6_12: Design = mainline(
  "linux-6.12",
  "Linux 6.12",
  "2024-11-17",
  "zeromap replaces same-filled zswap entries; cluster_info grows to 24 B (SSD only); zswap indexed by xarrays per 64 MiB",
  [k("6.12", "mm/swapfile.c", "3371", "SYSCALL_DEFINE2(swapon)")],
  [
    swapMap("6.12", "3460"),
    clusterInfo("6.12", 24, { structFile: "include/linux/swap.h", struct: "249-259", alloc: "3279-3289" }, "nonrot", "spinlock 4 + count u16 2 + flags u8 1 + order u8 1 + list_head 16"),
    ...percpuClusterOld("6.12", 40, { next: "3296", percpu: "3305", struct: "273-286" }),
    swapCgroupPaged("6.12", "3466", { struct: "39", prepare: "39", swapon: "169-178" }),
    zeromap("6.12", "3481"),
    swapAddressSpaces("6.12", "3539", "716"),
    zswapTreesXarray("6.12", "3543", "1602-1620"),
    swapExtent("6.12"),
    zramTable("6.12"),
    swapCacheXarray("6.12"),
    zswapXarray("6.12"),
    zswapEntry("6.12", 56, "196-204", false),
    zsHandle("6.12", "302, 329"),
  ],
  { aliases: ["6.12"] },
);

const P1_LETTER = mail(
  "https://lore.kernel.org/all/20250910160833.3464-1-ryncsn@gmail.com/",
  "Kairui Song",
  "2025-09-11",
  "swap table phase I: the swap table replaces the swap cache",
);

const swapTable619 = swapTable("6.19", [
  k("6.19", "mm/swapfile.c", "436-447", "swap_table_alloc(): one page (SWP_TABLE_USE_PAGE)"),
  k("6.19", "mm/swapfile.c", "489-544", "swap_cluster_alloc_table() when a free cluster is isolated (:621)"),
  k("6.19", "mm/swapfile.c", "579-582", "__free_cluster() → swap_cluster_free_table()"),
  P1_LETTER,
]);

export const LINUX_6_19: Design = mainline(
  "linux-6.19",
  "Linux 6.19 (swap table phases I+II)",
  "2026-02-08",
  "the swap table (one 4 KiB page per cluster in use) replaces the swap cache; swap_cgroup packed; cluster_info 32 B on every device",
  [k("6.19", "mm/swapfile.c", "3392", "SYSCALL_DEFINE2(swapon)"), P1_LETTER],
  [
    swapMap("6.19", "3502"),
    swapCgroupPacked("6.19", "3508", { struct: "14-16", alloc: "140" }),
    zeromap("6.19", "3520"),
    clusterInfo("6.19", 32, { structFile: "mm/swap.h", struct: "30-41", alloc: "3314-3323" }, "all", "spinlock 4 + count u16 2 + flags u8 1 + order u8 1 + list_head 16 + table pointer 8"),
    globalCluster("6.19", "3331"),
    reservedSwapTables("6.19", "757-777"),
    zswapTreesXarray("6.19", "3578", "1674-1692"),
    swapExtent("6.19"),
    zramTable("6.12", "6.19 keeps the 24-byte entry of 6.12 (inferred)"),
    swapTable619,
    zswapXarray("6.19"),
    zswapEntry("6.19", 56, "190-198", false),
    zsHandle("6.19", "407"),
  ],
  { aliases: ["6.19", "swap-table-p2", "swap-table-p1p2"] },
);

const P3_LETTER = mail(
  "https://lore.kernel.org/all/CAMgjq7AQNGK-a=AOgvn4-V+zGO21QMbMTVbrYSW_R2oDSLoC+A@mail.gmail.com/",
  "Kairui Song",
  "2026-02-11",
  "posted P3 uses 10 bytes (8 bytes dyn and 2 bytes static)",
);

export const LINUX_7_1: Design = mainline(
  "linux-7.1",
  "Linux 7.1 (≈ swap table phase III: swap_map removed)",
  "2026-06",
  "the swap count moves into the swap table, so swap_map is gone; swap_cgroup (2 B/slot) and zeromap stay static; cluster_info 40 B",
  [k("7.1", "mm/swapfile.c", "3433", "SYSCALL_DEFINE2(swapon)"), P3_LETTER],
  [
    swapCgroupPacked("7.1", "3542", { struct: "14-16", alloc: "14-16" }),
    zeromap("7.1", "3550"),
    clusterInfo("7.1", 40, { structFile: "mm/swap.h", struct: "30-42", alloc: "3353" }, "all", "6.19's 32 B + extend_table pointer 8"),
    globalCluster("7.1"),
    reservedSwapTables("7.1", "765"),
    zswapTreesXarray("7.1", "3601", "1654-1659"),
    swapExtent("7.1"),
    zramTable("7.2", "the 16-byte packed entry (posted Dec 2025) is assumed in 7.1 as in 7.2 (inferred)"),
    swapTable("7.1", [
      k("7.1", "mm/swap_table.h", "73", "swap count (4 bits) lives in the table entry"),
      k("7.1", "mm/swapfile.c", "414, 474, 491, 583", "table alloc/free as in 6.19"),
      P3_LETTER,
    ], ALL_ENTRIES, "swap table (with swap count)"),
    zswapXarray("7.1"),
    zswapEntry("7.1", 56, "190-198", false),
    zsHandle("6.19", "407"),
  ],
  {
    aliases: ["7.1", "swap-table-p3"],
    notes: [
      "a cluster with a slot whose swap count reaches 15 (SWP_TB_COUNT_MAX) also gets a 2 KiB extend_table (7.1 mm/swapfile.c:1445-1460); fork-heavy workloads only, not modelled by the usage inputs",
    ],
  },
);

/** For derived-note reuse by other families. */
export const MAINLINE_NOTE_SOURCES: readonly Source[] = [derived("mainline inventories: kernel trees in src/kernel/sources.ts")];
