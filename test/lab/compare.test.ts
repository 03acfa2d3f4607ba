/**
 * The rows notebook 05 shows (src/lab/compare.ts): the lab's setup comes from the CSV headers, the
 * static and zram rows hold the model to what the lab tests hold it to, and swapoff's levels sit
 * beside the swapoff model calibrated on them.
 */
import { describe, expect, it } from "vitest";
import { labSetup, staticLabRows, swapoffFits, zramLabRows } from "../../src/lab/compare.js";
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

describe("swapoffFits: the swapoff model calibrated on the lab (TCG)", () => {
  const { fits, levels } = swapoffFits(ROOT);
  it("one disk and one zswap fit per kernel, every level of every series beside the fit", () => {
    for (const k of MEMCG_LAB_KERNELS) {
      expect(fits.filter((f) => f.kernel === k.label).map((f) => f.backend)).toEqual(["disk", "zswap"]);
      const series = new Set(levels.filter((l) => l.kernel === k.label).map((l) => l.series));
      expect([...series].sort()).toEqual(["devsize", "pages_disk", "pages_zswap", "ptes_other", "ptes_swapped"]);
    }
    for (const l of levels) {
      expect(l.reps).toBe(5);
      expect(l.minMs).toBeLessThanOrEqual(l.medianMs);
      expect(l.medianMs).toBeLessThanOrEqual(l.maxMs);
    }
  });
  it("a level's fitted time is the fit's own prediction: Σ coefficient × the level's work", () => {
    const f = fits.find((x) => x.kernel === MEMCG_LAB_KERNELS[0].label && x.backend === "disk")!;
    const big = levels.find((l) => l.kernel === f.kernel && l.series === "pages_disk" && l.x > 200)!;
    const c = f.fit.coefficients;
    // 256 MiB swapped on the 8 GiB device, with the VMA's PTEs (VmPTE × 128) walked
    const pages = Math.round((big.x * 1024 * 1024) / 4096);
    const lower = c.fixedNs + c.perEntryNs * pages + c.perSlotNs * 8 * 262144;
    expect(big.fittedMs * 1e6).toBeGreaterThanOrEqual(lower);
    expect(big.fittedMs * 1e6 - lower).toBeLessThan(c.pteVisitNs * 600 * 128 + 1);
  });
  it("the disk fits explain the level medians (r² > 0.9) and find time per swapped page", () => {
    for (const f of fits.filter((x) => x.backend === "disk")) {
      expect(f.fit.r2, f.kernel).toBeGreaterThan(0.9);
      expect(f.fit.coefficients.perEntryNs, f.kernel).toBeGreaterThan(0);
      expect(f.trends?.verdicts.length, f.kernel).toBeGreaterThan(0);
    }
  });
});
