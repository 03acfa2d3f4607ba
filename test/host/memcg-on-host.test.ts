import { describe, expect, it } from "vitest";
import { allDesigns, resolveDesign } from "../../src/designs/registry.js";
import { analyseHost } from "../../src/host/analyse.js";
import { memcgOnHost } from "../../src/host/memcg-on-host.js";
import { readSnapshotDir } from "../../src/host/reader.js";
import { buildSnapshot } from "../../src/host/snapshot.js";

const analyse = (dir: string) => analyseHost(buildSnapshot(readSnapshotDir(dir)), { designs: allDesigns().slice(0, 2), occupancy: { kind: "packed" }, accounting: "kernel" });
const PAGE = 4096;

describe.each(["lab-6.1-zswap", "lab-6.12-zswap"])("the memcg model on the kernel-lab host %s", (name) => {
  const a = analyse(`data/hosts/${name}`);
  const base = a.baseline!.design;
  const m = memcgOnHost(a, [resolveDesign(base), resolveDesign("vswap-v6"), resolveDesign("swap-table-p4")]);

  it("replaying each leaf's pages under the host's own design gives back the counters the kernel reported", () => {
    expect(m.skipped).toBeNull();
    expect(m.rows.length).toBeGreaterThanOrEqual(5);
    for (const r of m.rows) {
      const mine = r.designs[base]!;
      expect(Math.abs(mine.swapCurrent - r.read.swapCurrent!), `${r.cgroup} memory.swap.current`).toBeLessThanOrEqual(PAGE);
      expect(Math.abs(mine.zswapCurrent - r.read.zswapCurrent!), `${r.cgroup} memory.zswap.current`).toBeLessThanOrEqual(2 * PAGE);
      expect(Math.abs(mine.memoryCurrent - r.read.memoryCurrent!) / r.read.memoryCurrent!, `${r.cgroup} memory.current`).toBeLessThan(0.01);
    }
  });

  it("under vswap-v6 only disk slots are charged to memory.swap: the zswap-only and zero-page groups charge none", () => {
    const by = (p: string) => m.rows.find((r) => r.cgroup === p)!;
    expect(by("/fleet/web").designs["vswap-v6"]!.swapCurrent).toBe(0);
    expect(by("/fleet/idle").designs["vswap-v6"]!.swapCurrent).toBe(0);
    expect(by("/fleet/noz").designs["vswap-v6"]!.swapCurrent).toBe(by("/fleet/noz").read.swapCurrent);
    expect(by("/fleet/web").designs["swap-table-p4"]!.swapCurrent).toBe(by("/fleet/web").read.swapCurrent);
  });

  it("the group at memory.zswap.max hits it under every design", () => {
    const batch = m.rows.find((r) => r.cgroup === "/fleet/batch")!;
    for (const id of [base, "vswap-v6", "swap-table-p4"]) expect(batch.designs[id]!.limitsHit).toContain("memory.zswap.max");
  });
});

describe("memcgOnHost degrades", () => {
  it("cgroup v1 or no swap: not modelled, and why", () => {
    const m = memcgOnHost(analyse("data/hosts/devvm-6.18-noswap"), [resolveDesign("linux-6.19")]);
    expect(m.skipped).toMatch(/no cgroup v2 memory controller \(v1\)/);
    expect(m.rows).toEqual([]);
  });
});
