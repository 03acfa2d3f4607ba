#!/usr/bin/env node
// Real host snapshots from the kernel lab: boots a Debian kernel under QEMU with the snapshot
// scenario (guest/t_snapshot.sh: swap + zswap or zram under load in cgroup v2 groups), unpacks the
// files the guest printed, and saves them with `swapcost host --capture` (manifest, hashes) into
// data/hosts/<name>/, with a README.md saying how the snapshot was made.
//
//   node lab/snapshot.mjs --kernel 6.1 --mode zswap [--name lab-6.1-zswap] [--accel auto|kvm|tcg]
//
// Uses lab/host.mjs (kernel download and unpacking, initramfs, images, QEMU).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { ROOT, SERIES, accelDescription, boot, buildHog, buildInitramfs, ensureHostPackages, ensureImages, ensureKernel, pickAccel, say } from "./host.mjs";

const USAGE = `usage: node lab/snapshot.mjs --kernel 6.1|6.12 [--mode zswap|zram] [--name NAME] [--accel auto|kvm|tcg] [--append "lab.x=y"]
  writes data/hosts/NAME/ (default NAME: lab-<kernel>-<mode>)`;

function parseArgs(argv) {
  const o = { kernel: null, mode: "zswap", name: null, accel: "auto", append: "" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (argv[i + 1] === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return argv[++i];
    };
    if (a === "--kernel") o.kernel = val();
    else if (a === "--mode") o.mode = val();
    else if (a === "--name") o.name = val();
    else if (a === "--accel") o.accel = val();
    else if (a === "--append") o.append = val();
    else if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (!SERIES[o.kernel]) throw new Error(`--kernel must be one of ${Object.keys(SERIES).join(", ")}\n${USAGE}`);
  if (!["zswap", "zram"].includes(o.mode)) throw new Error(`--mode must be zswap or zram\n${USAGE}`);
  o.name ??= `lab-${o.kernel}-${o.mode}`;
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(o.name)) throw new Error("--name: lower-case letters, digits, dots and dashes");
  return o;
}

/** The base64 lines between SNAPSHOT_BEGIN and SNAPSHOT_END of a serial log → the tar bytes. */
export function extractSnapshot(log) {
  const lines = log.split(/\r?\n/);
  const begin = lines.findIndex((l) => l.startsWith("SNAPSHOT_BEGIN"));
  const end = lines.findIndex((l, i) => i > begin && l.startsWith("SNAPSHOT_END"));
  if (begin < 0 || end < 0) throw new Error("the guest printed no SNAPSHOT_BEGIN ... SNAPSHOT_END block");
  const b64 = lines.slice(begin + 1, end).filter((l) => /^[A-Za-z0-9+/=]+$/.test(l.trim())).join("");
  return gunzipSync(Buffer.from(b64, "base64"));
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const out = path.join(ROOT, "data", "hosts", o.name);
  if (existsSync(out)) throw new Error(`${path.relative(ROOT, out)} exists; remove it or pass --name`);
  ensureHostPackages();
  const k = ensureKernel(o.kernel);
  const hog = buildHog();
  const ir = buildInitramfs(k, hog);
  const accel = await pickAccel(k, ir.path, { want: o.accel });
  const disks = o.mode === "zswap" ? ensureImages({ sizes: [], work: true }) : [];
  const append = `lab=snapshot lab.snap=${o.mode}${o.append ? " " + o.append : ""}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "swapcost-snap-"));
  const log = path.join(tmp, "serial.log");
  say(`boot ${k.release} (${k.pkg} ${k.version}), ${accelDescription(accel.accel)}: ${append}`);
  const r = await boot({ k, initrd: ir.path, accel: accel.accel, append, disks, log, timeoutS: 1200 });
  say(`guest ${r.done ? "completed" : r.timedOut ? "TIMED OUT" : `exited ${r.status}`} in ${r.wallS.toFixed(1)} s`);
  const serial = readFileSync(log, "latin1");
  const tree = path.join(tmp, "tree");
  spawnSync("mkdir", ["-p", tree]);
  const t = spawnSync("tar", ["-x", "-C", tree], { input: extractSnapshot(serial) });
  if (t.status !== 0) throw new Error(`tar -x failed: ${t.stderr}`);
  const note = `kernel lab guest: Debian ${k.pkg} ${k.version} under QEMU (${accel.accel}), lab/guest/t_snapshot.sh mode ${o.mode}`;
  const cap = spawnSync(process.execPath, [path.join(ROOT, "bin", "swapcost.js"), "host", "--snapshot", tree, "--capture", out, "--note", note], { encoding: "utf8" });
  if (cap.status !== 0) throw new Error(`swapcost host --capture failed: ${cap.stderr || cap.stdout}`);
  const facts = serial.split(/\r?\n/).filter((l) => /^(INFO|SNAPHOG|SNAPSWAPON|SNAPUNREADABLE|ERROR)\b/.test(l));
  const qemu = r.args.map((a) => a.replace(/\/\S*\/(vmlinuz-\S+|[^/\s]+\.cpio\.gz|[^/\s]+\.raw)/g, "$1"));
  writeFileSync(
    path.join(out, "README.md"),
    [
      `# ${o.name}: a real kernel under load (kernel lab guest)`,
      "",
      `Made with \`node lab/snapshot.mjs --kernel ${o.kernel} --mode ${o.mode}${o.name !== `lab-${o.kernel}-${o.mode}` ? ` --name ${o.name}` : ""}\`:`,
      `Debian's \`${k.pkg}\` ${k.version} (kernel ${k.release}) booted under QEMU with ${accelDescription(accel.accel)},`,
      `a busybox initramfs and the lab's static helper \`hog\` (lab/src/hog.c); the guest runs`,
      `\`lab/guest/t_snapshot.sh\` (mode \`${o.mode}\`: the workload is described at the top of that script),`,
      "copies the files `swapcost host` reads with the same layout, and prints them as a base64 tar on the",
      "serial console; the host unpacks them and saves them with `swapcost host --snapshot <tree> --capture`",
      "(manifest.json: sha256 of every file, kernel release, time of capture).",
      "",
      "Memory and accounting values come from the real kernel; QEMU TCG only slows it down.",
      "",
      "Analyse it: `swapcost host --snapshot data/hosts/" + o.name + "`",
      "",
      "QEMU command line:",
      "",
      "    qemu-system-x86_64 " + qemu.join(" "),
      "",
      "Guest facts and workload lines from the serial console:",
      "",
      ...facts.map((l) => "    " + l),
      "",
    ].join("\n"),
  );
  rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(cap.stdout);
  say(`wrote ${path.relative(ROOT, out)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    process.stderr.write(`lab snapshot: ${e.message}\n`);
    process.exit(1);
  });
}
