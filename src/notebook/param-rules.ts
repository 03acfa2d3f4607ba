/**
 * Key-name rules for notebook parameters (the unit is in the name, per the project convention):
 * a rule applies to every parameter whose key matches, in every notebook, so `--set` and `--params`
 * reject a bad value before any notebook runs, with one line saying what is allowed.
 */
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

export const PARAM_RULES: readonly ParamRule[] = [percentRule, countRule];
