/**
 * Typed readers for the kernel lab's measurements (data/lab/<kernel>/<table>.csv, written by
 * lab/parse.mjs from the serial logs of real Debian kernels booted under QEMU; `npm run lab`).
 *
 * Row properties carry the CSV column names unchanged (snake_case, the unit in the name:
 * `cost_bytes`, `swapoff_ns`, `vmswap_kb`), so a row can be traced to the file and to the column
 * list in data/lab/README.md. Empty cells (a counter this kernel does not have) read as null.
 * Cgroup limits keep the kernel's word "max" for "no limit".
 *
 * Plain `node:fs`, no module-level state: every reader takes the project root (or a file) and
 * reads synchronously.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Thrown for a lab CSV that does not match its schema (missing column, bad number, …). */
export class LabDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabDataError";
  }
}

export type Cell = number | string | null;

/** One QEMU boot that contributed rows to a table. */
export interface LabBoot {
  /** boot name, e.g. "static", "static-nomemcg", "zswap" */
  name: string;
  /** the guest kernel command line, as read from /proc/cmdline */
  cmdline: string;
  /** serial log, relative to the kernel's data directory (logs/<boot>.log) */
  log: string;
  /** ISO date of the boot */
  date: string;
  /** wall-clock seconds of the boot on the host */
  wall_s: number;
  /** "completed", "timed out" or "qemu exit N" */
  status: string;
}

/** The `# key: value` header every lab CSV starts with. */
export interface LabHeader {
  /** the first header line: which table, where its columns are described */
  title: string;
  /** `uname -r` in the guest, e.g. "6.1.0-56-amd64" */
  kernel_release: string;
  /** `uname -v` in the guest */
  kernel_version: string;
  /** Debian package and version, e.g. "linux-image-6.1.0-56-amd64 6.1.192-2" */
  kernel_package: string;
  /** QEMU version (and Debian package) */
  qemu: string;
  /** accelerator used and what happened to the KVM probe */
  accel: string;
  guest_ram_mib: number;
  vcpus: number;
  /** ISO date of the first boot */
  date: string;
  boots: LabBoot[];
  /** every header field, verbatim */
  fields: Record<string, string>;
}

export interface LabTable<R = Record<string, Cell>> {
  file: string;
  header: LabHeader;
  columns: string[];
  rows: R[];
}

const REQUIRED_HEADER = ["kernel_release", "kernel_version", "kernel_package", "qemu", "accel", "guest_ram_mib", "vcpus", "date"] as const;

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const NUMBER = /^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$/;

function cell(raw: string): Cell {
  if (raw === "") return null;
  if (NUMBER.test(raw)) return Number(raw);
  return raw;
}

function parseHeader(fields: Record<string, string>, file: string): LabHeader {
  for (const k of REQUIRED_HEADER) {
    if (!(k in fields) || fields[k] === "") throw new LabDataError(`${file}: header field '${k}' is missing`);
  }
  const names = new Set<string>();
  for (const k of Object.keys(fields)) {
    const m = /^boot\.(.+)\.cmdline$/.exec(k);
    if (m) names.add(m[1]);
  }
  if (!names.size) throw new LabDataError(`${file}: no boot.<name>.cmdline header field`);
  const boots: LabBoot[] = [...names].map((name) => ({
    name,
    cmdline: fields[`boot.${name}.cmdline`],
    log: fields[`boot.${name}.log`] ?? "",
    date: fields[`boot.${name}.date`] ?? "",
    wall_s: Number(fields[`boot.${name}.wall_s`]),
    status: fields[`boot.${name}.status`] ?? "",
  }));
  const num = (k: string): number => {
    const n = Number(fields[k]);
    if (!Number.isFinite(n)) throw new LabDataError(`${file}: header field '${k}' is not a number: '${fields[k]}'`);
    return n;
  };
  return {
    title: fields["swapcost kernel lab"] ?? "",
    kernel_release: fields.kernel_release,
    kernel_version: fields.kernel_version,
    kernel_package: fields.kernel_package,
    qemu: fields.qemu,
    accel: fields.accel,
    guest_ram_mib: num("guest_ram_mib"),
    vcpus: num("vcpus"),
    date: fields.date,
    boots,
    fields,
  };
}

/** Parse the text of one lab CSV (header comments, a column line, data lines). */
export function parseLabCsv(text: string, file = "<text>"): LabTable {
  const fields: Record<string, string> = {};
  let columns: string[] | null = null;
  const rows: Record<string, Cell>[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].replace(/\r$/, "");
    if (line === "") continue;
    if (line.startsWith("#")) {
      if (columns) throw new LabDataError(`${file}:${n + 1}: comment after the column line`);
      const body = line.slice(1).trim();
      const i = body.indexOf(": ");
      if (i > 0) fields[body.slice(0, i)] = body.slice(i + 2).trim();
      continue;
    }
    if (!columns) {
      columns = splitCsvLine(line);
      continue;
    }
    const cells = splitCsvLine(line);
    if (cells.length !== columns.length) {
      throw new LabDataError(`${file}:${n + 1}: ${cells.length} cells for ${columns.length} columns`);
    }
    const row: Record<string, Cell> = {};
    columns.forEach((c, i) => {
      row[c] = cell(cells[i]);
    });
    rows.push(row);
  }
  if (!columns) throw new LabDataError(`${file}: no column line`);
  return { file, header: parseHeader(fields, file), columns, rows };
}

export function readLabCsv(file: string): LabTable {
  return parseLabCsv(readFileSync(file, "utf8"), file);
}

/** data/lab under the project root. */
export function labDataDir(root: string): string {
  return path.join(root, "data", "lab");
}

/** Kernel directories (uname -r names) that hold lab CSVs, sorted. */
export function listLabKernels(root: string): string[] {
  const dir = labDataDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(path.join(dir, d.name)).some((f) => f.endsWith(".csv")))
    .map((d) => d.name)
    .sort();
}

/** Every lab CSV under data/lab, as absolute paths. */
export function listLabCsvFiles(root: string): string[] {
  const dir = labDataDir(root);
  return listLabKernels(root).flatMap((k) =>
    readdirSync(path.join(dir, k))
      .filter((f) => f.endsWith(".csv"))
      .sort()
      .map((f) => path.join(dir, k, f)),
  );
}

// ------------------------------------------------------------------ schemas and typed rows

/** int/num: a finite number; str: text; num?: a number or empty (null); limit: a number or "max". */
type Kind = "num" | "str" | "num?" | "limit";

function checkRows<R>(t: LabTable, schema: Record<string, Kind>): LabTable<R> {
  for (const [c, kind] of Object.entries(schema)) {
    if (!t.columns.includes(c)) throw new LabDataError(`${t.file}: column '${c}' is missing`);
    t.rows.forEach((r, i) => {
      const v = r[c];
      const where = `${t.file}: row ${i + 1}, column '${c}'`;
      if (kind === "str") {
        if (v === null) throw new LabDataError(`${where}: empty`);
        r[c] = String(v);
      } else if (kind === "limit") {
        if (!(v === "max" || (typeof v === "number" && Number.isFinite(v)))) throw new LabDataError(`${where}: '${v}' is neither a number nor "max"`);
      } else if (kind === "num?") {
        if (!(v === null || (typeof v === "number" && Number.isFinite(v)))) throw new LabDataError(`${where}: '${v}' is not a number`);
      } else if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new LabDataError(`${where}: '${v}' is not a number`);
      }
    });
  }
  return t as unknown as LabTable<R>;
}

function tableFile(root: string, kernel: string, table: string): string {
  return path.join(labDataDir(root), kernel, `${table}.csv`);
}

/** Static cost of one swapon (one repetition). All byte counts are page-level. */
export interface StaticRow {
  kernel_release: string;
  memcg: "on" | "off";
  kind: "hdd" | "ssd";
  /** /sys/block/<dev>/queue/rotational at swapon */
  rot: number;
  size_gib: number;
  rep: number;
  /** swap slots in the area, header page included (size_gib × 262144) */
  slots: number;
  swap_kb: number;
  /** drop of MemFree + per-CPU free lists across swapon, in bytes */
  cost_bytes: number;
  bytes_per_slot: number;
  vmalloc_bytes: number;
  vmalloc_n: number;
  slab_bytes: number;
  slab_cache_pages_bytes: number;
  kmalloc_large_bytes: number;
  slab_obj_bytes: number;
  percpu_bytes: number;
  pagetables_bytes: number;
  kernelstack_bytes: number;
  other_bytes: number;
  memfree_delta_bytes: number;
  pcp_delta_pages: number;
  vmallocused_delta_bytes: number;
  residual_after_swapoff_bytes: number;
  /** readings taken before / after until two in a row agreed (see lab/src/hog.c) */
  snap_tries_before: number;
  snap_tries_after: number;
  swapon_ns: number;
  swapoff_ns: number;
  rc: number;
  boot: string;
}

const STATIC_SCHEMA: Record<keyof StaticRow, Kind> = {
  kernel_release: "str", memcg: "str", kind: "str", rot: "num", size_gib: "num", rep: "num", slots: "num", swap_kb: "num",
  cost_bytes: "num", bytes_per_slot: "num", vmalloc_bytes: "num", vmalloc_n: "num", slab_bytes: "num",
  slab_cache_pages_bytes: "num", kmalloc_large_bytes: "num", slab_obj_bytes: "num", percpu_bytes: "num",
  pagetables_bytes: "num", kernelstack_bytes: "num", other_bytes: "num", memfree_delta_bytes: "num", pcp_delta_pages: "num",
  vmallocused_delta_bytes: "num", residual_after_swapoff_bytes: "num", snap_tries_before: "num", snap_tries_after: "num",
  swapon_ns: "num", swapoff_ns: "num", rc: "num", boot: "str",
};

/** The same measurement around no operation: the floor under every static cost (bytes). */
export interface StaticNoiseRow {
  kernel_release: string;
  memcg: "on" | "off";
  rep: number;
  cost_bytes: number;
  vmalloc_bytes: number;
  slab_bytes: number;
  other_bytes: number;
  memfree_delta_bytes: number;
  pcp_delta_pages: number;
  snap_tries_before: number;
  snap_tries_after: number;
  boot: string;
}

const STATIC_NOISE_SCHEMA: Record<keyof StaticNoiseRow, Kind> = {
  kernel_release: "str", memcg: "str", rep: "num", cost_bytes: "num", vmalloc_bytes: "num", slab_bytes: "num", other_bytes: "num",
  memfree_delta_bytes: "num", pcp_delta_pages: "num", snap_tries_before: "num", snap_tries_after: "num", boot: "str",
};

/** One allocation (or derived share) of a measured operation; `bytes` of one operation sum to its cost. */
export interface AllocRow {
  kernel_release: string;
  memcg: "on" | "off";
  size_gib: number;
  rep: number;
  /** vmalloc | slab_cache | kmalloc_large | percpu | pagetables | kernelstack | other_pages */
  source: string;
  /** vmalloc caller (function+offset/length), slab cache name, or a description */
  name: string;
  /** page-level bytes */
  bytes: number;
  pages: number;
  /** objects (slab) or 1 (vmalloc); null for derived rows */
  count: number | null;
  obj_bytes: number | null;
  objsize: number | null;
  /** vmalloc area size as /proc/vmallocinfo prints it (guard page included) */
  vm_size: number | null;
  flags: string | null;
}

const ALLOC_SCHEMA = {
  kernel_release: "str", memcg: "str", size_gib: "num", rep: "num", source: "str", name: "str", bytes: "num", pages: "num",
  count: "num?", obj_bytes: "num?", objsize: "num?", vm_size: "num?",
} satisfies Partial<Record<keyof AllocRow, Kind>>;

export interface StaticAllocRow extends AllocRow {
  kind: "hdd" | "ssd";
  rot: number;
}

export interface ZramRow {
  kernel_release: string;
  memcg: "on" | "off";
  /** disksize (zram's own table) or swapon (swap metadata on top of it) */
  step: "disksize" | "swapon";
  size_gib: number;
  rep: number;
  pages: number;
  disksize_bytes: number;
  comp: string;
  cost_bytes: number;
  bytes_per_page: number;
  vmalloc_bytes: number;
  slab_bytes: number;
  kmalloc_large_bytes: number;
  percpu_bytes: number;
  other_bytes: number;
  op_ns: number;
  swapoff_ns: number | null;
  rc: number;
  boot: string;
}

const ZRAM_SCHEMA: Record<keyof ZramRow, Kind> = {
  kernel_release: "str", memcg: "str", step: "str", size_gib: "num", rep: "num", pages: "num", disksize_bytes: "num", comp: "str",
  cost_bytes: "num", bytes_per_page: "num", vmalloc_bytes: "num", slab_bytes: "num", kmalloc_large_bytes: "num",
  percpu_bytes: "num", other_bytes: "num", op_ns: "num", swapoff_ns: "num?", rc: "num", boot: "str",
};

export interface ZramAllocRow extends AllocRow {
  step: "disksize" | "swapon";
}

/** One memcg + zswap case: its exact inputs, then what the kernel reported. */
export interface ZswapRow {
  kernel_release: string;
  case: string;
  zpool: string;
  compressor: string;
  zswap_enabled: number;
  fill_mib: number;
  pageout_mib: number;
  /** 0..100 (share of random bytes per page), "zero" or "same" */
  pattern: string;
  random_pct: number | null;
  memory_max: number | "max";
  zswap_max: number | "max";
  swap_max: number | "max";
  vmrss_kb: number;
  vmswap_kb: number;
  memory_current: number;
  memory_peak: number;
  swap_current: number;
  zswap_current: number;
  swap_used_kb: number;
  swapcached_kb: number;
  stat_anon: number;
  stat_zswap: number;
  stat_zswapped: number;
  stat_zswpout: number;
  events_max: number;
  events_oom: number;
  dbg_pool_total_size: number;
  dbg_stored_pages: number;
  slab_zswap_entry_objs: number;
  slab_zswap_entry_pages: number;
  free_delta_bytes: number;
  boot: string;
  /** every other column (kernel-specific counters), null when empty */
  [column: string]: Cell;
}

const ZSWAP_SCHEMA: Record<string, Kind> = {
  kernel_release: "str", case: "str", zpool: "str", compressor: "str", zswap_enabled: "num", fill_mib: "num", pageout_mib: "num",
  pattern: "str", random_pct: "num?", memory_max: "limit", zswap_max: "limit", swap_max: "limit", vmrss_kb: "num", vmswap_kb: "num",
  memory_current: "num", memory_peak: "num", swap_current: "num", zswap_current: "num", swap_used_kb: "num", swapcached_kb: "num",
  stat_anon: "num", stat_zswap: "num", stat_zswapped: "num", stat_zswpout: "num", events_max: "num", events_oom: "num",
  dbg_pool_total_size: "num", dbg_stored_pages: "num", slab_zswap_entry_objs: "num", slab_zswap_entry_pages: "num",
  free_delta_bytes: "num", boot: "str",
};

export interface ZswapSlabRow {
  kernel_release: string;
  case: string;
  cache: string;
  d_active: number;
  d_total: number;
  d_slabs: number;
  objsize: number;
  objperslab: number;
  pagesperslab: number;
  obj_bytes: number;
  page_bytes: number;
}

const ZSWAP_SLAB_SCHEMA: Record<keyof ZswapSlabRow, Kind> = {
  kernel_release: "str", case: "str", cache: "str", d_active: "num", d_total: "num", d_slabs: "num", objsize: "num",
  objperslab: "num", pagesperslab: "num", obj_bytes: "num", page_bytes: "num",
};

export interface ZswapDetailRow {
  kernel_release: string;
  case: string;
  /** memory.stat | memory.events | memory.swap.events | zswap_debugfs_before | zswap_debugfs_after | meminfo_delta */
  source: string;
  key: string;
  value: number;
}

const ZSWAP_DETAIL_SCHEMA: Record<keyof ZswapDetailRow, Kind> = {
  kernel_release: "str", case: "str", source: "str", key: "str", value: "num",
};

/** One timed swapoff (TCG: use for trends and ratios only). */
export interface SwapoffRow {
  kernel_release: string;
  /** pages_disk | pages_zswap | ptes_swapped | ptes_other | devsize */
  series: string;
  backend: "disk" | "zswap";
  dev_gib: number;
  rot: number;
  memcg: "on" | "off";
  swapped_mib: number;
  zero_mib: number;
  other_zero_mib: number;
  rep: number;
  swap_used_kb: number;
  zswapped_kb: number | null;
  /** SwapCached right after MADV_PAGEOUT, and after the group's memory.reclaim pushed it out */
  swapcached_kb_pageout: number;
  swapcached_kb: number;
  vmswap_kb_before: number;
  vmswap_kb_after: number;
  vmpte_kb: number;
  other_vmpte_kb: number;
  /** time of a fixed CPU loop (`hog calib`) just before the swapoff: how fast the guest ran then */
  calib_ns: number;
  swapoff_ns: number;
  swapoff_rc: number;
  swapon_ns: number;
  pageout_ns: number;
  reclaim_ns: number;
  /** one-time set-up of the case's process: filling swapped_mib, faulting zero_mib */
  fill_ns: number;
  zero_ns: number;
  boot: string;
}

const SWAPOFF_SCHEMA: Record<keyof SwapoffRow, Kind> = {
  kernel_release: "str", series: "str", backend: "str", dev_gib: "num", rot: "num", memcg: "str", swapped_mib: "num", zero_mib: "num",
  other_zero_mib: "num", rep: "num", swap_used_kb: "num", zswapped_kb: "num?", swapcached_kb_pageout: "num", swapcached_kb: "num", vmswap_kb_before: "num", vmswap_kb_after: "num",
  vmpte_kb: "num", other_vmpte_kb: "num", calib_ns: "num", swapoff_ns: "num", swapoff_rc: "num", swapon_ns: "num", pageout_ns: "num", reclaim_ns: "num", fill_ns: "num",
  zero_ns: "num", boot: "str",
};

/** sizeof() of a kernel structure, from the BTF of the booted kernel and its modules (pahole). */
export interface StructRow {
  kernel_release: string;
  /** struct name without the "struct " keyword */
  struct: string;
  size_bytes: number;
  /** vmlinux or the module (e.g. zsmalloc.ko) whose BTF describes it */
  object: string;
}

const STRUCTS_SCHEMA: Record<keyof StructRow, Kind> = { kernel_release: "str", struct: "str", size_bytes: "num", object: "str" };

/** The schema of every table the lab writes, by file name (without .csv). */
export const LAB_TABLE_SCHEMAS: Record<string, Record<string, Kind>> = {
  static: STATIC_SCHEMA,
  static_alloc: { ...ALLOC_SCHEMA, kind: "str", rot: "num" },
  static_noise: STATIC_NOISE_SCHEMA,
  zram: ZRAM_SCHEMA,
  zram_alloc: { ...ALLOC_SCHEMA, step: "str" },
  zswap: ZSWAP_SCHEMA,
  zswap_slab: ZSWAP_SLAB_SCHEMA,
  zswap_detail: ZSWAP_DETAIL_SCHEMA,
  swapoff: SWAPOFF_SCHEMA,
  structs: STRUCTS_SCHEMA,
};

/** Read any lab CSV and check it against its table's schema (by file name). */
export function readLabTable(file: string): LabTable {
  const t = readLabCsv(file);
  const schema = LAB_TABLE_SCHEMAS[path.basename(file, ".csv")];
  if (!schema) throw new LabDataError(`${file}: unknown lab table (known: ${Object.keys(LAB_TABLE_SCHEMAS).join(", ")})`);
  return checkRows(t, schema);
}

function readTyped<R>(root: string, kernel: string, table: string): LabTable<R> {
  const file = tableFile(root, kernel, table);
  if (!existsSync(file)) throw new LabDataError(`${file}: no such lab table (run: npm run lab)`);
  return checkRows<R>(readLabCsv(file), LAB_TABLE_SCHEMAS[table]);
}

export const readStatic = (root: string, kernel: string): LabTable<StaticRow> => readTyped(root, kernel, "static");
export const readStaticNoise = (root: string, kernel: string): LabTable<StaticNoiseRow> => readTyped(root, kernel, "static_noise");
export const readStaticAlloc = (root: string, kernel: string): LabTable<StaticAllocRow> => readTyped(root, kernel, "static_alloc");
export const readZram = (root: string, kernel: string): LabTable<ZramRow> => readTyped(root, kernel, "zram");
export const readZramAlloc = (root: string, kernel: string): LabTable<ZramAllocRow> => readTyped(root, kernel, "zram_alloc");
export const readZswap = (root: string, kernel: string): LabTable<ZswapRow> => readTyped(root, kernel, "zswap");
export const readZswapSlab = (root: string, kernel: string): LabTable<ZswapSlabRow> => readTyped(root, kernel, "zswap_slab");
export const readZswapDetail = (root: string, kernel: string): LabTable<ZswapDetailRow> => readTyped(root, kernel, "zswap_detail");
export const readSwapoff = (root: string, kernel: string): LabTable<SwapoffRow> => readTyped(root, kernel, "swapoff");
export const readStructs = (root: string, kernel: string): LabTable<StructRow> => readTyped(root, kernel, "structs");

/** sizeof(struct name) in a measured kernel, or null when that kernel has no such structure. */
export function structSize(rows: readonly StructRow[], name: string): number | null {
  const r = rows.find((x) => x.struct === name);
  return r ? r.size_bytes : null;
}

/** Median, min and max over the repetitions of each (memcg, kind, size) static case. */
export interface StaticSummary {
  memcg: "on" | "off";
  kind: "hdd" | "ssd";
  size_gib: number;
  slots: number;
  reps: number;
  cost_bytes_median: number;
  cost_bytes_min: number;
  cost_bytes_max: number;
  bytes_per_slot_median: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarizeStatic(rows: readonly StaticRow[]): StaticSummary[] {
  const groups = new Map<string, StaticRow[]>();
  for (const r of rows) {
    if (r.rc !== 0) continue;
    const k = `${r.memcg}|${r.kind}|${r.size_gib}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()].map((g) => {
    const costs = g.map((r) => r.cost_bytes);
    const med = median(costs);
    return {
      memcg: g[0].memcg,
      kind: g[0].kind,
      size_gib: g[0].size_gib,
      slots: g[0].slots,
      reps: g.length,
      cost_bytes_median: med,
      cost_bytes_min: Math.min(...costs),
      cost_bytes_max: Math.max(...costs),
      bytes_per_slot_median: med / g[0].slots,
    };
  });
}
