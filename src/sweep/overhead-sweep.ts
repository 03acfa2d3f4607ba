/**
 * Parameter sweeps as data: flat rows (parameters × outputs) that go straight into a DataFrame,
 * a figure and a mail table. One row per (design, swap size, mix, used share, accounting).
 */
import type { Design } from "../designs/types.js";
import { overhead, type Accounting, type OverheadResult } from "../models/overhead.js";
import type { Occupancy } from "../models/occupancy.js";
import { inputOf, mixLabel, type DeviceChoice, type Mix, type Scenario } from "../models/scenario.js";

export interface SweepGrid {
  readonly designs: readonly Design[];
  readonly swapSizesBytes: readonly number[];
  readonly usedShares: readonly number[];
  readonly mixes: readonly { readonly mix: Mix; readonly zram?: boolean }[];
  readonly accountings?: readonly Accounting[];
  readonly device?: DeviceChoice;
  readonly occupancy?: Occupancy;
  readonly memcg?: boolean;
  readonly cpus?: number;
}

export interface OverheadSweepRow {
  readonly design: string;
  readonly family: string;
  readonly swapSizeBytes: number;
  readonly device: string;
  readonly backend: string;
  readonly accounting: Accounting;
  readonly occupancy: string;
  readonly usedShare: number;
  readonly usedPct: number;
  readonly usedEntries: number;
  readonly staticBytes: number;
  readonly dynamicBytes: number;
  readonly totalBytes: number;
  readonly totalMiB: number;
  readonly bytesPerSlot: number;
  /** null at 0% used. */
  readonly bytesPerUsedEntry: number | null;
}

export interface StructureSweepRow {
  readonly design: string;
  readonly swapSizeBytes: number;
  readonly backend: string;
  readonly accounting: Accounting;
  readonly usedShare: number;
  readonly usedPct: number;
  readonly structure: string;
  readonly name: string;
  readonly class: string;
  readonly layer: string;
  readonly bytes: number;
  readonly MiB: number;
  readonly bytesPerSlot: number;
}

function* points(g: SweepGrid): Generator<{ design: Design; size: number; used: number; mix: Mix; zram: boolean; accounting: Accounting }> {
  for (const design of g.designs)
    for (const size of g.swapSizesBytes)
      for (const m of g.mixes)
        for (const accounting of g.accountings ?? ["kernel"])
          for (const used of g.usedShares) yield { design, size, used, mix: m.mix, zram: m.zram ?? false, accounting };
}

function evaluate(g: SweepGrid, p: ReturnType<typeof points> extends Generator<infer T> ? T : never): OverheadResult {
  return overhead(
    inputOf(p.design, {
      swapSizeBytes: p.size,
      usedShare: p.used,
      mix: p.mix,
      zram: p.zram,
      device: g.device ?? "auto",
      memcg: g.memcg ?? true,
      occupancy: g.occupancy ?? { kind: "packed" },
      accounting: p.accounting,
      cpus: g.cpus ?? 8,
    }),
  );
}

/** Totals per grid point. Designs that cannot run a point (e.g. disk entries on a ghost swapfile) are skipped. */
export function sweepOverhead(g: SweepGrid): OverheadSweepRow[] {
  const rows: OverheadSweepRow[] = [];
  for (const p of points(g)) {
    if (!canRun(p.design, p.mix)) continue;
    const r = evaluate(g, p);
    rows.push({
      design: p.design.id,
      family: p.design.family,
      swapSizeBytes: p.size,
      device: r.inputs.device,
      backend: mixLabel(p.mix, p.zram),
      accounting: p.accounting,
      occupancy: r.inputs.occupancy.kind === "mean" ? `mean ${r.inputs.occupancy.entriesPerCluster}` : r.inputs.occupancy.kind,
      usedShare: p.used,
      usedPct: Math.round(p.used * 10000) / 100,
      usedEntries: r.inputs.usedEntries,
      staticBytes: r.totals.staticBytes,
      dynamicBytes: r.totals.dynamicBytes,
      totalBytes: r.totals.bytes,
      totalMiB: r.totals.bytes / 1048576,
      bytesPerSlot: r.totals.bytesPerSlot,
      bytesPerUsedEntry: r.totals.bytesPerUsedEntry,
    });
  }
  return rows;
}

/** One row per structure per grid point (for stacked breakdowns). */
export function sweepStructures(g: SweepGrid): StructureSweepRow[] {
  const rows: StructureSweepRow[] = [];
  for (const p of points(g)) {
    if (!canRun(p.design, p.mix)) continue;
    const r = evaluate(g, p);
    for (const row of r.rows) {
      rows.push({
        design: p.design.id,
        swapSizeBytes: p.size,
        backend: mixLabel(p.mix, p.zram),
        accounting: p.accounting,
        usedShare: p.used,
        usedPct: Math.round(p.used * 10000) / 100,
        structure: row.structure,
        name: row.name,
        class: row.class,
        layer: row.layer,
        bytes: row.bytes,
        MiB: row.bytes / 1048576,
        bytesPerSlot: row.bytesPerSlot,
      });
    }
  }
  return rows;
}

/** Can the design hold every backend of the mix? */
export function canRun(design: Design, mix: Mix): boolean {
  return (Object.keys(mix) as (keyof Mix)[]).every((k) => (mix[k] ?? 0) === 0 || design.entryKinds.includes(k));
}

/**
 * Break-even usage of two designs under one scenario: the smallest number of used entries at which
 * their totals cross (the cheaper one at 0% stops being cheaper), found by bisection over whole
 * entries. null when one design is never more expensive than the other on [0%, 100%].
 */
export function breakEven(a: Design, b: Design, s: Omit<Scenario, "usedShare">): { usedShare: number; usedEntries: number; bytes: number } | null {
  if (!canRun(a, s.mix) || !canRun(b, s.mix)) return null;
  const usable = Math.floor(s.swapSizeBytes / 4096) - 1;
  const diff = (entries: number) => {
    const share = usable > 0 ? entries / usable : 0;
    const ra = overhead(inputOf(a, { ...s, usedShare: share }));
    const rb = overhead(inputOf(b, { ...s, usedShare: share }));
    return { d: ra.totals.bytes - rb.totals.bytes, bytes: ra.totals.bytes };
  };
  const d0 = diff(0).d;
  const d1 = diff(usable).d;
  if (d0 === 0) return { usedShare: 0, usedEntries: 0, bytes: diff(0).bytes };
  if (Math.sign(d0) === Math.sign(d1) && d1 !== 0) return null;
  let lo = 0;
  let hi = usable;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const dm = diff(mid).d;
    if (dm === 0 || Math.sign(dm) !== Math.sign(d0)) hi = mid;
    else lo = mid;
  }
  return { usedShare: hi / usable, usedEntries: hi, bytes: diff(hi).bytes };
}
