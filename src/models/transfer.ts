/**
 * Moving swapped-out entries between backends, per design: zswap writeback (zswap → a disk tier),
 * promotion into zswap (disk → zswap) and tier moves between two swap devices (promotion or
 * demotion). The work is counted per mechanism (./swapoff-paths.ts):
 * - direct-mapped designs (mainline, P4, swap tiers): zswap writeback writes to the disk slot the
 *   entry has owned since it was stored (no PTE work, but that slot was held all along); a move
 *   between devices has to find the PTEs holding the old slot (a try_to_unuse-style walk of every
 *   mm on init_mm.mmlist, whatever the number of entries moved) and rewrite each of them;
 * - a virtual layer (vswap, STE, ghost-p4): one descriptor update per entry (and the reverse map's
 *   physical entries), the disk slot allocated at writeback time;
 * - redirect: one redirect entry per entry written back (entries swapped to the disk tier
 *   directly still hold the disk slot in their PTE).
 * Pure.
 */
import { SwapcostInputError } from "../errors.js";
import { citeSource } from "../kernel/sources.js";
import type { Design } from "../designs/types.js";
import type { Occupancy } from "./occupancy.js";
import { PAGE_SIZE_BYTES, type Usage } from "./overhead.js";
import { calibrationWarnings, cost, costRows, readDevice, writeDevice, type CalibrationInfo, type CostName, type CostRow, type SwapoffCosts } from "./swapoff-costs.js";
import { pathsOf, type TransferRules } from "./swapoff-paths.js";
import { PMD_SPAN_BYTES } from "./swapoff.js";

export type TransferEndpoint = "zswap" | "ssd" | "hdd" | "zram";
export const TRANSFER_ENDPOINTS: readonly TransferEndpoint[] = ["zswap", "ssd", "hdd", "zram"];
export type TransferKind = "writeback" | "promote-to-zswap" | "tier-move";

export interface TransferWorkload {
  /** mms on init_mm.mmlist (a direct-mapped move walks them all). */
  readonly processes: number;
  /** Page-table span of their anon VMAs (bytes): the PTEs the walk reads. */
  readonly mappedBytes: number;
  readonly vmaSpanBytes?: number;
  readonly anonVmas?: number;
  /** PTEs referencing each moved entry (> 1 after fork): each is rewritten in a direct-mapped move. Default 1. */
  readonly mappingsPerEntry?: number;
}

export interface TransferInput {
  readonly design: Design;
  readonly from: TransferEndpoint;
  readonly to: TransferEndpoint;
  /** Entries moved. */
  readonly entries: number;
  /** The swap state before the move: entries by backend (bounds the move, sizes the disk space held). */
  readonly usage: Usage;
  readonly swapSizeBytes: number;
  readonly occupancy: Occupancy;
  readonly writebackShare?: number;
  readonly workload: TransferWorkload;
  readonly costs: SwapoffCosts;
  /** Virtual designs: with (true) or without (false) the physical → virtual reverse map. Default: the design's. */
  readonly reverseMap?: boolean;
}

export interface TransferWork {
  readonly entriesMoved: number;
  readonly mmsWalked: number;
  readonly pmdsVisited: number;
  readonly ptesScanned: number;
  readonly ptesRewritten: number;
  readonly descriptorUpdates: number;
  readonly rmapUpdates: number;
  readonly redirectUpdates: number;
  readonly slotsAllocated: number;
  readonly slotsFreed: number;
  readonly deviceReads: number;
  readonly syncReads: number;
  readonly decompressions: number;
  readonly compressions: number;
  readonly deviceWrites: number;
}

export interface TransferPhase {
  readonly id: string;
  readonly name: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly cpuNs: number;
  readonly ioNs: number;
  readonly arithmetic: string;
  readonly costs: readonly CostName[];
}

export interface TransferResult {
  readonly design: { readonly id: string; readonly title: string; readonly family: string };
  readonly kind: TransferKind;
  readonly from: TransferEndpoint;
  readonly to: TransferEndpoint;
  /** The design's mechanism for this kind of move. */
  readonly mechanism: string;
  readonly reverseMap: boolean;
  readonly work: TransferWork;
  readonly phases: readonly TransferPhase[];
  /** Calibrated costs: parameters this move depends on whose value the data did not give, or whose trend is inconclusive. */
  readonly warnings: readonly string[];
  /** What a calibration did to the costs; absent without one. */
  readonly calibration?: CalibrationInfo;
  readonly estimate: {
    readonly sysNs: number;
    /** IO not hidden behind CPU: synchronous IO + max(0, asynchronous IO − the CPU that overlaps it). */
    readonly ioWaitNs: number;
    readonly realNs: number;
    readonly estimatedNs: number;
    readonly perEntryNs: number;
    /** IO the CPU waits on (reads in PTE order, one readahead window at a time). */
    readonly syncIoNs: number;
    /** IO submitted asynchronously (one plugged batch of reads; writeback writes). */
    readonly asyncIoNs: number;
    /** CPU of the device read and write phases: the asynchronous IO runs under it. */
    readonly overlapCpuNs: number;
    /** The overlap rule with the numbers, so IO wait can be re-derived from the phase table. */
    readonly ioArithmetic: string;
  };
  readonly diskSpace: {
    /** Disk (swap device) bytes held by swap entries before and after the move. */
    readonly heldBeforeBytes: number;
    readonly heldAfterBytes: number;
    /** Of heldBefore: slots held by entries whose data is in zswap (mainline reserves them at store time). */
    readonly reservedForZswapBytes: number;
    readonly note: string;
  };
  readonly costs: readonly CostRow[];
  readonly sources: readonly string[];
  readonly notes: readonly string[];
}

export function transferKind(from: TransferEndpoint, to: TransferEndpoint): TransferKind {
  if (from === to) throw new SwapcostInputError("transfer", `${from} -> ${to}`, "two different backends (zswap, ssd, hdd, zram)");
  if (from === "zswap") return "writeback";
  if (to === "zswap") return "promote-to-zswap";
  return "tier-move";
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
const nsText = (x: number) => (x >= 100 ? n0(x) : String(Math.round(x * 1000) / 1000));

function mechanismOf(rules: TransferRules, kind: TransferKind): string {
  if (kind === "writeback") return rules.writeback;
  return rules.tierMove;
}

export function transfer(input: TransferInput): TransferResult {
  const d = input.design;
  const paths = pathsOf(d);
  const rules = paths.transfer;
  const c = input.costs;
  const kind = transferKind(input.from, input.to);
  const u = input.usage;
  if (!Number.isSafeInteger(input.entries) || input.entries < 0) throw new SwapcostInputError("entries", input.entries, "a non-negative whole number of entries");
  const available = input.from === "zswap" ? u.zswap : u.disk;
  if (input.entries > available) {
    throw new SwapcostInputError("entries", input.entries, `at most the ${available} ${input.from === "zswap" ? "zswap" : "disk"} entries of the swap state (--used/--mix)`);
  }
  if ((input.from === "zswap" || input.to === "zswap") && !d.entryKinds.includes("zswap")) throw new SwapcostInputError("backend", "zswap", `one of ${d.entryKinds.join(", ")} for ${d.id}`);
  if (input.from !== "zswap" && !d.entryKinds.includes("disk")) throw new SwapcostInputError("from", input.from, `zswap for ${d.id}`, `${d.id} has no disk-backed entries`);
  if (kind === "writeback" && rules.writeback === "unsupported") {
    throw new SwapcostInputError("transfer", `zswap -> ${input.to}`, `a design with a disk behind zswap`, `${d.id} disables zswap writeback (no data section)`);
  }
  if (input.to !== "zswap" && !d.entryKinds.includes("disk")) throw new SwapcostInputError("to", input.to, `zswap for ${d.id}`, `${d.id} has no disk-backed entries`);
  const mechanism = mechanismOf(rules, kind);
  const virtualDesign = rules.writeback === "descriptor";
  const reverseMap = virtualDesign ? (input.reverseMap ?? rules.rmapWrites > 0) : false;
  const E = input.entries;
  const mappings = input.workload.mappingsPerEntry ?? 1;
  if (!Number.isSafeInteger(mappings) || mappings < 1) throw new SwapcostInputError("mappings per entry", mappings, "a whole number ≥ 1");

  const phases: TransferPhase[] = [];
  const used = new Set<CostName>();
  const add = (ph: Omit<TransferPhase, "arithmetic"> & { terms: string[] }) => {
    const { terms, ...rest } = ph;
    for (const cn of rest.costs) used.add(cn);
    // CPU terms add up to the phase's CPU; its IO term (prefixed "IO") is printed apart, as the IO column is.
    const cpu = terms.filter((t) => !t.startsWith("IO "));
    const io = terms.filter((t) => t.startsWith("IO "));
    phases.push({ ...rest, arithmetic: [cpu.join(" + ") || "0", ...io].join("; ") });
  };
  const term = (count: number, what: string, name: CostName) => `${n0(count)} ${what} x ${nsText(cost(c, name))} ns (${name})`;
  /** The IO term of a phase: requests x latency + bytes / bandwidth, named after the device's parameters. */
  const ioTerm = (dev: "ssd" | "hdd", dir: "Read" | "Write", requests: number, bytes: number, ns: number, how: string) => {
    const lat = `${dev}${dir}LatencyNs` as CostName;
    const bw = `${dev}${dir}Bandwidth` as CostName;
    return `IO (${how}): ${n0(requests)} request(s) x ${nsText(cost(c, lat))} ns (${lat}) + ${n0(bytes)} B / ${cost(c, bw).toExponential(2)} B/s (${bw}) = ${(ns / 1e9).toFixed(3)} s`;
  };

  // Which moved entries still hold the old slot in their PTE (need the walk).
  let walkedEntries = 0;
  if (kind !== "writeback") {
    if (mechanism === "page-table-walk") walkedEntries = kind === "promote-to-zswap" ? 0 : E;
    else if (mechanism === "redirect") {
      const wb = input.writebackShare ?? (u.zswap > 0 ? 1 : 0);
      walkedEntries = E - Math.round(E * wb);
    }
  }
  const work = {
    entriesMoved: E,
    mmsWalked: 0,
    pmdsVisited: 0,
    ptesScanned: 0,
    ptesRewritten: 0,
    descriptorUpdates: 0,
    rmapUpdates: 0,
    redirectUpdates: 0,
    slotsAllocated: 0,
    slotsFreed: 0,
    deviceReads: 0,
    syncReads: 0,
    decompressions: 0,
    compressions: 0,
    deviceWrites: 0,
  };
  let sysNs = 0;
  let syncIoNs = 0;
  let asyncIoNs = 0;
  let asyncCpuNs = 0;
  const overlapPhases: string[] = [];

  // 1. Find the PTEs (direct-mapped moves between devices).
  if (walkedEntries > 0) {
    const w = input.workload;
    if (w.mappedBytes % PAGE_SIZE_BYTES !== 0 || w.mappedBytes < walkedEntries * mappings * PAGE_SIZE_BYTES) {
      throw new SwapcostInputError("mapped", w.mappedBytes, `a page multiple of at least ${walkedEntries * mappings * PAGE_SIZE_BYTES} bytes (the moved entries' PTEs sit in the walked span)`);
    }
    const processes = Math.max(1, w.processes);
    const anonVmas = w.anonVmas ?? processes;
    const vmaSpan = w.vmaSpanBytes ?? w.mappedBytes;
    const ptes = w.mappedBytes / PAGE_SIZE_BYTES;
    const pmds = Math.max(Math.ceil(w.mappedBytes / PMD_SPAN_BYTES), anonVmas * Math.ceil(vmaSpan / anonVmas / PMD_SPAN_BYTES));
    const cpu = processes * cost(c, "mmVisitNs") + anonVmas * cost(c, "vmaVisitNs") + pmds * cost(c, "pmdVisitNs") + ptes * cost(c, "pteVisitNs");
    add({
      id: "page-table-walk",
      name: "find the PTEs holding the old slots: every PTE of every anon VMA of every mm on init_mm.mmlist (the slot is in the PTE; no rmap reaches a swap PTE)",
      counts: { mmsWalked: processes, pmdsVisited: pmds, ptesScanned: ptes },
      cpuNs: cpu,
      ioNs: 0,
      terms: [term(processes, "mms", "mmVisitNs"), term(anonVmas, "VMAs", "vmaVisitNs"), term(pmds, "PMD entries", "pmdVisitNs"), term(ptes, "PTEs", "pteVisitNs")],
      costs: ["mmVisitNs", "vmaVisitNs", "pmdVisitNs", "pteVisitNs"],
    });
    work.mmsWalked = processes;
    work.pmdsVisited = pmds;
    work.ptesScanned = ptes;
    sysNs += cpu;
  }

  // 2. Read the data from the source backend.
  const src = input.from === "zswap" ? null : readDevice(c, input.from);
  if (input.from === "zswap") {
    const cpu = E * cost(c, "zswapLoadNs");
    add({ id: "read", name: "decompress each entry from zswap", counts: { decompressions: E }, cpuNs: cpu, ioNs: 0, terms: [term(E, "decompressions", "zswapLoadNs")], costs: ["zswapLoadNs"] });
    work.decompressions = E;
    sysNs += cpu;
  } else if (src) {
    const cpu = E * (cost(c, "swapInCpuNs") + src.cpuNs);
    const hasIo = input.from !== "zram" && c.ioModel === "device";
    const ra = cost(c, "readaheadPages");
    const sync = walkedEntries > 0 && hasIo ? Math.ceil(walkedEntries / ra) : 0;
    const syncIo = sync * (src.latencyNs + ((ra * PAGE_SIZE_BYTES) / src.bandwidth) * 1e9);
    const asyncEntries = E - (sync > 0 ? walkedEntries : 0);
    const asyncIo = hasIo && asyncEntries > 0 ? src.latencyNs + ((asyncEntries * PAGE_SIZE_BYTES) / src.bandwidth) * 1e9 : 0;
    add({
      id: "read",
      name: `read each entry from ${input.from} into the swap cache${sync ? " (in PTE order, by readahead window, as the walk meets them)" : " (one plugged batch of async reads)"}`,
      counts: { deviceReads: E, syncReads: sync },
      cpuNs: cpu,
      ioNs: syncIo + asyncIo,
      terms: [
        term(E, "reads", "swapInCpuNs"),
        ...(input.from === "zram" ? [term(E, "zram reads", "zramReadNs")] : []),
        ...(sync ? [ioTerm(input.from === "hdd" ? "hdd" : "ssd", "Read", sync, sync * ra * PAGE_SIZE_BYTES, syncIo, `synchronous, ${n0(sync)} readahead windows of ${ra} pages`)] : []),
        ...(asyncIo > 0 ? [ioTerm(input.from === "hdd" ? "hdd" : "ssd", "Read", 1, asyncEntries * PAGE_SIZE_BYTES, asyncIo, "one asynchronous batch")] : []),
      ],
      costs: ["swapInCpuNs", ...(input.from === "zram" ? (["zramReadNs"] as const) : []), ...(hasIo ? (input.from === "hdd" ? (["hddReadLatencyNs", "hddReadBandwidth"] as const) : (["ssdReadLatencyNs", "ssdReadBandwidth"] as const)) : []), ...(sync ? (["readaheadPages"] as const) : [])],
    });
    work.deviceReads = E;
    work.syncReads = sync;
    sysNs += cpu;
    syncIoNs += syncIo;
    asyncIoNs += asyncIo;
    asyncCpuNs += cpu;
    overlapPhases.push("read");
  }

  // 3. Write to the destination backend (allocating the slot unless it was reserved at store time).
  const reservedSlot = kind === "writeback" && mechanism === "reserved-slot";
  if (input.to === "zswap") {
    const cpu = E * cost(c, "compressNs");
    add({ id: "write", name: "compress each entry into zswap", counts: { compressions: E }, cpuNs: cpu, ioNs: 0, terms: [term(E, "compressions", "compressNs")], costs: ["compressNs"] });
    work.compressions = E;
    sysNs += cpu;
  } else {
    const dst = writeDevice(c, input.to);
    const allocs = reservedSlot ? 0 : E;
    const cpu = E * (cost(c, "writeCpuNs") + dst.cpuNs) + allocs * cost(c, "slotAllocNs");
    const hasIo = input.to !== "zram" && c.ioModel === "device";
    const io = hasIo && E > 0 ? dst.latencyNs + ((E * PAGE_SIZE_BYTES) / dst.bandwidth) * 1e9 : 0;
    add({
      id: "write",
      name: reservedSlot ? `write each entry to the ${input.to} slot it has owned since zswap stored it (no allocation)` : `allocate a slot on ${input.to} and write each entry (async writeback)`,
      counts: { deviceWrites: E, slotsAllocated: allocs },
      cpuNs: cpu,
      ioNs: io,
      terms: [
        term(E, "writes", "writeCpuNs"),
        ...(input.to === "zram" ? [term(E, "zram writes", "zramWriteNs")] : []),
        ...(allocs ? [term(allocs, "slot allocations", "slotAllocNs")] : []),
        ...(io > 0 ? [ioTerm(input.to === "hdd" ? "hdd" : "ssd", "Write", 1, E * PAGE_SIZE_BYTES, io, "asynchronous writeback")] : []),
      ],
      costs: ["writeCpuNs", ...(allocs ? (["slotAllocNs"] as const) : []), ...(input.to === "zram" ? (["zramWriteNs"] as const) : []), ...(hasIo ? (input.to === "hdd" ? (["hddWriteLatencyNs", "hddWriteBandwidth"] as const) : (["ssdWriteLatencyNs", "ssdWriteBandwidth"] as const)) : [])],
    });
    work.deviceWrites = E;
    work.slotsAllocated = allocs;
    sysNs += cpu;
    asyncIoNs += io;
    asyncCpuNs += cpu;
    overlapPhases.push("write");
  }

  // 4. Re-point the entry: PTE rewrites, a descriptor, a redirect, or nothing (reserved slot).
  const keepsSlot = reservedSlot || (kind === "promote-to-zswap" && mechanism === "page-table-walk");
  const freed = input.from === "zswap" || keepsSlot ? 0 : E;
  if (walkedEntries > 0) {
    const rewritten = walkedEntries * mappings;
    const cpu = rewritten * cost(c, "pteRewriteNs");
    add({ id: "pte-rewrite", name: "rewrite every PTE that holds the old slot", counts: { ptesRewritten: rewritten }, cpuNs: cpu, ioNs: 0, terms: [term(rewritten, "PTEs", "pteRewriteNs")], costs: ["pteRewriteNs"] });
    work.ptesRewritten = rewritten;
    sysNs += cpu;
  }
  if (mechanism === "descriptor") {
    const rmapPerEntry = !reverseMap ? 0 : kind === "tier-move" ? 2 : 1; // set the new physical entry, clear the old one
    const rm = E * rmapPerEntry;
    const cpu = E * cost(c, "descUpdateNs") + rm * cost(c, "rmapUpdateNs");
    add({
      id: "repoint",
      name: "re-point one descriptor / virtual-table entry per entry (the PTE keeps the virtual slot)",
      counts: { descriptorUpdates: E, rmapUpdates: rm },
      cpuNs: cpu,
      ioNs: 0,
      terms: [term(E, "descriptors", "descUpdateNs"), ...(rm ? [term(rm, "reverse-map entries", "rmapUpdateNs")] : [])],
      costs: ["descUpdateNs", ...(rm ? (["rmapUpdateNs"] as const) : [])],
    });
    work.descriptorUpdates = E;
    work.rmapUpdates = rm;
    sysNs += cpu;
  } else if (mechanism === "redirect") {
    const r = E - walkedEntries;
    const cpu = r * cost(c, "redirectUpdateNs");
    add({ id: "repoint", name: "write or clear one redirect entry in the upper tier per entry", counts: { redirectUpdates: r }, cpuNs: cpu, ioNs: 0, terms: [term(r, "redirect entries", "redirectUpdateNs")], costs: ["redirectUpdateNs"] });
    work.redirectUpdates = r;
    sysNs += cpu;
  }
  work.slotsFreed = freed;

  // Asynchronous IO runs while the CPU submits it (and completes earlier requests): only what outlasts
  // the CPU of the phases that issue it is waited on. Synchronous reads are waited on in full.
  const ioWaitNs = syncIoNs + Math.max(0, asyncIoNs - asyncCpuNs);
  const realNs = sysNs + ioWaitNs;
  const s3 = (x: number) => `${(x / 1e9).toFixed(3)} s`;
  const ioArithmetic =
    syncIoNs + asyncIoNs === 0
      ? "IO wait = 0 s (no device IO" + (c.ioModel === "folded" ? ": calibrated, IO is inside the per-entry cost)" : ")")
      : `IO wait = synchronous IO ${s3(syncIoNs)} + max(0, asynchronous IO ${s3(asyncIoNs)} - CPU it overlaps ${s3(asyncCpuNs)} (${overlapPhases.join(" + ")} CPU)) = ${s3(ioWaitNs)} ` +
        "(asynchronous IO runs under the CPU of the device read and write phases; synchronous reads are waited on in full)";

  // Disk space held by swap entries, before and after.
  const slotOwners = d.layers.physical;
  const holdsSlot = (k: keyof Usage) => (slotOwners[k] ?? 0) > 0;
  const heldBefore = (u.disk + (holdsSlot("zswap") ? u.zswap : 0) + (holdsSlot("zero") ? u.zero : 0) + (holdsSlot("cache") ? u.cache : 0)) * PAGE_SIZE_BYTES;
  let heldAfter = heldBefore;
  if (kind === "writeback" && !reservedSlot) heldAfter += E * PAGE_SIZE_BYTES;
  if (kind === "promote-to-zswap" && !holdsSlot("zswap")) heldAfter -= E * PAGE_SIZE_BYTES;
  const reservedForZswap = holdsSlot("zswap") ? u.zswap * PAGE_SIZE_BYTES : 0;

  const notes = [...rules.notes];
  if (kind === "promote-to-zswap" && mechanism === "page-table-walk") {
    notes.push("mainline has no disk → zswap promotion; modelled as read into the swap cache, compress, zswap_store at the same slot (PTEs unchanged, the disk slot stays held)");
  }
  if (virtualDesign && input.reverseMap !== undefined && input.reverseMap !== rules.rmapWrites > 0) notes.push(`modelled ${input.reverseMap ? "with" : "without"} a reverse map (what-if)`);
  return {
    design: { id: d.id, title: d.title, family: d.family },
    kind,
    from: input.from,
    to: input.to,
    mechanism: kind === "promote-to-zswap" && mechanism === "page-table-walk" ? "reserved-slot (zswap store at the same slot)" : mechanism,
    reverseMap,
    work,
    phases,
    estimate: { sysNs, ioWaitNs, realNs, estimatedNs: realNs, perEntryNs: E > 0 ? realNs / E : 0, syncIoNs, asyncIoNs, overlapCpuNs: asyncCpuNs, ioArithmetic },
    diskSpace: {
      heldBeforeBytes: heldBefore,
      heldAfterBytes: heldAfter,
      reservedForZswapBytes: reservedForZswap,
      note: holdsSlot("zswap")
        ? "every zswap entry owns a disk slot from the moment it is stored (allocated and charged to memory.swap before zswap_store), so writeback needs no allocation and no PTE work, at the price of that disk space"
        : "disk slots are allocated only for entries that are written to disk",
    },
    costs: costRows(c, [...used]),
    sources: rules.sources.map(citeSource),
    notes,
    warnings: calibrationWarnings(
      c,
      ([["mmVisitNs", work.mmsWalked], ["pmdVisitNs", work.pmdsVisited], ["pteVisitNs", work.ptesScanned], ["swapInCpuNs", work.deviceReads], ["zswapLoadNs", work.decompressions]] as const).filter(([n]) => used.has(n)),
      realNs,
    ),
    ...(c.calibration ? { calibration: c.calibration } : {}),
  };
}
