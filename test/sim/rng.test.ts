import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng, ZipfSampler } from "../../src/sim/rng.js";

describe("Rng (xoshiro128**)", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 8 }, () => a.u32());
    expect(Array.from({ length: 8 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.u32())).not.toEqual(xs);
  });

  it("below(n) stays in [0, n) and float() in [0, 1) (property, 1000 cases)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const r = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const x = r.below(n);
          const f = r.float();
          if (!(Number.isInteger(x) && x >= 0 && x < n && f >= 0 && f < 1)) return false;
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it("below(10) is uniform: every value within 3% of 1/10 over 200 000 draws", () => {
    const r = new Rng(7);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 200_000; i++) counts[r.below(10)]++;
    for (const c of counts) expect(Math.abs(c / 20_000 - 1)).toBeLessThan(0.03);
  });

  it("rejects a negative or fractional seed", () => {
    expect(() => new Rng(-1)).toThrow(/seed/);
    expect(() => new Rng(1.5)).toThrow(/seed/);
  });
});

describe("ZipfSampler (rejection-inversion)", () => {
  it.each([
    [10, 1],
    [50, 0.8],
    [5, 2],
    [20, 0],
  ])("Zipf(n=%i, s=%f): frequencies within 0.02 (absolute) of k^-s / H", (n, s) => {
    const z = new ZipfSampler(n, s);
    const r = new Rng(11);
    const draws = 300_000;
    const counts = new Array<number>(n + 1).fill(0);
    for (let i = 0; i < draws; i++) counts[z.sample(r)]++;
    let h = 0;
    for (let k = 1; k <= n; k++) h += k ** -s;
    for (let k = 1; k <= n; k++) expect(Math.abs(counts[k] / draws - k ** -s / h)).toBeLessThan(0.02);
    expect(counts[0]).toBe(0);
  });

  it("draws stay in [1, n] for large populations (property, 1000 cases)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.double({ min: 0, max: 3, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (n, s, seed) => {
        const z = new ZipfSampler(n, s);
        const r = new Rng(seed);
        for (let i = 0; i < 10; i++) {
          const k = z.sample(r);
          if (!(Number.isInteger(k) && k >= 1 && k <= n)) return false;
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});

describe("Rng.belowSmall (Lemire's exact method)", () => {
  it("stays in range and hits every value (n = 5, 100 000 draws)", () => {
    const r = new Rng(3);
    const seen = new Array<number>(5).fill(0);
    for (let i = 0; i < 100_000; i++) seen[r.belowSmall(5)]++;
    for (const c of seen) expect(Math.abs(c / 20_000 - 1)).toBeLessThan(0.03);
  });
});
