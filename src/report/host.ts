/**
 * Text and mail renderings of a host analysis: the inputs read (file by file), devices and usage by
 * backend, the host under each design, per-cgroup use, and what could not be read and why.
 */
import type { CgroupUsage, HostAnalysis } from "../host/analyse.js";
import { HOST_FORMATS } from "../host/formats.js";
import { memcgCgroupsOf, swapoffWorkloadOf } from "../host/model-inputs.js";
import type { MemcgOnHost } from "../host/memcg-on-host.js";
import type { SwapoffOnHost } from "../host/swapoff-on-host.js";
import { methodLabel } from "../models/swapoff.js";
import { swapoffCompareText } from "./swapoff.js";
import type { Limit } from "../host/parse.js";
import { citeSource } from "../kernel/sources.js";
import { describeOccupancy } from "../models/occupancy.js";
import { formatBytes } from "../units/bytes.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { alignRows, fixed, intWithSep, mib, wrap } from "./format.js";
import { configBlock, finish, footnoteLines, mailSource, MAIL_WIDTH } from "./mail.js";

export interface HostTextOptions {
  /** Cgroups shown in the text table (all are in the JSON). */
  readonly topCgroups?: number;
  /** The memcg model run on the host's cgroups (src/host/memcg-on-host.ts). */
  readonly memcg?: MemcgOnHost;
  /** The swapoff model run on the host's devices (src/host/swapoff-on-host.ts). */
  readonly swapoff?: SwapoffOnHost;
}

function originText(a: HostAnalysis): string {
  if (a.origin === "/") return "the live host (/)";
  return `snapshot ${a.origin}${a.capturedAt ? ` (captured ${a.capturedAt})` : ""}`;
}

function baselineText(a: HostAnalysis): string {
  if (!a.baseline) return "unknown (no kernel release): no baseline";
  if (a.baseline.match === "chosen") return `${a.baseline.design} (chosen with --baseline)`;
  return `${a.kernel.release} -> baseline ${a.baseline.design} (${a.baseline.match}: ${a.baseline.why})`;
}

function limitText(l: Limit | null): string {
  if (l === null) return "-";
  return l === "max" ? "max" : formatBytes(l, 1).replace(" ", "");
}

function ratio(r: number | null): string {
  return r === null ? "-" : fixed(r, 2);
}

export function usageLine(a: HostAnalysis): string {
  const u = a.usage;
  const used = u.disk + u.zswap + u.zero + u.cache;
  return `${intWithSep(used)} entries: zswap ${intWithSep(u.zswap)}, zero ${intWithSep(u.zero)}, cache ${intWithSep(u.cache)}, disk ${intWithSep(u.disk)}`;
}

function designRows(a: HostAnalysis): string[][] {
  const base = a.baseline?.design;
  const sc = a.scattered ? new Map(a.scattered.map((d) => [d.id, d])) : null;
  const head = ["design", "status", "devices", "static MiB", "dynamic MiB", "total MiB", `saving vs ${base ?? "baseline"} MiB`, "rank", ...(sc ? ["scattered: total MiB", "rank"] : [])];
  const rows = [head];
  for (const d of a.designs.filter((x) => x.runnable)) {
    const r = sc?.get(d.id);
    rows.push([
      d.id === base ? `${d.id} *` : d.id,
      d.status,
      d.devices.length ? [...new Set(d.devices)].join(",") : "-",
      mib(d.totals!.staticBytes, 3),
      mib(d.totals!.dynamicBytes, 3),
      mib(d.totals!.bytes, 3),
      d.savingBytes === null ? "-" : `${d.savingBytes > 0 ? "+" : ""}${mib(d.savingBytes, 3)}`,
      String(d.rank),
      ...(sc ? [r?.totals ? mib(r.totals.bytes, 3) : "-", r?.rank ? String(r.rank) : "-"] : []),
    ]);
  }
  return rows;
}

function cgroupRows(groups: readonly CgroupUsage[]): string[][] {
  const rows = [["cgroup", "memory.current", "swap.current", "zswap.current", "zswapped", "ratio", "slots", "not in zswap", "swap.max", "zswap.max", "at limit"]];
  for (const g of groups) {
    const b = (n: number | null) => (n === null ? "-" : formatBytes(n, 1).replace(" ", ""));
    rows.push([
      g.path,
      b(g.memoryCurrent),
      b(g.swapCurrent),
      b(g.zswapCurrent),
      b(g.zswappedBytes),
      ratio(g.ratio),
      g.slotsCharged === null ? "-" : intWithSep(g.slotsCharged),
      g.slotsNotInZswap === null ? "-" : intWithSep(g.slotsNotInZswap),
      limitText(g.swapMax),
      limitText(g.zswapMax),
      g.atLimit.join(",") || "-",
    ]);
  }
  return rows;
}

/** Groups worth a line: those with swap or zswap in use, largest memory.swap.current first. */
export function swappingCgroups(a: HostAnalysis): CgroupUsage[] {
  return a.cgroups.groups
    .filter((g) => (g.swapCurrent ?? 0) > 0 || (g.zswapCurrent ?? 0) > 0 || (g.zswappedBytes ?? 0) > 0)
    .sort((x, y) => (y.swapCurrent ?? 0) - (x.swapCurrent ?? 0) || (x.path < y.path ? -1 : 1));
}

function formatSources(): string[] {
  const out: string[] = [];
  for (const [kind, f] of Object.entries(HOST_FORMATS)) {
    if (kind === "swapBacking") continue;
    out.push(`${f.what}: ${f.sources.map(citeSource).join("; ")}`);
  }
  return out;
}

export function hostText(a: HostAnalysis, opts: HostTextOptions = {}): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} host: ${originText(a)}`);
  const cfg: [string, string][] = [
    ["kernel", baselineText(a)],
    ["CPUs", `${a.cpus.value} possible (${a.cpus.from})`],
    ["memcg", `${a.memcg.value ? "on" : "off"} (${a.memcg.from})`],
    ["memory", a.memTotalBytes === null ? "unknown" : `${formatBytes(a.memTotalBytes)} (MemTotal)`],
    ["model", `${a.accounting} accounting; occupancy ${describeOccupancy(a.occupancy)}${a.occupancy.kind === "packed" ? " (where entries sit is not visible from these files: packed gives per-cluster tables at their fewest, --occupancy random the scattered case)" : ""}; x86_64, 4 KiB pages`],
  ];
  for (const [k, v] of cfg) out.push(`  ${k.padEnd(7)} ${v}`);
  out.push("");
  out.push("inputs read:");
  const fw = Math.min(36, Math.max(...a.inputs.map((i) => i.file.length)));
  for (const i of a.inputs) {
    const head = `  ${i.file.padEnd(fw)}  `;
    wrap(i.what, 108 - head.length).forEach((x, j) => out.push(j === 0 ? head + x : " ".repeat(head.length) + x));
  }
  out.push("");

  const b = a.backends;
  if (a.devices.length === 0) {
    out.push("swap: none. This host has no swap device, so no page can be swapped and every design's swap metadata is 0 here.");
  } else {
    out.push("swap devices and usage by backend (entries of 4 KiB):");
    const rows = [["device", "kind", "size", "used", "zswap", "zero", "cache", "disk"]];
    for (const d of a.devices) {
      rows.push([d.path, d.kind, formatBytes(d.swapSizeBytes), intWithSep(d.usedPages), intWithSep(d.usage.zswap), intWithSep(d.usage.zero), intWithSep(d.usage.cache), intWithSep(d.usage.disk)]);
    }
    if (a.devices.length > 1) {
      const u = a.usage;
      rows.push(["total", "", formatBytes(a.devices.reduce((s, d) => s + d.swapSizeBytes, 0)), intWithSep(b.swapUsedPages), intWithSep(u.zswap), intWithSep(u.zero), intWithSep(u.cache), intWithSep(u.disk)]);
    }
    for (const l of alignRows(rows, ["l", "l", "r", "r", "r", "r", "r", "r"])) out.push(`  ${l}`);
    for (const d of a.devices) {
      out.push(`  ${d.path}: kind from ${d.kindFrom}; model size (usable ${intWithSep(d.usablePages)} + 1 header page) x 4096 B (bad pages, not shown by /proc/swaps, taken as 0)`);
      for (const s of d.split) out.push(...wrap(`${d.path}: ${s}`, 106, "      ").map((x) => `  ${x}`));
    }
  }
  const z = b.zswap;
  if (z.enabled === null) out.push("  zswap: not in this kernel");
  else {
    const parts = [`zswap ${z.enabled ? "on" : "off"}`, `compressor ${z.compressor ?? "?"}`, `zpool ${z.zpool ?? "(no zpool parameter: zsmalloc, the only allocator since 6.15, see sources)"}`];
    if (z.storedPages) parts.push(`stored ${intWithSep(z.storedPages.value)} pages (${z.storedPages.from})`);
    if (z.sameFilledPages) parts.push(`same-filled ${intWithSep(z.sameFilledPages.value)}`);
    if (z.poolBytes) parts.push(`pool ${formatBytes(z.poolBytes.value)} (${z.poolBytes.from})`);
    if (z.poolRatio) parts.push(`compression ratio ${fixed(z.poolRatio.value, 2)} = ${z.poolRatio.from}`);
    if (z.writtenBackPages) parts.push(`written back since boot ${intWithSep(z.writtenBackPages.value)} pages (${z.writtenBackPages.from})`);
    out.push(...wrap(parts.join("; "), 106, "      ").map((x) => `  ${x}`));
  }
  for (const zr of b.zram) {
    out.push(
      ...wrap(
        `${zr.name}${zr.swapDevice ? " (swap device)" : " (not used for swap)"}: disksize ${zr.disksizeBytes === null ? "?" : formatBytes(zr.disksizeBytes)}; stored ${zr.origBytes === null ? "?" : formatBytes(zr.origBytes)} as ${zr.comprBytes === null ? "?" : formatBytes(zr.comprBytes)} compressed (ratio ${ratio(zr.ratio)}), ${zr.memUsedBytes === null ? "?" : formatBytes(zr.memUsedBytes)} used with allocator overhead (ratio ${ratio(zr.memRatio)}); same_pages ${zr.samePages ?? "?"}`,
        106,
        "      ",
      ).map((x) => `  ${x}`),
    );
  }
  if (b.swapCachedPages) out.push(`  swap cache: ${intWithSep(b.swapCachedPages.value)} pages (${b.swapCachedPages.from})`);
  out.push(...wrap(`zero entries: ${b.zeroNote}`, 106, "      ").map((x) => `  ${x}`));
  if (a.devices.length) out.push(...wrap(`written-back share of disk entries: ${fixed(b.writebackShare.value * 100, 1)}% (${b.writebackShare.from})`, 106, "      ").map((x) => `  ${x}`));
  out.push("");

  const runnable = a.designs.filter((d) => d.runnable);
  if (a.devices.length === 0 && runnable.every((d) => d.totals!.bytes === 0)) {
    out.push(`this host under each design: 0 B for all ${runnable.length} designs (no swap device: no static arrays, no entries); --format json lists them`);
  } else {
    out.push(`this host under each design (${a.accounting} accounting, MiB; lower is better; * = this kernel's design):`);
    for (const l of alignRows(designRows(a), ["l", "l", "l", "r", "r", "r", "r", "r", "r", "r"])) out.push(`  ${l}`);
    if (a.scattered) out.push("  scattered: the same entries spread uniformly over the clusters of each layer (--occupancy random), an upper bound; real placement lies between: per-CPU cluster allocation packs, frees over a long uptime scatter");
  }
  const notRun = a.designs.filter((d) => !d.runnable);
  if (notRun.length) {
    out.push("  not runnable on this host:");
    for (const d of notRun) out.push(...wrap(`${d.id}: ${d.reason}`, 104, "      ").map((x) => `    ${x}`));
  }
  if (a.devices.length) out.push(`  per structure: --format json has every design's rows per device (swapcost overhead itemises one device)`);
  out.push("");

  if (a.cgroups.hierarchy === "v2") {
    const sw = swappingCgroups(a);
    const top = opts.topCgroups ?? 15;
    out.push(`cgroups (v2 at ${a.cgroups.mount ?? "?"}; ${a.cgroups.groups.length} groups, ${sw.length} using swap or zswap; a parent's counters include its children):`);
    if (sw.length === 0) out.push("  no group has swap or zswap in use");
    else {
      for (const l of alignRows(cgroupRows(sw.slice(0, top)), ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "l"])) out.push(`  ${l}`);
      if (sw.length > top) out.push(`  ... ${sw.length - top} more (--top-cgroups N, or --format json for all)`);
      out.push("  slots = memory.swap.current / 4096 (mainline charges one slot per swapped page, zswap included); not in zswap = slots - zswapped / 4096; ratio = zswapped / zswap");
    }
  } else out.push(`cgroups: ${a.cgroups.hierarchy === "v1" ? "memory controller on cgroup v1 (see below)" : "no cgroup v2 memory controller (see below)"}`);
  out.push("");

  if (opts.memcg) out.push(...memcgSection(a, opts.memcg), "");
  if (opts.swapoff) out.push(...swapoffSection(opts.swapoff), "");
  if (!opts.memcg || !opts.swapoff) {
    const mi = memcgCgroupsOf(a);
    const leaves = mi.cgroups.filter((c) => c.workload);
    const sw = swapoffWorkloadOf(a);
    out.push("inputs for the charging and swapoff models (--format json: modelInputs):");
    if (!opts.memcg) {
      out.push(
        ...wrap(
          leaves.length
            ? `memcg: ${mi.cgroups.length} cgroups, ${leaves.length} leaves replaying ${intWithSep(leaves.reduce((s, c) => s + c.workload!.anonBytes / 4096, 0))} swapped pages with their limits and charged compression ratios`
            : `memcg: ${mi.notes[0] ?? "no input"}`,
          106,
          "      ",
        ).map((x) => `  ${x}`),
      );
    }
    if (!opts.swapoff) {
      out.push(
        ...wrap(
          sw.workload
            ? `swapoff: ${sw.workload.processes} processes hold swap, their page tables span at most ${formatBytes(sw.workload.mappedBytes)} (${sw.workload.idleProcesses} other processes, never walked); per device, the entries above`
            : `swapoff: ${sw.notes[0]}`,
          106,
          "      ",
        ).map((x) => `  ${x}`),
      );
    }
    out.push("");
  }

  if (a.degraded.length) {
    out.push("what could not be read or known, and why:");
    for (const d of a.degraded) out.push(...wrap(`${d.area}: ${d.reason}`, 104, "    ").map((x, i) => (i === 0 ? `  - ${x}` : `  ${x}`)));
    out.push("");
  }
  out.push("sources:");
  if (a.baseline && a.baseline.sourcesText.length) out.push(`  baseline: ${a.baseline.sourcesText.join("; ")}`);
  for (const f of formatSources()) out.push(...wrap(f, 106, "      ").map((x) => `  ${x}`));
  out.push(`  design structures: swapcost designs <id>`);
  return out.join("\n") + "\n";
}

/** The 72-column table "this host under each design" for a linux-mm reply (and the charging table when the memcg model ran). */
export function hostMail(a: HostAnalysis, opts: { readonly memcg?: MemcgOnHost; readonly swapoff?: SwapoffOnHost } = {}): string {
  const lines: string[] = [];
  const base = a.baseline?.design;
  lines.push(...wrap(`Swap metadata of this host under each design (${a.accounting} accounting)`, MAIL_WIDTH));
  lines.push("");
  const devs = a.devices.length
    ? a.devices.map((d) => `${d.path} ${d.kind} ${formatBytes(d.swapSizeBytes)}, ${intWithSep(d.usedPages)} used`).join("; ")
    : "none (no swap on this host: every design costs 0)";
  const z = a.backends.zswap;
  const cfg: [string, string][] = [
    ["host", a.origin === "/" ? "live host" : `snapshot ${a.capturedAt ? `captured ${a.capturedAt}` : ""}`.trim()],
    ["kernel", a.kernel.release ?? "unknown"],
    ["baseline", base ? `${base} (${a.baseline!.match})` : "none"],
    ["swap", devs],
    ["used", usageLine(a)],
    ["zswap", z.enabled === null ? "not in this kernel" : `${z.enabled ? "on" : "off"}, ${z.compressor ?? "?"}/${z.zpool ?? "zsmalloc"}${z.poolRatio ? `, ratio ${fixed(z.poolRatio.value, 2)}` : ""}`],
    ["CPUs, memcg", `${a.cpus.value} possible, memcg ${a.memcg.value ? "on" : "off"}`],
    ["occupancy", describeOccupancy(a.occupancy)],
    ["kit", `${KIT_NAME} ${KIT_VERSION}`],
  ];
  lines.push(...configBlock(cfg));
  lines.push("");
  const run = a.designs.filter((d) => d.runnable);
  const sc = a.scattered ? new Map(a.scattered.map((d) => [d.id, d])) : null;
  const rows: string[][] = [["", "static", "dynamic", "total", base ? "saving" : "", ...(sc ? ["scattered"] : [])]];
  for (const d of run) {
    const label = d.id === base ? `${d.id} *` : d.id;
    const s = sc?.get(d.id)?.totals;
    rows.push([label, mib(d.totals!.staticBytes, 2), mib(d.totals!.dynamicBytes, 2), mib(d.totals!.bytes, 2), d.savingBytes === null ? "" : `${d.savingBytes > 0 ? "+" : ""}${mib(d.savingBytes, 2)}`, ...(sc ? [s ? mib(s.bytes, 2) : "-"] : [])]);
  }
  lines.push(`MiB, lower is better; saving = ${base ?? "baseline"} total - design total`);
  lines.push(...alignRows(rows, ["l", "r", "r", "r", "r", "r"]));
  if (sc) lines.push(...wrap("scattered = total with the same entries spread uniformly over the clusters (an upper bound for per-cluster tables; the other columns assume packed clusters)", MAIL_WIDTH));
  const notRun = a.designs.filter((d) => !d.runnable);
  if (notRun.length) {
    lines.push("");
    for (const d of notRun) lines.push(...wrap(`${d.id}: not runnable here, ${d.reason}`, MAIL_WIDTH, "  "));
  }
  lines.push("");
  lines.push(...wrap("Each total sums the design's structures per swap device, with the device sizes and entries above (swapcost overhead itemises one device); * = the design of this host's kernel.", MAIL_WIDTH));
  const m = opts.memcg;
  if (m && !m.skipped && m.rows.length) {
    const ids = m.results.map((r) => r.design);
    lines.push("");
    lines.push(...wrap("memory.swap.current per cgroup (MiB): read on the host, and what each design's charging rules give for the same pages (memcg model)", MAIL_WIDTH));
    // blocks of design columns that fit 72 columns, each repeating the cgroup and read columns
    const label = (p: string) => (p.length > 18 ? "~" + p.slice(-17) : p);
    const cell = (v: number | null | undefined) => (v === null || v === undefined ? "-" : fixed(v / 1048576, 1));
    const block = (some: readonly string[]) => {
      const rows = [["", "read", ...some.map((id) => (id === base ? `${id} *` : id))]];
      for (const r of m.rows) rows.push([label(r.cgroup), cell(r.read.swapCurrent), ...some.map((id) => cell(r.designs[id]?.swapCurrent))]);
      return alignRows(rows, ["l", "r", ...some.map(() => "r" as const)]);
    };
    let chunk: string[] = [];
    const blocks: string[][] = [];
    for (const id of ids) {
      const next = [...chunk, id];
      if (chunk.length && Math.max(...block(next).map((l) => l.length)) > MAIL_WIDTH) {
        blocks.push(chunk);
        chunk = [id];
      } else chunk = next;
    }
    if (chunk.length) blocks.push(chunk);
    blocks.forEach((b, i) => {
      if (i) lines.push("");
      lines.push(...block(b));
    });
    lines.push(...wrap("* replays the host's own counters; the charging rules and their sources: swapcost memcg --designs " + ids.join(","), MAIL_WIDTH));
  }
  if (opts.swapoff) {
    const so = swapoffMailLines(opts.swapoff, base);
    if (so.length) lines.push("", ...so);
  }
  const notes: string[] = [];
  if (a.baseline && a.baseline.sources.length) notes.push(`baseline: ${a.baseline.sources.map(mailSource).join("; ")}`);
  for (const k of ["swaps", "meminfo", "zswapDebug", "cgroupStat"] as const) notes.push(`${HOST_FORMATS[k].sources.map(mailSource).join("; ")}`);
  lines.push("");
  lines.push(...footnoteLines(notes));
  return finish(lines);
}

const COUNTERS = [
  ["memory.swap.current", "swapCurrent"],
  ["memory.zswap.current", "zswapCurrent"],
  ["memory.current", "memoryCurrent"],
] as const;

/** Charging per cgroup: what the host read, and what the memcg model says each design would charge. */
export function memcgSection(a: HostAnalysis, m: MemcgOnHost): string[] {
  const out: string[] = [];
  if (m.skipped) {
    out.push(`charging per cgroup under each design: not modelled (${m.skipped})`);
    return out;
  }
  const base = a.baseline?.design;
  const ids = m.results.map((r) => r.design);
  out.push("charging per cgroup under each design (MiB; the memcg model replays the pages each leaf has out now, with its limits):");
  const head = ["cgroup", "counter", "read", ...ids.map((id) => (id === base ? `${id} *` : id))];
  const rows: string[][] = [head];
  const b = (n: number | null | undefined) => (n === null || n === undefined ? "-" : fixed(n / 1048576, 1));
  for (const r of m.rows) {
    COUNTERS.forEach(([name, key], i) => rows.push([i === 0 ? r.cgroup : "", name, b(r.read[key]), ...ids.map((id) => b(r.designs[id]?.[key]))]));
    const bit = ids.map((id) => r.designs[id]?.limitsHit.join("+") || "-");
    if (bit.some((x) => x !== "-")) rows.push(["", "limits that bit", "", ...bit]);
  }
  for (const l of alignRows(rows, ["l", "l", "r", ...ids.map(() => "r" as const)])) out.push(`  ${l}`);
  for (const r of m.results.filter((x) => x.reason)) out.push(...wrap(`${r.design}: not modelled: ${r.reason}`, 104, "    ").map((x) => `  ${x}`));
  out.push(
    ...wrap(
      `read = the host's counters; * = this kernel's design, whose replay should give them back (memory.current includes the non-anon charge as read). Charging rules and their sources: swapcost memcg --designs ${ids.join(",")} --anon 1G --compression-ratio 3; every leaf's replayed workload and where each value comes from: --format json (memcg.cgroups[].from).`,
      106,
      "  ",
    ).map((x) => `  ${x}`),
  );
  return out;
}

/** Swapping each device off under each design: work and estimated time (the swapoff model's output, per device). */
export function swapoffSection(so: SwapoffOnHost): string[] {
  const out: string[] = [];
  if (so.skipped) {
    out.push(`swapoff under each design: not modelled (${so.skipped})`);
    return out;
  }
  out.push("swapoff of each device under each design (the swapoff model; its timings are stated assumptions, the counts follow the code paths):");
  for (const f of so.workloadFrom) out.push(...wrap(`workload: ${f}`, 104, "    ").map((x) => `  ${x}`));
  for (const n of so.notes) out.push(...wrap(n, 104, "    ").map((x) => `  ${x}`));
  for (const d of so.devices) {
    out.push(`  ${d.path}:`);
    if (d.results.length) for (const l of swapoffCompareText(d.results).trimEnd().split("\n")) out.push(l ? `    ${l}` : "");
    for (const k of d.skipped) out.push(...wrap(`${k.design}: not modelled: ${k.reason}`, 102, "      ").map((x) => `    ${x}`));
  }
  return out;
}

/** The mail block of swapoffSection: per device, work and estimated time per design. */
export function swapoffMailLines(so: SwapoffOnHost, base: string | undefined): string[] {
  const lines: string[] = [];
  if (so.skipped || so.devices.every((d) => d.results.length === 0)) return lines;
  lines.push(...wrap("swapoff of each device (swapoff model: counts follow the code paths, timings are its default assumptions)", MAIL_WIDTH));
  for (const d of so.devices) {
    if (!d.results.length) continue;
    lines.push(`${d.path}:`);
    const rows = [["", "method", "PTEs(M)", "swap-ins(M)", "real s"]];
    for (const r of d.results) rows.push([r.design.id === base ? `${r.design.id} *` : r.design.id, methodLabel(r).replace(" (nothing to do)", ""), fixed(r.work.ptesScanned / 1e6, 2), fixed(r.work.swapIns / 1e6, 2), fixed(r.estimate.realNs / 1e9, 2)]);
    lines.push(...alignRows(rows, ["l", "l", "r", "r", "r"]).map((l) => `  ${l}`));
  }
  return lines;
}
