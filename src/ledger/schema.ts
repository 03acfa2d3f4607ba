/**
 * The claims ledger's data: every quantitative claim of the thread, with who said it, when, where
 * (a lore/LKML URL), a short quote, the claimed value and unit, and the inputs a model needs to
 * recompute it. Claims hold no answers: the ledger runs the models at run time. A claim may carry
 * `ifDiffers`, the explanation to print when the model does not reproduce it (an accounting
 * choice, a version difference, a typo...), and `note`, context printed always.
 */
import { SwapcostInputError } from "../errors.js";
import { EVIDENCE, isUrl, type Evidence } from "../benchmarks/tables.js";

/** Units a claim can be stated in, with their dimension and factor to the base unit. */
export const CLAIM_UNITS = {
  B: { dim: "bytes", factor: 1 },
  KiB: { dim: "bytes", factor: 1024 },
  MiB: { dim: "bytes", factor: 2 ** 20 },
  GiB: { dim: "bytes", factor: 2 ** 30 },
  TiB: { dim: "bytes", factor: 2 ** 40 },
  PiB: { dim: "bytes", factor: 2 ** 50 },
  TB: { dim: "bytes", factor: 1e12 },
  PB: { dim: "bytes", factor: 1e15 },
  "B/slot": { dim: "bytes/slot", factor: 1 },
  "B/entry": { dim: "bytes/entry", factor: 1 },
  "KiB/entry": { dim: "bytes/entry", factor: 1024 },
  "B/cluster": { dim: "bytes/element", factor: 1 },
  "%": { dim: "percent", factor: 1 },
  "% of swap": { dim: "percent-of-swap", factor: 1 },
  bits: { dim: "bits", factor: 1 },
  count: { dim: "count", factor: 1 },
} as const;
export type ClaimUnit = keyof typeof CLAIM_UNITS;
export type Dimension = (typeof CLAIM_UNITS)[ClaimUnit]["dim"];

export type Bound = { readonly op: "<" | "<=" | ">" | ">="; readonly value: number };
export type Range = { readonly min: number; readonly max: number };
/** A value, a bound ("fewer than 3 words"), or a range ("15 - 50% slower"). */
export type Claimed = number | Bound | Range;

/** A usage scenario for the overhead model, as data. */
export interface ScenarioSpec {
  /** "32G" = 32 GiB (see parseSize). */
  readonly swapSize: string;
  /** Share of the usable slots in use, 0..1 (or give `entries`). */
  readonly used?: number;
  /** Exact number of used entries (instead of `used`). */
  readonly entries?: number;
  readonly backend?: "zswap" | "disk" | "zram" | "zero" | "cache";
  readonly device?: "auto" | "ssd" | "hdd" | "zram" | "none";
  readonly accounting: "kernel" | "letter";
  readonly memcg?: boolean;
  readonly cpus?: number;
  readonly writebackShare?: number;
}

export interface OverheadMeasure {
  /** Which bytes: all structures, or only static / dynamic ones (default total). */
  readonly part?: "total" | "static" | "dynamic";
  /** Only these structure ids (all must be present in the result). */
  readonly structures?: readonly string[];
  /**
   * Divide by: nothing (`device`), slots, used entries, elements of the structures (clusters in
   * use for a per-cluster table), or the swap size (as a percentage).
   */
  readonly per: "device" | "slot" | "entry" | "element" | "swapSize";
}

export interface OverheadQuantity {
  readonly kind: "overhead";
  readonly design: string;
  readonly scenario: ScenarioSpec;
  readonly measure: OverheadMeasure;
  /** Subtract the same measure for another design / scenario (a delta such as "+40 MB"). */
  readonly minus?: { readonly design?: string; readonly scenario?: Partial<ScenarioSpec> };
}

export interface LimitQuantity {
  readonly kind: "limit";
  readonly design: string;
  readonly layer: "physical" | "virtual";
}

export interface StructQuantity {
  readonly kind: "struct";
  readonly struct: string;
  readonly measure: "size" | "bitPadding" | "fieldSize";
  readonly field?: string;
}

export interface BenchPair {
  readonly test: string;
  readonly metric: string;
  readonly series: string;
  /** Default: the table's baseline for the test. */
  readonly baseline?: string;
}

export interface BenchQuantity {
  readonly kind: "bench";
  readonly table: string;
  /** One pair, or several with `aggregate` (the largest / smallest change among them). */
  readonly pairs: readonly BenchPair[];
  readonly aggregate?: "max" | "min";
}

/** A quantity whose model is not on main yet (memcg, swapoff, transfer) or out of swapcost's scope. */
export interface PendingQuantity {
  readonly kind: "memcg" | "swapoff" | "transfer" | "measurement";
  readonly design?: string;
  /** What the model will be asked, as plain data (counter names, workload). */
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

export type Quantity = OverheadQuantity | LimitQuantity | StructQuantity | BenchQuantity | PendingQuantity;

export interface Alternative {
  readonly label: string;
  readonly design?: string;
  readonly scenario?: Partial<ScenarioSpec>;
  readonly measure?: OverheadMeasure;
  readonly unit?: ClaimUnit;
}

export interface Claim {
  readonly id: string;
  readonly speaker: string;
  /** YYYY-MM-DD, or YYYY-MM when the day was not captured. */
  readonly date: string;
  readonly url: string;
  readonly evidence: Evidence;
  /** A short quote (or close paraphrase, marked as such in `note`). */
  readonly quote: string;
  /** The claimed value as written ("25.00 MB", "64 KB down to 48 KB", "~8 PB"). */
  readonly asWritten: string;
  readonly claimed: Claimed;
  readonly unit: ClaimUnit;
  /** Decimals of the claimed value: the model reproduces it when it rounds to it. */
  readonly decimals: number;
  /** `within x%` up to this relative difference (default 5). */
  readonly tolerancePct?: number;
  readonly quantity: Quantity;
  /** The same computation with other inputs, shown beside the answer (e.g. kernel accounting). */
  readonly alternatives?: readonly Alternative[];
  readonly note?: string;
  /** Why the model does not reproduce the claim, printed only when it does not. */
  readonly ifDiffers?: string;
}

export interface ClaimsFile {
  readonly section: string;
  readonly title: string;
  readonly claims: readonly Claim[];
}

// ---------------------------------------------------------------------------------------------
// Validation

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function need(cond: boolean, field: string, value: unknown, allowed: string): void {
  if (!cond) throw new SwapcostInputError(field, value, allowed);
}

function nonEmpty(o: Obj, key: string, where: string): void {
  need(typeof o[key] === "string" && (o[key] as string).trim() !== "", `${where}.${key}`, o[key], "a non-empty string");
}

const CLAIM_KEYS = ["id", "speaker", "date", "url", "evidence", "quote", "asWritten", "claimed", "unit", "decimals", "tolerancePct", "quantity", "alternatives", "note", "ifDiffers"];
const QUANTITY_KINDS = ["overhead", "limit", "struct", "bench", "memcg", "swapoff", "transfer", "measurement"];
const PER = ["device", "slot", "entry", "element", "swapSize"];
const PARTS = ["total", "static", "dynamic"];

/** The dimension a quantity produces (checked against the claim's unit). */
export function quantityDimension(q: Quantity): Dimension | "any" {
  switch (q.kind) {
    case "overhead":
      return ({ device: "bytes", slot: "bytes/slot", entry: "bytes/entry", element: "bytes/element", swapSize: "percent-of-swap" } as const)[q.measure.per];
    case "limit":
      return "bytes";
    case "struct":
      return q.measure === "bitPadding" ? "bits" : "bytes";
    case "bench":
      return "percent";
    case "memcg":
      return String(q.params.counter ?? "").includes("events") ? "count" : "bytes";
    default:
      return "any";
  }
}

function checkScenario(s: unknown, where: string, partial: boolean): void {
  need(isObj(s), where, s, "a scenario object");
  const o = s as Obj;
  if (!partial || o.swapSize !== undefined) need(typeof o.swapSize === "string", `${where}.swapSize`, o.swapSize, "a size such as 32G");
  if (!partial || o.accounting !== undefined) need(o.accounting === "kernel" || o.accounting === "letter", `${where}.accounting`, o.accounting, "kernel or letter");
  if (o.used !== undefined) need(typeof o.used === "number" && o.used >= 0 && o.used <= 1, `${where}.used`, o.used, "a share between 0 and 1");
  if (o.entries !== undefined) need(Number.isSafeInteger(o.entries) && (o.entries as number) >= 0, `${where}.entries`, o.entries, "a whole number of entries");
  if (!partial) need((o.used === undefined) !== (o.entries === undefined), `${where}`, "used/entries", "exactly one of used or entries");
  const known = ["swapSize", "used", "entries", "backend", "device", "accounting", "memcg", "cpus", "writebackShare"];
  for (const k of Object.keys(o)) need(known.includes(k), `${where}.${k}`, k, `a scenario field (${known.join(", ")})`);
}

function checkMeasure(m: unknown, where: string): void {
  need(isObj(m), where, m, "{part?, structures?, per}");
  const o = m as Obj;
  need(PER.includes(o.per as string), `${where}.per`, o.per, PER.join(", "));
  if (o.part !== undefined) need(PARTS.includes(o.part as string), `${where}.part`, o.part, PARTS.join(", "));
  if (o.structures !== undefined) need(Array.isArray(o.structures) && o.structures.length > 0 && o.structures.every((x) => typeof x === "string"), `${where}.structures`, o.structures, "a non-empty list of structure ids");
}

function checkClaimed(c: unknown, where: string): void {
  if (typeof c === "number") return need(Number.isFinite(c), where, c, "a finite number");
  need(isObj(c), where, c, "a number, {op, value} or {min, max}");
  const o = c as Obj;
  if ("op" in o) need(["<", "<=", ">", ">="].includes(o.op as string) && typeof o.value === "number", where, c, "{op: < <= > >=, value: number}");
  else need(typeof o.min === "number" && typeof o.max === "number" && (o.min as number) <= (o.max as number), where, c, "{min, max} with min <= max");
}

/** Check one claims file; returns it typed. Field errors name `<file>: <claim id>.<field>`. */
export function validateClaimsFile(raw: unknown, file: string): ClaimsFile {
  need(isObj(raw), file, raw, "{section, title, claims}");
  const f = raw as Obj;
  need(typeof f.section === "string" && typeof f.title === "string", `${file}: section/title`, f.section, "strings");
  need(Array.isArray(f.claims) && f.claims.length > 0, `${file}: claims`, f.claims, "a non-empty list");
  for (const c of f.claims as unknown[]) {
    need(isObj(c), `${file}: claim`, c, "an object");
    const o = c as Obj;
    const where = `${file}: ${typeof o.id === "string" ? o.id : "?"}`;
    for (const k of Object.keys(o)) need(CLAIM_KEYS.includes(k), `${where}.${k}`, k, `a claim field (${CLAIM_KEYS.join(", ")})`);
    need(typeof o.id === "string" && /^[a-z0-9][a-z0-9.-]*$/.test(o.id), `${where}.id`, o.id, "a lower-case id of letters, digits, dots and dashes");
    for (const k of ["speaker", "quote", "asWritten"]) nonEmpty(o, k, where);
    need(typeof o.date === "string" && /^\d{4}-\d{2}(-\d{2})?$/.test(o.date), `${where}.date`, o.date, "YYYY-MM-DD or YYYY-MM");
    need(typeof o.url === "string" && isUrl(o.url), `${where}.url`, o.url, "an http(s) URL to lore or an LKML mirror");
    need(EVIDENCE.includes(o.evidence as Evidence), `${where}.evidence`, o.evidence, EVIDENCE.join(", "));
    checkClaimed(o.claimed, `${where}.claimed`);
    need(typeof o.unit === "string" && o.unit in CLAIM_UNITS, `${where}.unit`, o.unit, Object.keys(CLAIM_UNITS).join(", "));
    need(Number.isInteger(o.decimals) && (o.decimals as number) >= 0 && (o.decimals as number) <= 6, `${where}.decimals`, o.decimals, "0..6");
    if (o.tolerancePct !== undefined) need(typeof o.tolerancePct === "number" && o.tolerancePct >= 0, `${where}.tolerancePct`, o.tolerancePct, "a percentage >= 0");
    const q = o.quantity as Obj;
    need(isObj(q) && QUANTITY_KINDS.includes(q.kind as string), `${where}.quantity.kind`, q?.kind, QUANTITY_KINDS.join(", "));
    switch (q.kind) {
      case "overhead":
        nonEmpty(q, "design", `${where}.quantity`);
        checkScenario(q.scenario, `${where}.quantity.scenario`, false);
        checkMeasure(q.measure, `${where}.quantity.measure`);
        if (q.minus !== undefined) {
          need(isObj(q.minus), `${where}.quantity.minus`, q.minus, "{design?, scenario?}");
          const m = q.minus as Obj;
          if (m.scenario !== undefined) checkScenario(m.scenario, `${where}.quantity.minus.scenario`, true);
        }
        break;
      case "limit":
        nonEmpty(q, "design", `${where}.quantity`);
        need(q.layer === "physical" || q.layer === "virtual", `${where}.quantity.layer`, q.layer, "physical or virtual");
        break;
      case "struct":
        nonEmpty(q, "struct", `${where}.quantity`);
        need(["size", "bitPadding", "fieldSize"].includes(q.measure as string), `${where}.quantity.measure`, q.measure, "size, bitPadding or fieldSize");
        if (q.measure === "fieldSize") nonEmpty(q, "field", `${where}.quantity`);
        break;
      case "bench":
        nonEmpty(q, "table", `${where}.quantity`);
        need(Array.isArray(q.pairs) && q.pairs.length > 0, `${where}.quantity.pairs`, q.pairs, "a non-empty list of {test, metric, series, baseline?}");
        for (const p of q.pairs as unknown[]) {
          need(isObj(p), `${where}.quantity.pairs`, p, "{test, metric, series, baseline?}");
          for (const k of ["test", "metric", "series"]) nonEmpty(p as Obj, k, `${where}.quantity.pairs`);
        }
        need((q.pairs as unknown[]).length === 1 || q.aggregate === "max" || q.aggregate === "min", `${where}.quantity.aggregate`, q.aggregate, "max or min when there are several pairs");
        break;
      default:
        need(isObj(q.params), `${where}.quantity.params`, q.params, "an object of the model's inputs");
    }
    const dim = quantityDimension(q as unknown as Quantity);
    const unitDim = CLAIM_UNITS[o.unit as ClaimUnit].dim;
    need(dim === "any" || dim === unitDim, `${where}.unit`, o.unit, `a unit of dimension ${dim} (the quantity's)`);
    if (o.alternatives !== undefined) {
      need(Array.isArray(o.alternatives), `${where}.alternatives`, o.alternatives, "a list of {label, design?, scenario?, measure?, unit?}");
      const onlyUnitOrDesign = (o.alternatives as unknown[]).every((a) => isObj(a) && a.scenario === undefined && a.measure === undefined && (a.design === undefined || "design" in q));
      need(q.kind === "overhead" || onlyUnitOrDesign, `${where}.alternatives`, o.alternatives, "only a unit (or another design, when the quantity names one) for quantities other than overhead");
      for (const a of o.alternatives as unknown[]) {
        need(isObj(a), `${where}.alternatives`, a, "{label, ...}");
        const ao = a as Obj;
        nonEmpty(ao, "label", `${where}.alternatives`);
        if (ao.scenario !== undefined) checkScenario(ao.scenario, `${where}.alternatives.scenario`, true);
        if (ao.measure !== undefined) checkMeasure(ao.measure, `${where}.alternatives.measure`);
        if (ao.unit !== undefined) need(typeof ao.unit === "string" && ao.unit in CLAIM_UNITS, `${where}.alternatives.unit`, ao.unit, Object.keys(CLAIM_UNITS).join(", "));
      }
    }
    for (const k of ["note", "ifDiffers"]) if (o[k] !== undefined) nonEmpty(o, k, where);
  }
  return raw as unknown as ClaimsFile;
}
