import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => (err += t));
  return { code, out, err };
}

const CUSTOM = "data/designs/vswap-16b-desc.json";
/** The same design, zswap-only: it cannot hold disk entries. */
const ZSWAP_ONLY = (() => {
  const d = JSON.parse(readFileSync(CUSTOM, "utf8"));
  const f = path.join(mkdtempSync(path.join(tmpdir(), "swapcost-")), "zswap-only.json");
  writeFileSync(f, JSON.stringify({ ...d, id: "zswap-only-16b", aliases: [], entryKinds: ["zswap", "zero", "cache"], devices: ["none"] }));
  return f;
})();

describe("swapcost compare: which designs are compared", () => {
  it.each<[string, string[], string, RegExp]>([
    ["an hdd device", ["--device", "hdd"], "ghost-swapfile", /has no data device/],
    ["a 16 TiB device", ["--swap-size", "16T"], "vswap-ste-v1", /exceeds ALIGN_DOWN\(UINT_MAX, SWAPFILE_CLUSTER\)/],
    ["the disk backend", ["--backend", "disk"], "ghost-swapfile", /cannot hold disk entries/],
  ])("with --designs all, %s leaves out the designs that cannot take it, with the reason, in text, json and mail", async (_, flags, left, why) => {
    const text = await cli("compare", ...flags, "--used", "0,50");
    expect(text.code).toBe(0);
    expect(text.out).toMatch(new RegExp(`not shown:\\n(?:  .*\\n)*  ${left}: `));
    expect(text.out.slice(text.out.indexOf("not shown:"))).toMatch(why);

    const json = await cli("compare", ...flags, "--used", "0,50", "--format", "json");
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as { design: { id: string }; skipped: { design: string; reason: string }[] }[];
    expect(rows.map((r) => r.design.id)).not.toContain(left);
    const skipped = rows[0].skipped.find((s) => s.design === left);
    expect(skipped?.reason).toMatch(why);
    for (const r of rows) expect(r.skipped).toEqual(rows[0].skipped);

    const mail = await cli("compare", ...flags, "--used", "0,50", "--format", "mail");
    expect(mail.code).toBe(0);
    expect(mail.out).toMatch(new RegExp(`Not shown:[^]*${left} \\(`));
  });

  it("with nothing left out, json rows carry an empty skipped list and text has no note", async () => {
    const json = JSON.parse((await cli("compare", "--designs", "linux-6.19,vswap-v3", "--used", "0", "--format", "json")).out);
    expect(json[0].skipped).toEqual([]);
    expect((await cli("compare", "--designs", "linux-6.19,vswap-v3", "--used", "0")).out).not.toContain("not shown");
  });

  it.each<[string, string[], RegExp]>([
    ["a named design that cannot take the device", ["--designs", "linux-6.19,ghost-swapfile", "--device", "hdd"], /^swapcost: device: ghost-swapfile has no data device/],
    ["a named design that cannot take the size", ["--designs", "vswap-ste-v1", "--swap-size", "16T"], /^swapcost: swap size: exceeds ALIGN_DOWN/],
    ["a named design that cannot take the backend", ["--designs", "linux-6.19,ghost-swapfile", "--backend", "disk"], /^swapcost: --backend: ghost-swapfile cannot hold disk entries/],
    ["a baseline that cannot take the device", ["--baseline", "ghost-swapfile", "--device", "hdd"], /^swapcost: device: ghost-swapfile has no data device/],
    ["the design file's design that cannot take the backend", ["--design-file", ZSWAP_ONLY, "--backend", "disk"], /^swapcost: --backend: zswap-only-16b cannot hold disk entries/],
  ])("%s still errors: one line, exit 2", async (_, flags, re) => {
    const r = await cli("compare", ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(re);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
  });

  it.each<[string, string[]]>([
    ["--designs names other designs", ["--designs", "linux-6.19"]],
    ["--designs all", []],
    ["--designs names it too", ["--designs", "linux-6.19,vswap-16b-desc"]],
  ])("the --design-file design is always compared when %s", async (_, flags) => {
    const r = await cli("compare", ...flags, "--design-file", CUSTOM, "--used", "50", "--format", "json");
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.out) as { design: { id: string } }[]).map((x) => x.design.id);
    expect(ids.filter((id) => id === "vswap-16b-desc")).toHaveLength(1);
    expect(ids).toContain("linux-6.19");
  });

  it("--help says the design file is always compared", async () => {
    expect((await cli("compare", "--help")).out).toMatch(/design of --design-file is always compared/);
  });
});

describe("list and mix parsing", () => {
  it.each<[string, string[], RegExp]>([
    ["an empty item in --used", ["compare", "--designs", "linux-6.19", "--used", "0,,5"], /^swapcost: --used: empty item; got "0,,5", expected a comma-separated list/],
    ["a trailing comma in --used", ["compare", "--designs", "linux-6.19", "--used", "0,5,"], /^swapcost: --used: empty item/],
    ["an empty --used", ["compare", "--designs", "linux-6.19", "--used", ""], /^swapcost: --used: got "", expected a comma-separated list/],
    ["a trailing comma in --mix", ["overhead", "--design", "linux-6.19", "--mix", "zswap=50%,disk=50%,"], /^swapcost: --mix: empty item; got "zswap=50%,disk=50%,", expected backend=share pairs/],
    ["an empty item in --mix", ["compare", "--designs", "linux-6.19", "--mix", "zswap=50%,,disk=50%"], /^swapcost: --mix: empty item/],
    ["an empty --designs", ["compare", "--designs", ""], /^swapcost: --designs: got "", expected a comma-separated list of design ids, or all/],
    ["an empty item in --designs", ["compare", "--designs", "linux-6.19,,vswap-v6"], /^swapcost: --designs: empty design id; got ""/],
    ["--swap-size 8P", ["overhead", "--design", "vswap-ste-v2", "--swap-size", "8P"], /^swapcost: --swap-size: too large; got "8P", expected a size less than 8 PiB/],
  ])("%s: one line naming the option, exit 2", async (_, argv, re) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(re);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
  });

  it.each<[string, string[]]>([
    ["--used 0,5 (no empty item)", ["compare", "--designs", "linux-6.19", "--used", "0,5", "--format", "json"]],
    ["--used with spaces", ["compare", "--designs", "linux-6.19", "--used", "0, 5", "--format", "json"]],
    ["--mix without a trailing comma", ["compare", "--designs", "linux-6.19", "--mix", "zswap=50%,disk=50%", "--used", "0,5", "--format", "json"]],
  ])("%s is accepted", async (_, argv) => {
    const r = await cli(...argv);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).map((x: { usedShare: number }) => x.usedShare)).toEqual([0, 0.05]);
  });
});

describe("JSON rows", () => {
  it("every row has sources (a list) and source (the same citations as one line), as issue #2 names it", async () => {
    const r = JSON.parse((await cli("overhead", "--design", "linux-6.19", "--format", "json")).out);
    for (const row of r.rows) {
      expect(row.sources.length).toBeGreaterThan(0);
      expect(row.source).toBe(row.sources.join("; "));
    }
  });
});

describe("swapcost start --format json", () => {
  it("emits the compare rows of both backends; ghost-swapfile is skipped for disk with the reason", async () => {
    const r = await cli("start", "--format", "json");
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { design: { id: string }; inputs: unknown; usedShare: number; skipped: { design: string; reason: string }[]; totals: { bytes: number } }[];
    const zswap = rows.filter((x) => x.skipped.length === 0);
    const disk = rows.filter((x) => x.skipped.length > 0);
    expect(zswap.length).toBeGreaterThan(0);
    expect(disk.length).toBeGreaterThan(0);
    expect(zswap.some((x) => x.design.id === "ghost-swapfile")).toBe(true);
    expect(disk.some((x) => x.design.id === "ghost-swapfile")).toBe(false);
    expect(disk[0].skipped).toEqual([{ design: "ghost-swapfile", reason: expect.stringMatching(/cannot hold disk entries/) }]);
    for (const x of rows) expect(Number.isSafeInteger(x.totals.bytes)).toBe(true);
  });

  it("--format xml is still an error naming the allowed formats", async () => {
    const r = await cli("start", "--format", "xml");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^swapcost: --format: got "xml", expected one of text, json, mail$/m);
  });
});
