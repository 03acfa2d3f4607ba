import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseCgroupsJson } from "../../src/cli/memcg-command.js";
import { DEFAULT_MEMCG_CASES, tenantCgroups } from "../../src/sweep/memcg-cases.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => (err += t));
  return { code, out, err };
}

const dir = mkdtempSync(path.join(tmpdir(), "swapcost-memcg-"));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("swapcost memcg", () => {
  it("--format json names every counter after its cgroup file, in bytes", async () => {
    const r = await cli("memcg", "--design", "linux-6.12", "--anon", "64M", "--compression-ratio", "4", "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const c = j.cgroups[0];
    expect(Object.keys(c.counters)).toEqual(
      expect.arrayContaining(["memory.current", "memory.swap.current", "memory.zswap.current", "memory.stat:zswapped", "memory.swap.events:max"]),
    );
    expect(c.counters["memory.swap.current"]).toBe(64 * 1024 * 1024);
    expect(c.counters["memory.zswap.current"]).toBe(16384 * 1024);
    expect(j.rules.swapCharge.value).toBe("every-entry-at-allocation");
  });

  it("--designs a,b puts the designs side by side with the rules that differ and their sources", async () => {
    const r = await cli("memcg", "--designs", "linux-6.12,vswap-v6", "--swap-max", "0", "--anon", "16M", "--compression-ratio", "3");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/memory\.swap\.current\s+MiB\s+0\.00\s+0\.00/);
    expect(r.out).toMatch(/memory\.zswap\.current\s+MiB\s+0\.00\s+5\.33/);
    expect(r.out).toContain("physical-slots-only");
    expect(r.out).toContain("deb-6.12 mm/swap_slots.c:305-352");
  });

  it("--format mail is plain ASCII within 72 columns", async () => {
    const r = await cli("memcg", "--designs", "linux-6.1,linux-6.12,vswap-v6,ghost-p4", "--swap-max", "64M", "--zswap-max", "8M", "--anon", "256M", "--compression-ratio", "3", "--zero-share", "10%", "--format", "mail");
    expect(r.code).toBe(0);
    for (const line of r.out.split("\n")) {
      expect(line.length).toBeLessThanOrEqual(72);
      expect(line).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(r.out).toMatch(/^memory\.swap\.current$/m);
    expect(r.out).not.toContain("(MiB)");
    expect(r.out).not.toMatch(/\{"|":/);
    expect(r.out).toContain("zpools: linux-6.1 zbud, zsmalloc (default zbud)");
    expect(r.out).toMatch(/^\[1\] /m);
  });

  it("--format mail for one design lists its charging rules with numbered source footnotes", async () => {
    const r = await cli("memcg", "--design", "linux-6.12", "--anon", "64M", "--compression-ratio", "3", "--format", "mail");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Charging rules of linux-6.12:");
    expect(r.out).toMatch(/swap charge: every-entry-at-allocation \[\d/);
    expect(r.out).toMatch(/^\[1\] deb-6\.12 /m);
    for (const line of r.out.split("\n")) expect(line.length).toBeLessThanOrEqual(72);
  });

  it("the mail table of the two-tenant example (notebook 03's three designs) keeps each label on its row", async () => {
    const r = await cli("memcg", "--designs", "linux-6.12,swap-table-p4,vswap-v6", "--cgroups", "data/cgroups/two-tenants.json", "--format", "mail");
    expect(r.code).toBe(0);
    for (const label of ["memory.current", "memory.swap.current", "memory.zswap.current"]) expect(r.out).toMatch(new RegExp(`^${label.replace(/\./g, "\\.")} +\\d`, "m"));
  });

  it("text output for several designs aligns the limits-that-bit row with the counter columns", async () => {
    const r = await cli("memcg", "--designs", "linux-6.1,linux-6.12,vswap-v6", "--swap-max", "64M", "--anon", "256M", "--compression-ratio", "3");
    const lines = r.out.split("\n");
    const head = lines.find((l) => /^ +unit +linux-6\.1/.test(l))!;
    const bit = lines.find((l) => l.startsWith("  limits that bit"))!;
    // right-aligned columns: each design's cell ends where its header ends
    for (const id of ["linux-6.1", "linux-6.12", "vswap-v6"]) {
      const end = head.indexOf(id) + id.length;
      expect(bit.length).toBeGreaterThanOrEqual(end);
      expect(bit[end] ?? " ").toBe(" ");
      expect(bit[end - 1]).not.toBe(" ");
    }
  });

  it("--cgroups reads a hierarchy; --compressed-sizes a size distribution", async () => {
    const sizes = file("sizes.txt", "# compressed bytes, weight\n1000 1\n3000 1\n");
    const tree = file(
      "tree.json",
      JSON.stringify({
        system: { "swap-size": "4G" },
        cgroups: [
          { name: "parent", "memory.swap.max": "64M" },
          { name: "a", parent: "parent", workload: { anon: "64M", "compressed-sizes": sizes } },
          { name: "b", parent: "parent", "memory.zswap.writeback": 0, workload: { anon: "64M", "compression-ratio": 2, "zero-share": "50%" } },
        ],
      }),
    );
    const r = await cli("memcg", "--design", "linux-6.12", "--cgroups", tree, "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.cgroups.map((c: { path: string }) => c.path)).toEqual(["/parent", "/parent/a", "/parent/b"]);
    expect(j.cgroups[0].counters["memory.swap.current"]).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(j.system.swapDeviceBytes).toBe(4 * 1024 ** 3);
  });

  it.each([
    [["--design", "linux-6.12", "--anon", "1G"], /--compression-ratio: .*expected --compression-ratio <x> or --compressed-sizes <file>/],
    [["--design", "linux-6.12", "--compression-ratio", "3", "--zswap-writeback", "2"], /--zswap-writeback: got "2", expected 0 or 1/],
    [["--design", "linux-6.12", "--compression-ratio", "3", "--swap-max", "-1G"], /--swap-max: below zero; got "-1G"/],
    [["--design", "linux-6.12", "--compression-ratio", "3", "--zero-share", "60%", "--incompressible-share", "50%"], /shares: they add up to 110\.00%/],
    [["--design", "linux-6.12", "--compression-ratio", "0.5"], /compression ratio: got "0\.5", expected a ratio ≥ 1/],
    [["--design", "linux-6.1", "--compression-ratio", "3", "--zswap-writeback", "0"], /has no memory\.zswap\.writeback/],
    [["--design", "linux-7.1", "--compression-ratio", "3", "--zpool", "zbud"], /zpool: no zbud in the 7\.1 kernel/],
    [["--design", "nope", "--compression-ratio", "3"], /design: got "nope", expected one of linux-6\.1/],
    [["--compression-ratio", "3"], /--design: missing/],
    [["--design", "linux-6.12", "--compression-ratio", "3", "--bogus"], /unknown option/],
    [["--design", "linux-6.12", "--compression-ratio", "3", "--anon", "3"], /--anon: got "3", expected a whole number of 4 KiB pages/],
    [["--design", "linux-6.12", "--compression-ratio", "3", "--anon", "6000"], /--anon: got "6000", expected a whole number of 4 KiB pages/],
    [["--design", "linux-6.12", "--compression-ratio", "3", "--resident", "1k"], /--resident: got "1k", expected a whole number of 4 KiB pages/],
  ])("bad input %j exits 2 with one line naming the field", async (args, message) => {
    const r = await cli("memcg", ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(message);
  });

  it.each([
    ["a cycle", { cgroups: [{ name: "a", parent: "b" }, { name: "b", parent: "a" }] }, /cycle; got "a -> b -> a"/],
    ["a negative limit", { cgroups: [{ name: "a", "memory.max": -4096 }] }, /a\.memory\.max: got -4096/],
    ["an anon size below a page", { cgroups: [{ name: "a", workload: { anon: 3, "compression-ratio": 2 } }] }, /a\.workload\.anon: got 3, expected a whole number of 4 KiB pages/],
    ["an unknown key", { cgroups: [{ name: "a", "memory.low": "1G" }] }, /a: unknown key; got "memory\.low"/],
    ["shares over 100%", { cgroups: [{ name: "a", workload: { anon: "1M", "compression-ratio": 2, "zero-share": 0.7, "same-filled-share": 0.7 } }] }, /shares: they add up to 140\.00%/],
  ])("--cgroups with %s exits 2", async (_, doc, message) => {
    const r = await cli("memcg", "--design", "linux-6.12", "--cgroups", file(`bad-${Math.random()}.json`, JSON.stringify(doc)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it("a bad line in --compressed-sizes names the file and line", async () => {
    const r = await cli("memcg", "--design", "linux-6.12", "--compressed-sizes", file("bad-sizes.txt", "1000 1\nabc\n"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad-sizes\.txt:2: got "abc"/);
  });

  it("--cgroups and the one-cgroup flags are exclusive", async () => {
    const r = await cli("memcg", "--design", "linux-6.12", "--cgroups", file("t.json", "[]"), "--anon", "1G");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--anon: .*either --cgroups <file> or the one-cgroup flags/);
  });
});

describe("README memcg examples", () => {
  /** The `npx swapcost memcg ...` lines of README.md, continuation lines joined. */
  function readmeExamples(): string[][] {
    const text = readFileSync("README.md", "utf8").replace(/\\\n\s*/g, "");
    return [...text.matchAll(/^ {4}npx swapcost (memcg .*)$/gm)].map((m) => m[1].trim().split(/\s+/));
  }

  it("the README shows the example hierarchy that ships in data/cgroups", () => {
    const ex = readmeExamples();
    expect(ex.length).toBeGreaterThanOrEqual(3);
    const files = ex.flatMap((a) => a.filter((_, i) => a[i - 1] === "--cgroups"));
    expect(files).toContain("data/cgroups/two-tenants.json");
    for (const f of files) expect(existsSync(f), f).toBe(true);
  });

  it.each(readmeExamples().map((a) => [a.join(" "), a] as const))("README example `%s` runs", async (_, argv) => {
    const r = await cli(...argv);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    if (argv.includes("json")) {
      const j = JSON.parse(r.out);
      if (argv.includes("--cgroups")) {
        expect(j.map((d: { design: { id: string } }) => d.design.id)).toContain("vswap-v6");
        const paths = j[0].cgroups.map((c: { path: string }) => c.path);
        expect(paths).toEqual(["/tenants", "/tenants/t1", "/tenants/t2"]);
        for (const d of j) expect(d.cgroups[0].counters["memory.swap.current"]).toBeLessThanOrEqual(2 * 1024 ** 3);
      }
    }
  });
});

describe("data/cgroups/two-tenants.json", () => {
  it("is notebook 03 case (d)'s hierarchy with the default parameters", () => {
    const { cgroups, system } = parseCgroupsJson(readFileSync("data/cgroups/two-tenants.json", "utf8"), "two-tenants.json");
    const strip = (o: object) => JSON.parse(JSON.stringify(o));
    expect(strip(cgroups.map((c) => ({ ...c, zswapWriteback: undefined, zswapMaxBytes: undefined, parent: c.parent ?? undefined })))).toEqual(
      strip(tenantCgroups(DEFAULT_MEMCG_CASES).map((c) => ({ ...c, memoryMaxBytes: c.memoryMaxBytes ?? null, swapMaxBytes: c.swapMaxBytes ?? null, zswapMaxBytes: undefined }))),
    );
    expect(system.swapDeviceBytes).toBe(DEFAULT_MEMCG_CASES.swapSizeBytes);
  });
});
