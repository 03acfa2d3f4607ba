/**
 * `swapcost simulate`: run a slot-level simulation of the swap allocators under a workload and
 * price every design's dynamic metadata from the measured occupancy. Also the bridge behind
 * `--occupancy sim:<workload>[,params]` in `overhead` and `compare`.
 */
import { SwapcostInputError } from "../errors.js";
import { allDesigns } from "../designs/registry.js";
import type { Design } from "../designs/types.js";
import { parseMix } from "../models/scenario.js";
import { simulateCsv, simulateJson, simulateMail, simulateText } from "../report/simulate.js";
import { runSimulation, type SimRunOptions } from "../sim/run.js";
import { MAX_SIM_SLOTS } from "../sim/simulator.js";
import { WORKLOADS, intParam, parseWorkloadSpec } from "../sim/workloads.js";
import { TRACE_FORMAT_VERSION } from "../sim/trace.js";
import { parseShare } from "../units/share.js";
import { has, parseArgs, str, type FlagSpec } from "./args.js";
import type { Io } from "./overhead-commands.js";
import { designById, loadCustomDesigns, parseFormat, parseSwapSize, parseUsed } from "./overhead-options.js";
import { kindMixOf, parseCount, readTrace } from "./sim-occupancy.js";

export const SIMULATE_FLAGS: readonly FlagSpec[] = [
  { name: "workload", value: "<name>[,k=v...]", doc: `${WORKLOADS.map((w) => w.name).join(", ")}, or trace,file=<path> (parameters below)` },
  { name: "swap-size", value: "<size>", doc: "device size: 64G = 64 GiB (default 32G; at most 4T)" },
  { name: "events", value: "<n>", doc: "steady-state events after the setup fill (churn workloads) or a cap (fill workloads, traces); 2M = 2*10^6" },
  { name: "seed", value: "<n>", doc: "PRNG seed (default 1): the same seed gives the same run" },
  { name: "designs", value: "<id,id,...|all>", doc: "designs to price (default all)" },
  { name: "used", value: "<share|size>", doc: "target live share of the usable slots (default 50%)" },
  { name: "mix", value: "<k=share,...>", doc: "backends of swapped-out folios: zswap, zero, disk (or zram) shares (default zswap=100%)" },
  { name: "writeback", value: "<share>", doc: "share of zswap swap-outs followed by one zswap writeback (default 0)" },
  { name: "cpus", value: "<n>", doc: "CPUs with per-CPU clusters (default 8)" },
  { name: "samples", value: "<n>", doc: "samples over the run (default 100)" },
  { name: "rotational", doc: "an HDD: one global cluster per order instead of per-CPU clusters" },
  { name: "discard", doc: "swapon --discard=pages: prefer free clusters over nonfull ones" },
  { name: "no-memcg", doc: "memcg disabled: no memcg tables" },
  { name: "debug", doc: "check conservation after every event and every layer's arrays at the end (slow)" },
  { name: "progress", doc: "draw the progress bar even when stderr is not a terminal" },
  { name: "no-progress", doc: "never draw the progress bar" },
  { name: "design-file", value: "<file.json>", doc: "price a custom design too" },
  { name: "format", value: "text|json|csv|mail", doc: "output format (default text); progress goes to stderr only" },
];

export const SIMULATE_HELP = [
  "",
  "workload parameters (after the name, comma-separated):",
  ...WORKLOADS.flatMap((w) => [`  ${w.name}: ${w.summary}`, ...w.params.map((p) => `      ${p.name}=${p.value}  ${p.doc} (default ${p.default})`)]),
  "  trace: replay an event trace (format v" + TRACE_FORMAT_VERSION + ", see docs/simulator.md)",
  "      file=<path>  the trace file",
  "",
  "examples:",
  "  swapcost simulate --workload fill-free,peak=100% --used 25% --swap-size 64G",
  "  swapcost simulate --workload churn,s=0.9 --events 20M --mix zswap=80%,disk=20% --writeback 10%",
  "  swapcost overhead --design vswap-v6 --occupancy sim:mthp --used 50%",
].join("\n");

export interface SimulateEnv {
  /** Where the progress bar goes (stderr). */
  err(text: string): void;
  readonly isTTY: boolean;
  now(): number;
}

const DEFAULT_ENV: SimulateEnv = {
  err: (t) => process.stderr.write(t),
  get isTTY() {
    return Boolean(process.stderr.isTTY);
  },
  now: () => Date.now(),
};

/** A progress bar on stderr, drawn only for runs longer than a second, at most ten times a second. */
export function progressBar(env: SimulateEnv, enabled: boolean): { update(events: number, expected: number): void; done(): void } {
  const start = env.now();
  let last = 0;
  let drawn = false;
  return {
    update(events, expected) {
      if (!enabled) return;
      const t = env.now();
      if (t - start < 1000 || t - last < 100) return;
      last = t;
      const share = Math.min(1, expected > 0 ? events / expected : 0);
      const width = 30;
      const filled = Math.round(share * width);
      const rate = events / Math.max(0.001, (t - start) / 1000);
      env.err(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${(events / 1e6).toFixed(1)}M events, ${(rate / 1e6).toFixed(1)}M/s`);
      drawn = true;
    },
    done() {
      if (drawn) env.err("\r\x1b[K");
    },
  };
}

export function simulateCommand(argv: readonly string[], io: Io, env: SimulateEnv = DEFAULT_ENV): number {
  const args = parseArgs(argv, SIMULATE_FLAGS, "simulate");
  const format = parseFormat(args, ["text", "json", "csv", "mail"]);
  if (args.positionals.length) throw new SwapcostInputError("swapcost simulate", args.positionals.join(" "), "options only (did you mean --workload?)");
  const workloadText = str(args, "workload");
  if (!workloadText) throw new SwapcostInputError("--workload", "", `a workload: ${WORKLOADS.map((w) => w.name).join(", ")} or trace,file=<path>`, "missing");
  const workload = parseWorkloadSpec(workloadText);
  const size = parseSwapSize(args);
  if (Math.floor(size / 4096) > MAX_SIM_SLOTS) throw new SwapcostInputError("--swap-size", str(args, "swap-size"), "at most 4T (2^30 slots) for the simulator");
  const custom = loadCustomDesigns(args);
  const list = str(args, "designs") ?? "all";
  const designs: Design[] = list.trim() === "all" ? [...allDesigns(), ...custom.values()] : list.split(",").map((t) => designById(t, custom));
  const ids = designs.map((d) => d.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new SwapcostInputError("--designs", dup, "each design once");
  const mix = kindMixOf(parseMix(str(args, "mix") ?? "zswap=100%", "--mix").mix);
  const progressOn = !has(args, "no-progress") && (has(args, "progress") || env.isTTY);
  const bar = progressBar(env, progressOn);
  const opts: SimRunOptions = {
    swapSizeBytes: size,
    cpus: intParam(str(args, "cpus") ?? "8", "--cpus", 1, 1024),
    seed: parseCount(str(args, "seed") ?? "1", "--seed"),
    workload,
    traceText: readTrace(workload),
    usedShare: parseUsed(str(args, "used") ?? "50%", size),
    mix,
    writebackRate: parseShare(str(args, "writeback") ?? "0", "--writeback"),
    events: str(args, "events") === undefined ? null : parseCount(str(args, "events")!, "--events", 1),
    samples: parseCount(str(args, "samples") ?? "100", "--samples", 1, 100000),
    designs,
    memcg: !has(args, "no-memcg"),
    rotational: has(args, "rotational"),
    discard: has(args, "discard"),
    debug: has(args, "debug"),
    onProgress: (e, x) => bar.update(e, x),
  };
  let result;
  try {
    result = runSimulation(opts);
  } finally {
    bar.done();
  }
  if (format === "json") io.out(simulateJson(result));
  else if (format === "csv") io.out(simulateCsv(result));
  else if (format === "mail") io.out(simulateMail(result, designs));
  else io.out(simulateText(result));
  return 0;
}

