/**
 * A host snapshot as typed records, built from a set of files (live host or saved snapshot) by
 * pure parsing. Whatever is missing or unreadable becomes a `Degradation` with the reason, never an
 * exception; a file that is present but malformed is an error naming the file and line.
 */
import {
  formatError,
  parseBool01,
  parseCpuList,
  parseFlatKeyed,
  parseLimit,
  parseMeminfo,
  parseMounts,
  parseProcCgroups,
  parseProcSwaps,
  parseSwapBacking,
  parseUint,
  parseWord,
  parseYN,
  parseZramMmStat,
  type Limit,
  type Meminfo,
  type ZramMmStat,
} from "./parse.js";
import {
  BLOCK_DIR,
  CGROUP_FILES,
  MANIFEST_FORMAT,
  MM_SUMMARY_FILE,
  ROTATIONAL_FILE,
  SWAP_BACKING_FILE,
  ZSWAP_DEBUG_DIR,
  ZSWAP_PARAMS_DIR,
} from "./layout.js";

/** The raw material: files by path relative to the host root, and what could not be read. */
export interface FileSet {
  /** `/` for the live host, or the snapshot directory; used to name files in messages. */
  readonly origin: string;
  readonly files: ReadonlyMap<string, string>;
  /** Path (a file, or a directory ending in `/`) → why it could not be read. */
  readonly unreadable: ReadonlyMap<string, string>;
  readonly manifest?: Manifest;
}

export interface ManifestFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly kit: string;
  readonly capturedAt: string;
  readonly kernelRelease: string | null;
  /** What the capture was run from (`/` = the live host; or the directory it re-captured). */
  readonly capturedFrom: string;
  readonly uid: number | null;
  readonly note?: string;
  readonly files: readonly ManifestFile[];
  readonly unreadable: readonly { readonly path: string; readonly reason: string }[];
  readonly generated: readonly { readonly path: string; readonly how: string }[];
  /** Files filtered before saving (what was kept). */
  readonly redacted?: readonly { readonly path: string; readonly how: string }[];
}

export function displayPath(fs: FileSet, rel: string): string {
  if (fs.origin === "/") return "/" + rel;
  return fs.origin.replace(/\/+$/, "") + "/" + rel;
}

export interface Degradation {
  /** What is missing: `swap`, `zswap`, `zswap debugfs`, `cgroups`, `kernel`, … */
  readonly area: string;
  readonly reason: string;
  readonly file?: string;
}

export type DeviceKindSeen = "ssd" | "hdd" | "zram" | "unknown";

export interface SwapDeviceRecord {
  readonly path: string;
  readonly type: "partition" | "file";
  /** Usable pages from /proc/swaps (si->pages: header and bad pages excluded). */
  readonly usablePages: number;
  readonly usedPages: number;
  readonly priority: number;
  /** Block device holding the data (`vda`, `zram0`, `dm-1`), when known. */
  readonly block: string | null;
  readonly kind: DeviceKindSeen;
  /** How the kind was found: `queue/rotational of sda = 0`, `zram device`, or why it is unknown. */
  readonly kindFrom: string;
}

export interface ZramRecord {
  readonly name: string;
  readonly disksizeBytes: number | null;
  readonly mmStat: ZramMmStat | null;
  /** Is it one of the swap devices? */
  readonly swapDevice: boolean;
}

export interface ZswapRecord {
  /** null: the kernel has no zswap (no module parameters). */
  readonly enabled: boolean | null;
  readonly compressor: string | null;
  /** null when the kernel has no zpool parameter (zsmalloc-only kernels). */
  readonly zpool: string | null;
  readonly params: Readonly<Record<string, string>>;
  /** debugfs counters (stored_pages, same_filled_pages, pool_total_size, written_back_pages, …); null when unreadable. */
  readonly debug: Readonly<Record<string, number>> | null;
}

export interface CgroupRecord {
  /** `/` for the root of the v2 hierarchy, else `/a/b`. */
  readonly path: string;
  readonly memoryCurrent: number | null;
  readonly swapCurrent: number | null;
  readonly zswapCurrent: number | null;
  readonly memoryMax: Limit | null;
  readonly swapMax: Limit | null;
  readonly zswapMax: Limit | null;
  readonly zswapWriteback: boolean | null;
  readonly stat: Readonly<Record<string, number>> | null;
}

export interface CgroupsRecord {
  /** `v2`: memory controller on the v2 hierarchy; `v1`: memory controller on a v1 hierarchy; `none`: no memory controller seen. */
  readonly memoryHierarchy: "v2" | "v1" | "none";
  readonly v2Mount: string | null;
  readonly v1MemoryMount: string | null;
  readonly groups: readonly CgroupRecord[];
}

/** Sums over every process's /proc/<pid>/status (swapcost/mm-summary). */
export interface MmSummary {
  readonly processes: number;
  /** Processes with VmSwap > 0 now: on init_mm.mmlist, so swapoff walks their page tables. */
  readonly swappingProcesses: number;
  readonly vmswapKb: number;
  /** Page tables (all levels, kB) of the swapping processes. */
  readonly vmpteKbSwapping: number;
  readonly vmpteKbAll: number;
}

export interface HostSnapshot {
  readonly origin: string;
  readonly manifest: Manifest | null;
  readonly kernel: { readonly release: string | null; readonly version: string | null };
  readonly cpusPossible: number | null;
  readonly memcgEnabled: boolean | null;
  readonly memcgFrom: string;
  readonly cmdline: string | null;
  readonly meminfo: Readonly<Record<string, number>> | null;
  readonly vmstat: Readonly<Record<string, number>> | null;
  /** null: /proc/swaps not read; [] = no swap device. */
  readonly swaps: readonly SwapDeviceRecord[] | null;
  readonly zswap: ZswapRecord;
  readonly zram: readonly ZramRecord[];
  readonly cgroups: CgroupsRecord;
  /** null when not captured (snapshots made before it existed, or /proc unreadable). */
  readonly mm: MmSummary | null;
  readonly degraded: readonly Degradation[];
}

const obj = (m: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries(m);

/** Files directly in `dir` (no deeper), sorted. */
function filesIn(fs: FileSet, dir: string): string[] {
  const pre = dir + "/";
  return [...fs.files.keys()].filter((p) => p.startsWith(pre) && !p.slice(pre.length).includes("/")).sort();
}

function unreadableUnder(fs: FileSet, dir: string): [string, string] | undefined {
  for (const [p, why] of fs.unreadable) if (p === dir + "/" || p.startsWith(dir + "/") || dir.startsWith(p.replace(/\/$/, "") + "/") || p === dir) return [p, why];
  return undefined;
}

/** Build the typed snapshot. Pure: the file set in, records and degradations out. */
export function buildSnapshot(fs: FileSet): HostSnapshot {
  const degraded: Degradation[] = [];
  // `at`: where the file is (parse errors must let the user find it); `hp`: the host's name for it
  const at = (rel: string) => displayPath(fs, rel);
  const hp = (rel: string) => "/" + rel;
  const get = (rel: string) => fs.files.get(rel);
  const missing = (area: string, rel: string, what: string) => {
    const why = fs.unreadable.get(rel);
    degraded.push({ area, file: hp(rel), reason: why ? `${what}: ${hp(rel)} unreadable (${why})` : `${what}: ${hp(rel)} not ${fs.origin === "/" ? "present" : "in the snapshot"}` });
  };

  // kernel
  const relText = get("proc/sys/kernel/osrelease");
  const release = relText === undefined ? null : parseWord(relText, at("proc/sys/kernel/osrelease"));
  if (release === null) missing("kernel", "proc/sys/kernel/osrelease", "kernel release unknown");
  const version = get("proc/version")?.trim() || null;
  const cmdline = get("proc/cmdline")?.trim() ?? null;

  // CPUs
  const possibleText = get("sys/devices/system/cpu/possible");
  const cpusPossible = possibleText === undefined ? null : parseCpuList(possibleText, at("sys/devices/system/cpu/possible"));
  if (cpusPossible === null) missing("cpus", "sys/devices/system/cpu/possible", "possible CPUs unknown");

  // meminfo, vmstat
  const memText = get("proc/meminfo");
  const meminfo: Meminfo | null = memText === undefined ? null : parseMeminfo(memText, at("proc/meminfo"));
  if (!meminfo) missing("meminfo", "proc/meminfo", "SwapCached, Zswap and Zswapped unknown");
  const vmText = get("proc/vmstat");
  const vmstat = vmText === undefined ? null : parseFlatKeyed(vmText, at("proc/vmstat"));
  if (!vmstat) missing("vmstat", "proc/vmstat", "swap-out counters unknown");

  // block devices
  const rotational = new Map<string, boolean>();
  for (const p of fs.files.keys()) {
    const m = new RegExp(`^${BLOCK_DIR}/([^/]+)/queue/rotational$`).exec(p);
    if (m) rotational.set(m[1], parseBool01(fs.files.get(p)!, at(p)));
  }
  const blocks = new Set<string>();
  for (const p of fs.files.keys()) {
    const m = new RegExp(`^${BLOCK_DIR}/([^/]+)/`).exec(p);
    if (m) blocks.add(m[1]);
  }
  const backingText = get(SWAP_BACKING_FILE);
  const backing = new Map((backingText === undefined ? [] : parseSwapBacking(backingText, at(SWAP_BACKING_FILE))).map((b) => [b.path, b]));

  // swap devices
  const swapsText = get("proc/swaps");
  let swaps: SwapDeviceRecord[] | null = null;
  if (swapsText === undefined) {
    missing("swap", "proc/swaps", "swap devices unknown, so no per-design cost");
  } else {
    swaps = parseProcSwaps(swapsText, at("proc/swaps")).map((l) => {
      const block = backing.get(l.path)?.block ?? blockOf(l.path, l.type, blocks);
      let kind: DeviceKindSeen = "unknown";
      let kindFrom: string;
      if (block && /^zram\d+$/.test(block)) {
        kind = "zram";
        kindFrom = `${block} is a zram device`;
      } else if (block && rotational.has(block)) {
        kind = rotational.get(block) ? "hdd" : "ssd";
        kindFrom = `${hp(`${BLOCK_DIR}/${block}/${ROTATIONAL_FILE}`)} = ${rotational.get(block) ? 1 : 0}`;
      } else if (block) {
        kindFrom = `no ${hp(`${BLOCK_DIR}/${block}/${ROTATIONAL_FILE}`)}`;
      } else {
        kindFrom = l.type === "file" ? `the block device under the swap file is unknown (no ${SWAP_BACKING_FILE} line for it)` : `no block device named after ${l.path} in ${BLOCK_DIR}`;
      }
      if (kind === "unknown") degraded.push({ area: "swap device kind", reason: `${l.path}: ${kindFrom}; modelled as an SSD (non-rotational)` });
      return { path: l.path, type: l.type, usablePages: l.sizeKb / 4, usedPages: l.usedKb / 4, priority: l.priority, block, kind, kindFrom };
    });
    if (swaps.length === 0) degraded.push({ area: "swap", file: hp("proc/swaps"), reason: "no swap: /proc/swaps lists no device, so every design's swap metadata is 0 on this host" });
  }

  // zram
  const zram: ZramRecord[] = [...blocks]
    .filter((b) => /^zram\d+$/.test(b))
    .sort()
    .map((name) => {
      const ds = get(`${BLOCK_DIR}/${name}/disksize`);
      const mm = get(`${BLOCK_DIR}/${name}/mm_stat`);
      return {
        name,
        disksizeBytes: ds === undefined ? null : parseUint(ds, at(`${BLOCK_DIR}/${name}/disksize`)),
        mmStat: mm === undefined ? null : parseZramMmStat(mm, at(`${BLOCK_DIR}/${name}/mm_stat`)),
        swapDevice: (swaps ?? []).some((s) => s.block === name),
      };
    });

  // zswap
  const paramFiles = filesIn(fs, ZSWAP_PARAMS_DIR);
  const params: Record<string, string> = {};
  for (const p of paramFiles) params[p.slice(ZSWAP_PARAMS_DIR.length + 1)] = parseWord(fs.files.get(p)!, at(p));
  let enabled: boolean | null = null;
  if (params.enabled !== undefined) enabled = parseYN(fs.files.get(`${ZSWAP_PARAMS_DIR}/enabled`)!, at(`${ZSWAP_PARAMS_DIR}/enabled`));
  else {
    const u = unreadableUnder(fs, ZSWAP_PARAMS_DIR);
    degraded.push({ area: "zswap", reason: u ? `zswap parameters unreadable (${u[1]})` : `this kernel has no zswap (no ${hp(ZSWAP_PARAMS_DIR)})` });
  }
  if (enabled === false) degraded.push({ area: "zswap", file: hp(`${ZSWAP_PARAMS_DIR}/enabled`), reason: "zswap is off (enabled = N): no page goes to zswap now; pages stored earlier stay until loaded or invalidated" });
  const debugFiles = filesIn(fs, ZSWAP_DEBUG_DIR);
  let debug: Record<string, number> | null = null;
  if (debugFiles.length) {
    debug = {};
    for (const p of debugFiles) debug[p.slice(ZSWAP_DEBUG_DIR.length + 1)] = parseUint(fs.files.get(p)!, at(p));
  } else if (enabled !== null) {
    const u = unreadableUnder(fs, ZSWAP_DEBUG_DIR);
    degraded.push({
      area: "zswap debugfs",
      reason: u
        ? `${hp(ZSWAP_DEBUG_DIR)} unreadable (${u[1]}): same-filled and written-back counts unknown; stored pages from /proc/meminfo Zswapped`
        : `no ${hp(ZSWAP_DEBUG_DIR)} (debugfs not mounted, or zswap never initialised): same-filled and written-back counts unknown; stored pages from /proc/meminfo Zswapped`,
    });
  }
  const zswap: ZswapRecord = { enabled, compressor: params.compressor ?? null, zpool: params.zpool ?? null, params, debug };

  // memcg
  let memcgEnabled: boolean | null = null;
  let memcgFrom = "";
  const cgText = get("proc/cgroups");
  if (cgText !== undefined) {
    const mem = parseProcCgroups(cgText, at("proc/cgroups")).find((c) => c.name === "memory");
    memcgEnabled = mem ? mem.enabled : false;
    memcgFrom = mem ? `${hp("proc/cgroups")}: memory enabled = ${mem.enabled ? 1 : 0}` : `${hp("proc/cgroups")} lists no memory controller`;
  } else if (cmdline !== null) {
    memcgEnabled = !/(^|\s)cgroup_disable=([^\s]*,)?memory(,|\s|$)/.test(cmdline);
    memcgFrom = `${hp("proc/cmdline")}: ${memcgEnabled ? "no cgroup_disable=memory" : "cgroup_disable=memory"}`;
  } else {
    memcgFrom = "unknown (neither /proc/cgroups nor /proc/cmdline read): assumed on";
    degraded.push({ area: "memcg", reason: "memcg state unknown (no proc/cgroups, no proc/cmdline): modelled as on" });
  }
  if (memcgEnabled === false) degraded.push({ area: "memcg", reason: `memcg is disabled (${memcgFrom}): no swap_cgroup / memcg tables in any design` });

  const cgroups = buildCgroups(fs, degraded);

  const mmText = get(MM_SUMMARY_FILE);
  let mm: MmSummary | null = null;
  if (mmText !== undefined) {
    const m = parseFlatKeyed(mmText.split("\n").filter((l) => !l.startsWith("#")).join("\n"), at(MM_SUMMARY_FILE));
    const need = (k: string) => {
      const v = m.get(k);
      if (v === undefined || v < 0) throw formatError(at(MM_SUMMARY_FILE), 1, mmText.split("\n")[0] ?? "", `a line \`${k} <count>\``, `no ${k}`);
      return v;
    };
    mm = { processes: need("processes"), swappingProcesses: need("swapping_processes"), vmswapKb: need("vmswap_kb"), vmpteKbSwapping: need("vmpte_kb_swapping"), vmpteKbAll: need("vmpte_kb_all") };
  } else {
    degraded.push({ area: "processes", reason: `no ${MM_SUMMARY_FILE} (process counts, summed at capture): the swapoff page-table walk cannot be sized from this snapshot` });
  }

  return {
    origin: fs.origin,
    manifest: fs.manifest ?? null,
    kernel: { release, version },
    cpusPossible,
    memcgEnabled,
    memcgFrom,
    cmdline,
    meminfo: meminfo ? obj(meminfo) : null,
    vmstat: vmstat ? obj(vmstat) : null,
    swaps,
    zswap,
    zram,
    cgroups,
    mm,
    degraded,
  };
}

/**
 * The block device holding a swap partition's data, from its path: `/dev/vda` → vda,
 * `/dev/nvme0n1p3` → nvme0n1, `/dev/sda2` → sda (the disk whose queue/ has the rotational flag).
 */
export function blockOf(path: string, type: "partition" | "file", blocks: ReadonlySet<string>): string | null {
  if (type === "file") return null;
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (blocks.has(base)) return base;
  let best: string | null = null;
  for (const b of blocks) {
    if (base.startsWith(b) && /^p?\d+$/.test(base.slice(b.length)) && (!best || b.length > best.length)) best = b;
  }
  return best;
}

function buildCgroups(fs: FileSet, degraded: Degradation[]): CgroupsRecord {
  const at = (rel: string) => displayPath(fs, rel);
  const mountsText = fs.files.get("proc/self/mounts");
  let v2Mount: string | null = null;
  let v1MemoryMount: string | null = null;
  if (mountsText !== undefined) {
    const mounts = parseMounts(mountsText, at("proc/self/mounts"));
    v2Mount = mounts.find((m) => m.fsType === "cgroup2")?.mountPoint ?? null;
    v1MemoryMount = mounts.find((m) => m.fsType === "cgroup" && m.options.includes("memory"))?.mountPoint ?? null;
  } else {
    // a hand-made snapshot: the usual mount point, when files are there
    if ([...fs.files.keys()].some((p) => p.startsWith("sys/fs/cgroup/") && CGROUP_FILES.includes(p.slice(p.lastIndexOf("/") + 1)))) {
      v2Mount = "/sys/fs/cgroup";
      degraded.push({ area: "cgroups", reason: `no /proc/self/mounts: cgroup v2 assumed mounted at /sys/fs/cgroup` });
    }
  }
  const groups: CgroupRecord[] = [];
  let memoryHierarchy: CgroupsRecord["memoryHierarchy"] = "none";
  if (v2Mount) {
    const prefix = v2Mount.replace(/^\/+/, "").replace(/\/+$/, "");
    const controllers = fs.files.get(`${prefix}/cgroup.controllers`);
    const dirs = new Set<string>();
    for (const p of fs.files.keys()) {
      if (!p.startsWith(prefix + "/")) continue;
      const base = p.slice(p.lastIndexOf("/") + 1);
      if (CGROUP_FILES.includes(base)) dirs.add(p.slice(0, p.lastIndexOf("/")));
    }
    const hasMemory = controllers !== undefined ? controllers.trim().split(/\s+/).includes("memory") : dirs.size > 0;
    if (hasMemory) memoryHierarchy = "v2";
    for (const dir of [...dirs].sort()) {
      const f = (name: string) => {
        const rel = `${dir}/${name}`;
        const t = fs.files.get(rel);
        return t === undefined ? undefined : { t, where: at(rel) };
      };
      const uint = (name: string) => {
        const x = f(name);
        return x ? parseUint(x.t, x.where) : null;
      };
      const limit = (name: string) => {
        const x = f(name);
        return x ? parseLimit(x.t, x.where) : null;
      };
      const stat = f("memory.stat");
      const wb = f("memory.zswap.writeback");
      groups.push({
        path: dir === prefix ? "/" : dir.slice(prefix.length),
        memoryCurrent: uint("memory.current"),
        swapCurrent: uint("memory.swap.current"),
        zswapCurrent: uint("memory.zswap.current"),
        memoryMax: limit("memory.max"),
        swapMax: limit("memory.swap.max"),
        zswapMax: limit("memory.zswap.max"),
        zswapWriteback: wb ? parseBool01(wb.t, wb.where) : null,
        stat: stat ? Object.fromEntries(parseFlatKeyed(stat.t, stat.where)) : null,
      });
    }
    const unread = [...fs.unreadable.keys()].filter((p) => p.startsWith(prefix + "/"));
    if (unread.length) degraded.push({ area: "cgroups", reason: `${unread.length} cgroup file(s) unreadable, e.g. /${unread[0]} (${fs.unreadable.get(unread[0])})` });
  }
  if (memoryHierarchy !== "v2") {
    if (v1MemoryMount) {
      memoryHierarchy = "v1";
      degraded.push({
        area: "cgroups",
        reason: `cgroup v1: the memory controller is on a v1 hierarchy (${v1MemoryMount}); v1 has no memory.swap.current / memory.zswap.current (only memory.memsw.*, memory + swap together), so per-cgroup swap use is not read`,
      });
    } else if (v2Mount) {
      degraded.push({ area: "cgroups", reason: `cgroup v2 is mounted at ${v2Mount} but its cgroup.controllers has no memory controller: no per-cgroup memory files` });
    } else {
      degraded.push({ area: "cgroups", reason: mountsText === undefined ? `no /proc/self/mounts and no cgroup files: per-cgroup use unknown` : "no cgroup2 mount and no v1 memory controller: per-cgroup use unknown" });
    }
  }
  return { memoryHierarchy, v2Mount, v1MemoryMount, groups };
}
