/**
 * The claims ledger: every claim recomputed by the models, with claim / model / delta / verdict.
 *
 * Verdicts come from the computation, never from the data:
 * - `reproduced`: the model, rounded to the decimals the claim is written with, equals it (or
 *   satisfies the bound, or falls in the range);
 * - `within x%`: it does not, but the relative difference is at most the claim's tolerance (5% by
 *   default), or the claim lies within what the rounding of the published inputs allows;
 * - `differs`: beyond that;
 * - `not yet modelled` / `not modelled`: the quantity's model is not on main (or out of scope).
 * The reason for a difference is data attached to the claim (`ifDiffers`) and is printed only when
 * the model does not reproduce the claim.
 */
import { readJson, defaultDataRoot, listDataFiles } from "../data/root.js";
import path from "node:path";
import { SwapcostInputError } from "../errors.js";
import { readBenchmarks } from "../benchmarks/tables.js";
import { evaluatorFor, measureOverhead, PENDING, runScenario, type Evaluation, type LedgerContext } from "./evaluate.js";
import { CLAIM_UNITS, validateClaimsFile, type Bound, type Claim, type Claimed, type ClaimsFile, type ClaimUnit, type PendingQuantity, type Quantity } from "./schema.js";

export type LedgerStatus = "reproduced" | "within" | "differs" | "not-modelled";

export interface LedgerAlternative {
  readonly label: string;
  readonly model: number;
  readonly unit: ClaimUnit;
}

export interface LedgerEntry {
  readonly id: string;
  readonly speaker: string;
  readonly url: string;
  readonly claimed: Claimed;
  /** The model's value in the claim's unit; null when not modelled. */
  readonly model: number | null;
  /** (model - claimed) / |claimed| x 100; for a bound or range, against the nearest end when outside it; null when not applicable. */
  readonly deltaPct: number | null;
  readonly verdict: string;
  readonly reason: string;
  readonly status: LedgerStatus;
  readonly section: string;
  readonly date: string;
  readonly quote: string;
  readonly asWritten: string;
  readonly unit: ClaimUnit;
  readonly decimals: number;
  readonly evidence: string;
  /** What the model computed, in words. */
  readonly inputs: string;
  /** The range the model's value can take from the rounding of published inputs. */
  readonly modelRange: readonly [number, number] | null;
  readonly alternatives: readonly LedgerAlternative[];
  readonly note: string | null;
}

/** Every claims file under `<root>/data/claims`, in file order. */
export function readClaims(root: string = defaultDataRoot()): ClaimsFile[] {
  const files = listDataFiles(path.join(root, "data", "claims"), ".json", "data/claims").map((f) => validateClaimsFile(readJson(f, "data/claims"), path.basename(f)));
  const ids = new Set<string>();
  for (const f of files) {
    for (const c of f.claims) {
      if (ids.has(c.id)) throw new SwapcostInputError("claim id", c.id, "ids unique across data/claims");
      ids.add(c.id);
    }
  }
  return files;
}

export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f + Math.sign(x) * 1e-9) / f;
}

function isBound(c: Claimed): c is Bound {
  return typeof c === "object" && "op" in c;
}

function satisfies(m: number, c: { op: string; value: number }): boolean {
  switch (c.op) {
    case "<":
      return m < c.value;
    case "<=":
      return m <= c.value;
    case ">":
      return m > c.value;
    default:
      return m >= c.value;
  }
}

export function claimedText(c: Claimed, decimals: number): string {
  if (typeof c === "number") return c.toFixed(decimals);
  if (isBound(c)) return `${c.op} ${c.value.toFixed(decimals)}`;
  return `${c.min.toFixed(decimals)} - ${c.max.toFixed(decimals)}`;
}

interface Judgement {
  readonly status: LedgerStatus;
  readonly deltaPct: number | null;
  readonly auto: string;
}

/** Compare a model value (claim unit) with the claim. `range` = what input rounding allows. */
export function judge(claim: Pick<Claim, "claimed" | "decimals" | "tolerancePct">, model: number, range: readonly [number, number] | null): Judgement {
  const c = claim.claimed;
  const d = claim.decimals;
  const tol = claim.tolerancePct ?? 5;
  const step = 10 ** -d;
  const rel = (target: number) => (target === 0 ? null : ((model - target) / Math.abs(target)) * 100);
  if (typeof c === "number") {
    if (roundTo(model, d) === c) return { status: "reproduced", deltaPct: rel(c), auto: `matches at the claim's precision (${d} decimals)` };
    const delta = rel(c);
    if (range && c >= range[0] - step / 2 && c <= range[1] + step / 2) {
      return { status: "within", deltaPct: delta, auto: "rounding: the published inputs are rounded, and the claim lies within the range of changes they allow" };
    }
    if (delta !== null && Math.abs(delta) <= tol) {
      const lastDigit = Math.abs(model - c) <= step;
      return { status: "within", deltaPct: delta, auto: lastDigit ? "differs in the last printed digit" : `within the ${tol}% tolerance` };
    }
    return { status: "differs", deltaPct: delta, auto: "no explanation recorded for this difference" };
  }
  if (isBound(c)) {
    if (satisfies(model, c)) return { status: "reproduced", deltaPct: null, auto: `satisfies the bound (${c.op} ${c.value})` };
    return { status: "differs", deltaPct: rel(c.value), auto: "no explanation recorded for this difference" };
  }
  const r = roundTo(model, d);
  if (r >= c.min && r <= c.max) return { status: "reproduced", deltaPct: null, auto: `inside the claimed range ${c.min} - ${c.max}` };
  const end = r < c.min ? c.min : c.max;
  const delta = rel(end);
  if (delta !== null && Math.abs(delta) <= tol) return { status: "within", deltaPct: delta, auto: `within the ${tol}% tolerance of the range's end` };
  return { status: "differs", deltaPct: delta, auto: "no explanation recorded for this difference" };
}

function verdictText(j: Judgement): string {
  if (j.status === "within") return j.deltaPct === null ? "within rounding" : `within ${Math.abs(j.deltaPct).toFixed(2)}%`;
  return j.status;
}

function toUnit(valueBase: number, unit: ClaimUnit): number {
  return valueBase / CLAIM_UNITS[unit].factor;
}

function alternativesOf(c: Claim, ev: Evaluation, ctx: LedgerContext): LedgerAlternative[] {
  return (c.alternatives ?? []).map((a) => {
    const unit = a.unit ?? c.unit;
    if (c.quantity.kind !== "overhead" && a.design && "design" in c.quantity) {
      const evaluate = evaluatorFor(c.quantity.kind)!;
      return { label: a.label, model: toUnit(evaluate({ ...c.quantity, design: a.design } as Quantity, ctx).value, unit), unit };
    }
    if (c.quantity.kind !== "overhead" || (!a.design && !a.scenario && !a.measure)) return { label: a.label, model: toUnit(ev.value, unit), unit };
    const q = c.quantity;
    const design = a.design ?? q.design;
    const scenario = { ...q.scenario, ...a.scenario };
    const measure = a.measure ?? q.measure;
    let v = measureOverhead(runScenario(design, scenario), measure);
    if (q.minus) v -= measureOverhead(runScenario(q.minus.design ?? design, { ...scenario, ...q.minus.scenario }), measure);
    return { label: a.label, model: toUnit(v, unit), unit };
  });
}

/** Recompute one claim. */
export function evaluateClaim(c: Claim, section: string, ctx: LedgerContext): LedgerEntry {
  const base = {
    id: c.id,
    speaker: c.speaker,
    url: c.url,
    claimed: c.claimed,
    section,
    date: c.date,
    quote: c.quote,
    asWritten: c.asWritten,
    unit: c.unit,
    decimals: c.decimals,
    evidence: c.evidence,
    note: c.note ?? null,
  };
  const evaluate = evaluatorFor(c.quantity.kind);
  if (!evaluate) {
    const p = PENDING[c.quantity.kind as PendingQuantity["kind"]] ?? { verdict: "not modelled", reason: `no evaluator for ${c.quantity.kind}` };
    const params = Object.entries((c.quantity as PendingQuantity).params).map(([k, v]) => `${k}=${v}`).join(", ");
    return { ...base, model: null, deltaPct: null, verdict: p.verdict, reason: p.reason, status: "not-modelled", inputs: [`${c.quantity.kind}:`, (c.quantity as PendingQuantity).design, params].filter(Boolean).join(" "), modelRange: null, alternatives: [] };
  }
  const ev = evaluate(c.quantity, ctx);
  const model = toUnit(ev.value, c.unit);
  const range = ev.lo !== undefined && ev.hi !== undefined ? ([toUnit(ev.lo, c.unit), toUnit(ev.hi, c.unit)] as const) : null;
  const j = judge(c, model, range);
  const reason = j.status === "reproduced" ? j.auto : (c.ifDiffers ?? j.auto);
  return { ...base, model, deltaPct: j.deltaPct, verdict: verdictText(j), reason, status: j.status, inputs: ev.inputs, modelRange: range, alternatives: alternativesOf(c, ev, ctx) };
}

export function computeLedger(files: readonly ClaimsFile[], ctx: LedgerContext): LedgerEntry[] {
  return files.flatMap((f) => f.claims.map((c) => evaluateClaim(c, f.section, ctx)));
}

/** Read the claims and the benchmark tables under `root` and recompute every claim. */
export function ledger(root: string = defaultDataRoot()): LedgerEntry[] {
  return computeLedger(readClaims(root), { benchmarks: readBenchmarks(root) });
}

/** The JSON shape of `swapcost ledger --format json`: the required fields first. */
export function ledgerJson(entries: readonly LedgerEntry[]): unknown[] {
  return entries.map((e) => ({
    id: e.id,
    speaker: e.speaker,
    url: e.url,
    claimed: e.claimed,
    model: e.model,
    deltaPct: e.deltaPct,
    verdict: e.verdict,
    reason: e.reason,
    status: e.status,
    unit: e.unit,
    date: e.date,
    section: e.section,
    quote: e.quote,
    asWritten: e.asWritten,
    evidence: e.evidence,
    inputs: e.inputs,
    modelRange: e.modelRange,
    alternatives: e.alternatives,
    note: e.note,
  }));
}
