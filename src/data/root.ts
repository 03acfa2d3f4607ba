/**
 * Where the kit's data files (data/claims, data/benchmarks) live. No import.meta (tslab compiles
 * src/ to CommonJS): the default is the directory of `package.json` resolved from the working
 * directory, which is the project root for npm scripts, vitest and the notebook kernel; when the
 * CLI runs from elsewhere (`/path/to/bin/swapcost.js`), the directory above the script.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { SwapcostInputError } from "../errors.js";

export function defaultDataRoot(): string {
  const cwdRoot = path.dirname(path.resolve("package.json"));
  if (existsSync(path.join(cwdRoot, "data"))) return cwdRoot;
  const script = process.argv[1];
  if (script) {
    const above = path.resolve(path.dirname(script), "..");
    if (existsSync(path.join(above, "data"))) return above;
  }
  return cwdRoot;
}

/** Files of `dir` ending with `ext`, sorted by name; an input error naming the directory if it is missing. */
export function listDataFiles(dir: string, ext: string, field: string): string[] {
  if (!existsSync(dir)) throw new SwapcostInputError(field, dir, "an existing data directory (run from the project root, or pass --data <root>)");
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));
}

export function readText(file: string, field: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new SwapcostInputError(field, file, "a readable file", (e as NodeJS.ErrnoException).code ?? "unreadable");
  }
}

export function readJson(file: string, field: string): unknown {
  const text = readText(file, field);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SwapcostInputError(field, path.basename(file), "valid JSON", (e as Error).message);
  }
}
