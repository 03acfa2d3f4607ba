// Serial logs → CSV. Reads <dir>/logs/<boot>.log and <boot>.meta.json (written by lab.mjs) and
// writes <dir>/<scenario>.csv plus the long-format attribution tables. Column meanings and units
// are in data/lab/README.md. Runnable alone: `node lab/parse.mjs data/lab/<kernel>`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PAGE = 4096;
const SLOTS_PER_GIB = 2 ** 30 / PAGE;

/** Tagged lines: "TAG k=v k=v ..." → { tag, kv }. INFO lines are "INFO key: free text". */
export function parseLog(text) {
  const info = {};
  const lines = [];
  const errors = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const m = /^([A-Z][A-Z0-9_]*) (.*)$/.exec(line);
    if (!m) continue;
    const [, tag, rest] = m;
    if (tag === "INFO") {
      const i = rest.indexOf(": ");
      if (i > 0) info[rest.slice(0, i)] = rest.slice(i + 2).trim();
      continue;
    }
    const kv = {};
    for (const t of rest.trim().split(/\s+/)) {
      const e = t.indexOf("=");
      if (e > 0) kv[t.slice(0, e)] = t.slice(e + 1);
    }
    if (tag === "ERROR" || tag === "HOGERR") errors.push(line);
    lines.push({ tag, kv, line });
  }
  return { info, lines, errors };
}

const num = (v) => {
  if (v === undefined || v === "" || v === "na") return "";
  const n = Number(v);
  return Number.isFinite(n) ? n : "";
};

function csvCell(v) {
  if (v === undefined || v === null) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeCsv(file, header, columns, rows) {
  const out = [];
  for (const [k, v] of header) out.push(`# ${k}: ${v}`);
  out.push(columns.join(","));
  for (const r of rows) out.push(columns.map((c) => csvCell(r[c])).join(","));
  writeFileSync(file, out.join("\n") + "\n");
}

/** The bytes a COST line attributes to each kind of allocation (all page-level). */
function costParts(kv) {
  const cost = -Number(kv.d_free_pcp);
  const vmalloc = Number(kv.vmalloc_new_pages) * PAGE;
  const slab = Number(kv.d_slab);
  const slabCaches = Number(kv.slab_pages_delta);
  const percpu = Number(kv.d_percpu ?? 0);
  const pagetables = Number(kv.d_pagetables ?? 0);
  const kstack = Number(kv.d_kernelstack ?? 0);
  return {
    cost_bytes: cost,
    memfree_delta_bytes: Number(kv.d_memfree),
    pcp_delta_pages: Number(kv.pcp_b) - Number(kv.pcp_a),
    vmalloc_bytes: vmalloc,
    vmalloc_n: Number(kv.vmalloc_new_n),
    vmallocused_delta_bytes: Number(kv.d_vmallocused),
    slab_bytes: slab,
    slab_cache_pages_bytes: slabCaches,
    kmalloc_large_bytes: slab - slabCaches,
    slab_obj_bytes: Number(kv.slab_obj_delta),
    percpu_bytes: percpu,
    pagetables_bytes: pagetables,
    kernelstack_bytes: kstack,
    other_bytes: cost - vmalloc - slab - percpu - pagetables - kstack,
    residual_after_swapoff_bytes: kv.d_free_pcp_after_off === undefined ? "" : -Number(kv.d_free_pcp_after_off),
    snap_tries_before: num(kv.tries_a),
    snap_tries_after: num(kv.tries_b),
    op_ns: Number(kv.ns),
    swapoff_ns: Number(kv.off_ns) >= 0 ? Number(kv.off_ns) : "",
    rc: Number(kv.rc),
  };
}

const key = (kv, names) => names.map((n) => kv[n]).join("|");

/** Long-format attribution rows for one COST line; their `bytes` sum to cost_bytes. */
function allocRows(base, costKv, vmd, slabd) {
  const rows = [];
  const p = costParts(costKv);
  for (const v of vmd) {
    if (v.sign !== "+") continue;
    rows.push({ ...base, source: "vmalloc", name: v.caller, bytes: Number(v.pages) * PAGE, pages: Number(v.pages),
      count: 1, obj_bytes: "", objsize: "", vm_size: Number(v.size), flags: v.flags });
  }
  for (const s of slabd) {
    const pages = Number(s.d_slabs) * Number(s.pagesperslab);
    rows.push({ ...base, source: "slab_cache", name: s.cache, bytes: pages * PAGE, pages, count: Number(s.d_active),
      obj_bytes: Number(s.d_active) * Number(s.objsize), objsize: Number(s.objsize), vm_size: "", flags: "" });
  }
  const derived = [
    ["kmalloc_large", "SUnreclaim+SReclaimable growth outside the slab caches", p.kmalloc_large_bytes],
    ["percpu", "meminfo Percpu", p.percpu_bytes],
    ["pagetables", "meminfo PageTables", p.pagetables_bytes],
    ["kernelstack", "meminfo KernelStack", p.kernelstack_bytes],
    ["other_pages", "free+pcp drop not in vmalloc/slab/percpu/pagetables/kernelstack", p.other_bytes],
  ];
  for (const [source, name, bytes] of derived) {
    rows.push({ ...base, source, name, bytes, pages: bytes / PAGE, count: "", obj_bytes: "", objsize: "", vm_size: "", flags: "" });
  }
  return rows;
}

const ALLOC_COLS = ["source", "name", "bytes", "pages", "count", "obj_bytes", "objsize", "vm_size", "flags"];

function groupBy(lines, tag, keyNames) {
  const m = new Map();
  for (const l of lines) {
    if (l.tag !== tag) continue;
    const k = key(l.kv, keyNames);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(l.kv);
  }
  return m;
}

// ------------------------------------------------------------------ per scenario

const STATIC_TAG = ["scenario", "size_gib", "kind", "rot", "memcg", "rep", "dev"];

function staticTables(release, logs) {
  const rows = [], alloc = [];
  for (const { boot, parsed } of logs) {
    const vmd = groupBy(parsed.lines, "VMD", STATIC_TAG);
    const slabd = groupBy(parsed.lines, "SLABD", STATIC_TAG);
    for (const l of parsed.lines) {
      if (l.tag !== "COST" || l.kv.scenario !== "static") continue;
      const kv = l.kv;
      const slots = Number(kv.size_gib) * SLOTS_PER_GIB;
      const p = costParts(kv);
      const base = { kernel_release: release, memcg: kv.memcg, kind: kv.kind, rot: Number(kv.rot), size_gib: Number(kv.size_gib), rep: Number(kv.rep) };
      rows.push({
        ...base, slots, swap_kb: num(kv.swaps_kb), ...p,
        bytes_per_slot: +(p.cost_bytes / slots).toFixed(6),
        swapon_ns: p.op_ns, boot,
      });
      const k = key(kv, STATIC_TAG);
      alloc.push(...allocRows(base, kv, vmd.get(k) ?? [], slabd.get(k) ?? []));
    }
  }
  const noise = [];
  for (const { boot, parsed } of logs) {
    for (const l of parsed.lines) {
      if (l.tag !== "COST" || l.kv.scenario !== "static_noise") continue;
      const p = costParts(l.kv);
      noise.push({ kernel_release: release, memcg: l.kv.memcg, rep: Number(l.kv.rep), ...p, boot });
    }
  }
  const order = (r) => [r.memcg === "on" ? 0 : 1, r.kind === "hdd" ? 0 : 1, r.size_gib, r.rep];
  const cmp = (a, b) => { const x = order(a), y = order(b); for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1; return 0; };
  rows.sort(cmp);
  alloc.sort(cmp);
  return {
    static: {
      columns: ["kernel_release", "memcg", "kind", "rot", "size_gib", "rep", "slots", "swap_kb", "cost_bytes", "bytes_per_slot",
        "vmalloc_bytes", "vmalloc_n", "slab_bytes", "slab_cache_pages_bytes", "kmalloc_large_bytes", "slab_obj_bytes",
        "percpu_bytes", "pagetables_bytes", "kernelstack_bytes", "other_bytes", "memfree_delta_bytes", "pcp_delta_pages",
        "vmallocused_delta_bytes", "residual_after_swapoff_bytes", "snap_tries_before", "snap_tries_after", "swapon_ns", "swapoff_ns", "rc", "boot"],
      rows,
    },
    static_noise: {
      columns: ["kernel_release", "memcg", "rep", "cost_bytes", "vmalloc_bytes", "slab_bytes", "percpu_bytes", "pagetables_bytes",
        "kernelstack_bytes", "other_bytes", "memfree_delta_bytes", "pcp_delta_pages", "snap_tries_before", "snap_tries_after", "boot"],
      rows: noise,
    },
    static_alloc: { columns: ["kernel_release", "memcg", "kind", "rot", "size_gib", "rep", ...ALLOC_COLS], rows: alloc },
  };
}

const ZRAM_TAG = ["scenario", "step", "size_gib", "memcg", "rep", "dev"];

function zramTables(release, logs) {
  const rows = [], alloc = [];
  for (const { boot, parsed } of logs) {
    const vmd = groupBy(parsed.lines, "VMD", ZRAM_TAG);
    const slabd = groupBy(parsed.lines, "SLABD", ZRAM_TAG);
    const info = new Map();
    for (const l of parsed.lines) if (l.tag === "ZRAMINFO") info.set(`${l.kv.size_gib}|${l.kv.rep}`, l.kv);
    for (const l of parsed.lines) {
      if (l.tag !== "COST" || l.kv.scenario !== "zram") continue;
      const kv = l.kv;
      const pages = Number(kv.size_gib) * SLOTS_PER_GIB;
      const p = costParts(kv);
      const zi = info.get(`${kv.size_gib}|${kv.rep}`) ?? {};
      const base = { kernel_release: release, memcg: kv.memcg, step: kv.step, size_gib: Number(kv.size_gib), rep: Number(kv.rep) };
      rows.push({
        ...base, pages, disksize_bytes: num(zi.disksize), comp: zi.comp ?? "", ...p,
        bytes_per_page: +(p.cost_bytes / pages).toFixed(6),
        swap_kb: num(kv.swaps_kb), boot,
      });
      const k = key(kv, ZRAM_TAG);
      alloc.push(...allocRows(base, kv, vmd.get(k) ?? [], slabd.get(k) ?? []));
    }
  }
  return {
    zram: {
      columns: ["kernel_release", "memcg", "step", "size_gib", "rep", "pages", "disksize_bytes", "comp", "cost_bytes", "bytes_per_page",
        "vmalloc_bytes", "vmalloc_n", "slab_bytes", "slab_cache_pages_bytes", "kmalloc_large_bytes", "slab_obj_bytes", "percpu_bytes",
        "pagetables_bytes", "kernelstack_bytes", "other_bytes", "memfree_delta_bytes", "pcp_delta_pages", "residual_after_swapoff_bytes",
        "snap_tries_before", "snap_tries_after", "swap_kb", "op_ns", "swapoff_ns", "rc", "boot"],
      rows,
    },
    zram_alloc: { columns: ["kernel_release", "memcg", "step", "size_gib", "rep", ...ALLOC_COLS], rows: alloc },
  };
}

// zswap debugfs values, reported in zswap.csv as their change during the case (after − before):
// levels (pool_total_size, stored_pages, same_filled_pages) start from what earlier cases left
// behind (e.g. entries still held by the per-CPU swap-slot return caches), counters are cumulative.
const ZDBG_KEYS = ["pool_total_size", "stored_pages", "same_filled_pages", "written_back_pages", "pool_limit_hit",
  "reject_compress_poor", "reject_compress_fail", "reject_alloc_fail", "reject_kmemcache_fail", "reject_reclaim_fail",
  "duplicate_entry"];
const ZSTAT_KEYS = ["anon", "file", "kernel", "kernel_stack", "pagetables", "percpu", "sock", "slab", "slab_unreclaimable", "vmalloc", "shmem", "zswap", "zswapped",
  "swapcached", "zswpin", "zswpout", "zswpwb", "pswpin", "pswpout", "pgscan", "pgsteal", "workingset_refault_anon"];
const ZSLAB = ["zswap_entry", "zs_handle", "zspage", "radix_tree_node", "xa_node"];

function zswapTables(release, logs) {
  const rows = [], detail = [], slab = [];
  for (const { boot, parsed } of logs) {
    const by = (tag) => {
      const m = new Map();
      for (const l of parsed.lines) if (l.tag === tag) m.set(l.kv.case, l.kv);
      return m;
    };
    const ready = by("ZREADY"), recl = by("ZRECL"), stat = by("ZSTAT"), evt = by("ZEVT"), sevt = by("ZSWEVT"), dbg = by("ZDBG"), dbg0 = by("ZDBG0"), snapd = by("SNAPD");
    const slabd = groupBy(parsed.lines, "SLABD", ["case"]);
    for (const l of parsed.lines) {
      if (l.tag !== "ZCASE") continue;
      const kv = l.kv, c = kv.case;
      const r = ready.get(c) ?? {}, st = stat.get(c) ?? {}, ev = evt.get(c) ?? {}, sev = sevt.get(c) ?? {};
      const d1 = dbg.get(c) ?? {}, d0 = dbg0.get(c) ?? {}, sd = snapd.get(c) ?? {};
      const pattern = kv.pattern;
      const row = {
        kernel_release: release, case: c, zpool: kv.zpool, compressor: kv.compressor,
        zswap_enabled: /^(Y|1)$/.test(kv.zswap_enabled) ? 1 : 0,
        fill_mib: Number(kv.fill_mib), pageout_mib: Number(kv.pageout_mib), pattern,
        random_pct: /^\d+$/.test(pattern) ? Number(pattern) : "",
        memory_max: kv.memory_max, zswap_max: kv.zswap_max, swap_max: kv.swap_max,
        vmrss_kb: num(r.vmrss_kb), vmswap_kb: num(r.vmswap_kb), vmpte_kb: num(r.vmpte_kb),
        memory_current: num(kv.memory_current), memory_peak: num(kv.memory_peak),
        swap_current: num(kv.swap_current), swap_peak: num(kv.swap_peak), zswap_current: num(kv.zswap_current),
        zswap_writeback: num(kv.zswap_writeback),
        meminfo_zswap_kb: num(kv.meminfo_zswap_kb), meminfo_zswapped_kb: num(kv.meminfo_zswapped_kb),
        swap_used_kb: kv.swaptotal_kb && kv.swapfree_kb ? Number(kv.swaptotal_kb) - Number(kv.swapfree_kb) : "",
        swapcached_kb: num(kv.swapcached_kb),
      };
      for (const k of ZSTAT_KEYS) row[`stat_${k}`] = num(st[k]);
      for (const k of ["low", "high", "max", "oom", "oom_kill"]) row[`events_${k}`] = num(ev[k]);
      for (const k of ["max", "fail"]) row[`swap_events_${k}`] = num(sev[k]);
      for (const k of ZDBG_KEYS) {
        if (d1[k] === undefined) { row[`dbg_${k}`] = ""; continue; }
        row[`dbg_${k}`] = Number(d1[k]) - Number(d0[k] ?? 0);
      }
      const sl = slabd.get(c) ?? [];
      for (const name of ZSLAB) {
        // 6.12 names zsmalloc's caches per pool ("zs_handle-zswap3")
        const hits = sl.filter((s) => s.cache === name || s.cache.startsWith(`${name}-`));
        row[`slab_${name}_objs`] = hits.reduce((a, s) => a + Number(s.d_active), 0);
        row[`slab_${name}_pages`] = hits.reduce((a, s) => a + Number(s.d_slabs) * Number(s.pagesperslab), 0);
        row[`slab_${name}_objsize`] = hits.length ? Number(hits[0].objsize) : "";
      }
      const rc = recl.get(c) ?? {};
      for (const k of ["memory_current", "swap_current", "zswap_current", "swapcached_kb", "vmswap_kb", "vmrss_kb"]) row[`reclaimed_${k}`] = num(rc[k]);
      row.free_delta_bytes = num(sd.d_free_pcp);
      row.slab_delta_bytes = num(sd.d_slab);
      row.fill_ns = num(r.fill_ns);
      row.pageout_ns = num(r.pageout_ns);
      row.boot = boot;
      rows.push(row);
      const det = (source, obj) => {
        for (const [k, v] of Object.entries(obj)) {
          if (k === "case") continue;
          const n = Number(v);
          if (!Number.isFinite(n)) continue;
          detail.push({ kernel_release: release, case: c, source, key: k, value: n });
        }
      };
      det("memory.stat", st);
      det("memory.events", ev);
      det("memory.swap.events", sev);
      det("zswap_debugfs_before", d0);
      det("zswap_debugfs_after", d1);
      det("meminfo_delta", Object.fromEntries(Object.entries(sd).filter(([k]) => k.startsWith("d_"))));
      for (const s of sl) {
        slab.push({ kernel_release: release, case: c, cache: s.cache, d_active: Number(s.d_active), d_total: Number(s.d_total),
          d_slabs: Number(s.d_slabs), objsize: Number(s.objsize), objperslab: Number(s.objperslab), pagesperslab: Number(s.pagesperslab),
          obj_bytes: Number(s.d_active) * Number(s.objsize), page_bytes: Number(s.d_slabs) * Number(s.pagesperslab) * PAGE });
      }
    }
  }
  const cols = ["kernel_release", "case", "zpool", "compressor", "zswap_enabled", "fill_mib", "pageout_mib", "pattern", "random_pct",
    "memory_max", "zswap_max", "swap_max", "vmrss_kb", "vmswap_kb", "vmpte_kb", "memory_current", "memory_peak", "swap_current",
    "swap_peak", "zswap_current", "zswap_writeback", "meminfo_zswap_kb", "meminfo_zswapped_kb", "swap_used_kb", "swapcached_kb",
    ...ZSTAT_KEYS.map((k) => `stat_${k}`), ...["low", "high", "max", "oom", "oom_kill"].map((k) => `events_${k}`),
    "swap_events_max", "swap_events_fail", ...ZDBG_KEYS.map((k) => `dbg_${k}`),
    ...ZSLAB.flatMap((n) => [`slab_${n}_objs`, `slab_${n}_pages`, `slab_${n}_objsize`]), "free_delta_bytes", "slab_delta_bytes",
    ...["memory_current", "swap_current", "zswap_current", "swapcached_kb", "vmswap_kb", "vmrss_kb"].map((k) => `reclaimed_${k}`),
    "fill_ns", "pageout_ns", "boot"];
  // drop the columns this kernel never has (e.g. dbg_same_filled_pages on 6.12)
  const present = cols.filter((c) => ["kernel_release", "case", "boot"].includes(c) || rows.some((r) => r[c] !== "" && r[c] !== undefined));
  return {
    zswap: { columns: present, rows },
    zswap_detail: { columns: ["kernel_release", "case", "source", "key", "value"], rows: detail },
    zswap_slab: { columns: ["kernel_release", "case", "cache", "d_active", "d_total", "d_slabs", "objsize", "objperslab", "pagesperslab", "obj_bytes", "page_bytes"], rows: slab },
  };
}

function swapoffTables(release, logs) {
  const rows = [];
  const cols = ["kernel_release", "series", "backend", "dev_gib", "rot", "memcg", "swapped_mib", "zero_mib", "other_zero_mib", "rep",
    "swap_used_kb", "zswapped_kb", "swapcached_kb_pageout", "swapcached_kb", "vmswap_kb_before", "vmswap_kb_after", "vmpte_kb",
    "other_vmpte_kb", "calib_ns", "swapoff_ns", "swapoff_rc",
    "swapon_ns", "pageout_ns", "reclaim_ns", "fill_ns", "zero_ns", "boot"];
  for (const { boot, parsed } of logs) {
    for (const l of parsed.lines) {
      if (l.tag !== "SWOFF") continue;
      const kv = l.kv;
      const row = { kernel_release: release, boot };
      for (const c of cols) if (!(c in row)) row[c] = ["series", "backend", "memcg"].includes(c) ? kv[c] : num(kv[c]);
      rows.push(row);
    }
  }
  return { swapoff: { columns: cols, rows } };
}

function buildHeader(scenario, logs) {
  const release = logs[0].parsed.info.uname_r ?? logs[0].meta.kernel.release;
  const m0 = logs[0].meta;
  const regen = scenario === "structs" ? "npm run lab -- --kernel " + m0.kernel.series + " (any scenario)" : `npm run lab -- --kernel ${m0.kernel.series} --scenario ${scenario}`;
  const header = [
    ["swapcost kernel lab", `${scenario} (columns and units: data/lab/README.md; regenerate: ${regen})`],
    ["kernel_release", release],
    ["kernel_version", logs[0].parsed.info.uname_v ?? ""],
    ["kernel_package", `${m0.kernel.pkg} ${m0.kernel.version}`],
    ["kernel_origin", m0.kernel.origin],
    ["qemu", `${m0.host.qemu} [${m0.host.qemu_package}]`],
    ["accel", `${m0.accel_description}; ${m0.accel_note}`],
    ["guest_ram_mib", String(m0.guest_ram_mib)],
    ["vcpus", String(m0.vcpus)],
    ["busybox", m0.host.busybox_package],
    ["helper", `lab/src/hog.c, ${m0.host.gcc}, static`],
    ["initramfs_modules", m0.modules.join(" ")],
    ["date", m0.date],
  ];
  for (const { boot, meta, parsed } of logs) {
    header.push([`boot.${boot}.cmdline`, parsed.info.cmdline ?? meta.append]);
    header.push([`boot.${boot}.log`, `logs/${meta.log}`]);
    header.push([`boot.${boot}.date`, meta.date]);
    header.push([`boot.${boot}.wall_s`, meta.wall_s.toFixed(1)]);
    if (meta.host_loadavg) header.push([`boot.${boot}.host_loadavg`, `${meta.host_loadavg} (start → end; ${m0.host.host_cpus} host CPUs)`]);
    header.push([`boot.${boot}.status`, meta.done ? "completed" : meta.timed_out ? "timed out" : `qemu exit ${meta.status}`]);
  }
  return { release, header };
}

/** The header of a table about the kernel itself (structs.csv): the facts of its first boot. */
export function kernelHeader(dir) {
  const logdir = path.join(dir, "logs");
  const metas = readdirSync(logdir).filter((f) => f.endsWith(".meta.json")).sort()
    .map((f) => JSON.parse(readFileSync(path.join(logdir, f), "utf8")));
  const m = metas.find((x) => x.done) ?? metas[0];
  if (!m) return null;
  const parsed = parseLog(readFileSync(path.join(logdir, m.log), "latin1"));
  return buildHeader("structs", [{ boot: m.boot, meta: m, parsed }]).header;
}

const SCENARIO_TABLES = { static: staticTables, zram: zramTables, zswap: zswapTables, swapoff: swapoffTables };

/** Which scenario a boot's log feeds: its meta.scenario. */
export function parseDir(dir, { only } = {}) {
  const logdir = path.join(dir, "logs");
  if (!existsSync(logdir)) throw new Error(`no ${logdir}`);
  const metas = readdirSync(logdir).filter((f) => f.endsWith(".meta.json")).sort()
    .map((f) => JSON.parse(readFileSync(path.join(logdir, f), "utf8")));
  const written = [];
  const problems = [];
  for (const [scenario, build] of Object.entries(SCENARIO_TABLES)) {
    if (only && !only.includes(scenario)) continue;
    const boots = metas.filter((m) => m.scenario === scenario);
    if (!boots.length) continue;
    const logs = boots.map((m) => {
      const text = readFileSync(path.join(logdir, m.log), "latin1");
      const parsed = parseLog(text);
      for (const e of parsed.errors) problems.push(`${m.log}: ${e}`);
      if (!m.done) problems.push(`${m.log}: the guest did not finish (${m.timed_out ? "timed out" : `qemu exit ${m.status}`})`);
      return { boot: m.boot, meta: m, parsed };
    });
    const { release, header } = buildHeader(scenario, logs);
    const tables = build(release, logs);
    for (const [name, t] of Object.entries(tables)) {
      const file = path.join(dir, `${name}.csv`);
      writeCsv(file, header, t.columns, t.rows);
      written.push({ file, rows: t.rows.length });
    }
  }
  return { written, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  if (!dirs.length) {
    process.stderr.write("usage: node lab/parse.mjs data/lab/<kernel> [...]\n");
    process.exit(2);
  }
  for (const d of dirs) {
    const { written, problems } = parseDir(d);
    for (const w of written) process.stdout.write(`${w.file}: ${w.rows} rows\n`);
    for (const p of problems) process.stdout.write(`problem: ${p}\n`);
  }
}
