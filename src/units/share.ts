/**
 * Shares (fractions of a whole): `0.5`, `50%`, `50`.
 *
 * Rule, documented in the README: a value with `%` is a percent; a bare value with a decimal point
 * that is at most 1 (`0.5`, `1.0`) is a fraction; any other bare value (`0`, `25`, `100`, `12.5`)
 * is a percent. So `--used 50`, `--used 50%` and `--used 0.5` all mean one half. The interpreted
 * value is always echoed as a percent in the configuration block of every table.
 */
import { SwapcostInputError } from "../errors.js";

export type Share = number & { readonly __unit: "share" };

export const SHARE_SYNTAX = "a share between 0 and 100%: 50%, 50 (percent) or 0.5 (fraction)";

export function share(n: number, field = "share"): Share {
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new SwapcostInputError(field, n, "a fraction between 0 and 1");
  return n as Share;
}

export function parseShare(text: string, field = "share"): Share {
  const raw = String(text).trim();
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(%?)$/.exec(raw);
  if (!m) throw new SwapcostInputError(field, text, SHARE_SYNTAX);
  const value = Number(m[1]);
  let fraction: number;
  if (m[2] === "%") fraction = value / 100;
  else if (m[1].includes(".") && value <= 1) fraction = value;
  else fraction = value / 100;
  if (!Number.isFinite(fraction) || fraction < 0) {
    throw new SwapcostInputError(field, text, SHARE_SYNTAX, "negative");
  }
  if (fraction > 1 + 1e-12) throw new SwapcostInputError(field, text, SHARE_SYNTAX, "over 100%");
  return Math.min(1, fraction) as Share;
}

export function formatPercent(f: number, decimals = 2): string {
  return `${(f * 100).toFixed(decimals)}%`;
}

/**
 * Split `total` whole items into integer parts proportional to `weights` (largest remainder
 * method): the parts always sum to `total` exactly.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k].i]++;
  return parts;
}
