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

describe("range and cross-parameter rules (checked before any notebook runs)", () => {
  // the real defaults of the notebooks these rules guard (abridged to the keys the rules read)
  const nbs = new Map<string, Params | undefined>([
    ["01-static-vs-dynamic", {
      swapSizeBytes: "32G", designs: "all", baselineDesign: "linux-6.19", focusDesign: "vswap",
      usedPercents: [0, 25, 50, 75, 100], breakdownPercents: [25, 100], focusPercent: 50, mailPercents: [0, 50, 100],
    }],
    ["02-fragmentation", {
      swapSizeBytes: "256M", designs: "linux-7.1,vswap-v6", workloads: ["random-churn", "churn,s=1"], usedPercent: 50,
      zswapPercent: 70, diskPercent: 30, firstDesign: "linux-7.1", secondDesign: "vswap-v6", mailWorkload: "churn,s=1",
    }],
    ["03-memcg-charging", { swapSizeBytes: "32G", mailDesigns: "linux-6.12,vswap-v6" }],
    ["04-swapoff", { backend: "disk", device: "ssd", rmapSizesBytes: ["8G", "32G"], benchmarkSwapSizeBytes: "32G", rmapDesign: "vswap-v6", mappedGiB: [16, 64] }],
    ["06-claims-ledger", { sections: "all", detailVerdicts: "within,differs,not-modelled" }],
    ["07-thread-benchmarks", { families: ["vswap", "swap-table", "swap-tiers"], tables: "all" }],
    ["08-fleet", { profile: "mixed", mapDesigns: "linux-6.12,vswap-v6", hostCount: 1000 }],
  ]);
  const run = (...args: string[]) => resolveOverrides(overrides(...args), nbs);

  it.each([
    ["01.focusPercent=33", /^--set 01.focusPercent=33: focusPercent must be one of usedPercents \(0,25,50,75,100\), got 33$/],
    ["01.usedPercents=0,100", /^--set 01.usedPercents=0,100: focusPercent must be one of usedPercents \(0,100\), got 50$/],
    ["01.mailPercents=10", /mailPercents must be one of usedPercents/],
    ["01.baselineDesign=all", /^--set 01.baselineDesign=all: baselineDesign must be one design id \(.*\), not "all" or a list \(default "linux-6.19"\), got "all": a single design is needed here$/],
    ["01.focusDesign=all", /focusDesign must be one design id .*got "all"/],
    ["01.focusDesign=vswap,linux-6.19", /focusDesign must be one design id .*got "vswap,linux-6.19"$/],
    ["01.focusDesign=nope", /focusDesign must be one design id .*: unknown design "nope"$/],
    ["01.swapSizeBytes=0", /swapSizeBytes must be a swap size from 8K .* to 16T .*got "0"$/],
    ["01.swapSizeBytes=4K", /swapSizeBytes must be a swap size from 8K/],
    ["01.swapSizeBytes=32T", /swapSizeBytes must be a swap size from 8K .* to 16T .*got "32T"$/],
    ["01.usedPercents=", /usedPercents must be a non-empty list .*got ""$/],
    ["01.breakdownPercents=", /breakdownPercents must be a non-empty list/],
    ["01.mailPercents=", /mailPercents must be a non-empty list/],
    ["02.mailWorkload=mthp", /mailWorkload must be one of workloads \(random-churn,churn,s=1\), got mthp$/],
    ["02.workloads=mthp", /mailWorkload must be one of workloads \(mthp\), got churn,s=1$/],
    ["02.workloads=nope", /workloads must be workload specs .*got "nope"/],
    ["02.workloads=churn,s=1", /a --set list splits at commas: give workloads with parameters in a --params JSON file/],
    ["02.workloads=", /workloads must be a non-empty list/],
    ["02.zswapPercent=80", /zswapPercent \+ diskPercent must be at most 100 .*got 110$/],
    ["02.firstDesign=all", /firstDesign must be one design id/],
    ["03.swapSizeBytes=32T", /swapSizeBytes must be a swap size from 8K/],
    ["04.rmapSizesBytes=8G,32T", /rmapSizesBytes must be a swap size from 8K/],
    ["04.benchmarkSwapSizeBytes=4K", /benchmarkSwapSizeBytes must be a swap size from 8K/],
    ["04.rmapDesign=all", /rmapDesign must be one design id/],
    ["04.backend=zram", /backend must be one of disk, zswap, got zram$/],
    ["04.device=nvme", /device must be one of ssd, hdd, zram, got nvme$/],
    ["04.mappedGiB=", /mappedGiB must be a non-empty list/],
    ["06.sections=7", /sections must be "all" or numbers from 1 to 6 separated by commas, got "7"$/],
    ["06.sections=,", /sections must be "all" or numbers from 1 to 6/],
    ["06.detailVerdicts=wrong", /detailVerdicts must be "all" or reproduced, within, differs, not-modelled separated by commas/],
    ["07.families=vswap,nope", /families must be a list of vswap, swap-table, swap-tiers, got nope$/],
    ["07.families=", /families must be a non-empty list/],
    ["08.profile=laptop", /profile must be one of mixed, .*got laptop$/],
    ["08.mapDesigns=vswap-v6", /mapDesigns must be two designs separated by a comma/],
  ])("rejects --set %s with one line", (arg, want) => {
    expect(message(() => run(arg))).toMatch(want);
  });

  it.each([
    [["01.focusPercent=25"], "01-static-vs-dynamic", { focusPercent: 25 }],
    [["01.usedPercents=0,50,100", "01.mailPercents=50"], "01-static-vs-dynamic", { usedPercents: [0, 50, 100], mailPercents: [50] }],
    [["01.swapSizeBytes=8K"], "01-static-vs-dynamic", { swapSizeBytes: "8K" }],
    [["01.swapSizeBytes=16T"], "01-static-vs-dynamic", { swapSizeBytes: "16T" }],
    [["01.baselineDesign=6.12"], "01-static-vs-dynamic", { baselineDesign: "6.12" }],
    [["02.mailWorkload=random-churn"], "02-fragmentation", { mailWorkload: "random-churn" }],
    [["02.zswapPercent=60", "02.diskPercent=40"], "02-fragmentation", { zswapPercent: 60, diskPercent: 40 }],
    [["04.backend=zswap", "04.device=zram"], "04-swapoff", { backend: "zswap", device: "zram" }],
    [["06.sections=1,4", "06.detailVerdicts=all"], "06-claims-ledger", { sections: "1,4", detailVerdicts: "all" }],
    [["07.families=swap-tiers"], "07-thread-benchmarks", { families: ["swap-tiers"] }],
    [["08.profile=android-zram", "08.mapDesigns=linux-6.1,vswap-v6"], "08-fleet", { profile: "android-zram", mapDesigns: "linux-6.1,vswap-v6" }],
  ])("accepts --set %j", (args, stem, want) => {
    expect(run(...args).get(stem)).toEqual(want);
  });

  it.each([
    [{ workloads: ["churn,s=2"], mailWorkload: "churn,s=2" }, /^--params p.json: 02.workloads: workloads: churn,s=2 must have s between 0 and 1\.\d+ for 32768 swapped pages with ram=25% .*got s=2$/],
    [{ workloads: ["churn,s=1.3,ram=100%"], mailWorkload: "churn,s=1.3,ram=100%" }, /churn,s=1.3,ram=100% must have s between 0 and 1\.\d+/],
  ])("--params rejects a churn workload the simulator would refuse at this size: %j", (o, want) => {
    const raw: RawOverrides = new Map();
    addParamsJson(raw, { "02": o }, "p.json");
    expect(message(() => resolveOverrides(raw, nbs))).toMatch(want);
  });

  it("--params accepts churn workloads with parameters at a size where they are meaningful", () => {
    const raw: RawOverrides = new Map();
    addParamsJson(raw, { "02": { workloads: ["churn,s=1.2,ram=10%", "mthp"], mailWorkload: "mthp" } }, "p.json");
    expect(resolveOverrides(raw, nbs).get("02-fragmentation")).toEqual({ workloads: ["churn,s=1.2,ram=10%", "mthp"], mailWorkload: "mthp" });
  });
});
