import { describe, expect, it } from "vitest";
import { benchDeltas, type BenchDelta } from "../../src/benchmarks/delta.js";
import { findTable, readBenchmarks } from "../../src/benchmarks/tables.js";
import { versionTracks, type TrackRow } from "../../src/benchmarks/tracks.js";
import { benchTableFigure, versionTrackFigure } from "../../src/figures/benchmarks.js";
import { computeLedger, readClaims, type LedgerEntry, type LedgerStatus } from "../../src/ledger/ledger.js";
import { deltaFigure, verdictFigure, verdictRows } from "../../src/figures/ledger.js";

const tables = readBenchmarks();
const deltas = benchDeltas(tables);

describe("benchmark figures (published measurements)", () => {
  it("benchTableFigure(): one trace per candidate, a category per test/metric, error bars = propagated stddev", () => {
    const rows = deltas.filter((d) => d.table === "vswap-v6");
    const fig = benchTableFigure(rows, { title: "v6" });
    expect(fig.data.map((t) => t.name)).toEqual(["vswap-v5", "vswap-v6"]);
    const v6 = fig.data[1] as { x: number[]; y: string[]; error_x: { array: number[] } };
    expect(v6.y).toHaveLength(13);
    expect(v6.x[0]).toBeCloseTo(-((80.64 - 80.5) / 80.5) * 100, 10);
    expect(v6.error_x.array[0]).toBeCloseTo(rows.find((d) => d.series === "vswap-v6")!.errPct!, 10);
  });

  it("benchTableFigure(): tables without a reported spread get no error bars", () => {
    const fig = benchTableFigure(deltas.filter((d) => d.table === "swap-table-p1"), { title: "p1" });
    expect(fig.data.every((t) => !("error_x" in t))).toBe(true);
  });

  it("versionTrackFigure(): versions on x in table order, one trace per track", () => {
    const rows = versionTracks(deltas).filter((r) => r.family === "swap-table");
    const fig = versionTrackFigure(rows, { title: "swap table" });
    const xaxis = fig.layout.xaxis as { categoryarray: string[] };
    expect(xaxis.categoryarray).toEqual(["swap-table-p1 (swap-table-p1)", "swap-table-p2 (swap-table-p2)", "swap-table-p4-rfc (swap-table-p4-rfc)", "swap-table-p4 (swap-table-p4-v5)"]);
    expect(new Set(fig.data.map((t) => t.name)).size).toBe(fig.data.length);
  });
});

describe("ledger figures", () => {
  const files = readClaims();
  const entries = computeLedger(files, { benchmarks: tables });
  it("verdictRows() counts every claim once", () => {
    const rows = verdictRows(entries, new Map(files.map((f) => [f.section, f.title])));
    expect(rows.reduce((a, r) => a + r.claims, 0)).toBe(entries.length);
  });
  it("deltaFigure() shows exactly the claims not reproduced that have a delta", () => {
    const fig = deltaFigure(entries);
    const n = fig.data.reduce((a, t) => a + (t as { y: string[] }).y.length, 0);
    expect(n).toBe(entries.filter((e) => e.status !== "reproduced" && e.deltaPct !== null).length);
  });
});

function golden(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(6)) : x), 2) + "\n";
}

/** Fixed rows for the golden files, so a change in the published tables or the ledger does not change the figure goldens. */
function delta(series: string, test: string, metric: string, unit: string, base: number, value: number, errPct: number | null): BenchDelta {
  const changePct = ((value - base) / base) * 100;
  return {
    table: "t-v1", family: "vswap", date: "2025-01-01", url: "https://example.org/t-v1", test, metric, unit, better: "lower", baseline: "base",
    series, version: series, seriesOrder: series === "cand-a" ? 1 : 2, design: null,
    base: { value: base, sd: errPct === null ? null : 0.5, n: 5, stat: "mean" }, value: { value, sd: errPct === null ? null : 0.5, n: 5, stat: "mean" },
    changePct, errPct, betterPct: -changePct,
  };
}
const fixedDeltas: BenchDelta[] = [
  delta("cand-a", "kernbuild", "elapsed", "s", 80.5, 80.64, 0.9), delta("cand-a", "kernbuild", "sys", "s", 400, 390, 1.25),
  delta("cand-b", "kernbuild", "elapsed", "s", 80.5, 79.9, 0.75), delta("cand-b", "kernbuild", "sys", "s", 400, 420, 1.5),
  { ...delta("cand-b", "usemem", "throughput", "KB/s", 1000, 1000, null), betterPct: null },
];
const track = (t: string, version: string, table: string, betterPct: number, errPct: number | null): TrackRow => ({
  family: "swap-table", track: t, version, seriesOrder: 1, date: "2025-01-01", table, test: "kernbuild", metric: t === "kernbuild sys" ? "sys" : "elapsed", unit: "s",
  series: version, baseline: "base", betterPct, errPct, url: `https://example.org/${table}`,
});
const fixedTracks: TrackRow[] = [
  track("kernbuild elapsed", "p1", "t-p1", 1.5, null), track("kernbuild elapsed", "p2", "t-p2", 2.25, 0.5),
  track("kernbuild sys", "p1", "t-p1", -0.5, null), track("kernbuild sys", "p2", "t-p2", 3, 0.75),
];
function entry(id: string, status: LedgerStatus, deltaPct: number | null): LedgerEntry {
  return {
    id, speaker: "A. Person", url: `https://example.org/${id}`, claimed: 100, model: deltaPct === null ? null : 100 + deltaPct, deltaPct, verdict: status, reason: `${status} because`,
    status, section: id.split(".")[0], date: "2025-02-03", quote: "about 100 MiB", asWritten: "~100 MiB", unit: "MiB", decimals: 0, evidence: "e", inputs: "i",
    modelRange: null, alternatives: [], note: null,
  };
}
const fixedEntries: LedgerEntry[] = [entry("1.1", "reproduced", 0.5), entry("1.2", "differs", -42.5), entry("2.1", "within", 7.25), entry("2.2", "not-modelled", null), entry("2.3", "differs", 180)];

describe("goldens", () => {
  it("benchTableFigure and versionTrackFigure (fixed rows)", async () => {
    await expect(golden(benchTableFigure(fixedDeltas, { title: "Published table t-v1", seriesLabels: { "cand-b": "candidate B" } }))).toMatchFileSnapshot("__snapshots__/bench-table.json");
    await expect(golden(versionTrackFigure(fixedTracks, { title: "swap table across versions" }))).toMatchFileSnapshot("__snapshots__/bench-version-track.json");
  });

  it("verdictFigure and deltaFigure (fixed ledger entries)", async () => {
    const titles = new Map([["1", "Memory"], ["2", "Speed"]]);
    await expect(golden(verdictFigure(verdictRows(fixedEntries, titles)))).toMatchFileSnapshot("__snapshots__/ledger-verdicts.json");
    await expect(golden(deltaFigure(fixedEntries))).toMatchFileSnapshot("__snapshots__/ledger-deltas.json");
  });
});
