/**
 * The only module of the host analysis that touches the filesystem.
 *
 * - readLiveHost(): reads the host's files (a fixed list, /sys/module/zswap/parameters/*,
 *   /sys/kernel/debug/zswap/*, /sys/block/* zram statistics and rotational flags, and the memory
 *   files of every cgroup v2 group) with read-only opens. It never writes to /proc, /sys or any
 *   host file, and never reads files outside that list (no memory.reclaim, no write-only knobs).
 * - readSnapshotDir(): reads a saved snapshot, checking every file against its manifest's hash.
 * - writeCapture(): writes a file set into the user's directory (and only there) with a manifest.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SwapcostInputError } from "../errors.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import {
  BLOCK_DIR,
  CGROUP_FILES,
  CGROUP_ROOT_FILES,
  FIXED_FILES,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MM_SUMMARY_FILE,
  ROTATIONAL_FILE,
  SWAP_BACKING_FILE,
  ZRAM_FILES,
  ZSWAP_DEBUG_DIR,
  ZSWAP_PARAMS_DIR,
  isSnapshotPath,
} from "./layout.js";
import { escapeOctal, parseMounts, parseProcSwaps } from "./parse.js";
import type { FileSet, Manifest } from "./snapshot.js";

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? "error";
  if (code === "EACCES" || code === "EPERM") return `${code}: permission denied${typeof process.getuid === "function" && process.getuid() !== 0 ? " (not root)" : ""}`;
  return `${code}: ${(e as Error).message.replace(/^[A-Z]+: /, "").replace(/, open .*$/, "")}`;
}

class Collector {
  readonly files = new Map<string, string>();
  readonly unreadable = new Map<string, string>();
  readonly generated: { path: string; how: string }[] = [];
  constructor(readonly root: string) {}

  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  /** Read one file; absent files are skipped silently (absence is information the builder reports). */
  read(rel: string): string | undefined {
    try {
      const text = readFileSync(this.abs(rel), "utf8");
      this.files.set(rel, text);
      return text;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      this.unreadable.set(rel, reason(e));
      return undefined;
    }
  }

  /** Names in a directory; [] when absent; unreadable directories are recorded with a trailing `/`. */
  list(rel: string): { name: string; dir: boolean }[] {
    try {
      return readdirSync(this.abs(rel), { withFileTypes: true })
        .map((d) => ({ name: d.name, dir: d.isDirectory() }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return [];
      this.unreadable.set(rel + "/", reason(e));
      return [];
    }
  }
}

/** Linux dev_t → major:minor (new_decode_dev encoding as glibc's gnu_dev_major/minor). */
export function devt(dev: number): string {
  const d = BigInt(dev);
  const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn);
  const minor = (d & 0xffn) | ((d >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

export interface LiveReadOptions {
  /** Read a host tree rooted elsewhere (tests; a chroot); default `/`. */
  readonly root?: string;
  /** Stop walking cgroups after this many groups (default 100000). */
  readonly maxCgroups?: number;
}

/** Read the live host (or a tree laid out like one) into a file set. Read-only. */
export function readLiveHost(opts: LiveReadOptions = {}): FileSet {
  const root = opts.root ?? "/";
  const c = new Collector(root);
  for (const f of FIXED_FILES) c.read(f);
  for (const e of c.list(ZSWAP_PARAMS_DIR)) if (!e.dir) c.read(`${ZSWAP_PARAMS_DIR}/${e.name}`);
  // debugfs: list /sys/kernel/debug first so that "not root" is told apart from "not mounted"
  const dbg = c.list("sys/kernel/debug");
  if (dbg.some((e) => e.name === "zswap")) for (const e of c.list(ZSWAP_DEBUG_DIR)) if (!e.dir) c.read(`${ZSWAP_DEBUG_DIR}/${e.name}`);
  for (const e of c.list(BLOCK_DIR)) {
    c.read(`${BLOCK_DIR}/${e.name}/${ROTATIONAL_FILE}`);
    if (/^zram\d+$/.test(e.name)) for (const f of ZRAM_FILES) c.read(`${BLOCK_DIR}/${e.name}/${f}`);
  }
  // the block device behind every swap device and file
  const swaps = c.files.get("proc/swaps");
  if (swaps !== undefined) {
    const lines: string[] = [];
    let parsed: ReturnType<typeof parseProcSwaps> = [];
    try {
      parsed = parseProcSwaps(swaps, path.join(root, "proc/swaps"));
    } catch {
      parsed = []; // the builder reports the malformed file with its line
    }
    for (const s of parsed) {
      try {
        const st = statSync(path.join(root, s.path));
        const dt = devt(s.type === "partition" ? st.rdev : st.dev);
        const sysPath = realpathSync(path.join(root, "sys/dev/block", dt));
        const block = existsSync(path.join(sysPath, "partition")) ? path.basename(path.dirname(sysPath)) : path.basename(sysPath);
        lines.push(`${escapeOctal(s.path)}\t${dt}\t${block}`);
      } catch {
        // unknown backing (btrfs anonymous dev, a deleted file): the builder says so
      }
    }
    if (lines.length) {
      c.files.set(SWAP_BACKING_FILE, `# swap path, major:minor, block device holding its data (stat(2) + /sys/dev/block)\n${lines.join("\n")}\n`);
      c.generated.push({ path: SWAP_BACKING_FILE, how: "stat(2) of each /proc/swaps path (st_rdev of a partition, st_dev of a file) resolved through /sys/dev/block/<major:minor>" });
    }
  }
  // processes: counts only (VmSwap, VmPTE of every /proc/<pid>/status), for the swapoff model
  const pids = c.list("proc").filter((e) => e.dir && /^\d+$/.test(e.name));
  if (pids.length) {
    let processes = 0;
    let swapping = 0;
    let vmswap = 0;
    let ptesSwapping = 0;
    let ptesAll = 0;
    for (const p of pids) {
      let text: string;
      try {
        text = readFileSync(path.join(root, "proc", p.name, "status"), "utf8");
      } catch {
        continue; // exited while we read, or not ours to read
      }
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
      const sw = kb("VmSwap");
      const pte = kb("VmPTE");
      if (!Number.isFinite(pte)) continue; // kernel threads have no mm
      processes++;
      ptesAll += pte;
      if (sw > 0) {
        swapping++;
        vmswap += sw;
        ptesSwapping += pte;
      }
    }
    c.files.set(MM_SUMMARY_FILE, `# sums over /proc/<pid>/status of ${processes} processes with an mm (counts only)\nprocesses ${processes}\nswapping_processes ${swapping}\nvmswap_kb ${vmswap}\nvmpte_kb_swapping ${ptesSwapping}\nvmpte_kb_all ${ptesAll}\n`);
    c.generated.push({ path: MM_SUMMARY_FILE, how: "sums of VmSwap and VmPTE over every /proc/<pid>/status (processes with VmSwap > 0 are the ones swapoff's page-table walk visits); no names or ids" });
  }

  // cgroup v2: every group's memory files
  const mounts = c.files.get("proc/self/mounts");
  if (mounts !== undefined) {
    let v2: string | undefined;
    try {
      v2 = parseMounts(mounts).find((m) => m.fsType === "cgroup2")?.mountPoint;
    } catch {
      v2 = undefined;
    }
    if (v2) {
      const prefix = v2.replace(/^\/+/, "").replace(/\/+$/, "");
      for (const f of CGROUP_ROOT_FILES) c.read(`${prefix}/${f}`);
      let groups = 0;
      const max = opts.maxCgroups ?? 100000;
      const walk = (rel: string, depth: number) => {
        if (groups++ >= max || depth > 64) return;
        const entries = c.list(rel);
        const names = new Set(entries.filter((e) => !e.dir).map((e) => e.name));
        for (const f of CGROUP_FILES) if (names.has(f)) c.read(`${rel}/${f}`);
        for (const e of entries) if (e.dir) walk(`${rel}/${e.name}`, depth + 1);
      };
      walk(prefix, 0);
    }
  }
  const fs: FileSet & { generated: typeof c.generated } = { origin: root, files: c.files, unreadable: c.unreadable, generated: c.generated };
  return fs;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Read a saved snapshot directory (with or without a manifest). */
export function readSnapshotDir(dir: string): FileSet {
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    throw new SwapcostInputError("--snapshot", dir, "a directory holding a saved snapshot (swapcost host --capture DIR)", (e as NodeJS.ErrnoException).code);
  }
  if (!st.isDirectory()) throw new SwapcostInputError("--snapshot", dir, "a directory holding a saved snapshot (swapcost host --capture DIR)", "not a directory");
  const files = new Map<string, string>();
  const unreadable = new Map<string, string>();
  const manifestPath = path.join(dir, MANIFEST_FILE);
  let manifest: Manifest | undefined;
  if (existsSync(manifestPath)) {
    manifest = parseManifest(readFileSync(manifestPath, "utf8"), manifestPath);
    for (const f of manifest.files) {
      const where = path.join(dir, f.path);
      let text: string;
      try {
        text = readFileSync(where, "utf8");
      } catch (e) {
        throw new SwapcostInputError(where, "", `the file listed in ${manifestPath}`, (e as NodeJS.ErrnoException).code ?? "unreadable");
      }
      const h = sha256(text);
      if (h !== f.sha256) {
        throw new SwapcostInputError(`${where}:1`, `sha256 ${h.slice(0, 16)}...`, `sha256 ${f.sha256.slice(0, 16)}... as recorded in ${manifestPath}`, "the file changed after capture (remove its manifest entry to analyse an edited snapshot)");
      }
      files.set(f.path, text);
    }
    for (const u of manifest.unreadable) unreadable.set(u.path, u.reason);
  } else {
    const walk = (rel: string) => {
      for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) walk(r);
        else if (d.isFile() && isSnapshotPath(r)) files.set(r, readFileSync(path.join(dir, r), "utf8"));
      }
    };
    walk("");
    if (files.size === 0) throw new SwapcostInputError("--snapshot", dir, "a snapshot directory (proc/swaps, proc/meminfo, … laid out as on the host, or a manifest.json)", "no snapshot files found");
  }
  return { origin: dir, files, unreadable, manifest };
}

function parseManifest(text: string, where: string): Manifest {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split("\n").length : 1;
    throw new SwapcostInputError(`${where}:${line}`, (e as Error).message, "valid JSON");
  }
  const o = j as Partial<Manifest>;
  if (!o || typeof o !== "object" || o.format !== MANIFEST_FORMAT) throw new SwapcostInputError(`${where}: format`, o?.format, `"${MANIFEST_FORMAT}"`);
  if (!Array.isArray(o.files) || !Array.isArray(o.unreadable)) throw new SwapcostInputError(`${where}: files`, typeof o.files, "arrays files[] and unreadable[]");
  for (const f of o.files) {
    if (!f || typeof f.path !== "string" || typeof f.sha256 !== "string" || f.path.split("/").includes("..") || path.isAbsolute(f.path)) {
      throw new SwapcostInputError(`${where}: files[]`, f, "{path (relative, no ..), bytes, sha256}");
    }
  }
  return o as Manifest;
}

/**
 * What a shared snapshot keeps of the files that say more about the host than swap needs: the boot
 * command line keeps only the parameters that change swap, memcg or zswap; /proc/version keeps the
 * release; the mount table keeps only cgroup, cgroup2 and debugfs mounts. The manifest lists what was filtered and how.
 */
export const REDACTIONS: readonly { readonly path: string; readonly how: string; filter(text: string): string }[] = [
  {
    path: "proc/cmdline",
    how: "kept only cgroup_disable, cgroup_enable, cgroup_no_v1, swapaccount, systemd.unified_cgroup_hierarchy, transparent_hugepage, zswap.* and zram.* parameters",
    filter: (t) => {
      const keep = t
        .trim()
        .split(/\s+/)
        .filter((w) => /^(cgroup_disable|cgroup_enable|cgroup_no_v1|swapaccount|systemd\.unified_cgroup_hierarchy|transparent_hugepage|zswap\.[a-z_]+|zram\.[a-z_]+)(=|$)/.test(w));
      return keep.join(" ") + "\n";
    },
  },
  {
    path: "proc/version",
    how: "kept only `Linux version <release>` (the build user, host and compiler are dropped)",
    filter: (t) => t.trim().split(/\s+/).slice(0, 3).join(" ") + "\n",
  },
  {
    path: "proc/self/mounts",
    how: "kept only cgroup, cgroup2 and debugfs lines",
    filter: (t) => t.split("\n").filter((l) => /^\S+ \S+ (cgroup|cgroup2|debugfs) /.test(l)).map((l) => l + "\n").join(""),
  },
];

export interface CaptureOptions {
  /** Keep proc/cmdline and proc/self/mounts whole (default: filtered, see REDACTIONS). */
  readonly noRedact?: boolean;
  readonly note?: string;
  /** Time of capture (ISO); default now. */
  readonly now?: string;
  readonly kernelRelease?: string | null;
}

const FORBIDDEN_ROOTS = ["/proc", "/sys", "/dev"];

/** Write a file set into `dir` (created; must be empty) with manifest.json. Writes nothing else. */
export function writeCapture(dir: string, fs: FileSet & { generated?: readonly { path: string; how: string }[] }, opts: CaptureOptions = {}): Manifest {
  const abs = path.resolve(dir);
  if (FORBIDDEN_ROOTS.some((r) => abs === r || abs.startsWith(r + "/"))) throw new SwapcostInputError("--capture", dir, "a directory outside /proc, /sys and /dev");
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new SwapcostInputError("--capture", dir, "a new or empty directory", "exists and is not a directory");
    if (readdirSync(abs).length) throw new SwapcostInputError("--capture", dir, "a new or empty directory", "not empty (a capture never overwrites)");
  }
  mkdirSync(abs, { recursive: true });
  const redacted: { path: string; how: string }[] = [];
  const files = new Map(fs.files);
  if (!opts.noRedact) {
    for (const r of REDACTIONS) {
      const t = files.get(r.path);
      if (t === undefined) continue;
      files.set(r.path, r.filter(t));
      redacted.push({ path: r.path, how: r.how });
    }
  }
  const entries = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [rel, text] of entries) {
    const out = path.resolve(abs, rel);
    if (!out.startsWith(abs + path.sep) || rel.split("/").includes("..")) throw new SwapcostInputError("snapshot path", rel, "a relative path inside the capture directory");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text, { flag: "wx" });
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    kit: `${KIT_NAME} ${KIT_VERSION}`,
    capturedAt: opts.now ?? new Date().toISOString(),
    kernelRelease: opts.kernelRelease ?? fs.files.get("proc/sys/kernel/osrelease")?.trim() ?? null,
    capturedFrom: fs.origin === "/" ? "/" : `a saved snapshot (${path.basename(path.resolve(fs.origin))})`,
    uid: typeof process.getuid === "function" ? process.getuid() : null,
    ...(opts.note ? { note: opts.note } : {}),
    files: entries.map(([p, text]) => ({ path: p, bytes: Buffer.byteLength(text, "utf8"), sha256: sha256(text) })),
    unreadable: [...fs.unreadable.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, r]) => ({ path: p, reason: r })),
    generated: fs.generated ?? fs.manifest?.generated ?? [],
    redacted: [...(fs.manifest?.redacted ?? []).filter((r) => !redacted.some((x) => x.path === r.path)), ...redacted],
  };
  writeFileSync(path.join(abs, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n", { flag: "wx" });
  return manifest;
}
