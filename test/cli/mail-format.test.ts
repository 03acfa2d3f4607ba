/**
 * Every CLI command that has `--format mail` prints text that pastes into a linux-mm reply as is:
 * every line printable ASCII (no tabs), at most 72 columns, and at least one numbered source
 * footnote (`[1] ...`). The mail tables embedded in the committed notebooks obey the same width
 * and character rules (out/ is not committed; the notebooks carry the same text).
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { checkMailText } from "../../src/notebook/display.js";

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => (err += t));
  return { code, out, err };
}

/** The offending lines, `n: line`, of a mail text (empty when it is mail-safe). */
function badLines(text: string): string[] {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l, i) => [i + 1, l] as const)
    .filter(([, l]) => l.length > 72 || !/^[\x20-\x7e]*$/.test(l))
    .map(([n, l]) => `${n}: ${JSON.stringify(l)}`);
}

// memcg and transfer are being fixed on other branches (their footnotes land with those merges);
// on fix-mail alone `transfer --format mail` has no `[1]` footnote and its case fails until then.
const COMMANDS: readonly (readonly string[])[] = [
  ["designs", "--format", "mail"],
  ["designs", "vswap-v6", "--format", "mail"],
  ["overhead", "--design", "vswap-v6", "--format", "mail"],
  ["compare", "--format", "mail"],
  ["start", "--format", "mail"],
  ["ledger", "--format", "mail"],
  ["benchmarks", "--format", "mail"],
  ["memcg", "--designs", "linux-6.19,vswap-v6", "--compression-ratio", "3", "--format", "mail"],
  ["simulate", "--workload", "churn", "--swap-size", "1G", "--events", "100k", "--format", "mail"],
  ["swapoff", "--design", "all", "--mapped", "144G", "--format", "mail"],
  ["transfer", "--design", "linux-7.1,vswap-v6,redirect", "--from", "hdd", "--to", "ssd", "--format", "mail"],
  ["host", "--snapshot", "data/hosts/lab-6.1-zswap", "--format", "mail"],
  ["fleet", "data/hosts", "--format", "mail"],
  ["fleet", "--synthetic", "50", "--format", "mail"],
  ["fleet", "--profiles", "--format", "mail"],
];

describe("every --format mail output pastes into a linux-mm reply", () => {
  it.each(COMMANDS.map((a) => [a.join(" "), a] as const))("swapcost %s: ASCII, no tabs, <= 72 columns, numbered footnotes", async (_, argv) => {
    const r = await run(argv);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.endsWith("\n")).toBe(true);
    expect(badLines(r.out)).toEqual([]);
    expect(r.out).toMatch(/^\[1\] \S/m);
  }, 60_000);
});

describe("the mail tables embedded in the committed notebooks", () => {
  const dir = path.join(process.cwd(), "notebooks");
  const tables: [string, string][] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".ipynb")).sort()) {
    const nb = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { cells: { outputs?: { metadata?: { swapcost?: { table?: string } }; data?: Record<string, string | string[]> }[] }[] };
    for (const c of nb.cells)
      for (const o of c.outputs ?? []) {
        const name = o.metadata?.swapcost?.table;
        const text = o.data?.["text/plain"];
        if (name && text !== undefined) tables.push([`${f} ${name}`, Array.isArray(text) ? text.join("") : text]);
      }
  }

  it("every notebook ends with at least one mail table", () => {
    const withTables = new Set(tables.map(([n]) => n.split(" ")[0]));
    expect([...withTables].sort()).toEqual(readdirSync(dir).filter((x) => x.endsWith(".ipynb")).sort());
  });

  it.each(tables)("%s: ASCII, no tabs, <= 72 columns", (name, text) => {
    expect(() => checkMailText(name, text)).not.toThrow();
  });
});
