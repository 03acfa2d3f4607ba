/**
 * Key-name rules for notebook parameters (the unit is in the name, per the project convention):
 * a rule applies to every parameter whose key matches, in every notebook, so `--set` and `--params`
 * reject a bad value before any notebook runs, with one line saying what is allowed.
 */
import { resolveDesign, designIds } from "../designs/registry.js";
import { parseOccupancy, OCCUPANCY_SYNTAX } from "../models/occupancy.js";
import { BACKENDS } from "../models/scenario.js";
import { parseSize, SIZE_SYNTAX } from "../units/bytes.js";
import type { ParamValue } from "./params.js";

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

/** `designs`/`…Design(s)`: "all", or design ids/aliases (with `:param=value`), as a comma list or a list. */
export const designsRule: ParamRule = {
  applies: (key) => /^designs?$|Designs?$/.test(key),
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

export const PARAM_RULES: readonly ParamRule[] = [percentRule, countRule, bytesRule, designsRule, backendsRule, accountingRule, occupancyRule];
