import { describe, expect, it } from "vitest";
import {
  ParamError,
  addParamsJson,
  addSetArg,
  checkParam,
  checkParams,
  findParamsCell,
  injectedParamsSource,
  readParamsCell,
  resolveOverrides,
  type Params,
  type RawOverrides,
} from "../../src/notebook/params.js";

const defaults: Params = {
  usedPercents: [0, 25, 50, 75, 100],
  memcg: true,
  title: "x",
  cpuCount: 8,
  labels: ["a", "b"],
};
const notebooks = new Map<string, Params | undefined>([
  ["01-static-vs-dynamic", defaults],
  ["02-other", { a: 1 }],
  ["03-no-params", undefined],
]);

function overrides(...sets: string[]): RawOverrides {
  const raw: RawOverrides = new Map();
  for (const s of sets) addSetArg(raw, s);
  return raw;
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParamError);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("expected a ParamError");
}

describe("--set <notebook>.<key>=<value>", () => {
  it("--set 01.usedPercents=0,50,100 becomes a list of numbers for notebook 01-static-vs-dynamic", () => {
    const r = resolveOverrides(overrides("01.usedPercents=0,50,100", "01.memcg=false", "01.title=a=b"), notebooks);
    expect(r.get("01-static-vs-dynamic")).toEqual({ usedPercents: [0, 50, 100], memcg: false, title: "a=b" });
  });

  it("the full notebook name works as selector too", () => {
    expect(resolveOverrides(overrides("02-other.a=2"), notebooks).get("02-other")).toEqual({ a: 2 });
  });

  it.each([
    ["01.nope=1", /01-static-vs-dynamic has no parameter "nope"; its parameters are usedPercents, memcg, title, cpuCount, labels/],
    ["09.a=1", /no notebook "09"; notebooks are 01-static-vs-dynamic, 02-other, 03-no-params/],
    ["03.a=1", /notebook 03-no-params has no parameters cell/],
    ["01.usedPercents=0,150", /--set 01.usedPercents=0,150: usedPercents must be a percentage from 0 to 100/],
    ["01.usedPercents=zero", /usedPercents must be a list of numbers \(default \[0,25,50,75,100\]\), got "zero"/],
    ["01.memcg=maybe", /memcg must be true or false/],
    ["01.cpuCount=0", /cpuCount must be a positive integer/],
    ["01.cpuCount=2.5", /cpuCount must be a positive integer/],
  ])("rejects --set %s with one line", (arg, want) => {
    expect(message(() => resolveOverrides(overrides(arg), notebooks))).toMatch(want);
  });

  it.each(["usedPercents", "01usedPercents=1", "01.=1", "01.a b=1"])("rejects malformed --set %j", (arg) => {
    expect(message(() => addSetArg(new Map(), arg))).toMatch(/expected <notebook>.<key>=<value>/);
  });
});

describe("--params file.json", () => {
  it("takes {notebook: {key: JSON value}} and checks JSON types against the defaults", () => {
    const raw: RawOverrides = new Map();
    addParamsJson(raw, { "01": { usedPercents: [10, 20], labels: ["c"] } }, "p.json");
    expect(resolveOverrides(raw, notebooks).get("01-static-vs-dynamic")).toEqual({ usedPercents: [10, 20], labels: ["c"] });
  });

  it.each([
    [[1, 2], /expected a JSON object/],
    [{ "01": 3 }, /"01" must map to an object of parameters/],
  ])("rejects a malformed file %j", (json, want) => {
    expect(message(() => addParamsJson(new Map(), json, "p.json"))).toMatch(want);
  });

  it("rejects a value of another JSON type than the default", () => {
    const raw: RawOverrides = new Map();
    addParamsJson(raw, { "01": { memcg: "yes" } }, "p.json");
    expect(message(() => resolveOverrides(raw, notebooks))).toMatch(/--params p.json: 01.memcg: memcg must be a boolean like its default true, got "yes"/);
  });

  it("--set after --params wins", () => {
    const raw: RawOverrides = new Map();
    addParamsJson(raw, { "01": { cpuCount: 4 } }, "p.json");
    addSetArg(raw, "01.cpuCount=16");
    expect(resolveOverrides(raw, notebooks).get("01-static-vs-dynamic")).toEqual({ cpuCount: 16 });
  });
});

describe("the parameters cell", () => {
  const cell = `// Parameters\nconst params = {\n  /** used, % */\n  usedPercents: [0, 50],\n  name: "a", // trailing\n};\n`;

  it("readParamsCell evaluates the object literal in an empty context", () => {
    expect(readParamsCell(cell, "nb")).toEqual({ usedPercents: [0, 50], name: "a" });
  });

  it.each([
    [`import x from "y";\nconst params = {};`, /plain `const params = \{ … \}` object literal/],
    [`const params: { a: number } = { a: 1 };`, /plain `const params/],
    [`const p = {};`, /does not define a `params` object/],
    [`const params = { f: { a: 1 } };`, /params.f must be a string, number, boolean or a list of them/],
    [`const params = { a: process.exit(1) };`, /plain `const params/],
  ])("rejects %j", (src, want) => {
    expect(message(() => readParamsCell(src, "nb"))).toMatch(want);
  });

  it("findParamsCell prefers the cell tagged parameters, else a first code cell declaring params", () => {
    const md = { cell_type: "markdown", source: "# t" };
    const code = (s: string, tags?: string[]) => ({ cell_type: "code", source: s, metadata: tags ? { tags } : {} });
    expect(findParamsCell([md, code("const params = {}")])).toBe(1);
    expect(findParamsCell([code("const x = 1"), code("const params = {}", ["parameters"])])).toBe(1);
    expect(findParamsCell([code("const x = 1"), code("const params = {}")])).toBe(-1);
  });

  it("the injected cell is one Object.assign of JSON values", () => {
    const src = injectedParamsSource({ usedPercents: [0, 50], name: "a\"b" }, "npm start -- --set 01.usedPercents=0,50");
    expect(src.split("\n")[2]).toBe(`Object.assign(params, { "usedPercents": [ 0, 50 ], "name": "a\\"b" });`);
  });

  it("checkParams validates a params object by its key rules (used inside notebooks)", () => {
    expect(checkParams({ usedPercents: [0, 100] })).toEqual({ usedPercents: [0, 100] });
    expect(() => checkParams({ usedPercents: [101] })).toThrow(ParamError);
    expect(checkParam("x", "7", 1, "w")).toBe(7);
  });
});

describe("key rules backed by the core (sizes, designs, backends, accounting, occupancy)", () => {
  const nb01 = new Map<string, Params | undefined>([["01-static-vs-dynamic", {
    swapSizeBytes: "32G",
    pageSizeBytes: 4096,
    designs: "all",
    baselineDesign: "linux-6.19",
    backends: ["zswap", "disk"],
    accounting: "kernel",
    occupancy: "packed",
  }]]);
  const ok = (arg: string) => resolveOverrides(overrides(arg), nb01).get("01-static-vs-dynamic");

  it.each([
    ["01.swapSizeBytes=64G", { swapSizeBytes: "64G" }],
    ["01.swapSizeBytes=1 TiB", { swapSizeBytes: "1 TiB" }],
    ["01.pageSizeBytes=16K", { pageSizeBytes: 16384 }],
    ["01.designs=vswap,linux-6.12,redirect:granularity=entry", { designs: "vswap,linux-6.12,redirect:granularity=entry" }],
    ["01.baselineDesign=6.19", { baselineDesign: "6.19" }],
    ["01.backends=zram", { backends: ["zram"] }],
    ["01.accounting=letter", { accounting: "letter" }],
    ["01.occupancy=random", { occupancy: "random" }],
    ["01.occupancy=128", { occupancy: "128" }],
  ])("accepts --set %s", (arg, want) => {
    expect(ok(arg)).toEqual(want);
  });

  it.each([
    ["01.swapSizeBytes=lots", /swapSizeBytes must be a size such as 4096, 512M, 32G/],
    ["01.pageSizeBytes=1.5", /pageSizeBytes must be a size/],
    ["01.designs=vswap,nope", /designs must be "all" or design ids separated by commas \(linux-6.1, .*\) \(default "all"\), got "vswap,nope": unknown design "nope"$/],
    ["01.backends=zswap,floppy", /backends must be one of zswap, disk, zram, zero, cache/],
    ["01.accounting=both", /accounting must be kernel or letter/],
    ["01.occupancy=600", /occupancy must be packed, random, or a mean number of entries per in-use cluster between 1 and 512/],
  ])("rejects --set %s with one line", (arg, want) => {
    expect(message(() => ok(arg))).toMatch(want);
  });
});
