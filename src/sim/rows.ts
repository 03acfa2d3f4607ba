/**
 * Simulation results as flat rows (for DataFrames, figures and CSV exports), one row per
 * (sample, layer) or (sample, design). Pure.
 */
import type { SimLayerId } from "../models/placement.js";
import type { SimRunResult } from "./run.js";

export interface OccupancyRow {
  readonly workload: string;
  readonly event: number;
  readonly layer: SimLayerId;
  readonly live: number;
  readonly clustersInUse: number;
  readonly clustersExisting: number;
  /** Live entries per cluster holding at least one (512 = packed). */
  readonly livePerInUseCluster: number;
}

export interface DesignSeriesRow {
  readonly workload: string;
  readonly event: number;
  readonly live: number;
  /** Live entries as a share of the usable slots, %. */
  readonly livePct: number;
  readonly design: string;
  readonly family: string;
  readonly dynamicBytes: number;
  readonly bytes: number;
  /** Total (static + dynamic) bytes per live entry under the simulated placement, and the analytic ones. */
  readonly simulated: number;
  readonly packed: number;
  readonly random: number;
}

export interface HistogramRow {
  readonly workload: string;
  readonly layer: SimLayerId;
  /** `0`, `1-32`, `33-64`, …, `481-512`: live entries per cluster. */
  readonly bucket: string;
  readonly clusters: number;
  /** Share of the existing clusters, %. */
  readonly sharePct: number;
}

/** Cluster occupancy of every layer at every sample. */
export function occupancyRows(r: SimRunResult, workload = r.config.workload): OccupancyRow[] {
  const out: OccupancyRow[] = [];
  for (const s of r.samples) {
    for (const id of r.config.layers) {
      const l = s.layers[id];
      if (!l) continue;
      out.push({
        workload,
        event: s.event,
        layer: id,
        live: l.live,
        clustersInUse: l.clustersInUse,
        clustersExisting: l.clustersExisting,
        livePerInUseCluster: l.clustersInUse > 0 ? l.live / l.clustersInUse : 0,
      });
    }
  }
  return out;
}

/** Every design's cost per live entry at every sample (designs that cannot hold the entries are left out). */
export function designSeriesRows(r: SimRunResult, workload = r.config.workload, families: ReadonlyMap<string, string> = new Map()): DesignSeriesRow[] {
  const out: DesignSeriesRow[] = [];
  for (const s of r.samples) {
    if (s.live === 0) continue;
    for (const d of r.designs) {
      const c = s.designs[d.id];
      if (!c) continue;
      out.push({
        workload,
        event: s.event,
        live: s.live,
        livePct: (s.live / r.config.usableSlots) * 100,
        design: d.id,
        family: families.get(d.id) ?? d.id,
        dynamicBytes: c.measured.dynamicBytes,
        bytes: c.measured.bytes,
        simulated: c.measured.bytesPerLiveEntry ?? 0,
        packed: c.packed.bytesPerLiveEntry ?? 0,
        random: c.random.bytesPerLiveEntry ?? 0,
      });
    }
  }
  return out;
}

/** The final cluster occupancy histogram of every layer. */
export function histogramRows(r: SimRunResult, workload = r.config.workload): HistogramRow[] {
  const out: HistogramRow[] = [];
  for (const l of r.layers) {
    const h = l.histogram;
    h.clusters.forEach((n, i) => {
      const bucket = i === 0 ? "0" : `${h.upperBounds[i - 1] + 1}-${h.upperBounds[i]}`;
      out.push({ workload, layer: l.id, bucket, clusters: n, sharePct: h.existing > 0 ? (n / h.existing) * 100 : 0 });
    });
  }
  return out;
}
