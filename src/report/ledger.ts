/**
 * Text and mail renderings of the claims ledger: claim / model / delta / verdict per claim,
 * grouped by section, with the reason under the table for every claim the model does not
 * reproduce and the source of every claim as a numbered footnote.
 */
import { claimedText, type LedgerEntry, type LedgerStatus } from "../ledger/ledger.js";
import { CLAIM_UNITS, type ClaimUnit } from "../ledger/schema.js";
import { PENDING } from "../ledger/evaluate.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { alignRows, fixed, signedPct, wrap } from "./format.js";
import { Footnotes, mailDocument, mailGrid, mailUrl, prose } from "./mail.js";

const STATUS_WORD: Record<LedgerStatus, string> = { reproduced: "reproduced", within: "within", differs: "differs", "not-modelled": "not modelled" };

function unitSuffix(unit: ClaimUnit): string {
  const dim = CLAIM_UNITS[unit].dim;
  if (dim === "percent" || dim === "percent-of-swap") return "%";
  return ` ${unit}`;
}

/** A value with the claim's unit: `25.00 MiB`, `+4.8%`, `13 bits`. */
export function fmtQuantity(x: number, unit: ClaimUnit, decimals: number): string {
  const dim = CLAIM_UNITS[unit].dim;
  if (dim === "percent") return signedPct(x, decimals);
  return `${fixed(x, decimals)}${unitSuffix(unit)}`;
}

function claimedCell(e: LedgerEntry): string {
  if (typeof e.claimed === "number") return fmtQuantity(e.claimed, e.unit, e.decimals);
  return `${claimedText(e.claimed, e.decimals)}${unitSuffix(e.unit)}`;
}

/** One more decimal than the claim, and at least 3 significant digits for values under 1. */
export function modelDecimals(x: number, claimDecimals: number): number {
  let d = claimDecimals + 1;
  const a = Math.abs(x);
  if (a > 0 && a < 1) d = Math.max(d, Math.ceil(-Math.log10(a)) + 2);
  return Math.min(6, d);
}

function modelCell(e: LedgerEntry): string {
  return e.model === null ? "-" : fmtQuantity(e.model, e.unit, modelDecimals(e.model, e.decimals));
}

function deltaCell(e: LedgerEntry): string {
  return e.deltaPct === null ? "-" : signedPct(e.deltaPct, 2);
}

export interface LedgerSummary {
  readonly total: number;
  readonly byStatus: Readonly<Record<LedgerStatus, number>>;
}

export function summarize(entries: readonly LedgerEntry[]): LedgerSummary {
  const byStatus: Record<LedgerStatus, number> = { reproduced: 0, within: 0, differs: 0, "not-modelled": 0 };
  for (const e of entries) byStatus[e.status]++;
  return { total: entries.length, byStatus };
}

function summaryText(s: LedgerSummary): string {
  return `${s.total} claims: ${s.byStatus.reproduced} reproduced, ${s.byStatus.within} within tolerance, ${s.byStatus.differs} differ, ${s.byStatus["not-modelled"]} not modelled`;
}

function sections(entries: readonly LedgerEntry[], titles: ReadonlyMap<string, string>): Array<[string, LedgerEntry[]]> {
  const out: Array<[string, LedgerEntry[]]> = [];
  for (const e of entries) {
    const title = `${e.section}. ${titles.get(e.section) ?? ""}`.trim();
    const last = out[out.length - 1];
    if (last && last[0] === title) last[1].push(e);
    else out.push([title, [e]]);
  }
  return out;
}

function alternativesText(e: LedgerEntry): string {
  return e.alternatives.map((a) => `${a.label}: ${fmtQuantity(a.model, a.unit, a.unit === "B" ? 0 : modelDecimals(a.model, e.decimals))}`).join("; ");
}

/** Terminal rendering: one table per section (each id with its numbered source), the why of every claim not reproduced, then the sources (URLs). */
export function ledgerText(entries: readonly LedgerEntry[], titles: ReadonlyMap<string, string>, verbose = false): string {
  const out: string[] = [];
  const notes = new Footnotes();
  out.push(`${KIT_NAME} ledger: ${summaryText(summarize(entries))}`);
  out.push("verdict: reproduced = the model rounds to the claim at its stated decimals (or meets its bound); within = at most the claim's tolerance (5% by default) apart, or inside the rounding of published inputs; differs = beyond");
  for (const [title, es] of sections(entries, titles)) {
    out.push("");
    out.push(`== ${title}`);
    const rows = [["id", "speaker", "date", "claimed", "model", "delta", "verdict"], ...es.map((e) => [`${e.id} ${notes.tag([sourceText(e)])}`, e.speaker, e.date, claimedCell(e), modelCell(e), deltaCell(e), e.verdict])];
    out.push(...alignRows(rows, ["l", "l", "l", "r", "r", "r", "l"]));
    for (const e of es) {
      if (e.status === "reproduced" && !verbose) continue;
      out.push(`  ${e.id}: ${e.verdict}: ${e.reason}`);
      out.push(`    computed: ${e.inputs}`);
      if (e.alternatives.length) out.push(`    also: ${alternativesText(e)}`);
      if (verbose) {
        out.push(`    quote: "${e.quote}" (${e.asWritten})`);
        out.push(`    source: ${e.url} (${e.speaker}, ${e.date}, ${e.evidence})`);
        if (e.note) out.push(`    note: ${e.note}`);
      }
    }
  }
  if (notes.notes.length) {
    out.push("");
    out.push("sources:");
    notes.notes.forEach((n, i) => out.push(`  [${i + 1}] ${n}`));
  }
  return out.join("\n") + "\n";
}

/** A claim's source for the terminal: the full URL, and how the claim is evidenced there when not directly. */
function sourceText(e: LedgerEntry): string {
  return e.evidence === "quoted in a reply" ? `${e.url} (a reply quoting ${e.speaker}, ${e.date})` : e.url;
}

function pendingText(): string {
  const kinds = Object.entries(PENDING).filter(([, p]) => p?.verdict === "not yet modelled").map(([k]) => k);
  return kinds.length ? `; not yet on main: ${kinds.join(", ")}` : "";
}

function sourceNote(e: LedgerEntry): string {
  return e.evidence === "quoted in a reply" ? `${e.speaker}, ${e.date}, as quoted in ${mailUrl(e.url)}` : `${e.speaker}, ${e.date}: ${mailUrl(e.url)}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function bare(x: number, unit: ClaimUnit, decimals: number): string {
  return CLAIM_UNITS[unit].dim === "percent" ? signedPct(x, decimals).slice(0, -1) : fixed(x, decimals);
}

function unitCell(unit: ClaimUnit): string {
  return CLAIM_UNITS[unit].dim.startsWith("percent") ? "%" : unit;
}

/** `25.00 MiB`, `+1%`: the claimed cell carries the unit; the model column is in the same unit. */
function withUnit(value: string, unit: ClaimUnit): string {
  const u = unitCell(unit);
  return u === "%" ? `${value}%` : `${value} ${u}`;
}

/** Mail rendering (72 columns): claim / model / delta / verdict per section (ids too long for the label column on their own line), reasons under each, sources as footnotes. */
export function ledgerMail(entries: readonly LedgerEntry[], titles: ReadonlyMap<string, string>, meta: { claimsFiles: number; benchmarkTables: number }): string {
  const notes = new Footnotes();
  const body: string[] = [];
  for (const [title, es] of sections(entries, titles)) {
    if (body.length) body.push("");
    body.push(...wrap(title, 72));
    body.push(
      ...mailGrid({
        labels: es.map((e) => `${e.id} ${notes.tag([sourceNote(e)])}`),
        columns: [
          { header: "claimed", cells: es.map((e) => withUnit(typeof e.claimed === "number" ? bare(e.claimed, e.unit, e.decimals) : claimedText(e.claimed, e.decimals), e.unit)) },
          { header: "model", cells: es.map((e) => (e.model === null ? "-" : bare(e.model, e.unit, modelDecimals(e.model, e.decimals)))) },
          { header: "delta", cells: es.map((e) => (e.deltaPct === null ? "-" : signedPct(e.deltaPct, 2))) },
          { header: "verdict", align: "l", cells: es.map((e) => (e.status === "not-modelled" ? "not modelled" : e.verdict)) },
        ],
      }),
    );
    const why = es.filter((e) => e.status !== "reproduced");
    if (why.length) {
      body.push("");
      for (const e of why) {
        const delta = e.deltaPct === null ? "" : ` (${signedPct(e.deltaPct, 2)})`;
        body.push(...prose(`${e.id}: ${e.verdict}${delta}. ${capitalize(e.reason)}. Computed: ${e.inputs}.${e.alternatives.length ? ` Also: ${alternativesText(e)}.` : ""}`));
      }
    }
  }
  const s = summarize(entries);
  return mailDocument({
    title: `Claims ledger: the thread's numbers recomputed (${summaryText(s)})`,
    config: [
      ["claims", `${s.total} quantitative claims from ${meta.claimsFiles} section files (data/claims), each with speaker, date and source`],
      ["benchmarks", `${meta.benchmarkTables} published tables (data/benchmarks), used as published measurements, not model output`],
      ["models", `overhead (cited design registry), memcg charging, x86_64 struct layout, arithmetic on published tables${pendingText()}`],
      ["columns", "claimed with its unit; model in the same unit; delta = (model - claimed) / |claimed| in %"],
      ["verdicts", "reproduced = rounds to the claim at its stated decimals or meets its bound; within x% = at most 5% apart, or inside the rounding of the published inputs; differs = beyond (x = |delta|)"],
      ["kit", `${KIT_NAME} ${KIT_VERSION}`],
    ],
    body,
    footnotes: notes.notes,
  });
}
