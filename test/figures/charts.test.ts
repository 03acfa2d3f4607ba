import { describe, expect, it } from "vitest";
import { barChart, distinct, lineChart, seriesColor } from "../../src/figures/charts.js";
import { captionText, withCaption } from "../../src/figures/caption.js";

const rows = [0, 50, 100].flatMap((used) => [
  { design: "vswap", usedPercent: used, overheadMiB: 24 + used * 0.5 },
  { design: "swap-table", usedPercent: used, overheadMiB: 3 + used * 0.75 },
]);

/** Golden files hold the JSON spec with floats rounded to 6 significant digits. */
function golden(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(6)) : x), 2) + "\n";
}

describe("lineChart", () => {
  it("lineChart({series: 'design'}) draws one trace per design in first-seen order", () => {
    const fig = lineChart({ rows, title: "t", x: "usedPercent", y: "overheadMiB", series: "design" });
    expect(fig.data.map((d) => (d as { name: string }).name)).toEqual(["vswap", "swap-table"]);
    expect((fig.data[1] as { y: number[] }).y).toEqual([3, 40.5, 78]);
  });

  it("matches its golden spec", async () => {
    const fig = withCaption(
      lineChart({
        rows,
        title: "Overhead vs used",
        x: "usedPercent",
        y: "overheadMiB",
        series: "design",
        xAxis: { title: "used (%)", ticksuffix: "%" },
        yAxis: { title: "overhead (MiB)", rangemode: "tozero" },
        dash: { "swap-table": "dash" },
      }),
      captionText({ "swap size": "32 GiB", used: [0, 50, 100] }, { version: "0.0.0-test" }),
    );
    await expect(golden(fig)).toMatchFileSnapshot("__snapshots__/line-chart.json");
  });

  it("rejects a non-numeric y with the column name", () => {
    expect(() => lineChart({ rows: [{ x: 1, y: "a" }], title: "t", x: "x", y: "y" })).toThrow(/column "y"/);
  });
});

describe("barChart", () => {
  it("stacked bars: one trace per series, barmode stack, categories as strings", async () => {
    const fig = barChart({ rows, title: "Breakdown", x: "usedPercent", y: "overheadMiB", series: "design", stacked: true });
    expect(fig.layout.barmode).toBe("stack");
    expect((fig.data[0] as { x: string[] }).x).toEqual(["0", "50", "100"]);
    await expect(golden(fig)).toMatchFileSnapshot("__snapshots__/stacked-bar.json");
  });

  it("horizontal bars swap the axes", () => {
    const fig = barChart({ rows, title: "h", x: "design", y: "overheadMiB", horizontal: true });
    expect((fig.data[0] as { orientation: string }).orientation).toBe("h");
  });
});

describe("helpers", () => {
  it("distinct keeps first-seen order; seriesColor cycles the palette", () => {
    expect(distinct(rows, "design")).toEqual(["vswap", "swap-table"]);
    expect(seriesColor(0)).toBe(seriesColor(12));
  });
});

describe("heatmap", () => {
  it("heatmap({x, y, z}) puts each row's z at (x, y), leaving missing pairs empty", async () => {
    const { heatmap } = await import("../../src/figures/charts.js");
    const cells = [
      { a: "vswap", b: "swap-table", pct: 37.5, label: "37.5%" },
      { a: "swap-table", b: "vswap", pct: null, label: "never" },
    ];
    const fig = heatmap({ rows: cells, title: "Break-even", x: "a", y: "b", z: "pct", text: "label", zTitle: "used (%)", zRange: [0, 100] });
    const t = fig.data[0] as { x: string[]; y: string[]; z: (number | null)[][]; text: string[][] };
    expect(t.x).toEqual(["vswap", "swap-table"]);
    expect(t.y).toEqual(["swap-table", "vswap"]);
    expect(t.z).toEqual([[37.5, null], [null, null]]);
    expect(t.text).toEqual([["37.5%", ""], ["", "never"]]);
    await expect(golden(fig)).toMatchFileSnapshot("__snapshots__/heatmap.json");
  });
});
