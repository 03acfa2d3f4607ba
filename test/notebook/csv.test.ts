import { describe, expect, it } from "vitest";
import { csvReadyRows, rowsToCsv } from "../../src/notebook/csv.js";

describe("rowsToCsv (through danfojs-node)", () => {
  it("writes a header and one line per row, numbers as JavaScript prints them", () => {
    expect(rowsToCsv([{ design: "vswap", slots: 8388608, mib: 0.5 }, { design: "swap-table", slots: 8388608, mib: 1 / 3 }]))
      .toBe("design,slots,mib\nvswap,8388608,0.5\nswap-table,8388608,0.3333333333333333\n");
  });

  it("quotes strings with commas, quotes or line breaks (RFC 4180) and fills missing cells", () => {
    const csv = rowsToCsv([{ a: 'x,"y"', b: 1 }, { a: "line\nbreak", c: true }]);
    expect(csv).toBe('a,b,c\n"x,""y""",1,\n"line\nbreak",,true\n');
  });

  it("keeps integers above 2^31 exact (no tensor round trip)", () => {
    expect(rowsToCsv([{ bytes: 2 ** 53 - 1 }])).toBe("bytes\n9007199254740991\n");
  });

  it("csvReadyRows takes columns in first-seen order and JSON-encodes objects", () => {
    expect(csvReadyRows([{ b: 1 }, { a: { k: 1 } }])).toEqual({ columns: ["b", "a"], rows: [{ b: 1, a: "" }, { b: "", a: '"{""k"":1}"' }] });
    expect(rowsToCsv([])).toBe("");
  });
});
