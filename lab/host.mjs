// Host side of the kernel lab: install the tools, fetch and unpack the kernels (never installed),
// build the helper and the initramfs, create the sparse swap images, pick the accelerator, boot.
// Plain Node (no dependencies): it must run before `npm install` has ever happened.
import { spawn, spawnSync } from "node:child_process";
import {
  closeSync, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync,
  rmSync, statSync, writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const LAB = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(LAB, "..");
export const WORK = path.join(LAB, "work");

export function say(msg) {
  process.stderr.write(`lab: ${msg}\n`);
}

/** An error whose message is a skip reason (smoke: "cannot run here") rather than a failure. */
export class SkipError extends Error {}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...opts });
  if (r.error) return { status: 127, stdout: "", stderr: String(r.error.message) };
  return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function must(cmd, args, opts = {}) {
  const r = sh(cmd, args, opts);
  if (r.status !== 0) {
    throw new Error(`'${cmd} ${args.join(" ")}' failed (${r.status}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  }
  return r.stdout;
}

function which(cmd) {
  return sh("sh", ["-c", `command -v ${cmd}`]).stdout.trim() || null;
}

export function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

// ------------------------------------------------------------------ host packages

/** Debian package → a file that proves it is installed. */
const HOST_PKGS = [
  { pkg: "qemu-system-x86", probe: () => which("qemu-system-x86_64") },
  { pkg: "busybox-static", probe: () => staticBusybox() },
  { pkg: "gcc", probe: () => which("gcc") },
  { pkg: "libc6-dev", probe: () => (existsSync("/usr/lib/x86_64-linux-gnu/libc.a") ? "libc.a" : null) },
  { pkg: "util-linux", probe: () => which("mkswap") },
  { pkg: "xz-utils", probe: () => which("xz") },
  { pkg: "zstd", probe: () => which("zstd") },
  { pkg: "dwarves", probe: () => which("pahole") },
];

/** /bin/busybox when it is a static ELF (no PT_INTERP program header), else null. */
function staticBusybox() {
  for (const p of ["/bin/busybox", "/usr/bin/busybox"]) {
    if (!existsSync(p)) continue;
    const b = readFileSync(p);
    if (b.readUInt32BE(0) !== 0x7f454c46) continue;
    const phoff = Number(b.readBigUInt64LE(0x20)), phentsize = b.readUInt16LE(0x36), phnum = b.readUInt16LE(0x38);
    let interp = false;
    for (let i = 0; i < phnum; i++) if (b.readUInt32LE(phoff + i * phentsize) === 3) interp = true;
    if (!interp) return p;
  }
  return null;
}

/**
 * Network limits for every apt-get call: an unreachable or hung mirror gives up within about a
 * minute (then the smoke skips, saying why) instead of apt's default retries with back-off.
 */
const APT_NET = ["-o", "Acquire::http::Timeout=20", "-o", "Acquire::https::Timeout=20", "-o", "Acquire::Retries=1"];

/** apt-get install what is missing (host packages only: QEMU, busybox-static, the compiler). */
export function ensureHostPackages() {
  const missing = HOST_PKGS.filter((p) => !p.probe()).map((p) => p.pkg);
  if (!missing.length) return;
  if (!isRoot()) throw new SkipError(`not root, and these Debian packages are missing: ${missing.join(" ")}`);
  if (!which("apt-get")) throw new SkipError(`no apt-get to install ${missing.join(" ")}`);
  say(`installing host packages: ${missing.join(" ")} (apt-get, from Debian)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let r = sh("apt-get", [...APT_NET, "install", "-y", "-q", "--no-install-recommends", ...missing], { env });
  if (r.status !== 0) {
    sh("apt-get", [...APT_NET, "update", "-q"], { env });
    r = sh("apt-get", [...APT_NET, "install", "-y", "-q", "--no-install-recommends", ...missing], { env });
  }
  const still = HOST_PKGS.filter((p) => !p.probe()).map((p) => p.pkg);
  if (r.status !== 0 || still.length) {
    throw new SkipError(`could not install ${still.join(" ") || missing.join(" ")}: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ")}`);
  }
}

export function qemuVersion() {
  return sh("qemu-system-x86_64", ["--version"]).stdout.split("\n")[0].trim();
}

export function debVersion(pkg) {
  return sh("dpkg-query", ["-W", "-f", "${Version}", pkg]).stdout.trim() || "unknown";
}

// ------------------------------------------------------------------ kernels (private apt state)

const APT = path.join(WORK, "apt");

/** Kernel series the lab knows: Debian 12's own 6.1 and the bookworm-backports 6.12. */
export const SERIES = {
  "6.1": { prefix: "6.1.", origin: "Debian 12 (bookworm / bookworm-security) linux-image-amd64" },
  "6.12": { prefix: "6.12.", origin: "bookworm-backports linux-image-amd64" },
};

function aptOpts() {
  return [
    "-o", "Dir::Etc::SourceList=/dev/null",
    "-o", `Dir::Etc::SourceParts=${APT}/sources.list.d`,
    "-o", `Dir::State=${APT}/state`,
    "-o", `Dir::State::Lists=${APT}/lists`,
    "-o", `Dir::State::status=${APT}/status`,
    "-o", `Dir::Cache=${APT}/cache`,
    "-o", "Dir::Etc::Preferences=/dev/null",
    "-o", "Dir::Etc::PreferencesParts=/dev/null",
    "-o", "APT::Sandbox::User=root",
    "-o", "Debug::NoLocking=1",
    ...APT_NET,
  ];
}

function aptUpdate(force) {
  for (const d of ["sources.list.d", "state", "lists/partial", "cache/archives/partial", "debs"]) {
    mkdirSync(path.join(APT, d), { recursive: true });
  }
  if (!existsSync(path.join(APT, "status"))) writeFileSync(path.join(APT, "status"), "");
  writeFileSync(path.join(APT, "sources.list.d", "lab.sources"), [
    "Types: deb",
    "URIs: http://deb.debian.org/debian",
    "Suites: bookworm bookworm-updates bookworm-backports",
    "Components: main",
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
    "",
    "Types: deb",
    "URIs: http://deb.debian.org/debian-security",
    "Suites: bookworm-security",
    "Components: main",
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
    "",
  ].join("\n"));
  const stamp = path.join(APT, "lists", ".updated");
  const fresh = existsSync(stamp) && Date.now() - statSync(stamp).mtimeMs < 24 * 3600e3;
  if (fresh && !force) return;
  say("apt-get update (private state under lab/work/apt; nothing is installed on the host)");
  const r = sh("apt-get", [...aptOpts(), "update", "-q"]);
  if (r.status !== 0) throw new SkipError(`private apt-get update failed: ${r.stderr.trim().split("\n").slice(-2).join(" | ")}`);
  writeFileSync(stamp, new Date().toISOString() + "\n");
}

/** Newest linux-image-amd64 of a series → the versioned image package it depends on. */
function resolveKernelPackage(series) {
  const { prefix } = SERIES[series];
  const mad = must("apt-cache", [...aptOpts(), "madison", "linux-image-amd64"]);
  const versions = mad.split("\n").map((l) => l.split("|")[1]?.trim()).filter((v) => v && v.startsWith(prefix));
  if (!versions.length) throw new SkipError(`no linux-image-amd64 ${prefix}x in bookworm/bookworm-backports`);
  // apt-cache madison lists the candidates newest first
  const meta = versions[0];
  const show = must("apt-cache", [...aptOpts(), "show", `linux-image-amd64=${meta}`]);
  const dep = /^Depends:\s*(linux-image-[^\s,(]+)\s*\(=\s*([^)]+)\)/m.exec(show);
  if (!dep) throw new Error(`cannot read the Depends of linux-image-amd64=${meta}`);
  return { pkg: dep[1], version: dep[2].trim() };
}

/**
 * The unpacked kernel of a series: { series, pkg, version, release, vmlinuz, moddir, config }.
 * Downloaded with `apt-get download` and unpacked with `dpkg-deb -x` under lab/work/kernels;
 * an already unpacked kernel is reused unless `refresh`.
 */
export function ensureKernel(series, { refresh = false } = {}) {
  if (!SERIES[series]) throw new Error(`unknown kernel series '${series}' (known: ${Object.keys(SERIES).join(", ")})`);
  const kdir = path.join(WORK, "kernels", series);
  const stampFile = path.join(kdir, "kernel.json");
  if (!refresh && existsSync(stampFile)) return JSON.parse(readFileSync(stampFile, "utf8"));
  aptUpdate(refresh);
  const { pkg, version } = resolveKernelPackage(series);
  const debs = path.join(APT, "debs");
  const want = readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith(".deb"));
  if (!want) {
    say(`apt-get download ${pkg}=${version}`);
    const r = sh("apt-get", [...aptOpts(), "download", `${pkg}=${version}`], { cwd: debs });
    if (r.status !== 0) throw new SkipError(`apt-get download ${pkg} failed: ${r.stderr.trim().split("\n").slice(-2).join(" | ")}`);
  }
  const deb = readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith(".deb"));
  if (!deb) throw new Error(`apt-get download left no ${pkg}_*.deb in ${debs}`);
  rmSync(kdir, { recursive: true, force: true });
  mkdirSync(kdir, { recursive: true });
  say(`unpacking ${deb} (dpkg-deb -x, not installed)`);
  must("dpkg-deb", ["-x", path.join(debs, deb), path.join(kdir, "root")]);
  const boot = path.join(kdir, "root", "boot");
  const vmlinuz = readdirSync(boot).find((f) => f.startsWith("vmlinuz-"));
  if (!vmlinuz) throw new Error(`no vmlinuz in ${deb}`);
  const release = vmlinuz.slice("vmlinuz-".length);
  const k = {
    series, pkg, version: must("dpkg-deb", ["-f", path.join(debs, deb), "Version"]).trim(), release,
    vmlinuz: path.join(boot, vmlinuz),
    config: path.join(boot, `config-${release}`),
    moddir: path.join(kdir, "root", "lib", "modules", release),
    deb,
  };
  writeFileSync(stampFile, JSON.stringify(k, null, 2) + "\n");
  return k;
}

// ------------------------------------------------------------------ the helper and the initramfs

export function buildHog() {
  const src = path.join(LAB, "src", "hog.c");
  const out = path.join(WORK, "hog");
  mkdirSync(WORK, { recursive: true });
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) return out;
  say("compiling lab/src/hog.c (gcc -O2 -static)");
  must("gcc", ["-O2", "-Wall", "-static", "-o", out, src]);
  return out;
}

/** Modules the scenarios need, when they are modules in this kernel (dependencies added). */
const WANTED_MODULES = ["virtio_pci", "virtio_blk", "zsmalloc", "zram", "lz4"];

function modName(file) {
  return path.basename(file).replace(/\.ko(\.xz|\.zst|\.gz)?$/, "").replace(/-/g, "_");
}

function listModules(dir, out = new Map()) {
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) listModules(p, out);
    else if (/\.ko(\.xz)?$/.test(ent.name)) out.set(modName(ent.name), p);
  }
  return out;
}

function moduleBytes(file) {
  if (file.endsWith(".xz")) {
    const r = spawnSync("xz", ["-dc", file], { maxBuffer: 256 << 20 });
    if (r.status !== 0) throw new Error(`xz -dc ${file} failed`);
    return r.stdout;
  }
  return readFileSync(file);
}

function moduleDepends(buf) {
  const key = Buffer.from("\0depends=");
  const i = buf.indexOf(key);
  if (i < 0) return [];
  const end = buf.indexOf(0, i + key.length);
  return buf.subarray(i + key.length, end).toString("latin1").split(",").filter(Boolean).map((m) => m.replace(/-/g, "_"));
}

/** [{ name, data }] in load order (dependencies first); built-in modules are skipped. */
export function resolveModules(k) {
  const all = listModules(path.join(k.moddir, "kernel"));
  const order = [];
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const file = all.get(name);
    if (!file) return; // built in (or absent): nothing to load
    const data = moduleBytes(file);
    for (const d of moduleDepends(data)) visit(d);
    order.push({ name, data });
  };
  for (const m of WANTED_MODULES) visit(m);
  return order;
}

/** newc cpio writer: entries [{ name, mode, data?, target? }] → Buffer */
function cpio(entries) {
  const parts = [];
  let ino = 1;
  const pad4 = (n) => (4 - (n % 4)) % 4;
  const hex = (n) => n.toString(16).padStart(8, "0");
  const push = (name, mode, data) => {
    const nameBuf = Buffer.from(name + "\0");
    const fields = [ino++, mode, 0, 0, (mode & 0o170000) === 0o040000 ? 2 : 1, 0, data.length, 0, 0, 0, 0, nameBuf.length, 0];
    const hdr = Buffer.from("070701" + fields.map(hex).join(""));
    parts.push(hdr, nameBuf, Buffer.alloc(pad4(hdr.length + nameBuf.length)), data, Buffer.alloc(pad4(data.length)));
  };
  for (const e of entries) push(e.name, e.mode, e.data ?? Buffer.alloc(0));
  push("TRAILER!!!", 0, Buffer.alloc(0));
  return Buffer.concat(parts);
}

export function buildInitramfs(k, hog) {
  const busybox = staticBusybox();
  if (!busybox) throw new SkipError("no static busybox (busybox-static)");
  const mods = resolveModules(k);
  const guest = path.join(LAB, "guest");
  const entries = [];
  for (const d of ["bin", "dev", "proc", "sys", "tmp", "lib", "lib/modules", "lab"]) entries.push({ name: d, mode: 0o040755 });
  entries.push({ name: "bin/busybox", mode: 0o100755, data: readFileSync(busybox) });
  entries.push({ name: "bin/hog", mode: 0o100755, data: readFileSync(hog) });
  entries.push({ name: "init", mode: 0o100755, data: readFileSync(path.join(guest, "init")) });
  for (const f of readdirSync(guest).filter((f) => f.endsWith(".sh")).sort()) {
    entries.push({ name: `lab/${f}`, mode: 0o100644, data: readFileSync(path.join(guest, f)) });
  }
  for (const m of mods) entries.push({ name: `lib/modules/${m.name}.ko`, mode: 0o100644, data: m.data });
  entries.push({ name: "lib/modules/order", mode: 0o100644, data: Buffer.from(mods.map((m) => m.name).join("\n") + "\n") });
  const out = path.join(WORK, "initrd", `${k.release}.cpio.gz`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, gzipSync(cpio(entries), { level: 6 }));
  return { path: out, modules: mods.map((m) => m.name) };
}

// ------------------------------------------------------------------ sparse swap images

export const STATIC_SIZES_GIB = [1, 4, 16, 64, 256, 1024];

/** Sparse raw images, made with truncate + mkswap; `work` is recreated (it gets written to). */
export function ensureImages({ sizes = STATIC_SIZES_GIB, work = true } = {}) {
  const dir = path.join(WORK, "img");
  mkdirSync(dir, { recursive: true });
  const disks = [];
  const make = (file, gib) => {
    rmSync(file, { force: true });
    must("truncate", ["-s", `${gib}G`, file]);
    must("mkswap", ["-q", file]);
  };
  for (const s of sizes) {
    const f = path.join(dir, `s${s}.raw`);
    if (!existsSync(f) || statSync(f).size !== s * 2 ** 30) make(f, s);
    disks.push({ file: f, serial: `s${s}` });
  }
  if (work) {
    const f = path.join(dir, "work.raw");
    make(f, 8);
    disks.push({ file: f, serial: "work" });
  }
  return disks;
}

// ------------------------------------------------------------------ QEMU

export const GUEST_RAM_MIB = 4096;
export const GUEST_VCPUS = 2;
const BASE_CMDLINE = "console=ttyS0 panic=-1 loglevel=4 transparent_hugepage=never";

const ACCELS = {
  kvm: ["-accel", "kvm", "-cpu", "host"],
  tcg: ["-accel", "tcg,thread=multi", "-cpu", "max"],
};

function qemuArgs({ k, initrd, accel, append, disks, ram = GUEST_RAM_MIB, vcpus = GUEST_VCPUS }) {
  const args = [
    ...ACCELS[accel], "-smp", String(vcpus), "-m", String(ram),
    "-nodefaults", "-display", "none", "-no-reboot", "-serial", "stdio", "-monitor", "none",
    "-kernel", k.vmlinuz, "-initrd", initrd, "-append", `${BASE_CMDLINE} ${append}`.trim(),
  ];
  disks.forEach((d, i) => {
    args.push("-drive", `file=${d.file},format=raw,if=none,id=d${i},cache=unsafe`);
    args.push("-device", `virtio-blk-pci,drive=d${i},serial=${d.serial}`);
  });
  return args;
}

/**
 * Boot once. Serial output (and QEMU's own stderr) goes, untouched, to `log`.
 * Resolves { status, timedOut, wallS, done } where done = the guest printed LAB_DONE.
 * onLine(line) sees every serial line as it arrives (progress reports).
 */
export function boot({ k, initrd, accel, append, disks, log, timeoutS, onLine }) {
  const args = qemuArgs({ k, initrd, accel, append, disks });
  mkdirSync(path.dirname(log), { recursive: true });
  const fd = openSync(log, "w");
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn("qemu-system-x86_64", args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    const out = createWriteStream(null, { fd, autoClose: false });
    let done = false, buf = "", timedOut = false;
    const feed = (chunk) => {
      out.write(chunk);
      buf += chunk.toString("latin1");
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, "");
        buf = buf.slice(nl + 1);
        if (line.startsWith("LAB_DONE")) done = true;
        if (onLine) onLine(line);
      }
    };
    child.stdout.on("data", feed);
    child.stderr.on("data", feed);
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
    }, timeoutS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      out.end(() => {
        closeSync(fd);
        const status = code ?? `signal ${signal}`;
        resolve({ status, timedOut, wallS: (Date.now() - t0) / 1000, done, args });
      });
    });
  });
}

/**
 * KVM first, TCG as the fallback: boot the kernel with no scenario and see whether /init runs.
 * The answer is cached for a day in lab/work/accel.json (per QEMU version and kernel release).
 */
export async function pickAccel(k, initrd, { want = "auto", probeTimeoutS = 25 } = {}) {
  if (want === "tcg") return { accel: "tcg", note: "TCG requested (--accel tcg)" };
  const cacheFile = path.join(WORK, "accel.json");
  const key = `${qemuVersion()} ${k.release}`;
  if (want === "auto" && existsSync(cacheFile)) {
    const c = JSON.parse(readFileSync(cacheFile, "utf8"));
    if (c.key === key && Date.now() - Date.parse(c.date) < 24 * 3600e3) {
      return { accel: c.accel, note: `${c.note} (probe cached from ${c.date})` };
    }
  }
  let result;
  if (!existsSync("/dev/kvm")) {
    result = { accel: "tcg", note: "KVM not tried: no /dev/kvm; using TCG" };
  } else {
    say(`probing KVM (-accel kvm -cpu host, ${probeTimeoutS} s limit)`);
    const log = path.join(WORK, "kvm-probe.log");
    const r = await boot({ k, initrd, accel: "kvm", append: "lab=", disks: [], log, timeoutS: probeTimeoutS });
    if (r.done) {
      result = { accel: "kvm", note: `KVM works (probe booted to /init in ${r.wallS.toFixed(1)} s)` };
    } else {
      const tail = readFileSync(log, "latin1").split("\n").map((l) => l.trim()).filter(Boolean);
      const why = r.timedOut ? `guest hung, no /init within ${probeTimeoutS} s` : `qemu exit ${r.status}: ${tail.slice(0, 2).join(" / ")}`;
      result = { accel: "tcg", note: `KVM unusable (${why}); using TCG` };
    }
  }
  if (want === "kvm" && result.accel !== "kvm") throw new Error(`--accel kvm: ${result.note}`);
  writeFileSync(cacheFile, JSON.stringify({ key, ...result, date: new Date().toISOString() }, null, 2) + "\n");
  return result;
}

export function accelDescription(accel) {
  return `${accel} (${ACCELS[accel].join(" ")})`;
}

export function hostFacts() {
  return {
    qemu: qemuVersion(),
    qemu_package: `qemu-system-x86 ${debVersion("qemu-system-x86")}`,
    busybox_package: `busybox-static ${debVersion("busybox-static")}`,
    gcc: sh("gcc", ["--version"]).stdout.split("\n")[0].trim(),
    host_cpus: String(sh("nproc", []).stdout.trim()),
  };
}
