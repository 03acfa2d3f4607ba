/**
 * `swapcost designs`, `swapcost overhead`, `swapcost compare` and the pre-notebook `start`.
 */
import { SwapcostInputError } from "../errors.js";
import { allDesigns, resolveDesign } from "../designs/registry.js";
import type { Design } from "../designs/types.js";
import { overhead } from "../models/overhead.js";
import { inputOf, type Scenario } from "../models/scenario.js";
import { finish, MAIL_WIDTH } from "../report/mail.js";
import { wrap } from "../report/format.js";
import { compareGrid } from "../sweep/compare.js";
import { canRun } from "../sweep/overhead-sweep.js";
import { compareMail, compareText, designInventoryMail, designInventoryText, designsListMail, designsListText, overheadMail, overheadText } from "../report/overhead.js";
import { GiB } from "../units/bytes.js";
import { parseArgs, str, type FlagSpec } from "./args.js";
import { SCENARIO_FLAGS, designById, loadCustomDesigns, parseFormat, parseScenario, parseSwapSize, parseUsed, parseUsedList } from "./overhead-options.js";

export interface Io {
  out(text: string): void;
}

export const DESIGNS_FLAGS: readonly FlagSpec[] = [
  { name: "format", value: "text|json|mail", doc: "output format (default text)" },
  { name: "design-file", value: "<file.json>", doc: "validate and show a custom design" },
];

export function designsCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, DESIGNS_FLAGS, "designs");
  const format = parseFormat(args);
  const custom = loadCustomDesigns(args);
  if (args.positionals.length > 1) throw new SwapcostInputError("swapcost designs", args.positionals.join(" "), "at most one design id");
  if (args.positionals.length === 1 || custom.size) {
    const d = args.positionals.length ? designById(args.positionals[0], custom) : [...custom.values()][0];
    io.out(format === "json" ? JSON.stringify(d, null, 2) + "\n" : format === "mail" ? designInventoryMail(d) : designInventoryText(d));
    return 0;
  }
  const designs = allDesigns();
  if (format === "json") io.out(JSON.stringify(designs, null, 2) + "\n");
  else if (format === "mail") io.out(designsListMail(designs));
  else io.out(designsListText(designs) + "\n`swapcost designs <id>` prints a design's inventory with sources.\n");
  return 0;
}

export const OVERHEAD_FLAGS: readonly FlagSpec[] = [
  { name: "design", value: "<id>", doc: "design id or alias (see `swapcost designs`); id:param=value for parameterised designs" },
  { name: "used", value: "<share|size>", doc: "share of usable slots in use: 50%, 50 or 0.5; or swapped data, 16G (default 50%)" },
  ...SCENARIO_FLAGS,
];

export function overheadCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, OVERHEAD_FLAGS, "overhead");
  const format = parseFormat(args);
  if (args.positionals.length) throw new SwapcostInputError("swapcost overhead", args.positionals.join(" "), "options only (did you mean --design?)");
  const custom = loadCustomDesigns(args);
  const designText = str(args, "design") ?? (custom.size ? [...custom.keys()][0] : undefined);
  if (!designText) throw new SwapcostInputError("--design", "", "a design id (see `swapcost designs`)", "missing");
  const design = designById(designText, custom);
  const size = parseSwapSize(args);
  const used = parseUsed(str(args, "used") ?? "50%", size);
  const scenario = parseScenario(args, used, size);
  if (!canRun(design, scenario.mix)) {
    const bad = Object.keys(scenario.mix).filter((k) => !design.entryKinds.includes(k as never));
    throw new SwapcostInputError("--backend", bad.join(","), `one of ${design.entryKinds.join(", ")} for ${design.id}`, `${design.id} cannot hold ${bad.join("/")} entries`);
  }
  const r = overhead(inputOf(design, scenario));
  if (format === "json") io.out(JSON.stringify(r, null, 2) + "\n");
  else if (format === "mail") io.out(overheadMail(r, design));
  else io.out(overheadText(r));
  return 0;
}

export const COMPARE_FLAGS: readonly FlagSpec[] = [
  { name: "designs", value: "<id,id,...|all>", doc: "designs to compare (default all; with all, designs that cannot take the device, size or backend are left out and listed with the reason; the design of --design-file is always compared)" },
  { name: "baseline", value: "<id>", doc: "baseline for deltas and net rows (default the first design)" },
  { name: "used", value: "<list>", doc: "shares of usable slots in use (default 0,25,50,75,100)" },
  ...SCENARIO_FLAGS,
];

export function compareCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, COMPARE_FLAGS, "compare");
  const format = parseFormat(args);
  if (args.positionals.length) throw new SwapcostInputError("swapcost compare", args.positionals.join(" "), "options only (did you mean --designs?)");
  const custom = loadCustomDesigns(args);
  const list = str(args, "designs") ?? "all";
  const all = list.trim() === "all";
  if (!all && !list.split(",").some((t) => t.trim())) throw new SwapcostInputError("--designs", list, "a comma-separated list of design ids, or all");
  const named: Design[] = all ? allDesigns() : list.split(",").map((t) => designById(t, custom, "--designs"));
  // The designs of --design-file are always compared, whether or not --designs names them.
  let designs: Design[] = [...named, ...[...custom.values()].filter((c) => !named.some((d) => d.id === c.id))];
  const ids = designs.map((d) => d.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new SwapcostInputError("--designs", dup, "each design once");
  const size = parseSwapSize(args);
  const used = parseUsedList(str(args, "used") ?? "0,25,50,75,100", size);
  const probe = parseScenario(args, 0, size);
  // With --designs all, a built-in design that cannot take this device, size or backend is left
  // out and listed with the reason; a design named on the command line or in --design-file errors.
  const skipped: { design: string; reason: string }[] = [];
  designs = designs.filter((d) => {
    const optional = all && !custom.has(d.id);
    const reason = whyNot(d, probe, optional);
    if (reason) skipped.push({ design: d.id, reason });
    return !reason;
  });
  if (designs.length === 0) throw new SwapcostInputError("--designs", list, "at least one design that can take this device, size and backend", `every design was left out (${skipped.map((s) => s.design).join(", ")})`);
  const baselineText = str(args, "baseline");
  const baseline = baselineText ? designById(baselineText, custom, "--baseline") : designs[0];
  if (!designs.some((d) => d.id === baseline.id)) {
    whyNot(baseline, probe, false);
    designs = [baseline, ...designs];
  }
  const grid = compareGrid(designs, baseline.id, used, (u) => parseScenario(args, u, size));
  if (format === "json") {
    io.out(JSON.stringify(grid.cells.flatMap((row) => row.map((c) => ({ ...c.result, usedShare: c.usedShare, net: c.net, skipped }))), null, 2) + "\n");
  } else if (format === "mail") {
    io.out(compareMail(grid));
    if (skipped.length) io.out(finish(wrap(`Not shown: ${skipped.map((s) => `${s.design} (${s.reason})`).join("; ")}.`, MAIL_WIDTH)));
  } else {
    io.out(compareText(grid));
    if (skipped.length) io.out(`\nnot shown:\n${skipped.map((s) => `  ${s.design}: ${s.reason}\n`).join("")}`);
  }
  return 0;
}

/**
 * Why `design` cannot be evaluated under `probe` (backend, device kind, size limits), or undefined
 * if it can. With `optional` false the reason is thrown as the input error instead.
 */
function whyNot(design: Design, probe: Scenario, optional: boolean): string | undefined {
  if (!canRun(design, probe.mix)) {
    const bad = Object.keys(probe.mix).filter((k) => (probe.mix[k as keyof typeof probe.mix] ?? 0) > 0 && !design.entryKinds.includes(k as never));
    const e = new SwapcostInputError("--backend", bad.join(","), `one of ${design.entryKinds.join(", ")} for ${design.id}`, `${design.id} cannot hold ${bad.join("/")} entries`);
    if (!optional) throw e;
    return `cannot hold ${bad.join("/")} entries (it holds ${design.entryKinds.join(", ")})`;
  }
  try {
    overhead(inputOf(design, probe));
    return undefined;
  } catch (e) {
    if (!optional || !(e instanceof SwapcostInputError)) throw e;
    return e.message;
  }
}

/** Until the notebooks land: the comparison of all designs for a default 32 GiB device. */
export function startCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, [{ name: "format", value: "text|json|mail", doc: "output format (default text); json: the compare rows of both backends, as `swapcost compare --format json` emits them" }], "start");
  const format = parseFormat(args);
  const designs = allDesigns();
  const baseline = resolveDesign("linux-6.19");
  const used = [0, 0.25, 0.5, 0.75, 1];
  const rows: unknown[] = [];
  for (const backend of ["zswap", "disk"] as const) {
    const mix = { [backend]: 1 };
    const runnable = designs.filter((d) => canRun(d, mix));
    const skipped = designs.filter((d) => !canRun(d, mix)).map((d) => ({ design: d.id, reason: `cannot hold ${backend} entries (it holds ${d.entryKinds.join(", ")})` }));
    const grid = compareGrid(runnable, baseline.id, used, (u) => ({
      swapSizeBytes: 32 * GiB,
      usedShare: u,
      mix,
      device: "auto",
      memcg: true,
      occupancy: { kind: "packed" },
      accounting: "kernel",
      cpus: 8,
    }));
    if (format === "json") {
      rows.push(...grid.cells.flatMap((row) => row.map((c) => ({ ...c.result, usedShare: c.usedShare, net: c.net, skipped }))));
      continue;
    }
    io.out(`== ${backend} backend ==\n`);
    io.out(format === "mail" ? compareMail(grid) : compareText(grid));
    io.out("\n");
  }
  if (format === "json") {
    io.out(JSON.stringify(rows, null, 2) + "\n");
    return 0;
  }
  const tail = "Per design: `swapcost overhead --design <id>`; sources: `swapcost designs <id>`.";
  io.out(format === "mail" ? finish(wrap(tail, MAIL_WIDTH)) : tail + "\n");
  return 0;
}
