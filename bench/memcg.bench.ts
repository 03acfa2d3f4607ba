/**
 * memcg charging model: wall time of representative runs, and CLI start-to-answer for
 * `swapcost memcg`. Prints JSON lines: {"bench": ..., ...}.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { allDesigns, resolveDesign } from "../src/designs/registry.js";
import { memcg, type CgroupSpec } from "../src/models/memcg.js";
import { memcgRuleIds } from "../src/models/memcg-rules.js";
import { GiB } from "../src/units/bytes.js";

function line(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + "\n");
}

function time(name: string, reps: number, f: () => number): void {
  const ms: number[] = [];
  let checksum = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    checksum += f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  line({ bench: name, reps, medianMs: Math.round(ms[Math.floor(reps / 2)]), minMs: Math.round(ms[0]), checksum });
}

const sizes = [
  { compressedBytes: 900, weight: 1 },
  { compressedBytes: 1500, weight: 2 },
  { compressedBytes: 2600, weight: 1 },
];

// one cgroup, 32 GiB pushed out, zswap capped at 4 GiB (the second-chance writeback regime)
time("memcg-6.12-32G-zswapmax", 3, () => {
  const r = memcg({
    design: resolveDesign("linux-6.12"),
    system: { swapDeviceBytes: 64 * GiB },
    cgroups: [{ name: "a", zswapMaxBytes: 4 * GiB, workload: { anonBytes: 32 * GiB, compressibility: { kind: "sizes", sizes }, zeroShare: 0.1, incompressibleShare: 0.05 } }],
  });
  return r.cgroups[0].counters["memory.zswap.current"] % 97;
});

// zbud pairing simulation at 8 Mi objects (simulated 1 Mi, scaled)
time("memcg-6.1-zbud-32G", 3, () => {
  const r = memcg({ design: resolveDesign("linux-6.1"), system: { swapDeviceBytes: 64 * GiB, zpool: "zbud" }, cgroups: [{ name: "a", workload: { anonBytes: 32 * GiB, compressibility: { kind: "sizes", sizes } } }] });
  return r.totals.pool.pages % 97;
});

// every design, two tenants under memory.max pressure sharing a parent's memory.swap.max
const tenants: CgroupSpec[] = [
  { name: "parent", swapMaxBytes: 4 * GiB, memoryMaxBytes: 6 * GiB },
  { name: "a", parent: "parent", zswapMaxBytes: 1 * GiB, workload: { anonBytes: 8 * GiB, reclaim: "limit", compressibility: { kind: "sizes", sizes }, zeroShare: 0.1, incompressibleShare: 0.05 } },
  { name: "b", parent: "parent", workload: { anonBytes: 4 * GiB, reclaim: "limit", compressibility: { kind: "ratio", ratio: 2.5 } } },
];
const designs = allDesigns().filter((d) => memcgRuleIds().includes(d.id));
time(`memcg-all-designs-two-tenants`, 3, () => designs.reduce((a, d) => a + (memcg({ design: d, cgroups: tenants }).cgroups[0].counters["memory.current"] % 97), 0));

const runs: number[] = [];
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  const r = spawnSync(process.execPath, ["bin/swapcost.js", "memcg", "--designs", "linux-6.12,vswap-v6", "--swap-max", "0", "--anon", "4G", "--compression-ratio", "3"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  runs.push(performance.now() - s);
}
runs.sort((a, b) => a - b);
line({ bench: "cli-memcg-two-designs", reps: runs.length, medianMs: Math.round(runs[2]), minMs: Math.round(runs[0]) });
