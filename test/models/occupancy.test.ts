import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { chunkUse, parseOccupancy, unreservedChunksInUse, xarrayNodes } from "../../src/models/occupancy.js";

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
