import { describe, expect, it } from "vitest";
import { layoutStruct } from "../../src/kernel/struct-layout.js";
import { STRUCTS } from "../../src/designs/structs.js";
import { overhead } from "../../src/models/overhead.js";
import { resolveDesign } from "../../src/designs/registry.js";
import { GiB } from "../../src/units/bytes.js";

describe("layoutStruct(): x86_64 System V layout, as pahole reports it", () => {
  it("vswap v3's struct swp_desc is 24 bytes with 13 bits of bit_padding (the cover letter's pahole output)", () => {
    const l = layoutStruct(STRUCTS["swp_desc-v3"].fields);
    expect(l.sizeBytes).toBe(24);
    expect(l.bitPadding).toBe(13);
    expect(l.paddingBytes).toBe(0);
    expect(l.holeBytes).toBe(0);
    // memcgid:16, in_swapcache:1, type:2 share the 4-byte unit after swap_count
    expect(l.fields.map((f) => f.offsetBits)).toEqual([0, 64, 128, 160, 176, 177]);
  });

  it("RFC v1: 60 bytes of members pad to 64; RFC v2: 44 pad to 48 (the 8-byte alignment of the pointers)", () => {
    const v1 = layoutStruct(STRUCTS["swp_desc-rfc-v1"].fields);
    expect([v1.fieldBytes, v1.sizeBytes, v1.paddingBytes]).toEqual([60, 64, 4]);
    const v2 = layoutStruct(STRUCTS["swp_desc-rfc-v2"].fields);
    expect([v2.fieldBytes, v2.sizeBytes, v2.paddingBytes]).toEqual([44, 48, 4]);
  });

  it("a bit-field that would straddle its storage unit starts the next one; alignment gaps are holes", () => {
    const l = layoutStruct([
      { name: "a", type: "u8" },
      { name: "b", type: "u32" },
      { name: "c", type: "u32", bits: 30 },
      { name: "d", type: "u32", bits: 4 },
    ]);
    expect(l.fields.map((f) => f.offsetBits)).toEqual([0, 32, 64, 96]);
    expect(l.holeBytes).toBe(3);
    expect(l.sizeBytes).toBe(16);
    expect(l.bitPadding).toBe(28);
  });

  it("refuses unknown types and impossible widths", () => {
    expect(() => layoutStruct([{ name: "x", type: "u128" }])).toThrow(/struct field type/);
    expect(() => layoutStruct([{ name: "x", type: "u16", bits: 17 }])).toThrow(/between 1 and 16/);
  });
});

describe("the registry's descriptor sizes agree with the field lists", () => {
  const perEntry = (id: string, structure: string) => {
    const r = overhead({ design: resolveDesign(id), swapSizeBytes: 32 * GiB, device: "none", memcg: true, usage: { disk: 0, zswap: 512 * 64, zero: 0, cache: 0 }, occupancy: { kind: "packed" }, accounting: "letter", cpus: 8 });
    const row = r.rows.find((x) => x.structure === structure)!;
    return row.bytes / (512 * 64);
  };
  it.each([
    ["vswap-rfc-v1", "swp_desc-rfc-v1"],
    ["vswap-rfc-v2", "swp_desc-rfc-v2"],
    ["vswap-v6", "swp_desc-v3"],
  ])("%s's vswap_desc letter size = layoutStruct(%s).sizeBytes", (design, struct) => {
    expect(perEntry(design, "vswap_desc")).toBe(layoutStruct(STRUCTS[struct].fields).sizeBytes);
  });
});
