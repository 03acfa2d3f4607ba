import { describe, expect, it } from "vitest";
import { allDesigns, resolveDesign } from "../../src/designs/registry.js";
import { breakEven, sweepOverhead, sweepStructures } from "../../src/sweep/overhead-sweep.js";
import { GiB } from "../../src/units/bytes.js";

const base = { swapSizeBytes: 32 * GiB, device: "auto" as const, memcg: true, occupancy: { kind: "packed" as const }, cpus: 8 };

describe("sweepOverhead", () => {
  it("returns one flat row per design x size x mix x accounting x used share, skipping designs that cannot hold the mix", () => {
    const rows = sweepOverhead({ designs: allDesigns(), swapSizesBytes: [32 * GiB], usedShares: [0, 0.5, 1], mixes: [{ mix: { disk: 1 } }], accountings: ["kernel", "letter"] });
    // ghost-swapfile cannot hold disk entries
    expect(rows).toHaveLength((allDesigns().length - 1) * 3 * 2);
    expect(rows.some((r) => r.design === "ghost-swapfile")).toBe(false);
    for (const r of rows) {
      expect(Number.isSafeInteger(r.totalBytes)).toBe(true);
      expect(r.totalBytes).toBe(r.staticBytes + r.dynamicBytes);
      expect(r.bytesPerUsedEntry === null).toBe(r.usedEntries === 0);
    }
  });

  it("structure rows sum to the totals of the same point", () => {
    const g = { designs: [resolveDesign("vswap-v6"), resolveDesign("linux-6.19")], swapSizesBytes: [16 * GiB], usedShares: [0.3], mixes: [{ mix: { zswap: 0.7, disk: 0.3 } }] };
    const totals = sweepOverhead(g);
    const parts = sweepStructures(g);
    for (const t of totals) {
      expect(parts.filter((p) => p.design === t.design).reduce((a, p) => a + p.bytes, 0)).toBe(t.totalBytes);
    }
  });
});

describe("breakEven", () => {
  it("vswap-v3 overtakes linux-6.19 (letter accounting, zswap) between 25% and 50% used, where the two totals cross", () => {
    const be = breakEven(resolveDesign("vswap-v3"), resolveDesign("linux-6.19"), { ...base, accounting: "letter", mix: { zswap: 1 } });
    expect(be).not.toBeNull();
    // 25 MiB static vs 0; 16 B vs 24.125 B per entry: 25 MiB / 8.125 B ≈ 3.23 M entries ≈ 38.5%
    expect(be!.usedShare).toBeGreaterThan(0.38);
    expect(be!.usedShare).toBeLessThan(0.39);
  });
  it("is null when one design is cheaper over the whole range", () => {
    expect(breakEven(resolveDesign("swap-table-p4"), resolveDesign("linux-6.19"), { ...base, accounting: "letter", mix: { disk: 1 } })).toBeNull();
  });
});
