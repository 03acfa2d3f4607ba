/**
 * The zswap pool allocators as they size compressed objects: zsmalloc size classes and zspage
 * chains, zbud's two buddies per page. What zswap charges to a cgroup is `entry->length` (the
 * compressor's output); what the pool really takes is decided here, from the allocators' own
 * constants and algorithms (each cited). Pure functions, plain records.
 *
 * zsmalloc: `zs_malloc(size)` adds an 8-byte handle (`size += ZS_HANDLE_SIZE`) and rounds up to a
 * size class: 32 B, then every 16 B (PAGE_SIZE >> CLASS_BITS) up to 4096. Each class packs its
 * objects into zspages of 1..N pages (N = 4 in 6.1, CONFIG_ZSMALLOC_CHAIN_SIZE = 8 from 6.3), and
 * neighbouring classes with the same (pages per zspage, objects per zspage) are merged into the
 * larger one. Classes whose zspage is one page holding one object are "huge": every object there
 * takes a whole page. Besides the pages, each object has an 8-byte `zs_handle` slab object and
 * each zspage a 56-byte `struct zspage` slab object, none of them charged to any cgroup.
 *
 * zbud (6.1 default in Debian 12; removed in 6.15): a page is cut into 64-byte chunks, the first
 * holding the zbud header, and holds at most two objects (first and last buddy) whose chunks
 * together fit the 63 left; allocations above 4096 - 64 - 64 = 3968 bytes are refused. 6.1's
 * zswap prepends an 8-byte `struct zswap_header` to every object in an evictable pool (zbud).
 */
import { SwapcostInputError } from "../errors.js";
import { derived, k, mail, type Source } from "../kernel/sources.js";

export type ZpoolKind = "zsmalloc" | "zbud";
export const ZPOOL_KINDS: readonly ZpoolKind[] = ["zsmalloc", "zbud"];

const PAGE_BYTES = 4096;

/** How a kernel picks the pages per zspage of a class. */
export type ChainRule =
  /** 6.1 get_pages_per_zspage(): the chain (1..N pages) with the highest integer used-percent. */
  | "max-used-percent"
  /** 6.3+ calculate_zspage_chain_size(): the chain with the least waste; 1 page for power-of-two sizes. */
  | "min-waste";

export interface ZsmallocProfile {
  readonly kind: "zsmalloc";
  /** Which kernel's zsmalloc (a KERNEL_TREES label). */
  readonly tree: string;
  /** ZS_MAX_PAGES_PER_ZSPAGE: 4 in 6.1 (1 << ZS_MAX_ZSPAGE_ORDER), CONFIG_ZSMALLOC_CHAIN_SIZE (8) from 6.3. */
  readonly maxPagesPerZspage: number;
  readonly chainRule: ChainRule;
  /** ZS_MIN_ALLOC_SIZE = MAX(32, …) = 32 on x86_64. */
  readonly minAllocBytes: number;
  /** ZS_SIZE_CLASS_DELTA = PAGE_SIZE >> CLASS_BITS = 16. */
  readonly classDeltaBytes: number;
  /** ZS_MAX_ALLOC_SIZE = PAGE_SIZE: larger requests are refused. */
  readonly maxAllocBytes: number;
  /** ZS_HANDLE_SIZE = sizeof(unsigned long): added to every object before the class lookup. */
  readonly handleBytes: number;
  /** sizeof(struct zspage) = 56 (bitfields 4, inuse 4, freeobj 4, pad 4, first page 8, list 16, pool 8, lock 8). */
  readonly zspageStructBytes: number;
  /** Debugfs counter a too-large request increments: 6.1 zs_malloc returns -EINVAL (alloc_fail), 6.12+ -ENOSPC (compress_poor). */
  readonly oversizeReject: "reject_alloc_fail" | "reject_compress_poor";
  readonly sources: readonly Source[];
}

export interface ZbudProfile {
  readonly kind: "zbud";
  readonly tree: string;
  /** CHUNK_SIZE = 1 << (PAGE_SHIFT - NCHUNKS_ORDER) = 64. */
  readonly chunkBytes: number;
  /** ZHDR_SIZE_ALIGNED = CHUNK_SIZE: the zbud header takes the first chunk. */
  readonly headerBytes: number;
  /** NCHUNKS = (PAGE_SIZE - ZHDR_SIZE_ALIGNED) >> CHUNK_SHIFT = 63 chunks for both buddies. */
  readonly chunksPerPage: number;
  /** Largest allocation: PAGE_SIZE - ZHDR_SIZE_ALIGNED - CHUNK_SIZE = 3968 (-ENOSPC above). */
  readonly maxAllocBytes: number;
  /** 6.1 zswap prepends struct zswap_header (8 B) in evictable pools; 0 once swpentry moved into zswap_entry. */
  readonly zswapHeaderBytes: number;
  readonly sources: readonly Source[];
}

export type ZpoolProfile = ZsmallocProfile | ZbudProfile;

const ZS_COMMON = { minAllocBytes: 32, classDeltaBytes: 16, maxAllocBytes: PAGE_BYTES, handleBytes: 8, zspageStructBytes: 56 } as const;

export const ZSMALLOC_6_1: ZsmallocProfile = {
  kind: "zsmalloc",
  tree: "deb-6.1",
  maxPagesPerZspage: 4,
  chainRule: "max-used-percent",
  ...ZS_COMMON,
  oversizeReject: "reject_alloc_fail",
  sources: [
    k("deb-6.1", "mm/zsmalloc.c", "80-83", "ZS_MAX_ZSPAGE_ORDER 2; ZS_MAX_PAGES_PER_ZSPAGE; ZS_HANDLE_SIZE"),
    k("deb-6.1", "mm/zsmalloc.c", "127-147", "ZS_MIN_ALLOC_SIZE, ZS_MAX_ALLOC_SIZE, ZS_SIZE_CLASS_DELTA, ZS_SIZE_CLASSES"),
    k("deb-6.1", "mm/zsmalloc.c", "523-532", "get_size_class_index()"),
    k("deb-6.1", "mm/zsmalloc.c", "777-798", "get_pages_per_zspage(): highest used percent"),
    k("deb-6.1", "mm/zsmalloc.c", "1193-1201", "can_merge()"),
    k("deb-6.1", "mm/zsmalloc.c", "1397-1412", "zs_malloc(): -EINVAL above ZS_MAX_ALLOC_SIZE; size += ZS_HANDLE_SIZE"),
    k("deb-6.1", "mm/zsmalloc.c", "2222-2270", "zs_create_pool(): classes from the largest down, huge_class_size, merging"),
    k("deb-6.1", "mm/zsmalloc.c", "251-267", "struct zspage"),
    k("deb-6.1", "mm/zsmalloc.c", "311-316", "zs_handle and zspage kmem caches (no SLAB_ACCOUNT)"),
  ],
};

export const ZSMALLOC_6_12: ZsmallocProfile = {
  kind: "zsmalloc",
  tree: "deb-6.12",
  maxPagesPerZspage: 8,
  chainRule: "min-waste",
  ...ZS_COMMON,
  oversizeReject: "reject_compress_poor",
  sources: [
    k("deb-6.12", "mm/zsmalloc.c", "124", "ZS_MAX_PAGES_PER_ZSPAGE = CONFIG_ZSMALLOC_CHAIN_SIZE"),
    k("deb-6.12", "mm/Kconfig", "221-224", "ZSMALLOC_CHAIN_SIZE default 8 (Debian's 6.12.95 config: 8)"),
    k("deb-6.12", "mm/zsmalloc.c", "127-146", "ZS_MIN_ALLOC_SIZE, ZS_MAX_ALLOC_SIZE, ZS_SIZE_CLASS_DELTA"),
    k("deb-6.12", "mm/zsmalloc.c", "507-516", "get_size_class_index()"),
    k("deb-6.12", "mm/zsmalloc.c", "2096-2115", "calculate_zspage_chain_size(): least waste, 1 page for powers of two"),
    k("deb-6.12", "mm/zsmalloc.c", "1124-1132", "can_merge()"),
    k("deb-6.12", "mm/zsmalloc.c", "1354-1372", "zs_malloc(): -ENOSPC above ZS_MAX_ALLOC_SIZE; size += ZS_HANDLE_SIZE"),
    k("deb-6.12", "mm/zsmalloc.c", "2152-2200", "zs_create_pool(): classes from the largest down, merging"),
    k("deb-6.12", "mm/zsmalloc.c", "246-259", "struct zspage"),
  ],
};

export const ZSMALLOC_7_2: ZsmallocProfile = {
  kind: "zsmalloc",
  tree: "deb-7.2",
  maxPagesPerZspage: 8,
  chainRule: "min-waste",
  ...ZS_COMMON,
  oversizeReject: "reject_compress_poor",
  sources: [
    k("deb-7.2", "mm/zsmalloc.c", "99-120", "ZS_MAX_PAGES_PER_ZSPAGE, ZS_MIN_ALLOC_SIZE, ZS_MAX_ALLOC_SIZE, ZS_SIZE_CLASS_DELTA"),
    k("deb-7.2", "mm/Kconfig", "144-147", "ZSMALLOC_CHAIN_SIZE default 8"),
    k("deb-7.2", "mm/zsmalloc.c", "481-484", "lookup_size_class(): get_size_class_index(size + ZS_HANDLE_SIZE)"),
    k("deb-7.2", "mm/zsmalloc.c", "2043-2062", "calculate_zspage_chain_size()"),
    k("deb-7.2", "mm/zsmalloc.c", "994-1002", "can_merge()"),
    k("deb-7.2", "mm/zsmalloc.c", "2096-2145", "zs_create_pool(): classes from the largest down, merging"),
    k("deb-7.2", "mm/zsmalloc.c", "255-274", "struct zspage_lock (spinlock 4 + cnt 4), struct zspage"),
    k("deb-7.2", "mm/zsmalloc.c", "2228-2230", "zs_handle and zspage kmem caches (no SLAB_ACCOUNT)"),
  ],
};

const ZBUD_COMMON = { chunkBytes: 64, headerBytes: 64, chunksPerPage: 63, maxAllocBytes: PAGE_BYTES - 64 - 64 } as const;

export const ZBUD_6_1: ZbudProfile = {
  kind: "zbud",
  tree: "deb-6.1",
  ...ZBUD_COMMON,
  zswapHeaderBytes: 8,
  sources: [
    k("deb-6.1", "mm/zbud.c", "68-73", "NCHUNKS_ORDER 6, CHUNK_SIZE 64, ZHDR_SIZE_ALIGNED, NCHUNKS 63"),
    k("deb-6.1", "mm/zbud.c", "144-150", "size_to_chunks(), for_each_unbuddied_list()"),
    k("deb-6.1", "mm/zbud.c", "200-208", "num_free_chunks() = NCHUNKS - first_chunks - last_chunks"),
    k("deb-6.1", "mm/zbud.c", "268-331", "zbud_alloc(): -ENOSPC above PAGE_SIZE - ZHDR_SIZE_ALIGNED - CHUNK_SIZE; best-fitting unbuddied page, else a new page"),
    k("deb-6.1", "mm/zswap.c", "194-196", "struct zswap_header { swp_entry_t swpentry; }"),
    k("deb-6.1", "mm/zswap.c", "1235", "hlen = zpool_evictable(pool) ? sizeof(zhdr) : 0 (zbud has .shrink: evictable)"),
  ],
};

export const ZBUD_6_12: ZbudProfile = {
  kind: "zbud",
  tree: "deb-6.12",
  ...ZBUD_COMMON,
  zswapHeaderBytes: 0,
  sources: [
    k("deb-6.12", "mm/zbud.c", "68-73", "NCHUNKS_ORDER 6, CHUNK_SIZE 64, ZHDR_SIZE_ALIGNED, NCHUNKS 63"),
    k("deb-6.12", "mm/zbud.c", "127-133", "size_to_chunks(), for_each_unbuddied_list()"),
    k("deb-6.12", "mm/zbud.c", "181-189", "num_free_chunks()"),
    k("deb-6.12", "mm/zbud.c", "246-256", "zbud_alloc(): -ENOSPC above 3968 bytes"),
    k("deb-6.12", "mm/zswap.c", "979", "zpool_malloc(zpool, dlen, …): no zswap_header since swpentry lives in zswap_entry"),
  ],
};

/** zbud left the tree in 6.15 (zsmalloc is the only zswap allocator after that). */
export const ZBUD_REMOVED: Source = mail(
  "https://lore.kernel.org/all/20250829162212.208258-2-hannes@cmpxchg.org/",
  "Johannes Weiner",
  "2025-08-29",
  "since zbud and z3fold were removed in 6.15, zsmalloc has been the only option available",
);

// ---------------------------------------------------------------------------------------------
// zsmalloc size classes

export interface ZsClass {
  /** Class index (0..254) the request maps to before merging. */
  readonly index: number;
  /** Object size of the (possibly merged) class serving it. */
  readonly sizeBytes: number;
  readonly pagesPerZspage: number;
  readonly objsPerZspage: number;
  /** One page holding one object. */
  readonly huge: boolean;
}

export interface ZsClassTable {
  /** Effective class for each of the 255 class indices (merged classes point at the larger one). */
  readonly byIndex: readonly ZsClass[];
  /** Largest class size that is not huge: requests (length + handle) above it take a whole page. */
  readonly largestNonHugeBytes: number;
  /** huge_class_size as zsmalloc computes it (largestNonHugeBytes - (ZS_HANDLE_SIZE - 1)). */
  readonly hugeClassSizeBytes: number;
  /** Distinct classes after merging. */
  readonly distinctClasses: number;
}

function pagesPerZspage(p: ZsmallocProfile, size: number): number {
  if (p.chainRule === "min-waste") {
    if ((size & (size - 1)) === 0) return 1;
    let minWaste = Number.MAX_SAFE_INTEGER;
    let chain = 1;
    for (let i = 1; i <= p.maxPagesPerZspage; i++) {
      const waste = (i * PAGE_BYTES) % size;
      if (waste < minWaste) {
        minWaste = waste;
        chain = i;
      }
    }
    return chain;
  }
  let maxUsed = 0;
  let order = 1;
  for (let i = 1; i <= p.maxPagesPerZspage; i++) {
    const zspage = i * PAGE_BYTES;
    const waste = zspage % size;
    const used = Math.floor(((zspage - waste) * 100) / zspage);
    if (used > maxUsed) {
      maxUsed = used;
      order = i;
    }
  }
  return order;
}

const tableCache = new Map<string, ZsClassTable>();

/** The pool's classes as zs_create_pool() builds them (largest first, merging equal neighbours). */
export function zsmallocClasses(p: ZsmallocProfile): ZsClassTable {
  const key = `${p.maxPagesPerZspage}/${p.chainRule}/${p.minAllocBytes}/${p.classDeltaBytes}`;
  const hit = tableCache.get(key);
  if (hit) return hit;
  const count = Math.ceil((p.maxAllocBytes - p.minAllocBytes) / p.classDeltaBytes) + 1;
  const byIndex: ZsClass[] = new Array(count);
  let prev: ZsClass | undefined;
  let largestNonHuge = 0;
  let distinct = 0;
  for (let i = count - 1; i >= 0; i--) {
    const size = Math.min(p.maxAllocBytes, p.minAllocBytes + i * p.classDeltaBytes);
    const ppz = pagesPerZspage(p, size);
    const objs = Math.floor((ppz * PAGE_BYTES) / size);
    if (ppz !== 1 && objs !== 1 && largestNonHuge === 0) largestNonHuge = size;
    if (prev && prev.pagesPerZspage === ppz && prev.objsPerZspage === objs) {
      byIndex[i] = { ...prev, index: i };
      continue;
    }
    prev = { index: i, sizeBytes: size, pagesPerZspage: ppz, objsPerZspage: objs, huge: ppz === 1 && objs === 1 };
    byIndex[i] = prev;
    distinct++;
  }
  const t: ZsClassTable = { byIndex, largestNonHugeBytes: largestNonHuge, hugeClassSizeBytes: largestNonHuge - (p.handleBytes - 1), distinctClasses: distinct };
  tableCache.set(key, t);
  return t;
}

/** The class serving a zswap object of `lengthBytes` (the handle is added before the lookup). */
export function zsmallocClassFor(p: ZsmallocProfile, lengthBytes: number): ZsClass {
  const size = lengthBytes + p.handleBytes;
  const t = zsmallocClasses(p);
  let idx = 0;
  if (size > p.minAllocBytes) idx = Math.ceil((size - p.minAllocBytes) / p.classDeltaBytes);
  return t.byIndex[Math.min(t.byIndex.length - 1, idx)];
}

// ---------------------------------------------------------------------------------------------
// Storing one object

export type ZpoolReject = "reject_compress_poor" | "reject_alloc_fail";

/** A string discriminant (tslab's non-strict TypeScript does not narrow on boolean literals). */
export type ZpoolStore =
  | { readonly outcome: "stored"; readonly allocBytes: number }
  | { readonly outcome: "rejected"; readonly reason: ZpoolReject };

/** Whether the pool takes a zswap payload of `lengthBytes` and how many bytes it asks the allocator for. */
export function zpoolStore(p: ZpoolProfile, lengthBytes: number): ZpoolStore {
  if (!Number.isSafeInteger(lengthBytes) || lengthBytes <= 0) throw new SwapcostInputError("compressed length", lengthBytes, "a whole number of bytes above 0");
  if (p.kind === "zsmalloc") {
    if (lengthBytes > p.maxAllocBytes) return { outcome: "rejected", reason: p.oversizeReject };
    return { outcome: "stored", allocBytes: lengthBytes };
  }
  const alloc = lengthBytes + p.zswapHeaderBytes;
  if (alloc > p.maxAllocBytes) return { outcome: "rejected", reason: "reject_compress_poor" };
  return { outcome: "stored", allocBytes: alloc };
}

// ---------------------------------------------------------------------------------------------
// Pool footprint

/** Stored objects by payload length (bytes → count). */
export type LengthCounts = ReadonlyMap<number, number>;

export interface PoolFootprint {
  readonly zpool: ZpoolKind;
  readonly objects: number;
  /** Pages the pool took from the page allocator (zsmalloc: whole zspages; zbud: buddy pages). */
  readonly pages: number;
  readonly poolBytes: number;
  /** zsmalloc only: zspages, and the slab memory of their struct zspage and of the handles. */
  readonly zspages: number;
  readonly zspageStructBytes: number;
  readonly handleBytes: number;
  /** Sum of payload lengths (what zswap charges). */
  readonly payloadBytes: number;
  /** zbud simulated on a prefix of the objects and scaled (more than ZBUD_SIMULATION_LIMIT objects). */
  readonly extrapolated: boolean;
  /** Pool bytes per object by payload length (amortised: its share of its class's zspages, or of the zbud pages). */
  readonly bytesPerObject: ReadonlyMap<number, number>;
  readonly sources: readonly Source[];
}

/** Slab memory of `count` objects of `objectBytes` in order-0 slabs (no SLUB debug padding). */
export function slabBytes(objectBytes: number, count: number): number {
  if (count <= 0) return 0;
  const perSlab = Math.floor(PAGE_BYTES / objectBytes);
  return Math.ceil(count / perSlab) * PAGE_BYTES;
}

const SLAB_NOTE = derived("objects packed into full order-0 slabs: ceil(n / floor(4096 / size)) pages");

export function zsmallocFootprint(p: ZsmallocProfile, counts: LengthCounts): PoolFootprint {
  const perClass = new Map<number, { cls: ZsClass; n: number }>();
  let objects = 0;
  let payload = 0;
  for (const [len, n] of counts) {
    if (n <= 0) continue;
    const cls = zsmallocClassFor(p, len);
    const e = perClass.get(cls.sizeBytes) ?? { cls, n: 0 };
    e.n += n;
    perClass.set(cls.sizeBytes, e);
    objects += n;
    payload += len * n;
  }
  let pages = 0;
  let zspages = 0;
  const classBytesPerObject = new Map<number, number>();
  for (const [size, { cls, n }] of perClass) {
    const z = Math.ceil(n / cls.objsPerZspage);
    zspages += z;
    pages += z * cls.pagesPerZspage;
    classBytesPerObject.set(size, (z * cls.pagesPerZspage * PAGE_BYTES) / n);
  }
  const bytesPerObject = new Map<number, number>();
  for (const len of counts.keys()) bytesPerObject.set(len, classBytesPerObject.get(zsmallocClassFor(p, len).sizeBytes) ?? 0);
  return {
    zpool: "zsmalloc",
    objects,
    pages,
    poolBytes: pages * PAGE_BYTES,
    zspages,
    zspageStructBytes: slabBytes(p.zspageStructBytes, zspages),
    handleBytes: slabBytes(p.handleBytes, objects),
    payloadBytes: payload,
    extrapolated: false,
    bytesPerObject,
    sources: [...p.sources, derived("zspages per class = ceil(objects / objs_per_zspage), full zspages except the last (no frees, no compaction)"), SLAB_NOTE],
  };
}

/** zbud pairing is simulated object by object up to this many objects, then scaled. */
export const ZBUD_SIMULATION_LIMIT = 1 << 20;

/**
 * Objects of a histogram in a deterministic interleaved order, so that every prefix holds each
 * length within one object of its proportional share. Tijdeman's rule for the chairman assignment
 * problem (R. Tijdeman, "The chairman assignment problem", Discrete Math. 32 (1980) 323-330): with
 * n lengths and shares r, at step t emit, among the lengths whose lag t*r - emitted is at least
 * 1/(2n-2), the one with the earliest deadline (emitted + 1 - 1/(2n-2)) / r; every prefix then
 * deviates by at most 1 - 1/(2n-2) < 1 (ties: the smaller length).
 */
export function interleave(counts: LengthCounts, limit: number): number[] {
  const bins = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = bins.reduce((s, [, n]) => s + n, 0);
  const take = Math.min(total, limit);
  const emitted = bins.map(() => 0);
  const out: number[] = new Array(take);
  const slack = bins.length > 1 ? 1 / (2 * bins.length - 2) : 0;
  for (let t = 0; t < take; t++) {
    let best = -1;
    let bestDeadline = Infinity;
    for (let b = 0; b < bins.length; b++) {
      if (emitted[b] >= bins[b][1]) continue;
      const rate = bins[b][1] / total;
      const lag = (t + 1) * rate - emitted[b];
      if (lag < slack - 1e-12) continue;
      const deadline = (emitted[b] + 1 - slack) / rate;
      if (deadline < bestDeadline - 1e-12) {
        bestDeadline = deadline;
        best = b;
      }
    }
    if (best < 0) {
      // Unreachable by Tijdeman's theorem; fall back to the most lagging length rather than fail.
      let lagMax = -Infinity;
      for (let b = 0; b < bins.length; b++) {
        if (emitted[b] >= bins[b][1]) continue;
        const lag = ((t + 1) * bins[b][1]) / total - emitted[b];
        if (lag > lagMax) {
          lagMax = lag;
          best = b;
        }
      }
    }
    emitted[best]++;
    out[t] = bins[best][0];
  }
  return out;
}

export function zbudFootprint(p: ZbudProfile, counts: LengthCounts): PoolFootprint {
  let objects = 0;
  let payload = 0;
  for (const [len, n] of counts) {
    if (n <= 0) continue;
    objects += n;
    payload += len * n;
  }
  const seq = interleave(counts, ZBUD_SIMULATION_LIMIT);
  // unbuddied[i] = pages with exactly i free chunks and one buddy in use.
  const unbuddied = new Array<number>(p.chunksPerPage).fill(0);
  let simPages = 0;
  for (const len of seq) {
    const chunks = Math.ceil((len + p.zswapHeaderBytes) / p.chunkBytes);
    let found = -1;
    for (let i = chunks; i < p.chunksPerPage; i++) {
      if (unbuddied[i] > 0) {
        found = i;
        break;
      }
    }
    if (found >= 0) unbuddied[found]--;
    else {
      simPages++;
      unbuddied[p.chunksPerPage - chunks]++;
    }
  }
  const extrapolated = seq.length < objects;
  const pages = extrapolated ? Math.ceil((simPages * objects) / seq.length) : simPages;
  const per = objects > 0 ? (pages * PAGE_BYTES) / objects : 0;
  const bytesPerObject = new Map<number, number>();
  for (const len of counts.keys()) bytesPerObject.set(len, per);
  return {
    zpool: "zbud",
    objects,
    pages,
    poolBytes: pages * PAGE_BYTES,
    zspages: 0,
    zspageStructBytes: 0,
    handleBytes: 0,
    payloadBytes: payload,
    extrapolated,
    bytesPerObject,
    sources: [
      ...p.sources,
      derived(
        `objects stored in an interleaved order, each paired with the unbuddied page of the fewest sufficient free chunks as zbud_alloc() does (no frees)${extrapolated ? `; the first ${ZBUD_SIMULATION_LIMIT} objects simulated and the page count scaled` : ""}`,
      ),
    ],
  };
}

export function poolFootprint(p: ZpoolProfile, counts: LengthCounts): PoolFootprint {
  return p.kind === "zsmalloc" ? zsmallocFootprint(p, counts) : zbudFootprint(p, counts);
}
