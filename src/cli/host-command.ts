/**
 * `swapcost host`: read the live host (or a saved snapshot), show what each design would cost
 * there; `--capture DIR` saves the files read. `swapcost fleet`: many hosts at once.
 */
import { SwapcostInputError } from "../errors.js";
import { allDesigns } from "../designs/registry.js";
import type { Design } from "../designs/types.js";
import { analyseHost, type HostAnalysis } from "../host/analyse.js";
import { readLiveHost, readSnapshotDir, writeCapture } from "../host/reader.js";
import { buildSnapshot } from "../host/snapshot.js";
import type { Accounting } from "../models/overhead.js";
import { parseOccupancy, type Occupancy } from "../models/occupancy.js";
import { hostMail, hostText } from "../report/host.js";
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
  const a: HostAnalysis = analyseHost(snapshot, opts);
  if (format === "json") io.out(JSON.stringify({ analysis: a, snapshot }, null, 2) + "\n");
  else if (format === "mail") io.out(hostMail(a));
  else io.out(hostText(a, { topCgroups: topText === undefined ? undefined : Number(topText) }));
  return 0;
}

