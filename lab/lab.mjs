#!/usr/bin/env node
// swapcost kernel lab: boots Debian's 6.1 and bookworm-backports' 6.12 kernels under QEMU and
// measures swap metadata, memcg/zswap charging and swapoff. `npm run lab -- --help` for options.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  GUEST_RAM_MIB, GUEST_VCPUS, ROOT, SERIES, STATIC_SIZES_GIB, SkipError, WORK, accelDescription, boot, buildHog,
  buildInitramfs, ensureHostPackages, ensureImages, ensureKernel, hostFacts, isRoot, pickAccel, say,
} from "./host.mjs";
import { kernelHeader, parseDir, parseLog } from "./parse.mjs";
import { writeStructs } from "./structs.mjs";
import { writeSummary } from "./summary.mjs";

const SCENARIOS = ["static", "zram", "zswap", "swapoff"];

const USAGE = `usage: npm run lab -- [options]
  --kernel 6.1|6.12|all        kernels to measure (default all), comma-separated
  --scenario NAME|all          static, zram, zswap, swapoff (default all), comma-separated
  --sizes 1,4,16,...           static swap sizes in GiB (default 1,4,16,64,256,1024)
  --reps N                     static repetitions (default 3)
  --accel auto|kvm|tcg         accelerator (default auto: KVM when it boots the kernel, else TCG)
  --out DIR                    data directory (default data/lab)
  --append "lab.x=y ..."       extra kernel command-line words for every boot (e.g. lab.swapoff_reps=1,
                               lab.swapoff_series=pages_disk, lab.zcases=zsm_lzo,noz_disk, lab.zram_sizes=1)
  --parse-only                 only regenerate the CSVs from the logs already in DIR
  --refresh                    re-resolve and re-download the kernel packages
  --smoke                      one kernel (6.1), static 16 GiB HDD once, into lab/work/smoke; < 3 min
Needs root (it installs qemu-system-x86 and busybox-static with apt-get when missing).`;

function parseArgs(argv) {
  const o = { kernel: "all", scenario: "all", sizes: null, reps: 3, accel: "auto", out: path.join(ROOT, "data", "lab"), parseOnly: false, refresh: false, smoke: false, append: "" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case "--kernel": o.kernel = val(); break;
      case "--scenario": o.scenario = val(); break;
      case "--sizes": o.sizes = val(); break;
      case "--reps": o.reps = Number(val()); break;
      case "--accel": o.accel = val(); break;
      case "--out": o.out = path.resolve(val()); break;
      case "--append": o.append = val(); break;
      case "--parse-only": o.parseOnly = true; break;
      case "--refresh": o.refresh = true; break;
      case "--smoke": o.smoke = true; break;
      case "-h": case "--help": process.stdout.write(USAGE + "\n"); process.exit(0);
      default: throw new UsageError(`unknown option '${a}'`);
    }
  }
  const kernels = o.kernel === "all" ? Object.keys(SERIES) : o.kernel.split(",");
  for (const k of kernels) if (!SERIES[k]) throw new UsageError(`--kernel: '${k}' is not one of ${Object.keys(SERIES).join(", ")}, all`);
  const scenarios = o.scenario === "all" ? SCENARIOS : o.scenario.split(",");
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new UsageError(`--scenario: '${s}' is not one of ${SCENARIOS.join(", ")}, all`);
  const sizes = o.sizes ? o.sizes.split(",").map(Number) : STATIC_SIZES_GIB;
  for (const s of sizes) if (!STATIC_SIZES_GIB.includes(s)) throw new UsageError(`--sizes: ${s} is not one of ${STATIC_SIZES_GIB.join(", ")}`);
  if (!Number.isInteger(o.reps) || o.reps < 1 || o.reps > 20) throw new UsageError("--reps must be an integer 1..20");
  if (!["auto", "kvm", "tcg"].includes(o.accel)) throw new UsageError("--accel must be auto, kvm or tcg");
  return { ...o, kernels, scenarios, sizes };
}

class UsageError extends Error {}

/** The boots a scenario needs: one per (scenario, variant); each writes logs/<boot>.log. */
function plan(scenario, o) {
  const sizes = o.sizes.join(",");
  switch (scenario) {
    case "static":
      return [
        { boot: "static", append: `lab=static lab.sizes=${sizes} lab.reps=${o.reps}`, disks: { sizes: o.sizes, work: false }, timeoutS: 1200 },
        { boot: "static-nomemcg", append: `cgroup_disable=memory lab=static lab.sizes=${sizes} lab.reps=${o.reps}`, disks: { sizes: o.sizes, work: false }, timeoutS: 1200 },
      ];
    case "zram":
      return [{ boot: "zram", append: "lab=zram", disks: null, timeoutS: 900 }];
    case "zswap":
      return [{ boot: "zswap", append: "zswap.enabled=1 slub_nomerge lab=zswap", disks: { sizes: [], work: true }, timeoutS: 1500 }];
    case "swapoff":
      return [{ boot: "swapoff", append: "zswap.enabled=1 lab=swapoff", disks: { sizes: [1, 64, 1024], work: true }, timeoutS: 1800 }];
    default:
      throw new Error(scenario);
  }
}

/** The host's 1/5/15-minute load averages: TCG timings slow down when other work shares the cores. */
function hostLoad() {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

/** One-line progress report for the interesting serial lines. */
function progress(prefix) {
  return (line) => {
    const { lines } = parseLog(line);
    const l = lines[0];
    if (!l) return;
    const kv = l.kv;
    const mb = (b) => (Number(b) / 2 ** 20).toFixed(2);
    if (l.tag === "COST" && kv.rc !== "0") {
      say(`${prefix} ${kv.scenario} ${kv.step ?? ""} ${kv.size_gib} GiB: ${kv.op} FAILED rc=${kv.rc} errno=${kv.errno}`);
    } else if (l.tag === "COST" && kv.scenario === "static_noise") {
      say(`${prefix} noise floor (no operation) memcg=${kv.memcg} rep ${kv.rep}: ${-kv.d_free_pcp} bytes`);
    } else if (l.tag === "COST" && kv.scenario === "static") {
      say(`${prefix} ${kv.size_gib} GiB ${kv.kind} memcg=${kv.memcg} rep ${kv.rep}: ${mb(-kv.d_free_pcp)} MiB, ${(-kv.d_free_pcp / (kv.size_gib * 262144)).toFixed(4)} B/slot`);
    } else if (l.tag === "COST") {
      say(`${prefix} ${kv.step} ${kv.size_gib} GiB rep ${kv.rep}: ${mb(-kv.d_free_pcp)} MiB`);
    } else if (l.tag === "ZCASE") {
      say(`${prefix} ${kv.case}: memory.current=${mb(kv.memory_current)} MiB swap.current=${mb(kv.swap_current)} MiB zswap.current=${kv.zswap_current === "na" ? "na" : mb(kv.zswap_current) + " MiB"}`);
    } else if (l.tag === "SWOFF") {
      say(`${prefix} ${kv.series} swapped=${kv.swapped_mib} MiB zero=${kv.zero_mib} other=${kv.other_zero_mib} dev=${kv.dev_gib} GiB rep ${kv.rep}: swapoff ${(kv.swapoff_ns / 1e6).toFixed(1)} ms`);
    } else if (l.tag === "ERROR" || l.tag === "HOGERR") {
      say(`${prefix} ${l.line}`);
    }
  };
}

async function runKernel(series, o, facts, outRoot, accelChoice) {
  const k = ensureKernel(series, { refresh: o.refresh });
  k.origin = SERIES[series].origin;
  const hog = buildHog();
  const ir = buildInitramfs(k, hog);
  const accel = accelChoice.value ?? (accelChoice.value = await pickAccel(k, ir.path, { want: o.accel }));
  say(`kernel ${k.release} (${k.pkg} ${k.version}); accelerator: ${accelDescription(accel.accel)}; ${accel.note}`);
  const dir = path.join(outRoot, k.release);
  const logdir = path.join(dir, "logs");
  mkdirSync(logdir, { recursive: true });
  const results = [];
  for (const scenario of o.scenarios) {
    for (const b of plan(scenario, o)) {
      if (o.append) b.append += ` ${o.append}`;
      const disks = b.disks ? ensureImages(b.disks) : [];
      const log = `${b.boot}.log`;
      say(`boot ${k.release} ${b.boot}: ${b.append} (limit ${b.timeoutS} s)`);
      const date = new Date().toISOString();
      const load0 = hostLoad();
      const r = await boot({ k, initrd: ir.path, accel: accel.accel, append: b.append, disks, log: path.join(logdir, log), timeoutS: b.timeoutS, onLine: progress(`[${series} ${b.boot}]`) });
      const meta = {
        boot: b.boot, scenario, log, date, wall_s: r.wallS, host_loadavg: `${load0} → ${hostLoad()}`, status: r.status, timed_out: r.timedOut, done: r.done,
        append: b.append, qemu_args: r.args, accel: accel.accel, accel_description: accelDescription(accel.accel), accel_note: accel.note,
        guest_ram_mib: GUEST_RAM_MIB, vcpus: GUEST_VCPUS, disks: disks.map((d) => d.serial),
        kernel: { series, pkg: k.pkg, version: k.version, release: k.release, origin: k.origin },
        modules: ir.modules, host: facts,
      };
      // paths on this host are not data: keep only the file names of the kernel and images
      meta.qemu_args = meta.qemu_args.map((a) => a.replace(/\/\S*\/(vmlinuz-\S+|[^/\s]+\.cpio\.gz|[^/\s]+\.raw)/g, "$1"));
      writeFileSync(path.join(logdir, `${b.boot}.meta.json`), JSON.stringify(meta, null, 2) + "\n");
      say(`boot ${b.boot}: ${r.done ? "completed" : r.timedOut ? "TIMED OUT" : `qemu exit ${r.status}`} in ${r.wallS.toFixed(1)} s`);
      results.push({ boot: b.boot, ...r });
    }
  }
  const { written, problems } = parseDir(dir, { only: o.scenarios });
  for (const w of written) say(`wrote ${path.relative(ROOT, w.file)} (${w.rows} rows)`);
  for (const p of problems) say(`problem: ${p}`);
  try {
    const n = writeStructs(k, path.join(WORK, "kernels", series), dir, kernelHeader(dir));
    if (n === null) say("pahole (dwarves) not available: structs.csv not written");
    else say(`wrote ${path.relative(ROOT, path.join(dir, "structs.csv"))} (${n} structures, from the kernel's BTF)`);
  } catch (e) {
    say(`structs.csv not written: ${e.message}`);
  }
  return { dir, results, problems, written };
}

async function smoke(o) {
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  try {
    if (!isRoot()) throw new SkipError("not running as root (the lab installs packages and boots QEMU as root)");
    ensureHostPackages();
    const out = path.join(WORK, "smoke");
    rmSync(out, { recursive: true, force: true });
    const so = { ...o, kernels: ["6.1"], scenarios: ["static"], sizes: [16], reps: 1 };
    const k = ensureKernel("6.1", { refresh: false });
    k.origin = SERIES["6.1"].origin;
    const ir = buildInitramfs(k, buildHog());
    const accel = await pickAccel(k, ir.path, { want: o.accel, probeTimeoutS: 20 });
    const dir = path.join(out, k.release);
    mkdirSync(path.join(dir, "logs"), { recursive: true });
    const disks = ensureImages({ sizes: [16], work: false });
    const append = "lab=static lab.sizes=16 lab.kinds=hdd lab.reps=1 lab.noise_reps=1";
    const logFile = path.join(dir, "logs", "static.log");
    const consoleLines = () => readFileSync(logFile, "latin1").split("\n").map((l) => l.replace(/\r$/, "").trim()).filter(Boolean);
    /** The first panic/BUG/Oops/ERROR line of the console, else its last line. */
    const consoleWhy = () => {
      const lines = consoleLines();
      return lines.find((l) => /Kernel panic|BUG:|Oops|ERROR/.test(l)) ?? lines[lines.length - 1] ?? "no console output";
    };
    // One more boot when the first one ended early (QEMU exited without the guest's LAB_DONE, not a
    // timeout): a TCG guest on a loaded shared host has been seen to do that about once in 20 boots.
    // The retry and why are printed on the verdict line; a second early end is a failure.
    let r;
    let retried = "";
    for (let attempt = 1; ; attempt++) {
      r = await boot({ k, initrd: ir.path, accel: accel.accel, append, disks, log: logFile, timeoutS: 150, onLine: progress("[smoke]") });
      if (r.done || r.timedOut || attempt === 2) break;
      retried = `; retried once: the first boot ended without finishing (qemu exit ${r.status}; console: ${consoleWhy()})`;
      copyFileSync(logFile, path.join(dir, "logs", "static-first-boot.log"));
      say(`smoke boot ended early (qemu exit ${r.status}), booting once more; the first console log is in logs/static-first-boot.log`);
    }
    writeFileSync(path.join(dir, "logs", "static.meta.json"), JSON.stringify({
      boot: "static", scenario: "static", log: "static.log", date: new Date(t0).toISOString(), wall_s: r.wallS, status: r.status,
      timed_out: r.timedOut, done: r.done, retried: retried !== "", append, accel: accel.accel, accel_description: accelDescription(accel.accel), accel_note: accel.note,
      guest_ram_mib: GUEST_RAM_MIB, vcpus: GUEST_VCPUS, kernel: { series: "6.1", pkg: k.pkg, version: k.version, release: k.release, origin: k.origin },
      modules: ir.modules, host: hostFacts(),
    }, null, 2) + "\n");
    if (!r.done) {
      // the last lines of the serial console say why (a panic, /init failing, a hang)
      throw new Error(`guest did not finish: ${r.timedOut ? "timed out after 150 s" : `qemu exit ${r.status}`}${retried ? " twice" : ""} (log: ${path.relative(ROOT, logFile)}); console: ${consoleWhy()}; last lines:\n  ${consoleLines().slice(-12).join("\n  ")}`);
    }
    parseDir(dir, { only: so.scenarios });
    const csv = readFileSync(path.join(dir, "static.csv"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    const cols = csv[0].split(","), row = csv[1]?.split(",");
    if (!row) throw new Error("static.csv has no row");
    const get = (c) => Number(row[cols.indexOf(c)]);
    const cost = get("cost_bytes"), bps = get("bytes_per_slot");
    if (!(cost > 0) || !Number.isFinite(bps) || get("rc") !== 0) throw new Error(`swapon cost did not parse as positive: cost_bytes=${cost}, rc=${get("rc")}`);
    process.stdout.write(`lab smoke: PASS ${k.release} 16 GiB HDD swapon costs ${cost} bytes (${bps} B/slot) under ${accel.accel}; boot ${r.wallS.toFixed(1)} s, total ${elapsed()}${retried}\n`);
    return 0;
  } catch (e) {
    if (e instanceof SkipError) {
      process.stdout.write(`lab smoke: SKIP: ${e.message} (after ${elapsed()})\n`);
      return 0;
    }
    process.stdout.write(`lab smoke: FAIL: ${e.message} (after ${elapsed()})\n`);
    return 1;
  }
}

export async function main(argv) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`lab: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (o.smoke) return smoke(o);
  if (o.parseOnly) {
    let bad = 0;
    const dirs = existsSync(o.out) ? readdirSync(o.out, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(o.out, d.name)) : [];
    for (const d of dirs) {
      if (!existsSync(path.join(d, "logs"))) continue;
      const { written, problems } = parseDir(d, { only: o.scenarios });
      for (const w of written) say(`wrote ${path.relative(ROOT, w.file)} (${w.rows} rows)`);
      for (const p of problems) say(`problem: ${p}`);
      bad += problems.length;
      // structs.csv needs the unpacked kernel (lab/work/kernels/<series>), when it is there
      for (const series of Object.keys(SERIES)) {
        const kj = path.join(WORK, "kernels", series, "kernel.json");
        if (!existsSync(kj)) continue;
        const k = JSON.parse(readFileSync(kj, "utf8"));
        if (k.release !== path.basename(d)) continue;
        const n = writeStructs(k, path.dirname(kj), d, kernelHeader(d));
        if (n !== null) say(`wrote ${path.relative(ROOT, path.join(d, "structs.csv"))} (${n} structures)`);
      }
    }
    if (existsSync(o.out)) writeSummary(o.out);
    return bad ? 1 : 0;
  }
  if (!isRoot()) {
    say("the lab must run as root (apt-get, QEMU, loop-free sparse images); try: sudo npm run lab");
    return 2;
  }
  const t0 = Date.now();
  try {
    ensureHostPackages();
  } catch (e) {
    say(e.message);
    return 1;
  }
  const facts = hostFacts();
  const accelChoice = {};
  let failed = 0;
  for (const series of o.kernels) {
    const t1 = Date.now();
    const { results, problems } = await runKernel(series, o, facts, o.out, accelChoice);
    failed += results.filter((r) => !r.done).length + problems.length;
    say(`kernel ${series}: ${((Date.now() - t1) / 60000).toFixed(1)} min`);
  }
  writeSummary(o.out);
  say(`wrote ${path.relative(ROOT, path.join(o.out, "SUMMARY.md"))}`);
  say(`done in ${((Date.now() - t0) / 60000).toFixed(1)} min${failed ? `, with ${failed} problem(s) (see above)` : ""}`);
  return failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    process.stderr.write(`lab: ${e instanceof SkipError ? "cannot run: " : ""}${e.stack ?? e}\n`);
    process.exit(1);
  });
}
