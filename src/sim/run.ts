/**
 * Run a workload on a SwapSim, sample every layer's occupancy, and price each design at each
 * sample with the overhead model (the design's own structure rules over the measured per-layer
 * chunk counts, the usage the simulation has at that moment). Plain data out.
 */
import { SwapcostInputError } from "../errors.js";
import type { Design, DeviceKind, EntryKind } from "../designs/types.js";
import { MEASURED_CHUNK_SLOTS, driverMask, type MeasuredLayer, type MeasuredOccupancy, type Occupancy } from "../models/occupancy.js";
import { overhead, type OverheadInput, type Usage } from "../models/overhead.js";
import { placementOf, type SimLayerId, type SimulatedPlacement } from "../models/placement.js";
import { resolveDevice } from "../models/scenario.js";
import { KIND_DIRECT, KIND_WRITTEN, KIND_ZERO, KIND_ZSWAP } from "./layer.js";
import { measureLayer, occupancyHistogram, clustersInUse, type OccupancyHistogram } from "./measure.js";
import { SwapSim, type SimCounters } from "./simulator.js";
import { TraceWorkload } from "./trace.js";
import { workloadDef, type KindMix, type Workload, type WorkloadContext, type WorkloadSpec } from "./workloads.js";

export interface SimRunOptions {
  readonly swapSizeBytes: number;
  readonly cpus: number;
  readonly seed: number;
  readonly workload: WorkloadSpec;
  /** The trace file's text (workload `trace`). */
  readonly traceText?: string;
  readonly usedShare: number;
  readonly mix: KindMix;
  readonly writebackRate: number;
  /** Steady-state events (churn workloads) or a cap (fill workloads, traces); null = the workload's default. */
  readonly events: number | null;
  /** Samples over the run (the final state is always one). */
  readonly samples: number;
  readonly designs: readonly Design[];
  /** Extra layers to run even if no design needs them. */
  readonly layers?: readonly SimLayerId[];
  /** Driver masks to measure on every layer besides the designs' (see driverMask). */
  readonly masks?: readonly number[];
  readonly memcg?: boolean;
  readonly discard?: boolean;
  readonly rotational?: boolean;
  readonly debug?: boolean;
  readonly onProgress?: (events: number, expected: number) => void;
}

export interface DesignCost {
  readonly staticBytes: number;
  readonly dynamicBytes: number;
  readonly bytes: number;
  /** Total bytes per live entry (null with no live entry). */
  readonly bytesPerLiveEntry: number | null;
  readonly dynamicBytesPerLiveEntry: number | null;
}

export interface DesignSample {
  readonly measured: DesignCost;
  /** The same usage under the analytic placements. */
  readonly packed: DesignCost;
  readonly random: DesignCost;
}

export interface LayerSample {
  readonly live: number;
  readonly clustersInUse: number;
  readonly clustersExisting: number;
}

export interface SimSample {
  readonly event: number;
  readonly live: number;
  /** Live entries by simulated kind: zswap, zero, direct (disk), written (disk by writeback). */
  readonly byKind: { readonly zswap: number; readonly zero: number; readonly direct: number; readonly written: number };
  readonly layers: Readonly<Partial<Record<SimLayerId, LayerSample>>>;
  /** Per design id; null when the design cannot hold the entries live at this point. */
  readonly designs: Readonly<Record<string, DesignSample | null>>;
}

export interface DesignInfo {
  readonly id: string;
  readonly title: string;
  readonly physical: SimLayerId | null;
  readonly virtual: SimLayerId | null;
  readonly device: DeviceKind;
  readonly placement: string;
}

export interface LayerFinal {
  readonly id: SimLayerId;
  readonly slots: number;
  readonly live: number;
  readonly allocated: number;
  readonly freed: number;
  readonly failures: number;
  readonly histogram: OccupancyHistogram;
  readonly measured: MeasuredLayer;
  /** Dynamic layers: clusters created / freed on demand. */
  readonly clustersCreated?: number;
  readonly clustersReleased?: number;
  /** Entries the layer should hold but could not place. */
  readonly unplaced: number;
}

export interface DesignFinal extends DesignInfo {
  readonly cost: DesignSample | null;
  /** Dynamic structures under the measured placement. */
  readonly rows: readonly { readonly structure: string; readonly name: string; readonly layer: string; readonly count: number; readonly bytes: number; readonly packedBytes: number }[];
  readonly skipped?: string;
}

export interface SimRunResult {
  readonly config: {
    readonly workload: string;
    readonly params: Readonly<Record<string, string>>;
    readonly swapSizeBytes: number;
    readonly slots: number;
    readonly usableSlots: number;
    readonly cpus: number;
    readonly seed: number;
    readonly usedShare: number;
    readonly mix: KindMix;
    readonly writebackRate: number;
    readonly events: number | null;
    readonly samples: number;
    readonly memcg: boolean;
    readonly layers: readonly SimLayerId[];
  };
  readonly counters: SimCounters;
  readonly samples: readonly SimSample[];
  readonly layers: readonly LayerFinal[];
  readonly designs: readonly DesignFinal[];
  readonly usage: Usage;
  readonly writebackShare: number;
  readonly placement: SimulatedPlacement;
}

const DRIVER_KINDS: readonly EntryKind[] = ["disk", "zswap", "zero", "cache"];

/** Layers the designs need, `direct` first. */
export function layersFor(designs: readonly Design[], extra: readonly SimLayerId[] = []): SimLayerId[] {
  const set = new Set<SimLayerId>(["direct", ...extra]);
  for (const d of designs) {
    const p = placementOf(d);
    if (p.physical) set.add(p.physical);
    if (p.virtual) set.add(p.virtual);
  }
  const order: SimLayerId[] = ["direct", "backing", "vswap", "dynamic", "ghost"];
  return order.filter((l) => set.has(l));
}

/** Driver masks each layer must be measured for (every dynamic structure of every design, plus all kinds). */
function masksByLayer(designs: readonly Design[]): Map<SimLayerId, Set<number>> {
  const out = new Map<SimLayerId, Set<number>>();
  const add = (l: SimLayerId | null, m: number) => {
    if (!l || m === 0) return;
    if (!out.has(l)) out.set(l, new Set([15]));
    out.get(l)!.add(m);
  };
  for (const d of designs) {
    const p = placementOf(d);
    for (const s of d.structures) {
      if (s.rule.kind !== "perChunkInUse" && s.rule.kind !== "xarray") continue;
      const w = s.drivenBy ?? (s.layer === "physical" ? d.layers.physical : (d.layers.virtual ?? {}));
      add(s.layer === "physical" ? p.physical : p.virtual, driverMask(w));
    }
  }
  return out;
}

function kindsNeeded(o: SimRunOptions): Set<EntryKind> {
  const k = new Set<EntryKind>();
  if (o.workload.name === "trace") {
    const t = o.traceText ?? "";
    if (/^\s*out\s+\S+\s+\d+\s+zswap\b/m.test(t)) k.add("zswap");
    if (/^\s*out\s+\S+\s+\d+\s+zero\b/m.test(t)) k.add("zero");
    if (/^\s*(out\s+\S+\s+\d+\s+disk\b|wb\s)/m.test(t)) k.add("disk");
    return k;
  }
  if (o.mix.zswap > 0) k.add("zswap");
  if (o.mix.zero > 0) k.add("zero");
  if (o.mix.disk > 0 || (o.writebackRate > 0 && o.mix.zswap > 0)) k.add("disk");
  return k;
}

function costOf(input: OverheadInput, live: number): DesignCost {
  const r = overhead(input);
  return {
    staticBytes: r.totals.staticBytes,
    dynamicBytes: r.totals.dynamicBytes,
    bytes: r.totals.bytes,
    bytesPerLiveEntry: live > 0 ? r.totals.bytes / live : null,
    dynamicBytesPerLiveEntry: live > 0 ? r.totals.dynamicBytes / live : null,
  };
}

export function createWorkload(sim: SwapSim, o: SimRunOptions): Workload {
  const ctx: WorkloadContext = { seed: o.seed, usedShare: o.usedShare, mix: o.mix, writebackRate: o.writebackRate, events: o.events };
  if (o.workload.name === "trace") {
    if (o.traceText === undefined) throw new SwapcostInputError("--workload trace", o.workload.params.file ?? "", "the text of a trace file");
    return new TraceWorkload(sim, o.traceText, o.workload.params.file ?? "trace", ctx);
  }
  const def = workloadDef(o.workload.name);
  if (!def) throw new SwapcostInputError("--workload", o.workload.name, "a known workload");
  return def.create(sim, o.workload.params, ctx);
}

/** Run a simulation with sampling and per-design pricing. */
export function runSimulation(o: SimRunOptions): SimRunResult {
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new SwapcostInputError("--seed", o.seed, "a non-negative whole number");
  if (!Number.isSafeInteger(o.samples) || o.samples < 1 || o.samples > 100000) throw new SwapcostInputError("--samples", o.samples, "a whole number between 1 and 100000");
  const mixSum = o.mix.zswap + o.mix.zero + o.mix.disk;
  if (Math.abs(mixSum - 1) > 1e-9) throw new SwapcostInputError("--mix", JSON.stringify(o.mix), "shares of zswap, zero and disk that sum to 100%");
  const layers = layersFor(o.designs, o.layers);
  const sim = new SwapSim({ swapSizeBytes: o.swapSizeBytes, cpus: o.cpus, layers: layers.filter((l) => l !== "direct"), discard: o.discard, rotational: o.rotational, debug: o.debug });
  const wl = createWorkload(sim, o);
  const memcg = o.memcg ?? true;
  const masks = masksByLayer(o.designs);
  const possible = kindsNeeded(o);
  const designs: DesignInfo[] = o.designs.map((d) => {
    const p = placementOf(d);
    return { id: d.id, title: d.title, physical: p.physical, virtual: p.virtual, device: deviceFor(d, possible), placement: p.why };
  });
  const label = `${o.workload.name}${Object.keys(o.workload.params).length ? "," + Object.entries(o.workload.params).map(([k, v]) => `${k}=${v}`).join(",") : ""} seed ${o.seed}${o.events !== null ? `, ${o.events} events` : ""}`;

  const samples: SimSample[] = [];
  const measureAll = (): Map<SimLayerId, MeasuredLayer> => {
    const m = new Map<SimLayerId, MeasuredLayer>();
    for (const id of layers) m.set(id, measureLayer(sim.layer(id)!, [...(masks.get(id) ?? new Set([15])), ...(o.masks ?? [])], id === "direct" ? sim.chunkKindSets() : undefined));
    return m;
  };
  const usageNow = (): { usage: Usage; writebackShare: number } => {
    const k = sim.liveByKind;
    const disk = k[KIND_DIRECT] + k[KIND_WRITTEN];
    return { usage: { disk, zswap: k[KIND_ZSWAP], zero: k[KIND_ZERO], cache: 0 }, writebackShare: disk > 0 ? k[KIND_WRITTEN] / disk : 0 };
  };
  const priceAll = (measured: Map<SimLayerId, MeasuredLayer>): Record<string, DesignSample | null> => {
    const { usage, writebackShare } = usageNow();
    const out: Record<string, DesignSample | null> = {};
    o.designs.forEach((d, i) => {
      const info = designs[i];
      const present = DRIVER_KINDS.filter((k) => usage[k] > 0);
      if (present.some((k) => !d.entryKinds.includes(k)) || (usage.disk > 0 && info.device === "none")) {
        out[d.id] = null;
        return;
      }
      const occ: MeasuredOccupancy = {
        kind: "measured",
        label: `${label} @ event ${sim.counters.events}`,
        ...(info.physical && measured.has(info.physical) ? { physical: measured.get(info.physical)! } : {}),
        ...(info.virtual && measured.has(info.virtual) ? { virtual: measured.get(info.virtual)! } : {}),
      };
      const base = (occupancy: Occupancy): OverheadInput => ({ design: d, swapSizeBytes: o.swapSizeBytes, device: info.device, memcg, usage, occupancy, accounting: "kernel", cpus: o.cpus, writebackShare });
      out[d.id] = { measured: costOf(base(occ), sim.live), packed: costOf(base({ kind: "packed" }), sim.live), random: costOf(base({ kind: "random" }), sim.live) };
    });
    return out;
  };
  const record = () => {
    const measured = measureAll();
    const ls: Partial<Record<SimLayerId, LayerSample>> = {};
    for (const id of layers) {
      const l = sim.layer(id)!;
      let existing = 0;
      for (let c = 0; c < l.clusters; c++) if (l.clusterExists(c)) existing++;
      ls[id] = { live: l.live, clustersInUse: clustersInUse(l), clustersExisting: existing };
    }
    const k = sim.liveByKind;
    samples.push({
      event: sim.counters.events,
      live: sim.live,
      byKind: { zswap: k[KIND_ZSWAP], zero: k[KIND_ZERO], direct: k[KIND_DIRECT], written: k[KIND_WRITTEN] },
      layers: ls,
      designs: priceAll(measured),
    });
    return measured;
  };

  const expected = Math.max(1, wl.expectedEvents());
  const step = Math.max(1, Math.ceil(expected / o.samples));
  let nextSample = step;
  const chunk = 1 << 20;
  let stalls = 0;
  while (!wl.done) {
    const before = sim.counters.events;
    wl.advance(Math.min(nextSample, before + chunk));
    const trace = wl instanceof TraceWorkload && wl.sampleRequested;
    if (trace) record();
    if (sim.counters.events >= nextSample) {
      if (!trace) record();
      while (nextSample <= sim.counters.events) nextSample += step;
    }
    o.onProgress?.(sim.counters.events, expected);
    if (sim.counters.events === before && !trace && !wl.done) {
      if (++stalls > 3) throw new SwapcostInputError("--workload", label, "a workload that can make progress on this device", "the simulation stopped making progress");
    } else stalls = 0;
  }
  if (o.debug) sim.verify();
  const last = samples[samples.length - 1];
  const measured = last && last.event === sim.counters.events ? measureAll() : record();

  const { usage, writebackShare } = usageNow();
  const finalCosts = samples[samples.length - 1].designs;
  const layerFinals: LayerFinal[] = layers.map((id) => {
    const l = sim.layer(id)!;
    const dyn = l as unknown as { clustersCreated?: number; clustersReleased?: number; dynamic?: boolean };
    const onDemand = id === "vswap" || id === "dynamic";
    return {
      id,
      slots: l.slots,
      live: l.live,
      allocated: l.allocated,
      freed: l.freed,
      failures: l.failures,
      histogram: occupancyHistogram(l),
      measured: measured.get(id)!,
      ...(onDemand ? { clustersCreated: dyn.clustersCreated ?? 0, clustersReleased: dyn.clustersReleased ?? 0 } : {}),
      unplaced: id === "direct" ? 0 : sim.unplaced[id],
    };
  });
  const designFinals: DesignFinal[] = o.designs.map((d, i) => {
    const info = designs[i];
    const cost = finalCosts[d.id] ?? null;
    if (!cost) return { ...info, cost: null, rows: [], skipped: `${d.id} cannot hold the live entries (${DRIVER_KINDS.filter((k) => usage[k] > 0).join(", ")})` };
    const occ: MeasuredOccupancy = {
      kind: "measured",
      label,
      ...(info.physical && measured.has(info.physical) ? { physical: measured.get(info.physical)! } : {}),
      ...(info.virtual && measured.has(info.virtual) ? { virtual: measured.get(info.virtual)! } : {}),
    };
    const input = { design: d, swapSizeBytes: o.swapSizeBytes, device: info.device, memcg, usage, accounting: "kernel" as const, cpus: o.cpus, writebackShare };
    const r = overhead({ ...input, occupancy: occ });
    const p = overhead({ ...input, occupancy: { kind: "packed" } });
    const packedBy = new Map(p.rows.map((x) => [x.structure, x.bytes]));
    const rows = r.rows.filter((x) => x.class === "dynamic").map((x) => ({ structure: x.structure, name: x.name, layer: x.layer, count: x.count, bytes: x.bytes, packedBytes: packedBy.get(x.structure) ?? 0 }));
    return { ...info, cost, rows };
  });
  const placement: SimulatedPlacement = {
    kind: "simulated",
    label,
    usage,
    writebackShare,
    layers: Object.fromEntries(layers.map((id) => [id, measured.get(id)!])),
  };
  return {
    config: {
      workload: o.workload.name,
      params: o.workload.params,
      swapSizeBytes: o.swapSizeBytes,
      slots: sim.slots,
      usableSlots: sim.direct.pages,
      cpus: o.cpus,
      seed: o.seed,
      usedShare: o.usedShare,
      mix: o.mix,
      writebackRate: o.writebackRate,
      events: o.events,
      samples: o.samples,
      memcg,
      layers,
    },
    counters: { ...sim.counters },
    samples,
    layers: layerFinals,
    designs: designFinals,
    usage,
    writebackShare,
    placement,
  };
}

/** The device a design runs on in a simulation that may produce the given entry kinds. */
function deviceFor(d: Design, kinds: ReadonlySet<EntryKind>): DeviceKind {
  const mix: Partial<Record<EntryKind, number>> = {};
  for (const k of kinds) mix[k] = 1;
  return resolveDevice(d, "auto", mix, false);
}

export { MEASURED_CHUNK_SLOTS };
