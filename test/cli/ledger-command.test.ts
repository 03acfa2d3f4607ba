import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => (err += t));
  return { code, out, err };
}

function mailSafe(text: string): boolean {
  return text.endsWith("\n") && text.slice(0, -1).split("\n").every((l) => l.length <= 72 && /^[\x20-\x7e]*$/.test(l));
}

describe("swapcost ledger", () => {
  it("--format json prints one entry per claim with the required fields", async () => {
    const { code, out } = await run("ledger", "--format", "json");
    expect(code).toBe(0);
    const j = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(j.length).toBeGreaterThanOrEqual(150);
    for (const k of ["id", "speaker", "url", "claimed", "model", "deltaPct", "verdict", "reason"]) expect(j.every((e) => k in e), k).toBe(true);
  });

  it("--format mail pastes into a reply: ASCII, at most 72 columns, sources as footnotes", async () => {
    const { code, out } = await run("ledger", "--format", "mail");
    expect(code).toBe(0);
    expect(mailSafe(out)).toBe(true);
    expect(out).toMatch(/^\[1\] Nhat Pham, 2026-02-08: <20260208215839\.87595-1-nphamcs@gmail\.com>$/m);
    // claim / model / delta / verdict: the delta column, (model - claimed) / |claimed|
    expect(out).toMatch(/^ +claimed +model +delta +verdict$/m);
    expect(out).toMatch(/^s1-chris-3-static \[\d+\] +3 B\/slot +3\.1 +\+4\.17% +reproduced$/m);
  });

  it("the default text cites every claim's source: a numbered tag per id and the URLs at the end", async () => {
    const { code, out } = await run("ledger");
    expect(code).toBe(0);
    expect(out).toMatch(/^s1-old-32g-0pct \[1\] +Nhat Pham/m);
    expect(out).toMatch(/^sources:\n {2}\[1\] https:\/\/lore\.kernel\.org\/all\/20260208215839\.87595-1-nphamcs@gmail\.com\/$/m);
    const j = JSON.parse((await run("ledger", "--format", "json")).out) as Array<{ url: string }>;
    for (const url of new Set(j.map((e) => e.url))) expect(out).toContain(url);
  });

  it("filters by section, status and id", async () => {
    const s = JSON.parse((await run("ledger", "--format", "json", "--section", "4")).out) as Array<{ section: string }>;
    expect(s.length).toBeGreaterThan(0);
    expect(s.every((e) => e.section === "4")).toBe(true);
    const d = JSON.parse((await run("ledger", "--format", "json", "--status", "differs")).out) as Array<{ status: string }>;
    expect(d.every((e) => e.status === "differs")).toBe(true);
    const one = await run("ledger", "--id", "s2-ste-v2-saves-512");
    expect(one.out).toContain("s2-ste-v2-saves-512");
    expect(one.out).toContain("source: https://lore.kernel.org/all/20260612193738.2183968-1-nphamcs@gmail.com/");
  });

  it.each([
    [["ledger", "--format", "xml"], /--format.*one of text, json, mail/],
    [["ledger", "--section", "9"], /--section.*one of 1, 2, 3, 4, 5, 6/],
    [["ledger", "--status", "wrong"], /--status/],
    [["ledger", "--id", "nope"], /--id/],
    [["ledger", "--data", "/nonexistent"], /data\/claims/],
    [["ledger", "stray"], /options only/],
  ])("bad input %j: one line on stderr, exit 2", async (argv, re) => {
    const { code, err, out } = await run(...argv);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toMatch(re);
  });
});

describe("every command has --format mail", () => {
  it.each([
    [["designs", "--format", "mail"]],
    [["designs", "vswap-ste-v2", "--format", "mail"]],
    [["overhead", "--design", "vswap-v6", "--format", "mail"]],
    [["overhead", "--design", "vswap-ste-v2", "--swap-size", "8000T", "--used", "100%", "--format", "mail"]],
    [["compare", "--format", "mail"]],
    [["start", "--format", "mail"]],
    [["ledger", "--format", "mail"]],
    [["benchmarks", "vswap-ste-v2", "--format", "mail"]],
    [["memcg", "--designs", "linux-6.19,vswap-v6", "--compression-ratio", "3", "--format", "mail"]],
    [["simulate", "--workload", "churn", "--swap-size", "1G", "--events", "20000", "--format", "mail"]],
    [["swapoff", "--design", "all", "--mapped", "144G", "--format", "mail"]],
    [["swapoff", "--design", "vswap-v6", "--mix", "disk=50%,zswap=50%", "--reverse-map", "both", "--format", "mail"]],
    [["transfer", "--design", "linux-7.1,vswap-v6,redirect", "--from", "hdd", "--to", "ssd", "--format", "mail"]],
    [["host", "--format", "mail"]],
    [["host", "--snapshot", "data/hosts/lab-6.1-zswap", "--format", "mail"]],
    [["fleet", "data/hosts", "--format", "mail"]],
    [["fleet", "--synthetic", "50", "--format", "mail"]],
  ])("swapcost %j is mail-safe", async (argv) => {
    const { code, out } = await run(...argv);
    expect(code).toBe(0);
    expect(mailSafe(out)).toBe(true);
  });
});
