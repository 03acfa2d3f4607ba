import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { chunkUse, driverMask, parseOccupancy, unreservedChunksInUse, xarrayNodes } from "../../src/models/occupancy.js";

const C = 16384; // clusters of a 32 GiB device
const N = C * 512;
const space = { slots: N, leadingReserved: 0 };

describe("chunkUse", () => {
  it("packed fill uses ceil(entries / 512) clusters", () => {
    for (const e of [1, 511, 512, 513, 1_000_000, N]) {
      expect(chunkUse(e, space, 512, { kind: "packed" }).inUse).toBe(Math.ceil(e / 512));
    }
  });

  it("random placement follows C * (1 - (1 - u)^512)", () => {
    for (const u of [0.001, 0.01, 0.1, 0.5]) {
      const e = Math.round(N * u);
      const expected = C * (1 - Math.pow(1 - e / N, 512));
      expect(chunkUse(e, space, 512, { kind: "random" }).inUse).toBeCloseTo(expected, 6);
    }
  });

  it("mean occupancy n uses ceil(entries / n) clusters", () => {
    expect(chunkUse(1000, space, 512, { kind: "mean", entriesPerCluster: 10 }).inUse).toBe(100);
    expect(chunkUse(N, space, 512, { kind: "mean", entriesPerCluster: 10 }).inUse).toBe(C);
  });

  it("every placement stays within ceil(E/s) <= chunks <= min(C, E) (property, 1000 cases)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 2 ** 26 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(64, 512, 4096, 16384),
        fc.constantFrom<"packed" | "random" | "mean">("packed", "random", "mean"),
        fc.integer({ min: 1, max: 512 }),
        (slots, u, s, kind, n) => {
          const sp = { slots, leadingReserved: 1 };
          const e = Math.floor((slots - 1) * u);
          const occ = kind === "mean" ? { kind, entriesPerCluster: n } as const : { kind } as const;
          const use = chunkUse(e, sp, s, occ);
          if (e === 0) return use.inUse === 0;
          return use.inUse >= Math.ceil(e / s) - 1e-9 && use.inUse <= Math.min(Math.ceil(slots / s), e) + 1e-9 && Number.isFinite(use.inUse);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("reserved clusters", () => {
  it("packed: the header cluster's table came at swapon, so the first dynamic table appears at entry 512", () => {
    const sp = { slots: N, leadingReserved: 1 };
    expect(unreservedChunksInUse(511, sp, 512, { kind: "packed" })).toBe(0);
    expect(unreservedChunksInUse(512, sp, 512, { kind: "packed" })).toBe(1);
    expect(unreservedChunksInUse(N - 1, sp, 512, { kind: "packed" })).toBe(C - 1);
  });
  it("a partial last cluster is reserved too", () => {
    const sp = { slots: N - 100, leadingReserved: 1 };
    expect(unreservedChunksInUse(N - 101, sp, 512, { kind: "packed" })).toBe(C - 2);
  });
});

describe("xarrayNodes", () => {
  it("a dense 16384-slot tree at height 3 has 256 leaves, 4 level-2 nodes and a root", () => {
    expect(xarrayNodes(16384, { slots: 16384, leadingReserved: 0 }, 16384, { kind: "packed" })).toBe(256 + 4 + 1);
  });
  it("trees above offset 262144 need a fourth level", () => {
    const sp = { slots: 32 * 16384, leadingReserved: 0 };
    // 32 full trees: 16 of height 3, 16 of height 4
    expect(xarrayNodes(32 * 16384, sp, 16384, { kind: "packed" })).toBe(32 * (256 + 4) + 16 * 1 + 16 * 2);
  });
});

describe("parseOccupancy", () => {
  it.each([["packed", "packed"], ["random", "random"], ["64", "mean"]])("%s", (t, kind) => expect(parseOccupancy(t).kind).toBe(kind));
  it.each(["0", "513", "dense", "-3"])("rejects %s", (t) => expect(() => parseOccupancy(t, "--occupancy")).toThrow(/--occupancy/));
});

describe("measured occupancy (from a simulation)", () => {
  const all = { disk: 1, zswap: 1, zero: 1, cache: 1 } as const;
  const rec = (inUse: number, below: number[] = [inUse, inUse, inUse, inUse, inUse, inUse], first = 1, last = 0) => ({ inUse, first, last, below });
  // a 32 GiB layer with 1000 live entries: 700 zswap, 300 disk (200 direct, 100 written back)
  const layer = {
    layer: "direct",
    slots: N,
    entries: [700, 0, 200, 100],
    chunks: {
      "15": { "64": rec(400), "512": rec(90), "4096": rec(20), "16384": rec(3, [0, 0, 1, 3, 3, 3]) },
      "12": { "64": rec(150), "512": rec(40), "4096": rec(9), "16384": rec(2, [0, 0, 1, 2, 2, 2]) },
      "8": { "512": rec(30) },
    },
  };
  const occ = { kind: "measured", label: "test", physical: layer } as const;

  it("driverMask maps entry weights onto simulated kinds (disk = direct + written)", () => {
    expect(driverMask(all)).toBe(15);
    expect(driverMask({ disk: 1 })).toBe(12);
    expect(driverMask({ writeback: 1 })).toBe(8);
    expect(driverMask({ zswap: 1, zero: 1 })).toBe(3);
    expect(driverMask({ cache: 1 })).toBe(0);
  });

  it("returns the recorded count for the structure's drivers when the usage is the simulation's", () => {
    expect(chunkUse(1000, space, 512, occ, { layer: "physical", drivers: all }).inUse).toBe(90);
    expect(chunkUse(300, space, 512, occ, { layer: "physical", drivers: { disk: 1 } }).inUse).toBe(40);
    expect(chunkUse(100, space, 512, occ, { layer: "physical", drivers: { writeback: 1 } }).inUse).toBe(30);
  });

  it("scales by the entry ratio when the model's usage differs, within the bounds of any placement", () => {
    const u = chunkUse(500, space, 512, occ, { layer: "physical", drivers: all });
    expect(u.inUse).toBe(45);
    expect(chunkUse(999_999, space, 512, occ, { layer: "physical", drivers: all }).inUse).toBeGreaterThanOrEqual(Math.ceil(999_999 / 512));
  });

  it("needs the layer and drivers, a recorded layer and a recorded chunk size", () => {
    expect(() => chunkUse(1000, space, 512, occ)).toThrow(/layer and driving entry kinds/);
    expect(() => chunkUse(1000, space, 512, occ, { layer: "virtual", drivers: all })).toThrow(/did not record this layer/);
    expect(() => chunkUse(100, space, 64, occ, { layer: "physical", drivers: { writeback: 1 } })).toThrow(/no measured count at 64-slot granularity/);
  });

  it("xarray nodes follow the recorded counts and height classes", () => {
    // levels: 64-slot leaves (400) and 4096-slot nodes (20); 3 non-empty 16384-slot trees: one
    // among the first 16 (height 3: no extra level), two among the next 1008 (height 4: one more)
    expect(xarrayNodes(1000, space, 16384, occ, 64, { layer: "physical", drivers: all })).toBe(400 + 20 + 1 * 1 + 2 * 2);
  });

  it("a measurement of a packed layout prices xarrays as the packed model does", () => {
    const sp = { slots: 32 * 16384, leadingReserved: 0 };
    const e = 32 * 16384;
    const dense = (chunk: number) => {
      const n = Math.ceil(sp.slots / chunk);
      const below = [1, 2, 3, 4, 5, 6].map((h) => Math.min(n, Math.floor(64 ** h / chunk)));
      return { inUse: n, first: 1, last: 1, below };
    };
    const m = { kind: "measured", label: "packed", physical: { layer: "direct", slots: sp.slots, entries: [e, 0, 0, 0], chunks: { "15": { "64": dense(64), "512": dense(512), "4096": dense(4096), "16384": dense(16384), "262144": dense(262144) } } } } as const;
    expect(xarrayNodes(e, sp, 16384, m, 64, { layer: "physical", drivers: all })).toBe(xarrayNodes(e, sp, 16384, { kind: "packed" }));
  });
});
