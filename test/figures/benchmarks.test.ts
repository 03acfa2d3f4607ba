import { describe, expect, it } from "vitest";
import { benchDeltas } from "../../src/benchmarks/delta.js";
import { findTable, readBenchmarks } from "../../src/benchmarks/tables.js";
import { versionTracks } from "../../src/benchmarks/tracks.js";
import { benchTableFigure, versionTrackFigure } from "../../src/figures/benchmarks.js";
import { computeLedger, readClaims } from "../../src/ledger/ledger.js";
import { deltaFigure, verdictRows } from "../../src/figures/ledger.js";

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
