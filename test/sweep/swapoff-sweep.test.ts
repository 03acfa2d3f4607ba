import { describe, expect, it } from "vitest";
import { allDesigns, resolveDesign } from "../../src/designs/registry.js";
import { usageOf } from "../../src/models/scenario.js";
import { DEFAULT_COSTS } from "../../src/models/swapoff-costs.js";
import { swapoff } from "../../src/models/swapoff.js";
import { transfer } from "../../src/models/transfer.js";
import { sweepSwapoff, sweepTransfer } from "../../src/sweep/swapoff-sweep.js";
import { GiB } from "../../src/units/bytes.js";

describe("sweepSwapoff", () => {
  const designs = ["linux-6.12", "vswap-v6", "ghost-swapfile"].map((id) => resolveDesign(id));
  const rows = sweepSwapoff({ designs, swapSizesBytes: [8 * GiB, 32 * GiB], usedShares: [0.25, 0.5], mappedBytes: [null, 128 * GiB], costs: DEFAULT_COSTS });
  it("one row per design x size x used x mapped; designs that cannot hold the mix are left out (ghost-swapfile, disk)", () => {
    expect(rows).toHaveLength(2 * 2 * 2 * 2);
    expect(rows.some((r) => r.design === "ghost-swapfile")).toBe(false);
  });
  it("each row is the model's answer for its point", () => {
    const row = rows.find((r) => r.design === "linux-6.12" && r.swapSizeBytes === 32 * GiB && r.usedShare === 0.5 && r.mappedBytes === 128 * GiB)!;
    const direct = swapoff({ design: resolveDesign("linux-6.12"), swapSizeBytes: 32 * GiB, device: "ssd", usage: usageOf(32 * GiB, 0.5, { disk: 1 }), occupancy: { kind: "packed" }, memcg: true, cpus: 8, workload: { processes: 1, mappedBytes: 128 * GiB }, costs: DEFAULT_COSTS });
    expect(row.ptesScanned).toBe(direct.work.ptesScanned);
    expect(row.realNs).toBe(direct.estimate.realNs);
    expect(row.method).toBe("PTE walk");
  });
  it("mapped null = the swapped data itself", () => {
    const row = rows.find((r) => r.design === "linux-6.12" && r.swapSizeBytes === 8 * GiB && r.usedShare === 0.25 && r.mappedGiB < 10)!;
    expect(row.mappedBytes).toBe(usageOf(8 * GiB, 0.25, { disk: 1 }).disk * 4096);
  });
  it("the virtual layer's time does not depend on the mapped span", () => {
    const v = rows.filter((r) => r.design === "vswap-v6" && r.swapSizeBytes === 32 * GiB && r.usedShare === 0.5);
    expect(v).toHaveLength(2);
    expect(v[0].realNs).toBe(v[1].realNs);
  });
});

describe("sweepTransfer", () => {
  it("zswap writeback of 1 and 4 GiB for every design that can write back", () => {
    const rows = sweepTransfer({ designs: allDesigns(), from: "zswap", to: "ssd", movedBytes: [1 * GiB, 4 * GiB], swapSizeBytes: 32 * GiB, usedShare: 0.5, mix: { zswap: 0.5, disk: 0.5 }, mappedBytes: 64 * GiB, costs: DEFAULT_COSTS });
    const ids = new Set(rows.map((r) => r.design));
    expect(ids.has("ghost-swapfile")).toBe(false);
    expect(ids.has("linux-6.12")).toBe(true);
    expect(rows.length).toBe(ids.size * 2);
    const r = rows.find((x) => x.design === "vswap-v6" && x.movedGiB === 4)!;
    const direct = transfer({ design: resolveDesign("vswap-v6"), from: "zswap", to: "ssd", entries: 4 * 262144, usage: usageOf(32 * GiB, 0.5, { zswap: 0.5, disk: 0.5 }), swapSizeBytes: 32 * GiB, occupancy: { kind: "packed" }, workload: { processes: 1, mappedBytes: 64 * GiB }, costs: DEFAULT_COSTS });
    expect(r.realNs).toBe(direct.estimate.realNs);
    expect(r.descriptorUpdates).toBe(4 * 262144);
  });
});
