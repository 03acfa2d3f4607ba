/**
 * Evaluators: one per quantity kind, each running a model (or the published tables) on a claim's
 * inputs and returning the value in the base unit of its dimension, with a one-line description of
 * what was computed. Kinds whose model is not on main yet are listed in PENDING with the reason;
 * wiring one later is one entry in EVALUATORS (see the memcg example below).
 */
import { SwapcostInputError } from "../errors.js";
import { resolveDesign } from "../designs/registry.js";
import { STRUCTS } from "../designs/structs.js";
import { layoutStruct } from "../kernel/struct-layout.js";
import { overhead, type OverheadResult } from "../models/overhead.js";
import { inputOf, mixOfBackend, usageOf, type Scenario } from "../models/scenario.js";
import { PAGE_SIZE_BYTES } from "../models/overhead.js";
import { parseSize, formatSizeExact } from "../units/bytes.js";
import { baselineOf, changePct, findMeasure } from "../benchmarks/delta.js";
import { findTable, type BenchTable } from "../benchmarks/tables.js";
import { memcg, type CgroupCounters } from "../models/memcg.js";
import { swapoff } from "../models/swapoff.js";
import { DEFAULT_COSTS } from "../models/swapoff-costs.js";
import { TRANSFER_ENDPOINTS, transfer, type TransferEndpoint } from "../models/transfer.js";
import type { BenchQuantity, LimitQuantity, OverheadMeasure, OverheadQuantity, PendingQuantity, Quantity, ScenarioSpec, StructQuantity } from "./schema.js";
import { parseShare } from "../units/share.js";

export interface LedgerContext {
  readonly benchmarks: readonly BenchTable[];
}

export interface Evaluation {
  /** In the base unit of the quantity's dimension (bytes, bytes/slot, percent, bits...). */
  readonly value: number;
  /** The range the value can take given the rounding of its published inputs (bench quantities). */
  readonly lo?: number;
  readonly hi?: number;
  /** What was computed, in words (for tables and footnotes). */
  readonly inputs: string;
}

export type Evaluator<Q extends Quantity = Quantity> = (q: Q, ctx: LedgerContext) => Evaluation;

// ---------------------------------------------------------------------------------------------
// overhead

export function runScenario(designText: string, s: ScenarioSpec): OverheadResult {
  const design = resolveDesign(designText);
  const swapSizeBytes = parseSize(s.swapSize, "scenario.swapSize");
  const backend = s.backend ?? "zswap";
  const { mix, zram } = mixOfBackend(backend);
  const scenario: Scenario = {
    swapSizeBytes,
    usedShare: s.used ?? 0,
    mix,
    zram,
    device: s.device ?? "auto",
    memcg: s.memcg ?? true,
    occupancy: { kind: "packed" },
    accounting: s.accounting,
    cpus: s.cpus ?? 8,
    writebackShare: s.writebackShare,
  };
  const input = inputOf(design, scenario);
  if (s.entries === undefined) return overhead(input);
  const kind = backend === "zram" ? "disk" : backend;
  return overhead({ ...input, usage: { disk: 0, zswap: 0, zero: 0, cache: 0, [kind]: s.entries } });
}

export function measureOverhead(r: OverheadResult, m: OverheadMeasure): number {
  let rows = r.rows;
  if (m.part === "static" || m.part === "dynamic") rows = rows.filter((x) => x.class === m.part);
  if (m.structures) {
    for (const id of m.structures) {
      if (!r.rows.some((x) => x.structure === id)) {
        throw new SwapcostInputError(`claim structure of ${r.design.id}`, id, `one of ${r.rows.map((x) => x.structure).join(", ")} (present under these inputs)`);
      }
    }
    rows = rows.filter((x) => m.structures!.includes(x.structure));
  }
  const bytes = rows.reduce((a, x) => a + x.bytes, 0);
  switch (m.per) {
    case "device":
      return bytes;
    case "slot":
      return bytes / r.inputs.slots;
    case "entry":
      if (r.inputs.usedEntries === 0) throw new SwapcostInputError("claim measure", "per entry", "a scenario with used entries");
      return bytes / r.inputs.usedEntries;
    case "element": {
      const n = rows.reduce((a, x) => a + x.count, 0);
      if (n === 0) throw new SwapcostInputError("claim measure", "per element", "structures with at least one element in use");
      return bytes / n;
    }
    case "swapSize":
      return (bytes / r.inputs.swapSizeBytes) * 100;
  }
}

export function describeScenario(design: string, s: ScenarioSpec): string {
  const size = formatSizeExact(parseSize(s.swapSize, "scenario.swapSize"));
  const used = s.entries !== undefined ? `${s.entries} entries` : `${Math.round((s.used ?? 0) * 10000) / 100}% used`;
  const wb = s.writebackShare !== undefined ? `, ${s.writebackShare * 100}% written back` : "";
  const dev = s.device && s.device !== "auto" ? `, device ${s.device}` : "";
  return `${design}, ${size}, ${used} ${s.backend ?? "zswap"}${wb}${dev}, ${s.accounting} accounting`;
}

function describeMeasure(m: OverheadMeasure): string {
  const what = m.structures ? m.structures.join("+") : m.part && m.part !== "total" ? `${m.part} bytes` : "total bytes";
  const per = { device: "", slot: " per slot", entry: " per used entry", element: " per element in use", swapSize: " as % of the swap size" }[m.per];
  return `${what}${per}`;
}

const evalOverhead: Evaluator<OverheadQuantity> = (q) => {
  const value = measureOverhead(runScenario(q.design, q.scenario), q.measure);
  let inputs = `${describeMeasure(q.measure)}: ${describeScenario(q.design, q.scenario)}`;
  if (!q.minus) return { value, inputs };
  const design = q.minus.design ?? q.design;
  const scenario = { ...q.scenario, ...q.minus.scenario };
  const other = measureOverhead(runScenario(design, scenario), q.measure);
  inputs += `; minus the same for ${describeScenario(design, scenario)}`;
  return { value: value - other, inputs };
};

// ---------------------------------------------------------------------------------------------
// limit, struct

const evalLimit: Evaluator<LimitQuantity> = (q) => {
  const d = resolveDesign(q.design);
  const lim = d.limits[q.layer];
  if (!lim) throw new SwapcostInputError(`claim limit of ${d.id}`, q.layer, `a layer with a limit (${Object.keys(d.limits).join(", ") || "none"})`);
  return { value: lim.slots * PAGE_SIZE_BYTES, inputs: `${d.id} ${q.layer} limit: ${lim.what} x ${PAGE_SIZE_BYTES} B` };
};

const evalStruct: Evaluator<StructQuantity> = (q) => {
  const def = STRUCTS[q.struct];
  if (!def) throw new SwapcostInputError("claim struct", q.struct, `one of ${Object.keys(STRUCTS).join(", ")}`);
  const l = layoutStruct(def.fields);
  if (q.measure === "size") return { value: l.sizeBytes, inputs: `sizeof(${def.name}) on x86_64` };
  if (q.measure === "bitPadding") return { value: l.bitPadding, inputs: `bit padding of ${def.name} on x86_64` };
  const f = l.fields.find((x) => x.name === q.field);
  if (!f) throw new SwapcostInputError(`claim field of ${def.id}`, q.field, `one of ${l.fields.map((x) => x.name).join(", ")}`);
  return { value: f.sizeBits / 8, inputs: `size of ${def.name}.${f.name} on x86_64` };
};

// ---------------------------------------------------------------------------------------------
// bench: a change recomputed from the published tables

function halfStep(t: BenchTable, test: string, metric: string, series: string): number {
  const rows = t.rows.filter((r) => r.test === test && r.metric === metric && r.series === series);
  const d = Math.max(0, ...rows.map((r) => r.decimals));
  return 0.5 * 10 ** -d;
}

const evalBench: Evaluator<BenchQuantity> = (q, ctx) => {
  const t = findTable(ctx.benchmarks, q.table);
  const results = q.pairs.map((p) => {
    const baseline = p.baseline ?? baselineOf(t, p.test);
    const v = findMeasure(t, p.test, p.metric, p.series);
    const b = findMeasure(t, p.test, p.metric, baseline);
    if (!v || !b) throw new SwapcostInputError(`claim benchmark ${t.meta.id}`, `${p.test} / ${p.metric} / ${p.series} vs ${baseline}`, "a test, metric and series pair present in the table");
    const change = changePct(v.value, b.value);
    if (change === null) throw new SwapcostInputError(`claim benchmark ${t.meta.id}`, `${p.test} / ${p.metric}`, "a non-zero baseline");
    const hv = halfStep(t, p.test, p.metric, p.series);
    const hb = halfStep(t, p.test, p.metric, baseline);
    const corners = [changePct(v.value - hv, b.value + hb)!, changePct(v.value + hv, b.value - hb)!];
    return { change, lo: Math.min(...corners), hi: Math.max(...corners), label: `${p.test} ${p.metric}: ${p.series} vs ${baseline}` };
  });
  const pick = q.aggregate === "min" ? Math.min : Math.max;
  const value = pick(...results.map((r) => r.change));
  const chosen = results.find((r) => r.change === value)!;
  const inputs =
    results.length === 1
      ? `change of ${chosen.label} (published, ${t.meta.id})`
      : `the ${q.aggregate === "min" ? "smallest" : "largest"} change among ${results.map((r) => r.label).join("; ")} (published, ${t.meta.id})`;
  return { value, lo: pick(...results.map((r) => r.lo)), hi: pick(...results.map((r) => r.hi)), inputs };
};

// ---------------------------------------------------------------------------------------------
// memcg: one cgroup, one workload, one counter (src/models/memcg.ts, issue 4)

const MEMCG_COUNTERS: ReadonlyArray<keyof CgroupCounters> = [
  "memory.current",
  "memory.swap.current",
  "memory.zswap.current",
  "memory.stat:anon",
  "memory.stat:zswap",
  "memory.stat:zswapped",
  "memory.stat:zswpout",
  "memory.stat:zswpwb",
  "memory.swap.events:max",
  "memory.swap.events:fail",
];
const MEMCG_PARAMS = ["counter", "anon", "compressionRatio", "zeroShare", "sameFilledShare", "incompressibleShare", "writtenBackShare", "swapDevice", "swapMax", "reclaim"];

function shareParam(v: string | number | boolean | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === "number" ? v : parseShare(String(v), field);
}

/**
 * params: counter (a cgroup file, e.g. memory.swap.current), anon (size pushed out), and optionally
 * compressionRatio (default 3), zeroShare, sameFilledShare, incompressibleShare, writtenBackShare,
 * swapDevice (size or "none"; default the model's 32 GiB), swapMax (size or "max"), reclaim
 * (pageout, lru, limit; default pageout). Bytes for byte counters, pages for event counters.
 */
const evalMemcg: Evaluator<PendingQuantity> = (q) => {
  if (!q.design) throw new SwapcostInputError("claim memcg quantity", "(no design)", "a design id");
  const p = q.params;
  for (const k of Object.keys(p)) if (!MEMCG_PARAMS.includes(k)) throw new SwapcostInputError("claim memcg params", k, MEMCG_PARAMS.join(", "));
  const counter = p.counter as keyof CgroupCounters;
  if (!MEMCG_COUNTERS.includes(counter)) throw new SwapcostInputError("claim memcg params.counter", p.counter, MEMCG_COUNTERS.join(", "));
  const design = resolveDesign(q.design);
  const swapDevice = p.swapDevice === undefined ? undefined : p.swapDevice === "none" ? null : parseSize(String(p.swapDevice), "params.swapDevice");
  const swapMax = p.swapMax === undefined || p.swapMax === "max" ? null : parseSize(String(p.swapMax), "params.swapMax");
  const reclaim = (p.reclaim ?? "pageout") as "pageout" | "lru" | "limit";
  const ratio = Number(p.compressionRatio ?? 3);
  const r = memcg({
    design,
    system: swapDevice === undefined ? {} : { swapDeviceBytes: swapDevice },
    cgroups: [
      {
        name: "claim",
        swapMaxBytes: swapMax,
        workload: {
          anonBytes: parseSize(String(p.anon ?? "1G"), "params.anon"),
          reclaim,
          compressibility: { kind: "ratio", ratio },
          zeroShare: shareParam(p.zeroShare, "params.zeroShare"),
          sameFilledShare: shareParam(p.sameFilledShare, "params.sameFilledShare"),
          incompressibleShare: shareParam(p.incompressibleShare, "params.incompressibleShare"),
          writtenBackShare: shareParam(p.writtenBackShare, "params.writtenBackShare"),
        },
      },
    ],
  });
  const value = r.cgroups[0].counters[counter];
  if (value === null) throw new SwapcostInputError("claim memcg params.counter", counter, `a counter ${design.id} reports (memory.stat:zswpwb needs 6.8+)`);
  const shares = ["zeroShare", "sameFilledShare", "incompressibleShare", "writtenBackShare"].filter((k) => p[k] !== undefined).map((k) => `${k} ${p[k]}`);
  return {
    value,
    inputs: `${counter} of one cgroup: ${design.id}, ${String(p.anon ?? "1G")} anon pushed out (${reclaim}), compression ratio ${ratio}${shares.length ? `, ${shares.join(", ")}` : ""}, swap device ${p.swapDevice ?? "32G"}, memory.swap.max ${p.swapMax ?? "max"}`,
  };
};

// ---------------------------------------------------------------------------------------------
// swapoff and backend transfer (issue 9: src/models/swapoff.ts, src/models/transfer.ts)

const SWAPOFF_PARAMS = ["measure", "swapSize", "used", "mapped", "backend", "method", "processes"];
const SWAPOFF_MEASURES = ["ptesScanned", "ptesScannedPerEntry", "slotsScanned", "swapIns", "metadataHeldAfterBytes", "minorFaultsLater", "estimatedNs"];

/**
 * params: measure (ptesScanned, ptesScannedPerEntry, slotsScanned, swapIns, metadataHeldAfterBytes,
 * minorFaultsLater, estimatedNs), swapSize (default 32G), used (default 50%), mapped (page-table span
 * walked; default the swapped data), backend (disk or zswap; default disk), processes (default 1),
 * method ("read into swap cache": the swap-cache-only what-if of a direct-mapped design).
 */
const evalSwapoff: Evaluator<PendingQuantity> = (q) => {
  if (!q.design) throw new SwapcostInputError("claim swapoff quantity", "(no design)", "a design id");
  const p = q.params;
  for (const k of Object.keys(p)) if (!SWAPOFF_PARAMS.includes(k)) throw new SwapcostInputError("claim swapoff params", k, SWAPOFF_PARAMS.join(", "));
  const measure = String(p.measure);
  if (!SWAPOFF_MEASURES.includes(measure)) throw new SwapcostInputError("claim swapoff params.measure", measure, SWAPOFF_MEASURES.join(", "));
  const design = resolveDesign(q.design);
  const size = parseSize(String(p.swapSize ?? "32G"), "params.swapSize");
  const used = typeof p.used === "number" ? p.used : parseShare(String(p.used ?? "50%"), "params.used");
  const backend = String(p.backend ?? "disk");
  if (backend !== "disk" && backend !== "zswap") throw new SwapcostInputError("claim swapoff params.backend", backend, "disk or zswap");
  const usage = usageOf(size, used, backend === "disk" ? { disk: 1 } : { zswap: 1 });
  const mapped = p.mapped === undefined ? (usage.disk + usage.zswap) * PAGE_SIZE_BYTES : parseSize(String(p.mapped), "params.mapped");
  const method = p.method === undefined ? "full" : String(p.method);
  if (method !== "full" && method !== "read into swap cache") throw new SwapcostInputError("claim swapoff params.method", method, "full or read into swap cache");
  const device = design.devices.includes("ssd") ? "ssd" : design.devices[0];
  const r = swapoff({
    design, swapSizeBytes: size, device, usage, occupancy: { kind: "packed" }, memcg: true, cpus: 8,
    workload: { processes: Number(p.processes ?? 1), mappedBytes: mapped }, costs: DEFAULT_COSTS,
    mode: method === "read into swap cache" ? "swapcache-only" : undefined,
  });
  const value =
    measure === "ptesScannedPerEntry" ? (r.work.swapIns > 0 ? r.work.ptesScanned / r.work.swapIns : 0)
    : measure === "metadataHeldAfterBytes" ? r.remaining.metadataHeldBytes
    : measure === "minorFaultsLater" ? r.remaining.minorFaultsLater
    : measure === "estimatedNs" ? r.estimate.estimatedNs
    : r.work[measure as "ptesScanned" | "slotsScanned" | "swapIns"];
  return {
    value,
    inputs: `${measure} of swapcost's swapoff model: ${design.id} (${method === "full" ? r.method : "swap-cache-only what-if"}), ${formatSizeExact(size)} device ${device}, ${(used * 100).toFixed(0)}% used (${backend}), ${formatSizeExact(mapped)} of page tables walked by ${Number(p.processes ?? 1)} mm`,
  };
};

const TRANSFER_PARAMS = ["measure", "from", "to", "entries", "swapSize", "used"];
const TRANSFER_MEASURES = ["rmapWalksPerEntry", "ptesScanned", "descriptorUpdatesPerEntry", "diskSlotsHeldPerZswapEntry", "perEntryNs"];

/**
 * params: measure (rmapWalksPerEntry = PTEs that had to be found and rewritten per moved entry,
 * ptesScanned, descriptorUpdatesPerEntry, diskSlotsHeldPerZswapEntry, perEntryNs), from / to
 * (zswap, disk = ssd, ssd, hdd, zram; default zswap → ssd), entries (count or size; default 1G),
 * swapSize (default 32G), used (default 50%, half zswap half disk).
 */
const evalTransfer: Evaluator<PendingQuantity> = (q) => {
  if (!q.design) throw new SwapcostInputError("claim transfer quantity", "(no design)", "a design id");
  const p = q.params;
  for (const k of Object.keys(p)) if (!TRANSFER_PARAMS.includes(k)) throw new SwapcostInputError("claim transfer params", k, TRANSFER_PARAMS.join(", "));
  const measure = String(p.measure);
  if (!TRANSFER_MEASURES.includes(measure)) throw new SwapcostInputError("claim transfer params.measure", measure, TRANSFER_MEASURES.join(", "));
  const design = resolveDesign(q.design);
  const end = (v: unknown, dflt: TransferEndpoint): TransferEndpoint => {
    const t = String(v ?? dflt);
    const e = t === "disk" ? "ssd" : t;
    if (!(TRANSFER_ENDPOINTS as readonly string[]).includes(e)) throw new SwapcostInputError("claim transfer params.from/to", t, "zswap, disk, ssd, hdd or zram");
    return e as TransferEndpoint;
  };
  const from = end(p.from, "zswap");
  const to = end(p.to, "ssd");
  const size = parseSize(String(p.swapSize ?? "32G"), "params.swapSize");
  const used = typeof p.used === "number" ? p.used : parseShare(String(p.used ?? "50%"), "params.used");
  const usage = usageOf(size, used, { zswap: 0.5, disk: 0.5 });
  const entriesText = String(p.entries ?? "1G");
  const entries = /^\d+$/.test(entriesText) ? Number(entriesText) : Math.floor(parseSize(entriesText, "params.entries") / PAGE_SIZE_BYTES);
  const r = transfer({
    design, from, to, entries, usage, swapSizeBytes: size, occupancy: { kind: "packed" },
    workload: { processes: 1, mappedBytes: (usage.disk + usage.zswap) * PAGE_SIZE_BYTES }, costs: DEFAULT_COSTS,
  });
  const value =
    measure === "rmapWalksPerEntry" ? (entries > 0 ? r.work.ptesRewritten / entries : 0)
    : measure === "ptesScanned" ? r.work.ptesScanned
    : measure === "descriptorUpdatesPerEntry" ? (entries > 0 ? (r.work.descriptorUpdates + r.work.redirectUpdates) / entries : 0)
    : measure === "diskSlotsHeldPerZswapEntry" ? (usage.zswap > 0 ? r.diskSpace.reservedForZswapBytes / PAGE_SIZE_BYTES / usage.zswap : 0)
    : r.estimate.perEntryNs;
  return {
    value,
    inputs: `${measure} of swapcost's transfer model: ${design.id}, ${r.kind} ${from} -> ${to} of ${entries} entries (${r.mechanism}), ${formatSizeExact(size)} ${(used * 100).toFixed(0)}% used, half zswap half disk`,
  };
};

// ---------------------------------------------------------------------------------------------
// registry

/**
 * The evaluators on main. To wire a model that lands later, add its kind here (as memcg was when
 * src/models/memcg.ts landed) and remove it from PENDING; the claims of that kind then get
 * verdicts without any change to their data.
 */
export const EVALUATORS: Partial<Record<Quantity["kind"], Evaluator<never>>> = {
  overhead: evalOverhead,
  limit: evalLimit,
  struct: evalStruct,
  bench: evalBench,
  memcg: evalMemcg,
  swapoff: evalSwapoff,
  transfer: evalTransfer,
};

/** Why a kind has no evaluator yet. */
export const PENDING: Readonly<Partial<Record<PendingQuantity["kind"], { readonly verdict: string; readonly reason: string }>>> = {
  measurement: { verdict: "not modelled", reason: "a measurement of a whole system under a workload; swapcost models metadata, not this" },
};

export function evaluatorFor(kind: Quantity["kind"]): Evaluator | undefined {
  return EVALUATORS[kind] as Evaluator | undefined;
}
