import { describe, expect, it } from "vitest";
import { measuredVsModelFigure, residualFigure, trendFigure } from "../../src/figures/lab.js";

describe("lab figures", () => {
  it("measuredVsModelFigure: per group a dashed model line and measured markers with asymmetric range bars, same colour", () => {
    const fig = measuredVsModelFigure({ title: "t", groups: [{ name: "HDD", x: [1, 16], measured: [3.2, 3.15], lo: [3.1, 3.15], hi: [3.3, 3.16], model: [3.19, 3.149] }] });
    expect(fig.data).toHaveLength(2);
    const [model, measured] = fig.data as Array<Record<string, any>>;
    expect(model.name).toBe("HDD: model");
    expect(model.line.dash).toBe("dash");
    expect(measured.mode).toBe("markers");
    expect(measured.error_y.array[0]).toBeCloseTo(0.1);
    expect(measured.error_y.arrayminus[0]).toBeCloseTo(0.1);
    expect(measured.marker.color).toBe(model.line.color);
  });
  it("rejects arrays of different lengths and non-finite values, naming the group", () => {
    expect(() => measuredVsModelFigure({ title: "t", groups: [{ name: "g", x: [1, 2], measured: [1], model: [1, 2] }] })).toThrow(/group "g": measured has 1 values for 2 x values/);
    expect(() => trendFigure({ title: "t", groups: [{ name: "g", x: [1], median: [NaN], lo: [1], hi: [1] }] })).toThrow(/g.median\[0\]/);
  });
  it("residualFigure: a grey band ±tolerance; categorical x groups the traces side by side", () => {
    const num = residualFigure({ title: "t", groups: [{ name: "a", x: [1, 4], residualPercent: [0.1, -0.2] }], band: 0.5 });
    expect(num.layout.shapes?.[0]).toMatchObject({ y0: -0.5, y1: 0.5 });
    expect((num.data[0] as { mode: string }).mode).toBe("lines+markers");
    const cat = residualFigure({ title: "t", groups: [{ name: "a", x: ["zsm_lzo", "zbud_lzo"], residualPercent: [0, 1] }, { name: "b", x: ["zsm_lzo"], residualPercent: [-1] }], band: 2 });
    expect((cat.layout as Record<string, unknown>).scattermode).toBe("group");
    expect((cat.data[0] as { mode: string }).mode).toBe("markers");
    expect(cat.layout.xaxis?.type).toBe("category");
    const ms = residualFigure({ title: "t", groups: [{ name: "a", x: [1], residualPercent: [-12.5] }], unit: "ms" });
    expect(ms.layout.yaxis?.ticksuffix).toBe(" ms");
    expect((ms.data[0] as { hovertemplate: string }).hovertemplate).toContain("%{y:+.3f} ms");
  });
});

function golden(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(6)) : x), 2) + "\n";
}

describe("goldens", () => {
  it("measuredVsModelFigure: two groups, one with ranges and one without", async () => {
    const fig = measuredVsModelFigure({
      title: "swapoff time vs swapped pages", xAxis: { title: "swapped pages (thousands)" }, yAxis: { title: "time (ms)", rangemode: "tozero" },
      groups: [
        { name: "HDD", x: [1, 16, 64], measured: [3.2, 41.5, 160.25], lo: [3.1, 40, 158], hi: [3.3, 43, 162.5], model: [3.19, 42, 161] },
        { name: "zswap", x: [1, 16, 64], measured: [0.8, 9.75, 38], model: [0.75, 10, 40] },
      ],
    });
    await expect(golden(fig)).toMatchFileSnapshot("__snapshots__/lab-measured-vs-model.json");
  });

  it("residualFigure: categorical cases with a tolerance band", async () => {
    const fig = residualFigure({
      title: "zswap pool size: model vs measured", xAxis: { title: "pool and compressor" }, band: 5,
      groups: [{ name: "6.12", x: ["zsm_lzo", "zbud_lzo"], residualPercent: [1.25, -3.5] }, { name: "7.1", x: ["zsm_lzo"], residualPercent: [-0.5] }],
    });
    await expect(golden(fig)).toMatchFileSnapshot("__snapshots__/lab-residual.json");
  });

  it("trendFigure: two groups with their ranges", async () => {
    const fig = trendFigure({
      title: "swapoff time vs PTEs", xAxis: { title: "PTEs (millions)" }, yAxis: { title: "time (ms)" },
      groups: [
        { name: "linux-6.12", x: [1, 2, 4], median: [10.5, 20.25, 41], lo: [10, 19.5, 40], hi: [11, 21, 42.5] },
        { name: "vswap-v6", x: [1, 2, 4], median: [2, 2.5, 3], lo: [1.75, 2.25, 2.5], hi: [2.5, 3, 3.25] },
      ],
    });
    await expect(golden(fig)).toMatchFileSnapshot("__snapshots__/lab-trend.json");
  });
});
