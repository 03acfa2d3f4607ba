/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so one bench's heap does not
 * disturb the next) and passes their JSON lines through. Never part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const only = process.argv.slice(2);
const files = readdirSync(path.join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", path.join("bench", f)], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench ${f} failed with exit code ${r.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
