import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  interleave,
  ZBUD_6_1,
  ZBUD_6_12,
  zbudFootprint,
  ZSMALLOC_6_1,
  ZSMALLOC_6_12,
  ZSMALLOC_7_2,
  zsmallocClasses,
  zsmallocClassFor,
  zsmallocFootprint,
  zpoolStore,
} from "../../src/models/zpool.js";

const RUNS = { numRuns: 1000 };

describe("zsmalloc size classes, computed from each kernel's constants and chain rule", () => {
  // The huge-class thresholds (6.1: 3264, 6.12+: 3632) are the oracle: the model derives
  // them from ZS_MAX_PAGES_PER_ZSPAGE and get_pages_per_zspage()/calculate_zspage_chain_size().
  it.each([
    ["6.1 (4-page chains, highest used percent)", ZSMALLOC_6_1, 3264],
    ["6.12 (8-page chains, least waste)", ZSMALLOC_6_12, 3632],
    ["7.2 (8-page chains, least waste)", ZSMALLOC_7_2, 3632],
  ])("zsmallocClasses(%s).largestNonHugeBytes = %d", (_, p, expected) => {
    const t = zsmallocClasses(p);
    expect(t.largestNonHugeBytes).toBe(expected);
    expect(t.hugeClassSizeBytes).toBe(expected - 7);
  });

  it.each([
    // [profile, payload length, class size, pages per zspage, objects per zspage]
    ["6.12", 24, 32, 1, 128],
    ["6.12", 25, 48, 3, 256],
    ["6.12", 3624, 3632, 8, 9],
    ["6.12", 3625, 4096, 1, 1],
    ["6.12", 4096, 4096, 1, 1],
    ["6.1", 3256, 3264, 4, 5],
    ["6.1", 3257, 4096, 1, 1],
  ] as const)("%s: a %d-byte payload (+8 handle) lands in the %d-byte class (%d pages / %d objects)", (k, len, size, ppz, objs) => {
    const c = zsmallocClassFor(k === "6.1" ? ZSMALLOC_6_1 : ZSMALLOC_6_12, len);
    expect([c.sizeBytes, c.pagesPerZspage, c.objsPerZspage]).toEqual([size, ppz, objs]);
  });

  it("class size never falls below payload + handle (or a whole page for huge objects), and grows with the payload", () => {
    for (const p of [ZSMALLOC_6_1, ZSMALLOC_6_12]) {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4095 }), (len) => {
          const a = zsmallocClassFor(p, len);
          const b = zsmallocClassFor(p, len + 1);
          expect(a.sizeBytes).toBeGreaterThanOrEqual(Math.min(len + 8, 4096));
          expect(b.sizeBytes).toBeGreaterThanOrEqual(a.sizeBytes);
          expect(a.objsPerZspage * a.sizeBytes).toBeLessThanOrEqual(a.pagesPerZspage * 4096);
        }),
        RUNS,
      );
    }
  });

  it("zsmallocFootprint: the pool is never smaller than the charged lengths, and counts whole zspages", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 5000 })), { minLength: 1, maxLength: 6 }), (pairs) => {
        const counts = new Map<number, number>();
        for (const [len, n] of pairs) counts.set(len, (counts.get(len) ?? 0) + n);
        const f = zsmallocFootprint(ZSMALLOC_6_12, counts);
        expect(f.poolBytes).toBeGreaterThanOrEqual(f.payloadBytes);
        expect(f.poolBytes % 4096).toBe(0);
        expect(f.objects).toBe([...counts.values()].reduce((a, b) => a + b, 0));
        let amortised = 0;
        for (const [len, n] of counts) amortised += n * (f.bytesPerObject.get(len) ?? 0);
        expect(amortised).toBeCloseTo(f.poolBytes, 3);
      }),
      RUNS,
    );
  });

  it("zsmallocFootprint of 1000 objects of 1000 bytes: 4 per page in the 1024-byte class = 250 pages", () => {
    const f = zsmallocFootprint(ZSMALLOC_6_12, new Map([[1000, 1000]]));
    expect(f.pages).toBe(250);
    expect(f.handleBytes).toBe(2 * 4096);
  });
});

describe("zbud: two buddies per page in 63 chunks of 64 bytes", () => {
  it.each([
    // [profile, length a, length b, pages]: 6.1 adds the 8-byte zswap_header to each object
    ["6.12", 1980, 1980, 1],
    ["6.1", 1980, 1980, 2],
    ["6.1", 1960, 1960, 1],
    ["6.12", 2000, 2048, 2],
    ["6.12", 500, 3000, 1],
  ] as const)("%s: objects of %d and %d bytes take %d page(s)", (k, a, b, pages) => {
    const counts = new Map<number, number>();
    counts.set(a, (counts.get(a) ?? 0) + 1);
    counts.set(b, (counts.get(b) ?? 0) + 1);
    expect(zbudFootprint(k === "6.1" ? ZBUD_6_1 : ZBUD_6_12, counts).pages).toBe(pages);
  });

  it.each([
    ["6.12", ZBUD_6_12, 3968, true],
    ["6.12", ZBUD_6_12, 3969, false],
    ["6.1", ZBUD_6_1, 3960, true],
    ["6.1", ZBUD_6_1, 3961, false],
  ] as const)("%s zbud takes a %d-byte payload: %s", (_, p, len, ok) => {
    const s = zpoolStore(p, len);
    expect(s.outcome).toBe(ok ? "stored" : "rejected");
    if (s.outcome === "rejected") expect(s.reason).toBe("reject_compress_poor");
  });

  it.each([
    ["6.1", ZSMALLOC_6_1, "reject_alloc_fail"],
    ["6.12", ZSMALLOC_6_12, "reject_compress_poor"],
  ] as const)("%s zsmalloc refuses a payload above PAGE_SIZE and counts it as %s", (_, p, reason) => {
    expect(zpoolStore(p, 4096)).toEqual({ outcome: "stored", allocBytes: 4096 });
    expect(zpoolStore(p, 4097)).toEqual({ outcome: "rejected", reason });
  });

  it("zbudFootprint: between half a page and a page per object, never below the payload", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3968 }), fc.integer({ min: 1, max: 300 })), { minLength: 1, maxLength: 5 }), (pairs) => {
        const counts = new Map<number, number>();
        for (const [len, n] of pairs) counts.set(len, (counts.get(len) ?? 0) + n);
        const f = zbudFootprint(ZBUD_6_12, counts);
        expect(f.pages).toBeGreaterThanOrEqual(Math.ceil(f.objects / 2));
        expect(f.pages).toBeLessThanOrEqual(f.objects);
        expect(f.poolBytes).toBeGreaterThanOrEqual(f.payloadBytes);
      }),
      RUNS,
    );
  });
});

describe("interleave(): every prefix holds each length within one object of its share", () => {
  it("holds for the counterexample of the greedy largest-lag rule", () => {
    const counts = new Map([[1, 1], [2, 1], [3, 1], [4, 50], [5, 50]]);
    const seq = interleave(counts, 103);
    const seen = new Map<number, number>();
    let worst = 0;
    seq.forEach((len, t) => {
      seen.set(len, (seen.get(len) ?? 0) + 1);
      for (const [l, n] of counts) worst = Math.max(worst, Math.abs((seen.get(l) ?? 0) - ((t + 1) * n) / 103));
    });
    expect(worst).toBeLessThanOrEqual(1 - 1 / 8 + 1e-9);
  });
  it("holds for random histograms", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 5 }), (pairs) => {
        const counts = new Map<number, number>();
        for (const [len, n] of pairs) counts.set(len, (counts.get(len) ?? 0) + n);
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        const seq = interleave(counts, total);
        expect(seq.length).toBe(total);
        const seen = new Map<number, number>();
        let worst = 0;
        seq.forEach((len, t) => {
          seen.set(len, (seen.get(len) ?? 0) + 1);
          for (const [l, n] of counts) worst = Math.max(worst, Math.abs((seen.get(l) ?? 0) - ((t + 1) * n) / total));
        });
        expect(worst).toBeLessThan(1 + 1e-9);
      }),
      RUNS,
    );
  });
});
