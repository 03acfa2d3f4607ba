import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  INJECTED_TAG,
  coalesceStreams,
  figureOutputs,
  normaliseExecuted,
  parseNotebook,
  prepareForRun,
  serialiseNotebook,
  splitLines,
  stderrOf,
  type Notebook,
} from "../../src/notebook/ipynb.js";

function nb(cells: Notebook["cells"]): Notebook {
  return { cells, metadata: { kernelspec: { name: "swapcost-ts", display_name: "TypeScript (swapcost, tslab)", language: "typescript" } }, nbformat: 4, nbformat_minor: 5 };
}

const source = nb([
  { cell_type: "code", id: "p", metadata: { tags: ["parameters"] }, source: "const params = { a: 1 };", outputs: [], execution_count: null },
  { cell_type: "markdown", id: "m", metadata: {}, source: "# Title\ntext" },
  { cell_type: "code", id: "c", metadata: {}, source: "console.log(params.a)", outputs: [{ output_type: "stream", name: "stdout", text: "old\n" }], execution_count: 3 },
]);

describe("prepareForRun", () => {
  it("clears outputs and injects the overrides after the parameters cell (papermill convention)", () => {
    const p = prepareForRun(source, { a: 2 }, "npm start -- --set 00.a=2");
    expect(p.cells.map((c) => c.id)).toEqual(["p", INJECTED_TAG, "m", "c"]);
    expect(p.cells[1].metadata?.tags).toEqual([INJECTED_TAG]);
    expect(p.cells[1].source).toContain(`Object.assign(params, { "a": 2 });`);
    expect(p.cells[3].outputs).toEqual([]);
    expect(p.cells[3].execution_count).toBeNull();
  });

  it("drops an injected cell left from an earlier run, and injects nothing without overrides", () => {
    const once = prepareForRun(source, { a: 2 }, "x");
    expect(prepareForRun(once, undefined, "").cells.map((c) => c.id)).toEqual(["p", "m", "c"]);
  });
});

describe("normaliseExecuted", () => {
  it("keeps sources and metadata from the source, outputs and language_info from the run, drops timing", () => {
    const executed = nb(source.cells.map((c) => ({ ...c, metadata: { ...c.metadata, execution: { "iopub.status.busy": "2026-01-01T00:00:00Z" } } })));
    executed.cells[2].outputs = [
      { output_type: "stream", name: "stdout", text: "1" },
      { output_type: "stream", name: "stdout", text: "\n" },
      { output_type: "stream", name: "stderr", text: "warn\n" },
    ];
    executed.metadata.language_info = { name: "typescript", version: "3.7.2" };
    const out = normaliseExecuted(source, executed);
    expect(out.cells[2].metadata).toEqual({});
    expect(out.cells[2].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "1\n" },
      { output_type: "stream", name: "stderr", text: "warn\n" },
    ]);
    expect(out.metadata.language_info).toEqual({ name: "typescript", version: "3.7.2" });
    expect(stderrOf(out.cells[2])).toBe("warn\n");
  });

  it("refuses a run whose cells do not line up", () => {
    expect(() => normaliseExecuted(source, nb([]))).toThrow(/returned 0 cells for 3/);
  });

  it("coalesceStreams merges only neighbours of the same stream", () => {
    expect(coalesceStreams([
      { output_type: "stream", name: "stdout", text: ["a\n", "b"] },
      { output_type: "stream", name: "stdout", text: "c" },
      { output_type: "display_data", data: {} },
      { output_type: "stream", name: "stdout", text: "d" },
    ]).map((o) => o.text)).toEqual(["a\nbc", undefined, "d"]);
  });

  it("figureOutputs finds the outputs show() marked", () => {
    const n = nb([{ cell_type: "code", source: "", outputs: [{ output_type: "display_data", data: {}, metadata: { swapcost: { figure: "f" } } }] }]);
    expect(figureOutputs(n).map((f) => f.name)).toEqual(["f"]);
  });
});

describe("serialiseNotebook", () => {
  it("splits multi-line strings like nbformat and round-trips through parseNotebook", () => {
    expect(splitLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(splitLines("a\nb")).toEqual(["a\n", "b"]);
    expect(splitLines("")).toEqual([]);
    const text = serialiseNotebook(source);
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(text).cells[1].source).toEqual(["# Title\n", "text"]);
    expect(serialiseNotebook(parseNotebook(text))).toBe(text);
  });

  it.skipIf(!existsSync("/usr/bin/python3") || !!process.env.SWAPCOST_SKIP_JUPYTER)(
    "writes exactly what nbformat.writes writes, and nbformat validates it",
    () => {
      const withPlotly = nb([{
        cell_type: "code", id: "x", metadata: {}, execution_count: null, source: "show(fig)",
        outputs: [{ output_type: "display_data", metadata: { swapcost: { figure: "f" } },
          data: { "application/vnd.plotly.v1+json": { data: [{ y: [1, 2.5] }], layout: {} }, "text/html": "<div>\n</div>", "text/plain": "ü ✓" } }],
      }]);
      const text = serialiseNotebook(withPlotly);
      const py = spawnSync("/usr/bin/python3", ["-c", "import sys, nbformat; nb = nbformat.reads(sys.stdin.read(), 4); nbformat.validate(nb); sys.stdout.write(nbformat.writes(nb) + '\\n')"], {
        input: text, encoding: "utf8", env: { ...process.env, PYTHONIOENCODING: "utf-8" },
      });
      expect(py.stderr).toBe("");
      expect(py.stdout).toBe(text);
    },
  );
});
