/**
 * `swapcost swapoff` and `swapcost transfer`: the work and estimated time of swapping a device off,
 * and of moving entries between backends, per design.
 */
import { readFileSync } from "node:fs";
import { SwapcostInputError } from "../errors.js";
import { allDesigns } from "../designs/registry.js";
import type { Design, DeviceKind } from "../designs/types.js";
import { reverseMapTradeoff } from "../models/reverse-map.js";
import { resolveDevice, usageOf, type Mix } from "../models/scenario.js";
import { measuredFor } from "../models/placement.js";
import type { Occupancy } from "../models/occupancy.js";
import type { Usage } from "../models/overhead.js";
import { applyCalibration, calibrationRowsFromLab, fitSwapoffCosts, medianRows, swapoffTrends, type CalibrationRow } from "../models/swapoff-calibration.js";
import { readLabTable } from "../lab/data.js";
import { findTable, readBenchmarks } from "../benchmarks/tables.js";
import { benchmarkCosts, COST_SETS, RFC_BENCHMARK_SETUP } from "../models/benchmark-costs.js";
import { DEFAULT_COSTS, parseCostOverrides, withOverrides, type SwapoffCosts } from "../models/swapoff-costs.js";
import { pathsOf } from "../models/swapoff-paths.js";
import { swapoff, type SwapoffResult, type SwapoffWorkload } from "../models/swapoff.js";
import { TRANSFER_ENDPOINTS, transfer, type TransferEndpoint, type TransferResult } from "../models/transfer.js";
import { reverseMapMail, reverseMapText, swapoffCompareText, swapoffMail, swapoffText, transferCompareText, transferMail, transferText } from "../report/swapoff.js";
import { hasSizeUnit, parseSize } from "../units/bytes.js";
import { parseShare } from "../units/share.js";
import { canRun } from "../sweep/overhead-sweep.js";
import { parseArgs, str, type FlagSpec, type ParsedArgs } from "./args.js";
import type { Io } from "./overhead-commands.js";
import { designById, loadCustomDesigns, parseFormat, parseScenario, parseSwapSize, parseUsed } from "./overhead-options.js";

const COMMON_FLAGS: readonly FlagSpec[] = [
  { name: "swap-size", value: "<size>", doc: "size of the swap device: 32G = 32GiB, 32GB = 32*10^9 (default 32G)" },
  { name: "used", value: "<share|size>", doc: "share of usable slots in use: 50%, 50 or 0.5; or swapped data, 16G (default 50%)" },
  { name: "backend", value: "disk|zswap|zram|zero|cache", doc: "where every used entry lives (swapoff default disk)" },
  { name: "mix", value: "<k=share,...>", doc: "split of used entries by backend, e.g. zswap=50%,disk=50%" },
  { name: "device", value: "auto|ssd|hdd|zram|none", doc: "kind of the swap device (auto: zram for the zram backend, else ssd; none only for ghost-swapfile)" },
  { name: "occupancy", value: "packed|random|<n>|sim:<workload>", doc: "placement of used entries: packed, uniform random, n per in-use cluster, or simulated (sim:churn,...: the usage becomes the simulation's; see `swapcost simulate --help`) (default packed)" },
  { name: "writeback-share", value: "<share>", doc: "share of disk entries that reached disk by zswap writeback (redirect: those keep an upper-tier slot)" },
  { name: "mapped", value: "<size>", doc: "page-table span of the anon VMAs of the mms on init_mm.mmlist (PTEs walked = mapped/4K); default: the swapped anon data itself" },
  { name: "vma-span", value: "<size>", doc: "virtual span of those VMAs, >= --mapped (the rest are none/huge PMDs, skipped)" },
  { name: "processes", value: "<n>", doc: "mms on init_mm.mmlist: processes that swapped since swap was last empty (default 1)" },
  { name: "anon-vmas", value: "<n>", doc: "VMAs with an anon_vma in those mms (default one per process)" },
  { name: "mappings", value: "<n>", doc: "PTEs referencing each swapped entry, > 1 after fork (default 1)" },
  { name: "reverse-map", value: "design|on|off|both", doc: "virtual designs: with the design's reverse map, force it on/off, or compare both (default design)" },
  { name: "costs", value: "defaults|rfc-benchmark", doc: "named cost set the other cost options start from: defaults (order-of-magnitude assumptions), or rfc-benchmark (fitted to the published RFC swapoff pair in data/benchmarks/vswap-rfc, as notebook 04 section 3 does) (default defaults)" },
  { name: "cost", value: "<name=value,...>", doc: "override per-item costs, e.g. pteVisitNs=2,ssdReadLatencyNs=20000 (names in the parameters table)" },
  { name: "calibration", value: "<swapoff.csv|rows.json>", doc: "fit per-item costs to measurements and use them (terms the rows cannot identify, or fit to 0, keep their defaults; the output lists fitted and kept terms and warns): a kernel-lab table (data/lab/<kernel>/swapoff.csv) or rows [{swappedPages, ptesInSwappedMm, ptesInOtherMm, slots?, ns}]" },
  { name: "calibration-backend", value: "disk|zswap", doc: "backend the calibration rows were measured with (default disk)" },
  { name: "no-memcg", doc: "memcg disabled (for the metadata left behind)" },
  { name: "cpus", value: "<n>", doc: "possible CPUs (for the metadata left behind; default 8)" },
  { name: "design-file", value: "<file.json>", doc: "load a custom design (its family picks the code path)" },
  { name: "format", value: "text|json|mail", doc: "output format (default text)" },
];

export const SWAPOFF_FLAGS: readonly FlagSpec[] = [
  { name: "design", value: "<id|id,id,...|all>", doc: "design(s) (see `swapcost designs`)" },
  ...COMMON_FLAGS,
  { name: "idle-mapped", value: "<size>", doc: "page-table span of mms that never swapped (not on mmlist: never walked)" },
  { name: "idle-processes", value: "<n>", doc: "mms that never swapped (default 1 when --idle-mapped is given)" },
  { name: "shmem", value: "<size>", doc: "swapped shmem/tmpfs data on the device (found by shmem_unuse, part of --used)" },
  { name: "shmem-files", value: "<n>", doc: "inodes on shmem_swaplist (default 1)" },
  { name: "shmem-span", value: "<size>", doc: "page-cache xarray entries of those inodes, resident + swapped (default --shmem)" },
  { name: "retries", value: "<n>", doc: "extra try_to_unuse passes (entries re-inserted under pressure; default 0)" },
  { name: "direct-share", value: "<share>", doc: "ghost-p4: share of disk entries swapped to the device without the ghost layer (default 0)" },
  { name: "swapcache-only", doc: "what-if for direct-mapped designs: read every entry into the swap cache without the PTE walk (nothing can be released)" },
];

export const TRANSFER_FLAGS: readonly FlagSpec[] = [
  { name: "design", value: "<id|id,id,...|all>", doc: "design(s) (see `swapcost designs`)" },
  { name: "from", value: "zswap|ssd|hdd|zram", doc: "backend the entries leave (default zswap: zswap writeback)" },
  { name: "to", value: "zswap|ssd|hdd|zram", doc: "backend the entries go to (default ssd)" },
  { name: "entries", value: "<count|size>", doc: "entries moved: a count, or a size of data such as 4G (default 1G)" },
  ...COMMON_FLAGS,
];

function intFlag(args: ParsedArgs, name: string, dflt: number, min = 0): number {
  const t = str(args, name);
  if (t === undefined) return dflt;
  if (!/^\d+$/.test(t.trim()) || Number(t) < min || !Number.isSafeInteger(Number(t))) throw new SwapcostInputError(`--${name}`, t, `a whole number >= ${min}`);
  return Number(t);
}

function sizeFlag(args: ParsedArgs, name: string): number | undefined {
  const t = str(args, name);
  if (t === undefined) return undefined;
  const b = parseSize(t, `--${name}`);
  if (b % 4096 !== 0) throw new SwapcostInputError(`--${name}`, t, "a whole number of 4 KiB pages");
  return b;
}

/** The named cost set (--costs): the defaults, or a set fitted to a published benchmark read from data/benchmarks. */
function costSetFromArgs(args: ParsedArgs): SwapoffCosts {
  const name = (str(args, "costs") ?? "defaults").trim();
  if (!(COST_SETS as readonly string[]).includes(name)) throw new SwapcostInputError("--costs", name, `one of ${COST_SETS.join(", ")}`);
  if (name === "defaults") return DEFAULT_COSTS;
  return benchmarkCosts(findTable(readBenchmarks(), RFC_BENCHMARK_SETUP.table), RFC_BENCHMARK_SETUP).costs;
}

/** Costs: the named set (--costs), then a calibration, then explicit overrides. */
export function costsFromArgs(args: ParsedArgs): SwapoffCosts {
  let c = costSetFromArgs(args);
  const file = str(args, "calibration");
  const backendText = str(args, "calibration-backend") ?? "disk";
  if (backendText !== "disk" && backendText !== "zswap") throw new SwapcostInputError("--calibration-backend", backendText, "disk or zswap");
  if (file && file.endsWith(".csv")) {
    // A kernel-lab table (data/lab/<kernel>/swapoff.csv): repetitions folded into per-level medians before the fit.
    let table: ReturnType<typeof readLabTable>;
    try {
      table = readLabTable(file);
    } catch (e) {
      throw new SwapcostInputError("--calibration", file, "a kernel-lab swapoff.csv (data/lab/<kernel>/swapoff.csv) or a JSON array of rows", (e as Error).message.split("\n")[0]);
    }
    const rows = calibrationRowsFromLab(table.rows, backendText);
    if (rows.length < 2) throw new SwapcostInputError("--calibration", file, `at least 2 successful ${backendText} rows`, "not enough rows for this backend");
    const fit = fitSwapoffCosts(medianRows(rows), { source: `${file} (${table.header.kernel_release}${/^tcg/i.test(table.header.accel) ? ", QEMU TCG: 20-50x slower than hardware, trends only" : ""}; medians of repetitions)` });
    // The lab's trend verdicts (as notebooks 04 and 05 compute them): a fitted term whose trend is within the noise is flagged.
    return finishCosts(args, applyCalibration(c, fit, backendText, { trends: swapoffTrends(rows) }));
  }
  if (file) {
    let rows: unknown;
    try {
      rows = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new SwapcostInputError("--calibration", file, "a readable JSON file holding an array of rows", (e as Error).message.split("\n")[0]);
    }
    if (!Array.isArray(rows)) throw new SwapcostInputError("--calibration", file, "a JSON array of rows {swappedPages, ptesInSwappedMm, ptesInOtherMm, slots?, ns}");
    const checked: CalibrationRow[] = rows.map((r, i) => {
      const o = (r ?? {}) as Record<string, unknown>;
      for (const k of ["swappedPages", "ptesInSwappedMm", "ptesInOtherMm", "ns"]) {
        if (typeof o[k] !== "number") throw new SwapcostInputError(`--calibration row ${i + 1}`, k, "numbers swappedPages, ptesInSwappedMm, ptesInOtherMm, ns (slots optional)", `${k} missing or not a number`);
      }
      return { swappedPages: o.swappedPages as number, ptesInSwappedMm: o.ptesInSwappedMm as number, ptesInOtherMm: o.ptesInOtherMm as number, slots: typeof o.slots === "number" ? o.slots : undefined, ns: o.ns as number };
    });
    c = applyCalibration(c, fitSwapoffCosts(checked, { source: file }), backendText);
  }
  return finishCosts(args, c);
}

function finishCosts(args: ParsedArgs, c: SwapoffCosts): SwapoffCosts {
  const over = str(args, "cost");
  return over ? withOverrides(c, parseCostOverrides(over), "--cost") : c;
}

function designsFromArgs(args: ParsedArgs, custom: ReadonlyMap<string, Design>): { designs: Design[]; all: boolean } {
  const text = str(args, "design") ?? (custom.size ? [...custom.keys()][0] : undefined);
  if (!text) throw new SwapcostInputError("--design", "", "a design id, a comma-separated list, or all (see `swapcost designs`)", "missing");
  if (text.trim() === "all") return { designs: [...allDesigns(), ...custom.values()], all: true };
  const designs = text.split(",").map((t) => designById(t, custom));
  const ids = designs.map((d) => d.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new SwapcostInputError("--design", dup, "each design once");
  return { designs, all: false };
}

function scenarioArgs(args: ParsedArgs, defaultBackend: string): ParsedArgs {
  if (str(args, "backend") !== undefined || str(args, "mix") !== undefined) return args;
  const flags = new Map(args.flags);
  if (defaultBackend.includes("=")) flags.set("mix", defaultBackend);
  else flags.set("backend", defaultBackend);
  return { flags, positionals: args.positionals };
}

/** The device being swapped off: a physical one unless the design's only device is the ghost file itself. */
function swapoffDevice(design: Design, choice: string, mix: Mix, zram: boolean): DeviceKind {
  const d = resolveDevice(design, choice as DeviceKind | "auto", mix, zram);
  if (d === "none" && choice === "auto" && design.devices.includes("ssd")) return "ssd";
  return d;
}

/** Usage, placement and writeback share of one design: the scenario's, or a simulation's (--occupancy sim:…). */
function stateOf(design: Design, scenario: ReturnType<typeof parseScenario>, size: number, used: number): { usage: Usage; occupancy: Occupancy; writebackShare: number | undefined } {
  const occ = scenario.occupancy;
  if (occ.kind === "simulated") return { usage: occ.usage, occupancy: measuredFor(design, occ), writebackShare: occ.writebackShare };
  return { usage: usageOf(size, used, scenario.mix), occupancy: occ, writebackShare: scenario.writebackShare };
}

function reverseMapChoice(args: ParsedArgs): "design" | "on" | "off" | "both" {
  const t = (str(args, "reverse-map") ?? "design").toLowerCase();
  if (!["design", "on", "off", "both"].includes(t)) throw new SwapcostInputError("--reverse-map", t, "design, on, off or both");
  return t as "design" | "on" | "off" | "both";
}

/** The options swapoff and transfer share: the scenario, the designs, the costs and the reverse map. */
function commonOptions(argv: readonly string[], flags: Parameters<typeof parseArgs>[1], command: "swapoff" | "transfer", defaultMix: string) {
  const raw = parseArgs(argv, flags, command);
  if (raw.positionals.length) throw new SwapcostInputError(`swapcost ${command}`, raw.positionals.join(" "), "options only (did you mean --design?)");
  const args = scenarioArgs(raw, defaultMix);
  const format = parseFormat(args);
  const custom = loadCustomDesigns(args);
  const { designs, all } = designsFromArgs(args, custom);
  const size = parseSwapSize(args);
  const used = parseUsed(str(args, "used") ?? "50%", size);
  const scenario = parseScenario(args, used, size);
  const costs = costsFromArgs(args);
  const rm = reverseMapChoice(args);
  return { raw, args, format, custom, designs, all, size, used, scenario, costs, rm };
}

export function swapoffCommand(argv: readonly string[], io: Io): number {
  const { raw, args, format, custom, designs, all, size, used, scenario, costs, rm } = commonOptions(argv, SWAPOFF_FLAGS, "swapoff", "disk");
  const runnable = designs.filter((d) => canRun(d, scenario.mix));
  const skipped = designs.filter((d) => !canRun(d, scenario.mix));
  if (!all && skipped.length) {
    const d = skipped[0];
    throw new SwapcostInputError("--backend", Object.keys(scenario.mix).join(","), `one of ${d.entryKinds.join(", ")} for ${d.id}`, `${d.id} cannot hold these entries`);
  }
  if (runnable.length === 0) throw new SwapcostInputError("--design", str(args, "design") ?? "", "at least one design that can hold these entries");
  const mappings = intFlag(args, "mappings", 1, 1);
  const shmemBytes = sizeFlag(args, "shmem") ?? 0;
  const idleMapped = sizeFlag(args, "idle-mapped") ?? 0;
  const directShareText = str(args, "direct-share");

  const results: SwapoffResult[] = [];
  const tradeoffs: ReturnType<typeof reverseMapTradeoff>[] = [];
  for (const design of runnable) {
    const device = swapoffDevice(design, scenario.device, scenario.mix, scenario.zram ?? false);
    const { usage, occupancy, writebackShare } = stateOf(design, scenario, size, used);
    const rules = pathsOf(design).swapoff;
    const shmemEntries = shmemBytes / 4096;
    // Default walked span: the swapped anon data itself (each entry's PTE must lie in it).
    const layerW = rules.deviceLayer === "physical" ? design.layers.physical : (design.layers.virtual ?? {});
    const readable = Math.round((layerW.disk ?? 0) * usage.disk + (layerW.zswap ?? 0) * usage.zswap + (layerW.zero ?? 0) * usage.zero);
    const anon = Math.max(0, readable - shmemEntries);
    const mapped = sizeFlag(args, "mapped") ?? anon * mappings * 4096;
    const workload: SwapoffWorkload = {
      processes: intFlag(args, "processes", 1, 0),
      mappedBytes: mapped,
      vmaSpanBytes: sizeFlag(args, "vma-span"),
      anonVmas: str(args, "anon-vmas") === undefined ? undefined : intFlag(args, "anon-vmas", 1, 0),
      idleProcesses: intFlag(args, "idle-processes", idleMapped > 0 ? 1 : 0, 0),
      idleMappedBytes: idleMapped,
      mappingsPerEntry: mappings,
      shmemEntries,
      shmemInodes: str(args, "shmem-files") === undefined ? undefined : intFlag(args, "shmem-files", 1, 0),
      shmemXarrayEntries: sizeFlag(args, "shmem-span") === undefined ? undefined : sizeFlag(args, "shmem-span")! / 4096,
      retries: intFlag(args, "retries", 0, 0),
      directShare: directShareText === undefined || design.id !== "ghost-p4" ? undefined : parseShare(directShareText, "--direct-share"),
    };
    const base = {
      design,
      swapSizeBytes: size,
      device,
      usage,
      occupancy,
      memcg: scenario.memcg,
      cpus: scenario.cpus,
      writebackShare,
      workload,
      costs,
    };
    if (rm === "both" && rules.method === "virtual") tradeoffs.push(reverseMapTradeoff(base));
    const lazy = raw.flags.has("swapcache-only") && rules.method === "pte-walk";
    results.push(swapoff({ ...base, reverseMap: rm === "on" ? true : rm === "off" ? false : undefined, mode: lazy ? "swapcache-only" : undefined }));
  }
  if (directShareText !== undefined && !runnable.some((d) => d.id === "ghost-p4")) {
    throw new SwapcostInputError("--direct-share", directShareText, "only with ghost-p4 (the only design whose PTEs may hold either layer's slot)");
  }
  if (rm === "both" && tradeoffs.length === 0) throw new SwapcostInputError("--reverse-map", "both", "a design with a virtual layer (vswap, STE, ghost-p4, redirect)");

  if (format === "json") {
    io.out(JSON.stringify(rm === "both" ? { swapoff: results, reverseMap: tradeoffs } : results.length === 1 ? results[0] : results, null, 2) + "\n");
    return 0;
  }
  if (format === "mail") {
    io.out(rm === "both" ? tradeoffs.map(reverseMapMail).join("\n") : swapoffMail(results));
    return 0;
  }
  if (rm === "both") io.out(tradeoffs.map(reverseMapText).join("\n"));
  else if (results.length === 1) io.out(swapoffText(results[0]));
  else io.out(swapoffCompareText(results, skipped.map((d) => d.id)));
  return 0;
}

function endpoint(args: ParsedArgs, name: "from" | "to", dflt: TransferEndpoint): TransferEndpoint {
  const t = (str(args, name) ?? dflt).toLowerCase();
  if (!(TRANSFER_ENDPOINTS as readonly string[]).includes(t)) throw new SwapcostInputError(`--${name}`, t, `one of ${TRANSFER_ENDPOINTS.join(", ")}`);
  return t as TransferEndpoint;
}

function entriesFlag(args: ParsedArgs): number {
  const t = str(args, "entries") ?? "1G";
  if (hasSizeUnit(t)) {
    const b = parseSize(t, "--entries");
    if (b % 4096 !== 0) throw new SwapcostInputError("--entries", t, "a whole number of 4 KiB pages");
    return b / 4096;
  }
  if (!/^\d+$/.test(t.trim())) throw new SwapcostInputError("--entries", t, "a count of entries (262144) or a size of data (1G)");
  return Number(t);
}

export function transferCommand(argv: readonly string[], io: Io): number {
  const { args, format, custom, designs, all, size, used, scenario, costs, rm } = commonOptions(argv, TRANSFER_FLAGS, "transfer", "zswap=50%,disk=50%");
  if (rm === "both") throw new SwapcostInputError("--reverse-map", "both", "design, on or off for transfer (use swapcost swapoff --reverse-map both for the trade-off)");
  const from = endpoint(args, "from", "zswap");
  const to = endpoint(args, "to", "ssd");
  const entries = entriesFlag(args);
  const mappings = intFlag(args, "mappings", 1, 1);
  const results: TransferResult[] = [];
  const skipped: string[] = [];
  for (const design of designs) {
    const { usage, occupancy, writebackShare } = stateOf(design, scenario, size, used);
    const input = {
      design,
      from,
      to,
      entries,
      usage,
      swapSizeBytes: size,
      occupancy,
      writebackShare,
      workload: { processes: intFlag(args, "processes", 1, 0), mappedBytes: sizeFlag(args, "mapped") ?? usage.disk * mappings * 4096, vmaSpanBytes: sizeFlag(args, "vma-span"), anonVmas: str(args, "anon-vmas") === undefined ? undefined : intFlag(args, "anon-vmas", 1, 0), mappingsPerEntry: mappings },
      costs,
      reverseMap: rm === "on" ? true : rm === "off" ? false : undefined,
    };
    if (all) {
      try {
        results.push(transfer(input));
      } catch (e) {
        if (!(e instanceof SwapcostInputError)) throw e;
        skipped.push(`${design.id} (${e.message})`);
      }
    } else results.push(transfer(input));
  }
  if (results.length === 0) throw new SwapcostInputError("--design", str(args, "design") ?? "", "at least one design that can make this move", skipped.join("; "));
  if (format === "json") io.out(JSON.stringify(results.length === 1 ? results[0] : results, null, 2) + "\n");
  else if (format === "mail") io.out(transferMail(results));
  else io.out(results.length === 1 ? transferText(results[0]) : transferCompareText(results, skipped));
  return 0;
}

