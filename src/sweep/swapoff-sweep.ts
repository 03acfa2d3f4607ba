/**
 * swapoff and transfer sweeps as flat rows (parameters × work counts × estimates) for DataFrames,
 * figures and mail tables: swapoff vs mapped span and swapped share per design, and the cost of
 * moving X GiB between backends per design.
 */
import type { Design, DeviceKind } from "../designs/types.js";
import type { Occupancy } from "../models/occupancy.js";
import { mixLabel, resolveDevice, usageOf, type Mix } from "../models/scenario.js";
import type { SwapoffCosts } from "../models/swapoff-costs.js";
import { methodLabel, swapoff } from "../models/swapoff.js";
import { transfer, type TransferEndpoint } from "../models/transfer.js";
import { canRun } from "./overhead-sweep.js";

export interface SwapoffSweepGrid {
  readonly designs: readonly Design[];
  readonly swapSizesBytes: readonly number[];
  readonly usedShares: readonly number[];
  /** Page-table span walked; `null` = the swapped anon data itself. */
  readonly mappedBytes: readonly (number | null)[];
  readonly mix?: Mix;
  readonly device?: DeviceKind | "auto";
  readonly processes?: number;
  readonly occupancy?: Occupancy;
  readonly reverseMap?: boolean;
  readonly costs: SwapoffCosts;
}

export interface SwapoffSweepRow {
  readonly design: string;
  readonly family: string;
  readonly method: string;
  readonly swapSizeBytes: number;
  readonly device: string;
  readonly backend: string;
  readonly usedShare: number;
  readonly mappedBytes: number;
  readonly mappedGiB: number;
  readonly processes: number;
  readonly ptesScanned: number;
  readonly slotsScanned: number;
  readonly virtualSlotsScanned: number;
  readonly rmapLookups: number;
  readonly swapIns: number;
  readonly sysNs: number;
  readonly ioWaitNs: number;
  readonly realNs: number;
  readonly sysS: number;
  readonly realS: number;
  readonly minorFaultsLater: number;
  readonly metadataHeldBytes: number;
  readonly costLabel: string;
}

/** One row per (design, size, used share, mapped span); designs that cannot hold the mix are left out. */
export function sweepSwapoff(g: SwapoffSweepGrid): SwapoffSweepRow[] {
  const mix = g.mix ?? { disk: 1 };
  const rows: SwapoffSweepRow[] = [];
  for (const design of g.designs) {
    if (!canRun(design, mix)) continue;
    let device = resolveDevice(design, g.device ?? "auto", mix, false);
    if (device === "none" && (g.device ?? "auto") === "auto" && design.devices.includes("ssd")) device = "ssd";
    for (const size of g.swapSizesBytes) {
      for (const used of g.usedShares) {
        const usage = usageOf(size, used, mix);
        for (const mapped of g.mappedBytes) {
          const mappedBytes = mapped ?? (usage.disk + usage.zswap + usage.zero) * 4096;
          const r = swapoff({
            design,
            swapSizeBytes: size,
            device,
            usage,
            occupancy: g.occupancy ?? { kind: "packed" },
            memcg: true,
            cpus: 8,
            workload: { processes: g.processes ?? 1, mappedBytes },
            costs: g.costs,
            reverseMap: g.reverseMap,
          });
          rows.push({
            design: design.id,
            family: design.family,
            method: methodLabel(r),
            swapSizeBytes: size,
            device,
            backend: mixLabel(mix),
            usedShare: used,
            mappedBytes,
            mappedGiB: mappedBytes / 2 ** 30,
            processes: g.processes ?? 1,
            ptesScanned: r.work.ptesScanned,
            slotsScanned: r.work.slotsScanned,
            virtualSlotsScanned: r.work.virtualSlotsScanned,
            rmapLookups: r.work.rmapLookups,
            swapIns: r.work.swapIns,
            sysNs: r.estimate.sysNs,
            ioWaitNs: r.estimate.ioWaitNs,
            realNs: r.estimate.realNs,
            sysS: r.estimate.sysNs / 1e9,
            realS: r.estimate.realNs / 1e9,
            minorFaultsLater: r.remaining.minorFaultsLater,
            metadataHeldBytes: r.remaining.metadataHeldBytes,
            costLabel: r.inputs.costLabel,
          });
        }
      }
    }
  }
  return rows;
}

export interface TransferSweepRow {
  readonly design: string;
  readonly kind: string;
  readonly mechanism: string;
  readonly from: TransferEndpoint;
  readonly to: TransferEndpoint;
  readonly entries: number;
  readonly movedGiB: number;
  readonly ptesScanned: number;
  readonly ptesRewritten: number;
  readonly descriptorUpdates: number;
  readonly redirectUpdates: number;
  readonly rmapUpdates: number;
  readonly realNs: number;
  readonly realS: number;
  readonly perEntryNs: number;
  readonly diskHeldAfterBytes: number;
}

/** One row per (design, moved amount); designs that cannot make the move are left out. */
export function sweepTransfer(g: {
  readonly designs: readonly Design[];
  readonly from: TransferEndpoint;
  readonly to: TransferEndpoint;
  readonly movedBytes: readonly number[];
  readonly swapSizeBytes: number;
  readonly usedShare: number;
  readonly mix: Mix;
  readonly mappedBytes: number;
  readonly processes?: number;
  readonly writebackShare?: number;
  readonly costs: SwapoffCosts;
}): TransferSweepRow[] {
  const rows: TransferSweepRow[] = [];
  const usage = usageOf(g.swapSizeBytes, g.usedShare, g.mix);
  for (const design of g.designs) {
    if (!canRun(design, g.mix)) continue;
    if (g.from !== "zswap" && !design.entryKinds.includes("disk")) continue;
    if (g.to !== "zswap" && !design.entryKinds.includes("disk")) continue;
    for (const moved of g.movedBytes) {
      let r;
      try {
        r = transfer({ design, from: g.from, to: g.to, entries: Math.floor(moved / 4096), usage, swapSizeBytes: g.swapSizeBytes, occupancy: { kind: "packed" }, writebackShare: g.writebackShare, workload: { processes: g.processes ?? 1, mappedBytes: g.mappedBytes }, costs: g.costs });
      } catch (e) {
        if (e instanceof Error && e.name === "SwapcostInputError" && /writeback/.test(e.message)) break; // the design cannot make this move
        throw e;
      }
      rows.push({
        design: design.id,
        kind: r.kind,
        mechanism: r.mechanism,
        from: g.from,
        to: g.to,
        entries: r.work.entriesMoved,
        movedGiB: (r.work.entriesMoved * 4096) / 2 ** 30,
        ptesScanned: r.work.ptesScanned,
        ptesRewritten: r.work.ptesRewritten,
        descriptorUpdates: r.work.descriptorUpdates,
        redirectUpdates: r.work.redirectUpdates,
        rmapUpdates: r.work.rmapUpdates,
        realNs: r.estimate.realNs,
        realS: r.estimate.realNs / 1e9,
        perEntryNs: r.estimate.perEntryNs,
        diskHeldAfterBytes: r.diskSpace.heldAfterBytes,
      });
    }
  }
  return rows;
}
