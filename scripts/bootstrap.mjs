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

switch (job) {
  case "start":
    process.exit(run(process.execPath, ["bin/swapcost.js", "start", ...rest]));
  case "test":
    process.exit(run(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...rest], {
      env: { ...process.env, TZ: "UTC", LC_ALL: "C" },
    }));
  case "bench":
    process.exit(run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "bench/run.ts", ...rest]));
  default:
    say(`unknown job '${job}': expected start, test or bench`);
    process.exit(2);
}
