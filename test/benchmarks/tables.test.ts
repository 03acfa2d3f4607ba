import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseCsv } from "../../src/benchmarks/csv.js";
import { BENCH_COLUMNS, findTable, parseBenchCsv, readBenchmarks, validateBenchMeta, type BenchMeta } from "../../src/benchmarks/tables.js";
import { benchDeltas, changeErrPct, changePct, findMeasure, measureOf } from "../../src/benchmarks/delta.js";
import { designIds, findSpec } from "../../src/designs/registry.js";

const tables = readBenchmarks();

describe("data/benchmarks: the thread's published tables (claims.md section 6) as CSV + sidecar", () => {
  it("holds one table per published benchmark section, each labelled a published measurement with a source URL", () => {
    expect(tables.map((t) => t.meta.id)).toEqual([
      "vswap-rfc",
      "swap-table-p1",
      "swap-table-p2",
      "vswap-v3",
      "kairui-vswap-v3",
      "swap-table-p4-rfc",
      "vswap-v4-v5",
      "kairui-vswap-v5",
      "swap-tiers-v6",
      "nhat-zram-mglru",
      "vswap-v6",
      "swap-table-p4-v5",
      "vswap-ste-v2",
    ]);
    for (const t of tables) {
      expect(t.meta.provenance).toBe("published measurement");
      expect(t.meta.url).toMatch(/^https:\/\//);
      expect(t.rows.length).toBeGreaterThan(0);
    }
  });

  it("every test of a sidecar has rows, every series is used, and every test has its baseline measured", () => {
    for (const t of tables) {
      for (const test of Object.keys(t.meta.tests)) expect(t.rows.some((r) => r.test === test), `${t.meta.id}: ${test}`).toBe(true);
      for (const s of t.meta.series) expect(t.rows.some((r) => r.series === s.id), `${t.meta.id}: ${s.id}`).toBe(true);
      for (const test of Object.keys(t.meta.tests)) {
        const base = t.meta.baselineByTest?.[test] ?? t.meta.baseline;
        expect(t.rows.some((r) => r.test === test && r.series === base), `${t.meta.id}: ${test} has no ${base} row`).toBe(true);
      }
    }
  });

  it("series that name a design name one of the registry's designs", () => {
    for (const t of tables) for (const s of t.meta.series) if (s.design) expect(findSpec(s.design), `${t.meta.id}/${s.id}: ${s.design} not in ${designIds().join(",")}`).toBeDefined();
  });

  it("stddevs are reported only on means, and runs listed one by one are numbered", () => {
    const all = tables.flatMap((t) => t.rows);
    expect(all.filter((r) => r.sd !== null).every((r) => r.stat === "mean")).toBe(true);
    expect(all.filter((r) => r.stat === "run").every((r) => r.run !== null && r.runs !== null && r.run <= r.runs)).toBe(true);
  });

  it("spot checks against the letters: VSS v6 usemem free 8354 +- 217 ms (v5); P1 sys 219.12 -> 158.16 s", () => {
    const v6 = findTable(tables, "vswap-v6");
    expect(measureOf(v6, "usemem 56G single-threaded", "free", "vswap-v5")).toEqual({ value: 8354, sd: 217, n: 16, stat: "mean" });
    const p1 = findTable(tables, "swap-table-p1");
    expect(measureOf(p1, "usemem -n 31 1G 4G memcg PMEM", "sys", "before").value).toBe(219.12);
    expect(measureOf(p1, "usemem -n 31 1G 4G memcg PMEM", "sys", "after").value).toBe(158.16);
  });
});

describe("deltas against each table's baseline", () => {
  it("runs listed one by one are averaged, with their sample stddev (Kairui's PMEM memhog: 20.80, 21.69, 21.86 s)", () => {
    const m = measureOf(findTable(tables, "kairui-vswap-v5"), "memhog 48G on PMEM", "wall", "base-6.19");
    expect(m.value).toBeCloseTo(21.45, 10);
    expect(m.sd).toBeCloseTo(Math.sqrt(((20.8 - 21.45) ** 2 + (21.69 - 21.45) ** 2 + (21.86 - 21.45) ** 2) / 2), 10);
    expect(m.n).toBe(3);
    expect(m.stat).toBe("run");
  });

  it("changePct is the raw change; the error propagates both reported stddevs", () => {
    expect(changePct(83, 80.5)).toBeCloseTo(3.1056, 4);
    expect(changePct(1, 0)).toBeNull();
    expect(changePct(0, 0)).toBe(0);
    const err = changeErrPct({ value: 83, sd: 1.8, n: 8, stat: "mean" }, { value: 80.5, sd: 1.9, n: 8, stat: "mean" });
    expect(err).toBeCloseTo(100 * (83 / 80.5) * Math.hypot(1.8 / 83, 1.9 / 80.5), 10);
    expect(changeErrPct({ value: 83, sd: null, n: null, stat: "value" }, { value: 80.5, sd: 1.9, n: 8, stat: "mean" })).toBeNull();
  });

  it("benchDeltas() pairs every candidate with its test's baseline (mm-stable for Kairui's Redis run) and gives mmtests' sign", () => {
    const d = benchDeltas(tables);
    const redis = d.find((x) => x.table === "kairui-vswap-v3" && x.test === "redis")!;
    expect(redis.baseline).toBe("mm-stable");
    expect(redis.changePct).toBeCloseTo(((327515 - 405827.81) / 405827.81) * 100, 10);
    expect(redis.betterPct).toBeCloseTo(redis.changePct!, 10); // RPS: higher is better
    const sys = d.find((x) => x.table === "vswap-v6" && x.test === "memhog 48G" && x.metric === "sys" && x.series === "vswap-v6")!;
    expect(sys.betterPct).toBeCloseTo(-sys.changePct!, 10);
    expect(d.every((x) => x.series !== x.baseline)).toBe(true);
    expect(d.filter((x) => x.better === "n/a").every((x) => x.betterPct === null)).toBe(true);
    expect(findMeasure(findTable(tables, "vswap-rfc"), "swapoff", "real", "vss-rfc-static")).toBeUndefined();
  });
});

describe("schema checks refuse malformed data with file:line", () => {
  const meta = JSON.parse(readFileSync("data/benchmarks/vswap-v3.json", "utf8")) as BenchMeta;
  const head = BENCH_COLUMNS.join(",");
  const good = "kernel build (zswap),real,s,lower,base-6.19,mean,185.2,0.93,,,";
  it.each([
    ["a wrong header", "test,metric\n" + good, /header/],
    ["an unknown unit", `${head}\nkernel build (zswap),real,sec,lower,base-6.19,mean,185.2,0.93,,,`, /vswap-v3.csv:2 unit/],
    ["a thousands separator", `${head}\nkernel build (zswap),real,s,lower,base-6.19,mean,"185,2",0.93,,,`, /plain decimal number/],
    ["a stddev on a single value", `${head}\nkernel build (zswap),real,s,lower,base-6.19,value,185.2,0.93,,,`, /sd.*empty unless stat is mean/],
    ["an unknown series", `${head}\nkernel build (zswap),real,s,lower,base-6.18,mean,185.2,0.93,,,`, /series/],
    ["a test the sidecar does not describe", `${head}\nkernel build (zram),real,s,lower,base-6.19,mean,185.2,0.93,,,`, /test/],
    ["a duplicate row", `${head}\n${good}\n${good}`, /one row per test/],
    ["two units for one metric", `${head}\n${good}\nkernel build (zswap),real,ms,lower,vswap-v3,mean,185.2,0.93,,,`, /same unit and direction/],
    ["a run number without stat run", `${head}\nkernel build (zswap),real,s,lower,base-6.19,mean,185.2,0.93,3,1,`, /run/],
  ])("CSV: %s", (_, text, re) => {
    expect(() => parseBenchCsv(text, validateBenchMeta(meta, "vswap-v3.json"), "data/benchmarks/vswap-v3.csv")).toThrow(re);
  });

  it.each([
    ["a provenance other than published", { provenance: "model" }, /provenance/],
    ["a date that is not YYYY-MM-DD", { date: "Feb 2026" }, /date/],
    ["a URL that is not a URL", { url: "lore: 20260208" }, /URL/],
    ["a baseline that is not a series", { baseline: "6.18" }, /baseline/],
    ["an unknown field", { answer: 42 }, /known field/],
    ["an evidence tag outside the vocabulary", { evidence: "heard" }, /evidence/],
  ])("sidecar: %s", (_, patch, re) => {
    expect(() => validateBenchMeta({ ...meta, ...patch }, "vswap-v3.json")).toThrow(re);
  });

  it("a sidecar whose id is not its file name is refused", () => {
    expect(() => validateBenchMeta(meta, "vswap-v4.json")).toThrow(/id/);
  });

  it("readBenchmarks() on a root without data/benchmarks names the directory", () => {
    const root = mkdtempSync(path.join(tmpdir(), "swapcost-bench-"));
    expect(() => readBenchmarks(root)).toThrow(/data\/benchmarks/);
    mkdirSync(path.join(root, "data", "benchmarks"), { recursive: true });
    writeFileSync(path.join(root, "data", "benchmarks", "x.json"), "{");
    expect(() => readBenchmarks(root)).toThrow(/valid JSON/);
  });
});

describe("parseCsv()", () => {
  it("reads quoted fields, doubled quotes, CRLF and embedded newlines, with line numbers", () => {
    const { header, records } = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n');
    expect(header).toEqual(["a", "b"]);
    expect(records).toEqual([
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 3, fields: ["multi\nline", "2"] },
    ]);
  });
});

describe("version tracks: the same measurement across a series' versions", () => {
  it("trackOf() groups test and metric names by kind, and leaves the rest out", async () => {
    const { trackOf } = await import("../../src/benchmarks/tracks.js");
    expect(trackOf("kernel build (zswap)", "sys")).toBe("kernel build: system time");
    expect(trackOf("build ZRAM -j48 4G", "sys")).toBe("kernel build: system time");
    expect(trackOf("usemem 56G single-threaded", "free")).toBe("usemem: free time");
    expect(trackOf("usemem -n 1 56G", "free latency")).toBe("usemem: free time");
    expect(trackOf("valkey ARM64 1.5G", "RPS BGSAVE")).toBeNull();
    expect(trackOf("usemem 56G", "swap_ra")).toBeNull();
  });

  it("the kernel-build system time of vswap runs from the RFC to STE v2, each against its own baseline", async () => {
    const { versionTracks } = await import("../../src/benchmarks/tracks.js");
    const rows = versionTracks(benchDeltas(tables)).filter((r) => r.family === "vswap" && r.track === "kernel build: system time");
    expect([...new Set(rows.map((r) => r.table))]).toEqual(["vswap-rfc", "vswap-v3", "kairui-vswap-v3", "vswap-v4-v5", "vswap-v6", "vswap-ste-v2"]);
    const v6 = rows.find((r) => r.table === "vswap-v6" && r.series === "vswap-v6")!;
    expect(v6.betterPct).toBeCloseTo(-((535.53 - 538.87) / 538.87) * 100, 10);
    expect(v6.errPct).not.toBeNull();
    expect(rows.every((r, i) => i === 0 || rows[i - 1].date <= r.date)).toBe(true);
    const v45 = rows.filter((r) => r.table === "vswap-v4-v5").map((r) => r.series);
    expect(v45.indexOf("vss-nofix")).toBeLessThan(v45.indexOf("vswap-v5")); // sidecar order: the unfixed v3 before v5
  });
});
