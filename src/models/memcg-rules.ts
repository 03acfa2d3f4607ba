/**
 * How each design charges swapped-out anonymous memory to cgroup v2 counters, as a table of
 * rules per design id. Every rule carries its value, what it rests on (`code` read in a kernel
 * tree of KERNEL_TREES, a design's `letter`, or an `assumption` where no code or letter says) and
 * its sources. The memcg model (./memcg.ts) only interprets these rules; a reviewer who disagrees
 * with a rule changes one entry here and every number follows.
 *
 * Two layers of rules:
 * - the kernel a design is built on (zero pages, zswap.max, the writeback knob, incompressible
 *   pages, pool allocators): `KERNEL_BEHAVIOUR`;
 * - what the design changes about charging (`memory.swap` per slot at allocation, or only for
 *   physical slots; where a rejected page goes): the per-design table `MEMCG_RULES`.
 */
import { SwapcostInputError } from "../errors.js";
import type { Design } from "../designs/types.js";
import { derived, k, mail, type Source } from "../kernel/sources.js";
import { ZBUD_6_1, ZBUD_6_12, ZBUD_REMOVED, ZSMALLOC_6_1, ZSMALLOC_6_12, ZSMALLOC_7_2, type ZbudProfile, type ZpoolKind, type ZsmallocProfile } from "./zpool.js";

/** What a rule rests on. */
export type Basis = "code" | "letter" | "assumption";

export interface Rule<T> {
  readonly value: T;
  readonly basis: Basis;
  readonly sources: readonly Source[];
  readonly note?: string;
}

function rule<T>(value: T, basis: Basis, sources: readonly Source[], note?: string): Rule<T> {
  return note ? { value, basis, sources, note } : { value, basis, sources };
}

/** Which swapped-out pages hold a slot charged to memory.swap. */
export type SwapChargePolicy =
  /** Every page that gets a swap entry is charged one slot when the entry is allocated, before zswap (mainline). */
  | "every-entry-at-allocation"
  /** Only entries backed by a slot on a physical swap device are charged, when that slot is allocated (vswap). */
  | "physical-slots-only";

/** What a zero-filled page becomes. */
export type ZeroPagePolicy =
  /** A zswap entry with length 0 and no pool object (6.1/6.6 same-filled pages), if zswap takes it. */
  | "zswap-same-filled-entry"
  /** A bit next to its (charged) slot, no zswap entry, whether zswap is on or not (6.12 zeromap, P4 zero flag). */
  | "zero-bit"
  /** A descriptor / virtual-table type, no physical slot (vswap). */
  | "virtual-zero";

/** What a same-filled page with a non-zero value becomes. */
export type SameFilledPolicy = "zswap-same-filled-entry" | "compressed";

/** What zswap does when memory.zswap.max of the cgroup or an ancestor is reached. */
export type ZswapMaxPolicy =
  /** Reject the store (6.1, 6.6). */
  | "reject"
  /**
   * shrink_memcg() first: one entry from the head of the page's memcg LRU is examined; a referenced
   * entry is only rotated (second chance) and the store rejected, an unreferenced one is written
   * back and the store goes ahead (6.8+). With writeback off or no entries: reject.
   */
  | "writeback-lru-head-then-store";

/** What zswap does with a page that does not compress below PAGE_SIZE. */
export type IncompressiblePolicy =
  /** The pool refuses it (zsmalloc above PAGE_SIZE, zbud above 3968 bytes): the page goes on to disk. */
  | "reject"
  /** Stored as-is (entry->length = PAGE_SIZE) unless memory.zswap.writeback is 0, then rejected (6.18+). */
  | "store-as-is-unless-writeback-off";

/** Where a page zswap rejected goes when writeback is allowed. */
export type FallbackPolicy = "disk" | "stay-resident";

/** Charge taken when data moves to a physical slot after the entry exists (zswap writeback, fallback). */
export type DiskChargePolicy =
  /** The slot was reserved and charged at allocation (mainline). */
  | "already-charged"
  /** A physical slot is allocated and charged then; at memory.swap.max the move fails (vswap). */
  | "charge-physical-slot"
  /** The page keeps its charged upper-layer slot; the physical slot is a reverse map, not charged again. */
  | "not-charged-again";

export interface KernelBehaviour {
  /** KERNEL_TREES label the behaviour was read in (or the nearest one). */
  readonly tree: string;
  readonly zeroPages: Rule<"zswap-same-filled-entry" | "zero-bit">;
  readonly sameFilledPages: Rule<SameFilledPolicy>;
  readonly zswapMax: Rule<ZswapMaxPolicy>;
  /** memory.zswap.writeback exists (6.8+). */
  readonly writebackKnob: Rule<boolean>;
  readonly incompressible: Rule<IncompressiblePolicy>;
  /**
   * How a page whose compressor output exceeds PAGE_SIZE is refused (the acomp request's output
   * length is PAGE_SIZE): the compression call fails. 6.1 counts it nowhere; 6.12 in
   * reject_compress_fail.
   */
  readonly compressFailCounter: Rule<"compression failed (not counted)" | "reject_compress_fail">;
  /** Pool allocators the kernel offers and the Debian default. */
  readonly zpools: Rule<{ readonly available: readonly ZpoolKind[]; readonly defaultZpool: ZpoolKind }>;
  readonly zsmalloc: ZsmallocProfile;
  readonly zbud?: ZbudProfile;
  /** folio_alloc_swap() → mem_cgroup_try_charge_swap(): charge per slot, hierarchical, before zswap. */
  readonly slotCharge: Rule<"at-allocation">;
  /** can_reclaim_anon_pages(): anon LRUs are scanned only while mem_cgroup_get_nr_swap_pages(memcg) > 0. */
  readonly anonScanNeedsSwapRoom: Rule<boolean>;
  /** obj_cgroup_charge_zswap(objcg, entry->length): memory.current and memory.zswap.current. */
  readonly zswapCharge: Rule<"compressed-length">;
  /** obj_cgroup_may_zswap(): for every ancestor with a finite zswap.max, stores stop when zswap bytes / PAGE_SIZE ≥ max. */
  readonly zswapMaxCheck: Rule<"pages-of-bytes-below-max">;
  /** vmscan's activate_locked: a page kept in memory frees its swap slot only when swap is "full". */
  readonly activatedSlot: Rule<"kept-unless-swap-full">;
  /** memcg_memory_event(): swap events count on the cgroup and every ancestor. */
  readonly events: Rule<"hierarchical">;
}

// ---------------------------------------------------------------------------------------------
// Kernel behaviour by base kernel

const SJ_AS_IS = mail(
  "https://lore.kernel.org/all/20250815213020.89327-1-sj@kernel.org/",
  "SeongJae Park",
  "2025-08-15",
  "mm/zswap: store <PAGE_SIZE compression failed page as-is",
  "applied by Andrew Morton in August 2025, so in 6.18 and every later kernel",
);

const K61_SLOT = [
  k("deb-6.1", "mm/swap_slots.c", "302-350", "folio_alloc_swap(): slot first, then mem_cgroup_try_charge_swap(); on failure put_swap_folio()"),
  k("deb-6.1", "mm/memcontrol.c", "7439-7476", "__mem_cgroup_try_charge_swap(): page_counter_try_charge(&memcg->swap, nr); failure → MEMCG_SWAP_MAX + MEMCG_SWAP_FAIL, -ENOMEM"),
  k("deb-6.1", "mm/page_counter.c", "97-130", "page_counter_try_charge(): charges every ancestor, fails at the first over its max"),
];

const K61: KernelBehaviour = {
  tree: "deb-6.1",
  zeroPages: rule("zswap-same-filled-entry", "code", [
    k("deb-6.1", "mm/zswap.c", "129", "zswap_same_filled_pages_enabled = true"),
    k("deb-6.1", "mm/zswap.c", "1177-1187", "same-filled page: entry->length = 0, no pool object"),
    k("deb-6.1", "mm/page_io.c", "200-206", "swap_writepage(): frontswap_store() first, else __swap_writepage() to disk"),
  ], "only if zswap is enabled and the cgroup may use zswap; otherwise the page is written to disk"),
  sameFilledPages: rule("zswap-same-filled-entry", "code", [k("deb-6.1", "mm/zswap.c", "1177-1187", "zswap_is_page_same_filled(): any repeated word, zero or not")]),
  zswapMax: rule("reject", "code", [k("deb-6.1", "mm/zswap.c", "1149-1152", "obj_cgroup_may_zswap() false → -ENOMEM, reject")]),
  writebackKnob: rule(false, "code", [k("deb-6.1", "mm/memcontrol.c", "7809-7822", "zswap_files[]: zswap.current and zswap.max only")]),
  incompressible: rule("reject", "code", [
    k("deb-6.1", "mm/zswap.c", "1213-1232", "acomp_request_set_params(…, PAGE_SIZE, dlen = PAGE_SIZE): a compression that does not fit fails → -EINVAL, no counter"),
    k("deb-6.1", "mm/zswap.c", "1235-1245", "zpool_malloc(hlen + dlen): -ENOSPC → reject_compress_poor, other errors → reject_alloc_fail"),
    k("deb-6.1", "mm/zbud.c", "278-279", "zbud_alloc(): -ENOSPC above 3968 bytes"),
  ]),
  compressFailCounter: rule("compression failed (not counted)", "code", [k("deb-6.1", "mm/zswap.c", "1226-1232", "if (ret) { ret = -EINVAL; goto put_dstmem; }: no debugfs counter")]),
  zpools: rule({ available: ["zbud", "zsmalloc"], defaultZpool: "zbud" }, "code", [
    k("deb-6.1", "mm/Kconfig", "151-163", "ZSWAP_ZPOOL_DEFAULT, ZBUD"),
    derived("Debian 12's config-6.1.0-56-amd64: CONFIG_ZSWAP_ZPOOL_DEFAULT=\"zbud\", CONFIG_ZBUD=y, CONFIG_ZSMALLOC=m"),
  ]),
  zsmalloc: ZSMALLOC_6_1,
  zbud: ZBUD_6_1,
  slotCharge: rule("at-allocation", "code", K61_SLOT),
  anonScanNeedsSwapRoom: rule(true, "code", [
    k("deb-6.1", "mm/vmscan.c", "552-566", "can_reclaim_anon_pages(): mem_cgroup_get_nr_swap_pages(memcg) > 0"),
    k("deb-6.1", "mm/memcontrol.c", "7509-7520", "mem_cgroup_get_nr_swap_pages(): min over ancestors of swap.max - swap usage"),
  ], "proactive MADV_PAGEOUT goes straight to shrink_folio_list() and does try every page (and counts the failures)"),
  zswapCharge: rule("compressed-length", "code", [
    k("deb-6.1", "mm/zswap.c", "1262", "obj_cgroup_charge_zswap(objcg, entry->length): the payload without zswap_header"),
    k("deb-6.1", "mm/memcontrol.c", "7736-7754", "obj_cgroup_charge_zswap(): obj_cgroup_charge() (memory.current) + MEMCG_ZSWAP_B + MEMCG_ZSWAPPED"),
  ]),
  zswapMaxCheck: rule("pages-of-bytes-below-max", "code", [
    k("deb-6.1", "mm/memcontrol.c", "7696-7727", "obj_cgroup_may_zswap(): max 0 refuses; MEMCG_ZSWAP_B / PAGE_SIZE < max to store"),
    k("deb-6.1", "mm/page_counter.c", "246-262", "page_counter_memparse(): limits are kept in whole pages (bytes / PAGE_SIZE)"),
  ]),
  activatedSlot: rule("kept-unless-swap-full", "code", [k("deb-6.1", "mm/vmscan.c", "2070-2074", "activate_locked: folio_free_swap() only if mem_cgroup_swap_full()")]),
  events: rule("hierarchical", "code", [k("deb-6.1", "include/linux/memcontrol.h", "1102-1125", "memcg_memory_event(): memory_events[] of the cgroup and each ancestor")]),
};

const K66: KernelBehaviour = {
  ...K61,
  tree: "6.6",
  zswapMax: rule("reject", "code", [k("6.6", "mm/zswap.c", "1245-1246", "obj_cgroup_may_zswap() false → reject")]),
  writebackKnob: rule(false, "assumption", [derived("memory.zswap.writeback was added in 6.8: absent from 6.1's zswap_files[] (deb-6.1 mm/memcontrol.c:7809-7822), present in 6.12's (deb-6.12 mm/memcontrol.c:5441); 6.6 not read")]),
  zpools: rule({ available: ["zbud", "zsmalloc"], defaultZpool: "zsmalloc" }, "assumption", [derived("zbud and zsmalloc both present; zsmalloc assumed as the default pool (as Debian's 6.12)")]),
  zsmalloc: { ...ZSMALLOC_6_12, tree: "6.6", sources: [...ZSMALLOC_6_12.sources, derived("CONFIG_ZSMALLOC_CHAIN_SIZE and calculate_zspage_chain_size() exist since 6.3; 6.12's code is used for 6.6")] },
  zbud: { ...ZBUD_6_12, tree: "6.6", sources: [...ZBUD_6_12.sources, k("6.6", "mm/zswap.c", "201-213", "struct zswap_entry holds swpentry: no zswap_header in the pool object")] },
};

const K612: KernelBehaviour = {
  tree: "deb-6.12",
  zeroPages: rule("zero-bit", "code", [
    k("deb-6.12", "mm/page_io.c", "262-278", "swap_writepage(): is_folio_zero_filled() → swap_zeromap_folio_set(), no zswap, no I/O"),
  ], "the page keeps its charged slot; this happens whether zswap is enabled or not"),
  sameFilledPages: rule("compressed", "code", [k("deb-6.12", "mm/zswap.c", "1456-1540", "zswap_store(): no same-filled path; every non-zero page is compressed")]),
  zswapMax: rule("writeback-lru-head-then-store", "code", [
    k("deb-6.12", "mm/zswap.c", "1476-1484", "zswap_store(): !obj_cgroup_may_zswap() → shrink_memcg(memcg), reject if it fails"),
    k("deb-6.12", "mm/zswap.c", "1339-1363", "shrink_memcg(): -ENOENT if writeback is off or nothing scanned; walks one LRU entry; 0 only if it wrote one back"),
    k("deb-6.12", "mm/zswap.c", "1148-1166", "shrink_memcg_cb(): a referenced entry is only rotated (second chance)"),
    k("deb-6.12", "mm/zswap.c", "1515", "zswap_store(): entry->referenced = true"),
  ]),
  writebackKnob: rule(true, "code", [
    k("deb-6.12", "mm/memcontrol.c", "5358-5368", "mem_cgroup_zswap_writeback_enabled(): every ancestor must allow it; always true when zswap is off"),
    k("deb-6.12", "mm/page_io.c", "283-285", "zswap_store() failed and writeback off → AOP_WRITEPAGE_ACTIVATE: the page stays in memory"),
  ]),
  incompressible: rule("reject", "code", [
    k("deb-6.12", "mm/zswap.c", "955-996", "zswap_compress(): output length PAGE_SIZE; a failed compression → reject_compress_fail, -ENOSPC → reject_compress_poor"),
    k("deb-6.12", "mm/zsmalloc.c", "1363-1364", "zs_malloc(): -ENOSPC above ZS_MAX_ALLOC_SIZE"),
  ]),
  compressFailCounter: rule("reject_compress_fail", "assumption", [k("deb-6.12", "mm/zswap.c", "990-995", "comp_ret == -ENOSPC → reject_compress_poor, other errors → reject_compress_fail")], "which error the compressor returns for an output above PAGE_SIZE is not read here; 6.1's lab run shows the compression failing"),
  zpools: rule({ available: ["zbud", "zsmalloc"], defaultZpool: "zsmalloc" }, "code", [
    k("deb-6.12", "mm/Kconfig", "165-173", "ZSWAP_ZPOOL_DEFAULT, ZBUD"),
    derived("Debian's config-6.12.95+deb12-amd64: CONFIG_ZSWAP_ZPOOL_DEFAULT=\"zsmalloc\", CONFIG_ZBUD=y, CONFIG_ZSMALLOC_CHAIN_SIZE=8"),
  ]),
  zsmalloc: ZSMALLOC_6_12,
  zbud: ZBUD_6_12,
  slotCharge: rule("at-allocation", "code", [
    k("deb-6.12", "mm/swap_slots.c", "305-352", "folio_alloc_swap(): slot first, then mem_cgroup_try_charge_swap()"),
    k("deb-6.12", "mm/memcontrol.c", "5020-5060", "__mem_cgroup_try_charge_swap(): MEMCG_SWAP_MAX + MEMCG_SWAP_FAIL on failure"),
    k("deb-6.12", "mm/page_counter.c", "118-150", "page_counter_try_charge(): hierarchical"),
  ]),
  anonScanNeedsSwapRoom: rule(true, "code", [
    k("deb-6.12", "mm/vmscan.c", "338-358", "can_reclaim_anon_pages(): mem_cgroup_get_nr_swap_pages(memcg) > 0"),
    k("deb-6.12", "mm/memcontrol.c", "5087-5098", "mem_cgroup_get_nr_swap_pages()"),
  ], "proactive MADV_PAGEOUT goes straight to shrink_folio_list() and does try every page (and counts the failures)"),
  zswapCharge: rule("compressed-length", "code", [
    k("deb-6.12", "mm/zswap.c", "1533-1536", "obj_cgroup_charge_zswap(objcg, entry->length)"),
    k("deb-6.12", "mm/memcontrol.c", "5315-5333", "obj_cgroup_charge_zswap(): memory.current + MEMCG_ZSWAP_B + MEMCG_ZSWAPPED"),
  ]),
  zswapMaxCheck: rule("pages-of-bytes-below-max", "code", [k("deb-6.12", "mm/memcontrol.c", "5271-5306", "obj_cgroup_may_zswap()")]),
  activatedSlot: rule("kept-unless-swap-full", "code", [k("deb-6.12", "mm/vmscan.c", "1518-1522", "activate_locked: folio_free_swap() only if mem_cgroup_swap_full()")]),
  events: rule("hierarchical", "code", [k("deb-6.12", "include/linux/memcontrol.h", "1055-1078", "memcg_memory_event()")]),
};

/** 6.19 and 7.1: 6.12's charging with 6.18's as-is store and zsmalloc as the only pool. */
const K619: KernelBehaviour = {
  ...K612,
  tree: "6.19",
  incompressible: rule("store-as-is-unless-writeback-off", "code", [
    SJ_AS_IS,
    k("deb-7.2", "mm/zswap.c", "877-895", "zswap_compress(): dlen >= PAGE_SIZE → store the page as-is (length PAGE_SIZE) unless writeback is off"),
  ], "read in 7.2; the patch is in every kernel from 6.18"),
  zpools: rule({ available: ["zsmalloc"], defaultZpool: "zsmalloc" }, "code", [ZBUD_REMOVED, k("deb-7.2", "mm/zswap.c", "900", "zswap_compress(): zs_malloc() directly (no zpool layer, no zbud)")]),
  zsmalloc: { ...ZSMALLOC_7_2, tree: "6.19" },
  zbud: undefined,
  slotCharge: rule("at-allocation", "code", [
    k("6.19", "mm/swapfile.c", "1420-1470", "folio_alloc_swap(): slot first, then mem_cgroup_try_charge_swap() (:1460)"),
    k("6.19", "mm/memcontrol.c", "5184-5222", "__mem_cgroup_try_charge_swap()"),
    k("deb-7.2", "mm/swapfile.c", "1734-1772", "the same order in 7.2"),
  ]),
  anonScanNeedsSwapRoom: rule(true, "code", [k("deb-7.2", "mm/vmscan.c", "337-352", "can_reclaim_anon_pages(): mem_cgroup_get_nr_swap_pages(memcg) > 0 (unchanged from 6.12)")], "proactive MADV_PAGEOUT goes straight to shrink_folio_list() and does try every page (and counts the failures)"),
};

const K72: KernelBehaviour = {
  ...K619,
  tree: "deb-7.2",
  zeroPages: rule("zero-bit", "code", [
    k("deb-7.2", "mm/page_io.c", "273-279", "swap_writeout(): zero-filled → zero flag in the swap table entry"),
    k("deb-7.2", "mm/swap_table.h", "71-79", "SWP_TB_ZERO_FLAG"),
  ]),
  sameFilledPages: rule("compressed", "code", [k("deb-7.2", "mm/zswap.c", "1477-1560", "zswap_store(): no same-filled path")]),
  zswapMax: rule("writeback-lru-head-then-store", "code", [
    k("deb-7.2", "mm/zswap.c", "1494-1500", "zswap_store(): !obj_cgroup_may_zswap() → shrink_memcg(), reject if it fails"),
    k("deb-7.2", "mm/zswap.c", "1278-1303", "shrink_memcg(): 0 only if an entry was written back, else -EAGAIN / -ENOENT"),
    k("deb-7.2", "mm/zswap.c", "1462", "entry->referenced = true at store"),
  ]),
  writebackKnob: rule(true, "code", [k("deb-7.2", "mm/page_io.c", "291-294", "writeback off → AOP_WRITEPAGE_ACTIVATE")]),
  incompressible: rule("store-as-is-unless-writeback-off", "code", [k("deb-7.2", "mm/zswap.c", "877-895", "dlen >= PAGE_SIZE → as-is, or rejected when writeback is off"), SJ_AS_IS]),
  zsmalloc: ZSMALLOC_7_2,
  slotCharge: rule("at-allocation", "code", [
    k("deb-7.2", "mm/swapfile.c", "1734-1772", "folio_alloc_swap(): slot first, then mem_cgroup_try_charge_swap(folio)"),
  ]),
  anonScanNeedsSwapRoom: rule(true, "code", [k("deb-7.2", "mm/vmscan.c", "337-352", "can_reclaim_anon_pages(): mem_cgroup_get_nr_swap_pages(memcg) > 0")]),
  zswapCharge: rule("compressed-length", "code", [k("deb-7.2", "mm/zswap.c", "1443", "obj_cgroup_charge_zswap(objcg, entry->length)")]),
};

/** vswap RFCs (6.14 base): 6.12's zswap (zbud still present until 6.15). */
const K614: KernelBehaviour = {
  ...K612,
  tree: "deb-6.12",
  zpools: rule({ available: ["zbud", "zsmalloc"], defaultZpool: "zsmalloc" }, "assumption", [derived("the RFCs are based on 6.14: zbud still in the tree (removed in 6.15), zswap as 6.12"), ZBUD_REMOVED]),
};

const K71: KernelBehaviour = {
  ...K619,
  tree: "7.1",
  slotCharge: rule("at-allocation", "code", [
    k("7.1", "mm/swapfile.c", "1696-1734", "folio_alloc_swap(): slot first, then mem_cgroup_try_charge_swap() (:1734)"),
    k("7.1", "mm/memcontrol.c", "5483", "__mem_cgroup_try_charge_swap()"),
    k("deb-7.2", "mm/swapfile.c", "1734-1772", "the same order in 7.2"),
  ]),
};

export const KERNEL_BEHAVIOUR: Readonly<Record<string, KernelBehaviour>> = { "6.1": K61, "6.6": K66, "6.12": K612, "6.14": K614, "6.19": K619, "7.1": K71, "7.2": K72 };

// ---------------------------------------------------------------------------------------------
// Design charging rules

export interface MemcgRules {
  readonly design: string;
  /** Base kernel whose zswap/zpool behaviour applies (a KERNEL_BEHAVIOUR key). */
  readonly kernel: string;
  readonly behaviour: KernelBehaviour;
  readonly swapCharge: Rule<SwapChargePolicy>;
  /** Layer whose slots are charged: the physical device, or the virtual device/file/tier the PTE points at. */
  readonly chargedLayer: Rule<"physical" | "virtual">;
  readonly anonScanNeedsSwapRoom: Rule<boolean>;
  readonly zeroPages: Rule<ZeroPagePolicy>;
  readonly sameFilledPages: Rule<SameFilledPolicy>;
  readonly zswapMax: Rule<ZswapMaxPolicy>;
  readonly writebackKnob: Rule<boolean>;
  readonly incompressible: Rule<IncompressiblePolicy>;
  /** Where a page zswap rejects goes when writeback is allowed. */
  readonly rejectedFallback: Rule<FallbackPolicy>;
  readonly diskCharge: Rule<DiskChargePolicy>;
  /** A page kept in memory after zswap rejected it (writeback off) keeps a charged slot (mainline) or only a virtual one. */
  readonly residentAfterReject: Rule<"charged-slot-kept-unless-swap-full" | "virtual-slot-uncharged">;
}

const NHAT_V3 = mail(
  "https://lore.kernel.org/all/20260208215839.87595-1-nphamcs@gmail.com/",
  "Nhat Pham",
  "2026-02-08",
  "we no longer have to create a swapfile or set memory.swap.max if we want to use zswap",
  "patch \"memcg: swap: only charge physical swap slots\" (in RFC v1 through v6)",
);
const NHAT_RFC_V1 = mail("https://lore.kernel.org/all/20250407234223.1059191-1-nphamcs@gmail.com/", "Nhat Pham", "2025-04-07", "memcg: swap: only charge physical swap slots");
const STE = mail(
  "https://lore.kernel.org/all/20260528212955.1912856-1-nphamcs@gmail.com/",
  "Nhat Pham",
  "2026-05-28",
  "Virtual swap slots not backed by physical swap are not charged to memcg swap counters -- only physical backing is charged",
  "patch 4/5 \"mm, swap: only charge physical swap entries\"",
);
const VS_CODE = [
  k("vswap", "mm/vswap.c", "349-363", "folio_alloc_swap(): memcgid = mem_cgroup_get_swap_memcgid(folio), no memory.swap charge"),
  k("vswap", "mm/vswap.c", "300-317", "__vswap_alloc_from_cluster(): desc->memcgid = memcgid, desc->type = VSWAP_FOLIO"),
  k("vswap", "mm/vswap.c", undefined, "vswap_alloc_swap_slot(): swap_slot_alloc() then mem_cgroup_try_charge_swap(memcg, nr); on failure the physical slot is freed"),
  k("vswap", "mm/vswap.c", undefined, "release_backing(): \"On cgroup v2, memcg->swap is only charged … when we allocate a swapfile slot\"; uncharges nr_swapfile only"),
];
const KAIRUI_ZERO = mail(
  "https://lore.kernel.org/all/CAKEwX=P4syV38jAVCWq198r2OHXXc=xA-fx1dk6+qYef6yzxWQ@mail.gmail.com/",
  "Nhat Pham (quoting Kairui Song)",
  "2026-03-23",
  "these are not the same resource domains",
  "Kairui: with zero pages under vswap the cgroup swap accounting is \"somehow broken\"; Nhat: intentional",
);
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
const GHOST_RFC = mail(
  "https://lore.kernel.org/all/20251121-ghost-v1-1-cfc0efcf3855@kernel.org/",
  "Chris Li",
  "2025-11-21",
  "the swapfile only contains the swapfile header … there is no swap data section",
);
const CHRIS_REDIRECT = mail("https://lkml.iu.edu/hypermail/linux/kernel/2602.1/02140.html", "Chris Li", "2026-02-09", "8 dynamic + 4(optional redirect)");

function mainlineRules(design: string, kernel: string): MemcgRules {
  const b = KERNEL_BEHAVIOUR[kernel];
  return {
    design,
    kernel,
    behaviour: b,
    swapCharge: rule("every-entry-at-allocation", "code", b.slotCharge.sources),
    chargedLayer: rule("physical", "code", b.slotCharge.sources),
    anonScanNeedsSwapRoom: b.anonScanNeedsSwapRoom,
    zeroPages: b.zeroPages,
    sameFilledPages: b.sameFilledPages,
    zswapMax: b.zswapMax,
    writebackKnob: b.writebackKnob,
    incompressible: b.incompressible,
    rejectedFallback: rule(
      "disk",
      "code",
      b.tree === "deb-6.1" || b.tree === "6.6"
        ? [k("deb-6.1", "mm/page_io.c", "200-206", "frontswap_store() failed → __swap_writepage()")]
        : b.tree === "deb-6.12"
          ? [k("deb-6.12", "mm/page_io.c", "279-289", "zswap_store() failed, writeback allowed → __swap_writepage()")]
          : [k("deb-7.2", "mm/page_io.c", "285-298", "swap_writeout(): zswap_store() failed, writeback allowed → __swap_writepage()")],
    ),
    diskCharge: rule("already-charged", "code", b.slotCharge.sources, "the slot was allocated and charged before zswap was tried"),
    residentAfterReject: rule("charged-slot-kept-unless-swap-full", "code", b.activatedSlot.sources),
  };
}

function vswapRules(design: string, kernel: string, cover: Source): MemcgRules {
  const b = KERNEL_BEHAVIOUR[kernel];
  const charge = kernel === "7.2" ? [STE, cover] : [NHAT_V3, cover, ...VS_CODE];
  return {
    design,
    kernel,
    behaviour: b,
    swapCharge: rule("physical-slots-only", kernel === "7.2" ? "letter" : "code", charge, "zswap-only and zero pages take no memory.swap"),
    chargedLayer: rule("physical", kernel === "7.2" ? "letter" : "code", charge),
    anonScanNeedsSwapRoom: rule(false, "letter", [NHAT_V3], "memory.swap.max limits disk slots only, so reclaim keeps sending anon to zswap at memory.swap.max (not checked in the series' vmscan.c)"),
    zeroPages: rule("virtual-zero", kernel === "7.2" ? "letter" : "code", kernel === "7.2" ? [STE, KAIRUI_ZERO] : [k("vswap", "mm/vswap.c", undefined, "swap_zeromap_folio_set(): desc->type = VSWAP_ZERO, release_backing()"), KAIRUI_ZERO]),
    sameFilledPages: b.sameFilledPages,
    zswapMax: b.zswapMax,
    writebackKnob: b.writebackKnob,
    incompressible: b.incompressible,
    rejectedFallback: rule("disk", kernel === "7.2" ? "letter" : "code", kernel === "7.2" ? [STE] : [k("vswap", "mm/vswap.c", undefined, "vswap_alloc_swap_slot() case 1: fallback from zswap store failure")]),
    diskCharge: rule("charge-physical-slot", kernel === "7.2" ? "letter" : "code", charge, "zswap writeback and rejected pages get (and are charged) a physical slot only when written out"),
    residentAfterReject: rule("virtual-slot-uncharged", kernel === "7.2" ? "letter" : "code", kernel === "7.2" ? [STE] : [k("vswap", "mm/vswap.c", "69-74", "backing state 4, an in-memory folio (VSWAP_FOLIO): pages rejected by zswap with zswap.writeback = 0 stay in the swap cache, no physical slot"), k("vswap", "mm/vswap.c", "78-83", "enum swap_type")]),
  };
}

/** Ghost designs: the PTE holds a slot of the ghost device / file / upper tier, charged as any slot. */
function ghostRules(design: string, kernel: string, letter: Source[], basis: Basis, opts: { disk: boolean }): MemcgRules {
  const base = mainlineRules(design, kernel);
  return {
    ...base,
    swapCharge: rule("every-entry-at-allocation", basis, [...letter, ...base.swapCharge.sources], "the ghost slot is a swap slot allocated by folio_alloc_swap(), charged before zswap like any slot"),
    chargedLayer: rule("virtual", basis, letter),
    rejectedFallback: opts.disk
      ? rule("disk", basis, letter, "a physical slot is allocated for the data and the ghost slot keeps a reverse entry")
      : rule("stay-resident", "letter", [GHOST_RFC], "no data section: a page zswap rejects cannot be written anywhere"),
    diskCharge: opts.disk
      ? rule("not-charged-again", "assumption", [...letter, P4_RFC_P15], "the memcg id lives with the upper (ghost) entry; the physical slot is a reverse map, not a second memory.swap charge")
      : rule("already-charged", "letter", [GHOST_RFC]),
  };
}

const RULE_BUILDERS: Readonly<Record<string, () => MemcgRules>> = {
  "linux-6.1": () => mainlineRules("linux-6.1", "6.1"),
  "linux-6.6": () => mainlineRules("linux-6.6", "6.6"),
  "linux-6.12": () => mainlineRules("linux-6.12", "6.12"),
  "linux-6.19": () => mainlineRules("linux-6.19", "6.19"),
  "linux-7.1": () => mainlineRules("linux-7.1", "7.1"),
  "swap-tiers": () => mainlineRules("swap-tiers", "7.1"),
  "swap-table-p4": () => mainlineRules("swap-table-p4", "7.2"),
  "swap-table-p4-rfc": () => ({ ...mainlineRules("swap-table-p4-rfc", "7.2"), swapCharge: rule("every-entry-at-allocation", "letter", [P4_RFC, k("deb-7.2", "mm/swapfile.c", "1734-1772", "folio_alloc_swap() charges the slot (as merged in 7.2)")]) }),
  "ghost-p4": () => ghostRules("ghost-p4", "7.2", [P4_RFC, P4_RFC_P15], "letter", { disk: true }),
  "ghost-swapfile": () => ghostRules("ghost-swapfile", "6.19", [GHOST_RFC], "letter", { disk: false }),
  redirect: () => ghostRules("redirect", "7.2", [CHRIS_REDIRECT, GHOST_RFC], "assumption", { disk: true }),
  "vswap-rfc-v1": () => vswapRules("vswap-rfc-v1", "6.14", NHAT_RFC_V1),
  "vswap-rfc-v2": () => vswapRules("vswap-rfc-v2", "6.14", mail("https://lore.kernel.org/all/20250429233848.3093350-1-nphamcs@gmail.com/", "Nhat Pham", "2025-04-29", "memcg: swap: only charge physical swap slots")),
  "vswap-v3": () => vswapRules("vswap-v3", "6.19", NHAT_V3),
  "vswap-v4": () => vswapRules("vswap-v4", "6.19", NHAT_V3),
  "vswap-v5": () => vswapRules("vswap-v5", "6.19", mail("https://lkml.iu.edu/2604.2/08220.html", "Kairui Song (quoting Nhat Pham's v5 00/21)", "2026-04-21", "Re: [PATCH v5 00/21] Virtual Swap Space")),
  "vswap-v6": () => vswapRules("vswap-v6", "6.19", mail("https://lore.kernel.org/all/20260505153854.1612033-1-nphamcs@gmail.com/", "Nhat Pham", "2026-05-05", "memcg: swap: only charge physical swap slots")),
  "vswap-ste-v1": () => vswapRules("vswap-ste-v1", "7.2", STE),
  "vswap-ste-v2": () => vswapRules("vswap-ste-v2", "7.2", mail("https://lore.kernel.org/all/20260612193738.2183968-1-nphamcs@gmail.com/", "Nhat Pham", "2026-06-12", "only physical backing is charged")),
};

/** Design ids with charging rules. */
export function memcgRuleIds(): string[] {
  return Object.keys(RULE_BUILDERS);
}

/** The charging rules of a design (by id; parameterised designs by their base id). */
export function memcgRulesFor(design: Design | string): MemcgRules {
  const id = typeof design === "string" ? design : design.id;
  const b = RULE_BUILDERS[id];
  if (!b) throw new SwapcostInputError("design", id, `one of ${memcgRuleIds().join(", ")} (designs with memcg charging rules)`, "no memcg charging rules for this design");
  return b();
}

/** A rule's value as plain text: `zbud, zsmalloc (default zbud)` for the pools, `key value; …` for other records. */
export function ruleValueText(v: unknown): string {
  if (Array.isArray(v)) return v.map(ruleValueText).join(", ");
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("available" in o && "defaultZpool" in o) return `${ruleValueText(o.available)} (default ${ruleValueText(o.defaultZpool)})`;
    return Object.entries(o).map(([k, x]) => `${k} ${ruleValueText(x)}`).join("; ");
  }
  return String(v);
}

/** Every rule of a rule set as rows (name, value, basis, sources) for tables and tests. */
export function ruleRows(r: MemcgRules): Array<{ readonly rule: string; readonly value: string; readonly basis: Basis; readonly sources: readonly Source[]; readonly note?: string }> {
  const named: Array<[string, Rule<unknown>]> = [
    ["swap charge", r.swapCharge],
    ["charged layer", r.chargedLayer],
    ["anon scan needs swap room", r.anonScanNeedsSwapRoom],
    ["zero-filled pages", r.zeroPages],
    ["same-filled pages", r.sameFilledPages],
    ["zswap charge", r.behaviour.zswapCharge],
    ["zswap.max check", r.behaviour.zswapMaxCheck],
    ["at zswap.max", r.zswapMax],
    ["memory.zswap.writeback", r.writebackKnob],
    ["incompressible pages", r.incompressible],
    ["zswap reject, writeback on", r.rejectedFallback],
    ["disk slot charge", r.diskCharge],
    ["kept after reject", r.residentAfterReject],
    ["zpools", r.behaviour.zpools],
    ["events", r.behaviour.events],
  ];
  return named.map(([name, x]) => ({
    rule: name,
    value: ruleValueText(x.value),
    basis: x.basis,
    sources: x.sources,
    note: x.note,
  }));
}
