/**
 * "Do we really need a reverse mapping, if it's only to optimize swapoff?" — for a design with a
 * virtual layer: the physical → virtual reverse map's memory (a 4 KiB swap table per physical
 * cluster holding disk-backed entries, or the RFCs' xarray, from the overhead model) against the
 * work it changes in swapoff, zswap writeback and tier moves, with the break-even stated.
 *
 * With the map, swapoff scans the device's slots twice and looks each allocated slot up; without
 * it, it scans every slot of every in-use virtual cluster twice. Writeback and per-entry tier moves
 * start from the virtual side, so the map saves them nothing and costs them reverse-map writes;
 * evacuating a whole device is a swapoff. Pure.
 */
import { SwapcostInputError } from "../errors.js";
import type { Design, DeviceKind } from "../designs/types.js";
import { chunkUse, type Occupancy } from "./occupancy.js";
import { overhead, PAGE_SIZE_BYTES, type Usage } from "./overhead.js";
import { cost, type SwapoffCosts } from "./swapoff-costs.js";
import { pathsOf } from "./swapoff-paths.js";
import { CLUSTER_SLOTS, swapoff, type SwapoffResult, type SwapoffWorkload } from "./swapoff.js";

export interface ReverseMapInput {
  readonly design: Design;
  readonly swapSizeBytes: number;
  readonly device: DeviceKind;
  readonly usage: Usage;
  readonly occupancy: Occupancy;
  readonly memcg: boolean;
  readonly cpus: number;
  readonly writebackShare?: number;
  readonly workload: SwapoffWorkload;
  readonly costs: SwapoffCosts;
  /** Entries written back from zswap between two swapoffs (each pays one reverse-map write). Default 0. */
  readonly writebacksPerSwapoff?: number;
}

export interface ReverseMapResult {
  readonly design: string;
  /** Does the design, as posted, keep the map? */
  readonly designHasReverseMap: boolean;
  readonly rmap: {
    readonly bytes: number;
    /** Where the bytes come from: an overhead-model row of the design, or 4 KiB per physical cluster in use (what-if). */
    readonly basis: string;
    readonly diskBackedEntries: number;
    readonly physicalClustersInUse: number;
    readonly bytesPerDiskEntry: number | null;
  };
  readonly swapoff: {
    readonly withRmap: SwapoffResult;
    readonly withoutRmap: SwapoffResult;
    /** Scan-phase CPU only (the swap-ins are the same either way). */
    readonly scanWithNs: number;
    readonly scanWithoutNs: number;
    /** without − with: positive when the map makes swapoff cheaper. */
    readonly savedNs: number;
    readonly savedShareOfSwapoff: number;
  };
  readonly writeback: { readonly rmapWritesPerEntry: number; readonly extraNsPerEntry: number; readonly savedNsPerEntry: number };
  readonly tierMove: { readonly perEntryExtraNs: number; readonly deviceEvacuationSavedNs: number };
  readonly breakEven: {
    /** In-use virtual slots at which both swapoff scans cost the same. */
    readonly virtualSlotsAtBreakEven: number;
    readonly virtualSlotsInUse: number;
    /** virtualSlotsAtBreakEven / device slots. */
    readonly virtualToDeviceSlotRatio: number;
    /** Writebacks per swapoff at which the map's writes eat its swapoff saving (null when it saves nothing). */
    readonly writebacksPerSwapoff: number | null;
    /** Net CPU per swapoff cycle: saved − writebacksPerSwapoff × extra (positive = the map pays). */
    readonly netNsPerCycle: number;
    /** ns saved per swapoff per MiB of reverse map (null when the map is empty). */
    readonly nsSavedPerMiB: number | null;
    readonly statement: string;
  };
  readonly notes: readonly string[];
}

function scanNs(r: SwapoffResult): number {
  return r.phases.filter((p) => p.id === "rmap-scan" || p.id === "virtual-scan").reduce((a, p) => a + p.cpuNs, 0);
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const sec = (ns: number) => `${(ns / 1e9).toFixed(3)} s`;
const mibText = (b: number) => `${(b / 1048576).toFixed(2)} MiB`;

export function reverseMapTradeoff(input: ReverseMapInput): ReverseMapResult {
  const d = input.design;
  const rules = pathsOf(d).swapoff;
  if (rules.method !== "virtual") {
    throw new SwapcostInputError("design", d.id, "a design with a virtual layer (vswap, STE, ghost-p4, redirect)", "direct-mapped designs have no physical → virtual mapping to keep or drop");
  }
  const wbs = input.writebacksPerSwapoff ?? 0;
  if (!Number.isSafeInteger(wbs) || wbs < 0) throw new SwapcostInputError("writebacks per swapoff", wbs, "a non-negative whole number");
  const base = { design: d, swapSizeBytes: input.swapSizeBytes, device: input.device, usage: input.usage, occupancy: input.occupancy, memcg: input.memcg, cpus: input.cpus, writebackShare: input.writebackShare, workload: input.workload, costs: input.costs };
  const withRmap = swapoff({ ...base, reverseMap: true });
  const withoutRmap = swapoff({ ...base, reverseMap: false });
  const slots = Math.floor(input.swapSizeBytes / PAGE_SIZE_BYTES);

  // Reverse-map memory: the design's own row when it has one, else a swap table per physical cluster in use (what-if).
  const disk = withRmap.work.descriptorUpdates; // entries that back a virtual slot on this device
  const physClusters = Math.round(chunkUse(disk, { slots, leadingReserved: 1 }, CLUSTER_SLOTS, input.occupancy, { layer: "physical", drivers: d.layers.physical }).inUse);
  let bytes: number;
  let basis: string;
  const row = rules.rmapStructure
    ? overhead({ design: d, swapSizeBytes: input.swapSizeBytes, device: input.device, memcg: input.memcg, usage: input.usage, occupancy: input.occupancy, accounting: "kernel", cpus: input.cpus, writebackShare: input.writebackShare }).rows.find(
        (r) => r.structure === rules.rmapStructure && r.layer === "physical",
      )
    : undefined;
  const allBackVirtual = rules.directMapped === "none" || (rules.directMapped === "param" && !((input.workload.directShare ?? 0) > 0));
  if (row && allBackVirtual) {
    bytes = row.bytes;
    basis = `overhead model row "${row.name}" (${row.granularity})`;
  } else {
    bytes = physClusters * 4096;
    basis = "what-if: one 4 KiB swap table per physical cluster holding entries that back a virtual slot";
  }

  const scanWith = scanNs(withRmap);
  const scanWithout = scanNs(withoutRmap);
  const saved = scanWithout - scanWith;
  const rmapUpd = cost(input.costs, "rmapUpdateNs");
  const descScan = cost(input.costs, "descScanNs");
  const vSlots = withoutRmap.work.virtualSlotsScanned / 2;
  const vAtBreakEven = descScan > 0 ? scanWith / (2 * descScan) : Infinity;
  const wbBreakEven = saved > 0 && rmapUpd > 0 ? saved / rmapUpd : null;
  const net = saved - wbs * rmapUpd;
  const nsPerMiB = bytes > 0 ? saved / (bytes / 1048576) : null;
  const statement =
    disk === 0
      ? `No entry on the device backs a virtual slot: the reverse map is empty and changes nothing.`
      : `The reverse map holds ${mibText(bytes)} for ${fmt(disk)} disk-backed entries. With it, swapoff's scan costs ${sec(scanWith)} ` +
        `(${fmt(withRmap.work.slotsScanned)} device slots, ${fmt(withRmap.work.rmapLookups)} lookups); without it ${sec(scanWithout)} ` +
        `(${fmt(withoutRmap.work.virtualSlotsScanned)} virtual slots). It ${saved > 0 ? `saves ${sec(saved)} per swapoff` : `costs ${sec(-saved)} more per swapoff`} ` +
        `(${(Math.abs(saved) / Math.max(1, withRmap.estimate.realNs) * 100).toFixed(2)}% of the swapoff's estimated time). ` +
        `Break-even: the map shortens the scan only when more than ${fmt(vAtBreakEven)} virtual slots are in use ` +
        `(${(vAtBreakEven / slots).toFixed(2)}x the device's ${fmt(slots)} slots; now ${fmt(vSlots)}). ` +
        (wbBreakEven !== null
          ? `Each zswap writeback pays ${rmapUpd} ns of reverse-map writes, so the map stops paying in CPU beyond ${fmt(wbBreakEven)} writebacks per swapoff.`
          : `Writebacks and per-entry tier moves only pay for the map (${rmapUpd} ns per reverse-map write); it never pays back in CPU at these inputs.`);
  return {
    design: d.id,
    designHasReverseMap: rules.reverseMap,
    rmap: { bytes, basis, diskBackedEntries: disk, physicalClustersInUse: physClusters, bytesPerDiskEntry: disk > 0 ? bytes / disk : null },
    swapoff: { withRmap, withoutRmap, scanWithNs: scanWith, scanWithoutNs: scanWithout, savedNs: saved, savedShareOfSwapoff: withRmap.estimate.realNs > 0 ? saved / withRmap.estimate.realNs : 0 },
    writeback: { rmapWritesPerEntry: 1, extraNsPerEntry: rmapUpd, savedNsPerEntry: 0 },
    tierMove: { perEntryExtraNs: 2 * rmapUpd, deviceEvacuationSavedNs: saved },
    breakEven: {
      virtualSlotsAtBreakEven: vAtBreakEven,
      virtualSlotsInUse: vSlots,
      virtualToDeviceSlotRatio: vAtBreakEven / slots,
      writebacksPerSwapoff: wbBreakEven,
      netNsPerCycle: net,
      nsSavedPerMiB: nsPerMiB,
      statement,
    },
    notes: [
      "IO order is not modelled: with the map the reads go in device order; without it in virtual-slot order, which on a rotating disk is random IO unless the block layer sorts the plugged batch",
      "the map's other users are not weighed here: physically adjacent readahead on rotating disks and the physical allocator's reclaim of swap-cache-only slots (v6 keeps a bit for it in the map)",
    ],
  };
}

export interface ReverseMapSweepRow {
  readonly design: string;
  readonly swapSizeBytes: number;
  readonly usedShare: number;
  readonly diskShare: number;
  readonly rmapBytes: number;
  readonly scanWithNs: number;
  readonly scanWithoutNs: number;
  readonly savedNs: number;
  readonly virtualSlotsInUse: number;
  readonly virtualSlotsAtBreakEven: number;
  readonly writebacksPerSwapoffAtBreakEven: number | null;
}

/** Rows over device sizes × used shares × disk shares of the used entries (the rest in zswap), for tables and figures. */
export function reverseMapSweep(
  base: Omit<ReverseMapInput, "swapSizeBytes" | "usage">,
  grid: { readonly swapSizesBytes: readonly number[]; readonly usedShares: readonly number[]; readonly diskShares: readonly number[] },
): ReverseMapSweepRow[] {
  const rows: ReverseMapSweepRow[] = [];
  for (const size of grid.swapSizesBytes) {
    const usable = Math.floor(size / PAGE_SIZE_BYTES) - 1;
    for (const used of grid.usedShares) {
      for (const ds of grid.diskShares) {
        const n = Math.round(usable * used);
        const diskN = Math.round(n * ds);
        const usage: Usage = { disk: diskN, zswap: n - diskN, zero: 0, cache: 0 };
        const r = reverseMapTradeoff({ ...base, swapSizeBytes: size, usage });
        rows.push({
          design: r.design,
          swapSizeBytes: size,
          usedShare: used,
          diskShare: ds,
          rmapBytes: r.rmap.bytes,
          scanWithNs: r.swapoff.scanWithNs,
          scanWithoutNs: r.swapoff.scanWithoutNs,
          savedNs: r.swapoff.savedNs,
          virtualSlotsInUse: r.breakEven.virtualSlotsInUse,
          virtualSlotsAtBreakEven: r.breakEven.virtualSlotsAtBreakEven,
          writebacksPerSwapoffAtBreakEven: r.breakEven.writebacksPerSwapoff,
        });
      }
    }
  }
  return rows;
}
