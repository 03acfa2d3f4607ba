import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import { overhead, type Usage } from "../../src/models/overhead.js";
import { reverseMapSweep, reverseMapTradeoff, type ReverseMapInput } from "../../src/models/reverse-map.js";
import { DEFAULT_COSTS, withOverrides } from "../../src/models/swapoff-costs.js";
import { GiB, TiB } from "../../src/units/bytes.js";

const N32 = (32 * GiB) / 4096;

function input(id: string, usage: Usage, extra: Partial<ReverseMapInput> = {}): ReverseMapInput {
  return {
    design: resolveDesign(id),
    swapSizeBytes: 32 * GiB,
    device: "ssd",
    usage,
    occupancy: { kind: "packed" },
    memcg: true,
    cpus: 8,
    workload: { processes: 1, mappedBytes: 64 * GiB },
    costs: DEFAULT_COSTS,
    ...extra,
  };
}

const HALF_DISK: Usage = { disk: N32 / 4, zswap: N32 / 4, zero: 0, cache: 0 };

describe("reverse map memory: 8 B per disk-backed entry at cluster granularity (the overhead model's row)", () => {
  it.each(["vswap-v3", "vswap-v6", "vswap-ste-v1", "vswap-ste-v2", "ghost-p4"])("%s: 4 KiB per physical cluster holding disk-backed entries", (id) => {
    const r = reverseMapTradeoff(input(id, HALF_DISK));
    const row = overhead({ design: resolveDesign(id), swapSizeBytes: 32 * GiB, device: "ssd", memcg: true, usage: HALF_DISK, occupancy: { kind: "packed" }, accounting: "kernel", cpus: 8 }).rows.find((x) => x.structure === "swap_table" && x.layer === "physical")!;
    expect(r.rmap.bytes).toBe(row.bytes);
    expect(r.designHasReverseMap).toBe(true);
    // packed entries fill whole clusters: 8 B per entry, give or take the header cluster (tabled at swapon or not, per design)
    expect(Math.abs(r.rmap.bytes - (N32 / 4) * 8)).toBeLessThanOrEqual(4096);
    expect(r.rmap.bytes % 4096).toBe(0);
  });
  it("the RFCs keep it in an xarray (their own row)", () => {
    expect(reverseMapTradeoff(input("vswap-rfc-v1", HALF_DISK)).rmap.basis).toMatch(/vswap_rmap/);
  });
  it("redirect has none: the what-if map is a swap table per physical cluster in use", () => {
    const r = reverseMapTradeoff(input("redirect", HALF_DISK, { writebackShare: 1 }));
    expect(r.designHasReverseMap).toBe(false);
    expect(r.rmap.basis).toMatch(/what-if/);
    expect(r.rmap.bytes).toBe(r.rmap.physicalClustersInUse * 4096);
  });
});

describe("the work it changes, and the break-even", () => {
  const r = reverseMapTradeoff(input("vswap-v6", HALF_DISK));
  it("with: two rounds over the device's slots + 2 lookups per entry; without: 2 x the in-use virtual slots", () => {
    expect(r.swapoff.withRmap.work.slotsScanned).toBe(N32 - 1 + N32 / 4);
    expect(r.swapoff.withRmap.work.rmapLookups).toBe(2 * (N32 / 4));
    const vSlots = Math.ceil((1 + N32 / 2) / 512) * 512; // in-use virtual clusters, packed from virtual slot 1
    expect(r.swapoff.withoutRmap.work.virtualSlotsScanned).toBe(2 * vSlots);
    expect(r.swapoff.scanWithNs).toBeCloseTo((N32 - 1 + N32 / 4) * 1 + 2 * (N32 / 4) * 10, 6);
    expect(r.swapoff.scanWithoutNs).toBeCloseTo(2 * vSlots * 2, 6);
    expect(r.swapoff.savedNs).toBeCloseTo(r.swapoff.scanWithoutNs - r.swapoff.scanWithNs, 6);
  });
  it("at the break-even number of in-use virtual slots both scans cost the same", () => {
    expect(2 * r.breakEven.virtualSlotsAtBreakEven * DEFAULT_COSTS.params.descScanNs.value).toBeCloseTo(r.swapoff.scanWithNs, 3);
    expect(r.breakEven.virtualToDeviceSlotRatio).toBeCloseTo(r.breakEven.virtualSlotsAtBreakEven / N32, 12);
    expect(r.breakEven.statement).toMatch(/Break-even/);
  });
  it("writeback and per-entry tier moves only pay for it", () => {
    expect(r.writeback.savedNsPerEntry).toBe(0);
    expect(r.writeback.extraNsPerEntry).toBe(DEFAULT_COSTS.params.rmapUpdateNs.value);
    expect(r.tierMove.perEntryExtraNs).toBe(2 * DEFAULT_COSTS.params.rmapUpdateNs.value);
  });
  it("when scanning descriptors is dear, the map saves swapoff time, and the writebacks per swapoff that eat the saving are stated", () => {
    const dear = reverseMapTradeoff(input("vswap-v6", HALF_DISK, { costs: withOverrides(DEFAULT_COSTS, { descScanNs: 50 }), writebacksPerSwapoff: 1000 }));
    expect(dear.swapoff.savedNs).toBeGreaterThan(0);
    expect(dear.breakEven.writebacksPerSwapoff).toBeCloseTo(dear.swapoff.savedNs / DEFAULT_COSTS.params.rmapUpdateNs.value, 6);
    expect(dear.breakEven.netNsPerCycle).toBeCloseTo(dear.swapoff.savedNs - 1000 * DEFAULT_COSTS.params.rmapUpdateNs.value, 6);
  });
  it("direct-mapped designs have nothing to trade", () => {
    expect(() => reverseMapTradeoff(input("linux-6.12", HALF_DISK))).toThrow(/virtual layer/);
  });
  it("more zswap entries beside the same disk entries widen the rmap-less scan, not the rmap's memory", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: N32 / 4 }), fc.integer({ min: 0, max: N32 / 4 }), fc.integer({ min: 0, max: N32 / 4 }), (disk, z, dz) => {
        const a = reverseMapTradeoff(input("vswap-v6", { disk, zswap: z, zero: 0, cache: 0 }));
        const b = reverseMapTradeoff(input("vswap-v6", { disk, zswap: z + dz, zero: 0, cache: 0 }));
        return b.rmap.bytes === a.rmap.bytes && b.swapoff.scanWithoutNs >= a.swapoff.scanWithoutNs && b.swapoff.scanWithNs === a.swapoff.scanWithNs;
      }),
      { numRuns: 1000 },
    );
  });
});

describe("reverseMapSweep", () => {
  it("one row per size x used share x disk share", () => {
    const rows = reverseMapSweep(
      { design: resolveDesign("vswap-v6"), device: "ssd", occupancy: { kind: "packed" }, memcg: true, cpus: 8, workload: { processes: 1, mappedBytes: 0 }, costs: DEFAULT_COSTS },
      { swapSizesBytes: [8 * GiB, 64 * GiB, 1 * TiB], usedShares: [0.1, 0.5, 1], diskShares: [0.1, 0.9] },
    );
    expect(rows).toHaveLength(18);
    for (const row of rows) expect(row.rmapBytes).toBeGreaterThanOrEqual(0);
    const big = rows.filter((x) => x.swapSizeBytes === 1 * TiB && x.usedShare === 1 && x.diskShare === 0.9)[0];
    expect(big.rmapBytes / (Math.round(((1 * TiB) / 4096 - 1) * 0.9))).toBeCloseTo(8, 1);
  });
});
