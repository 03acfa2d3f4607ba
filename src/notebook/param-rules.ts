/**
 * Key-name rules for notebook parameters (the unit is in the name, per the project convention):
 * a rule applies to every parameter whose key matches, in every notebook, so `--set` and `--params`
 * reject a bad value before any notebook runs, with one line saying what is allowed.
 */
import { resolveDesign, designIds } from "../designs/registry.js";
import { parseOccupancy, OCCUPANCY_SYNTAX } from "../models/occupancy.js";
import { BACKENDS } from "../models/scenario.js";
import { PROFILE_IDS } from "../fleet/synthetic.js";
import { churnMaxS, parseWorkloadSpec } from "../sim/workloads.js";
import { parseShare } from "../units/share.js";
import { parseSize, SIZE_SYNTAX } from "../units/bytes.js";
import type { ParamValue, Params } from "./params.js";

/** A rule's verdict: `value` is the (possibly normalised) value when ok, `why` may explain a refusal. */
export interface RuleResult {
  ok: boolean;
  value?: unknown;
  why?: string;
}

export interface ParamRule {
  /** Whether the rule applies to a parameter named `key`. */
  applies(key: string): boolean;
  /** What is allowed, for the error line ("a size such as 32G …"). */
  allowed: string;
  /** Checks (and may normalise) a value; `def` is the notebook's default. */
  check(value: unknown, def: ParamValue): RuleResult;
  /** The rule reads command-line text itself (e.g. "64G" for a numeric …Bytes default). */
  parsesText?: boolean;
}

/** Applies a per-item check to a scalar or to every item of a list. */
function eachItem(value: unknown, f: (x: unknown) => RuleResult): RuleResult {
  if (!Array.isArray(value)) return f(value);
  const out: unknown[] = [];
  for (const x of value) {
    const r = f(x);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}

/** Every list parameter: at least one item (an empty list leaves a figure or a sweep with nothing). */
export const nonEmptyListRule: ParamRule = {
  applies: () => true,
  allowed: "a non-empty list",
  check: (value, def) => (Array.isArray(def) && Array.isArray(value) && value.length === 0 ? { ok: false } : { ok: true, value }),
};

/** `…Percent` / `…Percents`: numbers from 0 to 100. */
export const percentRule: ParamRule = {
  applies: (key) => /Percents?$/.test(key),
  allowed: "a percentage from 0 to 100 (a list for …Percents: 0,25,50)",
  check: (value) =>
    eachItem(value, (x) =>
      typeof x === "number" && Number.isFinite(x) && x >= 0 && x <= 100 ? { ok: true, value: x } : { ok: false }),
};

/** `…Count` / `…Points`: positive integers. */
export const countRule: ParamRule = {
  applies: (key) => /(Count|Points)$/.test(key),
  allowed: "a positive integer",
  check: (value) =>
    eachItem(value, (x) => (typeof x === "number" && Number.isInteger(x) && x > 0 ? { ok: true, value: x } : { ok: false })),
};

function attempt(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

/**
 * `…Bytes`: a size (src/units/bytes.ts: 32G = 32 GiB, 32GB = 32·10^9). A string default keeps the
 * text; a numeric default takes a number of bytes or a size text converted to bytes.
 */
export const bytesRule: ParamRule = {
  applies: (key) => /Bytes$/.test(key),
  parsesText: true,
  allowed: SIZE_SYNTAX,
  check: (value, def) => {
    const numeric = typeof (Array.isArray(def) ? def[0] : def) === "number";
    return eachItem(value, (x) => {
      if (typeof x === "number") return Number.isSafeInteger(x) && x >= 0 ? { ok: true, value: x } : { ok: false };
      if (typeof x !== "string" || !attempt(() => parseSize(x))) return { ok: false };
      return { ok: true, value: numeric ? parseSize(x) : x.trim() };
    });
  },
};

const MIN_SWAP_BYTES = 2 * 4096;
const MAX_SWAP_BYTES = 2 ** 44;

/** `swapSizeBytes`/`…SwapSizeBytes`/`rmapSizesBytes` (after bytesRule): 8K (a header page and one slot) to 16T. */
export const swapSizeRule: ParamRule = {
  applies: (key) => /(^s|S)wapSizes?Bytes$|^rmapSizesBytes$/.test(key),
  allowed: "a swap size from 8K (a header page and one slot) to 16T (mainline's 2^32 slots: swap_header.info.last_page is a __u32)",
  check: (value) =>
    eachItem(value, (x) => {
      const b = typeof x === "number" ? x : typeof x === "string" && attempt(() => parseSize(x)) ? parseSize(x) : NaN;
      return b >= MIN_SWAP_BYTES && b <= MAX_SWAP_BYTES ? { ok: true, value: x } : { ok: false };
    }),
};

/** `design`/`…Design`: one design id or alias (with `:param=value`), not "all" and not a list. */
export const designRule: ParamRule = {
  applies: (key) => /^design$|Design$/.test(key),
  allowed: `one design id (${designIds().join(", ")}; an alias or id:param=value works too), not "all" or a list`,
  check: (value) => {
    if (typeof value !== "string" || value.trim() === "" || value.includes(",")) return { ok: false };
    if (value.trim() === "all") return { ok: false, why: "a single design is needed here" };
    return attempt(() => resolveDesign(value.trim())) ? { ok: true, value: value.trim() } : { ok: false, why: `unknown design ${JSON.stringify(value)}` };
  },
};

/** `designs`/`…Designs`: "all", or design ids/aliases (with `:param=value`), as a comma list or a list. */
export const designsRule: ParamRule = {
  applies: (key) => /^designs$|Designs$/.test(key),
  allowed: `"all" or design ids separated by commas (${designIds().join(", ")}; aliases and id:param=value work too)`,
  check: (value) => {
    const items = Array.isArray(value) ? value : typeof value === "string" ? [value] : [value];
    for (const item of items) {
      if (typeof item !== "string") return { ok: false };
      if (item.trim() === "all" && items.length === 1) continue;
      for (const id of item.split(",").map((t) => t.trim()).filter(Boolean)) {
        if (!attempt(() => resolveDesign(id))) return { ok: false, why: `unknown design ${JSON.stringify(id)}` };
      }
    }
    return { ok: true, value };
  },
};

/** `backend`/`…Backend(s)`: zswap, disk, zram, zero or cache. */
export const backendsRule: ParamRule = {
  applies: (key) => /^backends?$|Backends?$/.test(key),
  allowed: `one of ${BACKENDS.join(", ")} (a list for …Backends)`,
  check: (value) => eachItem(value, (x) => (typeof x === "string" && (BACKENDS as readonly string[]).includes(x) ? { ok: true, value: x } : { ok: false })),
};

/** `accounting`/`…Accounting`: kernel (what the kernel allocates) or letter (what the cover letters count). */
export const accountingRule: ParamRule = {
  applies: (key) => /^accounting$|Accounting$/.test(key),
  allowed: "kernel or letter",
  check: (value) => (value === "kernel" || value === "letter" ? { ok: true, value } : { ok: false }),
};

/** `occupancy`/`…Occupancy`: how used entries fill clusters. */
export const occupancyRule: ParamRule = {
  applies: (key) => /^occupancy$|Occupancy$/.test(key),
  allowed: OCCUPANCY_SYNTAX,
  check: (value) => (typeof value === "string" && attempt(() => parseOccupancy(value)) ? { ok: true, value } : { ok: false }),
};

/** `workloads`/`…Workload(s)`: simulator workload specs as `swapcost simulate --workload` takes them. */
export const workloadsRule: ParamRule = {
  applies: (key) => /^workloads?$|Workloads?$/.test(key),
  allowed: "workload specs name[,param=value,...] as `swapcost simulate --workload` takes them (fill, fill-free, random-churn, churn, fork-exit, mthp)",
  check: (value) =>
    eachItem(value, (x) => {
      if (typeof x !== "string") return { ok: false };
      try {
        const w = parseWorkloadSpec(x);
        return w.name === "trace" ? { ok: false, why: "a trace needs its file read by the notebook" } : { ok: true, value: x };
      } catch (e) {
        const split = /^[a-z]+=/i.test(x.trim()) ? " (a --set list splits at commas: give workloads with parameters in a --params JSON file)" : "";
        return { ok: false, why: (e as Error).message + split };
      }
    }),
};

export const PARAM_RULES: readonly ParamRule[] = [nonEmptyListRule, percentRule, countRule, bytesRule, swapSizeRule, designRule, designsRule, backendsRule, accountingRule, occupancyRule, workloadsRule];

// ---------------------------------------------------------------------------------------------
// Cross-parameter rules: a notebook's parameters checked together (after each key alone)
// ---------------------------------------------------------------------------------------------

export interface CrossRule {
  /** Notebook number prefix ("01"). */
  notebook: string;
  /** Parameters the rule reads; its error names the first of these that was overridden. */
  keys: readonly string[];
  /** A problem (one line, without the notebook and override), or undefined when fine. */
  check(p: Params): string | undefined;
}

const list = (v: ParamValue | undefined): readonly unknown[] => (Array.isArray(v) ? v : [v]);
const showList = (v: ParamValue | undefined): string => list(v).join(",");

function memberOf(key: string, listKey: string): (p: Params) => string | undefined {
  return (p) => {
    const missing = list(p[key]).filter((x) => !list(p[listKey]).includes(x));
    return missing.length ? `${key} must be one of ${listKey} (${showList(p[listKey])}), got ${missing.join(",")}` : undefined;
  };
}

function oneOf(key: string, allowed: readonly string[]): (p: Params) => string | undefined {
  return (p) => {
    const bad = list(p[key]).filter((x) => !allowed.includes(String(x)));
    return bad.length ? `${key} must be ${Array.isArray(p[key]) ? "a list of" : "one of"} ${allowed.join(", ")}, got ${bad.join(",")}` : undefined;
  };
}

function idList(v: ParamValue | undefined): string[] {
  return list(v).flatMap((x) => String(x).split(",")).map((s) => s.trim()).filter(Boolean);
}

function allOrNumbers(key: string, lo: number, hi: number): (p: Params) => string | undefined {
  return (p) => {
    const v = String(p[key]).trim();
    if (v === "all") return undefined;
    const ids = idList(v);
    const bad = ids.filter((s) => !/^\d+$/.test(s) || Number(s) < lo || Number(s) > hi);
    return ids.length === 0 || bad.length ? `${key} must be "all" or numbers from ${lo} to ${hi} separated by commas, got ${JSON.stringify(v)}` : undefined;
  };
}

function allOrWords(key: string, words: readonly string[]): (p: Params) => string | undefined {
  return (p) => {
    const v = String(p[key]).trim();
    if (v === "all") return undefined;
    const ids = idList(v);
    const bad = ids.filter((s) => !words.includes(s));
    return ids.length === 0 || bad.length ? `${key} must be "all" or ${words.join(", ")} separated by commas, got ${JSON.stringify(v)}` : undefined;
  };
}

/** Notebook 02: a churn workload whose s the simulator would refuse at this size (see src/sim/workloads.ts). */
function churnTooSkewed(p: Params): string | undefined {
  const slots = Math.floor(parseSize(String(p.swapSizeBytes)) / 4096) - 1;
  const n = Math.round((Number(p.usedPercent) / 100) * slots);
  for (const w of list(p.workloads)) {
    const spec = parseWorkloadSpec(String(w));
    if (spec.name !== "churn" || n <= 0) continue;
    const ram = spec.params.ram ?? "25%";
    const r = Math.max(1, Math.round(n * parseShare(ram, "churn.ram")));
    const top = churnMaxS(n + r, r);
    const s = Number(spec.params.s ?? "1");
    if (!(s >= 0 && s <= top)) return `workloads: ${w} must have s between 0 and ${top} for ${n} swapped pages with ram=${ram} (above it over 99 % of accesses hit resident pages), got s=${spec.params.s}`;
  }
  return undefined;
}

export const CROSS_RULES: readonly CrossRule[] = [
  { notebook: "01", keys: ["focusPercent", "usedPercents"], check: memberOf("focusPercent", "usedPercents") },
  { notebook: "01", keys: ["mailPercents", "usedPercents"], check: memberOf("mailPercents", "usedPercents") },
  { notebook: "02", keys: ["mailWorkload", "workloads"], check: memberOf("mailWorkload", "workloads") },
  {
    notebook: "02",
    keys: ["zswapPercent", "diskPercent"],
    check: (p) => (Number(p.zswapPercent) + Number(p.diskPercent) > 100 ? `zswapPercent + diskPercent must be at most 100 (the rest are zero-filled pages), got ${Number(p.zswapPercent) + Number(p.diskPercent)}` : undefined),
  },
  {
    // the simulator refuses a churn whose draws mostly hit resident pages (src/sim/workloads.ts); say so before running
    notebook: "02",
    keys: ["workloads", "swapSizeBytes", "usedPercent"],
    check: (p) => {
      try {
        return churnTooSkewed(p);
      } catch (e) {
        return `workloads: ${(e as Error).message}`;
      }
    },
  },
  { notebook: "04", keys: ["backend"], check: oneOf("backend", ["disk", "zswap"]) },
  { notebook: "04", keys: ["device"], check: oneOf("device", ["ssd", "hdd", "zram"]) },
  { notebook: "06", keys: ["sections"], check: allOrNumbers("sections", 1, 6) },
  { notebook: "06", keys: ["detailVerdicts"], check: allOrWords("detailVerdicts", ["reproduced", "within", "differs", "not-modelled"]) },
  { notebook: "07", keys: ["families"], check: oneOf("families", ["vswap", "swap-table", "swap-tiers"]) },
  { notebook: "08", keys: ["profile"], check: oneOf("profile", PROFILE_IDS) },
  {
    notebook: "08",
    keys: ["mapDesigns"],
    check: (p) => (idList(p.mapDesigns).length !== 2 ? `mapDesigns must be two designs separated by a comma, got ${JSON.stringify(p.mapDesigns)}` : undefined),
  },
];
