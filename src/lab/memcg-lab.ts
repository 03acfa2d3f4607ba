/**
 * The memcg charging model (src/models/memcg.ts) run on every memcg + zswap case the kernel lab
 * measured (data/lab/<kernel>/zswap.csv), counter by counter, with every input the model takes
 * from the measurement named. Used by test/lab/memcg-vs-lab.test.ts (which holds the model to
 * 2%) and by notebook 05.
 *
 * What the model is given (inputs), per case. None of them is read from the counters the case is
 * checked on: an input that is, would make the check an echo of itself.
 * - the case's own settings: zswap on/off, zpool, memory.max, memory.zswap.max, the pattern
 *   (random share → compressible pages; `zero` → zero-filled; `same` → same-filled; 100 % random →
 *   incompressible), the MiB filled and pushed out with MADV_PAGEOUT, the 8 GiB SSD swap disk
 *   and the guest's 2 vCPUs;
 * - the **mean compressed length** of a page, taken from a *reference case* (`lengthReference`):
 *   another case of the same kernel with the same compressor and the same generator setting
 *   (`pattern`), with no limit (memory.max and memory.zswap.max `max`, so every pushed page was
 *   stored), same zpool first, else the other zpool. Why this is a fair input: the compressor's
 *   output is a property of the bytes and the compressor, not of the zpool or the limits (zswap
 *   compresses before it asks the zpool for `dlen` bytes: deb-6.1 mm/zswap.c:1213-1239) and the
 *   helper's xorshift generator writes the same bytes in every case (lab/src/hog.c fill_page); so
 *   a case with other limits or another zpool predicts this one's length, and the check fails if
 *   it does not. The reference is never the case itself; pairs with no third case (zbud ↔ zsmalloc
 *   at the same pattern) check each other. A pattern measured in only one case of a kernel (0 %
 *   random) takes the other lab kernel's case of the same compressor and pattern (the two kernels'
 *   lzo and lz4 give the same lengths to the byte in every other pattern). The lab has no offline
 *   compression of the generator (hog.c does not compress), so where no other case exists (6.12's
 *   same-filled 0x5a page, which only 6.12 compresses) the length is the case's own and every
 *   counter that depends on it is marked not independent (`CounterCheck.independent`);
 * - `otherChargedBytes`, the charges that are neither the workload's anon nor its zswap bytes
 *   (page tables, kernel stack, slab, the per-CPU charge stock, about 0.5 MiB), from a *baseline
 *   case* (`otherChargeBaseline`): the same kernel's no-zswap MADV_PAGEOUT case (`noz_disk`; for
 *   `noz_disk` itself `noz_disk_zero`), as `memory_current − stat_anon − stat_swapcached` there
 *   (its zswap_current is 0, so no model output is subtracted). Not measured-minus-model of the
 *   case checked: what differs in the case (the charge stock of the moment, the page tables of a
 *   128 MiB fill, swap-cache pages under memory.max) shows in its residuals;
 * - under memory.max only, the case's `stat_swapcached`: pages whose disk write was in flight when
 *   the counters were read, charged and taking room from anon (the model has no swap cache). A
 *   separate counter of the case, not one that is checked; without it 6.12's press_zmax8m misses
 *   written-back pages by 2.8 % (`swapCacheInFlight: false`);
 * - for cases that left pages in the swap cache (disk writes), the pages `memory.reclaim` then
 *   pushed out of the resident set besides the swap cache (`reclaimed_vmswap_kb − vmswap_kb`):
 *   LRU order decides that, which the model does not simulate. This one *is* the case's own (the
 *   process's VmSwap, a workload input like `pageout_mib`); the checks it feeds after
 *   memory.reclaim compare the cgroup's counters with the process's view.
 *
 * What is compared (outputs): memory.current, memory.swap.current, memory.zswap.current,
 * memory.stat zswapped / zswpout / anon, and the global zswap pool (pool_total_size, stored_pages,
 * same_filled_pages, written_back_pages), each against its column. Tolerances are 2 % of the
 * measured value, with an absolute floor only where the measurement has a named, bounded noise
 * source (see `Floor`).
 *
 * Pure given the CSVs: reads data/lab under `root`, no module state.
 */
import { resolveDesign } from "../designs/registry.js";
import { k, type Source } from "../kernel/sources.js";
import { memcg, type CgroupResult, type CgroupSpec, type CompressedSize, type MemcgResult, type MemcgSystem, type Workload } from "../models/memcg.js";
import type { ZpoolKind } from "../models/zpool.js";
import { readZswap, type ZswapRow } from "./data.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const PAGE = 4096;

/** The kernels the lab measured and the design whose rules describe each. */
export const MEMCG_LAB_KERNELS: readonly LabKernel[] = [
  { release: "6.1.0-56-amd64", design: "linux-6.1", label: "6.1.192" },
  { release: "6.12.95+deb12-amd64", design: "linux-6.12", label: "6.12.95" },
];

export interface LabKernel {
  /** `uname -r` of the guest: the directory under data/lab */
  readonly release: string;
  /** the design whose rules describe this kernel */
  readonly design: "linux-6.1" | "linux-6.12";
  /** short name in tables and figures */
  readonly label: string;
}

/** The lab kernels whose release (or label) is in a comma-separated list ("all" = every one). */
export function labKernels(list: string): LabKernel[] {
  const want = list.split(",").map((x) => x.trim()).filter(Boolean);
  if (want.length === 1 && want[0] === "all") return [...MEMCG_LAB_KERNELS];
  return want.map((w) => {
    const k = MEMCG_LAB_KERNELS.find((x) => x.release === w || x.label === w);
    if (!k) throw new Error(`no lab kernel ${JSON.stringify(w)}: known ${MEMCG_LAB_KERNELS.map((x) => `${x.release} (${x.label})`).join(", ")}`);
    return k;
  });
}

/** The swap disk of the zswap boot: img/work8.raw, 8 GiB, made non-rotational (lab/guest/t_zswap.sh `setrot $work 0`). */
export const LAB_SWAP_DISK_BYTES = 8 * GiB;
/** Relative tolerance issue 5 §4 asks for. */
export const MEMCG_LAB_TOLERANCE = 0.02;

/** Which state of the case a check reads. */
export type LabState =
  /** counters read one second after MADV_PAGEOUT (zswap-only and zero-page cases) */
  | "after pageout"
  /** counters read after `memory.reclaim` of the swap-cache size (cases that wrote to the disk) */
  | "after memory.reclaim"
  /** counters read with the workload filling past memory.max (reclaim driven by the limit) */
  | "under memory.max";

/**
 * An absolute tolerance floor, with what bounds the noise it covers. Used only when 2 % of the
 * measured value is smaller than the floor.
 */
export interface Floor {
  /** in the check's unit (bytes or pages) */
  readonly amount: number;
  readonly why: string;
  readonly sources: readonly Source[];
}

export interface CounterCheck {
  /** model counter (a CgroupCounters key, or pool/pages fields) */
  readonly counter: string;
  /** the CSV column(s) it is compared with, as an expression */
  readonly column: string;
  readonly measured: number;
  readonly model: number;
  /** model − measured */
  readonly diff: number;
  /** (model − measured) / measured, null when measured is 0 */
  readonly relErr: number | null;
  /** allowed |model − measured| */
  readonly tolerance: number;
  readonly floor: Floor | null;
  readonly ok: boolean;
  readonly unit: "bytes" | "pages";
  /**
   * false when an input the model took from this same case determines the counter (only the
   * compressed length, where no other case has it): the check is then shown, not claimed.
   */
  readonly independent: boolean;
  /** why the check is not independent, or null */
  readonly dependence: string | null;
}

/** A case another case takes an input from. */
export interface LabReference {
  /** the reference case's id */
  readonly case: string;
  /** its kernel's label (another kernel only where the pattern was measured once per kernel) */
  readonly kernel: string;
  /** the value taken (bytes) */
  readonly value: number;
  /** why this case, in words */
  readonly why: string;
}

/** One input the model takes from the measurement (so that a reader can see it is not an answer). */
export interface LabInput {
  readonly name: string;
  readonly value: number | string;
  readonly from: string;
}

export interface MemcgLabCase {
  readonly kernel: LabKernel;
  readonly case: string;
  readonly row: ZswapRow;
  readonly state: LabState;
  /** what kind of pages the case pushes out */
  readonly pages: "compressible" | "zero" | "same" | "incompressible";
  readonly inputs: readonly LabInput[];
  /** where the mean compressed length comes from (null: the case needs none, or has only its own) */
  readonly lengthRef: LabReference | null;
  /** true when the compressed length had to be the case's own measurement (no reference exists) */
  readonly ownLength: boolean;
  /** the baseline case of `otherChargedBytes` */
  readonly otherRef: LabReference;
  readonly spec: CgroupSpec;
  readonly system: Partial<MemcgSystem>;
  readonly result: MemcgResult;
  readonly cgroup: CgroupResult;
  readonly checks: readonly CounterCheck[];
}

/** Pages of swap-slot cache per CPU (SWAP_SLOTS_CACHE_SIZE = SWAP_BATCH = 64). */
export const SLOT_CACHE_SOURCES: readonly Source[] = [
  k("deb-6.1", "mm/swap_slots.c", "272", "free_swap_slot(): a freed entry waits in the per-CPU cache"),
  k("deb-6.1", "include/linux/swap_slots.h", "9", "SWAP_SLOTS_CACHE_SIZE = SWAP_BATCH (include/linux/swap.h:35: 64)"),
  k("deb-6.12", "mm/swap_slots.c", "272", "free_swap_slot()"),
  k("deb-6.12", "include/linux/swap_slots.h", "9", "SWAP_SLOTS_CACHE_SIZE = SWAP_BATCH"),
];

/**
 * Why memory.current moves by up to 64 pages per CPU between two readings: charges are taken in
 * batches and the surplus parked in a per-CPU stock, which memory.current already counts.
 */
export const CHARGE_STOCK_SOURCES: readonly Source[] = [
  k("deb-6.1", "include/linux/memcontrol.h", "341", "MEMCG_CHARGE_BATCH 64U"),
  k("deb-6.1", "mm/memcontrol.c", "2633", "try_charge_memcg(): batch = max(MEMCG_CHARGE_BATCH, nr_pages), the surplus refills the stock"),
  k("deb-6.1", "mm/memcontrol.c", "2296-2310", "__refill_stock(): up to MEMCG_CHARGE_BATCH pages per CPU"),
  k("deb-6.12", "include/linux/memcontrol.h", "334", "MEMCG_CHARGE_BATCH 64U"),
  k("deb-6.12", "mm/memcontrol.c", "1808-1823", "__refill_stock()"),
];

function num(row: ZswapRow, col: string): number {
  const v = row[col];
  if (typeof v !== "number") throw new Error(`zswap.csv ${row.case}: column ${col} is not a number (${String(v)})`);
  return v;
}

function optNum(row: ZswapRow, col: string): number | null {
  const v = row[col];
  return typeof v === "number" ? v : null;
}

/** Cases whose disk writes left pages in the swap cache, then reclaimed (reclaimed_* columns). */
export function isDiskCase(row: ZswapRow): boolean {
  return row.memory_max === "max" && optNum(row, "reclaimed_memory_current") !== null;
}

function pageKind(row: ZswapRow): MemcgLabCase["pages"] {
  if (row.pattern === "zero") return "zero";
  if (row.pattern === "same") return "same";
  if (row.random_pct === 100) return "incompressible";
  return "compressible";
}

/** Mean compressed length as a two-point distribution (floor and ceil) with exactly that mean. */
export function meanLengthSizes(mean: number): CompressedSize[] {
  const lo = Math.floor(mean);
  const frac = mean - lo;
  if (frac < 1e-9) return [{ compressedBytes: lo, weight: 1 }];
  return [
    { compressedBytes: lo, weight: 1 - frac },
    { compressedBytes: lo + 1, weight: frac },
  ];
}

/** zswap_current / (stored_pages − same_filled_pages): the case's mean compressed length, or null. */
export function measuredMeanLength(row: ZswapRow): number | null {
  const stored = row.dbg_stored_pages - (optNum(row, "dbg_same_filled_pages") ?? 0);
  if (row.zswap_current <= 0 || stored <= 0) return null;
  return row.zswap_current / stored;
}

function check(counter: string, column: string, measured: number, model: number, unit: CounterCheck["unit"], floor: Floor | null, dependence: string | null = null): CounterCheck {
  const rel = MEMCG_LAB_TOLERANCE * Math.abs(measured);
  const useFloor = floor !== null && floor.amount > rel;
  const tolerance = useFloor ? floor.amount : rel;
  const diff = model - measured;
  return {
    counter,
    column,
    measured,
    model,
    diff,
    relErr: measured !== 0 ? diff / measured : null,
    tolerance,
    floor: useFloor ? floor : null,
    ok: Math.abs(diff) <= tolerance,
    unit,
    independent: dependence === null,
    dependence,
  };
}

/** The rows of one lab kernel (for references across kernels). */
export interface KernelRows {
  readonly kernel: LabKernel;
  readonly rows: readonly ZswapRow[];
}

/** A case in which every pushed page went to zswap unhindered: zswap on, no memory.max, no zswap.max, something stored. */
function unlimitedStore(r: ZswapRow): boolean {
  return r.zswap_enabled === 1 && r.memory_max === "max" && r.zswap_max === "max" && measuredMeanLength(r) !== null;
}

/**
 * The case whose mean compressed length `row` is given (see the header): same kernel, compressor
 * and pattern, unlimited, not `row` itself; same zpool first, then the other zpool; failing that
 * the other lab kernels' case of the same compressor and pattern. Null when there is none.
 */
export function lengthReference(kernel: LabKernel, row: ZswapRow, rows: readonly ZswapRow[], others: readonly KernelRows[] = []): LabReference | null {
  const same = (r: ZswapRow) => r.case !== row.case && r.compressor === row.compressor && String(r.pattern) === String(row.pattern) && unlimitedStore(r);
  const mine = rows.filter(same);
  const ref = mine.find((r) => r.zpool === row.zpool) ?? mine[0];
  if (ref) {
    const why = ref.zpool === row.zpool
      ? `same kernel, ${ref.compressor}, pattern ${ref.pattern}, ${ref.zpool}, no limits`
      : `same kernel, ${ref.compressor}, pattern ${ref.pattern}, no limits, the other zpool (${ref.zpool}: the length is the compressor's, before the zpool)`;
    return { case: ref.case, kernel: kernel.label, value: measuredMeanLength(ref)!, why };
  }
  for (const o of others) {
    if (o.kernel.release === kernel.release) continue;
    const cand = o.rows.filter((r) => r.compressor === row.compressor && String(r.pattern) === String(row.pattern) && unlimitedStore(r));
    const x = cand.find((r) => r.zpool === row.zpool) ?? cand[0];
    // 6.1 stores same-filled pages without compressing them: its length says nothing for a kernel that compresses them
    if (x && x.pattern !== "same" && x.pattern !== "zero") {
      return { case: x.case, kernel: o.kernel.label, value: measuredMeanLength(x)!, why: `pattern ${x.pattern} measured once per kernel: Linux ${o.kernel.label}'s case with the same compressor (${x.compressor}) and pattern` };
    }
  }
  return null;
}

/** The no-zswap MADV_PAGEOUT cases a kernel's non-anon, non-zswap charge is read from, preferred first. */
export const OTHER_CHARGE_BASELINES: readonly string[] = ["noz_disk", "noz_disk_zero"];

/**
 * The baseline of `otherChargedBytes` for `row` (see the header): the first of
 * OTHER_CHARGE_BASELINES that is not `row`, as memory_current − stat_anon − stat_swapcached
 * (zswap off there: zswap_current is 0).
 */
export function otherChargeBaseline(kernel: LabKernel, row: ZswapRow, rows: readonly ZswapRow[]): LabReference {
  for (const id of OTHER_CHARGE_BASELINES) {
    if (id === row.case) continue;
    const b = rows.find((r) => r.case === id);
    if (!b) continue;
    if (b.zswap_enabled !== 0 || b.zswap_current !== 0 || b.memory_max !== "max") throw new Error(`${kernel.release} ${id}: not a no-zswap MADV_PAGEOUT case`);
    const value = b.memory_current - b.stat_anon - num(b, "stat_swapcached");
    if (value < 0) throw new Error(`${kernel.release} ${id}: negative other charge ${value}`);
    return { case: id, kernel: kernel.label, value, why: "the same kernel's no-zswap MADV_PAGEOUT case: memory_current − stat_anon − stat_swapcached" };
  }
  throw new Error(`${kernel.release}: no baseline case (${OTHER_CHARGE_BASELINES.join(", ")}) for ${row.case}`);
}

/**
 * Build and run the model for one measured case. `opts.meanLengthBytes` replaces the measured mean
 * compressed length (for what-ifs and the tests' negative controls).
 */
export function memcgLabCase(
  kernel: LabKernel,
  row: ZswapRow,
  all: readonly ZswapRow[],
  opts: {
    /** replaces the reference's mean compressed length (what-ifs and the tests' negative controls) */
    readonly meanLengthBytes?: number;
    /** every lab kernel's rows, for patterns measured once per kernel */
    readonly otherKernels?: readonly KernelRows[];
    /** false: do not give the model the swap-cache pages in flight under memory.max (what-if) */
    readonly swapCacheInFlight?: boolean;
  } = {},
): MemcgLabCase {
  const kind = pageKind(row);
  const pressure = row.memory_max !== "max";
  const disk = isDiskCase(row);
  const state: LabState = pressure ? "under memory.max" : disk ? "after memory.reclaim" : "after pageout";
  const inputs: LabInput[] = [];
  const zpool = row.zpool as ZpoolKind;
  inputs.push({ name: "zswap", value: row.zswap_enabled ? `on, ${row.zpool}, ${row.compressor}` : "off", from: "zswap_enabled, zpool, compressor" });

  // compressed length: from a reference case (never this one), see the header
  const needsLength = kind === "compressible" || (kind === "same" && kernel.design !== "linux-6.1");
  let lengthRef: LabReference | null = null;
  let ownLength = false;
  let mean: number | null = null;
  let meanFrom = "";
  if (needsLength) {
    lengthRef = lengthReference(kernel, row, all, opts.otherKernels ?? []);
    if (lengthRef) {
      mean = lengthRef.value;
      meanFrom = `${lengthRef.kernel === kernel.label ? "" : `Linux ${lengthRef.kernel} `}${lengthRef.case} (${lengthRef.why})`;
    } else {
      mean = measuredMeanLength(row);
      ownLength = true;
      meanFrom = "NOT independent: this case's own zswap_current / (dbg_stored_pages − dbg_same_filled_pages), no other case compresses this pattern with this compressor";
      if (mean === null) throw new Error(`${kernel.release} ${row.case}: no compressed length to use`);
    }
  }
  if (opts.meanLengthBytes !== undefined) {
    mean = opts.meanLengthBytes;
    meanFrom = "given (what-if), not the measurement";
    ownLength = false;
  }
  const system: Partial<MemcgSystem> = {
    swapDeviceBytes: LAB_SWAP_DISK_BYTES,
    device: "ssd",
    zswapEnabled: row.zswap_enabled === 1,
    zpool,
    cpus: 2,
  };
  if (kind === "same" && kernel.design !== "linux-6.1") {
    // 6.12 compresses a same-filled page like any other
    (system as { sameFilledCompressedBytes: number }).sameFilledCompressedBytes = Math.round(mean!);
    inputs.push({ name: "compressed length of a same-filled page (bytes)", value: Math.round(mean!), from: meanFrom });
  } else if (kind === "compressible") {
    inputs.push({ name: "mean compressed length (bytes)", value: Number(mean!.toFixed(2)), from: meanFrom });
  }

  // Charges that are neither the workload's anon nor its zswap bytes: from a baseline case, see the header.
  const otherRef = otherChargeBaseline(kernel, row, all);
  // Under memory.max, the pages whose disk write is still in flight when the counters are read sit
  // in the swap cache, charged, and take room the limit leaves for anon; the model has no swap
  // cache, so they are given (stat_swapcached: a separate counter of the case, the I/O's timing,
  // not any counter checked here). Without them the model pushes that many pages fewer: on 6.12
  // press_zmax8m (170 pages in flight) written-back pages are then 2.8 % low (the tests pin this).
  const inFlight = pressure && opts.swapCacheInFlight !== false ? num(row, "stat_swapcached") : 0;
  const other = otherRef.value + inFlight;
  inputs.push({ name: "otherChargedBytes", value: other, from: `${otherRef.case} (${otherRef.why})${inFlight ? ` + this case's stat_swapcached ${inFlight} (pages in flight to the disk under memory.max)` : ""}` });

  const fill = row.fill_mib * MiB;
  let pushed = row.pageout_mib * MiB;
  if (disk) {
    const extraKb = num(row, "reclaimed_vmswap_kb") - row.vmswap_kb;
    if (extraKb < 0) throw new Error(`${kernel.release} ${row.case}: VmSwap fell during memory.reclaim`);
    pushed += extraKb * 1024;
    inputs.push({ name: "pages memory.reclaim took from the resident set (KiB)", value: extraKb, from: "reclaimed_vmswap_kb − vmswap_kb" });
  }
  const base = {
    compressibility: mean !== null ? ({ kind: "sizes", sizes: meanLengthSizes(mean) } as const) : ({ kind: "ratio", ratio: 1 } as const),
    zeroShare: kind === "zero" ? 1 : 0,
    sameFilledShare: kind === "same" ? 1 : 0,
    incompressibleShare: kind === "incompressible" ? 1 : 0,
    otherChargedBytes: other,
  };
  const workload: Workload = pressure
    ? { ...base, anonBytes: fill, reclaim: "limit" }
    : { ...base, anonBytes: pushed, residentBytes: fill - pushed, reclaim: "pageout" };
  const spec: CgroupSpec = {
    name: row.case,
    memoryMaxBytes: row.memory_max === "max" ? null : row.memory_max,
    zswapMaxBytes: row.zswap_max === "max" ? null : row.zswap_max,
    swapMaxBytes: row.swap_max === "max" ? null : row.swap_max,
    workload,
  };
  const result = memcg({ design: resolveDesign(kernel.design), system, cgroups: [spec] });
  const cg = result.cgroups[0];
  const c = cg.counters;

  // ------------------------------------------------------------------ floors
  // The model sees only the workload's buffer; the process has a few more anon pages (stack, libc
  // data) that reclaim may also push out: stat_anon − the resident part of the buffer.
  const bufferResident = pressure ? null : fill - row.pageout_mib * MiB;
  const extraAnon = bufferResident === null ? 0 : Math.max(0, row.stat_anon - bufferResident);
  const anonFloor: Floor | null =
    extraAnon > 0
      ? {
          amount: extraAnon,
          why: `the process's ${extraAnon / PAGE} anon pages besides the buffer (stack, libc data: stat_anon − resident buffer) that the model does not see`,
          sources: [],
        }
      : null;
  const zspageMax = kernel.design === "linux-6.1" ? 4 : 8;
  const poolFloor: Floor = {
    amount: zspageMax * PAGE,
    why: `global pool: entries of earlier cases freed from the per-CPU swap-slot caches during this case move it by up to one zspage (${zspageMax} pages)`,
    sources: SLOT_CACHE_SOURCES,
  };
  const entryFloor: Floor = {
    amount: 4,
    why: "global debugfs counters: entries of earlier cases freed from the per-CPU swap-slot caches during this case, and the odd same-filled page among the process's own non-buffer pages",
    sources: SLOT_CACHE_SOURCES,
  };

  // counters the compressed length determines: not independent when the length is the case's own
  const dep = ownLength ? `the compressed length is this case's own measurement (${meanFrom.replace(/^NOT independent: /, "")})` : null;
  const lengthCounters = new Set(["memory.current", "memory.zswap.current", "memory.stat:anon", "pool bytes"]);
  const checks: CounterCheck[] = [];
  const add = (counter: string, column: string, measured: number, model: number, unit: CounterCheck["unit"], floor: Floor | null) =>
    checks.push(check(counter, column, measured, model, unit, floor, lengthCounters.has(counter) ? dep : null));
  if (disk) {
    const leftKb = num(row, "reclaimed_swapcached_kb");
    add("memory.current", "reclaimed_memory_current − reclaimed_swapcached_kb×1024", num(row, "reclaimed_memory_current") - leftKb * 1024, c["memory.current"], "bytes", anonFloor);
    add("memory.swap.current", "reclaimed_swap_current", num(row, "reclaimed_swap_current"), c["memory.swap.current"], "bytes", anonFloor);
    add("memory.zswap.current", "reclaimed_zswap_current", num(row, "reclaimed_zswap_current"), c["memory.zswap.current"], "bytes", anonFloor);
    inputs.push({ name: "swap-cache pages left after memory.reclaim (KiB, still charged; the model counts disk pages as freed)", value: leftKb, from: "reclaimed_swapcached_kb (subtracted from reclaimed_memory_current)" });
  } else {
    add("memory.current", "memory_current", row.memory_current, c["memory.current"], "bytes", anonFloor);
    add("memory.swap.current", "swap_current", row.swap_current, c["memory.swap.current"], "bytes", anonFloor);
    add("memory.zswap.current", "zswap_current", row.zswap_current, c["memory.zswap.current"], "bytes", anonFloor);
  }
  if (pressure) add("memory.stat:anon", "stat_anon", row.stat_anon, c["memory.stat:anon"], "bytes", null);
  // zswap internals: read before memory.reclaim (which, for the disk cases, does not store more)
  add("memory.stat:zswapped", "stat_zswapped", row.stat_zswapped, c["memory.stat:zswapped"], "bytes", anonFloor);
  add("memory.stat:zswpout", "stat_zswpout", row.stat_zswpout, c["memory.stat:zswpout"], "pages", null);
  add("pool bytes", "dbg_pool_total_size", row.dbg_pool_total_size, result.totals.pool.poolBytes, "bytes", poolFloor);
  add("stored pages", "dbg_stored_pages", row.dbg_stored_pages, cg.pages.zswap, "pages", entryFloor);
  const same = optNum(row, "dbg_same_filled_pages");
  if (same !== null) add("same-filled entries", "dbg_same_filled_pages", same, cg.pages.sameFilledEntries, "pages", entryFloor);
  const wb = optNum(row, "dbg_written_back_pages");
  if (wb !== null && c["memory.stat:zswpwb"] !== null) add("written back pages", "dbg_written_back_pages", wb, c["memory.stat:zswpwb"], "pages", entryFloor);

  return { kernel, case: row.case, row, state, pages: kind, inputs, lengthRef, ownLength, otherRef, spec, system, result, cgroup: cg, checks };
}

/** Every measured memcg + zswap case of every lab kernel, with the model's counters beside them. */
export function memcgLabCases(root: string, kernels: readonly LabKernel[] = MEMCG_LAB_KERNELS): MemcgLabCase[] {
  // every lab kernel's rows, for the patterns measured once per kernel (references across kernels)
  const allRows: KernelRows[] = MEMCG_LAB_KERNELS.map((kernel) => ({ kernel, rows: readZswap(root, kernel.release).rows }));
  return kernels.flatMap((kernel) => {
    const rows = allRows.find((x) => x.kernel.release === kernel.release)?.rows ?? readZswap(root, kernel.release).rows;
    return rows.map((r) => memcgLabCase(kernel, r, rows, { otherKernels: allRows }));
  });
}

/** A one-line description of a case's settings, e.g. "zsmalloc/lzo, 30 % random, 64 of 96 MiB paged out, zswap.max 8 MiB". */
export function describeLabCase(row: ZswapRow): string {
  const parts: string[] = [];
  parts.push(row.zswap_enabled ? `${row.zpool}/${row.compressor}` : "zswap off");
  parts.push(row.pattern === "zero" ? "zero-filled" : row.pattern === "same" ? "same-filled (0x5a)" : row.random_pct === 100 ? "incompressible (100 % random)" : `${row.random_pct} % random`);
  if (row.memory_max !== "max") parts.push(`${row.fill_mib} MiB under memory.max ${row.memory_max / MiB} MiB`);
  else parts.push(`${row.pageout_mib} of ${row.fill_mib} MiB paged out`);
  if (row.zswap_max !== "max") parts.push(`zswap.max ${row.zswap_max === 0 ? "0" : `${row.zswap_max / MiB} MiB`}`);
  return parts.join(", ");
}

/**
 * Residuals of one counter on one kernel, over the checks held to 2 %: independent, measured ≠ 0,
 * no absolute floor (a floor applies where 2 % of the measurement is below a named noise source,
 * e.g. a few stray pages against a counter that is 0 by design: a percentage means nothing there).
 */
export interface MemcgResidualSummary {
  readonly kernel: string;
  readonly counter: string;
  /** checks summarised (independent, measured ≠ 0, held to 2 %, not to a floor) */
  readonly n: number;
  /** independent checks held to an absolute floor instead, and the largest |model − measured| among them (in `unit`) */
  readonly floored: number;
  readonly flooredMaxAbsDiff: number;
  readonly unit: "bytes" | "pages";
  /** max |model − measured| / measured */
  readonly maxAbsRel: number;
  /** mean |model − measured| / measured */
  readonly meanAbsRel: number;
  /** the case of the max */
  readonly worstCase: string;
  /** checks outside their tolerance */
  readonly failing: number;
  /** checks of this counter left out because they are not independent (cases named) */
  readonly notIndependent: readonly string[];
}

/** Per kernel and counter: how far the model is from the measurement (checks in CSV order of counters). */
export function memcgResidualSummary(cases: readonly MemcgLabCase[]): MemcgResidualSummary[] {
  const out: MemcgResidualSummary[] = [];
  const kernels = [...new Set(cases.map((c) => c.kernel.label))];
  for (const kernel of kernels) {
    const mine = cases.filter((c) => c.kernel.label === kernel);
    const counters = [...new Set(mine.flatMap((c) => c.checks.map((k) => k.counter)))];
    for (const counter of counters) {
      const all = mine.flatMap((c) => c.checks.filter((k) => k.counter === counter).map((k) => ({ c, k })));
      const used = all.filter(({ k }) => k.independent && k.relErr !== null && k.floor === null);
      const floored = all.filter(({ k }) => k.independent && k.floor !== null);
      const abs = used.map(({ k }) => Math.abs(k.relErr!));
      const worst = used.reduce<(typeof used)[number] | null>((a, b) => (a === null || Math.abs(b.k.relErr!) > Math.abs(a.k.relErr!) ? b : a), null);
      out.push({
        kernel,
        counter,
        n: used.length,
        floored: floored.length,
        flooredMaxAbsDiff: floored.length ? Math.max(...floored.map(({ k }) => Math.abs(k.diff))) : 0,
        unit: all[0].k.unit,
        maxAbsRel: abs.length ? Math.max(...abs) : 0,
        meanAbsRel: abs.length ? abs.reduce((s, x) => s + x, 0) / abs.length : 0,
        worstCase: worst ? worst.c.case : "-",
        failing: all.filter(({ k }) => k.independent && !k.ok).length,
        notIndependent: all.filter(({ k }) => !k.independent).map(({ c }) => c.case),
      });
    }
  }
  return out;
}
