import { describe, expect, it } from "vitest";
import { allDesigns } from "../../src/designs/registry.js";
import { analyseHost } from "../../src/host/analyse.js";
import { BYTES_MAPPED_PER_PT_KB, memcgCgroupsOf, swapoffWorkloadOf } from "../../src/host/model-inputs.js";
import { readSnapshotDir } from "../../src/host/reader.js";
import { buildSnapshot } from "../../src/host/snapshot.js";

const analyse = (dir: string) => analyseHost(buildSnapshot(readSnapshotDir(dir)), { designs: allDesigns().slice(0, 3), occupancy: { kind: "packed" }, accounting: "kernel" });

describe("memcgCgroupsOf: the host's cgroups as the memcg model's input", () => {
  const a = analyse("data/hosts/lab-6.1-zswap");
  const { cgroups } = memcgCgroupsOf(a);
  const by = (p: string) => cgroups.find((c) => c.path === p)!;

  it("keeps the tree down to every group with swap in use; names are paths with / → .", () => {
    expect(cgroups.map((c) => [c.name, c.parent])).toEqual([
      ["fleet", null],
      ["fleet.batch", "fleet"],
      ["fleet.idle", "fleet"],
      ["fleet.noz", "fleet"],
      ["fleet.web", "fleet"],
    ]);
    expect(by("/fleet").workload).toBeUndefined();
  });

  it("leaves replay the pages they have out: memory.swap.current, the charged ratio, same-filled pages as zero", () => {
    const web = by("/fleet/web");
    const g = a.cgroups.groups.find((x) => x.path === "/fleet/web")!;
    expect(web.workload!.anonBytes).toBe(g.swapCurrent);
    expect(web.workload!.compressibility.ratio).toBeCloseTo(g.zswappedBytes! / g.zswapCurrent!, 9);
    expect(by("/fleet/idle").workload!.zeroShare).toBe(1); // 64 MiB of zero pages: zswap entries with no compressed bytes on 6.1
  });

  it("pages refused by a limit are left to the limit, not called incompressible", () => {
    expect(by("/fleet/batch").zswapMaxBytes).toBe(8 * 2 ** 20);
    expect(by("/fleet/batch").workload!.incompressibleShare).toBe(0);
    expect(by("/fleet/noz")).toMatchObject({ zswapMaxBytes: 0, workload: { incompressibleShare: 0 } });
  });

  it("no cgroup v2 memory controller: no input, and why", () => {
    const r = memcgCgroupsOf(analyse("data/hosts/devvm-6.18-noswap"));
    expect(r.cgroups).toEqual([]);
    expect(r.notes[0]).toMatch(/no cgroup v2 memory controller \(v1\)/);
  });
});

describe("swapoffWorkloadOf: the mms swapoff would walk", () => {
  it("from swapcost/mm-summary: processes holding swap and their page tables at 2 MiB per PTE page", () => {
    const a = analyse("data/hosts/lab-6.12-zswap");
    const w = swapoffWorkloadOf(a).workload!;
    expect(w.processes).toBe(a.processes!.swappingProcesses);
    expect(w.mappedBytes).toBe(a.processes!.vmpteKbSwapping * BYTES_MAPPED_PER_PT_KB);
    expect(BYTES_MAPPED_PER_PT_KB * 4).toBe(2 * 2 ** 20);
  });
  it("without the summary: no workload, and why", () => {
    expect(swapoffWorkloadOf(analyse("test/fixtures/hosts/cgroup-v1")).notes[0]).toMatch(/cannot be sized/);
  });
});
