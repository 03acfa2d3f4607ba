import { describe, expect, it } from "vitest";
import { DEFAULT_MEMCG_CASES, footprintCase, swapVsDiskCase, tenantCase, tenantCgroups, zeroPageCase, zswapOnlyCase, type MemcgCaseParams } from "../../src/sweep/memcg-cases.js";

const MiB = 1024 * 1024;
const P: MemcgCaseParams = {
  ...DEFAULT_MEMCG_CASES,
  anonBytes: 256 * MiB,
  memoryMaxBytes: 128 * MiB,
  swapSizeBytes: 1024 * MiB,
  tenantAnonBytes: [384 * MiB, 192 * MiB],
  parentMemoryMaxBytes: 384 * MiB,
  parentSwapMaxBytes: 128 * MiB,
};
const MAINLINE = ["linux-6.1", "linux-6.12", "linux-7.1", "swap-table-p4"];
const VSWAP = ["vswap-v6", "vswap-ste-v2"];

describe("issue 4 §4 cases (small sizes)", () => {
  it("(a) zswap-only with memory.swap.max=0: mainline cannot use zswap and OOMs; vswap fits in zswap", () => {
    const rows = zswapOnlyCase(P);
    for (const r of rows.filter((x) => MAINLINE.includes(x.design) && x.swapMaxBytes === 0)) {
      expect(r.zswapCurrentBytes).toBe(0);
      expect(r.oom).toBe(true);
      expect(r.limitsHit).toContain("memory.swap.max");
    }
    for (const r of rows.filter((x) => MAINLINE.includes(x.design) && x.swapDevice === "none")) expect(r.zswapCurrentBytes).toBe(0);
    for (const r of rows.filter((x) => VSWAP.includes(x.design))) {
      expect(r.oom).toBe(false);
      expect(r.swapCurrentBytes).toBe(0);
      expect(r.memoryCurrentBytes).toBeLessThanOrEqual(P.memoryMaxBytes);
    }
  });

  it("(b) mainline's memory.swap.current stays at every swapped page whatever is on disk; vswap's follows the disk", () => {
    for (const r of swapVsDiskCase(P)) {
      if (MAINLINE.includes(r.design)) expect(r.swapCurrentBytes).toBe(P.anonBytes);
      if (VSWAP.includes(r.design)) expect(r.swapCurrentBytes).toBe(r.diskBytes);
    }
  });

  it("(c) with disk swap, vswap's memory.swap.current misses exactly the zero pages; mainline shows every swapped page", () => {
    for (const r of zeroPageCase(P).filter((x) => x.backend === "disk")) {
      if (VSWAP.includes(r.design)) expect(r.pagesNotShown).toBe(r.zeroPages);
      if (MAINLINE.includes(r.design)) expect(r.pagesNotShown).toBe(0);
    }
  });

  it("(d) two tenants: the parent's memory.swap.max makes mainline OOM, vswap stays under the parent's memory.max", () => {
    const rows = tenantCase(P);
    for (const r of rows.filter((x) => x.cgroup === "/tenants")) {
      if (MAINLINE.includes(r.design)) expect(r.oom).toBe(true);
      if (VSWAP.includes(r.design)) {
        expect(r.oom).toBe(false);
        expect(r.memoryCurrentBytes).toBeLessThanOrEqual(P.parentMemoryMaxBytes);
      }
    }
  });

  it("(e) the pool never holds less than what is charged; zbud holds at least 2048 B per page, 2-5× the charge for small objects", () => {
    const rows = footprintCase(P);
    for (const r of rows) expect(r.realBytesPerPage).toBeGreaterThan(r.chargedBytesPerPage);
    const zbud400 = rows.find((r) => r.design === "linux-6.1" && r.zpool === "zbud" && r.compressedBytes === 400)!;
    const zs400 = rows.find((r) => r.design === "linux-6.1" && r.zpool === "zsmalloc" && r.compressedBytes === 400)!;
    expect(zbud400.poolBytesPerPage).toBe(2048);
    expect(zbud400.realOverCharged).toBeGreaterThan(5);
    expect(zs400.realOverCharged).toBeLessThan(1.3);
    expect(rows.some((r) => r.design === "linux-7.1" && r.zpool === "zbud")).toBe(false);
  });
});

describe("(d) the zero-page share of the second tenant is a parameter", () => {
  it("t2 has tenantTwoZeroSharePercent zero pages, t1 none", () => {
    for (const pct of [0, 10, 35]) {
      const cg = tenantCgroups({ ...P, tenantTwoZeroSharePercent: pct });
      expect(cg.find((c) => c.name === "t1")!.workload!.zeroShare ?? 0).toBe(0);
      expect(cg.find((c) => c.name === "t2")!.workload!.zeroShare).toBeCloseTo(pct / 100, 12);
    }
  });
});
