import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  LAB_TABLE_SCHEMAS, LabDataError, listLabCsvFiles, listLabKernels, parseLabCsv, readLabTable, readStatic, readStaticAlloc,
  readSwapoff, readZram, readZswap, summarizeStatic,
} from "../../src/lab/data.js";

const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const files = listLabCsvFiles(root);
const kernels = listLabKernels(root);

const HEADER = [
  "# swapcost kernel lab: test",
  "# kernel_release: 6.1.0-56-amd64",
  "# kernel_version: #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2",
  "# kernel_package: linux-image-6.1.0-56-amd64 6.1.192-2",
  "# qemu: QEMU emulator version 7.2.22",
  "# accel: tcg",
  "# guest_ram_mib: 4096",
  "# vcpus: 2",
  "# date: 2026-01-01T00:00:00.000Z",
  "# boot.static.cmdline: console=ttyS0 lab=static",
  "# boot.static.log: logs/static.log",
  "# boot.static.wall_s: 12.5",
].join("\n");

describe("parseLabCsv", () => {
  it("reads the header, the boots and typed cells (numbers, text, empty → null, quoted commas)", () => {
    const t = parseLabCsv(`${HEADER}\na,b,c,d\n1,x,,"p,q"\n-2.5,y,3,z\n`);
    expect(t.header.kernel_release).toBe("6.1.0-56-amd64");
    expect(t.header.guest_ram_mib).toBe(4096);
    expect(t.header.boots).toEqual([{ name: "static", cmdline: "console=ttyS0 lab=static", log: "logs/static.log", date: "", wall_s: 12.5, status: "" }]);
    expect(t.columns).toEqual(["a", "b", "c", "d"]);
    expect(t.rows).toEqual([{ a: 1, b: "x", c: null, d: "p,q" }, { a: -2.5, b: "y", c: 3, d: "z" }]);
  });

  it.each([
    ["a missing header field", `${HEADER.replace("# vcpus: 2\n", "")}\na\n1\n`, /header field 'vcpus'/],
    ["no boot command line", `${HEADER.replace("# boot.static.cmdline: console=ttyS0 lab=static\n", "")}\na\n1\n`, /boot\.<name>\.cmdline/],
    ["a short row", `${HEADER}\na,b\n1\n`, /1 cells for 2 columns/],
    ["no column line", HEADER, /no column line/],
  ])("rejects %s with a LabDataError", (_what, text, msg) => {
    expect(() => parseLabCsv(text)).toThrow(LabDataError);
    expect(() => parseLabCsv(text)).toThrow(msg);
  });
});

describe("committed lab data (data/lab)", () => {
  it("has measurements for a 6.1 and a 6.12 kernel", () => {
    expect(kernels.some((k) => k.startsWith("6.1."))).toBe(true);
    expect(kernels.some((k) => k.startsWith("6.12."))).toBe(true);
  });

  it.each(kernels)("%s has every table", (k) => {
    const names = files.filter((f) => path.basename(path.dirname(f)) === k).map((f) => path.basename(f, ".csv"));
    expect(names.sort()).toEqual(Object.keys(LAB_TABLE_SCHEMAS).sort());
  });

  it.each(files.map((f) => [path.relative(root, f), f]))("%s parses, matches its schema, has a full header and no NaN", (_rel, file) => {
    const t = readLabTable(file);
    expect(t.rows.length).toBeGreaterThan(0);
    const h = t.header;
    expect(h.kernel_release).toBe(path.basename(path.dirname(file)));
    expect(h.kernel_package).toMatch(/^linux-image-\S+ \S+$/);
    expect(h.qemu).toMatch(/QEMU emulator version/);
    expect(h.accel).toMatch(/^(tcg|kvm) /);
    expect(h.guest_ram_mib).toBeGreaterThan(0);
    expect(h.vcpus).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(h.date))).toBe(false);
    expect(h.boots.length).toBeGreaterThan(0);
    for (const b of h.boots) {
      expect(b.cmdline).toMatch(/console=ttyS0/);
      expect(b.log).toMatch(/^logs\/.+\.log$/);
      expect(b.status).toBe("completed");
    }
    for (const r of t.rows) {
      for (const v of Object.values(r)) {
        if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
        else if (typeof v === "string") expect(v).not.toMatch(/^(NaN|undefined|Infinity)$/);
      }
    }
  });

  it.each(kernels)("%s static: every size × HDD/SSD × memcg on/off, each swapon succeeded and cost > 0", (k) => {
    const { rows } = readStatic(root, k);
    for (const memcg of ["on", "off"]) {
      for (const kind of ["hdd", "ssd"]) {
        const sizes = new Set(rows.filter((r) => r.memcg === memcg && r.kind === kind).map((r) => r.size_gib));
        expect([...sizes].sort((a, b) => a - b)).toEqual([1, 4, 16, 64, 256, 1024]);
      }
    }
    for (const r of rows) {
      expect(r.rc).toBe(0);
      expect(r.cost_bytes).toBeGreaterThan(0);
      expect(r.slots).toBe(r.size_gib * 262144);
      expect(r.swap_kb).toBe((r.slots - 1) * 4);
      expect(r.rot).toBe(r.kind === "hdd" ? 1 : 0);
    }
  });

  it.each(kernels)("%s static_alloc: the attributed bytes of each swapon add up to its cost", (k) => {
    const cost = new Map(readStatic(root, k).rows.map((r) => [`${r.memcg}|${r.kind}|${r.size_gib}|${r.rep}`, r.cost_bytes]));
    const sums = new Map<string, number>();
    for (const a of readStaticAlloc(root, k).rows) {
      const key = `${a.memcg}|${a.kind}|${a.size_gib}|${a.rep}`;
      sums.set(key, (sums.get(key) ?? 0) + a.bytes);
    }
    expect([...sums.keys()].sort()).toEqual([...cost.keys()].sort());
    for (const [key, s] of sums) expect(s).toBe(cost.get(key));
  });

  it.each(kernels)("%s static: repetitions agree (max − min ≤ 0.5 percent of the median at ≥ 16 GiB)", (k) => {
    for (const s of summarizeStatic(readStatic(root, k).rows)) {
      expect(s.reps).toBe(3);
      if (s.size_gib >= 16) expect((s.cost_bytes_max - s.cost_bytes_min) / s.cost_bytes_median).toBeLessThanOrEqual(0.005);
    }
  });

  it.each(kernels)("%s zram, zswap and swapoff tables have their cases", (k) => {
    const zram = readZram(root, k).rows;
    expect(new Set(zram.map((r) => r.step))).toEqual(new Set(["disksize", "swapon"]));
    for (const r of zram) expect(r.rc).toBe(0);
    const zswap = readZswap(root, k).rows;
    expect(zswap.length).toBeGreaterThanOrEqual(10);
    for (const r of zswap.filter((r) => r.pageout_mib > 0)) expect(r.vmswap_kb).toBe(r.pageout_mib * 1024);
    const off = readSwapoff(root, k).rows;
    expect(new Set(off.map((r) => r.series))).toEqual(new Set(["pages_disk", "pages_zswap", "ptes_swapped", "ptes_other", "devsize"]));
    for (const r of off) {
      expect(r.swapoff_rc).toBe(0);
      expect(r.swapoff_ns).toBeGreaterThan(0);
      // the whole range was swapped out (plus, at most, a few of the process's other pages that
      // memory.reclaim took; VmSwap lags by the per-task RSS cache), and swapoff brought it back
      expect(r.swap_used_kb).toBeGreaterThanOrEqual(r.swapped_mib * 1024);
      expect(r.vmswap_kb_before - r.swapped_mib * 1024).toBeGreaterThanOrEqual(-256);
      expect(r.vmswap_kb_before - r.swapped_mib * 1024).toBeLessThanOrEqual(512);
      expect(r.vmswap_kb_after).toBeLessThanOrEqual(256);
    }
  });
});
