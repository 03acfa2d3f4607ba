// sizeof() of the structures the swap paths allocate, read from the BTF of the very kernel the
// lab boots: the vmlinux inside vmlinuz (bzImage payload, xz or zstd) and the modules' split BTF,
// printed by pahole. Writes <dir>/structs.csv (sizes) and <dir>/structs.txt (pahole layouts).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const VMLINUX_STRUCTS = [
  "swap_info_struct", "swap_cluster_info", "swap_cluster_list", "percpu_cluster", "swap_extent", "swap_cgroup",
  "swap_cgroup_ctrl", "swap_slots_cache", "address_space", "xarray", "xa_node", "zswap_entry", "zswap_tree", "zswap_pool",
  "zbud_pool", "zbud_header", "zspage", "zs_pool", "size_class", "vmap_area", "vm_struct", "page", "folio", "obj_cgroup",
];
const MODULE_STRUCTS = {
  zsmalloc: ["zspage", "zs_pool", "size_class"],
  zram: ["zram_table_entry", "zram", "zcomp", "zcomp_strm"],
  z3fold: ["z3fold_header", "z3fold_pool"],
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { maxBuffer: 512 << 20, ...opts });
  return { status: r.error ? 127 : r.status, stdout: r.stdout ?? Buffer.alloc(0), stderr: String(r.stderr ?? r.error ?? "") };
}

/** vmlinux (ELF, with .BTF) from a bzImage: the payload is at setup header 0x248/0x24c. */
export function extractVmlinux(vmlinuz, out) {
  if (existsSync(out)) return out;
  const b = readFileSync(vmlinuz);
  const setupSects = b[0x1f1] || 4;
  const pm = (setupSects + 1) * 512;
  const off = b.readUInt32LE(0x248), len = b.readUInt32LE(0x24c);
  const payload = b.subarray(pm + off, pm + off + len);
  const magic = payload.subarray(0, 4).toString("hex");
  const tool = magic.startsWith("fd377a58") ? "xz" : magic === "28b52ffd" ? "zstd" : magic.startsWith("1f8b") ? "gzip" : null;
  if (!tool) throw new Error(`${vmlinuz}: unknown payload compression (magic ${magic})`);
  // xz complains about the trailing size word after the stream; the output is complete
  const r = run(tool, ["-dc"], { input: payload });
  if (!r.stdout.length || r.stdout.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${vmlinuz}: ${tool} -dc gave no ELF (${r.stderr.trim()})`);
  writeFileSync(out, r.stdout);
  return out;
}

function findModule(moddir, name) {
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        const f = walk(p);
        if (f) return f;
      } else if (e.name === `${name}.ko` || e.name === `${name}.ko.xz`) return p;
    }
    return null;
  };
  return walk(path.join(moddir, "kernel"));
}

function pahole(args) {
  const r = run("pahole", ["-F", "btf", ...args]);
  return r.status === 0 ? r.stdout.toString("utf8") : "";
}

/** [{ struct, size_bytes, object }] plus the layouts' text; structures a kernel lacks are skipped. */
export function structSizes(k, workdir) {
  if (run("pahole", ["--version"]).status !== 0) return null;
  const vmlinux = extractVmlinux(k.vmlinuz, path.join(workdir, "vmlinux"));
  const rows = [];
  let text = "";
  const take = (layout, struct, object) => {
    const sizes = [...layout.matchAll(/\/\* size: (\d+)/g)];
    if (!layout.trim() || !sizes.length) return false;
    rows.push({ struct, size_bytes: Number(sizes.at(-1)[1]), object });
    text += `/* ${object} */\n${layout.trim()}\n\n`;
    return true;
  };
  for (const s of VMLINUX_STRUCTS) take(pahole(["-C", s, vmlinux]), s, "vmlinux");
  for (const [mod, structs] of Object.entries(MODULE_STRUCTS)) {
    let ko = findModule(k.moddir, mod);
    if (!ko) continue;
    if (ko.endsWith(".xz")) {
      const plain = path.join(workdir, `${mod}.ko`);
      writeFileSync(plain, run("xz", ["-dc", ko]).stdout);
      ko = plain;
    }
    for (const s of structs) {
      if (rows.some((r) => r.struct === s)) continue; // built in: already read from vmlinux
      take(pahole(["--btf_base", vmlinux, "-C", s, ko]), s, `${mod}.ko`);
    }
  }
  return { rows, text };
}

export function writeStructs(k, workdir, dir, header) {
  const res = structSizes(k, workdir);
  if (!res) return null;
  const ver = run("pahole", ["--version"]).stdout.toString().trim();
  const src = `BTF of vmlinuz-${k.release} and its modules (${k.pkg} ${k.version}), read with pahole ${ver}`;
  const lines = [...header.map(([a, b]) => `# ${a}: ${b}`), `# source: ${src}`, "kernel_release,struct,size_bytes,object"];
  for (const r of res.rows) lines.push(`${k.release},${r.struct},${r.size_bytes},${r.object}`);
  writeFileSync(path.join(dir, "structs.csv"), lines.join("\n") + "\n");
  writeFileSync(path.join(dir, "structs.txt"), `/* ${src} */\n\n${res.text}`);
  return res.rows.length;
}
