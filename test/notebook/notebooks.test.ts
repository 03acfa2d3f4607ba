/**
 * CI for the notebooks: every notebook in notebooks/ executes without a cell error (a failure shows
 * that cell's message), the job is deterministic (two runs byte-identical, no absolute paths), the
 * written notebooks are signed, and Debian's Jupyter Notebook shows their figures interactively
 * (trusted) or as the static PNG (untrusted). Runs write under out/test-runs/ (the Jupyter server
 * must serve the project root), never over the committed notebooks.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = process.cwd();
const skip = process.env.SWAPCOST_SKIP_JUPYTER || process.env.SWAPCOST_SKIP_CHROMIUM;
const BASE = path.join(ROOT, "out", "test-runs");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const notebooks = readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();

function job(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, "scripts/notebooks.ts", ...args], { cwd: ROOT, env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const run = (name: string) => ({ out: path.join(BASE, name, "out"), nb: path.join(BASE, name, "notebooks") });

describe.skipIf(!!skip)("npm start's notebook job (scripts/notebooks.ts)", () => {
  let first: Awaited<ReturnType<typeof job>>;
  let second: Awaited<ReturnType<typeof job>>;

  beforeAll(async () => {
    rmSync(BASE, { recursive: true, force: true });
    mkdirSync(BASE, { recursive: true });
    const a = run("a");
    const b = run("b");
    first = await job(["--out", a.out, "--notebooks-out", a.nb]);
    second = await job(["--out", b.out, "--notebooks-out", b.nb, "--no-sign"]);
  }, 600_000);

  afterAll(() => {
    rmSync(BASE, { recursive: true, force: true });
  });

  it("executes every notebook without a cell error, one progress line each and a summary", () => {
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const lines = first.stdout.trim().split("\n");
    expect(lines).toHaveLength(notebooks.length + 1);
    for (const f of notebooks) expect(lines.some((l) => l.includes(f.replace(".ipynb", "")) && / ok /.test(l)), f).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^swapcost: ${notebooks.length}/${notebooks.length} notebooks regenerated in [\\d.]+ s: \\d+ figures`));
    expect(lines.at(-1)).toMatch(/notebooks signed/);
  });

  it("exports every figure as svg, png, pdf and html, with its data as CSV", () => {
    const a = run("a");
    const all = files(a.out).filter((f) => !f.startsWith(".manifest"));
    const figures = all.filter((f) => f.startsWith("figures/") && f.endsWith(".svg"));
    expect(figures.length).toBeGreaterThan(0);
    for (const svg of figures) {
      const stem = svg.slice(0, -4);
      for (const ext of ["png", "pdf", "html"]) expect(all, `${stem}.${ext}`).toContain(`${stem}.${ext}`);
      expect(all).toContain(`data/${stem.slice("figures/".length)}.csv`);
    }
    expect(all.some((f) => /^tables\/[^/]+-[^/]+\.txt$/.test(f))).toBe(true);
  });

  it("is deterministic: a second run writes byte-identical notebooks and exports, with no absolute paths", () => {
    expect(second.code, second.stdout + second.stderr).toBe(0);
    for (const side of ["out", "nb"] as const) {
      const a = run("a")[side];
      const b = run("b")[side];
      const fa = files(a).filter((f) => !f.startsWith(".manifest"));
      expect(files(b).filter((f) => !f.startsWith(".manifest"))).toEqual(fa);
      for (const f of fa) {
        const x = readFileSync(path.join(a, f));
        const y = readFileSync(path.join(b, f));
        expect(x.equals(y), `${side}/${f} differs between runs`).toBe(true);
        if (/\.(ipynb|svg|html|csv|txt)$/.test(f)) {
          const text = x.toString("utf8");
          expect(text.includes(ROOT), `${f} contains ${ROOT}`).toBe(false);
          expect(text.includes(BASE), `${f} contains ${BASE}`).toBe(false);
        }
      }
    }
  });

  it("written notebooks are signed (trusted), valid nbformat, with a static PNG in every figure", () => {
    const a = run("a");
    for (const f of notebooks) {
      const p = path.join(a.nb, f);
      const check = spawnSync("/usr/bin/python3", ["-c",
        "import sys, nbformat; from nbformat.sign import NotebookNotary; nb = nbformat.read(sys.argv[1], 4); nbformat.validate(nb); print(NotebookNotary().check_signature(nb))", p,
      ], { encoding: "utf8" });
      expect(check.stdout.trim(), check.stderr).toBe("True");
      const nb = JSON.parse(readFileSync(p, "utf8"));
      const figs = nb.cells.flatMap((c: { outputs?: Array<{ metadata?: { swapcost?: { figure?: string } }; data?: Record<string, string[]> }> }) =>
        (c.outputs ?? []).filter((o) => o.metadata?.swapcost?.figure));
      for (const o of figs) expect(o.data?.["text/html"].join("")).toContain('<img src="data:image/png;base64,');
      for (const c of nb.cells) {
        expect(c.metadata?.execution, "timing metadata").toBeUndefined();
        for (const o of c.outputs ?? []) if (o.output_type === "stream") expect(o.name, `stderr in ${f}: ${o.text}`).toBe("stdout");
      }
    }
  });

  it("Jupyter Notebook draws the figures interactively when trusted, and shows the static PNG when not", async () => {
    const { chromium } = await import("playwright-core");
    const { findChromium, CHROMIUM_ARGS } = await import("../../src/render/chromium.js");
    const a = run("a");
    const target = notebooks.find((f) => readFileSync(path.join(a.nb, f), "utf8").includes('"figure"'))!;
    const untrusted = JSON.parse(readFileSync(path.join(a.nb, target), "utf8"));
    untrusted.metadata.swapcost_test = "changed, so the signature no longer matches";
    writeFileSync(path.join(a.nb, "untrusted.ipynb"), JSON.stringify(untrusted));
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const server = spawn("/usr/bin/jupyter", ["notebook", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", "--NotebookApp.token=", "--NotebookApp.password=", "--allow-root", `--notebook-dir=${ROOT}`, "--NotebookApp.autosave_interval=0"], {
      env: { ...process.env, JUPYTER_PATH: path.join(ROOT, "jupyter") },
      stdio: "ignore",
    });
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const rel = path.relative(ROOT, a.nb);
      for (let i = 0; i < 50; i++) {
        const ok = await page.goto(`http://127.0.0.1:${port}/tree`).then((r) => r?.ok(), () => false);
        if (ok) break;
        await page.waitForTimeout(200);
      }
      // Page code as strings: tsconfig has no DOM lib (it mirrors tslab's).
      const count = (sel: string) => page.evaluate(`document.querySelectorAll(${JSON.stringify(sel)}).length`) as Promise<number>;
      await page.goto(`http://127.0.0.1:${port}/notebooks/${rel}/${target}`);
      await page.waitForFunction(`document.querySelectorAll(".swapcost-figure").length > 0 &&
        [...document.querySelectorAll(".swapcost-figure")].every((el) => el.querySelector(".main-svg"))`, undefined, { timeout: 90_000 });
      const figures = await count(".swapcost-figure");
      expect(await count(".swapcost-figure img")).toBe(0);
      await page.goto(`http://127.0.0.1:${port}/notebooks/${rel}/untrusted.ipynb`);
      await page.waitForFunction(`document.querySelectorAll(".swapcost-figure").length > 0`, undefined, { timeout: 90_000 });
      await page.waitForTimeout(500);
      expect(await count(".swapcost-figure img")).toBe(figures);
      expect(await count(".swapcost-figure .main-svg")).toBe(0);
    } finally {
      await browser.close();
      server.kill("SIGTERM");
    }
  }, 300_000);
});

describe.skipIf(!!skip)("one warm kernel runs several notebooks (jupyter/batch/)", () => {
  const dir = path.join(BASE, "warm");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
  const notebook = (...sources: string[]) => JSON.stringify({
    cells: sources.map((s, i) => cell(`c${i}`, s)),
    metadata: { kernelspec: { name: "swapcost-ts", display_name: "TypeScript (swapcost, tslab)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
  const probe = [
    'import { bytes } from "./src/units/bytes.js";',
    "// @ts-ignore: declared by 50-dirty only\nconst prior = typeof onlyIn50;\n" +
      'console.log("PROBE " + JSON.stringify({ prior, sameModule: (globalThis as any).swapcostProbeBytes === bytes, env: process.env.SWAPCOST_LEAK ?? null, root: require("fs").existsSync("package.json"), notebook: process.env.SWAPCOST_NOTEBOOK }));',
  ];
  const printed = (stem: string): unknown => {
    const nb = JSON.parse(readFileSync(path.join(dir, "nb", `${stem}.ipynb`), "utf8"));
    const text = nb.cells.flatMap((c: { outputs?: Array<{ text?: string | string[] }> }) => c.outputs ?? []).map((o: { text?: string | string[] }) => [o.text ?? ""].flat().join("")).join("");
    const m = /PROBE (.*)/.exec(text);
    return m ? JSON.parse(m[1]!) : text;
  };

  it("the next notebook starts from a fresh kernel's state, on the same kernel; pending timers force a new one", async () => {
    mkdirSync(path.join(dir, "in"), { recursive: true });
    // 50 leaves a variable, a src/ module instance, an environment variable and another working directory
    writeFileSync(path.join(dir, "in", "50-dirty.ipynb"), notebook(
      'import { bytes } from "./src/units/bytes.js";',
      'const onlyIn50 = 1;\n(globalThis as any).swapcostProbeBytes = bytes;\nprocess.env.SWAPCOST_LEAK = "1";\nprocess.chdir("/tmp");',
    ));
    // 51 sees none of it: no variable of 50, a new instance of the src/ module, the start environment
    writeFileSync(path.join(dir, "in", "51-probe.ipynb"), notebook(...probe));
    // 52 leaves a pending timer: the kernel cannot be reused
    writeFileSync(path.join(dir, "in", "52-timer.ipynb"), notebook("setTimeout(() => undefined, 3_600_000);"));
    writeFileSync(path.join(dir, "in", "53-probe.ipynb"), notebook(...probe));
    const timings = path.join(dir, "timings.jsonl");
    const r = await job(["--notebooks", path.join(dir, "in"), "--out", path.join(dir, "out"), "--notebooks-out", path.join(dir, "nb"), "--no-sign", "--jobs", "1", "--timings", timings]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(printed("51-probe")).toEqual({ prior: "undefined", sameModule: false, env: null, root: true, notebook: "51-probe" });
    expect(printed("53-probe")).toEqual({ prior: "undefined", sameModule: false, env: null, root: true, notebook: "53-probe" });
    const kernelMs = Object.fromEntries(readFileSync(timings, "utf8").trim().split("\n").map((l) => JSON.parse(l))
      .filter((t) => t.step === "notebook").map((t) => [t.notebook, t.kernelMs]));
    // the kernel started before the first notebook; 51 and 52 reused it; 53 needed a new one
    expect(kernelMs["51-probe"]).toBe(0);
    expect(kernelMs["52-timer"]).toBe(0);
    expect(kernelMs["53-probe"]).toBeGreaterThan(0);
  }, 300_000);
});

describe.skipIf(!!skip)("a failing notebook", () => {
  const dir = path.join(BASE, "failing");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fails the job and shows the failing cell's message (tslab writes it to stderr)", async () => {
    mkdirSync(path.join(dir, "in"), { recursive: true });
    const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
    writeFileSync(path.join(dir, "in", "99-broken.ipynb"), JSON.stringify({
      cells: [cell("a", "const ok = 1;"), cell("b", "// a type error\nconst n: number = \"nope\";"), cell("c", "console.log(ok)")],
      metadata: { kernelspec: { name: "swapcost-ts", display_name: "TypeScript (swapcost, tslab)", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    }));
    const r = await job(["--notebooks", path.join(dir, "in"), "--out", path.join(dir, "out"), "--notebooks-out", path.join(dir, "nb"), "--no-sign"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[1\/1\] 99-broken\s+FAILED after [\d.]+ s: error in cell 2 \(code cell 2: "const n: number = \\"nope\\";"\)/);
    expect(r.stdout).toContain("Type 'string' is not assignable to type 'number'.");
    expect(r.stdout).toMatch(/FAILED: 99-broken/);
    expect(existsSync(path.join(dir, "nb", "99-broken.ipynb"))).toBe(false);
  }, 300_000);

  it("rejects a bad override with one line and exit code 2 before running anything", async () => {
    for (const [args, want] of [
      [["--set", "00.nope=1"], /^swapcost: --set 00.nope=1: 00-[\w-]+ has no parameter "nope"; its parameters are /],
      [["--set", "nope"], /^swapcost: --set nope: expected <notebook>.<key>=<value>/],
      [["--params", "missing.json"], /^swapcost: --params missing.json: no such file/],
      [["--frobnicate"], /^swapcost: unknown argument "--frobnicate"/],
      [["--set", "01.focusPercent=33"], /^swapcost: --set 01.focusPercent=33: focusPercent must be one of usedPercents \(0,5,.*\), got 33\n/],
      [["--set", "01.baselineDesign=all"], /^swapcost: --set 01.baselineDesign=all: baselineDesign must be one design id /],
      [["--set", "01.swapSizeBytes=32T"], /^swapcost: --set 01.swapSizeBytes=32T: swapSizeBytes must be a swap size from 8K /],
      [["--set", "01.usedPercents="], /^swapcost: --set 01.usedPercents=: usedPercents must be a non-empty list /],
      [["--set", "02.mailWorkload=fill"], /^swapcost: --set 02.mailWorkload=fill: mailWorkload must be one of workloads /],
    ] as const) {
      const r = await job([...args, "--out", path.join(dir, "out2")]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(want);
      expect(r.stdout).toBe("");
    }
  }, 180_000);
});
