/**
 * The notebook job behind `npm start`: execute every notebook in notebooks/ headless (two at a
 * time, `jupyter nbconvert --execute` with the project-local tslab kernel), write each back with its
 * outputs, sign it, and export what its display helpers asked for:
 *
 *   out/figures/<notebook>/<name>.{svg,png,pdf,html}   (one Chromium for all figures)
 *   out/tables/<notebook>-<name>.txt                    (mail tables)
 *   out/data/<notebook>/<name>.csv                      (the rows behind each figure, via danfojs-node)
 *
 * Usage: tsx scripts/notebooks.ts [--set <nb>.<key>=<value>]... [--params file.json] [--only <nb>,...]
 *          [--jobs N] [--out DIR] [--notebooks DIR] [--notebooks-out DIR] [--no-sign] [--timings FILE]
 *
 * --notebooks DIR reads notebooks from DIR (default notebooks/); --notebooks-out DIR writes the
 * executed ones there (default: back in place); --timings FILE appends JSON lines of per-notebook
 * and per-figure times (bench/notebooks.ts).
 *
 * Overrides are validated before anything runs (exit 2, one line); --check-only stops there (exit 0). With overrides, executed
 * notebooks go to <out>/notebooks/ so the committed notebooks keep showing the defaults.
 * Output is deterministic: no timestamps, random ids or absolute paths.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { FigureRenderer, plotlySource } from "../src/render/chromium.js";
import { standaloneHtml } from "../src/render/html.js";
import { figureBundle } from "../src/notebook/display.js";
import { rowsToCsv } from "../src/notebook/csv.js";
import { ENV_MANIFEST, ENV_NOTEBOOK, readManifest, type FigureRecord } from "../src/notebook/manifest.js";
import {
  ParamError,
  addParamsJson,
  addSetArg,
  cellSource,
  findParamsCell,
  isParamError,
  readParamsCell,
  resolveOverrides,
  resolveSelector,
  type ParamValue,
  type Params,
  type RawOverrides,
} from "../src/notebook/params.js";
import {
  figureOutputs,
  normaliseExecuted,
  parseNotebook,
  prepareForRun,
  serialiseNotebook,
  stderrOf,
  type Notebook,
} from "../src/notebook/ipynb.js";
import { kitVersion } from "../src/figures/caption.js";

const ROOT = process.cwd();
const NOTEBOOK_DIR = "notebooks";
/** The static fallback inside committed notebooks: smaller than the export, to keep notebooks ~100 KB per figure. */
const NOTEBOOK_PNG_SCALE: number = 0.75;
const EXPORT_PNG_SCALE: number = 2;
const CELL_TIMEOUT_S = 300;
/** Pages of the one shared Chromium that export figures in parallel (this machine has 2 cores). */
const RENDER_LANES = 2;

interface Options {
  raw: RawOverrides;
  only?: string[];
  jobs: number;
  out: string;
  notebooks: string;
  notebooksOut?: string;
  sign: boolean;
  timings?: string;
  freshKernels: boolean;
  /** Validate the arguments and overrides, run nothing (npm start uses it when Jupyter or Chromium is missing). */
  checkOnly: boolean;
}

const USAGE = "usage: npm start -- [--set <notebook>.<key>=<value>]... [--params file.json] [--only <notebook>[,…]] [--jobs N] [--out DIR] [--notebooks DIR] [--notebooks-out DIR] [--no-sign] [--timings FILE] [--fresh-kernels]";

function parseArgs(argv: string[]): Options {
  const o: Options = { raw: new Map(), jobs: 2, out: "out", notebooks: NOTEBOOK_DIR, sign: true, freshKernels: false, checkOnly: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new ParamError(`${flag} needs a value; ${USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const [flag, inline] = a.startsWith("--") && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = (): string => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case "--set":
        addSetArg(o.raw, take());
        break;
      case "--params": {
        const file = take();
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(file, "utf8"));
        } catch (e) {
          throw new ParamError(`--params ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
        }
        addParamsJson(o.raw, json, file);
        break;
      }
      case "--only":
        o.only = take().split(",").map((s) => s.trim()).filter(Boolean);
        break;
      case "--jobs": {
        const v = take();
        if (!/^[1-9]\d*$/.test(v)) throw new ParamError(`--jobs ${v}: expected a positive integer`);
        o.jobs = Number(v);
        break;
      }
      case "--out":
        o.out = take();
        break;
      case "--notebooks":
        o.notebooks = take();
        break;
      case "--notebooks-out":
        o.notebooksOut = take();
        break;
      case "--timings":
        o.timings = take();
        break;
      case "--no-sign":
        o.sign = false;
        break;
      case "--fresh-kernels":
        o.freshKernels = true;
        break;
      case "--check-only":
        o.checkOnly = true;
        break;
      case "--help":
      case "-h":
        process.stdout.write(USAGE + "\n");
        process.exit(0);
      default:
        throw new ParamError(`unknown argument ${JSON.stringify(a)}; ${USAGE}`);
    }
  }
  return o;
}

function say(msg: string): void {
  process.stdout.write(msg + "\n");
}

function fail(msg: string, code: number): never {
  process.stderr.write(`swapcost: ${msg}\n`);
  process.exit(code);
}

/** An executable from a list of absolute candidates, else PATH. */
function which(names: string[]): string | undefined {
  for (const n of names) if (n.startsWith("/") && existsSync(n)) return n;
  for (const n of names.filter((x) => !x.startsWith("/"))) {
    const r = spawnSync("sh", ["-c", `command -v ${n}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

interface Job {
  stem: string;
  file: string;
  source: Notebook;
  params?: Params;
  overrides?: Record<string, ParamValue>;
}

interface Result {
  stem: string;
  ok: boolean;
  execMs: number;
  exportMs: number;
  figures: number;
  tables: number;
  csvs: number;
  written?: string;
  error?: string;
  /** Time spent starting a kernel for this notebook (a warm kernel: 0). */
  kernelMs?: number;
}

interface Executed {
  job: Job;
  r: Result;
  prepared: Notebook;
  manifest: string;
  stdout: string;
}

function runProcess(cmd: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    child.stdin.end(input);
  });
}

/**
 * One worker of the job: a Python process (jupyter/batch/nbworker.py) that runs notebooks one at a
 * time on one tslab kernel, reset to a fresh kernel's state between notebooks. Starting a kernel
 * and compiling the kit in it is most of a notebook's run time (the TypeScript compiler, cold in a
 * new kernel, type-checks and compiles every src/ file a notebook imports); a warm kernel does the
 * same work in a fraction of the time.
 */
class KernelWorker {
  private readonly child;
  private buffer = "";
  private waiting: Array<(line: string) => void> = [];
  private exited: Promise<void>;
  private stderr = "";

  constructor(python: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(python, [path.join(ROOT, "jupyter", "batch", "nbworker.py")], {
      cwd: ROOT,
      env: { ...env, JUPYTER_PATH: path.join(ROOT, "jupyter", "batch") },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (d: string) => {
      this.buffer += d;
      for (let nl = this.buffer.indexOf("\n"); nl >= 0; nl = this.buffer.indexOf("\n")) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (d: string) => (this.stderr = (this.stderr + d).slice(-20_000)));
    this.exited = new Promise((resolve) => this.child.on("close", () => {
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ ok: false, error: `the notebook worker exited:\n${this.stderr.trim()}` }));
      resolve();
    }));
    this.child.stdin.on("error", () => undefined);
  }

  private request(req: object): Promise<{ ok: boolean; notebook?: string; error?: string; kernelMs?: number }> {
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(JSON.parse(line)));
      this.child.stdin.write(JSON.stringify(req) + "\n");
    });
  }

  /** Starts the kernel ahead of the first notebook. */
  start(): Promise<{ ok: boolean; error?: string; kernelMs?: number }> {
    return this.request({ start: true });
  }

  run(nb: Notebook, env: Record<string, string>) {
    return this.request({ notebook: JSON.stringify(nb), env });
  }

  /** Ends the worker (it shuts its kernel down). */
  close(): Promise<void> {
    this.child.stdin.end();
    return this.exited;
  }
}

/** Explains a failed run: which cell, and the message tslab wrote to that cell's stderr. */
async function diagnose(nbconvert: string, prepared: Notebook, first: { stdout: string; stderr: string }, env: NodeJS.ProcessEnv): Promise<string> {
  const m = /An error occurred while executing the following cell:\n-+\n([\s\S]*?)\n-+\n/.exec(first.stderr);
  if (!m) {
    const tail = first.stderr.trim().split("\n").slice(-6).join("\n    ");
    return `nbconvert failed:\n    ${tail}`;
  }
  const src = m[1];
  const index = prepared.cells.findIndex((c) => c.cell_type === "code" && cellSource(c).trim() === src.trim());
  // tslab sends no `error` output (nbconvert's CellExecutionError is empty): re-run with
  // --allow-errors and read that cell's stderr stream.
  const again = await runProcess(nbconvert, nbconvertArgs(true), JSON.stringify(prepared), env);
  let message = "";
  if (again.code === 0 && index >= 0) {
    try {
      message = stderrOf(parseNotebook(again.stdout).cells[index]).trim();
    } catch {
      message = "";
    }
  }
  const codeCells = prepared.cells.slice(0, index + 1).filter((c) => c.cell_type === "code").length;
  const firstLine = src.split("\n").find((l) => l.trim() && !l.trim().startsWith("//")) ?? src.split("\n")[0];
  const where = index >= 0 ? `cell ${index + 1} (code cell ${codeCells}: ${JSON.stringify(firstLine.trim().slice(0, 60))})` : "a cell";
  return `error in ${where}:\n    ${(message || "(no message on stderr)").split("\n").join("\n    ")}`;
}

function nbconvertArgs(allowErrors: boolean): string[] {
  return [
    "--to", "notebook", "--execute", "--stdin", "--stdout",
    `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_S}`,
    "--ExecutePreprocessor.record_timing=False",
    "--ExecutePreprocessor.kernel_name=swapcost-ts",
    ...(allowErrors ? ["--allow-errors"] : []),
  ];
}

function writeIfChanged(file: string, data: string | Buffer): void {
  if (existsSync(file)) {
    const old = readFileSync(file);
    if (Buffer.isBuffer(data) ? old.equals(data) : old.toString("utf8") === data) return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (isParamError(e)) fail(e.message, 2);
    throw e;
  }
  const t0 = performance.now();

  // --- discover notebooks and their parameters ------------------------------------------------
  const dir = path.resolve(ROOT, opts.notebooks);
  const nbLabel = path.relative(ROOT, dir) || ".";
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort() : [];
  if (files.length === 0) {
    say(`swapcost: no notebooks in ${nbLabel}/`);
    return 0;
  }
  const all: Job[] = [];
  const defaults = new Map<string, Params | undefined>();
  try {
    for (const f of files) {
      const stem = f.replace(/\.ipynb$/, "");
      let source: Notebook;
      try {
        source = parseNotebook(readFileSync(path.join(dir, f), "utf8"));
      } catch (e) {
        throw new ParamError(`${nbLabel}/${f}: cannot read notebook: ${(e as Error).message}`);
      }
      const at = findParamsCell(source.cells);
      const params = at >= 0 ? readParamsCell(cellSource(source.cells[at]), `${nbLabel}/${f}`) : undefined;
      defaults.set(stem, params);
      all.push({ stem, file: f, source, params });
    }
    const overrides = resolveOverrides(opts.raw, defaults);
    for (const j of all) j.overrides = overrides.get(j.stem);
    if (opts.only) {
      const wanted = new Set(opts.only.map((s) => resolveSelector(s, all.map((j) => j.stem), `--only ${s}`)));
      for (const stem of overrides.keys()) {
        if (!wanted.has(stem)) throw new ParamError(`--set/--params name ${stem}, which --only leaves out`);
      }
      all.splice(0, all.length, ...all.filter((j) => wanted.has(j.stem)));
    }
  } catch (e) {
    if (isParamError(e)) fail(e.message, 2);
    throw e;
  }
  const jobs = all;
  if (opts.checkOnly) return 0;
  const overridden = jobs.some((j) => j.overrides && Object.keys(j.overrides).length);
  const out = path.resolve(ROOT, opts.out);
  const notebooksOut = path.resolve(ROOT, opts.notebooksOut ?? (overridden ? path.join(opts.out, "notebooks") : opts.notebooks));

  // --- tools ----------------------------------------------------------------------------------
  const nbconvert = which(["/usr/bin/jupyter-nbconvert", "jupyter-nbconvert"]);
  if (!nbconvert) fail("Jupyter is not installed: apt-get install -y --no-install-recommends jupyter-notebook jupyter-nbconvert python3-nbclient (npm start does this when run as root)", 1);
  const python = which(["/usr/bin/python3", "python3"])!;

  // --- clean this run's outputs (stale figures must not survive a re-run) ----------------------
  const manifestDir = path.join(out, ".manifest");
  mkdirSync(manifestDir, { recursive: true });
  for (const j of jobs) {
    rmSync(path.join(out, "figures", j.stem), { recursive: true, force: true });
    rmSync(path.join(out, "data", j.stem), { recursive: true, force: true });
    rmSync(path.join(manifestDir, `${j.stem}.jsonl`), { force: true });
    const tables = path.join(out, "tables");
    if (existsSync(tables)) for (const t of readdirSync(tables)) if (t.startsWith(`${j.stem}-`)) rmSync(path.join(tables, t));
  }
  if (!opts.only) {
    // outputs of notebooks that no longer exist
    const stems = new Set(all.map((j) => j.stem));
    for (const sub of ["figures", "data"]) {
      const d = path.join(out, sub);
      if (existsSync(d)) for (const e of readdirSync(d)) if (!stems.has(e)) rmSync(path.join(d, e), { recursive: true, force: true });
    }
  }
  if (opts.timings) writeFileSync(opts.timings, "");
  const timing = (rec: Record<string, unknown>) => {
    if (opts.timings) appendFileSync(opts.timings, JSON.stringify(rec) + "\n");
  };

  // --- one browser for every figure, launched when the first notebook needs it ------------------
  let rendererPromise: Promise<FigureRenderer> | undefined;
  const renderer = () => (rendererPromise ??= FigureRenderer.launch({ lanes: RENDER_LANES }));
  let plotlyJs: string | undefined;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: path.join(ROOT, "jupyter"),
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ""}`,
    PYTHONIOENCODING: "utf-8",
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };

  const results: Result[] = [];
  let done = 0;

  /** Runs one notebook: on `kernel` (a warm kernel), or with `jupyter nbconvert --execute` (a new kernel). */
  async function execute(job: Job, kernel: KernelWorker | undefined): Promise<Executed> {
    const r: Result = { stem: job.stem, ok: false, execMs: 0, exportMs: 0, figures: 0, tables: 0, csvs: 0 };
    const manifest = path.join(manifestDir, `${job.stem}.jsonl`);
    const how = job.overrides
      ? `npm start -- ${Object.entries(job.overrides).map(([k, v]) => `--set ${job.stem.split("-")[0]}.${k}=${Array.isArray(v) ? v.join(",") : v}`).join(" ")}`
      : "";
    const prepared = prepareForRun(job.source, job.overrides, how);
    const nbEnv = { [ENV_NOTEBOOK]: job.stem, [ENV_MANIFEST]: manifest };
    const jobEnv = { ...env, ...nbEnv };
    const t = performance.now();
    let res: { code: number; stdout: string; stderr: string };
    if (kernel) {
      const k = await kernel.run(prepared, nbEnv);
      r.kernelMs = k.kernelMs ?? 0;
      res = k.ok ? { code: 0, stdout: k.notebook!, stderr: "" } : { code: 1, stdout: "", stderr: k.error ?? "" };
    } else {
      res = await runProcess(nbconvert!, nbconvertArgs(false), JSON.stringify(prepared), jobEnv);
    }
    r.execMs = performance.now() - t;
    // A failure is explained by re-running the notebook in a new kernel with --allow-errors.
    if (res.code !== 0) r.error = await diagnose(nbconvert!, prepared, res, jobEnv);
    return { job, r, prepared, manifest, stdout: res.stdout };
  }

  /** Writes the notebook back with its outputs, and its figures, tables and data. */
  async function exportOne({ job, r, prepared, manifest, stdout }: Executed): Promise<Result> {
    if (r.error) return r;
    const t2 = performance.now();
    try {
      let nb = normaliseExecuted(prepared, parseNotebook(stdout));
      const records = readManifest(manifest);
      const figs = new Map<string, FigureRecord>();
      for (const rec of records) if (rec.kind === "figure") figs.set(rec.name, rec);
      // tables and data
      for (const rec of records) {
        if (rec.kind === "table") {
          writeIfChanged(path.join(out, "tables", `${job.stem}-${rec.name}.txt`), rec.text);
          r.tables++;
        } else if (rec.kind === "data" || (rec.kind === "figure" && rec.rows)) {
          const tc = performance.now();
          writeIfChanged(path.join(out, "data", job.stem, `${rec.name}.csv`), rowsToCsv(rec.rows ?? []));
          timing({ notebook: job.stem, name: rec.name, step: "csv", ms: round(performance.now() - tc) });
          r.csvs++;
        }
      }
      // figures: one shared browser
      if (figs.size > 0) {
        const rr = await renderer();
        plotlyJs ??= plotlySource();
        const statics = new Map<string, string>();
        // Figures of a notebook export in parallel on the renderer's lanes (pages of one browser).
        await Promise.all([...figs.values()].map((rec) => rr.withLane(async (lane) => {
          const size = { width: rec.width, height: rec.height };
          const base = path.join(out, "figures", job.stem, rec.name);
          const ts = { svg: 0, png: 0, pdf: 0, html: 0, notebookPng: 0 };
          let t3 = performance.now();
          const svg = await lane.svg(rec.figure, size);
          ts.svg = performance.now() - t3;
          t3 = performance.now();
          const png = await lane.png(rec.figure, { ...size, scale: EXPORT_PNG_SCALE });
          ts.png = performance.now() - t3;
          t3 = performance.now();
          const pdf = await lane.pdf(rec.figure, size, svg);
          ts.pdf = performance.now() - t3;
          t3 = performance.now();
          const title = `${job.stem}: ${rec.name}`;
          const html = standaloneHtml(rec.figure, { title, ...size, plotlySource: plotlyJs!, generator: `swapcost ${kitVersion()}` });
          ts.html = performance.now() - t3;
          t3 = performance.now();
          const small = NOTEBOOK_PNG_SCALE === EXPORT_PNG_SCALE ? png : await lane.png(rec.figure, { ...size, scale: NOTEBOOK_PNG_SCALE });
          ts.notebookPng = performance.now() - t3;
          writeIfChanged(`${base}.svg`, svg);
          writeIfChanged(`${base}.png`, png);
          writeIfChanged(`${base}.pdf`, pdf);
          writeIfChanged(`${base}.html`, html);
          statics.set(rec.name, small.toString("base64"));
          timing({ notebook: job.stem, figure: rec.name, svgMs: round(ts.svg), pngMs: round(ts.png), pdfMs: round(ts.pdf), htmlMs: round(ts.html), notebookPngMs: round(ts.notebookPng) });
          r.figures++;
        })));
        // the static fallback, inside each figure's text/html (GitHub, nbviewer, untrusted views)
        for (const { name, output } of figureOutputs(nb)) {
          const rec = figs.get(name);
          if (!rec) continue;
          const b = figureBundle(rec.figure, name, { notebook: job.stem, height: Math.min(rec.height, 560), staticPng: statics.get(name) });
          output.data = b.data;
          output.metadata = b.metadata;
        }
      }
      const target = path.join(notebooksOut, job.file);
      writeIfChanged(target, serialiseNotebook(nb));
      nb = undefined as unknown as Notebook;
      r.written = path.relative(ROOT, target) || target;
      r.ok = true;
    } catch (e) {
      r.error = `export failed: ${(e as Error).message}`;
    }
    r.exportMs = performance.now() - t2;
    return r;
  }

  const queue = [...jobs];
  const total = jobs.length;
  const width = Math.max(...jobs.map((j) => j.stem.length));
  const report = (r: Result) => {
    results.push(r);
    done++;
    timing({ notebook: r.stem, step: "notebook", ok: r.ok, execMs: round(r.execMs), exportMs: round(r.exportMs), kernelMs: round(r.kernelMs ?? 0) });
    const head = `[${done}/${total}] ${r.stem.padEnd(width)}`;
    if (r.ok) {
      const what = [`${r.figures} figure${r.figures === 1 ? "" : "s"}`, `${r.tables} table${r.tables === 1 ? "" : "s"}`, `${r.csvs} csv`].join(", ");
      say(`${head}  ok  ${secs(r.execMs)} run + ${secs(r.exportMs)} export  (${what}) → ${r.written}`);
    } else {
      say(`${head}  FAILED after ${secs(r.execMs)}: ${r.error}`);
    }
  };
  // One warm kernel per worker (unless --fresh-kernels); a notebook's export overlaps the next
  // notebook's run on the same worker.
  const lanes = Math.min(opts.jobs, jobs.length);
  const kernels = opts.freshKernels ? [] : Array.from({ length: lanes }, () => new KernelWorker(python, env));
  const exports: Array<Promise<void>> = [];
  async function worker(i: number): Promise<void> {
    const kernel = kernels[i];
    if (kernel) await kernel.start();
    for (let job = queue.shift(); job; job = queue.shift()) {
      const executed = await execute(job, kernel);
      exports.push(exportOne(executed).then(report));
    }
  }
  try {
    await Promise.all(Array.from({ length: lanes }, (_, i) => worker(i)));
    await Promise.all(kernels.map((k) => k.close()));
    await Promise.all(exports);
  } finally {
    await Promise.all(kernels.map((k) => k.close()));
    if (rendererPromise) await (await rendererPromise.catch(() => undefined))?.close();
  }

  // --- sign (so Notebook 6 runs the plot scripts when the notebooks are opened) -----------------
  const written = results.filter((r) => r.ok && r.written).map((r) => path.join(ROOT, r.written!));
  let signed = written.length === 0 ? "none written" : "not signed (--no-sign)";
  if (opts.sign && written.length) {
    const s = spawnSync(python, ["-m", "nbformat.sign", ...written], { cwd: ROOT, encoding: "utf8", env });
    signed = s.status === 0 ? "signed" : `NOT signed (python3 -m nbformat.sign exit ${s.status}: ${(s.stderr || "").trim().split("\n").pop()})`;
  }

  const ok = results.filter((r) => r.ok);
  const failed = results.filter((r) => !r.ok);
  const sum = (k: "figures" | "tables" | "csvs") => ok.reduce((a, r) => a + r[k], 0);
  say(
    `swapcost: ${ok.length}/${total} notebooks regenerated in ${secs(performance.now() - t0)}: ` +
      `${sum("figures")} figures (svg, png, pdf, html) in ${path.relative(ROOT, path.join(out, "figures")) || "."}/, ` +
      `${sum("tables")} mail tables, ${sum("csvs")} CSV files; notebooks ${signed}` +
      (overridden ? `; with overrides, written to ${path.relative(ROOT, notebooksOut)}/` : "") +
      (failed.length ? `; FAILED: ${failed.map((r) => r.stem).join(", ")}` : ""),
  );
  return failed.length ? 1 : 0;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`swapcost: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
