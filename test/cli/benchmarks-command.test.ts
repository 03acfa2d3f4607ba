import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { readBenchmarks } from "../../src/benchmarks/tables.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => (err += t));
  return { code, out, err };
}

describe("swapcost benchmarks", () => {
  it("lists every published table, labelled as published measurements", async () => {
    const { code, out } = await run("benchmarks");
    expect(code).toBe(0);
    for (const t of readBenchmarks()) expect(out).toContain(t.meta.id);
    expect(out).toContain("published measurements");
  });

  it.each(readBenchmarks().map((t) => [t.meta.id]))("benchmarks %s --format mail is ASCII within 72 columns and names its source", async (id) => {
    const { code, out } = await run("benchmarks", id, "--format", "mail");
    expect(code).toBe(0);
    for (const l of out.slice(0, -1).split("\n")) {
      expect(l.length, l).toBeLessThanOrEqual(72);
      expect(/^[\x20-\x7e]*$/.test(l), l).toBe(true);
    }
    expect(out).toMatch(/^source +\S/m);
    expect(out.replace(/\s+/g, " ")).toContain("not model output");
  });

  it("--format json gives the sidecar, the rows and the deltas", async () => {
    const j = JSON.parse((await run("benchmarks", "vswap-v6", "--format", "json")).out) as { meta: { url: string }; rows: unknown[]; deltas: Array<{ changePct: number; errPct: number | null }> };
    expect(j.meta.url).toBe("https://lore.kernel.org/all/20260505153854.1612033-1-nphamcs@gmail.com/");
    expect(j.rows).toHaveLength(39);
    expect(j.deltas).toHaveLength(26);
    expect(j.deltas.every((d) => d.errPct !== null)).toBe(true);
  });

  it("an unknown table is one line on stderr, exit 2", async () => {
    const { code, err } = await run("benchmarks", "vswap-v7");
    expect(code).toBe(2);
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toMatch(/benchmark table.*vswap-v6/);
  });
});
