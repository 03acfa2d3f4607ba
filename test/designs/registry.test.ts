import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { allDesigns, designIds, DESIGN_SPECS, findSpec, resolveDesign } from "../../src/designs/registry.js";
import { parseDesignJson, validateDesign } from "../../src/designs/validate.js";
import { KERNEL_TREES } from "../../src/kernel/sources.js";
import { overhead } from "../../src/models/overhead.js";
import { GiB } from "../../src/units/bytes.js";

const REQUIRED = [
  "linux-6.1", "linux-6.6", "linux-6.12", "linux-6.19", "linux-7.1",
  "swap-table-p4-rfc", "swap-table-p4", "ghost-p4", "ghost-swapfile", "redirect",
  "vswap-rfc-v1", "vswap-rfc-v2", "vswap-v3", "vswap-v4", "vswap-v5", "vswap-v6",
  "vswap-ste-v1", "vswap-ste-v2", "swap-tiers",
];

describe("the design registry", () => {
  it("has every design of the debate under its id", () => {
    expect(designIds()).toEqual(expect.arrayContaining(REQUIRED));
  });

  it("`vswap` is the latest vswap series (v6); swap-table-p4 is 7.2", () => {
    expect(resolveDesign("vswap").id).toBe("vswap-v6");
    expect(resolveDesign("linux-7.2").id).toBe("swap-table-p4");
  });

  it("ids and aliases are unique", () => {
    const names = DESIGN_SPECS.flatMap((s) => [s.id, ...s.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(allDesigns().map((d) => [d.id, d] as const))("%s validates as JSON (the --design-file schema) and round-trips", (_, d) => {
    const back = validateDesign(JSON.parse(JSON.stringify(d)), d.id);
    expect(JSON.parse(JSON.stringify(back))).toEqual(JSON.parse(JSON.stringify(d)));
  });

  it.each(allDesigns().map((d) => [d.id, d] as const))("%s: every structure cites at least one source, every kernel citation names a known tree", (_, d) => {
    expect(d.sources.length).toBeGreaterThan(0);
    for (const s of d.structures) {
      expect(s.sources.length, `${d.id}/${s.id}`).toBeGreaterThan(0);
      for (const src of s.sources) {
        if (src.kind === "kernel") expect(Object.keys(KERNEL_TREES), `${d.id}/${s.id}`).toContain(src.tree);
        if (src.kind === "mail") expect(src.url, `${d.id}/${s.id}`).toMatch(/^https:\/\//);
      }
    }
  });

  it("every `replaces` names a structure some design has", () => {
    const ids = new Set(allDesigns().flatMap((d) => d.structures.map((s) => s.id)));
    for (const d of allDesigns()) for (const s of d.structures) for (const r of s.replaces ?? []) expect(ids, `${d.id}/${s.id} replaces ${r}`).toContain(r);
  });

  it("parameterised designs resolve and reject unknown parameters", () => {
    expect(resolveDesign("redirect:granularity=entry").params).toEqual({ granularity: "entry" });
    expect(() => resolveDesign("redirect:granularity=page")).toThrow(/redirect.granularity.*cluster, entry/);
    expect(() => resolveDesign("redirect:size=1")).toThrow(/design parameter of redirect/);
    expect(() => resolveDesign("linux-6.1:x=1")).toThrow(/no parameters/);
  });

  it("an unknown design id lists the valid ids", () => {
    expect(() => resolveDesign("vswap-v9")).toThrow(/design: got "vswap-v9", expected one of linux-6.1, .*swap-tiers/);
    expect(findSpec("nope")).toBeUndefined();
  });
});

describe("custom designs (--design-file)", () => {
  it("data/designs/vswap-16b-desc.json (a what-if: a 16-byte descriptor) loads and costs two thirds of v6's descriptor array", () => {
    const d = parseDesignJson(readFileSync("data/designs/vswap-16b-desc.json", "utf8"), "vswap-16b-desc.json");
    const base = { swapSizeBytes: 32 * GiB, device: "none" as const, memcg: true, usage: { disk: 0, zswap: 4194304, zero: 0, cache: 0 }, occupancy: { kind: "packed" as const }, accounting: "kernel" as const, cpus: 8 };
    const custom = overhead({ ...base, design: d });
    const v6 = overhead({ ...base, design: resolveDesign("vswap-v6") });
    const desc = (r: typeof v6) => r.rows.find((x) => x.structure === "vswap_desc")!.bytes;
    // 4194304 entries from virtual slot 1 on (entry 0 is invalid): 8193 clusters
    expect(desc(custom)).toBe(8193 * (8192 + 16)); // vzalloc(512 * 16 = 8192): 2 pages + kmalloc-16 page array
    expect(desc(v6)).toBe(8193 * (12288 + 32));
  });

  it.each([
    ["not JSON", "{", /valid JSON/],
    ["no structures", JSON.stringify({ id: "x", title: "x", devices: ["ssd"], entryKinds: ["disk"], layers: { physical: {} } }), /structures: got undefined, expected an array/],
    [
      "a structure without sources",
      JSON.stringify({ id: "x", title: "x", devices: ["ssd"], entryKinds: ["disk"], layers: { physical: { disk: 1 } }, structures: [{ id: "a", name: "a", what: "a", layer: "physical", rule: { kind: "perSlots", slotsPerElement: 1, elementBytes: 1, allocator: { kind: "exact" } }, letter: null, sources: [] }] }),
      /structures\[0\]\.sources: got \[\], expected at least one source/,
    ],
    [
      "an unknown device kind",
      JSON.stringify({ id: "x", title: "x", devices: ["nvme"], entryKinds: ["disk"], layers: { physical: {} }, structures: [] }),
      /devices\[0\]: got "nvme", expected one of ssd, hdd, zram, none/,
    ],
    [
      "a dynamic rule without drivenBy",
      JSON.stringify({ id: "x", title: "x", devices: ["ssd"], entryKinds: ["disk"], layers: { physical: { disk: 1 } }, structures: [{ id: "a", name: "a", what: "a", layer: "physical", rule: { kind: "perEntry", bytesPerEntry: 8, allocator: { kind: "exact" } }, letter: null, sources: [{ kind: "derived", note: "n" }] }] }),
      /structures\[0\]\.drivenBy/,
    ],
  ])("rejects %s, naming the JSON path", (_, text, re) => {
    expect(() => parseDesignJson(text, "my.json")).toThrow(re);
  });
});

describe("custom designs: misspelled keys are rejected, not ignored", () => {
  const base = () => JSON.parse(readFileSync("data/designs/vswap-16b-desc.json", "utf8"));
  it.each<[string, (d: any) => void, RegExp]>([
    ["a misspelled condition block", (d) => (d.structures[3].whne = { memcg: false }), /^my\.json: structures\[3\]\.whne: unknown key; got "whne", expected one of the keys id, name, what, layer, rule, drivenBy, when, /],
    ["a misspelled rule field", (d) => (d.structures[7].rule.bytesPerChunkk = 4096), /^my\.json: structures\[7\]\.rule\.bytesPerChunkk: unknown key; .*expected one of the keys kind, chunkSlots, bytesPerChunk, allocator, skipReserved$/],
    ["a misspelled letter", (d) => (d.structures[0].lettter = null), /structures\[0\]\.lettter: unknown key/],
    ["an unknown top-level key", (d) => (d.colour = "blue"), /^my\.json: colour: unknown key; got "colour", expected one of the keys id, aliases, title, /],
    ["a misspelled condition", (d) => (d.structures[3].when.memcgg = true), /structures\[3\]\.when\.memcgg: unknown key; .*devices, memcg, zpool$/],
    ["a misspelled source field", (d) => (d.structures[0].sources[0].lnes = "1"), /structures\[0\]\.sources\[0\]\.lnes: unknown key/],
    ["a misspelled allocator field", (d) => (d.structures[8].rule.allocator.slabbytes = 1), /structures\[8\]\.rule\.allocator\.slabbytes: unknown key; .*kind, cache, objectsPerSlab, slabBytes$/],
    ["a field of another allocator kind", (d) => (d.structures[0].rule.allocator.cache = "x"), /structures\[0\]\.rule\.allocator\.cache: unknown key; .*expected one of the keys kind$/],
    ["a misspelled layer", (d) => (d.layers.virtal = { zswap: 1 }), /^my\.json: layers\.virtal: unknown key/],
    ["a misspelled limit field", (d) => (d.limits.physical.slot = 1), /limits\.physical\.slot: unknown key/],
    ["a misspelled letter basis field", (d) => (d.letterBasis = { note: "n", source: [] }), /letterBasis\.source: unknown key/],
    ["a letter term with the other term's field", (d) => (d.structures[0].letter = { per: "slot", bits: 8 }), /structures\[0\]\.letter\.bits: unknown key/],
  ])("%s names the JSON path and the allowed keys", (_, edit, re) => {
    const d = base();
    edit(d);
    expect(() => parseDesignJson(JSON.stringify(d), "my.json")).toThrow(re);
  });

  it("every built-in design's own JSON still validates (no key the registry writes is unknown)", () => {
    for (const d of allDesigns()) expect(() => validateDesign(JSON.parse(JSON.stringify(d)), d.id)).not.toThrow();
  });
});
