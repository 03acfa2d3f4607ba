/**
 * The static/dynamic overhead model: what a design's swap metadata costs for a device of a given
 * size and kind, a given usage by backend, and a given placement of the used entries.
 *
 * Pure: inputs in, a plain readonly record out. Every row is one structure of the design's
 * inventory with its integer bytes, per-slot and per-used-entry ratios and its sources. Both
 * accountings are always computed: `kernel` (what the kernel allocates, allocator rounding
 * included) and `letter` (the nominal per-slot / per-entry sizes the cover letters count); the
 * selected one fills `rows`/`totals`, and `reconciliation` itemises the difference.
 */
import { SwapcostInputError, SwapcostInvariantError } from "../errors.js";
import { allocationBytes, objectsBytes } from "../kernel/alloc.js";
import { XA_NODE_BYTES, XA_NODE_SLAB } from "../kernel/constants.js";
import { citeSource } from "../kernel/sources.js";
import type { Design, DeviceKind, EntryKind, EntryWeights, LetterRule, SizeRule, Structure, StructureClass } from "../designs/types.js";
import { ENTRY_KINDS, ruleClass } from "../designs/types.js";
import { chunkUse, describeOccupancy, unreservedChunksInUse, xarrayNodes, type ChunkDrivers, type Occupancy, type SlotSpace } from "./occupancy.js";

export const PAGE_SIZE_BYTES = 4096;
export const CLUSTER_SLOTS = 512;

export type Accounting = "kernel" | "letter";

/** Used entries by backend (whole entries). */
export type Usage = Readonly<Record<EntryKind, number>>;

export interface OverheadInput {
  readonly design: Design;
  /** Swap size in bytes: the device, or the declared/virtual size when there is no device. */
  readonly swapSizeBytes: number;
  readonly device: DeviceKind;
  /** memcg enabled (no cgroup_disable=memory). */
  readonly memcg: boolean;
  readonly usage: Usage;
  readonly occupancy: Occupancy;
  readonly accounting: Accounting;
  /** Possible CPUs (per-CPU allocations). */
  readonly cpus: number;
  /** zswap pool allocator; defaults to the design's. */
  readonly zpool?: "zsmalloc" | "zbud";
  /**
   * Share of the disk-backed entries that reached the disk by zswap writeback (rather than being
   * swapped to disk directly). Default: 1 when any entry is in zswap, else 0.
   */
  readonly writebackShare?: number;
}

export interface OverheadRow {
  readonly structure: string;
  readonly name: string;
  readonly what: string;
  /** The sizing rule (plain data from the registry), so a row can be re-derived by hand. */
  readonly rule: SizeRule;
  readonly class: StructureClass;
  readonly layer: "physical" | "virtual";
  readonly granularity: string;
  /** Elements counted: slots, clusters in use, objects, … (see `granularity`). */
  readonly count: number;
  readonly bytes: number;
  readonly bytesPerSlot: number;
  readonly bytesPerUsedEntry: number | null;
  readonly sources: readonly string[];
  /** All of `sources` as one line ("a; b"): the row field issue #2 names `source`. */
  readonly source: string;
  readonly note?: string;
}

export interface ReconciliationRow {
  readonly structure: string;
  readonly name: string;
  readonly class: StructureClass;
  readonly kernelBytes: number;
  readonly letterBytes: number;
  readonly deltaBytes: number;
  readonly reason: string;
}

export interface Totals {
  readonly staticBytes: number;
  readonly dynamicBytes: number;
  readonly bytes: number;
  readonly bytesPerSlot: number;
  readonly bytesPerUsedEntry: number | null;
}

export interface OverheadResult {
  readonly design: {
    readonly id: string;
    readonly title: string;
    readonly family: string;
    readonly status: string;
    readonly params: Readonly<Record<string, string>>;
  };
  readonly inputs: {
    readonly swapSizeBytes: number;
    readonly pageSizeBytes: number;
    readonly slots: number;
    readonly clusters: number;
    readonly usableSlots: number;
    readonly device: DeviceKind;
    readonly memcg: boolean;
    readonly cpus: number;
    readonly zpool: "zsmalloc" | "zbud";
    readonly occupancy: Occupancy;
    readonly occupancyText: string;
    readonly accounting: Accounting;
    readonly usage: Usage;
    readonly writebackShare: number;
    readonly usedEntries: number;
    readonly usedShare: number;
  };
  readonly rows: readonly OverheadRow[];
  readonly totals: Totals;
  readonly otherTotals: Totals;
  readonly reconciliation: readonly ReconciliationRow[];
  readonly notes: readonly string[];
}

/** Per-structure strings computed once (rows are built in hot sweeps). */
interface StructureInfo {
  readonly cls: StructureClass;
  readonly granularity: string;
  readonly sources: readonly string[];
}
const infoCache = new WeakMap<Structure, StructureInfo>();
function info(s: Structure): StructureInfo {
  let c = infoCache.get(s);
  if (!c) {
    c = { cls: ruleClass(s.rule), granularity: granularityOf(s), sources: s.sources.map(citeSource) };
    infoCache.set(s, c);
  }
  return c;
}

export function usedEntries(u: Usage): number {
  return u.disk + u.zswap + u.zero + u.cache;
}

function weighted(w: EntryWeights, u: Usage, writtenBack: number): number {
  let n = 0;
  for (const kind of ENTRY_KINDS) {
    const x = w[kind];
    if (x) n += x * u[kind];
  }
  if (w.writeback) n += w.writeback * writtenBack;
  return Math.round(n);
}

export function defaultWritebackShare(u: Usage): number {
  return u.zswap > 0 ? 1 : 0;
}

/** Does the structure exist under these inputs (device kind, memcg, zpool, layer present)? */
export function structureApplies(s: Structure, device: DeviceKind, memcg: boolean, zpool: string, hasVirtual: boolean): boolean {
  if (s.layer === "physical" && device === "none") return false;
  if (s.layer === "virtual" && !hasVirtual) return false;
  const w = s.when;
  if (!w) return true;
  if (w.devices && !w.devices.includes(device)) return false;
  if (w.memcg !== undefined && w.memcg !== memcg) return false;
  if (w.zpool && w.zpool !== zpool) return false;
  return true;
}

export function granularityOf(s: Structure): string {
  const r = s.rule;
  const drivers = s.drivenBy ? driverLabel(s.drivenBy) : "";
  switch (r.kind) {
    case "perSlots":
      if (r.slotsPerElement === 1) return "static per slot";
      if (r.slotsPerElement === 512) return "static per cluster";
      if (r.slotsPerElement === 16384) return "static per 64 MiB address space";
      if (r.slotsPerElement === 64 && r.elementBytes === 8) return "static per slot (bitmap)";
      return `static per ${r.slotsPerElement} slots`;
    case "pagedPerSlots":
      return "static per slot (paged)";
    case "fixed":
      return r.perCpu ? "static per CPU" : "static per device";
    case "reservedClusters":
      return "static per reserved cluster";
    case "perChunkInUse":
      return r.chunkSlots === 512 ? `per ${s.layer} cluster in use` : `per ${r.chunkSlots}-slot chunk in use`;
    case "xarray":
      return `per 64-slot xarray node in use (${drivers})`;
    case "perEntry":
      return `per ${drivers} entry`;
  }
}

function driverLabel(w: EntryWeights): string {
  const kinds = ENTRY_KINDS.filter((k) => (w[k] ?? 0) > 0);
  if (kinds.length === ENTRY_KINDS.length) return "used";
  if (kinds.length === 1 && kinds[0] === "disk") return "disk-backed";
  if (kinds.length === 0 && w.writeback) return "written-back";
  return kinds.map((k) => (w[k] === 1 ? k : `${k}×${w[k]}`)).join("+");
}

interface Geometry {
  readonly slots: number;
  readonly clusters: number;
  readonly physical: SlotSpace;
  readonly virtual: SlotSpace;
}

function kernelBytes(s: Structure, g: Geometry, input: OverheadInput, driven: number, who: ChunkDrivers): { bytes: number; count: number } {
  const r = s.rule;
  const space = s.layer === "physical" ? g.physical : g.virtual;
  const n = space.slots;
  switch (r.kind) {
    case "perSlots": {
      const elements = Math.ceil(n / r.slotsPerElement);
      return { bytes: allocationBytes(r.allocator, elements * r.elementBytes, input.cpus), count: elements };
    }
    case "pagedPerSlots": {
      const pages = Math.ceil(n / r.slotsPerPage);
      return { bytes: pages * PAGE_SIZE_BYTES + allocationBytes(r.pointerAllocator, pages * r.pointerBytes, input.cpus), count: pages };
    }
    case "fixed": {
      if (r.perCpu) return { bytes: allocationBytes({ kind: "percpu" }, r.bytes, input.cpus), count: input.cpus };
      return { bytes: allocationBytes(r.allocator, r.bytes, input.cpus), count: 1 };
    }
    case "reservedClusters": {
      if (n === 0) return { bytes: 0, count: 0 };
      const clusters = Math.ceil(n / CLUSTER_SLOTS);
      const reserved = (space.leadingReserved > 0 ? 1 : 0) + (n % CLUSTER_SLOTS !== 0 && clusters > 1 ? 1 : 0);
      return { bytes: reserved * allocationBytes(r.allocator, r.bytesPerCluster, input.cpus), count: reserved };
    }
    case "perChunkInUse": {
      const chunks = Math.round(
        r.skipReserved
          ? unreservedChunksInUse(driven, space, r.chunkSlots, input.occupancy, who)
          : chunkUse(driven, space, r.chunkSlots, input.occupancy, who).inUse,
      );
      return { bytes: objectsBytes(r.allocator, r.bytesPerChunk, chunks, input.cpus), count: chunks };
    }
    case "xarray": {
      const nodes = Math.round(xarrayNodes(driven, space, r.treeSlots === 0 ? Math.max(1, n) : r.treeSlots, input.occupancy, 64, who));
      const slab = { kind: "slab", cache: "radix_tree_node", objectsPerSlab: XA_NODE_SLAB.objectsPerSlab, slabBytes: XA_NODE_SLAB.slabBytes } as const;
      return { bytes: objectsBytes(slab, XA_NODE_BYTES.value, nodes, input.cpus), count: nodes };
    }
    case "perEntry":
      return { bytes: objectsBytes(r.allocator, r.bytesPerEntry, driven, input.cpus), count: driven };
  }
}

function letterBytes(rule: LetterRule | readonly LetterRule[], s: Structure, g: Geometry, input: OverheadInput, driven: number, who: ChunkDrivers): number {
  if (Array.isArray(rule)) return (rule as readonly LetterRule[]).reduce((sum, r) => sum + letterBytes(r, s, g, input, driven, who), 0);
  const l = rule as LetterRule;
  const space = s.layer === "physical" ? g.physical : g.virtual;
  switch (l.per) {
    case "slot":
      return space.slots * l.bytes;
    case "slotBits":
      return Math.ceil((space.slots * l.bits) / 8);
    case "cluster":
      return Math.ceil(space.slots / CLUSTER_SLOTS) * l.bytes;
    case "entry":
      return driven * l.bytes;
    case "clusterInUse":
      return Math.round(chunkUse(driven, space, CLUSTER_SLOTS, input.occupancy, who).inUse) * l.bytes;
  }
}

function reconReason(s: Structure, kernel: number, letter: number | null): string {
  if (letter === null) return "not counted by the letters";
  if (kernel === letter) return "same";
  const r = s.rule;
  switch (r.kind) {
    case "perSlots":
    case "fixed":
      return `allocator rounding (${"allocator" in r ? r.allocator.kind : "pages"})`;
    case "pagedPerSlots":
      return "one page per 2048 slots + page-pointer array";
    case "perChunkInUse":
      return "whole per-cluster tables for clusters in use vs nominal bytes per entry";
    case "xarray":
      return "576-byte xa_nodes per 64-slot span (and tree levels) vs 8 B per entry";
    case "perEntry":
      return "slab packing";
    case "reservedClusters":
      return "tables allocated at swapon";
  }
}

function validate(input: OverheadInput): void {
  const d = input.design;
  const size = input.swapSizeBytes;
  if (!Number.isSafeInteger(size) || size < 2 * PAGE_SIZE_BYTES) {
    throw new SwapcostInputError("swap size", size, "at least 2 pages (8192 bytes): a header page and one slot, as a whole number of bytes");
  }
  if (!d.devices.includes(input.device)) {
    const why =
      input.device === "none"
        ? `${d.id} needs a swap device (zswap sits in front of a swapfile in this design)`
        : d.devices.length === 1 && d.devices[0] === "none"
          ? `${d.id} has no data device`
          : `not a device ${d.id} runs on`;
    throw new SwapcostInputError("device", input.device, `one of ${d.devices.join(", ")} for ${d.id}`, why);
  }
  if (!Number.isSafeInteger(input.cpus) || input.cpus < 1 || input.cpus > 8192) {
    throw new SwapcostInputError("cpus", input.cpus, "a whole number of possible CPUs between 1 and 8192");
  }
  for (const kind of ENTRY_KINDS) {
    const v = input.usage[kind];
    if (!Number.isSafeInteger(v) || v < 0) throw new SwapcostInputError(`usage.${kind}`, v, "a non-negative whole number of entries");
    if (v > 0 && !d.entryKinds.includes(kind)) {
      throw new SwapcostInputError("backend", kind, `one of ${d.entryKinds.join(", ")} for ${d.id}`, `${d.id} cannot hold ${kind} entries`);
    }
  }
  if (input.usage.disk > 0 && input.device === "none") {
    throw new SwapcostInputError("backend", "disk", "zswap, zero or cache entries when there is no swap device (device none)", "disk-backed entries need a device");
  }
  const slots = Math.floor(size / PAGE_SIZE_BYTES);
  const usable = slots - 1;
  const used = usedEntries(input.usage);
  if (used > usable) {
    throw new SwapcostInputError("used entries", used, `at most ${usable} (the usable slots of a ${slots}-slot device: the header page is never used)`);
  }
  const phys = input.device === "none" ? 0 : slots;
  const lim = d.limits;
  if (phys > 0 && lim.physical && phys > lim.physical.slots) {
    throw new SwapcostInputError("swap size", size, `at most ${lim.physical.slots * PAGE_SIZE_BYTES} bytes for ${d.id}`, `exceeds ${lim.physical.what}`);
  }
  if (d.layers.virtual && lim.virtual && slots > lim.virtual.slots) {
    throw new SwapcostInputError("swap size", size, `at most ${lim.virtual.slots * PAGE_SIZE_BYTES} bytes for ${d.id}`, `exceeds ${lim.virtual.what}`);
  }
  if (input.writebackShare !== undefined && !(input.writebackShare >= 0 && input.writebackShare <= 1)) {
    throw new SwapcostInputError("writeback share", input.writebackShare, "a share between 0 and 1");
  }
  if (input.occupancy.kind === "mean") {
    const n = input.occupancy.entriesPerCluster;
    if (!(n >= 1 && n <= CLUSTER_SLOTS)) throw new SwapcostInputError("occupancy", n, "a mean between 1 and 512 entries per in-use cluster");
  }
}

function totalsOf(rows: readonly { class: StructureClass; bytes: number }[], slots: number, used: number): Totals {
  let staticBytes = 0;
  let dynamicBytes = 0;
  for (const r of rows) {
    if (r.class === "static") staticBytes += r.bytes;
    else dynamicBytes += r.bytes;
  }
  const bytes = staticBytes + dynamicBytes;
  if (!Number.isSafeInteger(bytes)) throw new SwapcostInvariantError(`total ${bytes} is not a safe integer`);
  return {
    staticBytes,
    dynamicBytes,
    bytes,
    bytesPerSlot: slots > 0 ? bytes / slots : 0,
    bytesPerUsedEntry: used > 0 ? bytes / used : null,
  };
}

function makeRow(s: Structure, si: StructureInfo, count: number, bytes: number, slots: number, used: number): OverheadRow {
  return {
    structure: s.id,
    name: s.name,
    what: s.what,
    rule: s.rule,
    class: si.cls,
    layer: s.layer,
    granularity: si.granularity,
    count,
    bytes,
    bytesPerSlot: slots > 0 ? bytes / slots : 0,
    bytesPerUsedEntry: used > 0 ? bytes / used : null,
    sources: si.sources,
    source: si.sources.join("; "),
    note: s.note,
  };
}

/** Compute a design's swap metadata for one device and usage. */
export function overhead(input: OverheadInput): OverheadResult {
  validate(input);
  const d = input.design;
  const zpool = input.zpool ?? d.defaultZpool;
  const slots = Math.floor(input.swapSizeBytes / PAGE_SIZE_BYTES);
  const clusters = Math.ceil(slots / CLUSTER_SLOTS);
  const hasVirtual = d.layers.virtual !== undefined;
  const g: Geometry = {
    slots,
    clusters,
    physical: { slots: input.device === "none" ? 0 : slots, leadingReserved: input.device === "none" ? 0 : 1 },
    virtual: { slots, leadingReserved: d.layers.virtualHeaderSlots ?? 0 },
  };
  const used = usedEntries(input.usage);
  const writebackShare = input.writebackShare ?? defaultWritebackShare(input.usage);
  const writtenBack = Math.round(input.usage.disk * writebackShare);

  const kernelRows: OverheadRow[] = [];
  const letterRows: OverheadRow[] = [];
  const recon: ReconciliationRow[] = [];
  for (const s of d.structures) {
    if (!structureApplies(s, input.device, input.memcg, zpool, hasVirtual)) continue;
    const si = info(s);
    const cls = si.cls;
    const layerWeights = s.layer === "physical" ? d.layers.physical : (d.layers.virtual ?? {});
    const who: ChunkDrivers = { layer: s.layer, drivers: s.drivenBy ?? layerWeights };
    const driven = cls === "dynamic" ? weighted(who.drivers, input.usage, writtenBack) : 0;
    const kb = kernelBytes(s, g, input, driven, who);
    const lb = s.letter ? letterBytes(s.letter, s, g, input, driven, who) : null;
    if (!Number.isSafeInteger(kb.bytes) || kb.bytes < 0) throw new SwapcostInvariantError(`${d.id}/${s.id}: kernel bytes ${kb.bytes}`);
    if (lb !== null && (!Number.isSafeInteger(lb) || lb < 0)) throw new SwapcostInvariantError(`${d.id}/${s.id}: letter bytes ${lb}`);
    kernelRows.push(makeRow(s, si, kb.count, kb.bytes, slots, used));
    if (lb !== null) letterRows.push(makeRow(s, si, kb.count, lb, slots, used));
    recon.push({
      structure: s.id,
      name: s.name,
      class: cls,
      kernelBytes: kb.bytes,
      letterBytes: lb ?? 0,
      deltaBytes: kb.bytes - (lb ?? 0),
      reason: reconReason(s, kb.bytes, lb),
    });
  }
  const kernelTotals = totalsOf(kernelRows, slots, used);
  const letterTotals = totalsOf(letterRows, slots, used);
  const isKernel = input.accounting === "kernel";
  return {
    design: { id: d.id, title: d.title, family: d.family, status: d.status, params: d.params ?? {} },
    inputs: {
      swapSizeBytes: input.swapSizeBytes,
      pageSizeBytes: PAGE_SIZE_BYTES,
      slots,
      clusters,
      usableSlots: slots - 1,
      device: input.device,
      memcg: input.memcg,
      cpus: input.cpus,
      zpool,
      occupancy: input.occupancy,
      occupancyText: describeOccupancy(input.occupancy),
      accounting: input.accounting,
      usage: { ...input.usage },
      writebackShare,
      usedEntries: used,
      usedShare: slots > 1 ? used / (slots - 1) : 0,
    },
    rows: isKernel ? kernelRows : letterRows,
    totals: isKernel ? kernelTotals : letterTotals,
    otherTotals: isKernel ? letterTotals : kernelTotals,
    reconciliation: recon,
    notes: d.notes ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// Net against a baseline

export interface NetRow {
  readonly structure: string;
  readonly name: string;
  readonly class: StructureClass;
  readonly baselineBytes: number;
  readonly designBytes: number;
  readonly deltaBytes: number;
  /** What happened to the structure: kept, changed, new (replaces …), removed (replaced by …). */
  readonly change: string;
}

export interface NetResult {
  readonly baseline: string;
  readonly design: string;
  readonly rows: readonly NetRow[];
  readonly staticDeltaBytes: number;
  readonly dynamicDeltaBytes: number;
  readonly deltaBytes: number;
  /** (design − baseline) / baseline; null when the baseline total is 0. */
  readonly deltaShare: number | null;
}

/**
 * Design minus baseline, structure by structure. A structure only in the design lists which
 * baseline structures it replaces; one only in the baseline names what replaced it.
 */
export function netAgainst(result: OverheadResult, baseline: OverheadResult, designReplaces: ReadonlyMap<string, readonly string[]>): NetResult {
  const b = new Map(baseline.rows.map((r) => [r.structure, r]));
  const d = new Map(result.rows.map((r) => [r.structure, r]));
  const ids = [...new Set([...baseline.rows.map((r) => r.structure), ...result.rows.map((r) => r.structure)])];
  const replacedBy = new Map<string, string[]>();
  for (const [id, reps] of designReplaces) {
    if (!d.has(id) || b.has(id)) continue;
    for (const r of reps) if (b.has(r)) replacedBy.set(r, [...(replacedBy.get(r) ?? []), id]);
  }
  const rows: NetRow[] = ids.map((id) => {
    const br = b.get(id);
    const dr = d.get(id);
    const baselineBytes = br?.bytes ?? 0;
    const designBytes = dr?.bytes ?? 0;
    let change: string;
    if (br && dr) change = baselineBytes === designBytes ? "same" : "changed";
    else if (dr) {
      const reps = (designReplaces.get(id) ?? []).filter((r) => b.has(r) && !d.has(r));
      change = reps.length ? `new, replaces ${reps.join(", ")}` : "new";
    } else {
      const by = replacedBy.get(id);
      change = by ? `removed, replaced by ${by.join(", ")}` : "removed";
    }
    return {
      structure: id,
      name: (dr ?? br)!.name,
      class: (dr ?? br)!.class,
      baselineBytes,
      designBytes,
      deltaBytes: designBytes - baselineBytes,
      change,
    };
  });
  const sum = (cls: StructureClass) => rows.filter((r) => r.class === cls).reduce((a, r) => a + r.deltaBytes, 0);
  const deltaBytes = result.totals.bytes - baseline.totals.bytes;
  return {
    baseline: baseline.design.id,
    design: result.design.id,
    rows,
    staticDeltaBytes: sum("static"),
    dynamicDeltaBytes: sum("dynamic"),
    deltaBytes,
    deltaShare: baseline.totals.bytes > 0 ? deltaBytes / baseline.totals.bytes : null,
  };
}

/** replaces-map of a design, for netAgainst. */
export function replacesMap(d: Design): ReadonlyMap<string, readonly string[]> {
  return new Map(d.structures.filter((s) => s.replaces && s.replaces.length).map((s) => [s.id, s.replaces!]));
}
