import { describe, expect, it } from "vitest";
import { captionText, figureCaption, formatCaptionValue, kitVersion, withCaption, wrapWords } from "../../src/figures/caption.js";
import type { Figure } from "../../src/figures/figure.js";

describe("captionText", () => {
  it("captionText({...}) lists every input in order and ends with the kit version", () => {
    expect(captionText({ "swap size": "32 GiB", backend: "zswap", memcg: true }, { version: "9.9.9" }))
      .toBe("Inputs: swap size = 32 GiB; backend = zswap; memcg = yes. · swapcost 9.9.9");
  });

  it("defaults the version to package.json's", () => {
    expect(kitVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(captionText({ a: 1 })).toContain(`swapcost ${kitVersion()}`);
  });

  it.each([
    [[0, 25, 50, 75, 100], "0–100 step 25"],
    [[0, 1, 2, 3], "0, 1, 2, 3"],
    [[1, 2, 4, 8, 16], "1, 2, 4, 8, 16"],
    [["a", "b"], "a, b"],
    [0.1 + 0.2, "0.3"],
    [false, "no"],
  ] as const)("formatCaptionValue(%j) = %j", (v, want) => {
    expect(formatCaptionValue(v)).toBe(want);
  });
});

describe("withCaption", () => {
  const fig: Figure = { data: [{ type: "scatter", x: [1], y: [2], name: "a" }], layout: { title: { text: "T" }, margin: { b: 50 } } };

  it("adds the caption under the title (escaped) and keeps the input figure unchanged", () => {
    const before = JSON.stringify(fig);
    const out = withCaption(fig, "Inputs: x = <1>. · swapcost 0.1.0");
    expect(JSON.stringify(fig)).toBe(before);
    const title = out.layout.title as { text: string; subtitle: { text: string } };
    expect(title.text).toBe("T");
    expect(title.subtitle.text).toBe("Inputs: x = &lt;1&gt;. · swapcost 0.1.0");
    expect(out.layout.margin?.t).toBeGreaterThan(60);
    expect(out.layout.margin?.b).toBe(50);
    expect(figureCaption(out)).toBe("Inputs: x = <1>. · swapcost 0.1.0");
  });

  it("wraps long captions into lines of at most wrapAt characters", () => {
    const lines = wrapWords("aaa bbb ccc ddd eee", 7);
    expect(lines).toEqual(["aaa bbb", "ccc ddd", "eee"]);
    const out = withCaption(fig, "word ".repeat(60).trim(), { wrapAt: 50 });
    expect((out.layout.title as { subtitle: { text: string } }).subtitle.text.split("<br>").length).toBe(6);
  });
});
