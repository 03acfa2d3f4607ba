import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allDesigns } from "../../src/designs/registry.js";
import type { Design, DeviceKind } from "../../src/designs/types.js";
import { overhead, type OverheadInput, type Usage } from "../../src/models/overhead.js";
import type { Occupancy } from "../../src/models/occupancy.js";

const DESIGNS = allDesigns();
const RUNS = { numRuns: 1000 };

/** A random valid input: any design, device it supports, 2 pages .. 16 TiB, any usage it can hold. */
const inputArb = fc
  .record({
    di: fc.nat({ max: DESIGNS.length - 1 }),
    devi: fc.nat({ max: 3 }),
    slots: fc.oneof(fc.integer({ min: 2, max: 4096 }), fc.integer({ min: 2, max: 2 ** 32 })),
    shares: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
    used: fc.double({ min: 0, max: 1, noNaN: true }),
    occ: fc.oneof(fc.constant<Occupancy>({ kind: "packed" }), fc.constant<Occupancy>({ kind: "random" }), fc.integer({ min: 1, max: 512 }).map<Occupancy>((n) => ({ kind: "mean", entriesPerCluster: n }))),
    memcg: fc.boolean(),
    cpus: fc.integer({ min: 1, max: 512 }),
    letter: fc.boolean(),
  })
  .map((x) => build(DESIGNS[x.di], x));

function build(d: Design, x: { devi: number; slots: number; shares: number[]; used: number; occ: Occupancy; memcg: boolean; cpus: number; letter: boolean }): OverheadInput {
  const device: DeviceKind = d.devices[x.devi % d.devices.length];
  const limits = [device !== "none" ? d.limits.physical?.slots : undefined, d.layers.virtual ? d.limits.virtual?.slots : undefined].filter((l): l is number => l !== undefined);
  x = { ...x, slots: Math.min(x.slots, ...limits) };
  const kinds = (["disk", "zswap", "zero", "cache"] as const).filter((k) => d.entryKinds.includes(k) && !(k === "disk" && device === "none"));
  const total = Math.floor((x.slots - 1) * x.used);
  const w = kinds.map((_, i) => x.shares[i]);
  const sum = w.reduce((a, b) => a + b, 0) || 1;
  const usage: Record<string, number> = { disk: 0, zswap: 0, zero: 0, cache: 0 };
  let left = total;
  kinds.forEach((k, i) => {
    const n = i === kinds.length - 1 ? left : Math.floor((total * w[i]) / sum);
    usage[k] = n;
    left -= n;
  });
  return {
    design: d,
    swapSizeBytes: x.slots * 4096,
    device,
    memcg: x.memcg,
    usage: usage as unknown as Usage,
    occupancy: x.occ,
    accounting: x.letter ? "letter" : "kernel",
    cpus: x.cpus,
  };
}

function scale(u: Usage, f: number): Usage {
  return { disk: Math.floor(u.disk * f), zswap: Math.floor(u.zswap * f), zero: Math.floor(u.zero * f), cache: Math.floor(u.cache * f) };
}

describe("overhead() invariants over random designs, devices, sizes and usage (fast-check)", () => {
  it("totals are the sum of the rows, split into static and dynamic", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = overhead(input);
        const s = r.rows.filter((x) => x.class === "static").reduce((a, x) => a + x.bytes, 0);
        const d = r.rows.filter((x) => x.class === "dynamic").reduce((a, x) => a + x.bytes, 0);
        return r.totals.staticBytes === s && r.totals.dynamicBytes === d && r.totals.bytes === s + d;
      }),
      RUNS,
    );
  });

  it("bytes are never NaN, negative or fractional; ratios are finite", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = overhead(input);
        return [...r.rows, { bytes: r.totals.bytes, bytesPerSlot: r.totals.bytesPerSlot, bytesPerUsedEntry: r.totals.bytesPerUsedEntry }].every(
          (x) => Number.isSafeInteger(x.bytes) && x.bytes >= 0 && Number.isFinite(x.bytesPerSlot) && (x.bytesPerUsedEntry === null || Number.isFinite(x.bytesPerUsedEntry)),
        );
      }),
      RUNS,
    );
  });

  it("static bytes do not depend on usage", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const empty = overhead({ ...input, usage: { disk: 0, zswap: 0, zero: 0, cache: 0 } });
        return overhead(input).totals.staticBytes === empty.totals.staticBytes;
      }),
      RUNS,
    );
  });

  it("dynamic bytes never decrease when more entries are used (same mix)", () => {
    fc.assert(
      fc.property(inputArb, fc.double({ min: 0, max: 1, noNaN: true }), (input, f) => {
        const less = overhead({ ...input, usage: scale(input.usage, f) });
        return less.totals.dynamicBytes <= overhead(input).totals.dynamicBytes;
      }),
      RUNS,
    );
  });

  it("packed placement never costs more than uniform random placement", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const packed = overhead({ ...input, occupancy: { kind: "packed" } });
        const random = overhead({ ...input, occupancy: { kind: "random" } });
        return packed.totals.bytes <= random.totals.bytes;
      }),
      RUNS,
    );
  });

  it("the reconciliation explains kernel minus letter exactly", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = overhead({ ...input, accounting: "kernel" });
        return r.reconciliation.reduce((a, x) => a + x.deltaBytes, 0) === r.totals.bytes - r.otherTotals.bytes;
      }),
      RUNS,
    );
  });
});

describe("the generator covers every design", () => {
  it("each design is reachable and valid at 50% used", () => {
    for (const d of DESIGNS) {
      const r = overhead(build(d, { devi: 0, slots: 8388608, shares: [1, 1, 1, 1], used: 0.5, occ: { kind: "packed" }, memcg: true, cpus: 8, letter: false }));
      expect(r.totals.bytes).toBeGreaterThan(0);
    }
  });
});
