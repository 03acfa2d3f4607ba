/**
 * The golden trace (fixtures/golden.trace), with every placement derived by hand from the kernel
 * code the allocators follow. Device: 6 MiB = 1536 slots = clusters 0, 1, 2; slot 0 is the header,
 * so cluster 0 starts on nonfull_clusters[0] and clusters 1, 2 on the free list.
 *
 *  1 out a 0 zswap 0  direct: CPU 0 has no cluster; nonfull[0] gives cluster 0 → slot 1 (then frag[0]).
 *                     vswap: new cluster 0, entry 0 invalid → slot 1, cached on CPU 0.
 *                     dynamic and ghost: as direct → slot 1. backing: not a disk entry.
 *  2 out b 0 disk 1   direct: CPU 1; nonfull[0] is empty (cluster 0 is on frag[0]) → free list →
 *                     cluster 1 → slot 512. vswap: new cluster 1 → 512 (cached on CPU 1).
 *                     dynamic: nonfull[0] empty → alloc_swap_scan_dynamic → index 1 → 512.
 *                     ghost: a direct disk entry holds no ghost slot. backing: nonfull[0] → slot 1.
 *  3 out c 4 zswap 0  direct: nonfull[4] empty → free list → cluster 2 → slots 1024..1039 (order 4).
 *                     vswap: new cluster 2 → 1024. dynamic: index 2 → 1024.
 *                     ghost: its free list still holds cluster 1 (b skipped it) → 512..527.
 *  4 wb a 0 0         backing: CPU 0, nonfull[0] empty (cluster 0 is on frag[0]) → free list →
 *                     cluster 1 → slot 512. a becomes a written-back disk entry everywhere.
 *  5 dup c / 6 in c   a second reference, then one dropped: c stays.
 *  7 free b           direct: cluster 1 empties → free list. vswap: cluster 1 empties but CPU 1
 *                     caches it → kept. dynamic: cluster 1 freed (index released).
 *                     backing: slot 1 freed, cluster 0 keeps only the header → nonfull[0].
 *  8 out d 0 zero 1   direct: CPU 1's offset points into free cluster 1 (not usable) → nonfull[0]
 *                     empty → free list → cluster 1 → 512. vswap: CPU 1's cached cluster 1 → 512.
 *                     dynamic: index 1 again → 512. ghost: clusters 0 (a) and 1 (c) are on frag
 *                     lists → free list → cluster 2 → 1024.
 *  9 exit c           c's last reference: direct cluster 2 and ghost cluster 1 go back to the free
 *                     list; vswap cluster 2 stays (cached on CPU 0 for order 4); dynamic frees it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import { KIND_WRITTEN, KIND_ZERO } from "../../src/sim/layer.js";
import { occupancyHistogram } from "../../src/sim/measure.js";
import { runSimulation } from "../../src/sim/run.js";
import { SwapSim } from "../../src/sim/simulator.js";
import { TraceWorkload } from "../../src/sim/trace.js";
import { parseWorkloadSpec, type WorkloadContext } from "../../src/sim/workloads.js";

const GOLDEN = path.resolve("test/sim/fixtures/golden.trace");
const CTX: WorkloadContext = { seed: 1, usedShare: 0, mix: { zswap: 1, zero: 0, disk: 0 }, writebackRate: 0, events: null };

function replay(text: string, sizeBytes = 6 * 2 ** 20, cpus = 2): SwapSim {
  const sim = new SwapSim({ swapSizeBytes: sizeBytes, cpus, layers: ["backing", "vswap", "dynamic", "ghost"], debug: true });
  const t = new TraceWorkload(sim, text, "trace", CTX);
  while (!t.done) t.advance(Number.MAX_SAFE_INTEGER);
  return sim;
}

function liveSlots(sim: SwapSim, id: "direct" | "backing" | "vswap" | "dynamic" | "ghost"): number[] {
  const l = sim.layer(id)!;
  const out: number[] = [];
  for (let s = 1; s < l.slots; s++) if (l.isSet(s)) out.push(s); // slot 0: the header (never an entry)
  return out;
}

describe("golden trace (hand-checked placement)", () => {
  const sim = replay(readFileSync(GOLDEN, "utf8"));

  it("leaves a (written back) and d (zero) live: 2 entries, 9 events", () => {
    expect(sim.live).toBe(2);
    expect(sim.counters.events).toBe(9);
    expect(sim.liveByKind[KIND_WRITTEN]).toBe(1);
    expect(sim.liveByKind[KIND_ZERO]).toBe(1);
    expect(sim.kindOf(1)).toBe(KIND_WRITTEN);
    expect(sim.kindOf(512)).toBe(KIND_ZERO);
  });

  it.each([
    ["direct", [1, 512]],
    ["backing", [512]],
    ["vswap", [1, 512]],
    ["dynamic", [1, 512]],
    ["ghost", [1, 1024]],
  ] as const)("%s layer holds slots %j", (id, slots) => {
    expect(liveSlots(sim, id)).toEqual(slots);
  });

  it("cluster lists and on-demand clusters end as derived", () => {
    expect(sim.direct.listClusters("free")).toEqual([2]);
    expect(sim.direct.listClusters("frag", 0)).toEqual([0, 1]);
    expect(sim.backing!.listClusters("nonfull", 0)).toEqual([0]);
    expect(sim.ghost!.listClusters("free")).toEqual([1]);
    expect(sim.dynamic!.clustersCreated).toBe(3);
    expect(sim.dynamic!.clustersReleased).toBe(2);
    expect(sim.vswap!.clustersCreated).toBe(3);
    expect(sim.vswap!.clustersReleased).toBe(0);
    expect(Array.from(sim.vswap!.cached.slice(0, 3))).toEqual([1, 1, 1]); // CPU 0 order 0, CPU 1 order 0, CPU 0 order 4
  });

  it("occupancy histograms: clusters in use and existing per layer", () => {
    const h = (id: "direct" | "backing" | "vswap" | "dynamic" | "ghost") => {
      const x = occupancyHistogram(sim.layer(id)!);
      return [x.inUse, x.existing];
    };
    expect(h("direct")).toEqual([2, 3]);
    expect(h("backing")).toEqual([1, 3]);
    expect(h("vswap")).toEqual([2, 3]); // cluster 2 is empty but cached
    expect(h("dynamic")).toEqual([2, 2]);
    expect(h("ghost")).toEqual([2, 3]);
  });

  it("prices linux-7.1's swap tables from it: clusters 0 and 1 in use, cluster 0's table came at swapon", () => {
    const r = runSimulation({
      swapSizeBytes: 6 * 2 ** 20,
      cpus: 2,
      seed: 1,
      workload: parseWorkloadSpec(`trace,file=${GOLDEN}`),
      traceText: readFileSync(GOLDEN, "utf8"),
      usedShare: 0,
      mix: { zswap: 1, zero: 0, disk: 0 },
      writebackRate: 0,
      events: null,
      samples: 1,
      designs: [resolveDesign("linux-7.1")],
    });
    const rows = r.designs[0].rows;
    expect(rows.find((x) => x.structure === "swap_table")).toMatchObject({ count: 1, bytes: 4096 });
    expect(r.usage).toEqual({ disk: 1, zswap: 0, zero: 1, cache: 0 });
    expect(r.writebackShare).toBe(1);
  });
});

describe("trace format", () => {
  it("replays comments, blank lines, ranges in exit and splits a folio the device cannot place", () => {
    const text = ["# two processes", "", "out 1 0 zswap", "out 2 0 zswap 1  # on CPU 1", "out 3 9 disk", "out 4 9 disk", "exit 1-2", "in 3"].join("\n");
    // clusters 0..2: 1 goes to cluster 0, 2 (CPU 1) to cluster 1, 3 takes the last free cluster, 4
    // finds none and is split into 512 order-0 pages
    const sim = replay(text);
    expect(sim.live).toBe(512);
    expect(sim.counters.swapOutFailures).toBe(1);
    sim.verify();
  });

  it("swapoff forgets every folio", () => {
    expect(() => replay("out a 0 zswap\nswapoff\nin a")).toThrow(/trace:3: unknown folio/);
  });

  it.each([
    ["out a 10 zswap", /order between 0 and 9/],
    ["out a 0 ssd", /a backend: zswap, zero or disk/],
    ["out a 0 zswap 7", /cpu between 0 and 1/],
    ["in nobody", /unknown folio/],
    ["out a 0 zswap\nout a 0 zswap", /the id is still live/],
    ["out a 0 zswap\ndup a\nfree a", /unshared folio/],
    ["out a 0 disk\nwb a", /not in zswap/],
    ["jump a", /an event: out, in, free, dup, wb, exit, swapoff or sample/],
  ])("rejects %j with the line number", (text, why) => {
    expect(() => replay(text)).toThrow(why);
  });
});
