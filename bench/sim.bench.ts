/**
 * Simulator throughput and memory (`npm run bench sim`). Each case runs in its own process so its
 * peak RSS is its own. Prints JSON lines:
 *   {"bench":"sim-fill-64G","eventsPerSec":…,"peakRssBytes":…}
 *
 * Targets (issue 8): ≥ 60 M events/s sequential fill and ≥ 8 M events/s 50/50 alloc/random-free
 * churn at 64 GiB, single-threaded; state ≤ 8 bytes per slot + O(clusters), so a 1 TiB device
 * (268 M slots) runs in under 2.5 GiB. The cases run the `direct` layer (the device's cluster
 * allocator) like the yardstick C allocator; `*-all-layers` cases run every layer at once.
 *
 * Each case first runs its workload on a 1 GiB device, untimed (JIT warm-up), as a C yardstick
 * would be compiled ahead of time. `eventsPerSec` is wall-clock; `eventsPerCpuSec` divides by the process's CPU time, which is what
 * to compare when other work shares the machine (`loadAverage` says how much did).
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { SwapSim } from "../src/sim/simulator.js";
import { createWorkload } from "../src/sim/run.js";
import { parseWorkloadSpec } from "../src/sim/workloads.js";
import type { SimLayerId } from "../src/models/placement.js";

const GiB = 2 ** 30;

interface Case {
  readonly name: string;
  readonly sizeBytes: number;
  readonly workload: string;
  readonly used: number;
  /** Steady-state events timed after the setup fill (churn); null: time the fill itself. */
  readonly events: number | null;
  readonly layers: readonly SimLayerId[];
  readonly cpus: number;
}

const ALL: readonly SimLayerId[] = ["backing", "vswap", "dynamic", "ghost"];
const CASES: readonly Case[] = [
  { name: "sim-fill-64G", sizeBytes: 64 * GiB, workload: "fill", used: 1, events: null, layers: [], cpus: 1 },
  { name: "sim-churn-64G", sizeBytes: 64 * GiB, workload: "random-churn", used: 0.5, events: 32_000_000, layers: [], cpus: 1 },
  { name: "sim-fill-1T", sizeBytes: 1024 * GiB, workload: "fill", used: 1, events: null, layers: [], cpus: 1 },
  { name: "sim-churn-1T", sizeBytes: 1024 * GiB, workload: "random-churn", used: 0.5, events: 32_000_000, layers: [], cpus: 1 },
  { name: "sim-churn-64G-8cpu", sizeBytes: 64 * GiB, workload: "random-churn", used: 0.5, events: 32_000_000, layers: [], cpus: 8 },
  { name: "sim-churn-64G-all-layers", sizeBytes: 64 * GiB, workload: "random-churn", used: 0.5, events: 8_000_000, layers: ALL, cpus: 8 },
  { name: "sim-zipf-churn-64G", sizeBytes: 64 * GiB, workload: "churn", used: 0.5, events: 16_000_000, layers: [], cpus: 8 },
];

/** Run the same workload on a 1 GiB device first, untimed, so the JIT has compiled the event loop. */
function warmUp(c: Case): void {
  const size = 1 * GiB;
  const sim = new SwapSim({ swapSizeBytes: size, cpus: c.cpus, layers: c.layers });
  const wl = createWorkload(sim, {
    swapSizeBytes: size, cpus: c.cpus, seed: 2, workload: parseWorkloadSpec(c.workload), usedShare: c.used,
    mix: { zswap: 1, zero: 0, disk: 0 }, writebackRate: 0, events: c.events === null ? null : 2_000_000, samples: 1, designs: [],
  });
  while (!wl.done) wl.advance(Number.MAX_SAFE_INTEGER);
}

function runCase(c: Case): Record<string, unknown> {
  warmUp(c);
  const sim = new SwapSim({ swapSizeBytes: c.sizeBytes, cpus: c.cpus, layers: c.layers });
  const wl = createWorkload(sim, {
    swapSizeBytes: c.sizeBytes,
    cpus: c.cpus,
    seed: 1,
    workload: parseWorkloadSpec(c.workload),
    usedShare: c.used,
    mix: { zswap: 1, zero: 0, disk: 0 },
    writebackRate: 0,
    events: c.events,
    samples: 1,
    designs: [],
  });
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let t0 = performance.now();
  let cpu0 = cpuSeconds();
  let e0 = 0;
  if (c.events !== null) {
    // setup: fill to the target (not timed)
    while (sim.live < Math.round(c.used * sim.direct.pages)) wl.advance(sim.counters.events + (1 << 20));
    t0 = performance.now();
    cpu0 = cpuSeconds();
    e0 = sim.counters.events;
  }
  while (!wl.done) wl.advance(Number.MAX_SAFE_INTEGER);
  const s = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds() - cpu0;
  const events = sim.counters.events - e0;
  const rss = process.resourceUsage().maxRSS * 1024;
  return {
    bench: c.name,
    eventsPerSec: Math.round(events / s),
    eventsPerCpuSec: Math.round(events / cpuS),
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    events,
    seconds: Math.round(s * 1000) / 1000,
    slots: sim.slots,
    live: sim.live,
    layers: ["direct", ...c.layers],
    peakRssBytes: rss,
    bytesPerSlot: Math.round((rss / sim.slots) * 100) / 100,
  };
}

const which = process.argv.indexOf("--case");
if (which > 0) {
  const c = CASES.find((x) => x.name === process.argv[which + 1]);
  if (!c) throw new Error(`unknown case ${process.argv[which + 1]}`);
  process.stdout.write(JSON.stringify(runCase(c)) + "\n");
} else {
  const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  for (const c of CASES) {
    if (only.length && !only.some((o) => c.name.includes(o))) continue;
    const r = spawnSync(process.execPath, ["--max-old-space-size=4096", "node_modules/tsx/dist/cli.mjs", "bench/sim.bench.ts", "--case", c.name], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) throw new Error(`${c.name} failed with exit code ${r.status}`);
    process.stdout.write(r.stdout);
  }
}
