/**
 * Per-item costs of swapoff and backend transfer: named parameters with a unit, a default, what the
 * default rests on and its sources. Work counts come from the code paths (./swapoff.ts,
 * ./transfer.ts); time is Σ count × cost, so every estimate can be re-derived from the table.
 *
 * Bases: `kernel` = a constant read in kernel source; `assumption` = an order-of-magnitude default
 * with no measurement behind it (override it, or calibrate it from the kernel lab with
 * ./swapoff-calibration.ts); `calibrated` = fitted from measured rows; `override` = given by the
 * caller. Timing defaults are deliberately labelled assumptions: the kit never presents them as
 * measurements.
 */
import { SwapcostInputError } from "../errors.js";
import { derived, k, type Source } from "../kernel/sources.js";
import type { DeviceKind } from "../designs/types.js";

export type CostBasis = "kernel" | "assumption" | "calibrated" | "override";
export type CostUnit = "ns" | "bytes/s" | "pages";

export interface CostParam {
  readonly value: number;
  readonly unit: CostUnit;
  readonly doc: string;
  readonly basis: CostBasis;
  readonly sources: readonly Source[];
}

/** How device reads are charged: per device (latency, bandwidth, readahead), or folded into the per-entry cost by a calibration. */
export type IoModel = "device" | "folded";

export const COST_NAMES = [
  "fixedNs",
  "mmVisitNs",
  "vmaVisitNs",
  "pmdVisitNs",
  "pteVisitNs",
  "slotScanNs",
  "shmemEntryNs",
  "swapInCpuNs",
  "unusePteNs",
  "swapCacheFreeNs",
  "vswapStoreNs",
  "rmapLookupNs",
  "descScanNs",
  "zswapLoadNs",
  "zeroFillNs",
  "zramReadNs",
  "teardownSlotNs",
  "minorFaultNs",
  "readaheadPages",
  "ssdReadLatencyNs",
  "ssdReadBandwidth",
  "hddReadLatencyNs",
  "hddReadBandwidth",
  "ssdWriteLatencyNs",
  "ssdWriteBandwidth",
  "hddWriteLatencyNs",
  "hddWriteBandwidth",
  "zramWriteNs",
  "compressNs",
  "writeCpuNs",
  "slotAllocNs",
  "pteRewriteNs",
  "descUpdateNs",
  "rmapUpdateNs",
  "redirectUpdateNs",
] as const;

export type CostName = (typeof COST_NAMES)[number];

export interface SwapoffCosts {
  readonly params: Readonly<Record<CostName, CostParam>>;
  readonly ioModel: IoModel;
  /** Where the set came from: "defaults", "defaults + overrides", "calibrated from …". */
  readonly label: string;
  /** What a calibration did to the set (./swapoff-calibration.ts applyCalibration): absent for defaults and overrides. */
  readonly calibration?: CalibrationInfo;
}

/** A parameter a calibration could not set from the data: its value is the default it had before. */
export interface CalibrationKept {
  readonly name: CostName;
  readonly value: number;
  /** "not-identifiable": its column has no variation in the rows; "fitted-zero": the non-negative fit dropped it; "host-not-fitted": folded into a term that was itself not fitted. */
  readonly why: "not-identifiable" | "fitted-zero" | "host-not-fitted";
  readonly reason: string;
}

/** What applyCalibration did: the parameters set from the fit, those kept at their defaults, those folded into others (set to 0). */
export interface CalibrationInfo {
  readonly source: string;
  readonly rows: number;
  readonly relativeRms: number;
  readonly r2: number;
  readonly fitted: readonly { readonly name: CostName; readonly term: string; readonly value: number }[];
  readonly kept: readonly CalibrationKept[];
  readonly folded: readonly { readonly name: CostName; readonly into: CostName; readonly why: string }[];
  /** Fitted parameters whose measured trend is within the noise (the lab's trend verdicts). */
  readonly inconclusive: readonly { readonly name: CostName; readonly verdict: string }[];
  /** The fit's notes and the trend verdicts, as printed. */
  readonly notes: readonly string[];
}

/**
 * Warnings for a run that uses calibrated costs: one line per parameter the run depends on
 * (count > 0) whose value does not come from the data (kept default after a fit to 0, or not
 * identifiable) or whose measured trend is inconclusive, with the time it contributes. Costs kept
 * only because the term they fold into was not fitted warn when they carry >= 1% of the estimate.
 */
export function calibrationWarnings(c: SwapoffCosts, uses: ReadonlyArray<readonly [CostName, number]>, totalNs: number): string[] {
  const info = c.calibration;
  if (!info) return [];
  const out: string[] = [];
  for (const [name, count] of uses) {
    if (!(count > 0)) continue;
    const param = c.params[name];
    const value = Number.isInteger(param.value) ? String(param.value) : String(Number(param.value.toPrecision(4)));
    const share = (ns: number) => `${count.toLocaleString("en-US")} x ${value} ns = ${(ns / 1e9).toFixed(3)} s, ${totalNs > 0 ? ((100 * ns) / totalNs).toFixed(1) : "0.0"}% of the estimate`;
    if (param.basis === "override") continue;
    const kept = info.kept.find((k) => k.name === name);
    if (kept) {
      // A folded cost kept at its default only because its host was not fitted: listed in the calibration block; a warning only when it weighs (>= 1%).
      if (kept.why === "host-not-fitted" && !(totalNs > 0 && (count * param.value) / totalNs >= 0.01)) continue;
      out.push(`${name}: ${kept.reason}; this run: ${share(count * param.value)}`);
      continue;
    }
    const inc = info.inconclusive.find((i) => i.name === name);
    if (inc) out.push(`${name}: fitted to ${value} ns but the measured trend is inconclusive (${inc.verdict}); this run: ${share(count * param.value)}`);
  }
  return out;
}

/**
 * Provenance of a timing default: what the assumption rests on, in one phrase, then where the
 * project has a better source to check it against (a published benchmark the model is fitted to,
 * or a kernel-lab series), named so a reader can go there; no number is copied from them.
 */
const A = (note: string, ...better: string[]): Source =>
  derived(`assumption: ${note}${better.length ? `; ${better.join("; ")}` : ""}; override with --cost or calibrate from kernel-lab rows`);
/** The published RFC swapoff pair, fitted at run time by ./benchmark-costs.ts. */
const RFC_FIT = "better source: --costs rfc-benchmark fits it to the published RFC swapoff pair (data/benchmarks/vswap-rfc)";
/** The same fit for the PTE restore: one equation for two unknowns, so a line with pteVisitNs. */
const RFC_LINE = "better source: --costs rfc-benchmark puts it on a line with pteVisitNs from the published RFC swapoff pair (data/benchmarks/vswap-rfc)";
/** A kernel-lab series that moves this cost (QEMU TCG: ratios, not absolute times). */
const LAB = (file: string, series: string) => `measured trend: data/lab/<kernel>/${file} ${series} (QEMU TCG, 20-50x slower than hardware: ratios only)`;

function p(value: number, unit: CostUnit, doc: string, basis: CostBasis, ...sources: Source[]): CostParam {
  return { value, unit, doc, basis, sources };
}

const UNUSE_PTE_RANGE_61 = k("deb-6.1", "mm/swapfile.c", "1850-1917", "unuse_pte_range()");
const UNUSE_PTE_RANGE_612 = k("deb-6.12", "mm/swapfile.c", "2180-2251", "unuse_pte_range()");
const FIND_NEXT_61 = k("deb-6.1", "mm/swapfile.c", "2026-2050", "find_next_to_unuse(): READ_ONCE(si->swap_map[i]) per slot");
const FIND_NEXT_72 = k("deb-7.2", "mm/swapfile.c", "2698-2723", "find_next_to_unuse(): swap_table_get() per slot");

/** The defaults. Timing values are assumptions (see the module comment); `readaheadPages` is the kernel's. */
export const DEFAULT_COST_PARAMS: Readonly<Record<CostName, CostParam>> = {
  fixedNs: p(10_000_000, "ns", "wall time of one swapoff(2) outside try_to_unuse (percpu_ref_kill + synchronize_rcu, list and sysfs work); counted in real time, not sys", "assumption",
    k("deb-6.1", "mm/swapfile.c", "2494-2495", "percpu_ref_kill(&p->users); synchronize_rcu()"), A("one RCU grace period, order 10 ms", LAB("swapoff.csv", "intercept of every series (--calibration fits fixedNs)"))),
  mmVisitNs: p(1_000, "ns", "per mm on init_mm.mmlist visited by try_to_unuse: mmget_not_zero, mmap_read_lock, VMA iterator, mmput", "assumption",
    k("deb-6.1", "mm/swapfile.c", "2074-2099", "try_to_unuse(): the mmlist loop"), A("a few uncontended lock round trips (mmget, mmap_read_lock, VMA iterator, mmput), ~100-300 ns each", LAB("swapoff.csv", "every row has one mm, so the lab folds it into fixedNs"))),
  vmaVisitNs: p(100, "ns", "per VMA with an anon_vma walked by unuse_mm (pgd/p4d/pud levels included)", "assumption",
    k("deb-6.1", "mm/swapfile.c", "2001-2019", "unuse_mm(): vma->anon_vma && !is_vm_hugetlb_page(vma)"), A("one maple-tree step and a few pointer loads per VMA")),
  pmdVisitNs: p(20, "ns", "per PMD entry of those VMAs (cond_resched + the none/huge test; a PTE table is mapped when present)", "assumption",
    k("deb-6.1", "mm/swapfile.c", "1919-1938", "unuse_pmd_range(): pmd_none_or_trans_huge_or_clear_bad"),
    k("deb-6.12", "mm/pgtable-generic.c", "282-306", "__pte_offset_map() returns NULL for none/huge PMDs"), A("cond_resched plus one kmap/rcu section", LAB("swapoff.csv", "series ptes_swapped (folded into the per-PTE cost, one PMD per 512 PTEs)"))),
  pteVisitNs: p(1, "ns", "per PTE read by unuse_pte_range that is not a swap entry of this device (one load and two tests)", "assumption",
    UNUSE_PTE_RANGE_61, UNUSE_PTE_RANGE_612, A("a streamed 8-byte load per PTE, 512 per table page", LAB("swapoff.csv", "series ptes_swapped (--calibration fits it and says whether the trend stands above the noise)"), RFC_FIT)),
  slotScanNs: p(1, "ns", "per slot read by find_next_to_unuse (swap_map byte, allocation bit, or swap table entry)", "assumption",
    FIND_NEXT_61, FIND_NEXT_72, A("a streamed load and a test per slot, cond_resched every LATENCY_LIMIT = 256 slots; no project measurement (the lab's swapoffs free every entry in the walk, so the scan never runs)")),
  shmemEntryNs: p(20, "ns", "per present entry of a shmem_swaplist inode's page-cache xarray visited by shmem_find_swap_entries", "assumption",
    k("deb-6.1", "mm/shmem.c", "1207-1243", "shmem_find_swap_entries(): xas_for_each over the whole mapping"), A("one xas step (a few loads in a cached xarray node); not measured in the project")),
  swapInCpuNs: p(2_000, "ns", "CPU per entry brought back: folio allocation, memcg charge, swap cache insert, bio submit and completion, LRU add", "assumption",
    k("deb-6.12", "mm/swap_state.c", "872-885", "swapin_readahead()"), A("a few microseconds of kernel work per 4 KiB page", RFC_FIT, LAB("swapoff.csv", "series pages_disk (device IO folded in)"))),
  unusePteNs: p(300, "ns", "mainline: per swap PTE restored by unuse_pte (PTE lock, rmap add, set_pte_at, swap_free) plus folio_free_swap", "assumption",
    k("deb-6.1", "mm/swapfile.c", "1779-1848", "unuse_pte()"), A("a locked PTE update and a swap cache delete", RFC_LINE)),
  swapCacheFreeNs: p(150, "ns", "mainline: per swap-cache-only slot found by find_next_to_unuse and freed (folio lock, folio_free_swap)", "assumption",
    k("deb-6.1", "mm/swapfile.c", "2103-2124", "try_to_unuse(): filemap_get_folio, folio_lock, folio_free_swap per remaining slot"), A("a swap cache delete (xarray store under the cluster lock); not measured in the project")),
  vswapStoreNs: p(150, "ns", "virtual layer: per entry re-pointed at the swap cache folio (vswap_store_folio / ghost or virtual table update) and its physical slot freed", "assumption",
    derived("vswap v6 patch 19/22: try_to_unuse() calls vswap_store_folio(entry, folio) per allocated physical slot (https://lore.kernel.org/all/20260505153854.1612033-20-nphamcs@gmail.com/)"), A("a descriptor store under the cluster lock; not measured in the project")),
  rmapLookupNs: p(10, "ns", "per physical → virtual reverse-map lookup (swp_slot_to_swp_entry)", "assumption",
    derived("vswap v6 patch 19/22 looks the reverse map up once per allocated slot in each of its two rounds"), A("one table or xarray load; not measured in the project")),
  descScanNs: p(2, "ns", "without a reverse map: per virtual slot of an in-use virtual cluster checked for a backing slot on the device", "assumption",
    A("a streamed 8-24-byte load per descriptor; not measured in the project")),
  zswapLoadNs: p(2_000, "ns", "per zswap entry loaded (decompress a 4 KiB page, free the entry)", "assumption",
    k("deb-6.12", "mm/page_io.c", "631-636", "swap_read_folio(): zeromap, then zswap_load()"), A("LZ4/LZO-class decompression of 4 KiB at ~2 GB/s", LAB("swapoff.csv", "series pages_zswap (--calibration-backend zswap)"))),
  zeroFillNs: p(300, "ns", "per zero-filled entry brought back (clear a page)", "assumption",
    k("deb-6.12", "mm/page_io.c", "631", "swap_read_folio_zeromap()"), A("clearing 4 KiB at memory bandwidth, plus the fault bookkeeping")),
  zramReadNs: p(2_000, "ns", "per entry read from a zram device (synchronous decompression in the driver, CPU)", "assumption",
    A("zram is SWP_SYNCHRONOUS_IO: the read is a decompression on the faulting CPU, as zswapLoadNs")),
  teardownSlotNs: p(0.05, "ns", "per slot of the device after try_to_unuse: freeing the static per-slot arrays (swap_map, swap_cgroup pages, zeromap, cluster_info)", "assumption",
    k("deb-6.1", "mm/swapfile.c", "2541-2545", "vfree(swap_map); kvfree(cluster_info); swap_cgroup_swapoff()"),
    k("deb-6.12", "mm/swapfile.c", "2883-2894", "zswap_swapoff(); vfree(swap_map); kvfree(zeromap); kvfree(cluster_info)"), A("page freeing, ~200 ns per 4 KiB of metadata", LAB("swapoff.csv", "series devsize (--calibration fits the per-slot cost)"))),
  minorFaultNs: p(500, "ns", "per later minor fault on a page left in the (virtual) swap cache after a swapoff that did not restore PTEs", "assumption",
    A("do_swap_page() hitting the swap cache: a fault entry and exit plus a PTE update")),
  readaheadPages: p(8, "pages", "useful pages per synchronous read in the PTE walk: 1 << page_cluster (3 unless RAM < 16 MiB), the VMA readahead window cap", "kernel",
    k("deb-6.1", "mm/swap.c", "1100-1102", "page_cluster = 3"),
    k("deb-6.12", "mm/swap_state.c", "745-753", "swap_vma_ra_win(): max_win = 1 << min(page_cluster, SWAP_RA_ORDER_CEILING)"),
    derived("assumes the swapped pages were written in virtual-address order, so each window is fully useful; use 1 for scattered layouts")),
  ssdReadLatencyNs: p(50_000, "ns", "SSD: latency of one read request at queue depth 1", "assumption", A("NVMe/SATA-class 4-32 KiB read at queue depth 1, 10-100 us", RFC_FIT)),
  ssdReadBandwidth: p(2e9, "bytes/s", "SSD: sustained read bandwidth with a deep queue", "assumption", A("PCIe 3.0 x4 NVMe-class sequential read", RFC_FIT)),
  hddReadLatencyNs: p(8_000_000, "ns", "HDD: one random read (seek + rotation)", "assumption", A("7200 rpm: ~4 ms half rotation + ~4 ms average seek; not measured in the project")),
  hddReadBandwidth: p(1.5e8, "bytes/s", "HDD: sequential read bandwidth", "assumption", A("7200 rpm sequential transfer, 100-200 MB/s; not measured in the project")),
  ssdWriteLatencyNs: p(30_000, "ns", "SSD: one write request at queue depth 1", "assumption", A("NVMe/SATA-class write into the drive's cache at queue depth 1; not measured in the project")),
  ssdWriteBandwidth: p(1e9, "bytes/s", "SSD: sustained write bandwidth", "assumption", A("TLC NVMe sustained write once the SLC cache is full; not measured in the project")),
  hddWriteLatencyNs: p(8_000_000, "ns", "HDD: one random write", "assumption", A("7200 rpm: seek + rotation, as a read; not measured in the project")),
  hddWriteBandwidth: p(1.5e8, "bytes/s", "HDD: sequential write bandwidth", "assumption", A("7200 rpm sequential transfer, 100-200 MB/s; not measured in the project")),
  zramWriteNs: p(5_000, "ns", "per entry written to a zram device (compression in the driver, CPU)", "assumption", A("LZ4/LZO-class compression of 4 KiB at ~1 GB/s", LAB("zram.csv", "op_ns"))),
  compressNs: p(5_000, "ns", "per entry compressed into zswap (promotion to a zswap tier)", "assumption", A("LZ4/LZO-class compression of 4 KiB at ~1 GB/s", LAB("zswap.csv", "pageout_ns"))),
  writeCpuNs: p(1_500, "ns", "CPU per entry written to a device: bio submit, completion, writeback accounting", "assumption",
    k("deb-6.12", "mm/zswap.c", "1054-1120", "zswap_writeback_entry(): decompress into a swap cache folio, __swap_writepage()"), A("bio submit and completion, as the swap-in's IO part of swapInCpuNs; not measured in the project")),
  slotAllocNs: p(100, "ns", "per swap slot allocated on the destination device", "assumption", A("per-CPU cluster allocation fast path (a bitmap or swap-table store under a local lock); not measured in the project")),
  pteRewriteNs: p(150, "ns", "direct-mapped designs: per PTE rewritten to the entry's new swap slot (PTE lock, set_pte_at, swap count moves)", "assumption",
    A("a locked PTE update, as unusePteNs without the rmap add")),
  descUpdateNs: p(50, "ns", "virtual layer: per descriptor / virtual-table entry pointed at a new backend", "assumption", A("one store under the cluster lock; not measured in the project")),
  rmapUpdateNs: p(30, "ns", "per physical → virtual reverse-map entry set or cleared", "assumption", A("one swap table store; not measured in the project")),
  redirectUpdateNs: p(30, "ns", "redirect design: per redirect entry set or cleared", "assumption", A("one 4-byte store; no series posted, not measured")),
};

export const DEFAULT_COSTS: SwapoffCosts = { params: DEFAULT_COST_PARAMS, ioModel: "device", label: "defaults (timings are assumptions)" };

export function cost(c: SwapoffCosts, name: CostName): number {
  return c.params[name].value;
}

function isCostName(s: string): s is CostName {
  return (COST_NAMES as readonly string[]).includes(s);
}

/** Replace some parameters' values (basis `override`, the caller named as source). Checks names and values. */
export function withOverrides(c: SwapoffCosts, overrides: Readonly<Record<string, number>>, by = "caller"): SwapoffCosts {
  const params: Record<CostName, CostParam> = { ...c.params };
  const names = Object.keys(overrides);
  for (const name of names) {
    if (!isCostName(name)) throw new SwapcostInputError("cost parameter", name, `one of ${COST_NAMES.join(", ")}`);
    const v = overrides[name];
    if (!Number.isFinite(v) || v < 0) throw new SwapcostInputError(`cost ${name}`, v, "a finite non-negative number");
    if (name === "readaheadPages" && (!Number.isInteger(v) || v < 1)) throw new SwapcostInputError("cost readaheadPages", v, "a whole number of pages, at least 1");
    if (name.endsWith("Bandwidth") && v === 0) throw new SwapcostInputError(`cost ${name}`, v, "a positive bandwidth in bytes/s");
    params[name] = { ...params[name], value: v, basis: "override", sources: [derived(`set by ${by}`), ...params[name].sources] };
  }
  return { ...c, params, label: names.length ? `${c.label} + overrides (${names.join(", ")})` : c.label };
}

/** Parse `pteVisitNs=2,swapInCpuNs=1500` (numbers with optional e-notation). */
export function parseCostOverrides(text: string, field = "--cost"): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new SwapcostInputError(field, part, "name=value pairs such as pteVisitNs=2,swapInCpuNs=1500");
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!isCostName(name)) throw new SwapcostInputError(field, name, `one of ${COST_NAMES.join(", ")}`);
    if (!/^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) throw new SwapcostInputError(`${field} ${name}`, raw, "a non-negative number (ns, bytes/s or pages)");
    if (name in out) throw new SwapcostInputError(field, name, "each parameter once");
    out[name] = Number(raw);
  }
  if (Object.keys(out).length === 0) throw new SwapcostInputError(field, text, "at least one name=value pair");
  return out;
}

/** Read-side device parameters for a device kind. */
export interface ReadDevice {
  readonly kind: DeviceKind;
  /** CPU per entry when the device read is a decompression (zram), else 0. */
  readonly cpuNs: number;
  /** Latency of one read request (0 for zram/none or when IO is folded). */
  readonly latencyNs: number;
  /** Bytes per second (Infinity for zram/none or when IO is folded). */
  readonly bandwidth: number;
}

export function readDevice(c: SwapoffCosts, kind: DeviceKind): ReadDevice {
  if (kind === "zram") return { kind, cpuNs: cost(c, "zramReadNs"), latencyNs: 0, bandwidth: Infinity };
  if (kind === "none" || c.ioModel === "folded") return { kind, cpuNs: 0, latencyNs: 0, bandwidth: Infinity };
  return kind === "hdd"
    ? { kind, cpuNs: 0, latencyNs: cost(c, "hddReadLatencyNs"), bandwidth: cost(c, "hddReadBandwidth") }
    : { kind, cpuNs: 0, latencyNs: cost(c, "ssdReadLatencyNs"), bandwidth: cost(c, "ssdReadBandwidth") };
}

export function writeDevice(c: SwapoffCosts, kind: DeviceKind): ReadDevice {
  if (kind === "zram") return { kind, cpuNs: cost(c, "zramWriteNs"), latencyNs: 0, bandwidth: Infinity };
  if (kind === "none" || c.ioModel === "folded") return { kind, cpuNs: 0, latencyNs: 0, bandwidth: Infinity };
  return kind === "hdd"
    ? { kind, cpuNs: 0, latencyNs: cost(c, "hddWriteLatencyNs"), bandwidth: cost(c, "hddWriteBandwidth") }
    : { kind, cpuNs: 0, latencyNs: cost(c, "ssdWriteLatencyNs"), bandwidth: cost(c, "ssdWriteBandwidth") };
}

/** The parameters a result used, as plain rows (name, value, unit, basis, sources) for tables and JSON. */
export interface CostRow {
  readonly name: CostName;
  readonly value: number;
  readonly unit: CostUnit;
  readonly basis: CostBasis;
  readonly doc: string;
  readonly sources: readonly Source[];
}

export function costRows(c: SwapoffCosts, names: readonly CostName[]): CostRow[] {
  return names.map((name) => ({ name, ...c.params[name] }));
}
