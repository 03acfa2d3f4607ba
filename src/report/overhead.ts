/**
 * Text and mail renderings of overhead results, comparisons and the design registry.
 */
import type { Design } from "../designs/types.js";
import { citeSource } from "../kernel/sources.js";
import type { OverheadResult } from "../models/overhead.js";
import type { CompareGrid } from "../sweep/compare.js";
import { formatSizeExact, MiB } from "../units/bytes.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { explainRow } from "./explain.js";
import { alignRows, ascii, fixed, fmtPct, intWithSep, mib, pctChange, perUnit, wrap } from "./format.js";
import { Footnotes, mailDocument, mailGrid, mailSource, mailTable } from "./mail.js";
import { granularityOf } from "../models/overhead.js";

const DEVICE_TEXT: Record<string, string> = {
  ssd: "SSD (non-rotational)",
  hdd: "HDD (rotational)",
  zram: "zram (non-rotational)",
  none: "none (no swapfile)",
};

function usageText(r: OverheadResult): string {
  const u = r.inputs.usage;
  const parts = (["zswap", "disk", "zero", "cache"] as const).filter((k) => u[k] > 0).map((k) => `${k} ${intWithSep(u[k])}`);
  const pct = fixed(r.inputs.usedShare * 100, 2);
  const wb = u.disk > 0 && u.zswap > 0 ? `; ${fixed(r.inputs.writebackShare * 100, 0)}% of disk entries reached disk by zswap writeback` : "";
  return `${pct}% of usable slots = ${intWithSep(r.inputs.usedEntries)} entries${parts.length ? ` (${parts.join(", ")})` : ""}${wb}`;
}

export function configOf(r: OverheadResult): Array<[string, string]> {
  const i = r.inputs;
  const params = Object.entries(r.design.params);
  return [
    ["design", `${r.design.id}: ${r.design.title} [${r.design.status}]${params.length ? ` (${params.map(([k, v]) => `${k}=${v}`).join(", ")})` : ""}`],
    ["swap size", `${formatSizeExact(i.swapSizeBytes)} = ${intWithSep(i.slots)} slots of ${i.pageSizeBytes} B, ${intWithSep(i.clusters)} clusters of 512`],
    ["device", DEVICE_TEXT[i.device] ?? i.device],
    ["used", usageText(r)],
    ["occupancy", i.occupancyText],
    ["memcg", i.memcg ? "on" : "off (cgroup_disable=memory)"],
    ["CPUs", `${i.cpus} possible; zswap pool ${i.zpool}; x86_64, THP_SWAP`],
    ["accounting", i.accounting === "kernel" ? "kernel (what the kernel allocates, allocator rounding included)" : "letter (the nominal per-slot/per-entry sizes the cover letters count)"],
    ["kit", `${KIT_NAME} ${KIT_VERSION}`],
  ];
}

function sourceIndex(r: OverheadResult): { numbers: Map<string, number[]>; list: string[] } {
  const list: string[] = [];
  const numbers = new Map<string, number[]>();
  for (const row of r.rows) {
    const ns: number[] = [];
    for (const s of row.sources) {
      let n = list.indexOf(s);
      if (n < 0) {
        list.push(s);
        n = list.length - 1;
      }
      ns.push(n + 1);
    }
    numbers.set(row.structure, ns);
  }
  return { numbers, list };
}

/** Terminal rendering of one overhead result. */
export function overheadText(r: OverheadResult): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} overhead: ${r.design.id}`);
  for (const [k, v] of configOf(r)) out.push(`  ${k.padEnd(11)} ${v}`);
  out.push("");
  const { numbers, list } = sourceIndex(r);
  const rows: string[][] = [["structure", "class", "layer", "granularity", "MiB", "B/slot", "B/entry", "src"]];
  for (const row of r.rows) {
    rows.push([row.name, row.class, row.layer, row.granularity, mib(row.bytes, 3), perUnit(row.bytesPerSlot, 4), perUnit(row.bytesPerUsedEntry, 3), (numbers.get(row.structure) ?? []).join(",")]);
  }
  const t = r.totals;
  rows.push(["total static", "", "", "", mib(t.staticBytes, 3), perUnit(r.inputs.slots ? t.staticBytes / r.inputs.slots : 0, 4), perUnit(r.inputs.usedEntries ? t.staticBytes / r.inputs.usedEntries : null, 3), ""]);
  rows.push(["total dynamic", "", "", "", mib(t.dynamicBytes, 3), perUnit(r.inputs.slots ? t.dynamicBytes / r.inputs.slots : 0, 4), perUnit(r.inputs.usedEntries ? t.dynamicBytes / r.inputs.usedEntries : null, 3), ""]);
  rows.push(["total", "", "", "", mib(t.bytes, 3), perUnit(t.bytesPerSlot, 4), perUnit(t.bytesPerUsedEntry, 3), ""]);
  const aligned = alignRows(rows, ["l", "l", "l", "l", "r", "r", "r", "l"]);
  out.push(aligned[0]);
  out.push("-".repeat(Math.max(...aligned.map((l) => l.length))));
  out.push(...aligned.slice(1, rows.length - 3));
  out.push("-".repeat(Math.max(...aligned.map((l) => l.length))));
  out.push(...aligned.slice(rows.length - 3));
  const other = r.inputs.accounting === "kernel" ? "letter" : "kernel";
  out.push("");
  out.push(`${other} accounting of the same inputs: ${mib(r.otherTotals.bytes, 3)} MiB (static ${mib(r.otherTotals.staticBytes, 3)}, dynamic ${mib(r.otherTotals.dynamicBytes, 3)}); --accounting ${other} itemises it`);
  out.push("");
  out.push("arithmetic:");
  for (const row of r.rows) out.push(`  ${row.name}: ${explainRow(row, r)}`);
  const diffs = r.reconciliation.filter((x) => x.deltaBytes !== 0);
  if (diffs.length) {
    out.push("");
    out.push("kernel vs letter, per structure (MiB):");
    const recRows = [["structure", "kernel", "letter", "delta", "why"], ...diffs.map((x) => [x.name, mib(x.kernelBytes, 3), mib(x.letterBytes, 3), mib(x.deltaBytes, 3), x.reason])];
    for (const l of alignRows(recRows, ["l", "r", "r", "r", "l"])) out.push(`  ${l}`);
  }
  if (r.notes.length) {
    out.push("");
    out.push("notes:");
    for (const n of r.notes) out.push(...wrap(n, 98, "    ").map((l, i) => (i === 0 ? `  - ${l}` : `  ${l}`)));
  }
  out.push("");
  out.push("sources:");
  list.forEach((s, i) => out.push(`  [${i + 1}] ${s}`));
  return out.join("\n") + "\n";
}

/** Mail rendering of one overhead result (72 columns, ASCII): one row per structure, totals, arithmetic, sources. */
export function overheadMail(r: OverheadResult, design: Design): string {
  const notes = new Footnotes();
  const tags = new Map<string, string>();
  for (const s of design.structures) {
    if (r.rows.some((row) => row.structure === s.id)) tags.set(s.id, notes.tag(s.sources.map(mailSource)));
  }
  const t = r.totals;
  const perSlot = (b: number) => perUnit(r.inputs.slots ? b / r.inputs.slots : 0, 4);
  const perEntry = (b: number) => perUnit(r.inputs.usedEntries ? b / r.inputs.usedEntries : null, 3);
  const labels = [...r.rows.map((row) => `${ascii(row.name)} ${tags.get(row.structure) ?? ""}`.trim()), "Total static", "Total dynamic", "Total"];
  const body = [
    "lower is better",
    ...mailGrid({
      labels,
      columns: [
        { header: "class", align: "l", cells: [...r.rows.map((row) => row.class), "", "", ""] },
        { header: "MiB", cells: [...r.rows.map((row) => mib(row.bytes, 3)), mib(t.staticBytes, 3), mib(t.dynamicBytes, 3), mib(t.bytes, 3)] },
        { header: "B/slot", cells: [...r.rows.map((row) => perUnit(row.bytesPerSlot, 4)), perSlot(t.staticBytes), perSlot(t.dynamicBytes), perSlot(t.bytes)] },
        { header: "B/entry", cells: [...r.rows.map((row) => perUnit(row.bytesPerUsedEntry, 3)), perEntry(t.staticBytes), perEntry(t.dynamicBytes), perEntry(t.bytes)] },
      ],
    }),
  ];
  const other = r.inputs.accounting === "kernel" ? "letter" : "kernel";
  return mailDocument({
    title: `Swap metadata of ${r.design.id}, ${r.inputs.accounting} accounting`,
    config: configOf(r),
    body,
    arithmeticHeading: "Arithmetic:",
    arithmetic: r.rows.map((row) => `${row.name}: ${explainRow(row, r)}`),
    notes: [`The ${other} accounting of the same inputs totals ${mib(r.otherTotals.bytes, 3)} MiB.`],
    footnotes: notes.notes,
  });
}

// ---------------------------------------------------------------------------------------------
// Comparisons

function gridConfig(g: CompareGrid): Array<[string, string]> {
  const first = g.cells[0][0].result;
  const i = first.inputs;
  const devices = [...new Set(g.cells.map((row) => row[0].result.inputs.device))];
  const cfg: Array<[string, string]> = [
    ["swap size", `${formatSizeExact(i.swapSizeBytes)} = ${intWithSep(i.slots)} slots of ${i.pageSizeBytes} B`],
    ["device", devices.map((d) => DEVICE_TEXT[d] ?? d).join("; ")],
    ["backends", g.backend],
    ["used", g.usedShares.map((u) => `${fixed(u * 100, 0)}%`).join(", ") + " of usable slots"],
    ["occupancy", i.occupancyText],
    ["memcg", i.memcg ? "on" : "off"],
    ["CPUs", `${i.cpus} possible; x86_64, 4 KiB pages, 512-slot clusters`],
    ["accounting", i.accounting],
    ["baseline", g.baseline],
    ["kit", `${KIT_NAME} ${KIT_VERSION}`],
  ];
  return cfg;
}

export function compareText(g: CompareGrid): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} compare: total swap metadata (MiB) by share of usable slots used; lower is better`);
  for (const [k, v] of gridConfig(g)) out.push(`  ${k.padEnd(10)} ${v}`);
  out.push("");
  const head = ["design", "device", "static", ...g.usedShares.map((u) => `${fixed(u * 100, 0)}%`), `vs ${g.baseline}`];
  const rows: string[][] = [head];
  const bIdx = g.designs.indexOf(g.baseline);
  g.cells.forEach((row, di) => {
    const last = row[row.length - 1];
    const base = g.cells[bIdx][row.length - 1].result.totals.bytes;
    const delta = di === bIdx ? "baseline" : `${last.result.totals.bytes - base >= 0 ? "+" : ""}${mib(last.result.totals.bytes - base)} ${fmtPct(pctChange(last.result.totals.bytes, base, "lower"), 7)}`;
    rows.push([g.designs[di], row[0].result.inputs.device, mib(row[0].result.totals.staticBytes), ...row.map((c) => mib(c.result.totals.bytes)), delta]);
  });
  out.push(...alignRows(rows, ["l", "l", "r", ...g.usedShares.map(() => "r" as const), "r"]));
  out.push("");
  out.push(`last column: total at ${fixed(g.usedShares[g.usedShares.length - 1] * 100, 0)}% minus ${g.baseline} (MiB), (+x%) = smaller than the baseline`);
  // Per-structure net when the comparison is small.
  if (g.designs.length <= 4) {
    for (let di = 0; di < g.designs.length; di++) {
      if (di === bIdx) continue;
      const cell = g.cells[di][g.usedShares.length - 1];
      if (!cell.net) continue;
      out.push("");
      out.push(`net ${cell.net.design} - ${cell.net.baseline} at ${fixed(cell.usedShare * 100, 0)}% used, per structure (MiB):`);
      const nrows = [["structure", "class", g.baseline, cell.net.design, "delta", "change"], ...cell.net.rows.filter((r) => r.deltaBytes !== 0 || r.change !== "same").map((r) => [r.name, r.class, mib(r.baselineBytes, 3), mib(r.designBytes, 3), `${r.deltaBytes >= 0 ? "+" : ""}${mib(r.deltaBytes, 3)}`, r.change])];
      nrows.push(["net", "", "", "", `${cell.net.deltaBytes >= 0 ? "+" : ""}${mib(cell.net.deltaBytes, 3)}`, `static ${mib(cell.net.staticDeltaBytes, 3)}, dynamic ${mib(cell.net.dynamicDeltaBytes, 3)}`]);
      for (const l of alignRows(nrows, ["l", "l", "r", "r", "r", "l"])) out.push(`  ${l}`);
    }
  }
  return out.join("\n") + "\n";
}

export function compareMail(g: CompareGrid): string {
  const bIdx = g.designs.indexOf(g.baseline);
  const order = [bIdx, ...g.designs.map((_, i) => i).filter((i) => i !== bIdx)];
  return mailTable({
    title: `Total swap metadata by share of slots used (${g.cells[0][0].result.inputs.accounting} accounting)`,
    config: gridConfig(g),
    rowLabels: ["static", ...g.usedShares.map((u) => `${fixed(u * 100, 0)}% used`)],
    columns: order.map((di) => ({
      name: g.designs[di],
      values: [g.cells[di][0].result.totals.staticBytes / MiB, ...g.cells[di].map((c) => c.result.totals.bytes / MiB)],
    })),
    decimals: 2,
    better: "lower",
    unit: "MiB",
    deltas: true,
    arithmetic: [
      `Each cell is the sum of the design's structures (swapcost overhead --design <id> itemises them with sources); used = share of the ${intWithSep(g.cells[0][0].result.inputs.usableSlots)} usable slots.`,
    ],
    footnotes: order.map((di) => {
      const src = g.designSources[di];
      return `${g.designs[di]}: ${src ? mailSource(src) : "see swapcost designs " + g.designs[di]}`;
    }),
  });
}

// ---------------------------------------------------------------------------------------------
// Registry listings

export function designsListText(designs: readonly Design[]): string {
  const rows = [["id", "family", "date", "status", "aliases", "title"], ...designs.map((d) => [d.id, d.family, d.date, d.status, d.aliases.join(","), d.title])];
  return alignRows(rows, ["l", "l", "l", "l", "l", "l"]).join("\n") + "\n";
}

export function designInventoryText(d: Design): string {
  const out: string[] = [];
  out.push(`${d.id}: ${d.title}`);
  out.push(`  author ${d.author}; ${d.date}; ${d.status}`);
  out.push(...wrap(d.summary, 96, "    ").map((l) => `  ${l}`));
  out.push(`  devices: ${d.devices.join(", ")}; entries: ${d.entryKinds.join(", ")}; default zswap pool ${d.defaultZpool}`);
  const lay = (w: Record<string, number | undefined>) => Object.entries(w).filter(([, v]) => v).map(([k, v]) => (v === 1 ? k : `${k}x${v}`)).join("+") || "-";
  out.push(`  layers: physical slots held by ${lay(d.layers.physical)}${d.layers.virtual ? `; virtual slots held by ${lay(d.layers.virtual)}` : ""}`);
  if (d.limits.physical) out.push(`  limit (physical): ${d.limits.physical.what}`);
  if (d.limits.virtual) out.push(`  limit (virtual): ${d.limits.virtual.what}`);
  for (const s of d.sources) out.push(`  source: ${citeSource(s)}`);
  out.push("");
  for (const s of d.structures) {
    out.push(`- ${s.name} [${s.id}] ${granularityOf(s)}, ${s.layer}`);
    out.push(...wrap(s.what, 94, "      ").map((l) => `    ${l}`));
    const w = s.when;
    if (w && (w.devices || w.memcg !== undefined || w.zpool)) {
      out.push(`    only when: ${[w.devices ? `device ${w.devices.join("/")}` : "", w.memcg !== undefined ? `memcg ${w.memcg ? "on" : "off"}` : "", w.zpool ? `zpool ${w.zpool}` : ""].filter(Boolean).join(", ")}`);
    }
    if (s.replaces?.length) out.push(`    replaces: ${s.replaces.join(", ")}`);
    const letter = s.letter === null ? "not counted" : (Array.isArray(s.letter) ? s.letter : [s.letter]).map((l) => ("bits" in l ? `${l.bits} bit per slot` : `${l.bytes} B per ${l.per === "clusterInUse" ? "cluster in use" : l.per}`)).join(" + ");
    out.push(`    letters: ${letter}`);
    for (const src of s.sources) out.push(`    source: ${citeSource(src)}`);
    if (s.note) out.push(...wrap(`note: ${s.note}`, 94, "      ").map((l) => `    ${l}`));
  }
  if (d.notes?.length) {
    out.push("");
    for (const n of d.notes) out.push(...wrap(`note: ${n}`, 98, "    ").map((l) => `  ${l}`));
  }
  out.push("");
  out.push(`letter accounting: ${d.letterBasis.note}`);
  for (const s of d.letterBasis.sources) out.push(`  ${citeSource(s)}`);
  return out.join("\n") + "\n";
}

function letterText(s: Design["structures"][number]): string {
  if (s.letter === null) return "not counted";
  const rules = Array.isArray(s.letter) ? s.letter : [s.letter];
  return rules.map((l) => ("bits" in l ? `${l.bits} bit/slot` : `${l.bytes} B/${l.per === "clusterInUse" ? "cluster in use" : l.per}`)).join(" + ");
}

/** Mail rendering of the registry: one line per design. */
export function designsListMail(designs: readonly Design[]): string {
  const notes = new Footnotes();
  const labels = designs.map((d) => `${d.id} ${d.sources[0] ? notes.tag([mailSource(d.sources[0])]) : ""}`.trim());
  return mailDocument({
    title: `The swap designs in ${KIT_NAME} ${KIT_VERSION}`,
    body: mailGrid({
      labels,
      columns: [
        { header: "family", align: "l", cells: designs.map((d) => d.family) },
        { header: "date", align: "l", cells: designs.map((d) => d.date) },
        { header: "status", align: "l", cells: designs.map((d) => d.status) },
      ],
    }),
    notes: ["`swapcost designs <id> --format mail` lists a design's structures with their sources."],
    footnotes: notes.notes,
  });
}

/** Mail rendering of one design's inventory: structures, how each is sized, how the letters count it, sources. */
export function designInventoryMail(d: Design): string {
  const notes = new Footnotes();
  const designTag = notes.tag(d.sources.map(mailSource));
  const labels = d.structures.map((s) => `${ascii(s.name)} ${notes.tag(s.sources.map(mailSource))}`.trim());
  const lay = (w: Record<string, number | undefined>) => Object.entries(w).filter(([, v]) => v).map(([k, v]) => (v === 1 ? k : `${k}x${v}`)).join("+") || "-";
  const config: Array<[string, string]> = [
    ["design", `${d.id}: ${d.title} [${d.status}] ${designTag}`],
    ["author", `${d.author}, ${d.date}`],
    ["devices", d.devices.join(", ")],
    ["entries", d.entryKinds.join(", ")],
    ["layers", `physical slots held by ${lay(d.layers.physical)}${d.layers.virtual ? `; virtual slots held by ${lay(d.layers.virtual)}` : ""}`],
    ["letters", d.letterBasis.note],
    ["kit", `${KIT_NAME} ${KIT_VERSION}`],
  ];
  return mailDocument({
    title: `Swap metadata inventory of ${d.id}`,
    config,
    body: mailGrid({
      labels,
      columns: [
        { header: "sized", align: "l", cells: d.structures.map((s) => granularityOf(s)) },
        { header: "letters count", align: "l", cells: d.structures.map(letterText) },
      ],
    }),
    notes: [...d.structures.filter((s) => s.note).map((s) => `${s.name}: ${s.note}`), ...(d.notes ?? [])],
    footnotes: notes.notes,
  });
}
