import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import { isInputError } from "../../src/errors.js";
import type { Usage } from "../../src/models/overhead.js";
import { DEFAULT_COSTS } from "../../src/models/swapoff-costs.js";
import { transfer, transferKind, type TransferEndpoint, type TransferResult } from "../../src/models/transfer.js";
import { GiB } from "../../src/units/bytes.js";

const STATE: Usage = { disk: 2_097_152, zswap: 2_097_152, zero: 0, cache: 0 }; // 32 GiB, 50% used, half on disk
const E = 262_144; // 1 GiB of entries

function move(id: string, from: TransferEndpoint, to: TransferEndpoint, opts: { entries?: number; usage?: Usage; mappings?: number; mappedBytes?: number; reverseMap?: boolean; writebackShare?: number } = {}): TransferResult {
  return transfer({
    design: resolveDesign(id),
    from,
    to,
    entries: opts.entries ?? E,
    usage: opts.usage ?? STATE,
    swapSizeBytes: 32 * GiB,
    occupancy: { kind: "packed" },
    writebackShare: opts.writebackShare,
    workload: { processes: 1, mappedBytes: opts.mappedBytes ?? 64 * GiB, mappingsPerEntry: opts.mappings },
    costs: DEFAULT_COSTS,
    reverseMap: opts.reverseMap,
  });
}

describe("zswap writeback (zswap -> ssd), per design", () => {
  it.each([
    // id, mechanism, slots allocated, descriptor updates, rmap writes, redirect updates, disk held after (GiB)
    ["linux-6.12", "reserved-slot", 0, 0, 0, 0, 16],
    ["swap-table-p4", "reserved-slot", 0, 0, 0, 0, 16],
    ["swap-tiers", "reserved-slot", 0, 0, 0, 0, 16],
    ["vswap-v6", "descriptor", E, E, E, 0, 9],
    ["vswap-ste-v2", "descriptor", E, E, E, 0, 9],
    ["ghost-p4", "descriptor", E, E, E, 0, 9],
    ["redirect", "redirect", E, 0, 0, E, 9],
  ] as const)("%s: %s; %d slots allocated, %d descriptors, %d rmap writes, %d redirects; %d GiB of disk held after", (id, mech, allocs, desc, rmap, redir, heldGiB) => {
    const r = move(id, "zswap", "ssd");
    expect(r.kind).toBe("writeback");
    expect(r.mechanism).toBe(mech);
    expect(r.work).toMatchObject({ ptesScanned: 0, ptesRewritten: 0, slotsAllocated: allocs, descriptorUpdates: desc, rmapUpdates: rmap, redirectUpdates: redir, decompressions: E, deviceWrites: E });
    expect(r.diskSpace.heldAfterBytes).toBe(heldGiB * GiB);
  });
  it("mainline: every zswap entry has held a disk slot since it was stored", () => {
    const r = move("linux-6.12", "zswap", "ssd");
    expect(r.diskSpace.reservedForZswapBytes).toBe(STATE.zswap * 4096);
    expect(r.diskSpace.heldBeforeBytes).toBe((STATE.disk + STATE.zswap) * 4096);
    expect(r.diskSpace.heldAfterBytes).toBe(r.diskSpace.heldBeforeBytes);
  });
  it("a virtual layer allocates disk at writeback time: held grows by the entries written", () => {
    const r = move("vswap-v6", "zswap", "ssd");
    expect(r.diskSpace.reservedForZswapBytes).toBe(0);
    expect(r.diskSpace.heldAfterBytes - r.diskSpace.heldBeforeBytes).toBe(E * 4096);
  });
  it("the ghost swapfile cannot write back (no data section)", () => {
    expect(() => move("ghost-swapfile", "zswap", "ssd", { usage: { disk: 0, zswap: STATE.zswap, zero: 0, cache: 0 } })).toThrow(/writeback/);
  });
});

describe("tier moves between devices (hdd -> ssd)", () => {
  it("direct-mapped: the PTEs must be found by a walk of every mm on mmlist, then each rewritten", () => {
    const r = move("linux-7.1", "hdd", "ssd", { mappings: 2, mappedBytes: 64 * GiB });
    expect(r.kind).toBe("tier-move");
    expect(r.mechanism).toBe("page-table-walk");
    expect(r.work.ptesScanned).toBe((64 * GiB) / 4096);
    expect(r.work.mmsWalked).toBe(1);
    expect(r.work.ptesRewritten).toBe(2 * E);
    expect(r.work.syncReads).toBe(E / 8);
    expect(r.work.slotsAllocated).toBe(E);
    expect(r.work.slotsFreed).toBe(E);
  });
  it("the walk costs the same for 1 entry as for many: it is per batch, not per entry", () => {
    expect(move("linux-7.1", "hdd", "ssd", { entries: 1 }).work.ptesScanned).toBe(move("linux-7.1", "hdd", "ssd").work.ptesScanned);
  });
  it.each([
    ["vswap-v6", "descriptor", 2 * E],
    ["ghost-p4", "descriptor", 2 * E],
    ["redirect", "redirect", 0],
  ] as const)("%s: %s, no PTE work, %d reverse-map writes", (id, mech, rmap) => {
    const r = move(id, "hdd", "ssd");
    expect(r.mechanism).toBe(mech);
    expect(r.work.ptesScanned).toBe(0);
    expect(r.work.ptesRewritten).toBe(0);
    expect(r.work.rmapUpdates).toBe(rmap);
  });
  it("vswap without its reverse map writes no reverse-map entries (what-if)", () => {
    expect(move("vswap-v6", "hdd", "ssd", { reverseMap: false }).work.rmapUpdates).toBe(0);
  });
  it("redirect: disk entries that did not come through zswap writeback hold the disk slot in the PTE and need the walk", () => {
    const r = move("redirect", "hdd", "ssd", { writebackShare: 0.5 });
    expect(r.work.redirectUpdates).toBe(E / 2);
    expect(r.work.ptesRewritten).toBe(E / 2);
    expect(r.work.ptesScanned).toBe((64 * GiB) / 4096);
  });
  it("promotion into zswap on mainline keeps the slot (no PTE change, disk still held)", () => {
    const r = move("linux-6.12", "ssd", "zswap");
    expect(r.kind).toBe("promote-to-zswap");
    expect(r.work.ptesScanned).toBe(0);
    expect(r.work.slotsFreed).toBe(0);
    expect(r.diskSpace.heldAfterBytes).toBe(r.diskSpace.heldBeforeBytes);
    expect(move("vswap-v6", "ssd", "zswap").diskSpace.heldAfterBytes).toBe(r.diskSpace.heldBeforeBytes - 2_097_152 * 4096 - E * 4096);
  });
});

describe("bad input", () => {
  it.each([
    ["the same backend twice", () => transferKind("ssd", "ssd"), /transfer/],
    ["more entries than the state holds", () => move("vswap-v6", "zswap", "ssd", { entries: STATE.zswap + 1 }), /^entries: /],
    ["mapped span too small for the moved entries' PTEs", () => move("linux-7.1", "hdd", "ssd", { mappedBytes: 4096 }), /^mapped: /],
  ])("%s", (_w, fn, re) => {
    try {
      fn();
    } catch (e) {
      expect(isInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(re);
      return;
    }
    throw new Error("expected an input error");
  });
});

describe("monotonicity", () => {
  it("moving more entries never takes less time, for every design and direction", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("linux-6.12", "linux-7.1", "swap-tiers", "vswap-v6", "vswap-ste-v1", "ghost-p4", "redirect"),
        fc.constantFrom<[TransferEndpoint, TransferEndpoint]>(["zswap", "ssd"], ["zswap", "hdd"], ["hdd", "ssd"], ["ssd", "hdd"], ["ssd", "zswap"], ["zram", "ssd"]),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (id, [from, to], a, d) => {
          const x = move(id, from, to, { entries: a });
          const y = move(id, from, to, { entries: a + d });
          return y.estimate.realNs >= x.estimate.realNs - 1e-6 && y.work.ptesRewritten >= x.work.ptesRewritten;
        },
      ),
      { numRuns: 1000 },
    );
  });
});
