import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import { overhead, type Accounting, type OverheadResult, type Usage } from "../../src/models/overhead.js";
import { inputOf } from "../../src/models/scenario.js";
import type { DeviceKind } from "../../src/designs/types.js";
import { GiB, MiB, TiB } from "../../src/units/bytes.js";

const NONE: Usage = { disk: 0, zswap: 0, zero: 0, cache: 0 };

function run(id: string, opts: { size?: number; device?: DeviceKind; usage?: Partial<Usage>; accounting?: Accounting; memcg?: boolean; cpus?: number } = {}): OverheadResult {
  return overhead({
    design: resolveDesign(id),
    swapSizeBytes: opts.size ?? 32 * GiB,
    device: opts.device ?? "ssd",
    memcg: opts.memcg ?? true,
    usage: { ...NONE, ...opts.usage },
    occupancy: { kind: "packed" },
    accounting: opts.accounting ?? "kernel",
    cpus: opts.cpus ?? 2,
  });
}

function atShare(id: string, share: number, backend: "zswap" | "disk", accounting: Accounting, device: "auto" | DeviceKind = "auto"): OverheadResult {
  return overhead(
    inputOf(resolveDesign(id), {
      swapSizeBytes: 32 * GiB,
      usedShare: share,
      mix: { [backend]: 1 },
      device,
      memcg: true,
      occupancy: { kind: "packed" },
      accounting,
      cpus: 8,
    }),
  );
}

const mib2 = (r: OverheadResult) => (r.totals.bytes / MiB).toFixed(2);
const row = (r: OverheadResult, id: string) => r.rows.find((x) => x.structure === id);

// Nhat Pham, "[PATCH v3 00/20] Virtual Swap Space", 2026-02-08 (same table in v4-v6):
// https://lore.kernel.org/all/20260208215839.87595-1-nphamcs@gmail.com/
// 32 GB swapfile = 8,388,608 slots; "MB" in the letter are MiB.
const NHAT_ZSWAP: Array<[number, string, string]> = [
  [0, "25.00", "0.00"],
  [25, "57.00", "48.25"],
  [50, "89.00", "96.50"],
  [75, "121.00", "144.75"],
  [100, "153.00", "193.00"],
];
const NHAT_DISK: Array<[number, string, string]> = [
  [0, "25.00", "2.00"],
  [25, "41.00", "66.25"],
  [50, "57.00", "130.50"],
  [75, "73.00", "194.75"],
  [100, "89.00", "259.00"],
];

describe("Nhat Pham's 32 GB tables (v3-v6 cover letters), letter accounting, from registry data alone", () => {
  it.each(NHAT_ZSWAP)("zswap backend, %d%% used: old design (linux-6.19) %s MiB, vswap-v3 %s MiB", (pct, old, vs) => {
    expect(mib2(atShare("linux-6.19", pct / 100, "zswap", "letter"))).toBe(old);
    expect(mib2(atShare("vswap-v3", pct / 100, "zswap", "letter"))).toBe(vs);
  });
  it.each(NHAT_DISK)("disk backend, %d%% used: old design (linux-6.19) %s MiB, vswap-v3 %s MiB", (pct, old, vs) => {
    expect(mib2(atShare("linux-6.19", pct / 100, "disk", "letter"))).toBe(old);
    expect(mib2(atShare("vswap-v3", pct / 100, "disk", "letter"))).toBe(vs);
  });
  it("the same table holds for v4, v5 and v6 in letter accounting", () => {
    for (const id of ["vswap-v4", "vswap-v5", "vswap-v6"]) expect(mib2(atShare(id, 0.5, "zswap", "letter"))).toBe("96.50");
  });
  it("the worst case is +40 MiB for zswap and +170 MiB for disk at 100% (\"0.12%\" / \"0.5%\" of the swapfile)", () => {
    const dz = atShare("vswap-v3", 1, "zswap", "letter").totals.bytes - atShare("linux-6.19", 1, "zswap", "letter").totals.bytes;
    const dd = atShare("vswap-v3", 1, "disk", "letter").totals.bytes - atShare("linux-6.19", 1, "disk", "letter").totals.bytes;
    expect(Math.round(dz / MiB)).toBe(40);
    expect(Math.round(dd / MiB)).toBe(170);
    expect(((dz / (32 * GiB)) * 100).toFixed(2)).toBe("0.12");
    expect(((dd / (32 * GiB)) * 100).toFixed(1)).toBe("0.5");
  });
});

describe("the same comparison in kernel accounting (what the kernel allocates)", () => {
  it("linux-6.19 at 0% is 25.56 MiB, not 25.00: cluster_info, the header cluster's table, zswap xarray heads and vmalloc page arrays", () => {
    const r = atShare("linux-6.19", 0, "disk", "kernel");
    // swap_map: vmalloc(8 MiB) = 8388608 + vmalloc(2048 pages * 8 B = 16384) = 16384 + kmalloc(32)
    expect(row(r, "swap_map")!.bytes).toBe(8388608 + 16384 + 32);
    // swap_cgroup: vzalloc(4194304 * 4 B) = 16 MiB + vmalloc(4096 * 8 B = 32768) = 32768 + kmalloc(64)
    expect(row(r, "swap_cgroup")!.bytes).toBe(16777216 + 32768 + 64);
    expect(row(r, "zeromap")!.bytes).toBe(1048576);
    expect(row(r, "cluster_info")!.bytes).toBe(16384 * 32);
    expect(row(r, "swap_table_reserved")!.bytes).toBe(4096);
    expect(row(r, "zswap_tree")!.bytes).toBe(8192);
    expect(r.totals.bytes).toBe(8405024 + 16810048 + 1048576 + 524288 + 4096 + 8192 + 64);
    expect(mib2(r)).toBe("25.56");
    // the letter counts 25.00; the reconciliation itemises the rest
    const recon = r.reconciliation.reduce((a, x) => a + x.deltaBytes, 0);
    expect(recon).toBe(r.totals.bytes - r.otherTotals.bytes);
    expect(r.otherTotals.bytes).toBe(25 * MiB);
  });

  it("vswap-v3 with zswap-only at 100% costs 16 KiB per 512-slot cluster in the kernel (kvzalloc of a 12392-byte struct) vs 24.125 B/entry in the letter", () => {
    const r = atShare("vswap-v3", 1, "zswap", "kernel");
    expect(row(r, "vswap_cluster")!.bytes).toBe(16384 * 16384);
    const l = atShare("vswap-v3", 1, "zswap", "letter");
    expect(row(l, "vswap_cluster")!.bytes).toBe(8388607 * 24 + 16384 * 64);
  });

  it("vswap-v6 decouples the array: 12288 B (vmalloc, + a 32 B page array) + a 112 B slab header per cluster", () => {
    const r = atShare("vswap-v6", 1, "zswap", "kernel");
    expect(row(r, "vswap_desc")!.bytes).toBe(16384 * (12288 + 32));
    expect(row(r, "vswap_cluster")!.bytes).toBe(Math.ceil(16384 / 36) * 4096);
  });
});

describe("the thread's per-slot arithmetic, from registry data", () => {
  it("Chris Li's \"3 static + 8 dynamic\" for the swap-table kernel (linux-6.19): swap_map 1 + swap_cgroup 2 static, swap table 8 dynamic; the zeromap bit he leaves out is 0.125", () => {
    // https://lkml.iu.edu/hypermail/linux/kernel/2602.1/02140.html
    const r = run("linux-6.19", { accounting: "letter", usage: { disk: 8388607 } });
    expect(row(r, "swap_map")!.bytesPerSlot).toBe(1);
    expect(row(r, "swap_cgroup")!.bytesPerSlot).toBe(2);
    expect(row(r, "zeromap")!.bytesPerSlot).toBe(0.125);
    expect(row(r, "swap_table")!.bytes / 8388607).toBe(8);
  });

  it("Kairui Song: P3 (linux-7.1) is \"10 bytes (8 dyn and 2 static)\" plus the zeromap bit", () => {
    // https://lore.kernel.org/all/CAMgjq7AQNGK-a=AOgvn4-V+zGO21QMbMTVbrYSW_R2oDSLoC+A@mail.gmail.com/
    const r = run("linux-7.1", { accounting: "letter", usage: { disk: 8388607 } });
    expect(r.rows.find((x) => x.structure === "swap_map")).toBeUndefined();
    expect(row(r, "swap_cgroup")!.bytesPerSlot).toBe(2);
    expect(row(r, "swap_table")!.bytes / 8388607).toBe(8);
  });

  it("swap table phase IV v5: 48 B of cluster_info per 512 slots = 0.09375 B/slot static", () => {
    // https://lore.kernel.org/all/20260517-swap-table-p4-v5-0-88ae43e064c7@tencent.com/
    const r = run("swap-table-p4", { accounting: "letter" });
    expect(r.totals.staticBytes / r.inputs.slots).toBe(0.09375);
    // the kernel's static cost stays close at 1 TiB (a vmalloc'ed 24 MiB array plus the reserved cluster)
    const k = run("swap-table-p4", { size: TiB });
    expect(k.totals.staticBytes / k.inputs.slots).toBeGreaterThan(0.09375);
    expect(k.totals.staticBytes / k.inputs.slots).toBeLessThan(0.096);
  });

  it("P4 v5 memcg table: 1024 B per populated cluster = 2 B per slot (\"peak memory usage is 2 bytes higher\")", () => {
    const r = run("swap-table-p4", { usage: { disk: 512 * 100 - 1 } });
    expect(row(r, "memcg_table")!.bytes).toBe(99 * 1024); // 100 clusters, the header cluster's came at swapon
    const l = run("swap-table-p4", { accounting: "letter", usage: { disk: 512 * 100 - 1 } });
    expect(row(l, "memcg_table")!.bytes).toBe((512 * 100 - 1) * 2);
  });

  it.each([
    ["vswap-rfc-v1", 64, 0],
    ["vswap-rfc-v2", 48, 0],
    ["vswap-v3", 24, 64],
    ["vswap-v6", 24, 64],
  ])("descriptor history: %s costs %d B per entry + %d B per cluster in the letters (64 -> 48 -> 24.125)", (id, perEntry, perCluster) => {
    const entries = 512 * 4096 - 1; // virtual slots 1 .. 2^21 - 1: 4096 clusters (entry 0 is never used)
    const r = run(id, { device: "none", accounting: "letter", usage: { zswap: entries } });
    const desc = r.rows.filter((x) => x.structure === "vswap_desc" || x.structure === "vswap_cluster").reduce((a, x) => a + x.bytes, 0);
    expect(desc).toBe(entries * perEntry + 4096 * perCluster);
  });
});

describe("static cost at swapon by kernel version (16 GiB, 2 CPUs, memcg on): the formulas with kernel rounding", () => {
  // N = 4194304 slots, C = 8192 clusters, A = 256 address spaces
  const SWAP_MAP = 4194304 + 8192 + 16; // vmalloc(4 MiB): 1024 pages; page array 8192 B is vmalloc'ed: 2 pages + kmalloc(16)
  const CG_PAGED = 2048 * 4096 + 16384 + 32; // one page per 2048 slots + vcalloc(2048 * 8)
  const CG_PACKED = 8388608 + 16384 + 32; // vzalloc(2097152 * 4) + its page array
  const BITMAP = 524288; // kvmalloc(65536 longs): kmalloc order 7
  it.each<[string, DeviceKind, number]>([
    // 6.1: swap_map + cluster_info 8C (64 KiB) + percpu (4+12)*2 + swap_cgroup + frontswap_map + address_space 256*192 -> 64 KiB + zswap_tree 16 + extent 64
    ["linux-6.1", "ssd", SWAP_MAP + 65536 + 32 + CG_PAGED + BITMAP + 65536 + 16 + 64],
    ["linux-6.1", "hdd", SWAP_MAP + CG_PAGED + BITMAP + 65536 + 16 + 64],
    // 6.6: no frontswap_map
    ["linux-6.6", "ssd", SWAP_MAP + 65536 + 32 + CG_PAGED + 65536 + 16 + 64],
    // 6.12: cluster_info 24C = 196608 -> 256 KiB; percpu (4+40)*2; zeromap; zswap xarray heads 256*16
    ["linux-6.12", "ssd", SWAP_MAP + 262144 + 88 + CG_PAGED + BITMAP + 65536 + 4096 + 64],
    ["linux-6.12", "hdd", SWAP_MAP + CG_PAGED + BITMAP + 65536 + 4096 + 64],
    // 6.19: packed swap_cgroup, cluster_info 32C on every device, the header cluster's table, global_cluster on HDD
    ["linux-6.19", "ssd", SWAP_MAP + CG_PACKED + BITMAP + 262144 + 4096 + 4096 + 64],
    ["linux-6.19", "hdd", SWAP_MAP + CG_PACKED + BITMAP + 262144 + 64 + 4096 + 4096 + 64],
    // 7.1: no swap_map; cluster_info 40C = 327680 -> 512 KiB
    ["linux-7.1", "ssd", CG_PACKED + BITMAP + 524288 + 4096 + 4096 + 64],
    // P4 v5 (7.2): cluster_info 48C = 393216 -> 512 KiB; header cluster's table + memcg table
    ["swap-table-p4", "ssd", 524288 + 4096 + 1024 + 4096 + 64],
  ])("%s on %s allocates %d bytes at swapon", (id, device, bytes) => {
    expect(run(id, { size: 16 * GiB, device }).totals.staticBytes).toBe(bytes);
  });

  it.each<[string, DeviceKind, number, number]>([
    // kernel-structs approximations without allocator rounding, where rounding is small
    ["linux-6.1", "ssd", 16 * GiB, 3.157],
    ["linux-6.1", "hdd", 16 * GiB, 3.141],
    ["linux-6.6", "ssd", 16 * GiB, 3.032],
    ["linux-6.6", "hdd", 16 * GiB, 3.016],
    ["linux-6.12", "hdd", 16 * GiB, 3.142],
    ["linux-6.12", "ssd", TiB, 3.189],
    ["linux-6.19", "ssd", TiB, 3.189],
    ["linux-7.1", "ssd", TiB, 2.204],
  ])("%s on %s at %d bytes is within 0.5%% of the ~%d·N approximation", (id, device, size, perSlot) => {
    const r = run(id, { size, device });
    expect(Math.abs(r.totals.staticBytes / r.inputs.slots / perSlot - 1)).toBeLessThan(0.005);
  });

  it("memcg off (cgroup_disable=memory) drops swap_cgroup: about 2 B/slot", () => {
    const on = run("linux-6.1", { size: 16 * GiB });
    const off = run("linux-6.1", { size: 16 * GiB, memcg: false });
    expect(on.totals.staticBytes - off.totals.staticBytes).toBe(CG_PAGED);
  });
});

describe("designs and devices", () => {
  it("vswap without a swapfile allocates nothing at swapon", () => {
    expect(run("vswap-v6", { device: "none" }).totals.staticBytes).toBe(0);
  });
  it("a ghost swapfile's static arrays are sized by its declared size (as 6.19's)", () => {
    const g = run("ghost-swapfile", { device: "none" });
    const m = run("linux-6.19", { device: "ssd" });
    expect(g.totals.staticBytes).toBe(m.totals.staticBytes - 64); // no swap_extent: the ghost file has no data section
  });
  it("6.1 allocates cluster_info only for non-rotational devices", () => {
    expect(row(run("linux-6.1", { device: "hdd" }), "cluster_info")).toBeUndefined();
    expect(row(run("linux-6.1", { device: "ssd" }), "cluster_info")).toBeDefined();
    expect(row(run("linux-6.1", { device: "zram" }), "cluster_info")).toBeDefined();
  });
  it("zram devices carry zram's own 24-byte table on 6.1", () => {
    const r = run("linux-6.1", { device: "zram", size: 16 * GiB });
    // vzalloc(96 MiB): 24576 pages + their 196608-byte page array, itself vmalloc'ed (48 pages + kmalloc-512)
    expect(row(r, "zram_table")!.bytes).toBe(4194304 * 24 + 196608 + 512);
  });
  it("redirect: a written-back entry keeps its ghost-tier slot and a redirect; a direct disk entry does not", () => {
    const wb = overhead({ design: resolveDesign("redirect:granularity=entry"), swapSizeBytes: 32 * GiB, device: "ssd", memcg: true, usage: { ...NONE, disk: 1000, zswap: 1000 }, occupancy: { kind: "packed" }, accounting: "kernel", cpus: 2 });
    expect(row(wb, "redirect")!.bytes).toBe(4000);
    const direct = overhead({ design: resolveDesign("redirect"), swapSizeBytes: 32 * GiB, device: "ssd", memcg: true, usage: { ...NONE, disk: 1000 }, occupancy: { kind: "packed" }, accounting: "kernel", cpus: 2 });
    expect(row(direct, "redirect")!.bytes).toBe(0);
  });
  it("devices up to 8 PiB of virtual space do not overflow (vswap-ste-v2, zswap-only)", () => {
    const size = (2 ** 32 - 1) * 512 * 4096;
    const r = run("vswap-ste-v2", { size, device: "none", usage: { zswap: 2 ** 40 } });
    expect(Number.isSafeInteger(r.totals.bytes)).toBe(true);
    expect(r.totals.bytes).toBeGreaterThan(0);
  });
});

describe("bad input is a typed error naming the field", () => {
  it.each<[string, () => unknown, RegExp]>([
    ["disk entries on a ghost swapfile", () => run("ghost-swapfile", { device: "none", usage: { disk: 1 } }), /backend.*ghost-swapfile cannot hold disk/],
    ["a mainline kernel without a swap device", () => run("linux-6.19", { device: "none" }), /device.*needs a swap device/],
    ["more entries than usable slots", () => run("linux-6.19", { size: 16384, usage: { disk: 4 } }), /used entries.*at most 3/],
    ["a physical device beyond 16 TiB", () => run("linux-6.19", { size: 32 * TiB }), /swap size.*__u32/],
    ["a vswap-ste-v1 space beyond 16 TiB", () => run("vswap-ste-v1", { size: 32 * TiB, device: "none" }), /swap size.*UINT_MAX/],
    ["a swap size under two pages", () => run("linux-6.1", { size: 4096 }), /swap size/],
    ["fractional entries", () => run("linux-6.1", { usage: { disk: 1.5 } }), /usage.disk/],
  ])("%s", (_, f, re) => {
    expect(f).toThrow(re);
  });
});
