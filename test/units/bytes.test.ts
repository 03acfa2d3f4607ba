import { describe, expect, it } from "vitest";
import { formatBytes, formatSizeExact, GiB, hasSizeUnit, MiB, parseSize, TiB, PiB } from "../../src/units/bytes.js";
import { SwapcostInputError } from "../../src/errors.js";

describe("parseSize", () => {
  it.each([
    ["4096", 4096],
    ["32G", 32 * GiB],
    ["32GiB", 32 * GiB],
    ["32g", 32 * GiB],
    ["32Gi", 32 * GiB],
    ["512M", 512 * MiB],
    ["1T", TiB],
    ["1.5G", 1.5 * GiB],
    ["7P", 7 * PiB],
    ["32GB", 32e9],
    ["32 GB", 32e9],
    ["64kb", 64000],
    ["100B", 100],
  ])("parseSize(%j) is %d bytes", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["", "abc", "-1G", "32X", "1.0000001K", "G", "32 G B", "10iB", "8P", "9E"])("parseSize(%j) is rejected with the allowed syntax", (text) => {
    expect(() => parseSize(text, "--swap-size")).toThrow(SwapcostInputError);
    try {
      parseSize(text, "--swap-size");
    } catch (e) {
      expect((e as Error).message).toMatch(/^--swap-size: .*expected/);
    }
  });

  it.each<[string, number | null]>([
    ["9007199254740991", 2 ** 53 - 1],
    ["9007199254740992", null],
    ["8P", null],
    ["8PiB", null],
    ["8191T", 8191 * TiB],
    ["8192T", null],
    ["8PB", 8e15],
    ["9PB", 9e15],
    ["10PB", null],
  ])("the 8 PiB boundary: parseSize(%j) is %s", (text, expected) => {
    if (expected !== null) {
      expect(parseSize(text)).toBe(expected);
      return;
    }
    expect(() => parseSize(text, "--swap-size")).toThrow(/^--swap-size: too large; got ".*", expected a size less than 8 PiB \(at most 2\^53 - 1 bytes\)$/);
  });

  it("accepts 0 (callers decide whether zero is allowed)", () => {
    expect(parseSize("0")).toBe(0);
  });
});

describe("formatting", () => {
  it("formatBytes uses explicit binary units", () => {
    expect(formatBytes(25 * MiB)).toBe("25.00 MiB");
    expect(formatBytes(1536)).toBe("1.50 KiB");
    expect(formatBytes(100)).toBe("100 B");
  });
  it("formatSizeExact keeps exact sizes exact", () => {
    expect(formatSizeExact(32 * GiB)).toBe("32 GiB");
    expect(formatSizeExact(32e9)).toBe("29.802 GiB");
  });
  it("hasSizeUnit tells a size from a percent", () => {
    expect(hasSizeUnit("16G")).toBe(true);
    expect(hasSizeUnit("4096B")).toBe(true);
    expect(hasSizeUnit("50")).toBe(false);
    expect(hasSizeUnit("50%")).toBe(false);
  });
});
