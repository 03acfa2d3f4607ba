/**
 * How the kernel's allocators turn a request into memory actually taken from the system. The
 * overhead model charges a structure what its allocator really takes (page rounding, kmalloc size
 * classes, vmalloc's page-pointer array), because that is what MemFree shows after swapon.
 *
 * Assumptions (stated in every inventory that uses them): SLUB; kvmalloc's physically contiguous
 * first attempt succeeds up to the largest buddy order (true on a machine that is not badly
 * fragmented: the first attempt uses __GFP_NORETRY and falls back to vmalloc on failure);
 * vmalloc's own bookkeeping (vm_struct, vmap_area, ~130 bytes) and the kernel page tables that map
 * the vmalloc area (8 bytes per mapped page, usually already present) are not charged.
 */
import { derived, kCited as k, type Source } from "./sources.js";

export type Allocator =
  /** Nominal bytes, no rounding: the letters' arithmetic, or sizes that are already exact. */
  | { readonly kind: "exact" }
  /** Whole pages from the buddy allocator (alloc_page loops, swap table pages). */
  | { readonly kind: "pages" }
  /** vmalloc / vzalloc / vcalloc: page-rounded, plus the area's page-pointer array. */
  | { readonly kind: "vmalloc" }
  /** kvmalloc / kvcalloc / kvmalloc_array: kmalloc first (size classes, power-of-two pages), vmalloc fallback. */
  | { readonly kind: "kvmalloc" }
  /** kmalloc / kzalloc: SLUB size classes up to 8 KiB, power-of-two pages above. */
  | { readonly kind: "kmalloc" }
  /** A dedicated kmem_cache with `objectsPerSlab` objects in slabs of `slabBytes`, slabs full. */
  | { readonly kind: "slab"; readonly cache: string; readonly objectsPerSlab: number; readonly slabBytes: number }
  /** alloc_percpu: one copy per possible CPU, carved from the per-CPU area. */
  | { readonly kind: "percpu" };

export const PAGE_BYTES = 4096;
/** SLUB's largest kmalloc cache (KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1). */
export const KMALLOC_MAX_CACHE_BYTES = 8192;
/** Largest buddy order kmalloc can return (MAX_ORDER - 1 = 10 in 6.1; MAX_PAGE_ORDER = 10 from 6.8): 4 MiB. */
export const MAX_BUDDY_ORDER = 10;

export const ALLOCATOR_SOURCES: Readonly<Record<Allocator["kind"], readonly Source[]>> = {
  exact: [derived("nominal size, no allocator rounding")],
  pages: [derived("whole 4 KiB pages from the page allocator")],
  vmalloc: [
    k("6.1", "mm/vmalloc.c", undefined, "__vmalloc_area_node(): area->pages = kmalloc_node(array_size) or __vmalloc_node(array_size) when array_size > PAGE_SIZE"),
  ],
  kvmalloc: [
    k("6.1", "mm/util.c", undefined, "kvmalloc_node(): kmalloc_node() first (__GFP_NORETRY above PAGE_SIZE), __vmalloc_node() on failure"),
  ],
  kmalloc: [
    k("6.1", "mm/slab_common.c", undefined, "kmalloc_info[]: 8, 16, 32, 64, 96, 128, 192, 256, 512, 1k, 2k, 4k, 8k"),
    k("6.1", "mm/slab_common.c", undefined, "kmalloc_large(): alloc_pages(order = get_order(size)) above KMALLOC_MAX_CACHE_SIZE"),
  ],
  slab: [derived("objects packed into full slabs of the cache")],
  percpu: [k("6.1", "mm/percpu.c", undefined, "pcpu_alloc(): one unit per possible CPU")],
};

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** get_order(size) in pages: smallest order with 2^order pages ≥ size. */
export function getOrder(sizeBytes: number): number {
  let order = 0;
  while (PAGE_BYTES * 2 ** order < sizeBytes) order++;
  return order;
}

const KMALLOC_CLASSES = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192];

/** Bytes kmalloc(size) takes: the SLUB size class, or 2^order pages above 8 KiB. */
export function kmallocBytes(sizeBytes: number): number {
  if (sizeBytes <= 0) return 0;
  for (const cls of KMALLOC_CLASSES) if (sizeBytes <= cls) return cls;
  return PAGE_BYTES * 2 ** getOrder(sizeBytes);
}

/** Bytes vmalloc(size) takes: whole pages plus the page-pointer array (8 bytes per page). */
export function vmallocBytes(sizeBytes: number): number {
  if (sizeBytes <= 0) return 0;
  const pages = Math.ceil(sizeBytes / PAGE_BYTES);
  const arrayBytes = pages * 8;
  const arrayCost = arrayBytes > PAGE_BYTES ? vmallocBytes(arrayBytes) : kmallocBytes(arrayBytes);
  return pages * PAGE_BYTES + arrayCost;
}

/** Bytes kvmalloc(size) takes (contiguous attempt succeeds up to MAX_BUDDY_ORDER). */
export function kvmallocBytes(sizeBytes: number): number {
  if (sizeBytes <= 0) return 0;
  if (sizeBytes <= KMALLOC_MAX_CACHE_BYTES) return kmallocBytes(sizeBytes);
  const order = getOrder(sizeBytes);
  if (order <= MAX_BUDDY_ORDER) return PAGE_BYTES * 2 ** order;
  return vmallocBytes(sizeBytes);
}

/** Memory one allocation of `sizeBytes` takes under `alloc` (`cpus` for per-CPU allocations). */
export function allocationBytes(alloc: Allocator, sizeBytes: number, cpus: number): number {
  switch (alloc.kind) {
    case "exact":
      return sizeBytes;
    case "pages":
      return roundUp(sizeBytes, PAGE_BYTES);
    case "vmalloc":
      return vmallocBytes(sizeBytes);
    case "kvmalloc":
      return kvmallocBytes(sizeBytes);
    case "kmalloc":
      return kmallocBytes(sizeBytes);
    case "slab":
      // One object's amortized share of a full slab.
      return sizeBytes === 0 ? 0 : Math.ceil(alloc.slabBytes / alloc.objectsPerSlab);
    case "percpu":
      return roundUp(sizeBytes, 4) * cpus;
  }
}

/** Memory `count` separate allocations of `objectBytes` each take under `alloc`. */
export function objectsBytes(alloc: Allocator, objectBytes: number, count: number, cpus: number): number {
  if (count === 0 || objectBytes === 0) return 0;
  if (alloc.kind === "slab") return Math.ceil(count / alloc.objectsPerSlab) * alloc.slabBytes;
  return count * allocationBytes(alloc, objectBytes, cpus);
}

export function describeAllocator(alloc: Allocator): string {
  switch (alloc.kind) {
    case "slab":
      return `slab ${alloc.cache} (${alloc.objectsPerSlab}/${alloc.slabBytes / 1024} KiB slab)`;
    default:
      return alloc.kind;
  }
}
