#!/usr/bin/env node
// The `swapcost` command. Runs the compiled CLI in dist/; if dist/ is missing or older than src/
// (a developer edited a model), it recompiles first so the answer always matches the source.
import { existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stamp = path.join(root, "dist", ".build-stamp");

function newestMtime(dir) {
  let newest = 0;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    newest = Math.max(newest, ent.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (!existsSync(stamp) || statSync(stamp).mtimeMs < newestMtime(path.join(root, "src"))) {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) {
    process.stderr.write("swapcost: dependencies are not installed; run `npm start` or `npm install` first\n");
    process.exit(2);
  }
  process.stderr.write("swapcost: compiling src/ to dist/ (tsc)\n");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const { writeFileSync } = await import("node:fs");
  writeFileSync(stamp, "built\n");
}

// `swapcost … | head`: the reader went away; stop quietly as other Unix filters do.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

const { main } = await import(pathToFileURL(path.join(root, "dist", "cli", "main.js")).href);
process.exitCode = await main(process.argv.slice(2));
