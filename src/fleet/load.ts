/**
 * Reading a fleet from disk (the only fleet module that touches the filesystem): a directory of
 * saved snapshots (any directory holding manifest.json or proc/swaps, at any depth up to 4), or a
 * CSV of summary rows. A snapshot that cannot be read or parsed is excluded with its error (the
 * file and line), unless `strict`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { SwapcostInputError, isInputError } from "../errors.js";
import { analyseHost, type HostAnalysisOptions } from "../host/analyse.js";
import { MANIFEST_FILE } from "../host/layout.js";
import { readSnapshotDir } from "../host/reader.js";
import { buildSnapshot } from "../host/snapshot.js";
import { aggregateFleet, costSummary, fleetHostOf, type FleetHost, type FleetOptions, type FleetResult } from "./aggregate.js";
import { parseSummaryCsv, summaryOf } from "./summary.js";

function isSnapshotDir(dir: string): boolean {
  return existsSync(path.join(dir, MANIFEST_FILE)) || existsSync(path.join(dir, "proc", "swaps"));
}

/** Snapshot directories under `root` (relative names, sorted). */
export function findSnapshots(root: string, depth = 4): string[] {
  const out: string[] = [];
  const walk = (rel: string, d: number) => {
    const abs = path.join(root, rel);
    if (rel && isSnapshotDir(abs)) {
      out.push(rel);
      return;
    }
    if (d >= depth) return;
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() && e.name !== "proc" && e.name !== "sys") walk(rel ? `${rel}/${e.name}` : e.name, d + 1);
    }
  };
  walk("", 0);
  return out;
}

export interface LoadedFleet {
  readonly source: string;
  readonly kind: "snapshots" | "csv";
  readonly hosts: FleetHost[];
  readonly excluded: { host: string; reason: string }[];
  /** CSV columns that were not read (cost_* columns of an exported fleet). */
  readonly ignoredColumns: readonly string[];
}

export function loadFleet(source: string, opts: FleetOptions & { readonly strict?: boolean; readonly zeroFromVmstat?: boolean }): LoadedFleet {
  let st;
  try {
    st = statSync(source);
  } catch (e) {
    throw new SwapcostInputError("swapcost fleet", source, "a directory of saved snapshots or a CSV of summary rows", (e as NodeJS.ErrnoException).code);
  }
  if (st.isFile()) {
    const { rows, ignored } = parseSummaryCsv(readFileSync(source, "utf8"), source);
    return { source, kind: "csv", hosts: rows.map((r) => costSummary(r, opts)), excluded: [], ignoredColumns: ignored };
  }
  if (isSnapshotDir(source)) throw new SwapcostInputError("swapcost fleet", source, "a directory of snapshot directories (for one snapshot: swapcost host --snapshot DIR)", "this is a single snapshot");
  const dirs = findSnapshots(source);
  if (dirs.length === 0) throw new SwapcostInputError("swapcost fleet", source, "a directory holding snapshot directories (each with manifest.json or proc/swaps)", "no snapshot found");
  const hosts: FleetHost[] = [];
  const excluded: { host: string; reason: string }[] = [];
  const hostOpts: HostAnalysisOptions = { designs: opts.designs, baseline: opts.baseline, occupancy: opts.occupancy, accounting: opts.accounting, zeroFromVmstat: opts.zeroFromVmstat };
  for (const rel of dirs) {
    const dir = path.join(source, rel);
    try {
      const a = analyseHost(buildSnapshot(readSnapshotDir(dir)), hostOpts);
      hosts.push(fleetHostOf(rel, a, summaryOf(rel, a, dir)));
    } catch (e) {
      if (!isInputError(e) || opts.strict) throw e;
      excluded.push({ host: rel, reason: e.message });
    }
  }
  return { source, kind: "snapshots", hosts, excluded, ignoredColumns: [] };
}

export function loadAndAggregate(source: string, opts: FleetOptions & { readonly strict?: boolean }): { loaded: LoadedFleet; result: FleetResult } {
  const loaded = loadFleet(source, opts);
  return { loaded, result: aggregateFleet(loaded.hosts, loaded.excluded) };
}
