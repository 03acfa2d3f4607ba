/**
 * Text and mail renderings of swapoff, transfer and reverse-map results: work per phase with the
 * counts, the estimate with the parameters that drive it (value, basis, source), what is left
 * behind on its own line, and the sources.
 */
import { citeSource } from "../kernel/sources.js";
import type { ReverseMapResult } from "../models/reverse-map.js";
import type { CalibrationInfo, CostRow } from "../models/swapoff-costs.js";
import { methodLabel, type SwapoffResult } from "../models/swapoff.js";
import type { TransferResult } from "../models/transfer.js";
import { formatSizeExact, MiB } from "../units/bytes.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { alignRows, ascii, fixed, intWithSep, wrap } from "./format.js";
import { configBlock, finish, mailTable, MAIL_WIDTH } from "./mail.js";

const DEVICE_TEXT: Record<string, string> = { ssd: "SSD", hdd: "HDD (rotational)", zram: "zram", none: "none (the ghost swapfile itself)" };

export const sec = (ns: number, d = 3) => fixed(ns / 1e9, d);
const mibOf = (b: number) => fixed(b / MiB, 2);

function methodText(r: SwapoffResult): string {
  if (r.method === "pte-walk") return "mainline try_to_unuse (shmem swaplist + PTE walk of mmlist + slot scan)";
  return r.reverseMap ? "virtual layer: scan the device's slots, reverse-map lookup, re-point virtual slots (no PTE walk)" : "virtual layer without reverse map: scan in-use virtual clusters, re-point virtual slots (no PTE walk)";
}

export function swapoffConfig(r: SwapoffResult): Array<[string, string]> {
  const i = r.inputs;
  const w = i.workload;
  const u = i.usage;
  const kinds = (["disk", "zswap", "zero", "cache"] as const).filter((k) => u[k] > 0).map((k) => `${k} ${intWithSep(u[k])}`);
  return [
    ["design", `${r.design.id}: ${r.design.title} [${r.design.status}]`],
    ["method", methodText(r)],
    ["swap size", `${formatSizeExact(i.swapSizeBytes)} = ${intWithSep(i.slots)} slots; device ${DEVICE_TEXT[i.device] ?? i.device}`],
    ["used", `${intWithSep(u.disk + u.zswap + u.zero + u.cache)} entries (${kinds.join(", ") || "none"}); ${intWithSep(i.entriesOnDevice)} on the swapped-off device, last used slot ${intWithSep(i.lastUsedSlot)}`],
    [
      "workload",
      `${w.processes} mm(s) on init_mm.mmlist, ${formatSizeExact(w.mappedBytes)} page-table span (${intWithSep(w.mappedBytes / 4096)} PTEs), ${w.anonVmas} anon VMA(s), ${w.mappingsPerEntry} PTE(s) per entry` +
        (w.idleProcesses || w.idleMappedBytes ? `; ${w.idleProcesses} never-swapped mm(s) with ${formatSizeExact(w.idleMappedBytes)} (not on mmlist)` : "") +
        (w.shmemEntries ? `; shmem ${intWithSep(w.shmemEntries)} entries in ${w.shmemInodes} inode(s), ${intWithSep(w.shmemXarrayEntries)} xarray entries` : "") +
        (w.retries ? `; ${w.retries} extra pass(es)` : "") +
        (w.directShare ? `; ${fixed(w.directShare * 100, 1)}% of disk entries direct-mapped` : ""),
    ],
    ["costs", `${i.costLabel}${i.ioModel === "folded" ? " (device IO folded into per-entry cost)" : ""}`],
    ["kit", `${KIT_NAME} ${KIT_VERSION}`],
  ];
}

function countsText(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${k} ${intWithSep(v)}`);
  return parts.join(", ") || "not run";
}

export function remainingText(r: SwapoffResult): string {
  const m = r.remaining;
  if (m.clean) return `afterwards: clean: every PTE restored, ${mibOf(m.metadataFreedBytes)} MiB of swap metadata freed; ${mibOf(m.metadataHeldBytes)} MiB still held`;
  return (
    `afterwards: NOT clean: up to ${intWithSep(m.minorFaultsLater)} minor faults to come (${sec(m.minorFaultNs)} s at ${fixed(m.minorFaultsLater ? m.minorFaultNs / m.minorFaultsLater : 0, 0)} ns), ` +
    `${mibOf(m.metadataHeldBytes)} MiB of virtual-layer metadata still held, ${mibOf(m.metadataFreedBytes)} MiB freed`
  );
}

function costLines(rows: readonly CostRow[]): string[] {
  const t = rows.map((c) => [c.name, fixed(c.value, c.value >= 100 || Number.isInteger(c.value) ? 0 : 3), c.unit, c.basis, c.sources.map(citeSource).join("; ")]);
  return alignRows([["parameter", "value", "unit", "basis", "source"], ...t], ["l", "r", "l", "l", "l"]).map((l) => `  ${l}`);
}

export function swapoffText(r: SwapoffResult): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} swapoff: ${r.design.id}`);
  for (const [k, v] of swapoffConfig(r)) out.push(`  ${k.padEnd(9)} ${v}`);
  out.push("");
  const rows = r.phases.map((p) => [p.id, countsText(p.counts), sec(p.cpuNs), p.ioNs ? sec(p.ioNs) : "-"]);
  const e = r.estimate;
  const t = alignRows([["phase", "work", "CPU s", "IO s"], ...rows], ["l", "l", "r", "r"]);
  out.push(t[0], "-".repeat(Math.max(...t.map((l) => l.length))), ...t.slice(1));
  out.push("");
  const io = { "sync-readahead": "reads waited on one readahead window at a time", async: "reads submitted as one asynchronous batch", none: "no device reads waited on", mixed: "synchronous and asynchronous reads" }[e.ioMode];
  out.push(`estimate: sys ${sec(e.sysNs)} s + IO wait ${sec(e.ioWaitNs)} s + fixed ${sec(e.fixedNs)} s = real ${sec(e.realNs)} s (${io}${r.inputs.ioModel === "folded" ? "; calibrated: device IO is inside the per-entry cost" : ""})`);
  out.push(...wrap(e.ioArithmetic, 98, "    ").map((l) => `  ${l}`));
  out.push(...warningLines(r.warnings));
  out.push(remainingText(r));
  out.push(`  ${r.remaining.note}`);
  if (r.inputs.calibration) out.push("", ...calibrationLines(r.inputs.calibration));
  out.push(...detailTail(r, "code paths"));
  return out.join("\n") + "\n";
}

/** One `warning:` line (wrapped) per calibrated parameter the run depends on that the data did not give. */
export function warningLines(warnings: readonly string[]): string[] {
  return warnings.flatMap((w) => wrap(`warning: ${w}`, 100, "    "));
}

const nsText = (v: number) => (v >= 100 ? intWithSep(Math.round(v)) : String(Math.round(v * 1000) / 1000));

/** What a calibration did: the fitted parameters with their values and source, the ones kept at their defaults (and why), the ones folded into others, the fit's notes and trend verdicts. */
export function calibrationLines(c: CalibrationInfo): string[] {
  const out: string[] = [`calibration: ${c.rows} rows of ${c.source}; residual RMS ${fixed(c.relativeRms * 100, 2)}% of the mean, R^2 ${fixed(c.r2, 3)}`];
  const item = (label: string, text: string) => out.push(...wrap(`${label} ${text}`, 98, "      ").map((l) => `  ${l}`));
  item("fitted:", c.fitted.length ? c.fitted.map((f) => `${f.name} = ${nsText(f.value)} ns (term ${f.term})`).join("; ") : "none");
  for (const k of c.kept) item("kept default:", `${k.name} = ${nsText(k.value)} ns: ${k.reason}`);
  const byHost = new Map<string, string[]>();
  for (const f of c.folded) byHost.set(f.into, [...(byHost.get(f.into) ?? []), f.name]);
  if (byHost.size) item("folded (set to 0):", [...byHost.entries()].map(([into, names]) => `${names.join(", ")} into ${into}`).join("; "));
  for (const i of c.inconclusive) item("inconclusive:", `${i.name}: ${i.verdict}`);
  for (const n of c.notes) item("note:", n);
  return out;
}

/** The common end of a detailed swapoff or transfer report: arithmetic, parameters, notes, sources. */
function detailTail(
  r: { readonly phases: readonly { readonly id: string; readonly arithmetic: string }[]; readonly costs: Parameters<typeof costLines>[0]; readonly notes: readonly string[]; readonly sources: readonly string[] },
  sourcesTitle: string,
): string[] {
  const out: string[] = ["", "arithmetic:"];
  for (const p of r.phases) out.push(...wrap(`${p.id}: ${p.arithmetic}`, 100, "      ").map((l) => `  ${l}`));
  out.push("", "parameters:", ...costLines(r.costs));
  if (r.notes.length) {
    out.push("", "notes:");
    for (const n of r.notes) out.push(...wrap(n, 98, "    ").map((l, i) => (i === 0 ? `  - ${l}` : `  ${l}`)));
  }
  out.push("", `${sourcesTitle}:`);
  r.sources.forEach((s, i) => out.push(`  [${i + 1}] ${s}`));
  return out;
}

/** One line per design: the counts and estimates side by side. */
export function swapoffCompareText(results: readonly SwapoffResult[], skipped: readonly string[] = []): string {
  const out: string[] = [];
  const r0 = results[0];
  out.push(`${KIT_NAME} swapoff, per design (${formatSizeExact(r0.inputs.swapSizeBytes)}, ${DEVICE_TEXT[r0.inputs.device] ?? r0.inputs.device}, ${formatSizeExact(r0.inputs.workload.mappedBytes)} mapped by ${r0.inputs.workload.processes} mm(s); costs: ${r0.inputs.costLabel})`);
  out.push("");
  const M = (x: number) => fixed(x / 1e6, 2);
  const rows = results.map((r) => [
    r.design.id,
    methodLabel(r),
    M(r.work.ptesScanned),
    M(r.work.slotsScanned + r.work.virtualSlotsScanned),
    M(r.work.swapIns),
    sec(r.estimate.sysNs, 2),
    sec(r.estimate.ioWaitNs, 2),
    sec(r.estimate.realNs, 2),
    M(r.remaining.minorFaultsLater),
    mibOf(r.remaining.metadataHeldBytes),
  ]);
  const t = alignRows([["design", "method", "PTEs(M)", "slots(M)", "swap-ins(M)", "sys s", "IO s", "real s", "faults later(M)", "held MiB"], ...rows], ["l", "l", "r", "r", "r", "r", "r", "r", "r", "r"]);
  out.push(t[0], "-".repeat(Math.max(...t.map((l) => l.length))), ...t.slice(1));
  out.push("");
  out.push("slots = device slots scanned + virtual slots scanned; faults later / held = what a swapoff that did not restore PTEs leaves behind.");
  if (skipped.length) out.push(`not shown (cannot hold these entries): ${skipped.join(", ")}`);
  for (const line of grouped(results.flatMap((r) => r.warnings.map((w) => [r.design.id, w] as const)))) out.push(...wrap(`warning: ${line}`, 100, "    "));
  out.push("`swapcost swapoff --design <id>` itemises one design's phases, arithmetic, parameters and code paths.");
  return out.join("\n") + "\n";
}

/** Lines shared by several designs are printed once, prefixed by the designs they hold for. */
function grouped(items: readonly (readonly [string, string])[]): string[] {
  const by = new Map<string, string[]>();
  for (const [design, text] of items) by.set(text, [...(by.get(text) ?? []), design]);
  return [...by.entries()].map(([text, designs]) => `${designs.join(", ")}: ${text}`);
}

export function swapoffMail(results: readonly SwapoffResult[]): string {
  const r0 = results[0];
  const M = (x: number) => x / 1e6;
  const metrics: Array<[string, (r: SwapoffResult) => number]> = [
    ["PTEs scanned (M)", (r) => M(r.work.ptesScanned)],
    ["slots scanned (M)", (r) => M(r.work.slotsScanned + r.work.virtualSlotsScanned)],
    ["swap-ins (M)", (r) => M(r.work.swapIns)],
    ["sys (s)", (r) => r.estimate.sysNs / 1e9],
    ["IO wait (s)", (r) => r.estimate.ioWaitNs / 1e9],
    ["real (s)", (r) => r.estimate.realNs / 1e9],
    ["faults later (M)", (r) => M(r.remaining.minorFaultsLater)],
    ["held after (MiB)", (r) => r.remaining.metadataHeldBytes / MiB],
  ];
  const cfg = swapoffConfig(r0).filter(([k]) => k !== "design" && k !== "method");
  const text = mailTable({
    title: `swapoff work and estimated time, ${results.map((r) => r.design.id).join(" vs ")}`,
    config: [...cfg, ["designs", results.map((r) => `${r.design.id} (${methodLabel(r)})`).join(", ")]],
    rowLabels: metrics.map(([l]) => l),
    columns: results.map((r) => ({ name: r.design.id, values: metrics.map(([, fn]) => fn(r)) })),
    decimals: 2,
    better: "lower",
    unit: "units in the row labels",
    deltas: true,
    arithmetic: grouped(results.flatMap((r) => r.phases.filter((p) => p.cpuNs + p.ioNs > 0).map((p) => [r.design.id, `${p.id}: ${p.arithmetic}`] as const))),
    notes: grouped([...results.map((r) => [r.design.id, r.remaining.note] as const), ...results.flatMap((r) => r.warnings.map((w) => [r.design.id, `warning: ${w}`] as const))]),
    footnotes: [...new Set(results.flatMap((r) => r.costs.filter((c) => c.basis !== "assumption").map((c) => `${c.name} = ${c.value} ${c.unit} (${c.basis}): ${c.sources.map(citeSource)[0] ?? ""}`))), "timing parameters marked assumption are order-of-magnitude defaults, not measurements"],
  });
  return text;
}

export function transferText(r: TransferResult): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} transfer: ${r.design.id}, ${r.kind} ${r.from} -> ${r.to}, ${intWithSep(r.work.entriesMoved)} entries`);
  out.push(`  mechanism  ${r.mechanism}${r.reverseMap ? " (with reverse map)" : ""}`);
  out.push(`  kit        ${KIT_NAME} ${KIT_VERSION}`);
  out.push("");
  const t = alignRows([["phase", "work", "CPU s", "IO s"], ...r.phases.map((p) => [p.id, countsText(p.counts), sec(p.cpuNs), p.ioNs ? sec(p.ioNs) : "-"])], ["l", "l", "r", "r"]);
  out.push(t[0], "-".repeat(Math.max(...t.map((l) => l.length))), ...t.slice(1));
  out.push("");
  const e = r.estimate;
  out.push(`estimate: sys ${sec(e.sysNs)} s + IO wait ${sec(e.ioWaitNs)} s = ${sec(e.realNs)} s; ${fixed(e.perEntryNs, 0)} ns per entry`);
  out.push(...wrap(e.ioArithmetic, 98, "    ").map((l) => `  ${l}`));
  out.push(...warningLines(r.warnings));
  const ds = r.diskSpace;
  out.push(`disk space held by swap entries: ${mibOf(ds.heldBeforeBytes)} MiB before, ${mibOf(ds.heldAfterBytes)} MiB after; of it ${mibOf(ds.reservedForZswapBytes)} MiB reserved for entries whose data is in zswap`);
  out.push(`  ${ds.note}`);
  if (r.calibration) out.push("", ...calibrationLines(r.calibration));
  out.push(...detailTail(r, "sources"));
  return out.join("\n") + "\n";
}

export function transferCompareText(results: readonly TransferResult[], skipped: readonly string[] = []): string {
  const r0 = results[0];
  const out: string[] = [];
  out.push(`${KIT_NAME} transfer, per design: ${r0.kind} ${r0.from} -> ${r0.to}, ${intWithSep(r0.work.entriesMoved)} entries`);
  out.push("");
  const rows = results.map((r) => [
    r.design.id,
    r.mechanism,
    intWithSep(r.work.ptesScanned),
    intWithSep(r.work.ptesRewritten),
    intWithSep(r.work.descriptorUpdates + r.work.redirectUpdates),
    intWithSep(r.work.rmapUpdates),
    sec(r.estimate.realNs, 2),
    fixed(r.estimate.perEntryNs, 0),
    mibOf(r.diskSpace.heldAfterBytes),
  ]);
  const t = alignRows([["design", "mechanism", "PTEs scanned", "PTEs rewritten", "desc/redirect", "rmap writes", "real s", "ns/entry", "disk held MiB"], ...rows], ["l", "l", "r", "r", "r", "r", "r", "r", "r"]);
  out.push(t[0], "-".repeat(Math.max(...t.map((l) => l.length))), ...t.slice(1));
  if (skipped.length) out.push("", `not shown: ${skipped.join("; ")}`);
  return out.join("\n") + "\n";
}

export function transferMail(results: readonly TransferResult[]): string {
  const r0 = results[0];
  const metrics: Array<[string, (r: TransferResult) => number]> = [
    ["PTEs scanned (M)", (r) => r.work.ptesScanned / 1e6],
    ["PTEs rewritten (M)", (r) => r.work.ptesRewritten / 1e6],
    ["desc/redirect upd (M)", (r) => (r.work.descriptorUpdates + r.work.redirectUpdates) / 1e6],
    ["rmap writes (M)", (r) => r.work.rmapUpdates / 1e6],
    ["time (s)", (r) => r.estimate.realNs / 1e9],
    ["per entry (us)", (r) => r.estimate.perEntryNs / 1e3],
    ["disk held after (MiB)", (r) => r.diskSpace.heldAfterBytes / MiB],
  ];
  return mailTable({
    title: `${r0.kind} ${r0.from} -> ${r0.to} of ${intWithSep(r0.work.entriesMoved)} entries, per design`,
    config: [
      ["moved", `${intWithSep(r0.work.entriesMoved)} entries (${formatSizeExact(r0.work.entriesMoved * 4096)})`],
      ["designs", results.map((r) => `${r.design.id} (${r.mechanism})`).join(", ")],
      ["kit", `${KIT_NAME} ${KIT_VERSION}`],
    ],
    rowLabels: metrics.map(([l]) => l),
    columns: results.map((r) => ({ name: r.design.id, values: metrics.map(([, fn]) => fn(r)) })),
    decimals: 2,
    better: "lower",
    unit: "units in the row labels",
    deltas: true,
    notes: grouped(results.map((r) => [r.design.id, r.diskSpace.note] as const)),
    // the code paths each design's transfer follows (the same list `swapcost transfer` prints)
    footnotes: [...new Set(results.flatMap((r) => r.sources))],
  });
}

export function reverseMapText(r: ReverseMapResult): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} reverse map: ${r.design} (${r.designHasReverseMap ? "the design keeps one" : "the design has none: what-if"})`);
  out.push("");
  const w = r.swapoff.withRmap.work;
  const wo = r.swapoff.withoutRmap.work;
  const t = alignRows(
    [
      ["", "with rmap", "without"],
      ["memory (MiB)", mibOf(r.rmap.bytes), "0.00"],
      ["device slots scanned", intWithSep(w.slotsScanned), intWithSep(wo.slotsScanned)],
      ["virtual slots scanned", intWithSep(w.virtualSlotsScanned), intWithSep(wo.virtualSlotsScanned)],
      ["reverse-map lookups", intWithSep(w.rmapLookups), intWithSep(wo.rmapLookups)],
      ["swapoff scan CPU (s)", sec(r.swapoff.scanWithNs), sec(r.swapoff.scanWithoutNs)],
      ["swapoff real (s)", sec(r.swapoff.withRmap.estimate.realNs), sec(r.swapoff.withoutRmap.estimate.realNs)],
      ["writeback extra (ns/entry)", fixed(r.writeback.extraNsPerEntry, 0), "0"],
      ["tier move extra (ns/entry)", fixed(r.tierMove.perEntryExtraNs, 0), "0"],
    ],
    ["l", "r", "r"],
  );
  out.push(...t.map((l) => `  ${l}`));
  out.push("");
  out.push(`memory basis: ${r.rmap.basis}; ${intWithSep(r.rmap.diskBackedEntries)} disk-backed entries in ${intWithSep(r.rmap.physicalClustersInUse)} physical clusters${r.rmap.bytesPerDiskEntry !== null ? ` (${fixed(r.rmap.bytesPerDiskEntry, 2)} B per entry)` : ""}`);
  out.push("");
  out.push(...wrap(`break-even: ${r.breakEven.statement}`, 100, "  "));
  for (const n of r.notes) out.push(...wrap(`note: ${n}`, 100, "  "));
  return out.join("\n") + "\n";
}

export function reverseMapMail(r: ReverseMapResult): string {
  const lines: string[] = [];
  lines.push(...wrap(ascii(`Reverse map (physical -> virtual) for ${r.design}: memory vs swapoff work`), MAIL_WIDTH));
  lines.push("");
  lines.push(...configBlock(swapoffConfig(r.swapoff.withRmap).filter(([k]) => k !== "method")));
  lines.push("");
  const w = r.swapoff.withRmap.work;
  const wo = r.swapoff.withoutRmap.work;
  lines.push(
    ...alignRows(
      [
        ["", "with rmap", "without"],
        ["memory (MiB)", mibOf(r.rmap.bytes), "0.00"],
        ["device slots scanned (M)", fixed(w.slotsScanned / 1e6, 2), fixed(wo.slotsScanned / 1e6, 2)],
        ["virtual slots scanned (M)", fixed(w.virtualSlotsScanned / 1e6, 2), fixed(wo.virtualSlotsScanned / 1e6, 2)],
        ["rmap lookups (M)", fixed(w.rmapLookups / 1e6, 2), fixed(wo.rmapLookups / 1e6, 2)],
        ["swapoff scan CPU (s)", sec(r.swapoff.scanWithNs), sec(r.swapoff.scanWithoutNs)],
        ["writeback extra (ns/entry)", fixed(r.writeback.extraNsPerEntry, 0), "0"],
      ],
      ["l", "r", "r"],
    ),
  );
  lines.push("");
  lines.push(...wrap(ascii(r.breakEven.statement), MAIL_WIDTH));
  for (const n of r.notes) {
    lines.push("");
    lines.push(...wrap(ascii(n), MAIL_WIDTH));
  }
  return finish(lines);
}
