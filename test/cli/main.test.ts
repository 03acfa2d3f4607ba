import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { main } from "../../src/cli/main.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => (err += t));
  return { code, out, err };
}

describe("swapcost CLI", () => {
  it("help lists the commands", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    for (const c of ["designs", "overhead", "compare", "start"]) expect(r.out).toContain(c);
  });

  it("designs lists every design; designs <id> prints the inventory with sources", async () => {
    const list = await cli("designs");
    expect(list.out).toMatch(/vswap-v6/);
    const inv = await cli("designs", "linux-6.1");
    expect(inv.out).toContain("source: 6.1 mm/swapfile.c:3083");
    expect(inv.out).toContain("letters: 2 B per slot");
  });

  it("overhead --format json has design, inputs, rows and totals", async () => {
    const r = await cli("overhead", "--design", "vswap-v6", "--swap-size", "32G", "--used", "50%", "--format", "json");
    const j = JSON.parse(r.out);
    expect(j.design.id).toBe("vswap-v6");
    expect(j.inputs.slots).toBe(8388608);
    expect(Object.keys(j.totals)).toEqual(expect.arrayContaining(["staticBytes", "dynamicBytes", "bytes"]));
    expect(j.totals.bytes).toBe(j.rows.reduce((a: number, x: { bytes: number }) => a + x.bytes, 0));
  });

  it("compare --format json emits an array of overhead results", async () => {
    const r = await cli("compare", "--designs", "linux-6.19,vswap-v3", "--used", "0,50", "--format", "json");
    const j = JSON.parse(r.out);
    expect(j).toHaveLength(4);
    expect(j[2].design.id).toBe("vswap-v3");
    expect(j[2].net.baseline).toBe("linux-6.19");
  });

  it("--used accepts 50, 50%, 0.5 and 16G alike", async () => {
    const outs = await Promise.all(["50", "50%", "0.5", "16G"].map((u) => cli("overhead", "--design", "linux-6.19", "--used", u, "--format", "json")));
    const used = outs.map((o) => JSON.parse(o.out).inputs.usedEntries);
    expect(used[0]).toBe(used[1]);
    expect(used[0]).toBe(used[2]);
    expect(used[3]).toBe(4194304);
  });

  it.each<[string, string[], RegExp]>([
    ["unknown design", ["overhead", "--design", "vswap-v9"], /^swapcost: design: got "vswap-v9", expected one of linux-6\.1, /],
    ["unparseable size", ["overhead", "--design", "linux-6.1", "--swap-size", "32X"], /^swapcost: --swap-size: got "32X"/],
    ["zero size", ["overhead", "--design", "linux-6.1", "--swap-size", "0"], /^swapcost: --swap-size: got "0", expected at least 8K/],
    ["negative size", ["overhead", "--design", "linux-6.1", "--swap-size", "-1G"], /^swapcost: --swap-size/],
    ["used over 100%", ["overhead", "--design", "linux-6.1", "--used", "150%"], /^swapcost: --used: over 100%/],
    ["a mix not summing to 100%", ["overhead", "--design", "linux-6.1", "--mix", "zswap=60%,disk=30%"], /^swapcost: --mix: they sum to 90\.00%/],
    ["a backend the design cannot have", ["overhead", "--design", "ghost-swapfile", "--backend", "disk"], /^swapcost: --backend: ghost-swapfile cannot hold disk entries/],
    ["zswap-only on a design that needs a swapfile", ["overhead", "--design", "linux-6.19", "--device", "none"], /^swapcost: device: linux-6\.19 needs a swap device/],
    ["an unknown option", ["overhead", "--design", "linux-6.1", "--sise", "1G"], /^swapcost: swapcost overhead: unknown option; got "--sise", expected one of --design/],
    ["a missing value", ["overhead", "--design"], /^swapcost: --design: missing value/],
    ["an unknown command", ["overhed"], /^swapcost: unknown command "overhed"/],
    ["a bad format", ["designs", "--format", "xml"], /^swapcost: --format: got "xml", expected one of text, json/],
    ["a malformed design file", ["overhead", "--design-file", "package.json"], /^swapcost: package\.json: name: unknown key; got "name", expected one of the keys id, aliases, title, /],
    ["an unreadable design file", ["overhead", "--design-file", "/nonexistent.json"], /^swapcost: --design-file: ENOENT/],
  ])("%s: one line on stderr, exit code 2", async (_, argv, re) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(re);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
  });

  it("the installed bin answers with exit code 2 and no stack trace for user errors", () => {
    const r = spawnSync(process.execPath, ["bin/swapcost.js", "overhead", "--design", "nope"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^swapcost: design: got "nope"/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("stops quietly with exit code 0 when its reader goes away (swapcost … | head)", () => {
    const r = spawnSync("/bin/bash", ["-c", `set -o pipefail; "${process.execPath}" bin/swapcost.js ledger --verbose | head -c 10 >/dev/null`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("the CLI's import graph never reaches danfojs, plotly or a browser", () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:import|export)[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith(".")) walk(path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")));
        else bare.add(spec);
      }
    };
    walk(path.resolve("src/cli/main.ts"));
    expect(seen.size).toBeGreaterThan(10);
    expect([...bare].filter((b) => /danfo|plotly|playwright|puppeteer|tslab/.test(b))).toEqual([]);
  });
});
