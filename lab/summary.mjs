// Markdown summary of the lab tables (data/lab/SUMMARY.md): medians over repetitions, the static
// cost split by allocation, zswap charged vs real, swapoff trends. Generated; do not edit.
// `node lab/summary.mjs [data/lab]` prints it; lab.mjs writes it after each run.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function readCsv(file) {
  if (!existsSync(file)) return null;
  const header = {};
  let cols = null;
  const rows = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    if (line.startsWith("#")) {
      const b = line.slice(1).trim(), i = b.indexOf(": ");
      if (i > 0) header[b.slice(0, i)] = b.slice(i + 2);
      continue;
    }
    const cells = line.split(",");
    if (!cols) { cols = cells; continue; }
    const r = {};
    cols.forEach((c, i) => { r[c] = cells[i] !== "" && !Number.isNaN(Number(cells[i])) ? Number(cells[i]) : cells[i]; });
    rows.push(r);
  }
  return { header, rows };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mib = (b) => (b / 2 ** 20).toFixed(2);
const table = (head, rows) => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

function staticSection(k, dir) {
  const t = readCsv(path.join(dir, "static.csv"));
  if (!t) return "";
  const out = [];
  const sizes = [...new Set(t.rows.map((r) => r.size_gib))].sort((a, b) => a - b);
  const cases = [["on", "hdd"], ["on", "ssd"], ["off", "hdd"], ["off", "ssd"]];
  const bps = (memcg, kind, s) => {
    const g = t.rows.filter((r) => r.memcg === memcg && r.kind === kind && r.size_gib === s && r.rc === 0);
    if (!g.length) return null;
    const costs = g.map((r) => r.cost_bytes);
    return { med: median(costs), min: Math.min(...costs), max: Math.max(...costs), slots: g[0].slots, g };
  };
  out.push(`### ${k}: static cost of swapon, bytes per slot (median of ${t.rows.filter((r) => r.size_gib === sizes[0] && r.kind === "hdd" && r.memcg === "on").length} repetitions; slots = size / 4 KiB, header page included)`);
  out.push("");
  out.push(table(["size", ...cases.map(([m, d]) => `${d.toUpperCase()} memcg ${m}`), "spread (max−min, worst case)"], sizes.map((s) => {
    const cells = cases.map(([m, d]) => { const x = bps(m, d, s); return x ? (x.med / x.slots).toFixed(4) : "–"; });
    const spread = Math.max(...cases.map(([m, d]) => { const x = bps(m, d, s); return x ? x.max - x.min : 0; }));
    return [`${s} GiB`, ...cells, `${(spread / 1024).toFixed(0)} KiB`];
  })));
  out.push("");
  // attribution at the largest size
  const a = readCsv(path.join(dir, "static_alloc.csv"));
  if (a) {
    const big = sizes.at(-1);
    out.push(`Where the bytes go at ${big} GiB (repetition 1; page-level bytes, bytes per slot in brackets):`);
    out.push("");
    const rowsFor = (m, d) => a.rows.filter((r) => r.memcg === m && r.kind === d && r.size_gib === big && r.rep === 1);
    const slots = big * 262144;
    const keys = [];
    for (const [m, d] of cases) for (const r of rowsFor(m, d)) {
      const key = r.source === "vmalloc" ? `vmalloc ${r.name.replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+$/, "")} (${r.pages} pages${r.flags && r.flags.includes("vpages") ? ", vpages" : ""})` : r.source === "slab_cache" ? `slab ${r.name}` : r.source;
      if (!keys.includes(key)) keys.push(key);
    }
    const cell = (m, d, key) => {
      const sum = rowsFor(m, d).filter((r) => (r.source === "vmalloc" ? `vmalloc ${r.name.replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+$/, "")} (${r.pages} pages${r.flags && r.flags.includes("vpages") ? ", vpages" : ""})` : r.source === "slab_cache" ? `slab ${r.name}` : r.source) === key).reduce((x, r) => x + r.bytes, 0);
      return sum ? `${sum} (${(sum / slots).toFixed(4)})` : "0";
    };
    out.push(table(["allocation", ...cases.map(([m, d]) => `${d.toUpperCase()} memcg ${m}`)], keys.map((key) => [key, ...cases.map(([m, d]) => cell(m, d, key))])));
    out.push("");
  }
  const n = readCsv(path.join(dir, "static_noise.csv"));
  if (n) {
    const c = n.rows.map((r) => r.cost_bytes);
    out.push(`Noise floor (same measurement around no operation, ${c.length} runs): ${Math.min(...c)} … ${Math.max(...c)} bytes.`);
    out.push("");
  }
  const off = sizes.map((s) => { const x = bps("on", "hdd", s); return x ? `${s} GiB ${(median(x.g.map((r) => r.swapoff_ns)) / 1e6).toFixed(1)} ms` : null; }).filter(Boolean);
  out.push(`swapoff of the empty area (HDD, memcg on, median; TCG): ${off.join(", ")}.`);
  out.push("");
  return out.join("\n");
}

function zramSection(k, dir) {
  const t = readCsv(path.join(dir, "zram.csv"));
  if (!t) return "";
  const sizes = [...new Set(t.rows.map((r) => r.size_gib))].sort((a, b) => a - b);
  const med = (step, s) => { const g = t.rows.filter((r) => r.step === step && r.size_gib === s && r.rc === 0); return g.length ? median(g.map((r) => r.cost_bytes)) : null; };
  return [`### ${k}: zram (comp ${t.rows[0]?.comp})`, "",
    table(["disksize", "disksize cost (B/page)", "swapon on it (B/slot)"], sizes.map((s) => {
      const d = med("disksize", s), w = med("swapon", s), p = s * 262144;
      return [`${s} GiB`, d === null ? "–" : `${d} (${(d / p).toFixed(4)})`, w === null ? "–" : `${w} (${(w / p).toFixed(4)})`];
    })), ""].join("\n");
}

function zswapSection(k, dir) {
  const t = readCsv(path.join(dir, "zswap.csv"));
  if (!t) return "";
  const rows = t.rows.map((r) => [r.case, r.zpool, r.compressor, r.zswap_enabled, r.fill_mib, r.pageout_mib, r.pattern, r.zswap_max, r.memory_max,
    mib(r.memory_current), mib(r.swap_current), mib(r.zswap_current), r.dbg_pool_total_size === undefined || r.dbg_pool_total_size === "" ? "–" : mib(r.dbg_pool_total_size),
    r.dbg_stored_pages ?? "–", r.slab_zswap_entry_pages === "" ? "–" : mib(r.slab_zswap_entry_pages * 4096),
    r.reclaimed_memory_current === "" || r.reclaimed_memory_current === undefined ? "" : mib(r.reclaimed_memory_current)]);
  return [`### ${k}: memcg + zswap (MiB unless stated; pool and stored pages are changes during the case)`, "",
    table(["case", "zpool", "comp", "zswap", "fill", "pageout", "pattern", "zswap.max", "memory.max", "memory.current", "swap.current", "zswap.current", "pool (debugfs)", "stored pages", "zswap_entry slab", "memory.current after reclaim"], rows), ""].join("\n");
}

function swapoffSection(k, dir) {
  const t = readCsv(path.join(dir, "swapoff.csv"));
  if (!t) return "";
  const groups = new Map();
  for (const r of t.rows) {
    const key = `${r.series}|${r.backend}|${r.dev_gib}|${r.swapped_mib}|${r.zero_mib}|${r.other_zero_mib}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const rows = [...groups.values()].map((g) => {
    const r = g[0];
    const ns = g.map((x) => x.swapoff_ns);
    const cal = g.every((x) => typeof x.calib_ns === "number") ? (median(g.map((x) => x.calib_ns)) / 1e6).toFixed(1) : "–";
    return [r.series, r.backend, r.dev_gib, r.swapped_mib, r.zero_mib, r.other_zero_mib, r.vmpte_kb, r.other_vmpte_kb, (median(ns) / 1e6).toFixed(1), `${(Math.min(...ns) / 1e6).toFixed(1)}–${(Math.max(...ns) / 1e6).toFixed(1)}`, cal];
  });
  return [`### ${k}: swapoff time (TCG, trends only; median of ${t.rows.length / groups.size} repetitions)`, "",
    table(["series", "backend", "device GiB", "swapped MiB", "zero-PTE MiB (same mm)", "zero-PTE MiB (other mm)", "VmPTE kB", "other VmPTE kB", "swapoff ms", "range ms", "calib ms (median)"], rows), ""].join("\n");
}

export function summary(root) {
  const kernels = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const parts = ["# Kernel lab: summary", "", "Generated by `lab/summary.mjs` from the CSVs beside it (regenerate with `npm run lab` or", "`npm run lab -- --parse-only`); the columns and the method are in README.md. Memory numbers are exact", "kernel accounting; every time is QEMU TCG (software emulation), good for trends and ratios only.", ""];
  for (const k of kernels) {
    const dir = path.join(root, k);
    const s = readCsv(path.join(dir, "static.csv"));
    parts.push(`## ${k}`, "");
    if (s) parts.push(`${s.header.kernel_package}; ${s.header.qemu}; accelerator ${s.header.accel.split(" ")[0]}; guest ${s.header.guest_ram_mib} MiB, ${s.header.vcpus} vCPUs.`, "");
    parts.push(staticSection(k, dir), zramSection(k, dir), zswapSection(k, dir), swapoffSection(k, dir));
  }
  return parts.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? "data/lab");
  process.stdout.write(summary(root) + "\n");
}

export function writeSummary(root) {
  writeFileSync(path.join(root, "SUMMARY.md"), summary(root) + "\n");
}
