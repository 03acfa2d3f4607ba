import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { chunkUse, MEASURED_CHUNK_SLOTS } from "../../src/models/occupancy.js";
import { KIND_DIRECT, KIND_WRITTEN, KIND_ZERO, KIND_ZSWAP } from "../../src/sim/layer.js";
import { clustersInUse, measureLayer } from "../../src/sim/measure.js";
import { Rng } from "../../src/sim/rng.js";
import { SwapSim } from "../../src/sim/simulator.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const ALL_LAYERS = ["backing", "vswap", "dynamic", "ghost"] as const;

describe("SwapSim events", () => {
  it("places a zswap folio in every layer but backing, a disk folio in backing but not in the ghost tier", () => {
    const sim = new SwapSim({ swapSizeBytes: 8 * MiB, cpus: 2, layers: ALL_LAYERS, debug: true });
    const z = sim.swapOut(0, 0, KIND_ZSWAP);
    const d = sim.swapOut(1, 2, KIND_DIRECT);
    expect(z).toBe(1);
    expect(d).toBe(512);
    expect(sim.live).toBe(5);
    expect(sim.vswap!.live).toBe(5);
    expect(sim.dynamic!.live).toBe(5);
    expect(sim.ghost!.live).toBe(1);
    expect(sim.backing!.live).toBe(4);
    sim.verify();
  });

  it("zswap writeback gives the entry a backing slot and changes its kind everywhere", () => {
    const sim = new SwapSim({ swapSizeBytes: 8 * MiB, cpus: 1, layers: ALL_LAYERS, debug: true });
    const s = sim.swapOut(0, 0, KIND_ZSWAP);
    expect(sim.writeback(s, 0)).toBe(true);
    expect(sim.kindOf(s)).toBe(KIND_WRITTEN);
    expect(sim.backing!.live).toBe(1);
    expect(sim.liveByKind[KIND_WRITTEN]).toBe(1);
    expect(sim.writeback(s, 0)).toBe(false); // not in zswap any more
    sim.swapIn(s);
    expect(sim.backing!.live).toBe(0);
    sim.verify();
  });

  it("fork keeps an entry until both references are dropped", () => {
    const sim = new SwapSim({ swapSizeBytes: 8 * MiB, cpus: 1, debug: true });
    const s = sim.swapOut(0, 3, KIND_ZERO);
    sim.dup(s);
    expect(sim.refsOf(s + 5)).toBe(2);
    expect(sim.swapIn(s)).toBe(8);
    expect(sim.live).toBe(8);
    sim.free(s + 5);
    expect(sim.live).toBe(7);
    sim.swapIn(s);
    expect(sim.live).toBe(0);
    sim.verify();
  });

  it("swapoff drops every entry and starts the device over as after swapon", () => {
    const sim = new SwapSim({ swapSizeBytes: 8 * MiB, cpus: 2, layers: ALL_LAYERS, debug: true });
    for (let i = 0; i < 700; i++) sim.swapOut(i % 2, i % 3 === 0 ? 2 : 0, i % 3);
    const live = sim.live;
    expect(sim.swapoff()).toBe(live);
    expect(sim.live).toBe(0);
    for (const l of sim.layers()) expect(l.live).toBe(0);
    expect(sim.direct.listClusters("nonfull", 0)).toEqual([0]);
    expect(sim.direct.listClusters("free")).toEqual([1, 2, 3]);
    expect(sim.swapOut(0, 0, KIND_ZSWAP)).toBe(1);
    sim.verify();
  });

  it("freeing a free slot is a bug, not a silent no-op", () => {
    const sim = new SwapSim({ swapSizeBytes: 8 * MiB, cpus: 1 });
    expect(() => sim.free(5)).toThrow(/free slot 5/);
  });

  it("kthLive walks live entries in slot order", () => {
    const sim = new SwapSim({ swapSizeBytes: 8 * MiB, cpus: 2 });
    const a = sim.swapOut(0, 0, 0);
    const b = sim.swapOut(1, 0, 0);
    const c = sim.swapOut(0, 0, 0);
    expect([0, 1, 2].map((k) => sim.kthLive(k))).toEqual([a, c, b]);
  });
});

interface Page {
  refs: number;
  kind: number;
}

describe("random event streams against a reference model (property, conservation checked after every event)", () => {
  const op = fc.oneof(
    fc.record({ op: fc.constant("out" as const), cpu: fc.nat(3), order: fc.constantFrom(0, 0, 0, 1, 2, 4, 9), kind: fc.constantFrom(KIND_ZSWAP, KIND_ZERO, KIND_DIRECT) }),
    fc.record({ op: fc.constantFrom("in" as const, "free" as const, "dup" as const, "wb" as const), pick: fc.nat(), cpu: fc.nat(3) }),
    fc.record({ op: fc.constant("swapoff" as const) }),
  );

  it("live entries, kinds and references match the model, and every layer stays consistent (1000 streams)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 160 }), (clusters, cpus, ops) => {
        const sim = new SwapSim({ swapSizeBytes: clusters * 2 * MiB, cpus, layers: ALL_LAYERS, debug: true });
        const pages = new Map<number, Page>();
        const folioOf = (slot: number) => {
          const order = sim.orderOf(slot);
          const base = slot & ~((1 << order) - 1);
          const out: number[] = [];
          for (let s = base; s < base + (1 << order); s++) if (pages.has(s) && sim.orderOf(s) === order) out.push(s);
          return out;
        };
        for (const o of ops) {
          const live = [...pages.keys()];
          if (o.op === "out") {
            const h = sim.swapOut(o.cpu % cpus, o.order, o.kind);
            if (h !== 0) for (let j = 0; j < 1 << o.order; j++) pages.set(h + j, { refs: 1, kind: o.kind });
          } else if (o.op === "swapoff") {
            sim.swapoff();
            pages.clear();
          } else if (live.length) {
            const p = live[o.pick % live.length];
            if (o.op === "in") {
              for (const s of folioOf(p)) {
                const pg = pages.get(s)!;
                if (--pg.refs === 0) pages.delete(s);
              }
              sim.swapIn(p);
            } else if (o.op === "free") {
              sim.free(p);
              const pg = pages.get(p)!;
              if (--pg.refs === 0) pages.delete(p);
            } else if (o.op === "dup") {
              if (folioOf(p).some((s) => pages.get(s)!.refs >= 200)) continue;
              sim.dup(p);
              for (const s of folioOf(p)) pages.get(s)!.refs++;
            } else if (o.op === "wb") {
              const ok = sim.writeback(p, o.cpu % cpus);
              if (ok !== (pages.get(p)!.kind === KIND_ZSWAP)) return false;
              if (ok) pages.get(p)!.kind = KIND_WRITTEN;
            }
          }
          if (sim.live !== pages.size) return false;
        }
        const byKind = [0, 0, 0, 0];
        for (const [s, pg] of pages) {
          if (!sim.isLive(s) || sim.kindOf(s) !== pg.kind || sim.refsOf(s) !== pg.refs) return false;
          byKind[pg.kind]++;
        }
        if (byKind.some((n, k) => n !== sim.liveByKind[k])) return false;
        sim.verify();
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});

describe("analytic cases", () => {
  it("uniform random placement (fill, then free uniformly random entries) matches C*(1-(1-u)^512) within 1%", () => {
    const size = 16 * GiB;
    const sim = new SwapSim({ swapSizeBytes: size, cpus: 1 });
    const usable = sim.direct.pages;
    expect(sim.swapOutRun(0, 0, KIND_ZSWAP, usable)).toBe(usable);
    const rng = new Rng(2026);
    const space = { slots: sim.slots, leadingReserved: 1 };
    for (const u of [0.1, 0.02, 0.005]) {
      const keep = Math.round(u * usable);
      while (sim.live > keep) sim.swapIn(sim.randomLive(rng));
      const m = measureLayer(sim.direct, [15], sim.chunkKindSets()).chunks["15"];
      for (const g of [512, 64]) {
        const expected = chunkUse(keep, space, g, { kind: "random" }).inUse;
        expect(Math.abs(m[String(g)].inUse / expected - 1), `u=${u}, ${g}-slot chunks: ${m[String(g)].inUse} vs ${expected.toFixed(1)}`).toBeLessThan(0.01);
      }
    }
  });

  it.each([1, 511, 512, 513, 100_000, 262_143])("packed fill of %i entries by one CPU uses exactly the packed chunk counts at every size", (entries) => {
    const sim = new SwapSim({ swapSizeBytes: 1 * GiB, cpus: 4, layers: ["vswap"] });
    expect(sim.swapOutRun(0, 0, KIND_ZSWAP, entries)).toBe(entries);
    const space = { slots: sim.slots, leadingReserved: 1 };
    const m = measureLayer(sim.direct, [15], sim.chunkKindSets()).chunks["15"];
    for (const g of MEASURED_CHUNK_SLOTS.filter((x) => x <= sim.slots)) {
      expect(m[String(g)].inUse, `${g}-slot chunks`).toBe(chunkUse(entries, space, g, { kind: "packed" }).inUse);
    }
    expect(clustersInUse(sim.direct)).toBe(Math.ceil((entries + 1) / 512));
    // vswap: entry 0 of cluster 0 is invalid, the same one-slot offset
    expect(clustersInUse(sim.vswap!)).toBe(Math.ceil((entries + 1) / 512));
  });

  it("packed fill per order: a single CPU swapping out a mix of orders uses ceil(entries / 512) clusters per order", () => {
    const sim = new SwapSim({ swapSizeBytes: 2 * GiB, cpus: 1, layers: ["vswap", "dynamic"], debug: true });
    const rng = new Rng(5);
    const orders = [0, 2, 4, 9];
    const pages = new Map<number, number>(orders.map((o) => [o, 0]));
    for (let i = 0; i < 1500; i++) {
      // the first folio is order 0, so vswap's cluster 0 (entry 0 invalid) serves order 0 as the device's does
      const o = i === 0 ? 0 : orders[rng.below(orders.length)];
      expect(sim.swapOut(0, o, KIND_ZSWAP)).not.toBe(0);
      pages.set(o, pages.get(o)! + (1 << o));
    }
    for (const layer of [sim.direct, sim.dynamic!, sim.vswap!]) {
      for (const o of orders) {
        let used = 0;
        for (let c = 0; c < layer.clusters; c++) {
          const order = layer === sim.vswap ? sim.vswap.orderOf(c) : (layer as typeof sim.direct).orderOf(c);
          if (layer.liveIn(c) > 0 && order === o) used++;
        }
        // order 0 shares cluster 0 with the header slot (direct, dynamic) or the invalid entry 0 (vswap)
        const expected = o === 0 ? Math.ceil((pages.get(0)! + 1) / 512) : Math.ceil(pages.get(o)! / 512);
        expect(used, `${layer.id}, order ${o}`).toBe(expected);
      }
    }
  });
});
