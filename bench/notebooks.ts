/**
 * Benchmark of the notebook job (not a timed test): `npm start` wall time (all notebooks
 * regenerated and exported; target ≤ 60 s on a 2-core machine) and per-figure export times, as
 * JSON lines on stdout.
 *
 *   npm run bench:notebooks [-- --runs N] [-- --warm-figures N]
 *
 * Lines: {"bench":"npm-start",…} per run, {"bench":"notebook",…} and {"bench":"figure-export",…}
 * from the last run (scripts/notebooks.ts --timings), then {"bench":"renderer",…}: Chromium launch
 * and warm per-figure times for a synthetic 3-trace figure.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { FigureRenderer } from "../src/render/chromium.js";
import { lineChart } from "../src/figures/charts.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v < 0) {
    process.stderr.write(`bench/notebooks.ts: ${name} needs a non-negative integer\n`);
    process.exit(2);
  }
  return v;
}

const emit = (o: Record<string, unknown>) => process.stdout.write(JSON.stringify(o) + "\n");
const r1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const runs = arg("--runs", 1);
const warmFigures = arg("--warm-figures", 20);
const tmp = mkdtempSync(path.join(os.tmpdir(), "swapcost-bench-"));
const timings = path.join(tmp, "timings.jsonl");
const machine = { cpus: os.cpus().length, node: process.version };

try {
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ["scripts/bootstrap.mjs", "start", "--timings", timings], { stdio: ["ignore", "ignore", "inherit"] });
    const wallMs = performance.now() - t;
    const lines = readFileSync(timings, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const notebooks = lines.filter((l) => l.step === "notebook");
    const figures = lines.filter((l) => l.figure !== undefined);
    emit({ bench: "npm-start", run: i + 1, ok: r.status === 0, wallMs: r1(wallMs), notebooks: notebooks.length, figures: figures.length, targetMs: 60_000, withinTarget: wallMs <= 60_000, ...machine });
    if (i === runs - 1) {
      for (const n of notebooks) emit({ bench: "notebook", notebook: n.notebook, ok: n.ok, execMs: n.execMs, exportMs: n.exportMs });
      for (const f of figures) {
        const total = ["svgMs", "pngMs", "pdfMs", "htmlMs", "notebookPngMs"].reduce((a, k) => a + Number(f[k] ?? 0), 0);
        emit({ bench: "figure-export", notebook: f.notebook, figure: f.figure, svgMs: f.svgMs, pngMs: f.pngMs, pdfMs: f.pdfMs, htmlMs: f.htmlMs, notebookPngMs: f.notebookPngMs, totalMs: r1(total) });
      }
    }
  }

  if (warmFigures > 0) {
    const rows = Array.from({ length: 21 }, (_, i) => i * 5).flatMap((u) =>
      ["a", "b", "c"].map((s, k) => ({ s, u, y: (k + 1) * 10 + u * (k + 0.5) })));
    const fig = lineChart({ rows, title: "bench", x: "u", y: "y", series: "s" });
    let t = performance.now();
    const r = await FigureRenderer.launch();
    const launchMs = performance.now() - t;
    const times = { svg: [] as number[], png: [] as number[], pdf: [] as number[] };
    try {
      for (let i = 0; i < warmFigures; i++) {
        t = performance.now();
        const svg = await r.svg(fig, { width: 900, height: 540 });
        times.svg.push(performance.now() - t);
        t = performance.now();
        await r.png(fig, { width: 900, height: 540, scale: 2 });
        times.png.push(performance.now() - t);
        t = performance.now();
        await r.pdf(fig, { width: 900, height: 540 }, svg);
        times.pdf.push(performance.now() - t);
      }
    } finally {
      await r.close();
    }
    emit({ bench: "renderer", launchMs: r1(launchMs), figures: warmFigures, svgMedianMs: r1(median(times.svg)), pngMedianMs: r1(median(times.png)), pdfMedianMs: r1(median(times.pdf)), ...machine });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
