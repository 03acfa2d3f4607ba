/**
 * Pure parsers for the host files a snapshot holds: text in, typed records out. A malformed file is
 * a SwapcostInputError naming the file and the line (`proc/swaps:3: …`), so the CLI prints one line
 * and exits 2. Formats and where they are defined: ./formats.ts.
 */
import { SwapcostInputError } from "../errors.js";

/** `file:line` as the error field; the offending line (trimmed, shortened) as the value. */
export function formatError(file: string, line: number, text: string, expected: string, detail?: string): SwapcostInputError {
  const shown = text.length > 120 ? text.slice(0, 117) + "..." : text;
  return new SwapcostInputError(`${file}:${line}`, shown, expected, detail);
}

function lines(text: string): string[] {
  const ls = text.split("\n");
  if (ls.length && ls[ls.length - 1] === "") ls.pop();
  return ls;
}

function safeInt(s: string, file: string, line: number, text: string, expected: string): number {
  if (!/^-?\d+$/.test(s)) throw formatError(file, line, text, expected);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw formatError(file, line, text, expected, "number beyond 2^53");
  return n;
}

/** Undo the kernel's octal escapes (`\040` for a space) used by seq_file_path() and mangle(). */
export function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function escapeOctal(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => "\\" + c.charCodeAt(0).toString(8).padStart(3, "0"));
}

// ---------------------------------------------------------------------------------------------
// /proc/swaps

export interface SwapLine {
  /** The device or file path, unescaped. */
  readonly path: string;
  readonly type: "partition" | "file";
  /** Usable size: si->pages in kB (the header page and bad pages excluded). */
  readonly sizeKb: number;
  /** Slots in use: si->inuse_pages in kB. */
  readonly usedKb: number;
  readonly priority: number;
}

const SWAPS_LINE = "<path> partition|file <size kB> <used kB> <priority>";

export function parseProcSwaps(text: string, file = "proc/swaps"): SwapLine[] {
  const ls = lines(text);
  if (ls.length === 0) throw formatError(file, 1, "", "the header line `Filename Type Size Used Priority`", "empty file");
  if (!/^Filename\s+Type\s+Size\s+Used\s+Priority\s*$/.test(ls[0])) {
    throw formatError(file, 1, ls[0], "the header line `Filename Type Size Used Priority`");
  }
  const out: SwapLine[] = [];
  for (let i = 1; i < ls.length; i++) {
    const raw = ls[i];
    if (raw.trim() === "") continue;
    const f = raw.trim().split(/\s+/);
    if (f.length !== 5) throw formatError(file, i + 1, raw, SWAPS_LINE, `${f.length} fields`);
    const [p, type, size, used, prio] = f;
    if (type !== "partition" && type !== "file") throw formatError(file, i + 1, raw, SWAPS_LINE, `type "${type}"`);
    const sizeKb = safeInt(size, file, i + 1, raw, SWAPS_LINE);
    const usedKb = safeInt(used, file, i + 1, raw, SWAPS_LINE);
    if (sizeKb < 0 || usedKb < 0 || usedKb > sizeKb) throw formatError(file, i + 1, raw, SWAPS_LINE, "used larger than size, or negative");
    if (sizeKb % 4 !== 0 || usedKb % 4 !== 0) throw formatError(file, i + 1, raw, `${SWAPS_LINE} in whole 4 KiB pages`, "not a multiple of 4 kB");
    out.push({ path: unescapeOctal(p), type, sizeKb, usedKb, priority: safeInt(prio, file, i + 1, raw, SWAPS_LINE) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// /proc/meminfo

/** Values in bytes for `kB` fields, plain counts for the others (HugePages_Total, …). */
export type Meminfo = ReadonlyMap<string, number>;

export function parseMeminfo(text: string, file = "proc/meminfo"): Meminfo {
  const out = new Map<string, number>();
  const ls = lines(text);
  if (ls.length === 0) throw formatError(file, 1, "", "`Name: value kB` lines", "empty file");
  ls.forEach((raw, i) => {
    const m = /^([^:\s][^:]*):\s+(\d+)(\s+kB)?\s*$/.exec(raw);
    if (!m) throw formatError(file, i + 1, raw, "`Name: value kB` or `Name: value`");
    const n = safeInt(m[2], file, i + 1, raw, "`Name: value kB`");
    out.set(m[1], m[3] ? n * 1024 : n);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// flat-keyed files: /proc/vmstat, memory.stat

export function parseFlatKeyed(text: string, file: string): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  lines(text).forEach((raw, i) => {
    if (raw.trim() === "") return;
    const m = /^(\S+) (-?\d+)\s*$/.exec(raw);
    if (!m) throw formatError(file, i + 1, raw, "`name value` lines with an integer value");
    if (out.has(m[1])) throw formatError(file, i + 1, raw, "each name once", `duplicate "${m[1]}"`);
    out.set(m[1], safeInt(m[2], file, i + 1, raw, "`name value`"));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// single-value files

function single(text: string, file: string): string {
  const ls = lines(text);
  if (ls.length !== 1) throw formatError(file, ls.length === 0 ? 1 : 2, ls[1] ?? "", "exactly one line", ls.length === 0 ? "empty file" : `${ls.length} lines`);
  return ls[0].trim();
}

/** A non-negative integer (memory.current, disksize, a debugfs counter). */
export function parseUint(text: string, file: string): number {
  const v = single(text, file);
  const n = safeInt(v, file, 1, v, "a non-negative integer");
  if (n < 0) throw formatError(file, 1, v, "a non-negative integer");
  return n;
}

/** `max` (no limit) or bytes (memory.max, memory.swap.max, memory.zswap.max). */
export type Limit = number | "max";

export function parseLimit(text: string, file: string): Limit {
  const v = single(text, file);
  if (v === "max") return "max";
  const n = safeInt(v, file, 1, v, "bytes or the word max");
  if (n < 0) throw formatError(file, 1, v, "bytes or the word max");
  return n;
}

/** 0/1 (memory.zswap.writeback, queue/rotational). */
export function parseBool01(text: string, file: string): boolean {
  const v = single(text, file);
  if (v !== "0" && v !== "1") throw formatError(file, 1, v, "0 or 1");
  return v === "1";
}

/** A module bool parameter: Y/N (also 1/0). */
export function parseYN(text: string, file: string): boolean {
  const v = single(text, file);
  if (v === "Y" || v === "1") return true;
  if (v === "N" || v === "0") return false;
  throw formatError(file, 1, v, "Y or N");
}

export function parseWord(text: string, file: string): string {
  const v = single(text, file);
  if (!v) throw formatError(file, 1, v, "a non-empty value");
  return v;
}

// ---------------------------------------------------------------------------------------------
// CPU lists

/** Number of CPUs in a list such as `0-31` or `0,2-5,8`. */
export function parseCpuList(text: string, file = "sys/devices/system/cpu/possible"): number {
  const v = single(text, file);
  let n = 0;
  for (const part of v.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw formatError(file, 1, v, "a CPU list such as 0-31 or 0,2-5");
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw formatError(file, 1, v, "ranges low-high");
    n += b - a + 1;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// zram mm_stat

export interface ZramMmStat {
  readonly origDataSize: number;
  readonly comprDataSize: number;
  readonly memUsedTotal: number;
  readonly memLimit: number;
  readonly memUsedMax: number;
  readonly samePages: number;
  readonly pagesCompacted: number;
  readonly hugePages: number | null;
}

export function parseZramMmStat(text: string, file: string): ZramMmStat {
  const v = single(text, file);
  const f = v.split(/\s+/);
  const expected = "whitespace-separated integers: orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted [huge_pages ...]";
  if (f.length < 7) throw formatError(file, 1, v, expected, `${f.length} fields`);
  const n = f.map((x) => safeInt(x, file, 1, v, expected));
  if (n.some((x) => x < 0)) throw formatError(file, 1, v, expected, "negative value");
  return {
    origDataSize: n[0],
    comprDataSize: n[1],
    memUsedTotal: n[2],
    memLimit: n[3],
    memUsedMax: n[4],
    samePages: n[5],
    pagesCompacted: n[6],
    hugePages: n.length > 7 ? n[7] : null,
  };
}

// ---------------------------------------------------------------------------------------------
// mounts, /proc/cgroups, swap backing

export interface MountLine {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly options: readonly string[];
}

export function parseMounts(text: string, file = "proc/self/mounts"): MountLine[] {
  const out: MountLine[] = [];
  lines(text).forEach((raw, i) => {
    if (raw.trim() === "") return;
    const f = raw.split(" ");
    if (f.length < 4) throw formatError(file, i + 1, raw, "`device mountpoint type options 0 0`");
    out.push({ device: unescapeOctal(f[0]), mountPoint: unescapeOctal(f[1]), fsType: f[2], options: f[3].split(",") });
  });
  return out;
}

export interface ControllerLine {
  readonly name: string;
  readonly hierarchy: number;
  readonly cgroups: number;
  readonly enabled: boolean;
}

export function parseProcCgroups(text: string, file = "proc/cgroups"): ControllerLine[] {
  const ls = lines(text);
  if (ls.length === 0 || !/^#subsys_name\s+hierarchy\s+num_cgroups\s+enabled\s*$/.test(ls[0])) {
    throw formatError(file, 1, ls[0] ?? "", "the header `#subsys_name hierarchy num_cgroups enabled`");
  }
  const out: ControllerLine[] = [];
  for (let i = 1; i < ls.length; i++) {
    if (ls[i].trim() === "") continue;
    const f = ls[i].trim().split(/\s+/);
    const expected = "`name hierarchy num_cgroups enabled` with integers";
    if (f.length !== 4) throw formatError(file, i + 1, ls[i], expected);
    const [name, h, c, e] = f;
    out.push({ name, hierarchy: safeInt(h, file, i + 1, ls[i], expected), cgroups: safeInt(c, file, i + 1, ls[i], expected), enabled: safeInt(e, file, i + 1, ls[i], expected) === 1 });
  }
  return out;
}

export interface SwapBackingLine {
  readonly path: string;
  readonly devt: string;
  readonly block: string;
}

/** swapcost/swap-backing: `<octal-escaped path>\t<major:minor>\t<block device name>` per swap file. */
export function parseSwapBacking(text: string, file = "swapcost/swap-backing"): SwapBackingLine[] {
  const out: SwapBackingLine[] = [];
  lines(text).forEach((raw, i) => {
    if (raw.trim() === "" || raw.startsWith("#")) return;
    const f = raw.split("\t");
    if (f.length !== 3 || !/^\d+:\d+$/.test(f[1]) || !f[2]) throw formatError(file, i + 1, raw, "`<path>\\t<major:minor>\\t<block device>`");
    out.push({ path: unescapeOctal(f[0]), devt: f[1], block: f[2] });
  });
  return out;
}

/** The kernel release's numeric version: `6.1.0-56-amd64` → 6.1, `6.12.95+deb12-amd64` → 6.12. */
export function parseRelease(release: string, file = "proc/sys/kernel/osrelease"): { major: number; minor: number; patch: number | null } {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim());
  if (!m) throw formatError(file, 1, release, "a kernel release such as 6.1.0-56-amd64");
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? null : Number(m[3]) };
}
