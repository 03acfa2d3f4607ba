/**
 * The rows notebook 05 shows (src/lab/compare.ts): the lab's setup comes from the CSV headers, the
 * static and zram rows hold the model to what the lab tests hold it to, and the swapoff trend
 * verdicts follow the ranges of the repetitions.
 */
import { describe, expect, it } from "vitest";
import { labSetup, staticLabRows, swapoffPoints, swapoffTrends, zramLabRows, type SwapoffPoint } from "../../src/lab/compare.js";
import { labKernels, MEMCG_LAB_KERNELS } from "../../src/lab/memcg-lab.js";
import { readStatic } from "../../src/lab/data.js";

const ROOT = process.cwd();

describe("labSetup: the setup as the CSV headers record it", () => {
  const setup = labSetup(ROOT);
  it("one entry per lab kernel, with its package, QEMU, accelerator and guest", () => {
    expect(setup.map((s) => s.release)).toEqual(MEMCG_LAB_KERNELS.map((k) => k.release));
    for (const s of setup) {
      expect(s.pkg).toMatch(new RegExp(`^linux-image-${s.release.replace(/[+.]/g, "\\$&")} `));
      expect(s.qemu).toMatch(/^QEMU emulator version /);
      expect(s.accel).toMatch(/^(tcg|kvm) /);
      expect(s.guestRamMiB).toBe(4096);
      expect(s.vcpus).toBe(2);
    }
  });
  it("every boot of every table with its command line and date (static, static-nomemcg, zram, zswap, swapoff)", () => {
    for (const s of setup) {
      expect(s.boots.map((b) => b.boot).sort()).toEqual(["static", "static-nomemcg", "swapoff", "zram", "zswap"]);
      for (const b of s.boots) {
        expect(b.cmdline).toMatch(/^console=ttyS0 .*lab=/);
        expect(Number.isNaN(Date.parse(b.date))).toBe(false);
        expect(b.status).toBe("completed");
      }
      expect(s.boots.find((b) => b.boot === "static-nomemcg")!.cmdline).toContain("cgroup_disable=memory");
      expect(s.boots.find((b) => b.boot === "zswap")!.cmdline).toContain("slub_nomerge");
    }
  });
  it("labKernels picks by uname -r or label and refuses unknown kernels", () => {
    expect(labKernels("all")).toHaveLength(MEMCG_LAB_KERNELS.length);
    expect(labKernels("6.12.95").map((k) => k.design)).toEqual(["linux-6.12"]);
    expect(() => labKernels("5.10.0-1-amd64")).toThrow(/no lab kernel "5.10.0-1-amd64"/);
  });
});

describe("staticLabRows / zramLabRows", () => {
  const st = staticLabRows(ROOT);
  it("every (kernel, kind, memcg, size) median of the lab, and the model holds to 0.5 % from 16 GiB, 64 KiB below", () => {
    for (const k of MEMCG_LAB_KERNELS) {
      const sizes = new Set(readStatic(ROOT, k.release).rows.map((r) => r.size_gib));
      expect(st.filter((r) => r.release === k.release)).toHaveLength(sizes.size * 4);
    }
    const bad = st.filter((r) => !r.ok).map((r) => `${r.kernel} ${r.sizeGiB} GiB ${r.kind} memcg ${r.memcg}: ${(r.relErr * 100).toFixed(3)} %`);
    expect(bad).toEqual([]);
    expect(st.every((r) => r.measuredMinBytes <= r.measuredBytes && r.measuredBytes <= r.measuredMaxBytes)).toBe(true);
  });
  it("zram: the model within 0.5 % of table + swapon from 16 GiB", () => {
    const zr = zramLabRows(ROOT);
    expect(zr.length).toBeGreaterThan(0);
    for (const r of zr.filter((x) => x.sizeGiB >= 16)) expect(Math.abs(r.relErr), `${r.kernel} ${r.sizeGiB} GiB`).toBeLessThan(0.005);
    for (const r of zr) expect(r.measuredBytes).toBe(r.disksizeBytes + r.swaponBytes);
  });
});

describe("swapoff: points and trends", () => {
  it("every series of both kernels, 5 repetitions per level, medians inside their ranges", () => {
    const ps = swapoffPoints(ROOT);
    for (const k of MEMCG_LAB_KERNELS) {
      const series = new Set(ps.filter((p) => p.kernel === k.label).map((p) => p.series));
      expect([...series].sort()).toEqual(["devsize", "pages_disk", "pages_zswap", "ptes_other", "ptes_swapped"]);
    }
    for (const p of ps) {
      expect(p.reps).toBe(5);
      expect(p.minMs).toBeLessThanOrEqual(p.medianMs);
      expect(p.medianMs).toBeLessThanOrEqual(p.maxMs);
    }
  });
  it("the verdict compares the ranges of the first and last levels (synthetic points)", () => {
    const pt = (x: number, lo: number, med: number, hi: number): SwapoffPoint => ({ kernel: "k", series: "pages_disk", x, reps: 5, medianMs: med, minMs: lo, maxMs: hi, calibMedianMs: 1 });
    const grows = swapoffTrends([pt(0, 10, 12, 14), pt(10, 15, 30, 40)])[0];
    expect(grows.verdict).toBe("grows");
    expect(grows.slopeMsPerX).toBeCloseTo(1.8);
    expect(grows.ratio).toBeCloseTo(2.5);
    expect(swapoffTrends([pt(0, 10, 12, 20), pt(10, 15, 30, 40)])[0].verdict).toBe("flat");
    expect(swapoffTrends([pt(0, 30, 35, 40), pt(10, 10, 12, 14)])[0].verdict).toBe("falls");
  });
  it("the measured data: swapoff time grows with swapped pages on both kernels, and not with the PTEs of an mm that never swapped", () => {
    const t = swapoffTrends(swapoffPoints(ROOT));
    for (const k of MEMCG_LAB_KERNELS) {
      expect(t.find((x) => x.kernel === k.label && x.series === "pages_disk")!.verdict).toBe("grows");
      expect(t.find((x) => x.kernel === k.label && x.series === "ptes_other")!.verdict).toBe("flat");
    }
  });
});
