/**
 * `swapcost benchmarks [<id>]`: the thread's published benchmark tables (data/benchmarks), with
 * their source and setup, and each candidate's change against the baseline. Published
 * measurements, not model output.
 */
import { SwapcostInputError } from "../errors.js";
import { benchDeltas } from "../benchmarks/delta.js";
import { findTable, readBenchmarks } from "../benchmarks/tables.js";
import { defaultDataRoot } from "../data/root.js";
import { benchmarkMail, benchmarkText, benchmarksListMail, benchmarksListText } from "../report/benchmarks.js";
import { parseArgs, str, type FlagSpec } from "./args.js";
import { parseFormat } from "./overhead-options.js";
import type { Io } from "./overhead-commands.js";

export const BENCHMARKS_FLAGS: readonly FlagSpec[] = [
  { name: "format", value: "text|json|mail", doc: "output format (default text); json: the sidecar, the rows and the deltas against the baseline" },
  { name: "data", value: "<dir>", doc: "project root holding data/benchmarks (default: the current project)" },
];

export function benchmarksCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, BENCHMARKS_FLAGS, "benchmarks");
  const format = parseFormat(args);
  if (args.positionals.length > 1) throw new SwapcostInputError("swapcost benchmarks", args.positionals.join(" "), "at most one table id");
  const tables = readBenchmarks(str(args, "data") ?? defaultDataRoot());
  if (args.positionals.length === 0) {
    if (format === "json") io.out(JSON.stringify(tables.map((t) => t.meta), null, 2) + "\n");
    else io.out(format === "mail" ? benchmarksListMail(tables) : benchmarksListText(tables));
    return 0;
  }
  const t = findTable(tables, args.positionals[0]);
  if (format === "json") io.out(JSON.stringify({ meta: t.meta, rows: t.rows, deltas: benchDeltas([t]) }, null, 2) + "\n");
  else io.out(format === "mail" ? benchmarkMail(t) : benchmarkText(t));
  return 0;
}
