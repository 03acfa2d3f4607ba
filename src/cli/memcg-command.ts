/**
 * `swapcost memcg`: what a design charges to memory.current, memory.swap.current and
 * memory.zswap.current, per cgroup, for one cgroup described by flags or a hierarchy from a JSON
 * file; one design or several side by side.
 */
import { readFileSync } from "node:fs";
import { SwapcostInputError } from "../errors.js";
import { allDesigns } from "../designs/registry.js";
import type { Design } from "../designs/types.js";
import { memcg, RECLAIM_MODES, type CgroupSpec, type CompressedSize, type Compressibility, type MemcgResult, type MemcgSystem, type ReclaimMode, type Workload } from "../models/memcg.js";
import { memcgRuleIds } from "../models/memcg-rules.js";
import { memcgCompareText, memcgMail, memcgText } from "../report/memcg.js";
import { parseSize } from "../units/bytes.js";
import { parseShare } from "../units/share.js";
import { has, parseArgs, str, type FlagSpec, type ParsedArgs } from "./args.js";
import { designById, loadCustomDesigns, parseFormat } from "./overhead-options.js";
import type { Io } from "./overhead-commands.js";

const CGROUP_FLAGS = ["memory-max", "swap-max", "zswap-max", "zswap-writeback", "anon", "resident", "other-charged", "reclaim", "compression-ratio", "compressed-sizes", "zero-share", "same-filled-share", "incompressible-share", "written-back-share"];

export const MEMCG_FLAGS: readonly FlagSpec[] = [
  { name: "design", value: "<id>", doc: "design id or alias (see `swapcost designs`)" },
  { name: "designs", value: "<id,id,...|all>", doc: "several designs side by side (the first is the baseline of the deltas)" },
  { name: "cgroups", value: "<file.json>", doc: "a cgroup hierarchy with limits and workloads (format above) instead of the one-cgroup flags" },
  { name: "memory-max", value: "<size|max>", doc: "memory.max of the cgroup (default max)" },
  { name: "swap-max", value: "<size|max>", doc: "memory.swap.max (default max)" },
  { name: "zswap-max", value: "<size|max>", doc: "memory.zswap.max (default max)" },
  { name: "zswap-writeback", value: "0|1", doc: "memory.zswap.writeback (6.8+; default 1)" },
  { name: "anon", value: "<size>", doc: "anonymous memory pushed out (pageout, lru) or the whole anon footprint (limit); default 1G" },
  { name: "resident", value: "<size>", doc: "anon that stays resident besides (pageout, lru; default 0)" },
  { name: "other-charged", value: "<size>", doc: "other memory charged to the cgroup that reclaim cannot free: page tables, kernel stacks, slab (default 0)" },
  { name: "reclaim", value: "pageout|lru|limit", doc: "MADV_PAGEOUT (counts swap.max failures per page), memory.reclaim (LRU: stops at swap.max), or memory.max pressure (default pageout)" },
  { name: "compression-ratio", value: "<x>", doc: "every compressible page compresses to 4096/x bytes (x >= 1)" },
  { name: "compressed-sizes", value: "<file>", doc: "compressed sizes, one `bytes [weight]` per line (# comments)" },
  { name: "zero-share", value: "<share>", doc: "share of the pages that are zero-filled (default 0)" },
  { name: "same-filled-share", value: "<share>", doc: "share filled with one repeated non-zero word (default 0)" },
  { name: "incompressible-share", value: "<share>", doc: "share that does not compress below a page (default 0)" },
  { name: "written-back-share", value: "<share>", doc: "share of the zswap-stored pages later written back to disk (default 0)" },
  { name: "zpool", value: "zsmalloc|zbud", doc: "zswap pool (default: the kernel's; zbud only up to 6.14)" },
  { name: "zswap", value: "0|1", doc: "zswap enabled (default 1)" },
  { name: "swap-size", value: "<size|none>", doc: "physical swap device (a ghost swapfile's declared size); none = no swapfile (default 32G)" },
  { name: "virtual-size", value: "<size>", doc: "ghost device / virtual swap space (default: the design's limit)" },
  { name: "device", value: "ssd|hdd|zram", doc: "swap device kind, for the metadata (default ssd)" },
  { name: "cpus", value: "<n>", doc: "possible CPUs (default 8)" },
  { name: "same-filled-bytes", value: "<n>", doc: "compressed length of a same-filled page on 6.12+ (default 33)" },
  { name: "design-file", value: "<file.json>", doc: "a custom design (memcg rules need a built-in design id)" },
  { name: "format", value: "text|json|mail", doc: "output format (default text)" },
];

export const MEMCG_HELP = `
--cgroups file.json: {"system": {...optional, as the flags...}, "cgroups": [{"name": "a", "parent": null,
  "memory.max": "4G", "memory.swap.max": "max", "memory.zswap.max": "1G", "memory.zswap.writeback": 1,
  "workload": {"anon": "2G", "reclaim": "limit", "compression-ratio": 3, "zero-share": "10%",
  "incompressible-share": "5%"}}]}  (a bare list of cgroups also works; workloads on leaves only;
  "compressed-sizes" may be a file name or a list of [bytes, weight]).
Counters are reported under their cgroup file names (memory.current, memory.swap.current,
memory.zswap.current, memory.stat:zswapped, memory.swap.events:max), in bytes in JSON.
`;

function limitOf(text: string | number | null | undefined, field: string): number | null {
  if (text === undefined || text === null) return null;
  if (typeof text === "number") {
    if (!Number.isSafeInteger(text) || text < 0) throw new SwapcostInputError(field, text, "a size ≥ 0 (bytes, or 512M, 4G, …) or max");
    return text;
  }
  const t = String(text).trim();
  if (t === "max") return null;
  if (/^-/.test(t)) throw new SwapcostInputError(field, text, "a size ≥ 0 (512M, 4G, …) or max", "below zero");
  return parseSize(t, field);
}

function sizeOf(v: string | number, field: string): number {
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v) || v < 0) throw new SwapcostInputError(field, v, "a size ≥ 0 in bytes (or a string such as 512M)");
    return v;
  }
  if (/^\s*-/.test(String(v))) throw new SwapcostInputError(field, v, "a size ≥ 0 (512M, 4G, …)", "below zero");
  return parseSize(String(v), field);
}

/** A size of anonymous memory: whole 4 KiB pages (the model counts pages; 3 bytes would be read as 0 pages). */
function pagesOf(v: string | number, field: string): number {
  const b = sizeOf(v, field);
  if (b % 4096 !== 0) throw new SwapcostInputError(field, v, "a whole number of 4 KiB pages (4K, 512M, 4G, or bytes divisible by 4096)");
  return b;
}

function shareOf(v: string | number | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  return parseShare(String(v), field);
}

function bit(v: string | number | boolean | undefined, field: string): boolean | undefined {
  if (v === undefined) return undefined;
  const t = String(v).trim();
  if (t === "1" || t === "true") return true;
  if (t === "0" || t === "false") return false;
  throw new SwapcostInputError(field, v, "0 or 1");
}

/** `bytes [weight]` per line; blank lines and # comments ignored. */
export function parseCompressedSizes(text: string, file: string): CompressedSize[] {
  const out: CompressedSize[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) return;
    const parts = line.split(/[\s,;]+/);
    const field = `${file}:${i + 1}`;
    if (parts.length > 2) throw new SwapcostInputError(field, raw, "`bytes` or `bytes weight` (e.g. 1365 0.5)");
    const bytes = Number(parts[0]);
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > 65536) throw new SwapcostInputError(field, parts[0], "a compressed size in bytes from 1 to 65536");
    const weight = parts.length === 2 ? Number(parts[1]) : 1;
    if (!Number.isFinite(weight) || weight <= 0) throw new SwapcostInputError(field, parts[1], "a positive weight");
    out.push({ compressedBytes: bytes, weight });
  });
  if (!out.length) throw new SwapcostInputError(file, "(no sizes)", "at least one `bytes [weight]` line");
  return out;
}

function readText(file: string, field: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new SwapcostInputError(field, file, "a readable file", (e as NodeJS.ErrnoException).code ?? "unreadable");
  }
}

function compressibilityOf(ratio: string | number | undefined, sizes: string | unknown[] | undefined, field: string): Compressibility | undefined {
  if (ratio !== undefined && sizes !== undefined) throw new SwapcostInputError(field, "both", "either a compression ratio or compressed sizes, not both");
  if (ratio !== undefined) {
    const x = Number(ratio);
    if (!Number.isFinite(x) || x < 1) throw new SwapcostInputError(`${field} compression ratio`, ratio, "a ratio ≥ 1 (original / compressed size, e.g. 3)");
    return { kind: "ratio", ratio: x };
  }
  if (sizes !== undefined) {
    if (typeof sizes === "string") return { kind: "sizes", sizes: parseCompressedSizes(readText(sizes, `${field} compressed sizes`), sizes) };
    if (!Array.isArray(sizes)) throw new SwapcostInputError(`${field} compressed sizes`, sizes, "a file name or a list of [bytes, weight]");
    return {
      kind: "sizes",
      sizes: sizes.map((e, i) => {
        const pair = Array.isArray(e) ? e : [e, 1];
        const [b, w] = pair as [unknown, unknown];
        if (typeof b !== "number" || typeof (w ?? 1) !== "number") throw new SwapcostInputError(`${field} compressed sizes[${i}]`, e, "[bytes, weight] numbers");
        return { compressedBytes: b, weight: (w as number | undefined) ?? 1 };
      }),
    };
  }
  return undefined;
}

function needCompressibility(w: Omit<Workload, "compressibility"> & { compressibility?: Compressibility }, field: string): Workload {
  const rest = 1 - (w.zeroShare ?? 0) - (w.sameFilledShare ?? 0) - (w.incompressibleShare ?? 0);
  if (!w.compressibility && rest > 1e-12) {
    throw new SwapcostInputError(field, "(missing)", "--compression-ratio <x> or --compressed-sizes <file>: how the compressible pages compress (e.g. --compression-ratio 3)");
  }
  return { ...w, compressibility: w.compressibility ?? { kind: "ratio", ratio: 1 } } as Workload;
}

function reclaimOf(v: string | undefined, field: string): ReclaimMode | undefined {
  if (v === undefined) return undefined;
  if (!(RECLAIM_MODES as readonly string[]).includes(v)) throw new SwapcostInputError(field, v, RECLAIM_MODES.join(", "));
  return v as ReclaimMode;
}

function cgroupFromFlags(args: ParsedArgs): CgroupSpec {
  const wb = bit(str(args, "zswap-writeback"), "--zswap-writeback");
  const w = needCompressibility(
    {
      anonBytes: pagesOf(str(args, "anon") ?? "1G", "--anon"),
      residentBytes: str(args, "resident") === undefined ? undefined : pagesOf(str(args, "resident")!, "--resident"),
      otherChargedBytes: str(args, "other-charged") === undefined ? undefined : sizeOf(str(args, "other-charged")!, "--other-charged"),
      reclaim: reclaimOf(str(args, "reclaim"), "--reclaim"),
      compressibility: compressibilityOf(str(args, "compression-ratio"), str(args, "compressed-sizes"), "--compression-ratio/--compressed-sizes"),
      zeroShare: shareOf(str(args, "zero-share"), "--zero-share"),
      sameFilledShare: shareOf(str(args, "same-filled-share"), "--same-filled-share"),
      incompressibleShare: shareOf(str(args, "incompressible-share"), "--incompressible-share"),
      writtenBackShare: shareOf(str(args, "written-back-share"), "--written-back-share"),
    },
    "--compression-ratio",
  );
  return {
    name: "workload",
    memoryMaxBytes: limitOf(str(args, "memory-max"), "--memory-max"),
    swapMaxBytes: limitOf(str(args, "swap-max"), "--swap-max"),
    zswapMaxBytes: limitOf(str(args, "zswap-max"), "--zswap-max"),
    zswapWriteback: wb,
    workload: w,
  };
}

type Json = Record<string, unknown>;

function cgroupFromJson(o: unknown, i: number): CgroupSpec {
  if (!o || typeof o !== "object" || Array.isArray(o)) throw new SwapcostInputError(`cgroups[${i}]`, o, "an object with name, parent, memory.max, … and workload");
  const c = o as Json;
  const name = typeof c.name === "string" ? c.name : String(c.name);
  const known = ["name", "parent", "memory.max", "memory.swap.max", "memory.zswap.max", "memory.zswap.writeback", "workload"];
  for (const k of Object.keys(c)) if (!known.includes(k)) throw new SwapcostInputError(`${name}`, k, `keys among ${known.join(", ")}`, "unknown key");
  let workload: Workload | undefined;
  if (c.workload !== undefined) {
    const w = c.workload as Json;
    if (!w || typeof w !== "object" || Array.isArray(w)) throw new SwapcostInputError(`${name}.workload`, c.workload, "an object");
    const wk = ["anon", "resident", "other-charged", "reclaim", "compression-ratio", "compressed-sizes", "zero-share", "same-filled-share", "incompressible-share", "written-back-share"];
    for (const k of Object.keys(w)) if (!wk.includes(k)) throw new SwapcostInputError(`${name}.workload`, k, `keys among ${wk.join(", ")}`, "unknown key");
    if (w.anon === undefined) throw new SwapcostInputError(`${name}.workload.anon`, "(missing)", "a size such as 2G");
    workload = needCompressibility(
      {
        anonBytes: pagesOf(w.anon as string | number, `${name}.workload.anon`),
        residentBytes: w.resident === undefined ? undefined : pagesOf(w.resident as string | number, `${name}.workload.resident`),
        otherChargedBytes: w["other-charged"] === undefined ? undefined : sizeOf(w["other-charged"] as string | number, `${name}.workload.other-charged`),
        reclaim: reclaimOf(w.reclaim as string | undefined, `${name}.workload.reclaim`),
        compressibility: compressibilityOf(w["compression-ratio"] as number | undefined, w["compressed-sizes"] as string | unknown[] | undefined, `${name}.workload`),
        zeroShare: shareOf(w["zero-share"] as string | number | undefined, `${name}.workload.zero-share`),
        sameFilledShare: shareOf(w["same-filled-share"] as string | number | undefined, `${name}.workload.same-filled-share`),
        incompressibleShare: shareOf(w["incompressible-share"] as string | number | undefined, `${name}.workload.incompressible-share`),
        writtenBackShare: shareOf(w["written-back-share"] as string | number | undefined, `${name}.workload.written-back-share`),
      },
      `${name}.workload.compression-ratio`,
    );
  }
  return {
    name,
    parent: c.parent === undefined || c.parent === null ? null : String(c.parent),
    memoryMaxBytes: limitOf(c["memory.max"] as string | number | undefined, `${name}.memory.max`),
    swapMaxBytes: limitOf(c["memory.swap.max"] as string | number | undefined, `${name}.memory.swap.max`),
    zswapMaxBytes: limitOf(c["memory.zswap.max"] as string | number | undefined, `${name}.memory.zswap.max`),
    zswapWriteback: bit(c["memory.zswap.writeback"] as string | number | undefined, `${name}.memory.zswap.writeback`),
    workload,
  };
}

function systemFromFlags(get: (k: string) => string | undefined): Partial<MemcgSystem> {
  const sys: { -readonly [K in keyof MemcgSystem]?: MemcgSystem[K] } = {};
  const size = get("swap-size");
  if (size !== undefined) sys.swapDeviceBytes = size.trim() === "none" ? null : sizeOf(size, "--swap-size");
  const v = get("virtual-size");
  if (v !== undefined) sys.virtualSwapBytes = sizeOf(v, "--virtual-size");
  const dev = get("device");
  if (dev !== undefined) {
    if (!["ssd", "hdd", "zram"].includes(dev)) throw new SwapcostInputError("--device", dev, "ssd, hdd or zram (--swap-size none for no device)");
    sys.device = dev as MemcgSystem["device"];
  }
  const z = bit(get("zswap"), "--zswap");
  if (z !== undefined) sys.zswapEnabled = z;
  const zp = get("zpool");
  if (zp !== undefined) {
    if (zp !== "zsmalloc" && zp !== "zbud") throw new SwapcostInputError("--zpool", zp, "zsmalloc or zbud");
    sys.zpool = zp;
  }
  const cpus = get("cpus");
  if (cpus !== undefined) {
    if (!/^\d+$/.test(cpus)) throw new SwapcostInputError("--cpus", cpus, "a whole number of CPUs between 1 and 8192");
    sys.cpus = Number(cpus);
  }
  const sf = get("same-filled-bytes");
  if (sf !== undefined) {
    if (!/^\d+$/.test(sf)) throw new SwapcostInputError("--same-filled-bytes", sf, "a whole number of bytes from 1 to 4096");
    sys.sameFilledCompressedBytes = Number(sf);
  }
  return sys;
}

/** Cgroups and system settings from a --cgroups file. */
export function parseCgroupsJson(text: string, file: string): { cgroups: CgroupSpec[]; system: Partial<MemcgSystem> } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SwapcostInputError(file, (e as Error).message, "valid JSON");
  }
  const list = Array.isArray(doc) ? doc : (doc as Json)?.cgroups;
  if (!Array.isArray(list)) throw new SwapcostInputError(file, typeof doc, "a list of cgroups, or {\"system\": {...}, \"cgroups\": [...]}");
  const sysObj = Array.isArray(doc) ? {} : (((doc as Json).system ?? {}) as Json);
  const system = systemFromFlags((k) => {
    const v = sysObj[k];
    return v === undefined ? undefined : String(v);
  });
  const knownSys = ["swap-size", "virtual-size", "device", "zswap", "zpool", "cpus", "same-filled-bytes"];
  for (const k of Object.keys(sysObj)) if (!knownSys.includes(k)) throw new SwapcostInputError(`${file} system`, k, `keys among ${knownSys.join(", ")}`, "unknown key");
  return { cgroups: list.map(cgroupFromJson), system };
}

function designsOf(args: ParsedArgs): Design[] {
  const custom = loadCustomDesigns(args);
  const one = str(args, "design");
  const many = str(args, "designs");
  if (one && many) throw new SwapcostInputError("--design", one, "either --design or --designs, not both");
  if (!one && !many) throw new SwapcostInputError("--design", "", `a design id (${memcgRuleIds().join(", ")}) or --designs a,b`, "missing");
  const text = one ?? many!;
  const list = text.trim() === "all" ? allDesigns().filter((d) => memcgRuleIds().includes(d.id)) : text.split(",").map((t) => designById(t, custom));
  const ids = list.map((d) => d.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new SwapcostInputError("--designs", dup, "each design once");
  return list;
}

export function memcgCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, MEMCG_FLAGS, "memcg");
  const format = parseFormat(args);
  if (args.positionals.length) throw new SwapcostInputError("swapcost memcg", args.positionals.join(" "), "options only (did you mean --design?)");
  const designs = designsOf(args);
  let cgroups: CgroupSpec[];
  let system: Partial<MemcgSystem>;
  const file = str(args, "cgroups");
  if (file) {
    const clash = CGROUP_FLAGS.find((f) => has(args, f));
    if (clash) throw new SwapcostInputError(`--${clash}`, str(args, clash) ?? "", "either --cgroups <file> or the one-cgroup flags, not both");
    const parsed = parseCgroupsJson(readText(file, "--cgroups"), file);
    cgroups = parsed.cgroups;
    system = { ...parsed.system, ...systemFromFlags((k) => str(args, k)) };
  } else {
    cgroups = [cgroupFromFlags(args)];
    system = systemFromFlags((k) => str(args, k));
  }
  const results: MemcgResult[] = designs.map((design) => memcg({ design, system, cgroups }));
  if (format === "json") io.out(JSON.stringify(results.length === 1 ? results[0] : results, null, 2) + "\n");
  else if (format === "mail") io.out(memcgMail(results));
  else io.out(results.length === 1 ? memcgText(results[0]) : memcgCompareText(results));
  return 0;
}
