/**
 * Overhead model throughput over a 1e6-point sweep, and CLI start-to-answer time.
 * Prints JSON lines: {"bench": ..., ...}.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { allDesigns } from "../src/designs/registry.js";
import { overhead, type Usage } from "../src/models/overhead.js";
import { GiB } from "../src/units/bytes.js";

function line(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + "\n");
}

const designs = allDesigns();
const occupancies = [{ kind: "packed" }, { kind: "random" }, { kind: "mean", entriesPerCluster: 64 }] as const;
const POINTS = 1_000_000;
let checksum = 0;
const t0 = performance.now();
for (let i = 0; i < POINTS; i++) {
  const d = designs[i % designs.length];
  const size = (1 + (i % 64)) * GiB;
  const usable = size / 4096 - 1;
  const used = Math.floor(usable * ((i % 101) / 100));
  const zswap = d.entryKinds.includes("disk") ? Math.floor(used / 2) : used;
  const usage: Usage = { zswap, disk: used - zswap, zero: 0, cache: 0 };
  const device = d.devices.includes("ssd") ? "ssd" : "none";
  const r = overhead({ design: d, swapSizeBytes: size, device: usage.disk === 0 && d.devices.includes("none") ? "none" : device, memcg: true, usage, occupancy: occupancies[i % 3], accounting: "kernel", cpus: 8 });
  checksum += r.totals.bytes % 7;
}
const ms = performance.now() - t0;
line({ bench: "overhead-sweep-1e6", points: POINTS, designs: designs.length, ms: Math.round(ms), evaluationsPerSec: Math.round(POINTS / (ms / 1000)), checksum });

const runs: number[] = [];
for (let i = 0; i < 7; i++) {
  const s = performance.now();
  const r = spawnSync(process.execPath, ["bin/swapcost.js", "overhead", "--design", "vswap-v6", "--swap-size", "32G", "--used", "50%"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  runs.push(performance.now() - s);
}
runs.sort((a, b) => a - b);
line({ bench: "cli-overhead-start-to-answer", runs: runs.length, medianMs: Math.round(runs[3]), minMs: Math.round(runs[0]), maxMs: Math.round(runs[runs.length - 1]) });
