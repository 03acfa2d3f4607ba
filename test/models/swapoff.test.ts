import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import type { DeviceKind } from "../../src/designs/types.js";
import { isInputError } from "../../src/errors.js";
import { chunkUse } from "../../src/models/occupancy.js";
import { overhead, type Usage } from "../../src/models/overhead.js";
import { DEFAULT_COSTS, withOverrides, type SwapoffCosts } from "../../src/models/swapoff-costs.js";
import { designsWithRules, pathsOf } from "../../src/models/swapoff-paths.js";
import { lastUsedSlot, swapoff, type SwapoffInput, type SwapoffResult, type SwapoffWorkload } from "../../src/models/swapoff.js";
import { allDesigns } from "../../src/designs/registry.js";
import { GiB, TiB } from "../../src/units/bytes.js";

const N32 = (32 * GiB) / 4096; // 8,388,608 slots
const HALF = N32 / 2; // 4,194,304 entries: 50% of the usable slots, rounded as usageOf does

function usage(u: Partial<Usage>): Usage {
  return { disk: 0, zswap: 0, zero: 0, cache: 0, ...u };
}

function run(id: string, opts: { usage?: Partial<Usage>; workload?: Partial<SwapoffWorkload>; device?: DeviceKind; size?: number; costs?: SwapoffCosts; reverseMap?: boolean; writebackShare?: number; occupancy?: SwapoffInput["occupancy"] } = {}): SwapoffResult {
  return swapoff({
    design: resolveDesign(id),
    swapSizeBytes: opts.size ?? 32 * GiB,
    device: opts.device ?? "ssd",
    usage: usage(opts.usage ?? { disk: HALF }),
    occupancy: opts.occupancy ?? { kind: "packed" },
    memcg: true,
    cpus: 8,
    writebackShare: opts.writebackShare,
    workload: { processes: 1, mappedBytes: 144 * GiB, ...opts.workload },
    costs: opts.costs ?? DEFAULT_COSTS,
    reverseMap: opts.reverseMap,
  });
}

function expectInputError(fn: () => unknown, field: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toMatch(field);
    return;
  }
  throw new Error("expected an input error");
}

describe("every built-in design has swapoff and transfer rules keyed by its id", () => {
  it.each(allDesigns().map((d) => d.id))("pathsOf(%s) matches by design id", (id) => {
    expect(pathsOf(resolveDesign(id)).matchedBy).toBe("design");
    expect(designsWithRules()).toContain(id);
  });
  it("a custom design falls back on its family", () => {
    const d = { ...resolveDesign("vswap-v6"), id: "my-vswap" };
    const p = pathsOf(d);
    expect(p.matchedBy).toBe("family");
    expect(p.swapoff.method).toBe("virtual");
  });
});

describe("mainline try_to_unuse: counts as the code paths define them (32 GiB, 50% on disk, 144 GiB walked by 1 mm)", () => {
  const r = run("linux-6.12");
  it.each([
    ["passes", 1],
    ["mmsWalked", 1],
    ["vmasWalked", 1],
    ["pmdsVisited", (144 * GiB) / (2 * 1024 * 1024)], // 73,728 PMD entries
    ["pmdsSkipped", 0],
    ["ptesScanned", (144 * GiB) / 4096], // 37,748,736: the page-table span, not RSS
    ["swapIns", HALF],
    ["swapInsFromDevice", HALF],
    ["syncReads", HALF / 8], // readahead window of 1 << page_cluster = 8 pages
    ["ptesRestored", HALF],
    ["slotsScanned", 0], // si->inuse_pages is 0 after the walk: find_next_to_unuse never runs
    ["rmapLookups", 0],
    ["descriptorUpdates", 0],
    ["slotsFreedAtTeardown", N32],
  ] as const)("work.%s = %d", (key, value) => {
    expect(r.work[key]).toBe(value);
  });
  it("the estimate is the sum of count x cost over the phases, by hand", () => {
    const cpu = 1 * 1000 + 1 * 100 + 73728 * 20 + 37748736 * 1 + HALF * (2000 + 300) + N32 * 0.05;
    const io = (HALF / 8) * (50_000 + (8 * 4096 * 1e9) / 2e9);
    expect(r.estimate.sysNs).toBeCloseTo(cpu, 3);
    expect(r.estimate.ioWaitNs).toBeCloseTo(io, 3);
    expect(r.estimate.realNs).toBeCloseTo(cpu + io + 10_000_000, 3);
    expect(r.estimate.estimatedNs).toBe(r.estimate.realNs);
    expect(r.phases.reduce((a, p) => a + p.cpuNs, 0)).toBeCloseTo(r.estimate.sysNs, 3);
  });
  it("a clean swapoff: nothing left, all the device's metadata freed (the overhead model's total)", () => {
    const before = overhead({ design: resolveDesign("linux-6.12"), swapSizeBytes: 32 * GiB, device: "ssd", memcg: true, usage: usage({ disk: HALF }), occupancy: { kind: "packed" }, accounting: "kernel", cpus: 8 });
    expect(r.remaining).toMatchObject({ clean: true, minorFaultsLater: 0, metadataHeldBytes: 0, metadataFreedBytes: before.totals.bytes });
  });
  it("VMA span beyond the present PTE tables only adds skipped PMD entries (none/huge PMDs)", () => {
    const s = run("linux-6.12", { workload: { vmaSpanBytes: 256 * GiB } });
    expect(s.work.pmdsVisited).toBe(131072);
    expect(s.work.pmdsSkipped).toBe(131072 - 73728);
    expect(s.work.ptesScanned).toBe(r.work.ptesScanned);
  });
  it("mms that never swapped are not on init_mm.mmlist: 1 TiB of their PTEs adds nothing", () => {
    const s = run("linux-6.12", { workload: { idleProcesses: 50, idleMappedBytes: 1 * TiB } });
    expect(s.work.idlePtesScanned).toBe(0);
    expect(s.work.ptesScanned).toBe(r.work.ptesScanned);
    expect(s.estimate.realNs).toBe(r.estimate.realNs);
  });
  it("fork-shared entries: one swap-in per entry, one restore per PTE", () => {
    const s = run("linux-6.12", { workload: { mappingsPerEntry: 3, mappedBytes: 3 * 16 * GiB } });
    expect(s.work.swapIns).toBe(HALF);
    expect(s.work.ptesRestored).toBe(3 * HALF);
  });
});

describe("mainline: the slot scan, shmem, retries, backends", () => {
  it("swap-cache-only entries keep inuse_pages > 0 after the walk: find_next_to_unuse scans up to the last of them", () => {
    const s = run("linux-6.1", { usage: { disk: 1_000_000, cache: 100_000 }, workload: { mappedBytes: 1_000_000 * 4096 } });
    expect(s.work.swapCacheOnlyFreed).toBe(100_000);
    expect(s.work.slotsScanned).toBe(1_100_000); // packed: slots 1..1,100,000
    expect(s.work.swapIns).toBe(1_000_000);
  });
  it.each([
    [{ kind: "packed" } as const, 1_000],
    [{ kind: "random" } as const, Math.round((1000 * N32) / 1001)],
    [{ kind: "mean", entriesPerCluster: 10 } as const, 100 * 512 - 1],
  ])("lastUsedSlot(1000 entries, 32 GiB, %o) = %d", (occ, slot) => {
    expect(lastUsedSlot(1000, N32, occ)).toBe(slot);
  });
  it("each retry pass walks every mm again and scans the slots to si->max", () => {
    const s = run("linux-7.1", { workload: { retries: 2 } });
    expect(s.work.passes).toBe(3);
    expect(s.work.ptesScanned).toBe(3 * (144 * GiB) / 4096);
    expect(s.work.slotsScanned).toBe(2 * (N32 - 1));
    expect(s.work.swapIns).toBe(HALF);
  });
  it("shmem_unuse visits every present xarray entry of every swaplist inode; the anon entries still need the walk", () => {
    const s = run("linux-6.12", { usage: { disk: 200_000 }, workload: { mappedBytes: 150_000 * 4096, shmemEntries: 50_000, shmemInodes: 4, shmemXarrayEntries: 300_000 } });
    expect(s.work.shmemInodesVisited).toBe(4);
    expect(s.work.shmemEntriesVisited).toBe(300_000);
    expect(s.work.ptesRestored).toBe(150_000);
    expect(s.work.mmsWalked).toBe(1);
  });
  it("only shmem entries: the device is empty after shmem_unuse, so the mmlist loop does not walk any mm", () => {
    const s = run("linux-6.12", { usage: { disk: 50_000 }, workload: { mappedBytes: 64 * GiB, shmemEntries: 50_000 } });
    expect(s.work.mmsWalked).toBe(0);
    expect(s.work.ptesScanned).toBe(0);
    expect(s.work.swapIns).toBe(50_000);
  });
  it("zswap entries are decompressed, not read: no IO wait", () => {
    const s = run("linux-6.12", { usage: { zswap: HALF } });
    expect(s.work.swapInsFromZswap).toBe(HALF);
    expect(s.work.syncReads).toBe(0);
    expect(s.estimate.ioWaitNs).toBe(0);
    expect(s.costs.map((c) => c.name)).toContain("zswapLoadNs");
  });
  it("a zram device is read by decompression on the CPU: no IO wait", () => {
    const s = run("linux-6.12", { device: "zram" });
    expect(s.work.syncReads).toBe(0);
    expect(s.estimate.ioWaitNs).toBe(0);
    expect(s.estimate.sysNs).toBeGreaterThan(run("linux-6.12").estimate.sysNs);
  });
  it("the ghost swapfile is swapped off with the mainline walk, every swap-in a zswap load", () => {
    const s = run("ghost-swapfile", { device: "none", usage: { zswap: HALF } });
    expect(s.method).toBe("pte-walk");
    expect(s.work.swapInsFromZswap).toBe(HALF);
    expect(s.work.ptesScanned).toBe((144 * GiB) / 4096);
  });
  it("the 7.2 code path scans the swap table, the 6.1 one swap_map", () => {
    expect(pathsOf(resolveDesign("swap-table-p4")).swapoff.walk.slotItem).toMatch(/swap table/);
    expect(pathsOf(resolveDesign("linux-6.1")).swapoff.walk.slotItem).toMatch(/swap_map/);
  });
});

describe("the swap-cache-only what-if (read every entry into the swap cache, no PTE walk) on a direct-mapped design", () => {
  const s = swapoff({
    design: resolveDesign("linux-6.19"), swapSizeBytes: 32 * GiB, device: "ssd", usage: usage({ disk: HALF }), occupancy: { kind: "packed" },
    memcg: true, cpus: 8, workload: { processes: 1, mappedBytes: 144 * GiB }, costs: DEFAULT_COSTS, mode: "swapcache-only",
  });
  it("walks no page table, reads every entry once, restores no PTE", () => {
    expect(s.work).toMatchObject({ ptesScanned: 0, mmsWalked: 0, swapIns: HALF, ptesRestored: 0, slotsScanned: HALF, asyncReads: HALF, slotsFreedAtTeardown: 0 });
  });
  it("frees nothing: the device's whole metadata stays held, every page is a minor fault away", () => {
    const before = overhead({ design: resolveDesign("linux-6.19"), swapSizeBytes: 32 * GiB, device: "ssd", memcg: true, usage: usage({ disk: HALF }), occupancy: { kind: "packed" }, accounting: "kernel", cpus: 8 });
    expect(s.remaining).toMatchObject({ clean: false, metadataFreedBytes: 0, metadataHeldBytes: before.totals.bytes, minorFaultsLater: HALF });
  });
  it("is refused for a virtual design (it re-points its slots anyway)", () => {
    expect(() => swapoff({ ...{ design: resolveDesign("vswap-v6"), swapSizeBytes: 32 * GiB, device: "ssd" as const, usage: usage({ disk: HALF }), occupancy: { kind: "packed" as const }, memcg: true, cpus: 8, workload: { processes: 1, mappedBytes: 0 }, costs: DEFAULT_COSTS }, mode: "swapcache-only" })).toThrow(/^mode: /);
  });
});

describe("virtual layer: no PTE walk, the device's slots or the in-use virtual clusters", () => {
  it("vswap-v6 with its reverse map: two rounds over the device's slots, two lookups and one re-point per entry", () => {
    const s = run("vswap-v6");
    expect(s.method).toBe("virtual");
    expect(s.work.ptesScanned).toBe(0);
    expect(s.work.mmsWalked).toBe(0);
    expect(s.work.slotsScanned).toBe(N32 - 1 + HALF); // round 1 to si->max, round 2 to the last used slot
    expect(s.work.rmapLookups).toBe(2 * HALF);
    expect(s.work.descriptorUpdates).toBe(HALF);
    expect(s.work.asyncReads).toBe(HALF);
    expect(s.work.syncReads).toBe(0);
  });
  it("without a reverse map: every slot of every in-use virtual cluster, twice", () => {
    const s = run("vswap-v6", { reverseMap: false });
    // packed from virtual slot 1 (vswap never allocates virtual slot 0): ceil((1 + entries) / 512) clusters
    expect(resolveDesign("vswap-v6").layers.virtualHeaderSlots).toBe(1);
    expect(s.work.virtualSlotsScanned).toBe(2 * Math.ceil((1 + HALF) / 512) * 512);
    expect(s.work.slotsScanned).toBe(0);
    expect(s.work.rmapLookups).toBe(0);
  });
  it("zswap entries are not on the device: only the disk entries are swapped in; without rmap the scan still covers the zswap entries' clusters", () => {
    const u = { disk: HALF / 2, zswap: HALF / 2 };
    const s = run("vswap-v6", { usage: u });
    expect(s.work.swapIns).toBe(HALF / 2);
    const wo = run("vswap-v6", { usage: u, reverseMap: false });
    const clusters = chunkUse(HALF, { slots: N32, leadingReserved: resolveDesign("vswap-v6").layers.virtualHeaderSlots ?? 0 }, 512, { kind: "packed" }).inUse;
    expect(wo.work.virtualSlotsScanned).toBe(2 * clusters * 512);
  });
  it("the mapped span does not matter: no page table is walked", () => {
    expect(run("vswap-v6", { workload: { mappedBytes: 1 * TiB } }).estimate.realNs).toBe(run("vswap-v6", { workload: { mappedBytes: 16 * GiB } }).estimate.realNs);
  });
  it("not a clean swapoff: a minor fault per entry to come, the virtual-layer metadata still held (from the overhead model)", () => {
    const s = run("vswap-v6");
    const after = overhead({ design: resolveDesign("vswap-v6"), swapSizeBytes: 32 * GiB, device: "none", memcg: true, usage: usage({ cache: HALF }), occupancy: { kind: "packed" }, accounting: "kernel", cpus: 8, writebackShare: 0 });
    expect(s.remaining.clean).toBe(false);
    expect(s.remaining.minorFaultsLater).toBe(HALF);
    expect(s.remaining.minorFaultNs).toBe(HALF * 500);
    expect(s.remaining.metadataHeldBytes).toBe(after.rows.filter((r) => r.layer === "virtual").reduce((a, r) => a + r.bytes, 0));
    expect(s.remaining.metadataHeldBytes).toBeGreaterThan(0);
  });
  it("ghost-p4: entries swapped to the device without the ghost layer still need the old walk (--direct-share)", () => {
    const s = run("ghost-p4", { workload: { directShare: 0.25, mappedBytes: 144 * GiB } });
    expect(s.work.swapIns).toBe(HALF);
    expect(s.work.descriptorUpdates).toBe(HALF * 0.75);
    expect(s.work.ptesRestored).toBe(HALF * 0.25);
    expect(s.work.ptesScanned).toBe((144 * GiB) / 4096);
    expect(s.estimate.ioMode).toBe("mixed");
  });
  it("redirect: written-back entries are found by scanning the ghost tier, the rest by the walk", () => {
    const u = { disk: HALF / 2, zswap: HALF / 2 };
    const all = run("redirect", { usage: u, writebackShare: 1 });
    expect(all.work.ptesScanned).toBe(0);
    expect(all.work.virtualSlotsScanned).toBeGreaterThan(0);
    const none = run("redirect", { usage: u, writebackShare: 0 });
    expect(none.work.virtualSlotsScanned).toBe(0);
    expect(none.work.ptesRestored).toBe(HALF / 2);
  });
});

describe("bad input is rejected naming the field", () => {
  it.each([
    ["mapped smaller than the swapped anon data", () => run("linux-6.12", { workload: { mappedBytes: 1 * GiB } }), /^mapped: /],
    ["mapped not a whole page", () => run("linux-6.12", { workload: { mappedBytes: 144 * GiB + 1 } }), /^mapped: /],
    ["vma span below mapped", () => run("linux-6.12", { workload: { vmaSpanBytes: 1 * GiB } }), /^vma span: /],
    ["no device for a physical swapoff", () => run("vswap-v6", { device: "none" }), /^device: /],
    ["direct share on vswap", () => run("vswap-v6", { workload: { directShare: 0.5 } }), /^direct share: /],
    ["more shmem entries than swapped entries", () => run("linux-6.12", { usage: { disk: 10 }, workload: { shmemEntries: 11, mappedBytes: 4096 * 10 } }), /^shmem entries: /],
    ["swapped anon entries with no mm on mmlist", () => run("linux-6.12", { workload: { processes: 0 } }), /^processes: /],
    ["a negative cost", () => withOverrides(DEFAULT_COSTS, { pteVisitNs: -1 }), /^cost pteVisitNs: /],
    ["an unknown cost", () => withOverrides(DEFAULT_COSTS, { pteNs: 1 }), /^cost parameter: /],
  ])("%s", (_what, fn, field) => expectInputError(fn, field));
});

describe("monotonicity (property tests)", () => {
  it("mainline: more walked page-table span never costs less, and only the walk phase grows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 16 * 512, max: 512 * 512 }), fc.integer({ min: 0, max: 512 * 512 }), (tables, extra) => {
        const a = run("linux-6.12", { workload: { mappedBytes: tables * 2 * 1024 * 1024 } });
        const b = run("linux-6.12", { workload: { mappedBytes: (tables + extra) * 2 * 1024 * 1024 } });
        return b.estimate.realNs >= a.estimate.realNs && b.work.ptesScanned - a.work.ptesScanned === extra * 512 && b.work.swapIns === a.work.swapIns;
      }),
      { numRuns: 1000 },
    );
  });
  it("every design: more swapped entries never means fewer swap-ins or less time", () => {
    const ids = allDesigns().filter((d) => d.entryKinds.includes("disk")).map((d) => d.id);
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.integer({ min: 0, max: N32 / 2 }), fc.integer({ min: 0, max: N32 / 2 - 1 }), (id, e1, de) => {
        const mapped = Math.ceil((e1 + de) / 512) * 512 * 4096;
        const a = run(id, { usage: { disk: e1 }, workload: { mappedBytes: Math.max(mapped, 4096) } });
        const b = run(id, { usage: { disk: e1 + de }, workload: { mappedBytes: Math.max(mapped, 4096) } });
        return b.work.swapIns >= a.work.swapIns && b.estimate.realNs >= a.estimate.realNs - 1e-6 && b.estimate.sysNs >= a.estimate.sysNs - 1e-6;
      }),
      { numRuns: 1000 },
    );
  });
  it("raising any per-item cost never lowers an estimate", () => {
    const names = ["pteVisitNs", "pmdVisitNs", "swapInCpuNs", "unusePteNs", "slotScanNs", "rmapLookupNs", "vswapStoreNs", "descScanNs", "ssdReadLatencyNs"] as const;
    fc.assert(
      fc.property(fc.constantFrom("linux-6.1", "linux-7.1", "vswap-v6", "ghost-p4", "redirect"), fc.constantFrom(...names), fc.double({ min: 0, max: 1000, noNaN: true }), fc.boolean(), (id, name, delta, rmap) => {
        const base = DEFAULT_COSTS.params[name].value;
        const a = run(id, { usage: { disk: 100_000, cache: 1_000 }, workload: { mappedBytes: 8 * GiB }, reverseMap: rmap });
        const b = run(id, { usage: { disk: 100_000, cache: 1_000 }, workload: { mappedBytes: 8 * GiB }, reverseMap: rmap, costs: withOverrides(DEFAULT_COSTS, { [name]: base + delta }) });
        return b.estimate.realNs >= a.estimate.realNs - 1e-6;
      }),
      { numRuns: 1000 },
    );
  });
});
