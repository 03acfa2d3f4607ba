/**
 * Text and mail renderings of memcg charging results: one design (every cgroup's counters, pages,
 * limits that bit, footprint, and the charging rules with their sources), or several designs side
 * by side (the same counters per design, and the rules in which they differ).
 */
import { citeSource, type Source } from "../kernel/sources.js";
import type { CgroupResult, MemcgResult, WorkloadEcho } from "../models/memcg.js";
import { PAGE_SIZE_BYTES, REJECT_REASONS, STUCK_REASONS } from "../models/memcg.js";
import { ruleRows } from "../models/memcg-rules.js";
import { formatSizeExact } from "../units/bytes.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { alignRows, ascii, fixed, intWithSep, mib, wrap } from "./format.js";
import { configBlock, finish, footnoteLines, mailSource, mailTable, MAIL_WIDTH } from "./mail.js";

function limitText(v: number | null): string {
  return v === null ? "max" : formatSizeExact(v);
}

function pct(x: number): string {
  return `${fixed(x * 100, 2)}%`;
}

export function workloadText(w: WorkloadEcho | null): string {
  if (!w) return "none (inner cgroup)";
  const c = w.compressibility;
  const comp = !c ? "-" : c.kind === "ratio" ? `ratio ${fixed(c.ratio, 2)}` : `${c.sizes.length} compressed sizes, mean ${fixed(w.meanCompressedBytes ?? 0, 0)} B`;
  const how = w.reclaim === "limit" ? `${formatSizeExact(w.anonBytes)} of anon under memory.max (reclaim by the limit)` : `${formatSizeExact(w.anonBytes)} pushed out (${w.reclaim === "pageout" ? "MADV_PAGEOUT" : "memory.reclaim"})${w.residentBytes ? ` + ${formatSizeExact(w.residentBytes)} kept resident` : ""}`;
  const parts = [how, comp];
  if (w.otherChargedBytes) parts.push(`${formatSizeExact(w.otherChargedBytes)} of other charged memory`);
  if (w.zeroShare) parts.push(`${pct(w.zeroShare)} zero-filled`);
  if (w.sameFilledShare) parts.push(`${pct(w.sameFilledShare)} same-filled`);
  if (w.incompressibleShare) parts.push(`${pct(w.incompressibleShare)} incompressible`);
  if (w.writtenBackShare) parts.push(`${pct(w.writtenBackShare)} of zswap later written back`);
  return parts.join("; ");
}

function limitsText(c: CgroupResult): string {
  const l = c.limits;
  return `memory.max ${limitText(l["memory.max"])}, memory.swap.max ${limitText(l["memory.swap.max"])}, memory.zswap.max ${limitText(l["memory.zswap.max"])}${l["memory.zswap.writeback"] === null ? "" : `, memory.zswap.writeback ${l["memory.zswap.writeback"]}`}`;
}

/** The system line; with several results, the pool of each design when they differ. */
export function systemText(r: MemcgResult, others: readonly MemcgResult[] = []): string {
  const s = r.system;
  const all = [r, ...others];
  const pools = new Set(all.map((x) => x.system.zpool));
  const pool = pools.size > 1 ? `pool by kernel default (${all.map((x) => `${x.design.id} ${x.system.zpool}`).join(", ")})` : `pool ${s.zpool}`;
  const dev = s.swapDeviceBytes === null ? "no swap device" : `swap device ${formatSizeExact(s.swapDeviceBytes)} (${s.device})`;
  const virt = r.design.family === "mainline" || r.design.family === "swap-table" || r.design.family === "tiers" ? "" : `; virtual/ghost space ${formatSizeExact(s.virtualSwapBytes)}`;
  return `${dev}${virt}; zswap ${s.zswapEnabled ? "on" : "off"}, ${pool}; ${s.cpus} CPUs; x86_64, 4 KiB pages`;
}

function stuckText(c: CgroupResult): string {
  const parts = STUCK_REASONS.filter((k) => c.pages.stuck[k] > 0).map((k) => `${k} ${intWithSep(c.pages.stuck[k])}`);
  return parts.length ? parts.join(", ") : "none";
}

function rejectsText(c: CgroupResult): string {
  const parts = REJECT_REASONS.filter((k) => c.zswapRejects[k] > 0).map((k) => `${k} ${intWithSep(c.zswapRejects[k])}`);
  return parts.length ? parts.join(", ") : "none";
}

/** `prefix` + text wrapped to `width`, continuation lines indented under the text. */
function wrapped(prefix: string, text: string, width = 110): string[] {
  const body = wrap(text, width - prefix.length);
  return body.map((l, i) => (i === 0 ? prefix : " ".repeat(prefix.length)) + l.trimStart());
}

/** Numbered source list shared by a rendering. */
class Sources {
  readonly list: string[] = [];
  num(s: Source, mailStyle = false): number {
    const t = mailStyle ? mailSource(s) : citeSource(s);
    let i = this.list.indexOf(t);
    if (i < 0) {
      this.list.push(t);
      i = this.list.length - 1;
    }
    return i + 1;
  }
}

function cgroupBlock(c: CgroupResult): string[] {
  const out: string[] = [];
  out.push(`cgroup ${c.path}${c.leaf ? "" : " (inner: counters include its subtree)"}`);
  out.push(`  limits    ${limitsText(c)}`);
  out.push(...wrapped("  workload  ", workloadText(c.workload)));
  const k = c.counters;
  const rows: string[][] = [["  counter", "MiB", "bytes"]];
  for (const name of ["memory.current", "memory.swap.current", "memory.zswap.current", "memory.stat:anon", "memory.stat:zswap", "memory.stat:zswapped"] as const) {
    rows.push([`  ${name}`, mib(k[name]), intWithSep(k[name])]);
  }
  out.push(...alignRows(rows, ["l", "r", "r"]));
  const ev: string[][] = [["  event / stat", "count"]];
  ev.push(["  memory.swap.events max", intWithSep(k["memory.swap.events:max"])]);
  ev.push(["  memory.swap.events fail", intWithSep(k["memory.swap.events:fail"])]);
  ev.push(["  memory.stat zswpout", intWithSep(k["memory.stat:zswpout"])]);
  ev.push(["  memory.stat zswpwb", k["memory.stat:zswpwb"] === null ? "(no such counter)" : intWithSep(k["memory.stat:zswpwb"])]);
  out.push(...alignRows(ev, ["l", "r"]));
  const p = c.pages;
  out.push(`  pages     ${intWithSep(p.zswap)} in zswap${p.sameFilledEntries ? ` (${intWithSep(p.sameFilledEntries)} same-filled, length 0)` : ""}, ${intWithSep(p.zero)} zero (bit/descriptor), ${intWithSep(p.disk)} on disk${p.writtenBack ? ` (${intWithSep(p.writtenBack)} by writeback)` : ""}, ${intWithSep(p.resident)} resident${p.residentWithSlot ? ` (${intWithSep(p.residentWithSlot)} holding a swap slot)` : ""}`);
  out.push(`  stuck     ${stuckText(c)}`);
  out.push(`  rejected  ${rejectsText(c)}`);
  if (c.limitsHit.length) {
    for (const h of c.limitsHit) out.push(...wrapped("  limit     ", `${h.file} of ${h.at}: ${intWithSep(h.pages)} pages: ${h.what}`));
  } else out.push("  limit     none bit");
  const f = c.footprint;
  out.push(...wrapped("  footprint ", `charged ${mib(f.chargedBytes)} MiB (memory.current); real ${mib(f.realBytes)} MiB = resident ${mib(f.residentBytes)} + pool ${mib(f.poolBytes)} (${mib(f.poolOverheadBytes)} above the charged lengths) + uncharged metadata ${mib(f.metadataBytes)}; uncharged ${mib(f.unchargedBytes)} MiB; on disk ${mib(f.diskBytes)} MiB`));
  return out;
}

function rulesBlock(r: MemcgResult, src: Sources): string[] {
  const rows: string[][] = [["  rule", "value", "basis", "src"]];
  for (const row of ruleRows(r.rules)) rows.push([`  ${row.rule}`, row.value, row.basis, row.sources.map((s) => src.num(s)).join(",")]);
  return alignRows(rows, ["l", "l", "l", "l"]);
}

/** Terminal rendering of one design's result. */
export function memcgText(r: MemcgResult): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} memcg: ${r.design.id} (${r.design.title})`);
  out.push(`  system    ${systemText(r)}`);
  out.push(`  kit       ${KIT_NAME} ${KIT_VERSION}`);
  out.push("");
  for (const c of r.cgroups) {
    out.push(...cgroupBlock(c));
    out.push("");
  }
  const t = r.totals;
  out.push(`system: zswap pool ${intWithSep(t.pool.objects)} objects in ${intWithSep(t.pool.pages)} pages (${mib(t.pool.poolBytes)} MiB for ${mib(t.pool.payloadBytes)} MiB of compressed data)${t.pool.extrapolated ? ", zbud pairing extrapolated" : ""}; swap slots used: ${intWithSep(t.physicalSlotsUsed)} physical of ${intWithSep(t.physicalSlotsUsable)}${r.rules.chargedLayer.value === "virtual" || r.rules.swapCharge.value === "physical-slots-only" ? `, ${intWithSep(t.virtualSlotsUsed)} virtual` : ""}`);
  out.push(`metadata charged to nobody: ${mib(t.unchargedBytes)} MiB in total (pool slack included)`);
  const rows: string[][] = [["  structure", "class", "MiB"]];
  for (const u of t.uncharged) rows.push([`  ${u.name}`, u.class, mib(u.bytes, 3)]);
  rows.push(["  zswap pool slack (pool pages - compressed lengths)", "dynamic", mib(t.pool.poolBytes - t.pool.payloadBytes, 3)]);
  out.push(...alignRows(rows, ["l", "l", "r"]));
  out.push("");
  const src = new Sources();
  out.push(`charging rules of ${r.design.id} (basis: code read in a kernel tree, a design letter, or an assumption)`);
  out.push(...rulesBlock(r, src));
  out.push("");
  out.push("sources:");
  src.list.forEach((s, i) => out.push(...wrapped(`  [${i + 1}] `, s)));
  if (r.notes.length) {
    out.push("");
    out.push("notes:");
    for (const n of r.notes) out.push(...wrapped("  - ", n));
  }
  return out.join("\n") + "\n";
}

const COMPARE_COUNTERS: ReadonlyArray<readonly [string, (c: CgroupResult) => number, "MiB" | "pages" | "count"]> = [
  ["memory.current", (c) => c.counters["memory.current"], "MiB"],
  ["memory.swap.current", (c) => c.counters["memory.swap.current"], "MiB"],
  ["memory.zswap.current", (c) => c.counters["memory.zswap.current"], "MiB"],
  ["real footprint", (c) => c.footprint.realBytes, "MiB"],
  ["uncharged", (c) => c.footprint.unchargedBytes, "MiB"],
  ["on disk", (c) => c.footprint.diskBytes, "MiB"],
  ["pages in zswap", (c) => c.pages.zswap, "pages"],
  ["pages resident", (c) => c.pages.resident, "pages"],
  ["pages stuck", (c) => STUCK_REASONS.reduce((a, k) => a + c.pages.stuck[k], 0), "pages"],
  ["swap.events max", (c) => c.counters["memory.swap.events:max"], "count"],
];

function cell(v: number, unit: string): string {
  return unit === "MiB" ? mib(v) : intWithSep(v);
}

/** Rules whose values differ between the designs. */
export function ruleDifferences(results: readonly MemcgResult[]): Array<{ rule: string; values: string[]; sources: Source[][] }> {
  const tables = results.map((r) => ruleRows(r.rules));
  const out: Array<{ rule: string; values: string[]; sources: Source[][] }> = [];
  tables[0].forEach((row, i) => {
    const values = tables.map((t) => t[i].value);
    if (new Set(values).size > 1) out.push({ rule: row.rule, values, sources: tables.map((t) => [...t[i].sources]) });
  });
  return out;
}

/** Terminal rendering of several designs side by side. */
export function memcgCompareText(results: readonly MemcgResult[]): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} memcg: ${results.map((r) => r.design.id).join(" vs ")}`);
  out.push(...wrapped("  system    ", systemText(results[0], results.slice(1))));
  out.push(`  kit       ${KIT_NAME} ${KIT_VERSION}`);
  out.push("");
  const ids = results.map((r) => r.design.id);
  results[0].cgroups.forEach((c0, ci) => {
    out.push(`cgroup ${c0.path}: ${limitsText(c0)}`);
    out.push(...wrapped("  workload  ", workloadText(c0.workload)));
    const rows: string[][] = [["  ", "unit", ...ids]];
    for (const [name, f, unit] of COMPARE_COUNTERS) rows.push([`  ${name}`, unit, ...results.map((r) => cell(f(r.cgroups[ci]), unit))]);
    const bites = results.map((r) => [...new Set(r.cgroups[ci].limitsHit.map((h) => h.file))].join("+") || "-");
    rows.push(["  limits that bit", "", ...bites]);
    out.push(...alignRows(rows, ["l", "l", ...ids.map(() => "r" as const)]));
    out.push("");
  });
  const diffs = ruleDifferences(results);
  if (diffs.length) {
    const src = new Sources();
    out.push("charging rules that differ:");
    const rows: string[][] = [["  rule", ...ids]];
    for (const d of diffs) rows.push([`  ${d.rule}`, ...d.values.map((v, i) => `${v} [${d.sources[i].map((s) => src.num(s)).join(",")}]`)]);
    out.push(...alignRows(rows, ["l", ...ids.map(() => "l" as const)]));
    out.push("sources:");
    src.list.forEach((s, i) => out.push(...wrapped(`  [${i + 1}] `, s)));
  }
  return out.join("\n") + "\n";
}

/** linux-mm mail: per cgroup, the counters of every design with deltas against the first. */
export function memcgMail(results: readonly MemcgResult[]): string {
  const lines: string[] = [];
  const ids = results.map((r) => r.design.id);
  const title = results.length === 1 ? `memcg charging under ${ids[0]}` : `memcg charging: ${ids.join(" vs ")}`;
  lines.push(...wrap(ascii(title), MAIL_WIDTH));
  lines.push("");
  lines.push(...configBlock([
    ["system", systemText(results[0], results.slice(1))],
    ["kit", `${KIT_NAME} ${KIT_VERSION}`],
  ]));
  const diffs = ruleDifferences(results);
  const notes: string[] = [];
  const src = new Sources();
  for (const d of diffs) {
    notes.push(`${d.rule}: ${d.values.map((v, i) => `${ids[i]} ${v} [${d.sources[i].slice(0, 2).map((s) => src.num(s, true)).join(",")}]`).join("; ")}`);
  }
  // one design: no differences to show, so every rule applied, with its sources as footnotes
  if (results.length === 1) {
    for (const row of ruleRows(results[0].rules)) notes.push(`${row.rule}: ${row.value} [${row.sources.slice(0, 2).map((s) => src.num(s, true)).join(",")}]`);
  }
  results[0].cgroups.forEach((c0, ci) => {
    lines.push("");
    // the header line states the unit (MiB): the labels do not repeat it, so they fit the label column
    const rowLabels = COMPARE_COUNTERS.filter(([, , u]) => u === "MiB").map(([n]) => n);
    const table = mailTable({
      title: `cgroup ${c0.path}`,
      config: [
        ["limits", limitsText(c0)],
        ["workload", workloadText(c0.workload)],
      ],
      rowLabels,
      columns: results.map((r) => ({ name: r.design.id, values: COMPARE_COUNTERS.filter(([, , u]) => u === "MiB").map(([, f]) => f(r.cgroups[ci]) / (1024 * 1024)) })),
      decimals: 2,
      better: "lower",
      unit: "MiB",
      deltas: results.length > 1,
      notes: results.map((r) => {
        const c = r.cgroups[ci];
        const stuck = STUCK_REASONS.reduce((a, k) => a + c.pages.stuck[k], 0);
        const bit = [...new Set(c.limitsHit.map((h) => h.file))].join(", ") || "none";
        return `${r.design.id}: limits that bit: ${bit}; ${intWithSep(stuck)} pages could not be pushed out; memory.swap.events max ${intWithSep(c.counters["memory.swap.events:max"])}`;
      }),
    });
    lines.push(...table.trimEnd().split("\n"));
  });
  if (notes.length || src.list.length) {
    lines.push("");
    lines.push(results.length === 1 ? `Charging rules of ${ids[0]}:` : "Charging rules that differ:");
    for (const n of notes) lines.push(...wrap(ascii(n), MAIL_WIDTH, "  "));
    lines.push("");
    lines.push(...footnoteLines(src.list));
  }
  lines.push("");
  lines.push(...wrap(`memory.current counts zswap bytes page-rounded per cgroup; a page is ${PAGE_SIZE_BYTES} bytes.`, MAIL_WIDTH));
  return finish(lines);
}
