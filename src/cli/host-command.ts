/**
 * `swapcost host`: read the live host (or a saved snapshot), show what each design would cost
 * there; `--capture DIR` saves the files read. `swapcost fleet`: many hosts at once.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { SwapcostInputError } from "../errors.js";
import { allDesigns, resolveDesign } from "../designs/registry.js";
import type { Design } from "../designs/types.js";
import { analyseHost, type HostAnalysis } from "../host/analyse.js";
import { readLiveHost, readSnapshotDir, writeCapture } from "../host/reader.js";
import { buildSnapshot } from "../host/snapshot.js";
import { memcgCgroupsOf, swapoffWorkloadOf } from "../host/model-inputs.js";
import { memcgOnHost } from "../host/memcg-on-host.js";
import { swapoffOnHost } from "../host/swapoff-on-host.js";
import type { Accounting } from "../models/overhead.js";
import { describeOccupancy, parseOccupancy, type Occupancy } from "../models/occupancy.js";
import { hostMail, hostText } from "../report/host.js";
import { aggregateFleet, costSummary, type FleetHost, type FleetOptions, type FleetResult } from "../fleet/aggregate.js";
import { loadFleet } from "../fleet/load.js";
import { PROFILE_IDS, syntheticFleet } from "../fleet/synthetic.js";
import { fleetCsv, fleetMail, fleetText, PRNG_SOURCE, PROFILES_SOURCE, profilesJson, profilesMail, profilesText } from "../report/fleet.js";
import { SUMMARY_COLUMNS } from "../fleet/summary.js";
import { has, parseArgs, str, type FlagSpec, type ParsedArgs } from "./args.js";
import { designById, loadCustomDesigns, parseFormat } from "./overhead-options.js";
import type { Io } from "./overhead-commands.js";

export const HOST_FLAGS: readonly FlagSpec[] = [
  { name: "snapshot", value: "<dir>", doc: "analyse a saved snapshot instead of the live host" },
  { name: "capture", value: "<dir>", doc: "save the files read (same relative layout) and a manifest into a new or empty directory; nothing is analysed" },
  { name: "note", value: "<text>", doc: "with --capture: a note stored in the manifest (how the snapshot was made)" },
  { name: "no-redact", doc: "with --capture: keep /proc/cmdline, /proc/version and /proc/self/mounts whole (default: only the swap, memcg and zswap parameters, the release, and cgroup/debugfs mounts)" },
  { name: "designs", value: "<id,id,...|all>", doc: "designs to evaluate (default all)" },
  { name: "baseline", value: "<id>", doc: "baseline design (default: the design of the host's kernel release)" },
  { name: "occupancy", value: "packed|random|<n>", doc: "placement of the used entries in clusters (default packed)" },
  { name: "accounting", value: "kernel|letter", doc: "what the kernel allocates, or the cover letters' nominal sizes (default kernel)" },
  { name: "zero-from-vmstat", doc: "6.12+: estimate zero-filled entries as vmstat swpout_zero - swpin_zero (an upper bound) instead of counting them as disk entries" },
  { name: "memcg-designs", value: "<id,id,...|none>", doc: "designs the memcg model charges the host's cgroups under, besides the host's own (default swap-table-p4,ghost-p4,vswap-v6,vswap-ste-v2)" },
  { name: "swapoff-designs", value: "<id,id,...|none>", doc: "designs the swapoff model swaps each device off under, besides the host's own (default: as --memcg-designs)" },
  { name: "top-cgroups", value: "<n>", doc: "cgroups shown in the text table (default 15; JSON has all)" },
  { name: "design-file", value: "<file.json>", doc: "add a custom design (same shape as `swapcost designs <id> --format json`)" },
  { name: "format", value: "text|json|mail", doc: "output format (default text)" },
];

export interface ModelOptions {
  readonly designs: Design[];
  readonly baseline?: Design;
  readonly occupancy: Occupancy;
  readonly accounting: Accounting;
  readonly zeroFromVmstat: boolean;
}

export function parseModelOptions(args: ParsedArgs): ModelOptions {
  const custom = loadCustomDesigns(args);
  const list = str(args, "designs") ?? "all";
  const designs = list.trim() === "all" ? [...allDesigns(), ...custom.values()] : list.split(",").map((t) => designById(t, custom));
  const ids = designs.map((d) => d.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new SwapcostInputError("--designs", dup, "each design once");
  const baselineText = str(args, "baseline");
  const accounting = (str(args, "accounting") ?? "kernel") as Accounting;
  if (accounting !== "kernel" && accounting !== "letter") throw new SwapcostInputError("--accounting", accounting, "kernel or letter");
  return {
    designs,
    baseline: baselineText ? designById(baselineText, custom) : undefined,
    occupancy: parseOccupancy(str(args, "occupancy") ?? "packed", "--occupancy"),
    accounting,
    zeroFromVmstat: args.flags.has("zero-from-vmstat"),
  };
}

export function hostCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, HOST_FLAGS, "host");
  const format = parseFormat(args);
  if (args.positionals.length) throw new SwapcostInputError("swapcost host", args.positionals.join(" "), "options only (did you mean --snapshot DIR?)");
  const snapDir = str(args, "snapshot");
  const captureDir = str(args, "capture");
  if (str(args, "note") !== undefined && !captureDir) throw new SwapcostInputError("--note", str(args, "note"), "--note together with --capture");
  if (has(args, "no-redact") && !captureDir) throw new SwapcostInputError("--no-redact", "", "--no-redact together with --capture");
  const files = snapDir ? readSnapshotDir(snapDir) : readLiveHost();
  if (captureDir) {
    const m = writeCapture(captureDir, files, { note: str(args, "note"), noRedact: has(args, "no-redact") });
    io.out(`captured ${m.files.length} files from ${snapDir ?? "the live host"} into ${captureDir} (manifest.json: sha256 per file, kernel ${m.kernelRelease ?? "unknown"}, ${m.capturedAt})\n`);
    for (const u of m.unreadable) io.out(`  unreadable: ${u.path} (${u.reason})\n`);
    for (const r of m.redacted ?? []) io.out(`  filtered: ${r.path} (${r.how})\n`);
    io.out(`analyse it with: swapcost host --snapshot ${captureDir}\n`);
    return 0;
  }
  const topText = str(args, "top-cgroups");
  if (topText !== undefined && !/^\d+$/.test(topText)) throw new SwapcostInputError("--top-cgroups", topText, "a whole number");
  const opts = parseModelOptions(args);
  const snapshot = buildSnapshot(files);
  const a: HostAnalysis = analyseHost(snapshot, { ...opts, scatteredBound: true });
  const mdText = str(args, "memcg-designs") ?? "swap-table-p4,ghost-p4,vswap-v6,vswap-ste-v2";
  const custom = loadCustomDesigns(args);
  const md = mdText.trim() === "none" ? [] : mdText.split(",").map((t) => designById(t, custom));
  const baseD = opts.baseline ?? (a.baseline ? resolveDesign(a.baseline.design) : undefined);
  const memcgDesigns = [...(baseD ? [baseD] : []), ...md.filter((d) => d.id !== baseD?.id)];
  const mc = memcgDesigns.length ? memcgOnHost(a, memcgDesigns) : undefined;
  const sdText = str(args, "swapoff-designs") ?? mdText;
  const sd = sdText.trim() === "none" ? [] : sdText.split(",").map((t) => designById(t, custom));
  const swapoffDesigns = [...(baseD ? [baseD] : []), ...sd.filter((d) => d.id !== baseD?.id)];
  const so = swapoffDesigns.length ? swapoffOnHost(a, swapoffDesigns) : undefined;
  const swapoffJson = so && {
    skipped: so.skipped,
    workloadFrom: so.workloadFrom,
    notes: so.notes,
    devices: so.devices.map((d) => ({ path: d.path, skipped: d.skipped, results: d.results.map((r) => ({ design: r.design.id, method: r.method, reverseMap: r.reverseMap, inputs: r.inputs, work: r.work, estimate: r.estimate, remaining: r.remaining })) })),
  };
  if (format === "json") {
    const memcgJson = mc && { skipped: mc.skipped, system: mc.system, cgroups: mc.cgroups, rows: mc.rows, designs: mc.results.map((r) => ({ design: r.design, reason: r.reason, notes: r.result?.notes ?? [] })), notes: mc.notes };
    io.out(JSON.stringify({ analysis: a, memcg: memcgJson ?? null, swapoff: swapoffJson ?? null, modelInputs: { memcg: memcgCgroupsOf(a), swapoff: swapoffWorkloadOf(a) }, snapshot }, null, 2) + "\n");
  } else if (format === "mail") io.out(hostMail(a, { memcg: mc, swapoff: so }));
  else io.out(hostText(a, { topCgroups: topText === undefined ? undefined : Number(topText), memcg: mc, swapoff: so }));
  return 0;
}


export const FLEET_FLAGS: readonly FlagSpec[] = [
  { name: "synthetic", value: "<n>", doc: "generate a synthetic fleet of n hosts instead of reading one (documented distributions; see --profiles)" },
  { name: "seed", value: "<n>", doc: "with --synthetic: the PRNG seed (default 1); same seed, same fleet" },
  { name: "profile", value: `<${PROFILE_IDS.join("|")}>`, doc: "with --synthetic: which hosts to draw (default mixed)" },
  { name: "profiles", doc: "print the synthetic profiles' distributions and exit (--format text, json or mail)" },
  { name: "designs", value: "<id,id,...|all>", doc: "designs to evaluate (default all)" },
  { name: "baseline", value: "<id>", doc: "one baseline for every host (default: each host's kernel design)" },
  { name: "occupancy", value: "packed|random|<n>", doc: "placement of the used entries in clusters (default packed)" },
  { name: "accounting", value: "kernel|letter", doc: "what the kernel allocates, or the cover letters' nominal sizes (default kernel)" },
  { name: "zero-from-vmstat", doc: "snapshots of 6.12+: estimate zero-filled entries from vmstat (see swapcost host --help)" },
  { name: "strict", doc: "a snapshot that cannot be read fails the command (default: excluded, with its error listed)" },
  { name: "design-file", value: "<file.json>", doc: "add a custom design" },
  { name: "format", value: "text|json|csv|mail", doc: "output (default text); csv = one row per host: the inputs, then cost_<design> in bytes" },
];

export function fleetCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, FLEET_FLAGS, "fleet");
  const format = parseFormat(args, ["text", "json", "csv", "mail"]);
  if (has(args, "profiles")) {
    if (format === "csv") throw new SwapcostInputError("--format", format, "text, json or mail with --profiles");
    io.out(format === "json" ? profilesJson() : format === "mail" ? profilesMail() : profilesText());
    return 0;
  }
  const synthetic = str(args, "synthetic");
  if (args.positionals.length > 1) throw new SwapcostInputError("swapcost fleet", args.positionals.join(" "), "one directory of snapshots or one CSV");
  if (!synthetic && args.positionals.length === 0) throw new SwapcostInputError("swapcost fleet", "", "a directory of snapshots, a CSV of summary rows, or --synthetic N", "missing");
  if (synthetic && args.positionals.length) throw new SwapcostInputError("swapcost fleet", args.positionals[0], "either a fleet to read or --synthetic N, not both");
  for (const f of ["seed", "profile"]) if (str(args, f) !== undefined && !synthetic) throw new SwapcostInputError(`--${f}`, str(args, f), `--${f} together with --synthetic`);
  const m = parseModelOptions(args);
  const opts: FleetOptions = { designs: m.designs, baseline: m.baseline, occupancy: m.occupancy, accounting: m.accounting };
  let hosts: FleetHost[];
  let result: FleetResult;
  let source: string;
  let ignored: readonly string[] = [];
  let sources: string[];
  if (synthetic) {
    if (!/^\d+$/.test(synthetic)) throw new SwapcostInputError("--synthetic", synthetic, "a number of hosts");
    const seedText = str(args, "seed") ?? "1";
    if (!/^\d+$/.test(seedText)) throw new SwapcostInputError("--seed", seedText, "a whole number");
    const profile = str(args, "profile") ?? "mixed";
    const rows = syntheticFleet(Number(synthetic), Number(seedText), profile);
    hosts = rows.map((r) => costSummary(r, opts));
    result = aggregateFleet(hosts);
    source = `synthetic: ${synthetic} hosts, profile ${profile}, seed ${seedText} (assumed distributions: swapcost fleet --profiles)`;
    sources = [PROFILES_SOURCE, PRNG_SOURCE];
  } else {
    const loaded = loadFleet(args.positionals[0], { ...opts, strict: has(args, "strict"), zeroFromVmstat: m.zeroFromVmstat });
    hosts = loaded.hosts;
    result = aggregateFleet(hosts, loaded.excluded);
    source = `${loaded.source} (${loaded.kind === "csv" ? "CSV of summary rows" : "saved snapshots"})`;
    ignored = loaded.ignoredColumns;
    sources = loaded.kind === "csv"
      ? [`${loaded.source}: CSV of per-host summary rows (columns: ${SUMMARY_COLUMNS.join(", ")}; src/fleet/summary.ts)`]
      : snapshotSources(loaded.source, [...loaded.hosts.map((h) => h.host), ...loaded.excluded.map((e) => e.host)]);
  }
  const ctx = { sources, source, accounting: m.accounting, occupancy: describeOccupancy(m.occupancy), baseline: m.baseline ? `${m.baseline.id} for every host` : "each host's kernel design (swapcost host shows the mapping)", ignoredColumns: ignored };
  if (format === "json") io.out(JSON.stringify({ source, result, hosts }, null, 2) + "\n");
  else if (format === "csv") io.out(fleetCsv(hosts, result.designs.map((d) => d.id)));
  else if (format === "mail") io.out(fleetMail(result, ctx));
  else io.out(fleetText(result, ctx));
  return 0;
}

/** At most this many snapshot directories are cited one by one in the mail's footnotes. */
const MAX_SNAPSHOT_NOTES = 12;

/**
 * One footnote per snapshot directory: the files its manifest lists (sha256 each), the kernel and
 * how it was captured; directories without a manifest are cited by path.
 */
function snapshotSources(root: string, hosts: readonly string[]): string[] {
  const notes = hosts.slice(0, MAX_SNAPSHOT_NOTES).map((h) => {
    const dir = path.join(root, h);
    const file = path.join(dir, "manifest.json");
    if (!existsSync(file)) return `${dir}/: saved snapshot (no manifest.json)`;
    try {
      const m = JSON.parse(readFileSync(file, "utf8")) as { kernelRelease?: string; files?: unknown[]; note?: string; capturedAt?: string };
      const what = [m.kernelRelease ? `kernel ${m.kernelRelease}` : "", m.capturedAt ? `captured ${m.capturedAt.slice(0, 10)}` : "", m.note ?? ""].filter(Boolean).join("; ");
      return `${dir}/: saved snapshot, ${m.files?.length ?? 0} files with sha256 in manifest.json${what ? `; ${what}` : ""}`;
    } catch {
      return `${dir}/: saved snapshot (manifest.json unreadable)`;
    }
  });
  if (hosts.length > MAX_SNAPSHOT_NOTES) notes.push(`${hosts.length - MAX_SNAPSHOT_NOTES} more snapshot directories under ${root}/ (swapcost fleet ${root} --format json lists every host)`);
  return notes;
}
