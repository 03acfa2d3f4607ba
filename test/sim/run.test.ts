import { describe, expect, it } from "vitest";
import { allDesigns, resolveDesign } from "../../src/designs/registry.js";
import { placementOf } from "../../src/models/placement.js";
import { layersFor, runSimulation, type SimRunOptions } from "../../src/sim/run.js";
import { parseWorkloadSpec } from "../../src/sim/workloads.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function opts(o: Partial<SimRunOptions> & { workload?: SimRunOptions["workload"] }): SimRunOptions {
  return {
    swapSizeBytes: 256 * MiB,
    cpus: 4,
    seed: 1,
    workload: parseWorkloadSpec("fill,cpus=1"),
    usedShare: 0.5,
    mix: { zswap: 1, zero: 0, disk: 0 },
    writebackRate: 0,
    events: null,
    samples: 5,
    designs: allDesigns(),
    ...o,
  };
}

describe("design placement", () => {
  it.each([
    ["linux-6.19", "direct", null],
    ["swap-table-p4", "direct", null],
    ["swap-tiers", "direct", null],
    ["vswap-v6", "backing", "vswap"],
    ["vswap-rfc-v1", "backing", "vswap"],
    ["vswap-ste-v2", "backing", "dynamic"],
    ["ghost-p4", "backing", "dynamic"],
    ["redirect", "backing", "ghost"],
    ["ghost-swapfile", null, "ghost"],
  ])("%s: physical %s, virtual %s", (id, physical, virtual) => {
    const p = placementOf(resolveDesign(id));
    expect([p.physical, p.virtual]).toEqual([physical, virtual]);
    expect(p.sources.length).toBeGreaterThan(0);
  });

  it("runs only the layers the designs need, direct always", () => {
    expect(layersFor([resolveDesign("linux-7.1")])).toEqual(["direct"]);
    expect(layersFor([resolveDesign("vswap-v6"), resolveDesign("ghost-p4")])).toEqual(["direct", "backing", "vswap", "dynamic"]);
  });
});

describe("runSimulation", () => {
  it("a single-CPU fill reproduces the packed analytic cost of every design exactly", () => {
    // 40 001 entries: E and E + 1 need the same number of chunks at every size, so the one-slot
    // offset of a layer whose model has no header (vswap's invalid entry 0) cannot change a count
    const r = runSimulation(opts({ usedShare: 40_001 / (64 * 1024 - 1), samples: 1 }));
    expect(r.samples[r.samples.length - 1].live).toBe(40_001);
    for (const d of r.designs) {
      if (!d.cost) continue;
      expect(d.cost.measured.dynamicBytes, d.id).toBe(d.cost.packed.dynamicBytes);
      expect(d.cost.measured.staticBytes, d.id).toBe(d.cost.packed.staticBytes);
    }
    expect(r.designs.filter((d) => d.cost).length).toBe(19);
  });

  it("fill then uniformly random frees lands within 1% of the random analytic cost (16 GiB, 0.5% left)", () => {
    const r = runSimulation(
      opts({
        swapSizeBytes: 16 * GiB,
        workload: parseWorkloadSpec("fill-free,peak=100%,cpus=1"),
        usedShare: 0.005,
        designs: [resolveDesign("linux-7.1"), resolveDesign("swap-table-p4")],
        samples: 1,
      }),
    );
    for (const d of r.designs) {
      const c = d.cost!;
      expect(Math.abs(c.measured.dynamicBytes / c.random.dynamicBytes - 1), d.id).toBeLessThan(0.01);
    }
  });

  it("samples the run: events grow, the last sample is the final state, every design priced at every sample", () => {
    const r = runSimulation(opts({ workload: parseWorkloadSpec("random-churn"), events: 50_000, samples: 10, mix: { zswap: 0.5, zero: 0.2, disk: 0.3 }, writebackRate: 0.2 }));
    expect(r.samples.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < r.samples.length; i++) expect(r.samples[i].event).toBeGreaterThan(r.samples[i - 1].event);
    expect(r.samples[r.samples.length - 1].event).toBe(r.counters.events);
    const last = r.samples[r.samples.length - 1];
    expect(last.live).toBe(r.usage.disk + r.usage.zswap + r.usage.zero);
    expect(r.usage.disk).toBe(last.byKind.direct + last.byKind.written);
    // the ghost swapfile cannot hold disk entries; every other design is priced
    expect(last.designs["ghost-swapfile"]).toBeNull();
    expect(r.designs.find((d) => d.id === "ghost-swapfile")!.skipped).toMatch(/cannot hold/);
    for (const d of r.designs.filter((x) => x.id !== "ghost-swapfile")) expect(last.designs[d.id]).not.toBeNull();
  });

  it("is deterministic: the same options give the same result", () => {
    const o = opts({ workload: parseWorkloadSpec("churn,s=0.8"), events: 20_000, samples: 3, designs: [resolveDesign("vswap-v6"), resolveDesign("linux-7.1")] });
    expect(JSON.stringify(runSimulation(o))).toBe(JSON.stringify(runSimulation(o)));
  });

  it("a fragmenting workload costs more than packed, never less than the packed floor for cluster-granular tables", () => {
    const r = runSimulation(opts({ workload: parseWorkloadSpec("fill-free,peak=100%"), usedShare: 0.1, designs: [resolveDesign("linux-7.1"), resolveDesign("vswap-v6")] }));
    for (const d of r.designs) {
      expect(d.cost!.measured.dynamicBytes, d.id).toBeGreaterThan(d.cost!.packed.dynamicBytes);
      const table = d.rows.find((x) => x.structure === "swap_table" || x.structure === "vswap_desc")!;
      expect(table.bytes).toBeGreaterThanOrEqual(table.packedBytes);
    }
  });

  it("hands a SimulatedPlacement with every layer it ran", () => {
    const r = runSimulation(opts({ designs: [resolveDesign("redirect")], mix: { zswap: 0.5, zero: 0, disk: 0.5 } }));
    expect(Object.keys(r.placement.layers).sort()).toEqual(["backing", "direct", "ghost"]);
    expect(r.placement.usage).toEqual(r.usage);
  });

  it("rejects options it cannot run", () => {
    expect(() => runSimulation(opts({ seed: -1 }))).toThrow(/--seed/);
    expect(() => runSimulation(opts({ samples: 0 }))).toThrow(/--samples/);
    expect(() => runSimulation(opts({ mix: { zswap: 0.5, zero: 0, disk: 0 } }))).toThrow(/sum to 100%/);
  });
});
