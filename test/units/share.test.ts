import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { apportion, parseShare } from "../../src/units/share.js";

describe("parseShare", () => {
  it.each([
    ["50%", 0.5],
    ["50", 0.5],
    ["0.5", 0.5],
    ["1.0", 1],
    ["1", 0.01],
    ["0", 0],
    ["100", 1],
    ["12.5", 0.125],
    ["12.5%", 0.125],
    [".25", 0.25],
  ])("parseShare(%j) is %d", (text, v) => {
    expect(parseShare(text)).toBeCloseTo(v, 12);
  });
  it.each(["101", "150%", "-5", "x", "50%%", "1.5e3"])("parseShare(%j) is rejected", (text) => {
    expect(() => parseShare(text, "--used")).toThrow(/--used/);
  });
});

describe("apportion", () => {
  it("splits exactly and proportionally", () => {
    expect(apportion(10, [0.6, 0.4])).toEqual([6, 4]);
    expect(apportion(7, [1, 1, 1])).toEqual([3, 2, 2]);
    expect(apportion(0, [1, 2])).toEqual([0, 0]);
  });
  it("parts always sum to the total (property, 1000 cases)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }), (total, weights) => {
        const parts = apportion(total, weights);
        const sum = parts.reduce((a, b) => a + b, 0);
        return weights.every((w) => w === 0) || weights.reduce((a, b) => a + b, 0) === 0 ? sum === 0 : sum === total && parts.every((p) => Number.isSafeInteger(p) && p >= 0);
      }),
      { numRuns: 1000 },
    );
  });
});
