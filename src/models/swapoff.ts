/**
 * swapoff(2) as each design does it: the items it visits per phase, counted as the code paths
 * define them, and an estimated time (Σ count × per-item cost, ./swapoff-costs.ts).
 *
 * Mainline try_to_unuse (./swapoff-paths.ts cites the lines), per pass:
 * - shmem_unuse: every present entry of the page-cache xarray of every inode on shmem_swaplist;
 * - the mmlist loop: every mm on init_mm.mmlist (mms that swapped since swap was last empty; mms
 *   that never swapped are not on it), every VMA with an anon_vma, every PMD entry of it (none and
 *   huge PMDs are skipped), every PTE of every present PTE table (the page-table span, not RSS);
 *   each swap PTE of this device is swapped in (readahead window, or zswap decompression) and
 *   restored; the loop stops between mms once the device is empty;
 * - find_next_to_unuse: a linear scan of the slots, reached only if entries remain (swap-cache-only
 *   slots), up to the last of them;
 * - retry while entries remain.
 * Virtual layer: the device's allocated slots are scanned twice (submit all reads, then re-point
 * each virtual slot at its folio) through the physical → virtual reverse map; without a reverse
 * map the in-use virtual clusters are scanned instead. No PTE walk; what is left behind (minor
 * faults to come, metadata still held) is reported on its own.
 *
 * Pure: inputs in, a plain readonly record out.
 */
import { SwapcostInputError, SwapcostInvariantError } from "../errors.js";
import { citeSource, type Source } from "../kernel/sources.js";
import type { Design, DeviceKind, EntryWeights } from "../designs/types.js";
import { chunkUse, type ChunkDrivers, type Occupancy } from "./occupancy.js";
import { overhead, PAGE_SIZE_BYTES, type Usage } from "./overhead.js";
import { calibrationWarnings, cost, costRows, readDevice, type CalibrationInfo, type CostName, type CostRow, type SwapoffCosts } from "./swapoff-costs.js";
import { pathsOf, type SwapoffRules } from "./swapoff-paths.js";

export const PMD_SPAN_BYTES = 2 * 1024 * 1024;
export const PTES_PER_TABLE = 512;
export const CLUSTER_SLOTS = 512;

export interface SwapoffWorkload {
  /** mms on init_mm.mmlist: processes that swapped since swap was last completely empty. */
  readonly processes: number;
  /** Page-table span of their VMAs with an anon_vma: bytes covered by present PTE tables (what the walk reads PTE by PTE). */
  readonly mappedBytes: number;
  /** Virtual span of those VMAs (≥ mappedBytes); PMD entries beyond the present PTE tables are none or huge and skipped. Default mappedBytes. */
  readonly vmaSpanBytes?: number;
  /** VMAs with an anon_vma in those mms. Default: one per process. */
  readonly anonVmas?: number;
  /** mms that never swapped (not on mmlist) and their page-table span: never walked, shown for contrast. */
  readonly idleProcesses?: number;
  readonly idleMappedBytes?: number;
  /** PTEs referencing each swapped anon entry (> 1 after fork). Default 1. */
  readonly mappingsPerEntry?: number;
  /** Entries of the device held by shmem/tmpfs (found by shmem_unuse, not the PTE walk). Default 0. */
  readonly shmemEntries?: number;
  /** Inodes on shmem_swaplist. Default 1 when shmemEntries > 0. */
  readonly shmemInodes?: number;
  /** Present entries of those inodes' page-cache xarrays (resident pages + swap entries). Default shmemEntries. */
  readonly shmemXarrayEntries?: number;
  /** Extra passes of try_to_unuse (entries re-inserted under pressure, an exiting mm). Default 0. */
  readonly retries?: number;
  /** ghost-p4: share of the disk entries swapped to the physical device without the ghost layer (their PTEs hold the physical slot). Default 0. */
  readonly directShare?: number;
}

export interface SwapoffInput {
  readonly design: Design;
  /** Size of the swapped-off device (for virtual designs the virtual space is modelled with the same size, as in the overhead model). */
  readonly swapSizeBytes: number;
  /** Kind of the swapped-off device; `none` only for a ghost swapfile (the file itself is swapped off). */
  readonly device: DeviceKind;
  /** Used entries by backend, as in the overhead model. Which of them sit on the device follows the design's layers. */
  readonly usage: Usage;
  readonly occupancy: Occupancy;
  readonly memcg: boolean;
  readonly cpus: number;
  readonly writebackShare?: number;
  readonly workload: SwapoffWorkload;
  readonly costs: SwapoffCosts;
  /** Virtual designs: model with (true) or without (false) the physical → virtual reverse map. Default: the design's. */
  readonly reverseMap?: boolean;
  /**
   * Direct-mapped designs: `full` (try_to_unuse, default), or `swapcache-only`: the what-if raised
   * in the thread of reading every entry into the swap cache without the PTE walk. No such code
   * exists; it is modelled to show what it leaves: the PTEs still hold the device's slots, so the
   * device, its disk space and its metadata cannot be released.
   */
  readonly mode?: "full" | "swapcache-only";
}

/** Explicit work counts: every item the code visits, summed over passes. */
export interface SwapoffWork {
  readonly passes: number;
  readonly shmemInodesVisited: number;
  readonly shmemEntriesVisited: number;
  readonly mmsWalked: number;
  readonly vmasWalked: number;
  readonly pmdsVisited: number;
  readonly pmdsSkipped: number;
  readonly ptesScanned: number;
  /** PTEs of mms that never swapped: not on mmlist, so 0 by construction (kept to make the point explicit). */
  readonly idlePtesScanned: number;
  readonly slotsScanned: number;
  readonly virtualSlotsScanned: number;
  readonly rmapLookups: number;
  readonly swapIns: number;
  readonly swapInsFromDevice: number;
  readonly swapInsFromZswap: number;
  readonly swapInsZeroFilled: number;
  readonly swapCacheOnlyFreed: number;
  /** Synchronous device reads the walker waits on (readahead windows); 0 for the asynchronous virtual path. */
  readonly syncReads: number;
  /** Asynchronous device reads submitted in one plugged batch (virtual path). */
  readonly asyncReads: number;
  readonly ptesRestored: number;
  readonly descriptorUpdates: number;
  readonly slotsFreedAtTeardown: number;
}

export interface SwapoffPhase {
  readonly id: string;
  readonly name: string;
  /** Counts this phase contributes (a subset of SwapoffWork's names). */
  readonly counts: Readonly<Record<string, number>>;
  readonly cpuNs: number;
  readonly ioNs: number;
  /** count × cost terms, human-readable. */
  readonly arithmetic: string;
  readonly costs: readonly CostName[];
  readonly sources: readonly string[];
}

export interface SwapoffRemaining {
  /** Swapoff restored every PTE and released the device's metadata: nothing left. */
  readonly clean: boolean;
  /** Pages left in the (virtual) swap cache whose PTEs still hold a swap entry: each a minor fault when touched (an upper bound: all touched). */
  readonly minorFaultsLater: number;
  readonly minorFaultNs: number;
  /** Swap metadata still allocated for the entries after swapoff (virtual layer: descriptors, tables), kernel accounting. */
  readonly metadataHeldBytes: number;
  /** Swap metadata released by swapoff. */
  readonly metadataFreedBytes: number;
  readonly metadataBeforeBytes: number;
  readonly note: string;
}

export interface SwapoffEstimate {
  /** CPU time in the kernel (sys). */
  readonly sysNs: number;
  /** Time waiting on device reads that CPU work does not overlap. */
  readonly ioWaitNs: number;
  /** Fixed wall time outside try_to_unuse (RCU grace period …). */
  readonly fixedNs: number;
  /** sys + IO wait + fixed. */
  readonly realNs: number;
  /** = realNs: the headline estimate. */
  readonly estimatedNs: number;
  readonly ioMode: "sync-readahead" | "async" | "none" | "mixed";
  /** Device IO the walker waits on in full (readahead windows in PTE order). */
  readonly syncIoNs: number;
  /** Device IO submitted as one asynchronous batch (virtual path). */
  readonly asyncIoNs: number;
  /** CPU the asynchronous IO runs under (the scan and re-point work of the same pass). */
  readonly overlapCpuNs: number;
  /** IO wait = sync IO + max(0, async IO − the CPU it overlaps), with the numbers. */
  readonly ioArithmetic: string;
}

export interface SwapoffResult {
  readonly design: { readonly id: string; readonly title: string; readonly family: string; readonly status: string };
  readonly method: "pte-walk" | "virtual";
  readonly reverseMap: boolean | null;
  readonly rulesMatchedBy: "design" | "family";
  readonly inputs: {
    readonly swapSizeBytes: number;
    readonly slots: number;
    readonly device: DeviceKind;
    readonly usage: Usage;
    readonly entriesOnDevice: number;
    readonly lastUsedSlot: number;
    readonly occupancy: Occupancy;
    readonly workload: Required<SwapoffWorkload>;
    readonly costLabel: string;
    readonly ioModel: "device" | "folded";
    /** What a calibration did to the costs (fitted, kept, folded terms; fit notes): absent without --calibration. */
    readonly calibration?: CalibrationInfo;
  };
  readonly work: SwapoffWork;
  readonly phases: readonly SwapoffPhase[];
  readonly estimate: SwapoffEstimate;
  readonly remaining: SwapoffRemaining;
  readonly costs: readonly CostRow[];
  readonly sources: readonly string[];
  readonly notes: readonly string[];
  /** Calibrated costs: parameters this run depends on whose value the data did not give (kept default) or whose trend is inconclusive. */
  readonly warnings: readonly string[];
}

function intOf(field: string, v: number | undefined, dflt: number, min = 0): number {
  const x = v ?? dflt;
  if (!Number.isSafeInteger(x) || x < min) throw new SwapcostInputError(field, x, `a whole number ≥ ${min}`);
  return x;
}

function weighted(w: EntryWeights, u: Usage, writtenBack: number): number {
  return Math.round((w.disk ?? 0) * u.disk + (w.zswap ?? 0) * u.zswap + (w.zero ?? 0) * u.zero + (w.cache ?? 0) * u.cache + (w.writeback ?? 0) * writtenBack);
}

function writebackShareOf(input: SwapoffInput): number {
  return input.writebackShare ?? (input.usage.zswap > 0 ? 1 : 0);
}

/**
 * Highest used slot of a device holding `entries` entries (slot 0 is the header). Packed:
 * 1..entries; random: expected maximum; mean n: end of the last in-use cluster; measured (a
 * simulation): the end of the device when the simulation's last cluster is in use, else the end of
 * as many clusters as it had in use, counted from the start (an estimate: positions are not recorded).
 */
export function lastUsedSlot(entries: number, slots: number, occ: Occupancy, who?: ChunkDrivers): number {
  if (entries <= 0) return 0;
  const usable = slots - 1;
  if (occ.kind === "packed") return Math.min(usable, entries);
  if (occ.kind === "random") return Math.max(entries, Math.round((entries * (usable + 1)) / (entries + 1)));
  if (occ.kind === "measured") {
    const cu = chunkUse(entries, { slots, leadingReserved: 1 }, CLUSTER_SLOTS, occ, who);
    if (cu.lastInUse >= 1) return usable;
    return Math.max(Math.min(usable, entries), Math.min(usable, Math.round(cu.inUse) * CLUSTER_SLOTS - 1));
  }
  const clusters = Math.ceil(entries / occ.entriesPerCluster);
  return Math.max(entries, Math.min(usable, clusters * CLUSTER_SLOTS - 1));
}

const citeCache = new WeakMap<readonly Source[], string[]>();
function sourcesOf(list: readonly Source[]): string[] {
  let c = citeCache.get(list);
  if (!c) {
    c = list.map(citeSource);
    citeCache.set(list, c);
  }
  return c;
}

/** 12345678 → "12,345,678" (toLocaleString is slow in sweeps). */
function groupThousands(n: number): string {
  const s = String(Math.abs(n));
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ",";
    out += s[i];
  }
  return n < 0 ? "-" + out : out;
}

const n0 = (x: number) => groupThousands(Math.round(x));
const ns = (x: number) => (x >= 100 ? n0(x) : String(Math.round(x * 1000) / 1000));

function term(count: number, what: string, name: CostName, c: SwapoffCosts): string {
  return `${n0(count)} ${what} x ${ns(cost(c, name))} ns (${name})`;
}

/** The IO wait rule with the run's numbers, so the estimate can be re-derived from the phase table. */
function ioArithmeticOf(syncIo: number, asyncIo: number, overlapCpu: number, ioWait: number, c: SwapoffCosts): string {
  const s3 = (x: number) => `${(x / 1e9).toFixed(3)} s`;
  if (syncIo + asyncIo === 0) return `IO wait = 0 s (no device IO${c.ioModel === "folded" ? ": calibrated, IO is inside the per-entry cost" : ""})`;
  return (
    `IO wait = synchronous IO ${s3(syncIo)} + max(0, asynchronous IO ${s3(asyncIo)} - CPU it overlaps ${s3(overlapCpu)}) = ${s3(ioWait)} ` +
    "(the asynchronous batch runs under the scan and re-point CPU of its pass; synchronous readahead reads are waited on in full)"
  );
}

/** The count that multiplies each calibratable cost in a run (only the costs the run used). */
function runUses(used: ReadonlySet<CostName>, w: SwapoffWork): Array<readonly [CostName, number]> {
  const counts: Partial<Record<CostName, number>> = {
    fixedNs: 1,
    mmVisitNs: w.mmsWalked,
    vmaVisitNs: w.vmasWalked,
    pmdVisitNs: w.pmdsVisited,
    pteVisitNs: w.ptesScanned,
    swapInCpuNs: w.swapIns,
    unusePteNs: w.ptesRestored,
    zswapLoadNs: w.swapInsFromZswap,
    zramReadNs: w.swapInsFromDevice,
    teardownSlotNs: w.slotsFreedAtTeardown,
  };
  return (Object.entries(counts) as [CostName, number][]).filter(([n]) => used.has(n));
}

interface Builder {
  phases: SwapoffPhase[];
  used: Set<CostName>;
}

function addPhase(b: Builder, ph: Omit<SwapoffPhase, "arithmetic"> & { terms: string[] }): void {
  const { terms, ...rest } = ph;
  if (!Number.isFinite(rest.cpuNs) || rest.cpuNs < 0 || !Number.isFinite(rest.ioNs) || rest.ioNs < 0) {
    throw new SwapcostInvariantError(`phase ${rest.id}: cpu ${rest.cpuNs} io ${rest.ioNs}`);
  }
  for (const cn of rest.costs) b.used.add(cn);
  b.phases.push({ ...rest, arithmetic: terms.join(" + ") || "0" });
}

function validate(input: SwapoffInput, rules: SwapoffRules): void {
  const d = input.design;
  if (!Number.isSafeInteger(input.swapSizeBytes) || input.swapSizeBytes < 2 * PAGE_SIZE_BYTES) {
    throw new SwapcostInputError("swap size", input.swapSizeBytes, "at least 2 pages (8192 bytes) as a whole number of bytes");
  }
  if (rules.deviceLayer === "physical" && input.device === "none") {
    throw new SwapcostInputError("device", "none", `ssd, hdd or zram for ${d.id}`, "there is no swap device to swap off");
  }
  const w = input.workload;
  for (const [name, v] of [["mapped", w.mappedBytes], ["vma span", w.vmaSpanBytes], ["idle mapped", w.idleMappedBytes]] as const) {
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 0 || v % PAGE_SIZE_BYTES !== 0) throw new SwapcostInputError(name, v, "a non-negative whole number of 4 KiB pages, in bytes");
  }
  if (w.vmaSpanBytes !== undefined && w.vmaSpanBytes < w.mappedBytes) {
    throw new SwapcostInputError("vma span", w.vmaSpanBytes, `at least the mapped page-table span (${w.mappedBytes} bytes)`);
  }
  if (w.directShare !== undefined) {
    if (!(w.directShare >= 0 && w.directShare <= 1)) throw new SwapcostInputError("direct share", w.directShare, "a share between 0 and 1");
    if (w.directShare > 0 && rules.directMapped !== "param") {
      throw new SwapcostInputError("direct share", w.directShare, `0 for ${d.id}`, rules.method === "pte-walk" ? "every entry of this design is direct-mapped already" : "this design's PTEs never hold a physical slot directly (redirect: set --writeback-share)");
    }
  }
}

/** Compute the work and time of swapping off one device. */
export function swapoff(input: SwapoffInput): SwapoffResult {
  const paths = pathsOf(input.design);
  const rules = paths.swapoff;
  validate(input, rules);
  const d = input.design;
  const c = input.costs;
  const w = input.workload;
  const slots = Math.floor(input.swapSizeBytes / PAGE_SIZE_BYTES);
  const u = input.usage;

  const processes = intOf("processes", w.processes, 1, 0);
  const anonVmas = intOf("anon VMAs", w.anonVmas, processes, 0);
  const mappings = intOf("mappings per entry", w.mappingsPerEntry, 1, 1);
  const retries = intOf("retries", w.retries, 0, 0);
  const shmemEntriesIn = intOf("shmem entries", w.shmemEntries, 0, 0);
  const shmemInodes = intOf("shmem inodes", w.shmemInodes, shmemEntriesIn > 0 ? 1 : 0, 0);
  const shmemXa = intOf("shmem xarray entries", w.shmemXarrayEntries, shmemEntriesIn, 0);
  const idleProcesses = intOf("idle processes", w.idleProcesses, 0, 0);
  const vmaSpan = w.vmaSpanBytes ?? w.mappedBytes;
  if (shmemXa < shmemEntriesIn) throw new SwapcostInputError("shmem xarray entries", shmemXa, `at least the shmem entries (${shmemEntriesIn})`);
  if (shmemEntriesIn > 0 && shmemInodes === 0) throw new SwapcostInputError("shmem inodes", 0, "at least 1 when shmem entries are swapped");

  // Which entries sit on the swapped-off device, by kind.
  const layerW = rules.deviceLayer === "physical" ? d.layers.physical : (d.layers.virtual ?? {});
  const onDev = {
    disk: Math.round((layerW.disk ?? 0) * u.disk),
    zswap: Math.round((layerW.zswap ?? 0) * u.zswap),
    zero: Math.round((layerW.zero ?? 0) * u.zero),
    cache: Math.round((layerW.cache ?? 0) * u.cache),
  };
  const entriesOnDevice = onDev.disk + onDev.zswap + onDev.zero + onDev.cache;
  const readable = onDev.disk + onDev.zswap + onDev.zero;
  const last = lastUsedSlot(entriesOnDevice, slots, input.occupancy, { layer: rules.deviceLayer, drivers: layerW });

  if (input.mode === "swapcache-only") {
    if (rules.method !== "pte-walk") throw new SwapcostInputError("mode", input.mode, `full for ${d.id}`, "the swap-cache-only what-if is for direct-mapped designs (a virtual layer re-points its slots anyway)");
    return swapcacheOnly(input, rules, paths.matchedBy, onDev, slots, last);
  }

  // Split the device's entries between the mainline walk (direct-mapped) and the virtual path.
  let directEntries: number; // entries whose PTE (or shmem xarray) holds the device slot
  let reverseMap: boolean | null = null;
  if (rules.method === "pte-walk") directEntries = readable;
  else {
    reverseMap = input.reverseMap ?? rules.reverseMap;
    if (rules.directMapped === "param") directEntries = Math.round(onDev.disk * (w.directShare ?? 0));
    else if (rules.directMapped === "notWrittenBack") {
      directEntries = onDev.disk - Math.round(onDev.disk * writebackShareOf(input));
    } else directEntries = 0;
  }
  const virtualEntries = rules.method === "virtual" ? readable - directEntries : 0;
  if (shmemEntriesIn > directEntries && rules.method === "pte-walk") {
    throw new SwapcostInputError("shmem entries", shmemEntriesIn, `at most the ${directEntries} swapped entries on the device (swap-cache-only entries excluded)`);
  }
  const shmemEntries = rules.method === "pte-walk" ? shmemEntriesIn : Math.min(shmemEntriesIn, directEntries);
  const anonDirect = directEntries - shmemEntries;
  const cacheOnly = rules.method === "pte-walk" ? onDev.cache : 0;
  const walkNeeded = directEntries > 0 || cacheOnly > 0;
  if (walkNeeded && w.mappedBytes / PAGE_SIZE_BYTES < anonDirect * mappings) {
    throw new SwapcostInputError(
      "mapped",
      w.mappedBytes,
      `at least ${anonDirect * mappings * PAGE_SIZE_BYTES} bytes: the ${anonDirect} swapped anon entries x ${mappings} mapping(s) each sit in PTEs of the walked span`,
    );
  }
  if (walkNeeded && anonDirect > 0 && processes === 0) throw new SwapcostInputError("processes", 0, "at least 1: swapped anon entries belong to an mm on init_mm.mmlist");

  const b: Builder = { phases: [], used: new Set() };
  const walkSources = sourcesOf(rules.walk.sources);
  const ruleSources = sourcesOf(rules.sources);
  const dev = readDevice(c, input.device);
  const ra = cost(c, "readaheadPages");

  // Per-entry read costs by kind (device reads: CPU for zram; IO otherwise).
  const readCpu = (diskN: number, zswapN: number, zeroN: number) =>
    diskN * (cost(c, "swapInCpuNs") + dev.cpuNs) + zswapN * (cost(c, "swapInCpuNs") + cost(c, "zswapLoadNs")) + zeroN * (cost(c, "swapInCpuNs") + cost(c, "zeroFillNs"));
  const deviceIo = dev.latencyNs > 0 || Number.isFinite(dev.bandwidth);

  let syncReads = 0;
  let asyncReads = 0;
  let ioWaitNs = 0;
  let syncIoNs = 0;
  let asyncIoNs = 0;
  let overlapCpuNs = 0;
  let sysNs = 0;
  const work = {
    passes: 0,
    shmemInodesVisited: 0,
    shmemEntriesVisited: 0,
    mmsWalked: 0,
    vmasWalked: 0,
    pmdsVisited: 0,
    pmdsSkipped: 0,
    ptesScanned: 0,
    idlePtesScanned: 0,
    slotsScanned: 0,
    virtualSlotsScanned: 0,
    rmapLookups: 0,
    swapIns: 0,
    swapInsFromDevice: 0,
    swapInsFromZswap: 0,
    swapInsZeroFilled: 0,
    swapCacheOnlyFreed: 0,
    syncReads: 0,
    asyncReads: 0,
    ptesRestored: 0,
    descriptorUpdates: 0,
    slotsFreedAtTeardown: 0,
  };

  // ---- virtual path (reverse map or virtual-cluster scan) ------------------------------------
  if (rules.method === "virtual" && virtualEntries > 0) {
    const vDisk = virtualEntries;
    let scanCpu = 0;
    if (reverseMap) {
      // Two rounds of find_next_to_unuse: round 1 to si->max (usage does not drop), round 2 to the last used slot.
      const scanned = slots - 1 + last;
      const lookups = 2 * vDisk;
      const cpu = scanned * cost(c, "slotScanNs") + lookups * cost(c, "rmapLookupNs");
      addPhase(b, {
        id: "rmap-scan",
        name: `scan the device's slots twice (${rules.rmapSlotItem ?? "slot"}), reverse-map lookup per allocated slot`,
        counts: { slotsScanned: scanned, rmapLookups: lookups },
        cpuNs: cpu,
        ioNs: 0,
        terms: [term(scanned, "slots", "slotScanNs", c), term(lookups, "reverse-map lookups", "rmapLookupNs", c)],
        costs: ["slotScanNs", "rmapLookupNs"],
        sources: ruleSources,
      });
      work.slotsScanned += scanned;
      work.rmapLookups += lookups;
      scanCpu = cpu;
    } else {
      // No reverse map: every slot of every in-use virtual cluster, in both rounds.
      const vWeights = d.layers.virtual ?? {};
      const vEntries = weighted(vWeights, u, Math.round(u.disk * writebackShareOf(input)));
      const vClusters = Math.round(chunkUse(vEntries, { slots, leadingReserved: d.layers.virtualHeaderSlots ?? 0 }, CLUSTER_SLOTS, input.occupancy, { layer: "virtual", drivers: vWeights }).inUse);
      const scanned = 2 * vClusters * CLUSTER_SLOTS;
      const cpu = scanned * cost(c, "descScanNs");
      addPhase(b, {
        id: "virtual-scan",
        name: "no reverse map: scan every slot of every in-use virtual cluster, twice, for entries backed by the device",
        counts: { virtualSlotsScanned: scanned },
        cpuNs: cpu,
        ioNs: 0,
        terms: [term(scanned, "virtual slots", "descScanNs", c)],
        costs: ["descScanNs"],
        sources: ruleSources,
      });
      work.virtualSlotsScanned += scanned;
      scanCpu = cpu;
    }
    const cpu = readCpu(vDisk, 0, 0) + vDisk * cost(c, "vswapStoreNs");
    const bytes = vDisk * PAGE_SIZE_BYTES;
    const io = input.device === "zram" || !deviceIo ? 0 : dev.latencyNs + (bytes / dev.bandwidth) * 1e9;
    addPhase(b, {
      id: "read-and-repoint",
      name: "read every entry into the swap cache (one plugged batch of async reads), re-point its virtual slot at the folio, free the physical slot",
      counts: { swapIns: vDisk, asyncReads: input.device === "zram" ? 0 : vDisk, descriptorUpdates: vDisk },
      cpuNs: cpu,
      ioNs: io,
      terms: [
        term(vDisk, "swap-ins", "swapInCpuNs", c),
        ...(input.device === "zram" ? [term(vDisk, "zram reads", "zramReadNs", c)] : []),
        term(vDisk, "virtual slots re-pointed", "vswapStoreNs", c),
        ...(io > 0 ? [`IO: ${ns(dev.latencyNs)} ns + ${n0(bytes)} B / ${dev.bandwidth.toExponential(2)} B/s, overlapped with CPU`] : []),
      ],
      costs: ["swapInCpuNs", "vswapStoreNs", ...(input.device === "zram" ? (["zramReadNs"] as const) : []), ...(io > 0 ? deviceCostNames(input.device) : [])],
      sources: ruleSources,
    });
    work.swapIns += vDisk;
    work.swapInsFromDevice += vDisk;
    work.descriptorUpdates += vDisk;
    asyncReads += input.device === "zram" ? 0 : vDisk;
    // The reads run while the CPU scans and re-points: only the part of the IO longer than that CPU work is waited for.
    sysNs += scanCpu + cpu;
    ioWaitNs += Math.max(0, io - (scanCpu + cpu));
    asyncIoNs += io;
    overlapCpuNs += scanCpu + cpu;
  }

  // ---- mainline walk (all entries of a direct-mapped design; direct-mapped entries of a virtual design)
  if (walkNeeded) {
    const passes = 1 + retries;
    work.passes = passes;
    // shmem_unuse
    if (shmemInodes > 0) {
      const visited = passes * shmemXa;
      const cpu = visited * cost(c, "shmemEntryNs");
      addPhase(b, {
        id: "shmem",
        name: "shmem_unuse: every present entry of the page-cache xarray of every inode on shmem_swaplist",
        counts: { shmemInodesVisited: passes * shmemInodes, shmemEntriesVisited: visited },
        cpuNs: cpu,
        ioNs: 0,
        terms: [term(visited, "xarray entries", "shmemEntryNs", c)],
        costs: ["shmemEntryNs"],
        sources: walkSources.filter((s) => s.includes("shmem")),
      });
      work.shmemInodesVisited += passes * shmemInodes;
      work.shmemEntriesVisited += visited;
      sysNs += cpu;
    }
    // the mmlist loop
    const ptes = w.mappedBytes / PAGE_SIZE_BYTES;
    const tables = Math.ceil(w.mappedBytes / PMD_SPAN_BYTES);
    const pmdsPerPass = anonVmas > 0 ? Math.max(tables, anonVmas * Math.ceil(vmaSpan / anonVmas / PMD_SPAN_BYTES)) : 0;
    // The mmlist loop runs while the device still has entries after shmem_unuse.
    const walked = processes > 0 && anonVmas > 0 && anonDirect + cacheOnly > 0;
    const mms = walked ? passes * processes : 0;
    const vmas = walked ? passes * anonVmas : 0;
    const pmds = walked ? passes * pmdsPerPass : 0;
    const pmdsSkipped = walked ? passes * (pmdsPerPass - tables) : 0;
    const ptesScanned = walked ? passes * ptes : 0;
    const walkCpu = mms * cost(c, "mmVisitNs") + vmas * cost(c, "vmaVisitNs") + pmds * cost(c, "pmdVisitNs") + ptesScanned * cost(c, "pteVisitNs");
    addPhase(b, {
      id: "mm-walk",
      name: `mmlist loop: every PTE of every anon VMA of every mm on init_mm.mmlist (${rules.walk.pmdSkip})`,
      counts: { mmsWalked: mms, vmasWalked: vmas, pmdsVisited: pmds, pmdsSkipped, ptesScanned, idlePtesScanned: 0 },
      cpuNs: walkCpu,
      ioNs: 0,
      terms: [term(mms, "mms", "mmVisitNs", c), term(vmas, "VMAs", "vmaVisitNs", c), term(pmds, "PMD entries", "pmdVisitNs", c), term(ptesScanned, "PTEs", "pteVisitNs", c)],
      costs: ["mmVisitNs", "vmaVisitNs", "pmdVisitNs", "pteVisitNs"],
      sources: walkSources.filter((s) => !s.includes("shmem") && !s.includes("find_next")),
    });
    Object.assign(work, {
      mmsWalked: work.mmsWalked + mms,
      vmasWalked: work.vmasWalked + vmas,
      pmdsVisited: work.pmdsVisited + pmds,
      pmdsSkipped: work.pmdsSkipped + pmdsSkipped,
      ptesScanned: work.ptesScanned + ptesScanned,
    });
    sysNs += walkCpu;

    // swap-ins of direct entries: device, zswap, zero (mainline: from the device's own entries)
    const dDisk = rules.method === "pte-walk" ? onDev.disk : directEntries;
    const dZswap = rules.method === "pte-walk" ? onDev.zswap : 0;
    const dZero = rules.method === "pte-walk" ? onDev.zero : 0;
    const swapIns = dDisk + dZswap + dZero;
    const restored = anonDirect * mappings;
    const reads = input.device === "zram" || !deviceIo ? 0 : Math.ceil(dDisk / ra);
    const perRead = reads > 0 ? dev.latencyNs + ((ra * PAGE_SIZE_BYTES) / dev.bandwidth) * 1e9 : 0;
    const io = reads * perRead;
    const cpu = readCpu(dDisk, dZswap, dZero) + restored * cost(c, "unusePteNs");
    addPhase(b, {
      id: "swap-in",
      name: "one swap-in per entry (swapin_readahead: device read by readahead window, zswap decompression, zero fill), unuse_pte per swap PTE, folio_free_swap",
      counts: { swapIns, swapInsFromDevice: dDisk, swapInsFromZswap: dZswap, swapInsZeroFilled: dZero, syncReads: reads, ptesRestored: restored },
      cpuNs: cpu,
      ioNs: io,
      terms: [
        term(swapIns, "swap-ins", "swapInCpuNs", c),
        ...(dZswap ? [term(dZswap, "zswap loads", "zswapLoadNs", c)] : []),
        ...(dZero ? [term(dZero, "zero fills", "zeroFillNs", c)] : []),
        ...(dDisk && input.device === "zram" ? [term(dDisk, "zram reads", "zramReadNs", c)] : []),
        term(restored, "PTEs restored", "unusePteNs", c),
        ...(reads ? [`IO wait: ${n0(reads)} synchronous reads of ${ra} pages x (${ns(dev.latencyNs)} ns + ${ra * PAGE_SIZE_BYTES} B / ${dev.bandwidth.toExponential(2)} B/s)`] : []),
      ],
      costs: ["swapInCpuNs", "unusePteNs", ...(dZswap ? (["zswapLoadNs"] as const) : []), ...(dZero ? (["zeroFillNs"] as const) : []), ...(dDisk && input.device === "zram" ? (["zramReadNs"] as const) : []), ...(reads ? (["readaheadPages", ...deviceCostNames(input.device)] as const) : [])],
      sources: walkSources.filter((s) => s.includes("unuse_pte") || s.includes("try_to_unuse")),
    });
    Object.assign(work, {
      swapIns: work.swapIns + swapIns,
      swapInsFromDevice: work.swapInsFromDevice + dDisk,
      swapInsFromZswap: work.swapInsFromZswap + dZswap,
      swapInsZeroFilled: work.swapInsZeroFilled + dZero,
      ptesRestored: work.ptesRestored + restored,
    });
    syncReads += reads;
    sysNs += cpu;
    ioWaitNs += io;
    syncIoNs += io;

    // find_next_to_unuse: only if entries remain after the walk (swap-cache-only slots), up to the last of them;
    // every retry pass scans to si->max.
    const firstScan = cacheOnly > 0 ? last : 0;
    const scanned = firstScan + retries * (slots - 1);
    const cpuScan = scanned * cost(c, "slotScanNs") + cacheOnly * cost(c, "swapCacheFreeNs");
    addPhase(b, {
      id: "slot-scan",
      name: `find_next_to_unuse: linear scan of the ${rules.walk.slotItem}, run only while entries remain; frees swap-cache-only slots`,
      counts: { slotsScanned: scanned, swapCacheOnlyFreed: cacheOnly },
      cpuNs: cpuScan,
      ioNs: 0,
      terms: [term(scanned, "slots", "slotScanNs", c), ...(cacheOnly ? [term(cacheOnly, "swap-cache-only slots freed", "swapCacheFreeNs", c)] : [])],
      costs: ["slotScanNs", ...(cacheOnly ? (["swapCacheFreeNs"] as const) : [])],
      sources: walkSources.filter((s) => s.includes("find_next")),
    });
    work.slotsScanned += scanned;
    work.swapCacheOnlyFreed += cacheOnly;
    sysNs += cpuScan;
  }

  // ---- teardown (free the device's static arrays) and the fixed part
  const teardownCpu = slots * cost(c, "teardownSlotNs");
  addPhase(b, {
    id: "teardown",
    name: "after try_to_unuse: free the device's per-slot arrays",
    counts: { slotsFreedAtTeardown: slots },
    cpuNs: teardownCpu,
    ioNs: 0,
    terms: [term(slots, "slots", "teardownSlotNs", c)],
    costs: ["teardownSlotNs"],
    sources: sourcesOf(c.params.teardownSlotNs.sources.filter((s) => s.kind === "kernel")),
  });
  work.slotsFreedAtTeardown = slots;
  sysNs += teardownCpu;
  const fixedNs = cost(c, "fixedNs");
  b.used.add("fixedNs");

  work.syncReads = syncReads;
  work.asyncReads = asyncReads;
  const realNs = sysNs + ioWaitNs + fixedNs;
  const ioMode: SwapoffEstimate["ioMode"] = syncReads > 0 && asyncReads > 0 ? "mixed" : syncReads > 0 ? "sync-readahead" : asyncReads > 0 ? "async" : "none";

  // ---- what remains afterwards
  const remaining = remainingAfter(input, rules, virtualEntries, mappings, c);
  if (remaining.minorFaultsLater > 0) b.used.add("minorFaultNs");

  const notes: string[] = [...rules.notes];
  if (rules.method === "virtual" && reverseMap === false && rules.reverseMap) notes.push("modelled without the design's reverse map (what-if): the in-use virtual clusters are scanned instead");
  if (rules.method === "virtual" && reverseMap === true && !rules.reverseMap) notes.push("modelled with a reverse map the design does not have (what-if)");
  if (c.ioModel === "folded") notes.push("calibrated costs: device IO is folded into the per-entry cost (sys and real are not separated)");
  if (walkNeeded && rules.method === "pte-walk" && onDev.cache === 0) notes.push("find_next_to_unuse does not run: every entry is freed by the walk, so si->inuse_pages is 0 when the walk ends");

  const allSources = [...new Set([...ruleSources, ...b.phases.flatMap((ph) => ph.sources)])];
  const warnings = calibrationWarnings(c, runUses(b.used, work), realNs);
  return {
    design: { id: d.id, title: d.title, family: d.family, status: d.status },
    method: rules.method,
    reverseMap,
    rulesMatchedBy: paths.matchedBy,
    inputs: {
      swapSizeBytes: input.swapSizeBytes,
      slots,
      device: input.device,
      usage: { ...u },
      entriesOnDevice,
      lastUsedSlot: last,
      occupancy: input.occupancy,
      workload: {
        processes,
        mappedBytes: w.mappedBytes,
        vmaSpanBytes: vmaSpan,
        anonVmas,
        idleProcesses,
        idleMappedBytes: w.idleMappedBytes ?? 0,
        mappingsPerEntry: mappings,
        shmemEntries,
        shmemInodes,
        shmemXarrayEntries: shmemXa,
        retries,
        directShare: w.directShare ?? 0,
      },
      costLabel: c.label,
      ioModel: c.ioModel,
      ...(c.calibration ? { calibration: c.calibration } : {}),
    },
    work,
    phases: b.phases,
    estimate: { sysNs, ioWaitNs, fixedNs, realNs, estimatedNs: realNs, ioMode, syncIoNs, asyncIoNs, overlapCpuNs, ioArithmetic: ioArithmeticOf(syncIoNs, asyncIoNs, overlapCpuNs, ioWaitNs, c) },
    remaining,
    costs: costRows(c, [...b.used]),
    sources: allSources,
    notes,
    warnings,
  };
}

/** Short label of what a swapoff did: PTE walk, reverse-map scan, virtual-cluster scan, or a mix. */
export function methodLabel(r: SwapoffResult): string {
  const parts: string[] = [];
  if (r.work.rmapLookups > 0) parts.push("rmap scan");
  if (r.work.virtualSlotsScanned > 0) parts.push("vcluster scan");
  if (r.work.ptesScanned > 0 || (r.method === "pte-walk" && r.work.swapIns > 0)) parts.push("PTE walk");
  if (parts.length === 0) return r.method === "pte-walk" ? "PTE walk (nothing to do)" : "nothing on the device";
  return parts.join(" + ");
}

function deviceCostNames(device: DeviceKind): CostName[] {
  if (device === "hdd") return ["hddReadLatencyNs", "hddReadBandwidth"];
  if (device === "ssd") return ["ssdReadLatencyNs", "ssdReadBandwidth"];
  return [];
}

function remainingAfter(input: SwapoffInput, rules: SwapoffRules, virtualEntries: number, mappings: number, c: SwapoffCosts): SwapoffRemaining {
  const d = input.design;
  const u = input.usage;
  const base = { design: d, swapSizeBytes: input.swapSizeBytes, memcg: input.memcg, occupancy: input.occupancy, accounting: "kernel" as const, cpus: input.cpus, writebackShare: input.writebackShare };
  const before = overhead({ ...base, device: input.device, usage: u });
  if (rules.method === "pte-walk") {
    // The device is gone with all its metadata (static arrays, tables, and zswap entries of this device, loaded back).
    return {
      clean: true,
      minorFaultsLater: 0,
      minorFaultNs: 0,
      metadataHeldBytes: 0,
      metadataFreedBytes: before.totals.bytes,
      metadataBeforeBytes: before.totals.bytes,
      note: "every PTE restored and the device's metadata freed: nothing is left behind",
    };
  }
  // Virtual layer: the device's entries now sit in the virtual swap cache; PTEs still hold virtual slots.
  // The device and its physical-layer metadata are gone; the virtual layer keeps the swapped-off entries as swap cache.
  const after: Usage = { disk: 0, zswap: u.zswap, zero: u.zero, cache: u.cache + virtualEntries };
  const afterDevice: DeviceKind = d.devices.includes("none") ? "none" : input.device;
  const held = overhead({ ...base, device: afterDevice, usage: after, writebackShare: 0 });
  const heldBytes = held.rows.filter((r) => r.layer === "virtual").reduce((a, r) => a + r.bytes, 0);
  const faults = virtualEntries * mappings;
  return {
    clean: faults === 0,
    minorFaultsLater: faults,
    minorFaultNs: faults * cost(c, "minorFaultNs"),
    metadataHeldBytes: heldBytes,
    metadataFreedBytes: Math.max(0, before.totals.bytes - heldBytes),
    metadataBeforeBytes: before.totals.bytes,
    note:
      faults > 0
        ? "not a clean swapoff: the pages sit in the swap cache of the virtual layer, their PTEs still hold virtual slots (a minor fault each when touched), and the virtual-layer metadata stays allocated until those entries are freed"
        : virtualEntries === 0 && (u.disk > 0 || u.zero > 0)
          ? "no entry on the device had a virtual slot: the direct-mapped ones were restored by the walk (clean); the virtual layer keeps only its own metadata"
          : "no entries were on the device",
  };
}

/**
 * The swap-cache-only what-if for a direct-mapped design: one pass over the device's slots, every
 * entry read (one asynchronous batch in slot order) into the swap cache, no PTE walk, no restore.
 * Nothing can be freed: each PTE still holds its slot, so the device stays in use with all its
 * metadata and disk space, and every page is a minor fault away.
 */
function swapcacheOnly(
  input: SwapoffInput,
  rules: SwapoffRules,
  matchedBy: "design" | "family",
  onDev: { disk: number; zswap: number; zero: number; cache: number },
  slots: number,
  last: number,
): SwapoffResult {
  const d = input.design;
  const c = input.costs;
  const dev = readDevice(c, input.device);
  const b: Builder = { phases: [], used: new Set() };
  const readable = onDev.disk + onDev.zswap + onDev.zero;
  const scanned = last;
  addPhase(b, {
    id: "slot-scan",
    name: `one pass over the ${rules.walk.slotItem} to the last used slot`,
    counts: { slotsScanned: scanned },
    cpuNs: scanned * cost(c, "slotScanNs"),
    ioNs: 0,
    terms: [term(scanned, "slots", "slotScanNs", c)],
    costs: ["slotScanNs"],
    sources: [],
  });
  const cpu =
    onDev.disk * (cost(c, "swapInCpuNs") + dev.cpuNs) + onDev.zswap * (cost(c, "swapInCpuNs") + cost(c, "zswapLoadNs")) + onDev.zero * (cost(c, "swapInCpuNs") + cost(c, "zeroFillNs"));
  const hasIo = input.device !== "zram" && (dev.latencyNs > 0 || Number.isFinite(dev.bandwidth));
  const io = hasIo && onDev.disk > 0 ? dev.latencyNs + ((onDev.disk * PAGE_SIZE_BYTES) / dev.bandwidth) * 1e9 : 0;
  addPhase(b, {
    id: "read-into-swap-cache",
    name: "read every entry into the swap cache (one asynchronous batch); PTEs untouched",
    counts: { swapIns: readable, swapInsFromDevice: onDev.disk, swapInsFromZswap: onDev.zswap, swapInsZeroFilled: onDev.zero, asyncReads: hasIo ? onDev.disk : 0 },
    cpuNs: cpu,
    ioNs: io,
    terms: [term(readable, "swap-ins", "swapInCpuNs", c), ...(onDev.zswap ? [term(onDev.zswap, "zswap loads", "zswapLoadNs", c)] : [])],
    costs: ["swapInCpuNs", ...(onDev.zswap ? (["zswapLoadNs"] as const) : []), ...(io > 0 ? deviceCostNames(input.device) : [])],
    sources: [],
  });
  const sysNs = scanned * cost(c, "slotScanNs") + cpu;
  const ioWaitNs = Math.max(0, io - sysNs);
  const fixedNs = cost(c, "fixedNs");
  b.used.add("fixedNs");
  b.used.add("minorFaultNs");
  const before = overhead({ design: d, swapSizeBytes: input.swapSizeBytes, device: input.device, memcg: input.memcg, usage: input.usage, occupancy: input.occupancy, accounting: "kernel", cpus: input.cpus, writebackShare: input.writebackShare });
  const mappings = input.workload.mappingsPerEntry ?? 1;
  const w = input.workload;
  const work: SwapoffWork = {
    passes: 1, shmemInodesVisited: 0, shmemEntriesVisited: 0, mmsWalked: 0, vmasWalked: 0, pmdsVisited: 0, pmdsSkipped: 0, ptesScanned: 0, idlePtesScanned: 0,
    slotsScanned: scanned, virtualSlotsScanned: 0, rmapLookups: 0, swapIns: readable, swapInsFromDevice: onDev.disk, swapInsFromZswap: onDev.zswap, swapInsZeroFilled: onDev.zero,
    swapCacheOnlyFreed: 0, syncReads: 0, asyncReads: hasIo ? onDev.disk : 0, ptesRestored: 0, descriptorUpdates: 0, slotsFreedAtTeardown: 0,
  };
  const faults = (readable - (w.shmemEntries ?? 0)) * mappings;
  return {
    design: { id: d.id, title: d.title, family: d.family, status: d.status },
    method: "pte-walk",
    reverseMap: null,
    rulesMatchedBy: matchedBy,
    inputs: {
      swapSizeBytes: input.swapSizeBytes, slots, device: input.device, usage: { ...input.usage }, entriesOnDevice: onDev.disk + onDev.zswap + onDev.zero + onDev.cache, lastUsedSlot: last, occupancy: input.occupancy,
      workload: {
        processes: w.processes, mappedBytes: w.mappedBytes, vmaSpanBytes: w.vmaSpanBytes ?? w.mappedBytes, anonVmas: w.anonVmas ?? w.processes, idleProcesses: w.idleProcesses ?? 0, idleMappedBytes: w.idleMappedBytes ?? 0,
        mappingsPerEntry: mappings, shmemEntries: w.shmemEntries ?? 0, shmemInodes: w.shmemInodes ?? 0, shmemXarrayEntries: w.shmemXarrayEntries ?? 0, retries: 0, directShare: 0,
      },
      costLabel: c.label,
      ioModel: c.ioModel,
      ...(c.calibration ? { calibration: c.calibration } : {}),
    },
    work,
    warnings: calibrationWarnings(c, runUses(b.used, work), sysNs + ioWaitNs + fixedNs),
    phases: b.phases,
    estimate: {
      sysNs, ioWaitNs, fixedNs, realNs: sysNs + ioWaitNs + fixedNs, estimatedNs: sysNs + ioWaitNs + fixedNs, ioMode: hasIo && onDev.disk > 0 ? "async" : "none",
      syncIoNs: 0, asyncIoNs: io, overlapCpuNs: sysNs, ioArithmetic: ioArithmeticOf(0, io, sysNs, ioWaitNs, c),
    },
    remaining: {
      clean: false,
      minorFaultsLater: faults,
      minorFaultNs: faults * cost(c, "minorFaultNs"),
      metadataHeldBytes: before.totals.bytes,
      metadataFreedBytes: 0,
      metadataBeforeBytes: before.totals.bytes,
      note: "swap-cache-only what-if: the PTEs still hold the device's slots, so the device cannot be released: all its metadata and disk space stay allocated, and every page is a minor fault away",
    },
    costs: costRows(c, [...b.used]),
    sources: sourcesOf(rules.sources),
    notes: ["what-if, not kernel code: reading every entry into the swap cache without the PTE walk (raised in the thread, 2026-02-10/11)"],
  };
}
