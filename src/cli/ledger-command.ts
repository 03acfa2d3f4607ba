/**
 * `swapcost ledger`: every quantitative claim of the thread recomputed by the models, with
 * claim / model / delta / verdict and its source. Reads data/claims and data/benchmarks.
 */
import { SwapcostInputError } from "../errors.js";
import { readBenchmarks } from "../benchmarks/tables.js";
import { defaultDataRoot } from "../data/root.js";
import { computeLedger, ledgerJson, readClaims, type LedgerStatus } from "../ledger/ledger.js";
import { ledgerMail, ledgerText } from "../report/ledger.js";
import { parseArgs, has, str, type FlagSpec } from "./args.js";
import { parseFormat } from "./overhead-options.js";
import type { Io } from "./overhead-commands.js";

const STATUSES: readonly LedgerStatus[] = ["reproduced", "within", "differs", "not-modelled"];

export const LEDGER_FLAGS: readonly FlagSpec[] = [
  { name: "format", value: "text|json|mail", doc: "output format (default text); json: an array of {id, speaker, url, claimed, model, deltaPct, verdict, reason, ...}" },
  { name: "section", value: "<1-6,...>", doc: "only these sections of the claims sheet (1 static, 2 dynamic, 3 memcg, 4 swapoff, 5 transfer, 6 benchmarks)" },
  { name: "status", value: "<reproduced|within|differs|not-modelled,...>", doc: "only claims with these verdicts" },
  { name: "id", value: "<claim id,...>", doc: "only these claims" },
  { name: "verbose", doc: "text: print quote, source and computation for every claim" },
  { name: "data", value: "<dir>", doc: "project root holding data/claims and data/benchmarks (default: the current project)" },
];

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(",").map((s) => s.trim()).filter(Boolean);
}

export function ledgerCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, LEDGER_FLAGS, "ledger");
  const format = parseFormat(args);
  if (args.positionals.length) throw new SwapcostInputError("swapcost ledger", args.positionals.join(" "), "options only (did you mean --id?)");
  const root = str(args, "data") ?? defaultDataRoot();
  const files = readClaims(root);
  const tables = readBenchmarks(root);
  let entries = computeLedger(files, { benchmarks: tables });

  const sectionsWanted = list(str(args, "section"));
  if (sectionsWanted) {
    const known = files.map((f) => f.section);
    for (const s of sectionsWanted) if (!known.includes(s)) throw new SwapcostInputError("--section", s, `one of ${known.join(", ")}`);
    entries = entries.filter((e) => sectionsWanted.includes(e.section));
  }
  const statusWanted = list(str(args, "status"));
  if (statusWanted) {
    for (const s of statusWanted) if (!(STATUSES as readonly string[]).includes(s)) throw new SwapcostInputError("--status", s, `one of ${STATUSES.join(", ")}`);
    entries = entries.filter((e) => statusWanted.includes(e.status));
  }
  const idsWanted = list(str(args, "id"));
  if (idsWanted) {
    const known = new Set(entries.map((e) => e.id));
    for (const id of idsWanted) if (!known.has(id)) throw new SwapcostInputError("--id", id, "a claim id (see `swapcost ledger --format json`)");
    entries = entries.filter((e) => idsWanted.includes(e.id));
  }

  const titles = new Map(files.map((f) => [f.section, f.title]));
  if (format === "json") io.out(JSON.stringify(ledgerJson(entries), null, 2) + "\n");
  else if (format === "mail") io.out(ledgerMail(entries, titles, { claimsFiles: files.length, benchmarkTables: tables.length }));
  else io.out(ledgerText(entries, titles, has(args, "verbose") || idsWanted !== undefined));
  return 0;
}
