#!/usr/bin/env node
// First-command bootstrap for `npm start`, `npm test` and `npm run bench`.
//
// On a fresh clone nothing is installed, so this file uses only Node built-ins. It installs what
// is missing (idempotently, saying what it installs), builds dist/ when src/ is newer, and then
// runs the requested job. Each install step prints one line; a step that has nothing to do is
// silent.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEBIAN_NEEDS, ensureDebian } from "./debian.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

function say(msg) {
  process.stderr.write(`swapcost: ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function must(cmd, args, opts) {
  const status = run(cmd, args, opts);
  if (status !== 0) {
    say(`'${cmd} ${args.join(" ")}' failed with exit code ${status}`);
    process.exit(status);
  }
}

/** npm packages: `npm ci` when node_modules is missing or was installed from another lockfile. */
export function ensureNpm() {
  const lock = readFileSync(path.join(root, "package-lock.json"));
  const want = createHash("sha256").update(lock).update(readFileSync(path.join(root, "package.json"))).digest("hex");
  const stamp = path.join(root, "node_modules", ".swapcost-install-stamp");
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) return;
  say(existsSync(path.join(root, "node_modules"))
    ? "package-lock.json changed since the last install: installing npm packages (npm ci)"
    : "installing npm packages (npm ci, from the npm registry; no binaries or browsers are downloaded)");
  must("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
  writeFileSync(stamp, want + "\n");
}

function newestMtime(dir) {
  let newest = 0;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/ (the compiled CLI) when missing or older than src/. */
export function ensureBuild() {
  const stamp = path.join(root, "dist", ".build-stamp");
  const srcTime = Math.max(newestMtime(path.join(root, "src")), statSync(path.join(root, "tsconfig.json")).mtimeMs);
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= srcTime) return;
  say("compiling src/ to dist/ (tsc)");
  must(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]);
  writeFileSync(stamp, new Date(0).toISOString() + "\n");
}

const job = process.argv[2];
const rest = process.argv.slice(3);

ensureNpm();
ensureBuild();

const tsx = "node_modules/tsx/dist/cli.mjs";

function hasNotebooks() {
  return existsSync(path.join(root, "notebooks")) && readdirSync(path.join(root, "notebooks")).some((f) => f.endsWith(".ipynb"));
}

/** The design comparison of the CLI (`swapcost start`), once the core CLI exists. */
function comparison(args) {
  if (!existsSync(path.join(root, "src", "cli", "main.ts"))) return 0;
  return run(process.execPath, ["bin/swapcost.js", "start", ...args]);
}

/** The Debian packages still missing for the capabilities `have` lacks. */
function missingPackages(have) {
  const pkgs = [];
  for (const [cap, list] of Object.entries(DEBIAN_NEEDS)) {
    if (cap in have && !have[cap]) pkgs.push(...list.filter((p) => spawnSync("dpkg-query", ["-W", "-f=${Status}", p], { encoding: "utf8" }).stdout?.trim() !== "install ok installed"));
  }
  return pkgs;
}

function aptCommand(have) {
  const pkgs = missingPackages(have);
  const sudo = typeof process.getuid === "function" && process.getuid() === 0 ? "" : "sudo ";
  return `${sudo}apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;
}

function missingWhy(have) {
  const what = [!have.jupyter && "Jupyter (executes the notebooks)", !have.chromium && "Chromium (exports the figures)"].filter(Boolean).join(" and ");
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return `${what} ${have.jupyter || have.chromium ? "is" : "are"} missing${isRoot ? " (apt-get failed above)" : " (not root, so npm start could not install them)"}`;
}

switch (job) {
  case "start": {
    if (!hasNotebooks()) process.exit(comparison(rest));
    // The main job: regenerate every notebook and export its figures, tables and data
    // (scripts/notebooks.ts), then print the design comparison.
    const have = ensureDebian(["jupyter", "chromium"], say);
    if (!have.jupyter || !have.chromium) {
      // The notebook job cannot run: still check --set/--params (exit 2 on a bad one, before
      // anything else), print the comparison, then fail with the command that installs the rest.
      const checked = run(process.execPath, [tsx, "scripts/notebooks.ts", "--check-only", ...rest]);
      if (checked !== 0) process.exit(checked);
      const shown = comparison([]);
      say(`notebooks NOT run: ${missingWhy(have)}`);
      const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
      say(`install them with: ${aptCommand(have)}${isRoot ? "" : "  (npm start does this itself when run as root)"}, then run npm start again`);
      process.exit(shown !== 0 ? shown : 1);
    }
    const status = run(process.execPath, [tsx, "scripts/notebooks.ts", ...rest]);
    if (status !== 0) process.exit(status);
    process.exit(comparison([]));
  }
  case "test": {
    const env = { ...process.env, TZ: "UTC", LC_ALL: "C" };
    if (hasNotebooks() || existsSync(path.join(root, "test", "render"))) {
      const have = ensureDebian(["jupyter", "chromium"], say);
      // Without them, the notebook and Chromium tests are skipped (and say why); CI runs as root.
      if (!have.jupyter) env.SWAPCOST_SKIP_JUPYTER = "Jupyter is not installed (see the apt-get command above)";
      if (!have.chromium) env.SWAPCOST_SKIP_CHROMIUM = "Chromium is not installed (see the apt-get command above)";
    }
    const status = run(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...rest], { env });
    const skipped = [env.SWAPCOST_SKIP_JUPYTER && `notebook tests: ${env.SWAPCOST_SKIP_JUPYTER}`, env.SWAPCOST_SKIP_CHROMIUM && `Chromium tests: ${env.SWAPCOST_SKIP_CHROMIUM}`].filter(Boolean);
    if (skipped.length) {
      // The summary above counts them as skipped; say so loudly after it (the exit code is vitest's).
      say("=".repeat(72));
      for (const s of skipped) say(`NOT RUN: ${s}`);
      const have = { jupyter: !env.SWAPCOST_SKIP_JUPYTER, chromium: !env.SWAPCOST_SKIP_CHROMIUM };
      const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
      say(`install with: ${aptCommand(have)}${isRoot ? "" : "  (or run npm test as root, as CI does)"}`);
      say("=".repeat(72));
    }
    process.exit(status);
  }
  case "bench":
    process.exit(run(process.execPath, [tsx, "bench/run.ts", ...rest]));
  case "bench-notebooks":
    // Wall time of `npm start` and per-figure export times, as JSON lines (bench/notebooks.ts).
    ensureDebian(["jupyter", "chromium"], say);
    process.exit(run(process.execPath, [tsx, "bench/notebooks.ts", ...rest]));
  case "notebook": {
    // Debian's Jupyter Notebook on the project root, with the project-local tslab kernelspec.
    const have = ensureDebian(["jupyter"], say);
    if (!have.jupyter) process.exit(1);
    const args = ["notebook", `--notebook-dir=${root}`, ...(process.getuid?.() === 0 ? ["--allow-root"] : []), ...rest];
    say(`starting Jupyter Notebook on ${root} (kernel "TypeScript (swapcost, tslab)"); stop it with Ctrl-C`);
    process.exit(run(existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter", args, {
      env: { ...process.env, JUPYTER_PATH: path.join(root, "jupyter") },
    }));
  }
  default:
    say(`unknown job '${job}': expected start, test, bench, bench-notebooks or notebook`);
    process.exit(2);
}
