/**
 * A comparison grid: several designs × several usage points under one scenario, each cell with
 * its overhead result and its net rows against the baseline design.
 */
import type { Design } from "../designs/types.js";
import type { Source } from "../kernel/sources.js";
import { netAgainst, overhead, replacesMap, type NetResult, type OverheadResult } from "../models/overhead.js";
import { inputOf, mixLabel, type Scenario } from "../models/scenario.js";

export interface CompareCell {
  readonly usedShare: number;
  readonly result: OverheadResult;
  readonly net: NetResult | null;
}

export interface CompareGrid {
  readonly designs: readonly string[];
  readonly baseline: string;
  readonly usedShares: readonly number[];
  /** Backend mix label, e.g. `zswap` or `disk=30%,zswap=70%`. */
  readonly backend: string;
  /** Each design's primary source (its cover letter or swapon code), in `designs` order. */
  readonly designSources: readonly (Source | undefined)[];
  /** cells[design][used] */
  readonly cells: readonly (readonly CompareCell[])[];
}

/** Evaluate every design at every used share; `scenarioOf(u)` gives the scenario at share u. */
export function compareGrid(designs: readonly Design[], baselineId: string, usedShares: readonly number[], scenarioOf: (usedShare: number) => Scenario): CompareGrid {
  const results: OverheadResult[][] = designs.map((d) => usedShares.map((u) => overhead(inputOf(d, scenarioOf(u)))));
  const bIdx = designs.findIndex((d) => d.id === baselineId);
  if (bIdx < 0) throw new Error(`compareGrid: baseline ${baselineId} is not among the designs`);
  const s0 = scenarioOf(usedShares[0] ?? 0);
  return {
    designs: designs.map((d) => d.id),
    baseline: baselineId,
    usedShares,
    backend: mixLabel(s0.mix, s0.zram),
    designSources: designs.map((d) => d.sources[0]),
    cells: results.map((row, di) =>
      row.map((result, ui) => ({
        usedShare: usedShares[ui],
        result,
        net: di === bIdx ? null : netAgainst(result, results[bIdx][ui], replacesMap(designs[di])),
      })),
    ),
  };
}
