/**
 * The thread's published benchmark tables, rendered: one block per test with the baseline first,
 * mmtests deltas and the reported stddev under each mean. These are published measurements;
 * every rendering says so and names its source.
 */
import { baselineOf, findMeasure, type Measure } from "../benchmarks/delta.js";
import type { BenchTable } from "../benchmarks/tables.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { alignRows, fixed } from "./format.js";
import { Footnotes, mailDocument, mailGrid, mailTableBody, mailUrl, prose, type MailRow, type MailTableSpec } from "./mail.js";

const PUBLISHED = "published measurements, copied from the source; not model output";

function tests(t: BenchTable): string[] {
  return [...new Set(t.rows.map((r) => r.test))];
}

function metrics(t: BenchTable, test: string): string[] {
  return [...new Set(t.rows.filter((r) => r.test === test).map((r) => r.metric))];
}

/** Series of a test, its baseline first, in sidecar order. */
function seriesOf(t: BenchTable, test: string): string[] {
  const base = baselineOf(t, test);
  const present = new Set(t.rows.filter((r) => r.test === test).map((r) => r.series));
  return [base, ...t.meta.series.map((s) => s.id).filter((id) => id !== base && present.has(id))];
}

function decimalsOf(t: BenchTable, test: string, metric: string): number {
  return Math.max(0, ...t.rows.filter((r) => r.test === test && r.metric === metric).map((r) => r.decimals));
}

function label(t: BenchTable, id: string): string {
  return t.meta.series.find((s) => s.id === id)?.label ?? id;
}

/** One test as a comparison table: mean rows with deltas, stddev rows without. */
export function benchTestSpec(t: BenchTable, test: string): MailTableSpec {
  const series = seriesOf(t, test);
  const rows: MailRow[] = [];
  const values: Array<Array<number | null>> = series.map(() => []);
  for (const metric of metrics(t, test)) {
    const first = t.rows.find((r) => r.test === test && r.metric === metric)!;
    const ms: Array<Measure | undefined> = series.map((s) => findMeasure(t, test, metric, s));
    const d = decimalsOf(t, test, metric);
    rows.push({ label: `${metric} (${first.unit})`, better: first.better === "n/a" ? "lower" : first.better, decimals: d, deltas: first.better !== "n/a" });
    ms.forEach((m, i) => values[i].push(m ? m.value : null));
    if (ms.some((m) => m?.sd !== null && m?.sd !== undefined)) {
      rows.push({ label: "  stddev", deltas: false, decimals: d });
      ms.forEach((m, i) => values[i].push(m?.sd ?? null));
    }
  }
  return {
    title: test,
    config: [],
    rowLabels: rows,
    columns: series.map((s, i) => ({ name: label(t, s), values: values[i] })),
    decimals: 2,
    better: "lower",
    unit: "",
    deltas: true,
  };
}

/** Mail rendering of one published table. */
export function benchmarkMail(t: BenchTable): string {
  const m = t.meta;
  const notes = new Footnotes();
  const body: string[] = [];
  for (const test of tests(t)) {
    if (body.length) body.push("");
    const ref = notes.tag([m.tests[test]?.url ? `${m.speaker}: ${mailUrl(m.tests[test].url!)}` : `${m.speaker}, ${m.date}: ${mailUrl(m.url)}`]);
    body.push(...prose(`${test} ${ref}`));
    body.push(...mailTableBody(benchTestSpec(t, test)));
  }
  const seriesNotes = m.series.filter((s) => s.url || s.note).map((s) => `${s.label}: ${s.note ?? ""}${s.url ? ` (${mailUrl(s.url)})` : ""}`);
  return mailDocument({
    title: `${m.title} (${PUBLISHED})`,
    config: [
      ["source", `${m.speaker}, ${m.date}: ${mailUrl(m.url)}${m.sourceNote ? ` (${m.sourceNote})` : ""}`],
      ["evidence", m.evidence],
      ["setup", m.setup],
      ...tests(t).map((x): [string, string] => [x, m.tests[x].setup]),
      ["series", m.series.map((s) => `${s.label} = ${s.version}${s.design ? ` (swapcost design ${s.design})` : ""}`).join("; ")],
      ["deltas", "against the first column; (+x.xx%) = better, mmtests' sign; stddev as reported, or of the listed runs"],
      ["kit", `${KIT_NAME} ${KIT_VERSION}`],
    ],
    body,
    notes: [...seriesNotes, ...(m.notes ?? [])],
    footnotes: notes.notes,
  });
}

function cellText(m: Measure | undefined, decimals: number): string {
  if (!m) return "-";
  return m.sd === null ? fixed(m.value, decimals) : `${fixed(m.value, decimals)} +- ${fixed(m.sd, decimals)}`;
}

/** Terminal rendering of one published table. */
export function benchmarkText(t: BenchTable): string {
  const m = t.meta;
  const out: string[] = [`${m.id}: ${m.title}`, `  ${PUBLISHED}`, `  source: ${m.url} (${m.speaker}, ${m.date}, ${m.evidence})`];
  if (m.sourceNote) out.push(`  note: ${m.sourceNote}`);
  out.push(`  setup: ${m.setup}`);
  for (const test of tests(t)) {
    const series = seriesOf(t, test);
    out.push("", `== ${test}: ${m.tests[test].setup}${m.tests[test].url ? ` (${m.tests[test].url})` : ""}`);
    const rows = [["metric", ...series.map((s) => label(t, s))]];
    for (const metric of metrics(t, test)) {
      const unit = t.rows.find((r) => r.test === test && r.metric === metric)!.unit;
      const d = decimalsOf(t, test, metric);
      rows.push([`${metric} (${unit})`, ...series.map((s) => cellText(findMeasure(t, test, metric, s), d))]);
    }
    out.push(...alignRows(rows, ["l", ...series.map(() => "r" as const)]).map((l) => `  ${l}`));
  }
  return out.join("\n") + "\n";
}

export function benchmarksListText(tables: readonly BenchTable[]): string {
  const rows = [["id", "date", "speaker", "family", "tests", "title"], ...tables.map((t) => [t.meta.id, t.meta.date, t.meta.speaker, t.meta.family, String(tests(t).length), t.meta.title])];
  return alignRows(rows, ["l", "l", "l", "l", "r", "l"]).join("\n") + `\n\n${PUBLISHED}; \`swapcost benchmarks <id>\` prints one with its source and setup.\n`;
}

export function benchmarksListMail(tables: readonly BenchTable[]): string {
  const notes = new Footnotes();
  return mailDocument({
    title: `The thread's benchmark tables (${PUBLISHED})`,
    body: mailGrid({
      labels: tables.map((t) => `${t.meta.id} ${notes.tag([`${t.meta.speaker}, ${t.meta.date}: ${mailUrl(t.meta.url)}`])}`),
      columns: [
        { header: "date", align: "l", cells: tables.map((t) => t.meta.date) },
        { header: "family", align: "l", cells: tables.map((t) => t.meta.family) },
        { header: "tests", cells: tables.map((t) => String(tests(t).length)) },
      ],
    }),
    footnotes: notes.notes,
  });
}
