/**
 * What each design would cost on a host: the snapshot's devices and usage by backend become the
 * overhead model's inputs, device by device, for every design; the host's own kernel is the
 * baseline. Pure: a snapshot in, a plain record out. Every derived number says where it came from
 * (`from`), and everything that could not be known says why (`degraded`).
 */
import { isInputError } from "../errors.js";
import { citeSource, k } from "../kernel/sources.js";
import { resolveDesign } from "../designs/registry.js";
import type { Design, DeviceKind, EntryKind } from "../designs/types.js";
import { ENTRY_KINDS } from "../designs/types.js";
import { overhead, PAGE_SIZE_BYTES, type Accounting, type OverheadResult, type Totals, type Usage } from "../models/overhead.js";
import type { Occupancy } from "../models/occupancy.js";
import { apportion } from "../units/share.js";
import { baselineForRelease, type Baseline } from "./baseline.js";
import type { CgroupRecord, Degradation, HostSnapshot, MmSummary, SwapDeviceRecord } from "./snapshot.js";
import { parseRelease, type Limit } from "./parse.js";

export interface HostAnalysisOptions {
  readonly designs: readonly Design[];
  /** Override the baseline the kernel release maps to. */
  readonly baseline?: Design;
  readonly occupancy: Occupancy;
  readonly accounting: Accounting;
  /** Used when the snapshot does not say (default 8, as the CLI's). */
  readonly defaultCpus?: number;
  /**
   * On kernels whose zero-filled swap entries have no gauge (6.12+: zeromap), estimate them as
   * vmstat swpout_zero - swpin_zero (an upper bound: zero entries freed without a swap-in, at
   * munmap or exit, are never subtracted). Default: not estimated (they count as disk entries).
   */
  readonly zeroFromVmstat?: boolean;
  /**
   * Also run every design with entries scattered uniformly over the clusters (random occupancy),
   * when the chosen occupancy is packed: where the entries sit is not visible from the host's
   * files, and per-cluster tables cost anywhere between the two.
   */
  readonly scatteredBound?: boolean;
}

/** A number and where it was read or how it was derived. */
export interface Sourced<T = number> {
  readonly value: T;
  readonly from: string;
}

export interface BackendUsage {
  readonly swapUsedPages: number;
  readonly swapUsablePages: number;
  readonly zswap: {
    readonly enabled: boolean | null;
    readonly compressor: string | null;
    readonly zpool: string | null;
    /** Pages stored in zswap now (same-filled ones included on kernels that store them). */
    readonly storedPages: Sourced | null;
    /** Same-filled pages among them (6.1-6.11 debugfs), null when not observable. */
    readonly sameFilledPages: Sourced | null;
    readonly poolBytes: Sourced | null;
    /** Pages written back to disk since boot (a counter, not current state). */
    readonly writtenBackPages: Sourced | null;
    /** Original bytes of the compressed (non-same-filled) pages ÷ pool bytes. */
    readonly poolRatio: Sourced | null;
  };
  readonly zram: readonly {
    readonly name: string;
    readonly swapDevice: boolean;
    readonly disksizeBytes: number | null;
    readonly origBytes: number | null;
    readonly comprBytes: number | null;
    readonly memUsedBytes: number | null;
    readonly samePages: number | null;
    /** orig ÷ compr (compression) and orig ÷ mem_used_total (with allocator overhead). */
    readonly ratio: number | null;
    readonly memRatio: number | null;
  }[];
  readonly swapCachedPages: Sourced | null;
  /** Where zero-filled entries come from (6.1-6.11: zswap same-filled; zram same_pages), or why they are unknown. */
  readonly zeroNote: string;
  /** 6.12+: zero entries estimated from vmstat when asked (--zero-from-vmstat). */
  readonly zeroEstimate: Sourced | null;
  /** Share of disk-backed entries that got there by zswap writeback (for designs with redirects). */
  readonly writebackShare: Sourced;
  /** Since-boot event counters, for context. */
  readonly events: Readonly<Record<string, number>>;
}

export interface DeviceUsage {
  readonly path: string;
  readonly type: "partition" | "file";
  readonly block: string | null;
  readonly kind: DeviceKind;
  readonly kindFrom: string;
  /** swap size given to the model: (usable pages + 1 header page) × 4096. */
  readonly swapSizeBytes: number;
  readonly usablePages: number;
  readonly usedPages: number;
  readonly usage: Usage;
  /** How usage was split (apportioning, clamps). */
  readonly split: readonly string[];
}

export interface DesignOnHost {
  readonly id: string;
  readonly title: string;
  readonly family: string;
  readonly status: string;
  readonly runnable: boolean;
  /** Why the design cannot hold this host's swap (e.g. disk entries on a ghost swapfile). */
  readonly reason: string | null;
  /** Devices as the design would run them (`none` for a ghost file). */
  readonly devices: readonly DeviceKind[];
  readonly totals: Totals | null;
  readonly otherTotals: Totals | null;
  readonly perDevice: readonly OverheadResult[];
  /** Baseline total − this total (positive: the design saves memory on this host). */
  readonly savingBytes: number | null;
  readonly rank: number | null;
}

export interface CgroupUsage {
  readonly path: string;
  readonly depth: number;
  readonly memoryCurrent: number | null;
  readonly swapCurrent: number | null;
  readonly zswapCurrent: number | null;
  /** Original bytes in zswap (memory.stat zswapped). */
  readonly zswappedBytes: number | null;
  readonly swapcachedBytes: number | null;
  /** Resident anonymous memory (memory.stat anon). */
  readonly anonBytes: number | null;
  /** memory.stat swpout_zero - swpin_zero (6.12+): zero-filled pages swapped out and not swapped in since (an upper bound of those out now). */
  readonly zeroOutPages: number | null;
  /** memory.stat zswpwb (6.8+): pages written back from zswap since the group was created. */
  readonly writtenBackPages: number | null;
  /** memory.swap.current ÷ 4096: slots charged (one per swapped page on mainline). */
  readonly slotsCharged: number | null;
  /** Slots whose data is not in zswap: on disk, zero-filled (zeromap) or in the swap cache. */
  readonly slotsNotInZswap: number | null;
  /** zswapped ÷ zswap (original ÷ charged compressed bytes). */
  readonly ratio: number | null;
  readonly memoryMax: Limit | null;
  readonly swapMax: Limit | null;
  readonly zswapMax: Limit | null;
  readonly zswapWriteback: boolean | null;
  /** Limits the group sits at now (within one page). */
  readonly atLimit: readonly string[];
}

export interface HostAnalysis {
  readonly origin: string;
  readonly capturedAt: string | null;
  readonly kernel: { readonly release: string | null; readonly version: string | null };
  readonly baseline: (Baseline & { readonly sourcesText: readonly string[] }) | null;
  readonly cpus: Sourced;
  readonly memcg: Sourced<boolean>;
  readonly memTotalBytes: number | null;
  readonly occupancy: Occupancy;
  readonly accounting: Accounting;
  readonly backends: BackendUsage;
  readonly devices: readonly DeviceUsage[];
  readonly usage: Usage;
  readonly designs: readonly DesignOnHost[];
  /** The same designs with random occupancy (scatteredBound), else null. */
  readonly scattered: readonly DesignOnHost[] | null;
  readonly cgroups: { readonly hierarchy: string; readonly mount: string | null; readonly groups: readonly CgroupUsage[] };
  /** Process counts summed at capture (swapcost/mm-summary), for the swapoff model; null when absent. */
  readonly processes: MmSummary | null;
  readonly degraded: readonly Degradation[];
  /** Every value read, as `file: what = value` lines, in reading order. */
  readonly inputs: readonly { readonly file: string; readonly what: string }[];
}

const PAGE = PAGE_SIZE_BYTES;

/** A file as the host names it (`/proc/swaps`); the report's header names the snapshot directory. */
function at(_s: HostSnapshot, rel: string): string {
  return "/" + rel;
}

function backendUsage(s: HostSnapshot, degraded: Degradation[], zeroFromVmstat: boolean): BackendUsage {
  const mi = s.meminfo;
  const vm = s.vmstat ?? {};
  const dbg = s.zswap.debug;
  const swaps = s.swaps ?? [];
  const src = (rel: string, key: string) => `${at(s, rel)} ${key}`;
  const storedPages: Sourced | null =
    dbg?.stored_pages !== undefined
      ? { value: dbg.stored_pages, from: src("sys/kernel/debug/zswap/stored_pages", "") .trim() }
      : mi && mi.Zswapped !== undefined
        ? { value: Math.round(mi.Zswapped / PAGE), from: `${src("proc/meminfo", "Zswapped")} / 4096` }
        : null;
  const sameFilledPages: Sourced | null = dbg?.same_filled_pages !== undefined ? { value: dbg.same_filled_pages, from: at(s, "sys/kernel/debug/zswap/same_filled_pages") } : null;
  const poolBytes: Sourced | null =
    dbg?.pool_total_size !== undefined
      ? { value: dbg.pool_total_size, from: at(s, "sys/kernel/debug/zswap/pool_total_size") }
      : mi && mi.Zswap !== undefined
        ? { value: mi.Zswap, from: src("proc/meminfo", "Zswap") }
        : null;
  const writtenBackPages: Sourced | null =
    dbg?.written_back_pages !== undefined
      ? { value: dbg.written_back_pages, from: at(s, "sys/kernel/debug/zswap/written_back_pages") }
      : vm.zswpwb !== undefined
        ? { value: vm.zswpwb, from: src("proc/vmstat", "zswpwb") }
        : null;
  const compressed = storedPages ? storedPages.value - (sameFilledPages?.value ?? 0) : 0;
  const poolRatio: Sourced | null =
    poolBytes && poolBytes.value > 0 && compressed > 0
      ? { value: (compressed * PAGE) / poolBytes.value, from: `(stored${sameFilledPages ? " - same-filled" : ""} pages x 4096) / pool bytes` }
      : null;
  const swapCachedPages: Sourced | null = mi && mi.SwapCached !== undefined ? { value: Math.round(mi.SwapCached / PAGE), from: `${src("proc/meminfo", "SwapCached")} / 4096` } : null;

  let writebackShare: Sourced;
  const pswpout = vm.pswpout;
  if (!storedPages || (storedPages.value === 0 && (writtenBackPages?.value ?? 0) === 0)) {
    writebackShare = { value: 0, from: "no zswap use: disk entries were swapped to disk directly" };
  } else if (writtenBackPages && pswpout !== undefined && pswpout > 0) {
    writebackShare = {
      value: Math.min(1, writtenBackPages.value / pswpout),
      from: `since-boot ratio ${writtenBackPages.value} written back / ${pswpout} pswpout (${at(s, "proc/vmstat")}; zswap writeback goes through __swap_writepage(), which counts pswpout: ${citeSource(k("deb-6.1", "mm/zswap.c", "1047"))}, ${citeSource(k("deb-6.1", "mm/page_io.c", "336-365"))}), applied to the disk entries present now`,
    };
  } else if (writtenBackPages && (pswpout ?? 0) === 0) {
    writebackShare = { value: 0, from: "no page was written to a swap device since boot (pswpout = 0)" };
  } else {
    writebackShare = { value: 1, from: "written-back count unknown (no debugfs written_back_pages, no vmstat zswpwb): assumed 100% as the model's default with zswap in use" };
    degraded.push({ area: "zswap writeback", reason: writebackShare.from });
  }

  const zram = s.zram.map((z) => {
    const mm = z.mmStat;
    return {
      name: z.name,
      swapDevice: z.swapDevice,
      disksizeBytes: z.disksizeBytes,
      origBytes: mm?.origDataSize ?? null,
      comprBytes: mm?.comprDataSize ?? null,
      memUsedBytes: mm?.memUsedTotal ?? null,
      samePages: mm?.samePages ?? null,
      ratio: mm && mm.comprDataSize > 0 ? mm.origDataSize / mm.comprDataSize : null,
      memRatio: mm && mm.memUsedTotal > 0 ? mm.origDataSize / mm.memUsedTotal : null,
    };
  });

  const zeroBound = vm.swpout_zero !== undefined && vm.swpin_zero !== undefined ? Math.max(0, vm.swpout_zero - vm.swpin_zero) : null;
  const zeroEstimate: Sourced | null =
    !sameFilledPages && zeroFromVmstat && zeroBound !== null
      ? { value: zeroBound, from: `${src("proc/vmstat", "swpout_zero")} - swpin_zero = ${zeroBound} (upper bound: zero entries freed without a swap-in are not subtracted)` }
      : null;
  const zeroNote = zeroEstimate
    ? `zero entries estimated as ${zeroEstimate.from} (--zero-from-vmstat)`
    : !sameFilledPages && zeroBound !== null
      ? `6.12+ keep zero-filled entries in the zeromap, which has no gauge: they count as disk entries; ${src("proc/vmstat", "swpout_zero")} - swpin_zero = ${zeroBound} bounds them from above (--zero-from-vmstat uses it)`
      : sameFilledPages
    ? `same-filled zswap entries (${at(s, "sys/kernel/debug/zswap/same_filled_pages")}) are counted as zero entries`
    : s.zswap.debug
      ? "zswap debugfs has no same_filled_pages (6.12+ send zero-filled pages to the zeromap, which has no gauge): zero-filled entries present now are not observable and count as disk entries"
      : "zero-filled entries are not observable without zswap debugfs (6.1-6.11) or at all (6.12+: zeromap, no gauge): they count as disk entries";
  const events: Record<string, number> = {};
  for (const key of ["pswpin", "pswpout", "zswpin", "zswpout", "zswpwb", "swpin_zero", "swpout_zero"]) if (vm[key] !== undefined) events[key] = vm[key];

  return {
    swapUsedPages: swaps.reduce((a, d) => a + d.usedPages, 0),
    swapUsablePages: swaps.reduce((a, d) => a + d.usablePages, 0),
    zswap: { enabled: s.zswap.enabled, compressor: s.zswap.compressor, zpool: s.zswap.zpool, storedPages, sameFilledPages, poolBytes, writtenBackPages, poolRatio },
    zram,
    swapCachedPages,
    zeroNote,
    zeroEstimate,
    writebackShare,
    events,
  };
}

/**
 * Split the host's backend counts over its swap devices (pages → entries by kind per device).
 * zswap fronts every device, so zswap pages are apportioned by used slots; a zram device's
 * same_pages are its zero entries. Swap-cached pages are not a kind of their own here: a page in the
 * swap cache still holds its slot and its data on disk or in zswap (swapped-in pages keep the slot
 * until swap is half full: should_try_to_free_swap()), so each counts with its backend; the number is
 * reported in BackendUsage.swapCachedPages.
 */
function splitDevices(s: HostSnapshot, b: BackendUsage): DeviceUsage[] {
  const swaps = s.swaps ?? [];
  // 6.12+ keep zero-filled pages in the zeromap; before, they reach the device (zram: same_pages)
  let zeromapKernel = false;
  if (s.kernel.release) {
    const v = parseRelease(s.kernel.release);
    zeromapKernel = v.major > 6 || (v.major === 6 && v.minor >= 12);
  }
  if (swaps.length === 0) return [];
  const weights = swaps.map((d) => d.usedPages);
  const stored = b.zswap.storedPages?.value ?? 0;
  const same = Math.min(stored, b.zswap.sameFilledPages?.value ?? 0);
  const zswapParts = apportion(stored - same, weights);
  const sameParts = apportion(same + (b.zeroEstimate?.value ?? 0), weights);
  const many = swaps.length > 1;
  return swaps.map((d: SwapDeviceRecord, i) => {
    const split: string[] = [];
    if (many && stored > 0) split.push(`zswap pages apportioned over the ${swaps.length} devices by used slots`);
    const zr = d.block ? b.zram.find((z) => z.name === d.block) : undefined;
    let zswap = zswapParts[i];
    let zero = sameParts[i] + (zr?.samePages ?? 0);
    if (zr?.samePages) split.push(`${zr.samePages} zram same_pages (same-filled pages, no memory allocated) counted as zero entries`);
    if (zr && zr.origBytes !== null && zeromapKernel) {
      // every page written to a zram device is stored (orig_data_size counts it, same-filled ones
      // included); used slots holding neither a zram page nor a zswap page are zero-filled entries
      // kept in the zeromap (6.12+), which never reach the device
      const notStored = d.usedPages - zswap - sameParts[i] - Math.round(zr.origBytes / PAGE);
      if (notStored > 0 && !b.zeroEstimate) {
        zero = sameParts[i] + (zr.samePages ?? 0) + notStored;
        split.push(`${notStored} used slots hold neither a zram page (mm_stat orig_data_size / 4096) nor a zswap entry: zero-filled entries in the zeromap, counted as zero entries`);
      }
    }
    let room = d.usedPages;
    if (zswap > room) {
      split.push(`zswap pages ${zswap} > used slots ${room} (counters read at different instants): clamped`);
      zswap = room;
    }
    room -= zswap;
    if (zero > room) {
      split.push(`zero entries ${zero} > remaining used slots ${room}: clamped`);
      zero = room;
    }
    room -= zero;
    const kind: DeviceKind = d.kind === "unknown" ? "ssd" : d.kind;
    return {
      path: d.path,
      type: d.type,
      block: d.block,
      kind,
      kindFrom: d.kindFrom,
      swapSizeBytes: (d.usablePages + 1) * PAGE,
      usablePages: d.usablePages,
      usedPages: d.usedPages,
      usage: { disk: room, zswap, zero, cache: 0 },
      split,
    };
  });
}

/** The device kind a design runs one of the host's devices as (a ghost swapfile: none), or why it cannot hold its entries. */
export function designDevice(design: Design, dev: DeviceUsage): { device: DeviceKind } | { reason: string } {
  for (const kind of ENTRY_KINDS) {
    if (dev.usage[kind] > 0 && !design.entryKinds.includes(kind)) {
      return { reason: `${design.id} cannot hold ${kind} entries (${dev.path} has ${dev.usage[kind]})` };
    }
  }
  if (design.devices.includes(dev.kind)) return { device: dev.kind };
  if (design.devices.includes("none") && dev.usage.disk === 0) return { device: "none" };
  return { reason: `${design.id} runs on ${design.devices.join("/")} devices, not ${dev.kind}` };
}

function sumTotals(results: readonly OverheadResult[], pick: (r: OverheadResult) => Totals): Totals {
  let staticBytes = 0;
  let dynamicBytes = 0;
  let slots = 0;
  let used = 0;
  for (const r of results) {
    staticBytes += pick(r).staticBytes;
    dynamicBytes += pick(r).dynamicBytes;
    slots += r.inputs.slots;
    used += r.inputs.usedEntries;
  }
  const bytes = staticBytes + dynamicBytes;
  return { staticBytes, dynamicBytes, bytes, bytesPerSlot: slots ? bytes / slots : 0, bytesPerUsedEntry: used ? bytes / used : null };
}

function cgroupUsage(g: CgroupRecord): CgroupUsage {
  const st = g.stat ?? {};
  const zswapped = st.zswapped ?? null;
  const zswapBytes = st.zswap ?? g.zswapCurrent;
  const slots = g.swapCurrent === null ? null : Math.floor(g.swapCurrent / PAGE);
  const atLimit: string[] = [];
  const near = (cur: number | null, lim: Limit | null, name: string) => {
    if (cur !== null && typeof lim === "number" && cur + PAGE > lim) atLimit.push(name);
  };
  near(g.memoryCurrent, g.memoryMax, "memory.max");
  near(g.swapCurrent, g.swapMax, "memory.swap.max");
  near(g.zswapCurrent, g.zswapMax, "memory.zswap.max");
  return {
    path: g.path,
    depth: g.path === "/" ? 0 : g.path.split("/").length - 1,
    memoryCurrent: g.memoryCurrent,
    swapCurrent: g.swapCurrent,
    zswapCurrent: g.zswapCurrent,
    zswappedBytes: zswapped,
    swapcachedBytes: st.swapcached ?? null,
    anonBytes: st.anon ?? null,
    zeroOutPages: st.swpout_zero !== undefined ? Math.max(0, st.swpout_zero - (st.swpin_zero ?? 0)) : null,
    writtenBackPages: st.zswpwb ?? null,
    slotsCharged: slots,
    slotsNotInZswap: slots === null ? null : Math.max(0, slots - Math.round((zswapped ?? 0) / PAGE)),
    ratio: zswapped !== null && zswapBytes !== null && zswapBytes > 0 ? zswapped / zswapBytes : null,
    memoryMax: g.memoryMax,
    swapMax: g.swapMax,
    zswapMax: g.zswapMax,
    zswapWriteback: g.zswapWriteback,
    atLimit,
  };
}

function inputLines(s: HostSnapshot, b: BackendUsage): { file: string; what: string }[] {
  const out: { file: string; what: string }[] = [];
  const add = (rel: string, what: string) => out.push({ file: at(s, rel), what });
  if (s.kernel.release) add("proc/sys/kernel/osrelease", s.kernel.release);
  if (s.cpusPossible !== null) add("sys/devices/system/cpu/possible", `${s.cpusPossible} possible CPUs`);
  add(s.memcgFrom.includes("cgroups") ? "proc/cgroups" : "proc/cmdline", `memcg ${s.memcgEnabled === false ? "off" : "on"}`);
  if (s.swaps) {
    if (s.swaps.length === 0) add("proc/swaps", "no swap device");
    for (const d of s.swaps) add("proc/swaps", `${d.path} ${d.type} size ${d.usablePages * 4} kB used ${d.usedPages * 4} kB prio ${d.priority}; ${d.kindFrom}`);
  }
  const mi = s.meminfo;
  if (mi) {
    const kb = (k: string) => (mi[k] === undefined ? null : `${k} ${mi[k] / 1024} kB`);
    add("proc/meminfo", ["MemTotal", "SwapTotal", "SwapFree", "SwapCached", "Zswap", "Zswapped", "PageTables"].map(kb).filter(Boolean).join(", "));
  }
  if (Object.keys(b.events).length) add("proc/vmstat", Object.entries(b.events).map(([k, v]) => `${k} ${v}`).join(", "));
  if (Object.keys(s.zswap.params).length) add("sys/module/zswap/parameters", Object.entries(s.zswap.params).map(([k, v]) => `${k}=${v}`).join(" "));
  if (s.zswap.debug) add("sys/kernel/debug/zswap", Object.entries(s.zswap.debug).map(([k, v]) => `${k} ${v}`).join(", "));
  for (const z of s.zram) {
    const mm = z.mmStat;
    add(`sys/block/${z.name}`, `disksize ${z.disksizeBytes ?? "?"}${mm ? `; mm_stat orig ${mm.origDataSize} compr ${mm.comprDataSize} mem_used ${mm.memUsedTotal} same_pages ${mm.samePages}` : ""}${z.swapDevice ? " (swap device)" : ""}`);
  }
  if (s.mm) {
    const m = s.mm;
    add("swapcost/mm-summary", `${m.processes} processes; ${m.swappingProcesses} hold swap (VmSwap ${m.vmswapKb} kB) with ${m.vmpteKbSwapping} kB of page tables; ${m.vmpteKbAll} kB of page tables in all`);
  }
  if (s.cgroups.groups.length) add(s.cgroups.v2Mount ? s.cgroups.v2Mount.replace(/^\//, "") : "sys/fs/cgroup", `${s.cgroups.groups.length} cgroup v2 groups with memory files`);
  return out;
}

export interface DeviceModelContext {
  readonly baseline?: Design;
  /** The host's zswap pool, given to the baseline design only (other designs use their kernel's default). */
  readonly baselineZpool?: "zsmalloc" | "zbud";
  readonly memcg: boolean;
  readonly cpus: number;
  readonly occupancy: Occupancy;
  readonly accounting: Accounting;
  readonly writebackShare: number;
}

/**
 * Every design on a host's devices: the overhead model per device, summed; designs that cannot hold
 * the host's entries (or exceed a limit) come back not runnable with the reason; savings are the
 * baseline's total minus the design's, ranks follow totals (1 = cheapest; ties share a rank).
 */
export function designsOnDevices(designList: readonly Design[], devices: readonly DeviceUsage[], ctx: DeviceModelContext): DesignOnHost[] {
  const designs = [...designList];
  const baseDesign = ctx.baseline;
  if (baseDesign && !designs.some((d) => d.id === baseDesign.id)) designs.unshift(baseDesign);
  const rows: DesignOnHost[] = designs.map((d) => {
    const perDevice: OverheadResult[] = [];
    const kinds: DeviceKind[] = [];
    for (const dev of devices) {
      const dd = designDevice(d, dev);
      if ("reason" in dd) return notRunnable(d, dd.reason);
      kinds.push(dd.device);
      try {
        perDevice.push(
          overhead({
            design: d,
            swapSizeBytes: dev.swapSizeBytes,
            device: dd.device,
            memcg: ctx.memcg,
            usage: dev.usage,
            occupancy: ctx.occupancy,
            accounting: ctx.accounting,
            cpus: ctx.cpus,
            zpool: d.id === baseDesign?.id ? ctx.baselineZpool : undefined,
            writebackShare: dev.usage.disk > 0 ? ctx.writebackShare : undefined,
          }),
        );
      } catch (e) {
        if (isInputError(e)) return notRunnable(d, `${dev.path}: ${e.message}`);
        throw e;
      }
    }
    return {
      id: d.id,
      title: d.title,
      family: d.family,
      status: d.status,
      runnable: true,
      reason: null,
      devices: kinds,
      totals: sumTotals(perDevice, (r) => r.totals),
      otherTotals: sumTotals(perDevice, (r) => r.otherTotals),
      perDevice,
      savingBytes: null,
      rank: null,
    };
  });
  const base = rows.find((r) => r.id === baseDesign?.id);
  const order = rows.filter((r) => r.runnable).sort((a, b) => a.totals!.bytes - b.totals!.bytes);
  return rows.map((r) => {
    if (!r.runnable) return r;
    const rank = 1 + order.filter((o) => o.totals!.bytes < r.totals!.bytes).length;
    return { ...r, rank, savingBytes: base?.totals ? base.totals.bytes - r.totals!.bytes : null };
  });
}

/** Analyse a host snapshot under every design. */
export function analyseHost(s: HostSnapshot, opts: HostAnalysisOptions): HostAnalysis {
  const degraded: Degradation[] = [...s.degraded];
  let baseline: HostAnalysis["baseline"] = null;
  let baseDesign: Design | undefined = opts.baseline;
  if (opts.baseline) {
    baseline = { release: s.kernel.release ?? "unknown", version: "", design: opts.baseline.id, match: "chosen", why: "chosen with --baseline", sources: [], sourcesText: [] };
  } else if (s.kernel.release) {
    const b = baselineForRelease(s.kernel.release, at(s, "proc/sys/kernel/osrelease"));
    baseline = { ...b, sourcesText: b.sources.map(citeSource) };
    baseDesign = resolveDesign(b.design);
  } else {
    degraded.push({ area: "baseline", reason: "kernel release unknown: no baseline design, so no savings column (pass --baseline <design>)" });
  }
  const cpus: Sourced = s.cpusPossible !== null ? { value: s.cpusPossible, from: at(s, "sys/devices/system/cpu/possible") } : { value: opts.defaultCpus ?? 8, from: `default (possible CPUs unknown)` };
  const memcg: Sourced<boolean> = { value: s.memcgEnabled ?? true, from: s.memcgFrom };
  const backends = backendUsage(s, degraded, opts.zeroFromVmstat ?? false);
  const devices = splitDevices(s, backends);
  const usage: Usage = { disk: 0, zswap: 0, zero: 0, cache: 0 };
  for (const d of devices) for (const k of ENTRY_KINDS) (usage as Record<EntryKind, number>)[k] += d.usage[k];
  const hostZpool = backends.zswap.zpool === "zsmalloc" || backends.zswap.zpool === "zbud" ? backends.zswap.zpool : backends.zswap.zpool === null && s.zswap.enabled !== null ? "zsmalloc" : undefined;
  if (backends.zswap.zpool && !hostZpool) degraded.push({ area: "zswap pool", reason: `zpool ${backends.zswap.zpool} is not modelled (zsmalloc and zbud are): the baseline uses its design's default pool` });

  const ctx: DeviceModelContext = {
    baseline: baseDesign,
    baselineZpool: hostZpool,
    memcg: memcg.value,
    cpus: cpus.value,
    occupancy: opts.occupancy,
    accounting: opts.accounting,
    writebackShare: backends.writebackShare.value,
  };
  const ranked = designsOnDevices(opts.designs, devices, ctx);
  const scattered = opts.scatteredBound && opts.occupancy.kind === "packed" && devices.length ? designsOnDevices(opts.designs, devices, { ...ctx, occupancy: { kind: "random" } }) : null;
  return {
    origin: s.origin,
    capturedAt: s.manifest?.capturedAt ?? null,
    kernel: s.kernel,
    baseline,
    cpus,
    memcg,
    memTotalBytes: s.meminfo?.MemTotal ?? null,
    occupancy: opts.occupancy,
    accounting: opts.accounting,
    backends,
    devices,
    usage,
    designs: ranked,
    scattered,
    cgroups: { hierarchy: s.cgroups.memoryHierarchy, mount: s.cgroups.v2Mount, groups: s.cgroups.groups.map(cgroupUsage) },
    processes: s.mm,
    degraded,
    inputs: inputLines(s, backends),
  };
}

function notRunnable(d: Design, reason: string): DesignOnHost {
  return { id: d.id, title: d.title, family: d.family, status: d.status, runnable: false, reason, devices: [], totals: null, otherTotals: null, perDevice: [], savingBytes: null, rank: null };
}
