import { describe, expect, it, vi } from "vitest";
import { checkMailText, showTable } from "../../src/notebook/display.js";

describe("showTable refuses text that would not paste into a linux-mm reply", () => {
  it("accepts plain ASCII lines of at most 72 columns", () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(() => showTable("ok", `title\n\n${"x".repeat(72)}\n`)).not.toThrow();
    } finally {
      out.mockRestore();
    }
  });

  it("throws on a line over 72 columns, naming the table and the line", () => {
    expect(() => showTable("wide", `title\n${"x".repeat(73)}`)).toThrow(/table wide, line 2: 73 columns \(allowed: at most 72\)/);
  });

  it("throws on a tab", () => {
    expect(() => checkMailText("tabbed", "a\tb")).toThrow(/table tabbed, line 1: tab not allowed/);
  });

  it("throws on non-ASCII (an em dash, a box-drawing character)", () => {
    expect(() => checkMailText("dash", "ok\nx \u2014 y")).toThrow(/table dash, line 2: non-ASCII character U\+2014 at column 3/);
    expect(() => showTable("box", "\u2502 a")).toThrow(/table box, line 1: non-ASCII character U\+2502/);
  });
});
