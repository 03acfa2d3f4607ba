/**
 * swapoff / transfer / reverse-map model throughput (every design, a grid of sizes and usage),
 * the calibration fit, and `swapcost swapoff --design all` start-to-answer. JSON lines.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { allDesigns } from "../src/designs/registry.js";
import { reverseMapTradeoff } from "../src/models/reverse-map.js";
import { usageOf } from "../src/models/scenario.js";
import { fitSwapoffCosts } from "../src/models/swapoff-calibration.js";
import { DEFAULT_COSTS } from "../src/models/swapoff-costs.js";
import { pathsOf } from "../src/models/swapoff-paths.js";
import { swapoff } from "../src/models/swapoff.js";
import { transfer } from "../src/models/transfer.js";
import { GiB } from "../src/units/bytes.js";

function line(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + "\n");
}

const designs = allDesigns().filter((d) => d.entryKinds.includes("disk"));
const POINTS = 20_000;
let checksum = 0;
let t0 = performance.now();
for (let i = 0; i < POINTS; i++) {
  const d = designs[i % designs.length];
  const size = (1 + (i % 64)) * GiB;
  const usage = usageOf(size, (i % 101) / 100, { disk: 1 });
  const r = swapoff({ design: d, swapSizeBytes: size, device: "ssd", usage, occupancy: { kind: "packed" }, memcg: true, cpus: 8, workload: { processes: 1 + (i % 4), mappedBytes: usage.disk * 4096 + (i % 8) * GiB }, costs: DEFAULT_COSTS });
  checksum += r.work.swapIns % 7;
}
let ms = performance.now() - t0;
line({ bench: "swapoff-model", points: POINTS, designs: designs.length, ms: Math.round(ms), evaluationsPerSec: Math.round(POINTS / (ms / 1000)), checksum });

t0 = performance.now();
for (let i = 0; i < POINTS; i++) {
  const d = designs[i % designs.length];
  const usage = usageOf(32 * GiB, 0.5, { disk: 0.5, zswap: 0.5 });
  const r = transfer({ design: d, from: i % 2 ? "zswap" : "hdd", to: "ssd", entries: 1 + (i % 100_000), usage, swapSizeBytes: 32 * GiB, occupancy: { kind: "packed" }, workload: { processes: 1, mappedBytes: 64 * GiB }, costs: DEFAULT_COSTS });
  checksum += r.work.entriesMoved % 3;
}
ms = performance.now() - t0;
line({ bench: "transfer-model", points: POINTS, ms: Math.round(ms), evaluationsPerSec: Math.round(POINTS / (ms / 1000)), checksum });

const virtual = designs.filter((d) => pathsOf(d).swapoff.method === "virtual");
t0 = performance.now();
const RM = 2_000;
for (let i = 0; i < RM; i++) {
  const d = virtual[i % virtual.length];
  const r = reverseMapTradeoff({ design: d, swapSizeBytes: (1 + (i % 64)) * GiB, device: "ssd", usage: usageOf((1 + (i % 64)) * GiB, 0.5, { disk: 0.5, zswap: 0.5 }), occupancy: { kind: "packed" }, memcg: true, cpus: 8, writebackShare: 1, workload: { processes: 1, mappedBytes: 0 }, costs: DEFAULT_COSTS });
  checksum += Math.round(r.rmap.bytes) % 5;
}
ms = performance.now() - t0;
line({ bench: "reverse-map-tradeoff", points: RM, ms: Math.round(ms), evaluationsPerSec: Math.round(RM / (ms / 1000)), checksum });

const rows = Array.from({ length: 200 }, (_, i) => ({ swappedPages: 4096 * (1 + (i % 13)), ptesInSwappedMm: 8192 * (1 + (i % 7)), ptesInOtherMm: 512 * (i % 5), slots: 262144 * (1 + (i % 3)), ns: 1e7 + 3000 * 4096 * (1 + (i % 13)) + 2 * 8192 * (1 + (i % 7)) }));
t0 = performance.now();
for (let i = 0; i < 100; i++) fitSwapoffCosts(rows);
ms = performance.now() - t0;
line({ bench: "calibration-fit-200-rows", fits: 100, msPerFit: Math.round((ms / 100) * 1000) / 1000 });

const runs: number[] = [];
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  const r = spawnSync(process.execPath, ["bin/swapcost.js", "swapoff", "--design", "all", "--mapped", "144G"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  runs.push(performance.now() - s);
}
runs.sort((a, b) => a - b);
line({ bench: "cli-swapoff-all-start-to-answer", runs: runs.length, medianMs: Math.round(runs[2]), minMs: Math.round(runs[0]), maxMs: Math.round(runs[4]) });
