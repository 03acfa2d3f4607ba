/**
 * `--occupancy sim:<workload>[,params]` for `overhead` and `compare`: run the workload on the
 * scenario's device for every allocator layer and hand the final occupancy to the model. Also the
 * small parsers `swapcost simulate` shares.
 */
import { readFileSync } from "node:fs";
import { SwapcostInputError } from "../errors.js";
import { SIM_LAYER_IDS, type SimulatedPlacement } from "../models/placement.js";
import type { Mix } from "../models/scenario.js";
import { runSimulation } from "../sim/run.js";
import { MAX_SIM_SLOTS } from "../sim/simulator.js";
import { parseWorkloadSpec, type KindMix, type WorkloadSpec } from "../sim/workloads.js";
import { parseShare } from "../units/share.js";

/** `2M`, `1e6`, `1_000_000`, `500k`: a whole number of events (decimal multipliers). */
export function parseCount(text: string, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const t = String(text).trim().replace(/_/g, "");
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kmg]?)$/i.exec(t);
  const mult = m ? { "": 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as "" | "k" | "m" | "g"] : NaN;
  const n = m ? Number(m[1]) * mult : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new SwapcostInputError(field, text, `a whole number between ${min} and ${max} (2M = 2*10^6, 1e6, 500k)`);
  return n;
}

/** A backend mix for the simulator: zswap, zero and disk (zram counts as disk); cache is not simulated. */
export function kindMixOf(mix: Mix, field = "--mix"): KindMix {
  if ((mix.cache ?? 0) > 0) throw new SwapcostInputError(field, "cache", "zswap, zero or disk shares (swap-cache-only entries are not simulated)");
  return { zswap: mix.zswap ?? 0, zero: mix.zero ?? 0, disk: mix.disk ?? 0 };
}

export function readTrace(spec: WorkloadSpec): string | undefined {
  if (spec.name !== "trace") return undefined;
  const file = spec.params.file!;
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new SwapcostInputError("--workload trace,file", file, "a readable trace file", (e as NodeJS.ErrnoException).code ?? "unreadable");
  }
}

// ---------------------------------------------------------------------------------------------
// --occupancy sim:<workload>[,params]

const RUN_PARAMS = ["events", "seed", "writeback"];
const memo = new Map<string, SimulatedPlacement>();

/**
 * Run the workload of `sim:<workload>[,params]` on the scenario's device and usage, for every
 * allocator layer, and return its final state (memoised per spec, size, used share and mix).
 */
export function simulatedPlacement(text: string, swapSizeBytes: number, usedShare: number, mix: Mix, cpus: number): SimulatedPlacement {
  const spec = parseWorkloadSpec(text.replace(/^sim:/i, ""), "--occupancy sim", RUN_PARAMS);
  const key = JSON.stringify([spec, swapSizeBytes, usedShare, mix, cpus]);
  const hit = memo.get(key);
  if (hit) return hit;
  if (Math.floor(swapSizeBytes / 4096) > MAX_SIM_SLOTS) throw new SwapcostInputError("--swap-size", swapSizeBytes, "at most 4T (2^30 slots) with --occupancy sim:");
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.params)) if (!RUN_PARAMS.includes(k)) params[k] = v;
  const workload: WorkloadSpec = { name: spec.name, params };
  const result = runSimulation({
    swapSizeBytes,
    cpus,
    seed: parseCount(spec.params.seed ?? "1", "--occupancy sim: seed"),
    workload,
    traceText: readTrace(workload),
    usedShare,
    mix: kindMixOf(mix, "--mix (with --occupancy sim:)"),
    writebackRate: parseShare(spec.params.writeback ?? "0", "--occupancy sim: writeback"),
    events: spec.params.events === undefined ? null : parseCount(spec.params.events, "--occupancy sim: events", 1),
    samples: 1,
    designs: [],
    layers: SIM_LAYER_IDS,
    masks: ALL_MASKS,
  });
  memo.set(key, result.placement);
  return result.placement;
}

const ALL_MASKS = Array.from({ length: 15 }, (_, i) => i + 1);
