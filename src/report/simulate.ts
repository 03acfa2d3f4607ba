/**
 * Renderings of a simulation run: terminal text, JSON, tidy CSV (one value per line, for
 * DataFrames), and a 72-column mail table of bytes per live entry per design.
 */
import type { SimRunResult, SimSample } from "../sim/run.js";
import { formatSizeExact } from "../units/bytes.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { alignRows, fixed, intWithSep, mib, perUnit } from "./format.js";
import { findSpec, resolveDesign } from "../designs/registry.js";
import type { Design } from "../designs/types.js";
import { citeSource, k, type Source } from "../kernel/sources.js";
import { Footnotes, mailSource, mailTable } from "./mail.js";

function paramsText(r: SimRunResult): string {
  const p = Object.entries(r.config.params);
  return `${r.config.workload}${p.length ? "," + p.map(([k, v]) => `${k}=${v}`).join(",") : ""}`;
}

function mixText(r: SimRunResult): string {
  const m = r.config.mix;
  const parts = (["zswap", "zero", "disk"] as const).filter((k) => m[k] > 0).map((k) => `${k} ${fixed(m[k] * 100, 0)}%`);
  return `${parts.join(", ")}${r.config.writebackRate > 0 ? `; ${fixed(r.config.writebackRate * 100, 0)}% of zswap swap-outs followed by one writeback` : ""}`;
}

export function simulateConfig(r: SimRunResult): Array<[string, string]> {
  const c = r.config;
  const live = r.samples.length ? r.samples[r.samples.length - 1].live : 0;
  return [
    ["workload", `${paramsText(r)} (seed ${c.seed})`],
    ["device", `${formatSizeExact(c.swapSizeBytes)} = ${intWithSep(c.slots)} slots (${intWithSep(c.usableSlots)} usable), ${c.cpus} CPUs`],
    ["target", `${fixed(c.usedShare * 100, 2)}% of usable slots; backends ${mixText(r)}`],
    ["events", `${intWithSep(r.counters.events)} (${intWithSep(r.counters.swapOuts)} swap-outs, ${intWithSep(r.counters.swapIns)} swap-ins, ${intWithSep(r.counters.frees)} frees, ${intWithSep(r.counters.dups)} forks, ${intWithSep(r.counters.writebacks)} writebacks, ${intWithSep(r.counters.swapoffs)} swapoffs)`],
    ["live at end", `${intWithSep(live)} entries = ${fixed((live / Math.max(1, c.usableSlots)) * 100, 2)}% (zswap ${intWithSep(r.usage.zswap)}, zero ${intWithSep(r.usage.zero)}, disk ${intWithSep(r.usage.disk)}, ${fixed(r.writebackShare * 100, 0)}% of disk by writeback)`],
    ["layers", c.layers.join(", ")],
    ["pricing", `kernel accounting, memcg ${c.memcg ? "on" : "off"}; each design's registry rules over its layers' measured in-use chunks`],
    ["kit", `${KIT_NAME} ${KIT_VERSION}`],
  ];
}

/** Terminal rendering. */
export function simulateText(r: SimRunResult): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} simulate: ${paramsText(r)}`);
  for (const [k, v] of simulateConfig(r)) out.push(`  ${k.padEnd(11)} ${v}`);
  out.push("");
  out.push("layers at the end (clusters of 512 slots):");
  const lrows = [["layer", "live", "in use", "existing", "mean/in-use", "created", "freed", "failed", "unplaced"]];
  for (const l of r.layers) {
    lrows.push([
      l.id,
      intWithSep(l.live),
      intWithSep(l.histogram.inUse),
      intWithSep(l.histogram.existing),
      fixed(l.histogram.meanPerInUse, 1),
      l.clustersCreated === undefined ? "-" : intWithSep(l.clustersCreated),
      l.clustersReleased === undefined ? "-" : intWithSep(l.clustersReleased),
      intWithSep(l.failures),
      intWithSep(l.unplaced),
    ]);
  }
  for (const line of alignRows(lrows, ["l", "r", "r", "r", "r", "r", "r", "r", "r"])) out.push(`  ${line}`);
  out.push("");
  out.push("cluster occupancy histogram (existing clusters by live entries):");
  const ub = r.layers[0]?.histogram.upperBounds ?? [];
  const hrows = [["layer", ...ub.map((b, i) => (i === 0 ? "0" : `<=${b}`))]];
  for (const l of r.layers) hrows.push([l.id, ...l.histogram.clusters.map((n) => String(n))]);
  for (const line of alignRows(hrows, ["l", ...ub.map(() => "r" as const)], 1)) out.push(`  ${line}`);
  out.push("");
  out.push("designs at the end: dynamic metadata (MiB) and total bytes per live entry");
  const drows = [["design", "layers", "dyn sim", "dyn packed", "dyn random", "B/entry sim", "packed", "random", "sim/packed"]];
  for (const d of r.designs) {
    const layers = [d.virtual, d.physical].filter(Boolean).join("+");
    if (!d.cost) {
      drows.push([d.id, layers, "-", "-", "-", "-", "-", "-", d.skipped ? "skipped" : ""]);
      continue;
    }
    const c = d.cost;
    drows.push([
      d.id,
      layers,
      mib(c.measured.dynamicBytes, 3),
      mib(c.packed.dynamicBytes, 3),
      mib(c.random.dynamicBytes, 3),
      perUnit(c.measured.bytesPerLiveEntry, 2),
      perUnit(c.packed.bytesPerLiveEntry, 2),
      perUnit(c.random.bytesPerLiveEntry, 2),
      c.packed.bytes > 0 ? fixed(c.measured.bytes / c.packed.bytes, 3) : "-",
    ]);
  }
  for (const line of alignRows(drows, ["l", "l", "r", "r", "r", "r", "r", "r", "r"])) out.push(`  ${line}`);
  const skipped = r.designs.filter((d) => d.skipped);
  for (const d of skipped) out.push(`  (${d.skipped})`);
  if (r.samples.length > 1) {
    out.push("");
    out.push("time series: total bytes per live entry (simulated placement)");
    const priced = r.designs.filter((d) => d.cost);
    const preferred = ["linux-7.1", "swap-table-p4", "ghost-p4", "redirect", "vswap-v6", "vswap-ste-v2"];
    const shown = priced.length <= 6 ? priced : [...priced.filter((d) => preferred.includes(d.id)), ...priced.filter((d) => !preferred.includes(d.id))].slice(0, 6);
    if (shown.length < priced.length) out.push(`  (${shown.length} of ${priced.length} designs; --format csv has every design at every sample)`);
    const pick = thin(r.samples, 12);
    const trows = [["event", "live", ...shown.map((d) => d.id)]];
    for (const s of pick) trows.push([intWithSep(s.event), intWithSep(s.live), ...shown.map((d) => perUnit(s.designs[d.id]?.measured.bytesPerLiveEntry ?? null, 2))]);
    for (const line of alignRows(trows, ["r", "r", ...shown.map(() => "r" as const)])) out.push(`  ${line}`);
  }
  out.push("");
  out.push("placement of each design's layers:");
  for (const d of r.designs) out.push(`  ${d.id}: ${[d.virtual ? `virtual=${d.virtual}` : "", d.physical ? `physical=${d.physical}` : ""].filter(Boolean).join(", ") || "none"} on ${d.device}: ${d.placement}`);
  return out.join("\n") + "\n";
}

function thin<T>(xs: readonly T[], n: number): T[] {
  if (xs.length <= n) return [...xs];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.round((i * (xs.length - 1)) / (n - 1))]);
  return out;
}

/** JSON rendering: the whole result (config, counters, samples, layers with histograms and measurements, designs). */
export function simulateJson(r: SimRunResult): string {
  return JSON.stringify(r, null, 2) + "\n";
}

/**
 * Tidy CSV: `event,subject,metric,value`, one measurement per line (subjects: `all`, a layer id,
 * or a design id).
 */
export function simulateCsv(r: SimRunResult): string {
  const lines = ["event,subject,metric,value"];
  const put = (s: SimSample, subject: string, metric: string, value: number | null) => {
    if (value !== null) lines.push(`${s.event},${subject},${metric},${value}`);
  };
  for (const s of r.samples) {
    put(s, "all", "live", s.live);
    for (const [k, v] of Object.entries(s.byKind)) put(s, "all", `live_${k}`, v);
    for (const [id, l] of Object.entries(s.layers)) {
      if (!l) continue;
      put(s, id, "live", l.live);
      put(s, id, "clusters_in_use", l.clustersInUse);
      put(s, id, "clusters_existing", l.clustersExisting);
    }
    for (const [id, d] of Object.entries(s.designs)) {
      if (!d) continue;
      put(s, id, "dynamic_bytes", d.measured.dynamicBytes);
      put(s, id, "static_bytes", d.measured.staticBytes);
      put(s, id, "bytes", d.measured.bytes);
      put(s, id, "bytes_per_live_entry", d.measured.bytesPerLiveEntry);
      put(s, id, "packed_dynamic_bytes", d.packed.dynamicBytes);
      put(s, id, "random_dynamic_bytes", d.random.dynamicBytes);
      put(s, id, "packed_bytes_per_live_entry", d.packed.bytesPerLiveEntry);
      put(s, id, "random_bytes_per_live_entry", d.random.bytesPerLiveEntry);
    }
  }
  return lines.join("\n") + "\n";
}

/** The kernel allocator code each simulator layer follows (src/sim/swapfile-layer.ts, src/sim/vswap-layer.ts). */
const SWAPFILE_ALLOCATOR = `${citeSource(k("deb-7.2", "mm/swapfile.c", "1361", "swap_alloc_fast"))}, :1092 cluster_alloc_swap_entry, :964 alloc_swap_scan_cluster, :759 relocate_cluster, :1909 __swap_cluster_free_entries (Debian linux-source-7.2 7.2.13-1; the cluster allocator is the same since 6.19): the slot allocator of the simulated device (src/sim/swapfile-layer.ts)`;
const DYNAMIC_ALLOCATOR = "alloc_swap_scan_dynamic: clusters created on demand and freed when empty (Swap Table Edition RFC patch 2; swap table P4 RFC patch 15 for the ghost device), the dynamic layer (src/sim/swapfile-layer.ts)";
const VSWAP_ALLOCATOR = "vswap mm/vswap.c folio_alloc_swap, vswap_alloc_from_cluster, release_vswap_slot_nr (Nhat Pham's Virtual Swap Space v6; 0-day CI branch intel-lab-lkp/linux 03fb548d5974): the virtual layer (src/sim/vswap-layer.ts)";

/** The first source of a design: from `designs` (custom ones included), else the registry. */
function designSource(id: string, designs: readonly Design[]): Source | undefined {
  const d = designs.find((x) => x.id === id) ?? (findSpec(id) ? resolveDesign(id) : undefined);
  return d?.sources[0];
}

/**
 * Mail table: total bytes per live entry per design, packed (the published tables' assumption)
 * first; numbered footnotes cite the kernel allocator code each simulated layer follows and each
 * design's source (`designs`: the designs run, for custom ones; registry designs are found by id).
 */
export function simulateMail(r: SimRunResult, designs: readonly Design[] = []): string {
  const shown = r.designs.filter((d) => d.cost);
  const notes = new Footnotes();
  const layers = new Set(r.config.layers);
  const allocators = [SWAPFILE_ALLOCATOR, ...(layers.has("dynamic") ? [DYNAMIC_ALLOCATOR] : []), ...(layers.has("vswap") ? [VSWAP_ALLOCATOR] : [])];
  const allocTag = notes.tag(allocators);
  const labels = shown.map((d) => {
    const src = designSource(d.id, designs);
    return src ? `${d.id} ${notes.tag([`${d.id}: ${mailSource(src)}`])}` : d.id;
  });
  return mailTable({
    title: `Swap metadata per live entry under a simulated ${r.config.workload} workload`,
    config: simulateConfig(r).filter(([k]) => k !== "pricing"),
    rowLabels: labels,
    columns: [
      { name: "packed", values: shown.map((d) => d.cost!.packed.bytesPerLiveEntry) },
      { name: "simulated", values: shown.map((d) => d.cost!.measured.bytesPerLiveEntry) },
      { name: "random", values: shown.map((d) => d.cost!.random.bytesPerLiveEntry) },
    ],
    decimals: 2,
    better: "lower",
    unit: "bytes per live entry (static + dynamic)",
    deltas: true,
    arithmetic: [
      `packed: entries fill clusters in order (the published tables); random: each slot used independently, C*(1-(1-u)^512) clusters in use; simulated: the kernel allocators' placement under this workload ${allocTag}.`,
      "Every value applies the design's own structure sizes to the in-use 64/512/4096/16384-slot chunks of each of its layers; `swapcost designs <id>` lists every structure with its source.",
    ],
    notes: r.designs.filter((d) => d.skipped).map((d) => `not shown: ${d.skipped}`),
    footnotes: notes.notes,
  });
}
