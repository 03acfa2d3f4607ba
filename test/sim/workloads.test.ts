import { describe, expect, it } from "vitest";
import { KIND_WRITTEN } from "../../src/sim/layer.js";
import { createWorkload, type SimRunOptions } from "../../src/sim/run.js";
import { SwapSim } from "../../src/sim/simulator.js";
import { CHURN_MAX_DRAWS_PER_MISS, churnMaxS, churnMissFloor, parseOrders, parseWorkloadSpec, type Workload } from "../../src/sim/workloads.js";

const MiB = 2 ** 20;

function run(spec: string, o: Partial<SimRunOptions> & { sizeBytes?: number; cpus?: number } = {}): { sim: SwapSim; wl: Workload } {
  const size = o.sizeBytes ?? 64 * MiB;
  const cpus = o.cpus ?? 4;
  const sim = new SwapSim({ swapSizeBytes: size, cpus, layers: ["backing", "vswap", "dynamic", "ghost"], debug: true });
  const wl = createWorkload(sim, {
    swapSizeBytes: size,
    cpus,
    seed: o.seed ?? 1,
    workload: parseWorkloadSpec(spec),
    usedShare: o.usedShare ?? 0.5,
    mix: o.mix ?? { zswap: 0.6, zero: 0.1, disk: 0.3 },
    writebackRate: o.writebackRate ?? 0.2,
    events: o.events === undefined ? 20_000 : o.events,
    samples: 1,
    designs: [],
  });
  while (!wl.done) wl.advance(sim.counters.events + 5000);
  sim.verify();
  return { sim, wl };
}

function fingerprint(sim: SwapSim): string {
  let h = 0;
  for (let s = 0; s < sim.slots; s++) h = (Math.imul(h, 31) + sim.state[s]) | 0;
  return `${h}:${sim.live}:${sim.counters.events}`;
}

describe("workloads", () => {
  it.each(["fill", "fill-free", "random-churn", "churn", "fork-exit", "mthp"])("%s is deterministic per seed and ends consistent", (name) => {
    const a = run(name);
    const b = run(name);
    const c = run(name, { seed: 2 });
    expect(fingerprint(a.sim)).toBe(fingerprint(b.sim));
    expect(fingerprint(a.sim)).not.toBe(fingerprint(c.sim));
    expect(a.sim.live).toBeGreaterThan(0);
  });

  it("fill stops at the target share of the usable slots", () => {
    const { sim } = run("fill", { events: null, writebackRate: 0, mix: { zswap: 1, zero: 0, disk: 0 } });
    expect(sim.live).toBe(Math.round(0.5 * sim.direct.pages));
  });

  it("fill-free fills to the peak, then frees down to the target", () => {
    const { sim } = run("fill-free,peak=90%", { events: null, usedShare: 0.2 });
    expect(sim.counters.swapOutPages).toBeGreaterThanOrEqual(Math.round(0.9 * sim.direct.pages));
    expect(sim.live).toBeLessThanOrEqual(Math.round(0.2 * sim.direct.pages));
    expect(sim.live).toBeGreaterThan(Math.round(0.2 * sim.direct.pages) - 512);
  });

  it("random-churn runs the given steady-state events after the fill and stays at the target", () => {
    const { sim } = run("random-churn", { events: 30_000, writebackRate: 0, mix: { zswap: 1, zero: 0, disk: 0 } });
    const target = Math.round(0.5 * sim.direct.pages);
    expect(sim.live).toBeGreaterThanOrEqual(target - 1);
    expect(sim.live).toBeLessThanOrEqual(target);
    expect(sim.counters.events).toBe(target + 30_000);
    expect(sim.counters.swapIns).toBe(15_000);
  });

  it("churn keeps the swapped page count constant and re-accesses popular pages", () => {
    const { sim, wl } = run("churn,s=1.2,ram=10%", { events: 40_000 });
    expect(sim.live).toBe(Math.round(0.5 * sim.direct.pages));
    const z = wl as unknown as { hits: number; misses: number };
    expect(z.hits).toBeGreaterThan(z.misses); // the popular pages are mostly resident
    expect(sim.counters.swapIns).toBe(z.misses);
  });

  // 64 MiB at 50 %: N = 8192 swapped pages
  it.each([
    ["25%", 2048],
    ["10%", 819],
    ["100%", 8192],
  ])("churn at the top of the accepted s (ram=%s) ends within the draw bound", (ram, r) => {
    const top = churnMaxS(8192 + r, r);
    expect(top).toBeGreaterThan(1);
    expect(top).toBeLessThan(10);
    const { sim, wl } = run(`churn,s=${top},ram=${ram}`, { events: 4000 });
    const z = wl as unknown as { hits: number; misses: number; maxDraws: number };
    expect(sim.counters.events - 8192).toBeGreaterThanOrEqual(4000);
    expect(z.misses).toBeGreaterThanOrEqual(4000 / 3); // swap-in + swap-out (+ a writeback) per miss
    expect(z.hits + z.misses).toBeLessThanOrEqual(z.maxDraws);
    expect(z.hits + z.misses).toBeLessThanOrEqual(CHURN_MAX_DRAWS_PER_MISS * z.misses);
  });

  it.each([
    ["churn,s=2", /^churn\.s: at most 1 access in \d+ would swap; got "2", expected a number between 0 and 1\.\d+ for 8192 swapped/],
    ["churn,s=10,ram=1%", /^churn\.s: .*got "10", expected a number between 0 and /],
    ["churn,s=1.5,ram=100%", /^churn\.s: .*got "1\.5", expected a number between 0 and 1\.\d+ for 8192 swapped and 8192 resident/],
    ["churn,s=11", /^churn\.s: got "11", expected a number between 0 and 10$/],
  ])("%s is refused up front with one line", (spec, msg) => {
    let err: Error | undefined;
    try {
      run(spec, { events: 4000 });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe("SwapcostInputError");
    expect(err?.message).toMatch(msg);
    expect(err?.message).not.toContain("\n");
  });

  it("the miss floor is a lower bound of the exact tail share and falls with s", () => {
    const exact = (w: number, r: number, s: number) => {
      let head = 0;
      let all = 0;
      for (let k = 1; k <= w; k++) {
        const p = k ** -s;
        all += p;
        if (k <= r) head += p;
      }
      return (all - head) / all;
    };
    for (const s of [0, 0.5, 1, 1 + 1e-13, 1.5, 3]) {
      const q = churnMissFloor(5000, 1000, s);
      expect(q).toBeLessThanOrEqual(exact(5000, 1000, s) + 1e-12);
      expect(q).toBeGreaterThan(exact(5000, 1000, s) * 0.5);
    }
    expect(churnMissFloor(5000, 1000, 1.2)).toBeLessThan(churnMissFloor(5000, 1000, 1.1));
    expect(churnMaxS(5000, 1000)).toBeGreaterThan(churnMaxS(5_000_000, 1_000_000));
  });

  it("fork-exit shares entries between parent and child and frees ranges at exit", () => {
    const { sim, wl } = run("fork-exit,size=200,fork=50%", { events: 60_000 });
    const f = wl as unknown as { forks: number; exits: number };
    expect(f.forks).toBeGreaterThan(0);
    expect(f.exits).toBeGreaterThan(0);
    expect(sim.counters.dups).toBeGreaterThan(0);
    let shared = 0;
    for (let s = 0; s < sim.slots; s++) if (sim.refsOf(s) > 1) shared++;
    expect(shared).toBeGreaterThan(0);
  });

  it("mthp places folios of every order of the mix and frees single pages too", () => {
    const { sim } = run("mthp,orders=0:40,4:30,9:30,split=50%", { events: 20_000, sizeBytes: 256 * MiB });
    const orders = new Set<number>();
    for (let c = 0; c < sim.direct.clusters; c++) if (sim.direct.liveIn(c) > 0) orders.add(sim.direct.orderOf(c));
    expect([...orders].sort()).toEqual([0, 4, 9]);
    expect(sim.counters.frees).toBeGreaterThan(0);
  });

  it("writeback turns zswap entries into written-back disk entries", () => {
    const { sim } = run("random-churn", { events: 20_000, writebackRate: 0.5, mix: { zswap: 1, zero: 0, disk: 0 } });
    expect(sim.liveByKind[KIND_WRITTEN]).toBeGreaterThan(0);
    expect(sim.backing!.live).toBe(sim.liveByKind[KIND_WRITTEN]);
  });
});

describe("fast paths", () => {
  // The direct layer alone without debug checks takes batched and inline paths (swapOutRun,
  // allocRun0, the per-cluster common state); with checks every event goes one by one. Both must
  // leave the same simulation behind.
  function direct(spec: string, debug: boolean, o: { mix?: SimRunOptions["mix"]; writebackRate?: number; cpus?: number; rotational?: boolean; discard?: boolean; usedShare?: number }): SwapSim {
    const size = 64 * MiB;
    const cpus = o.cpus ?? 2;
    const sim = new SwapSim({ swapSizeBytes: size, cpus, debug, rotational: o.rotational, discard: o.discard });
    const wl = createWorkload(sim, {
      swapSizeBytes: size,
      cpus,
      seed: 3,
      workload: parseWorkloadSpec(spec),
      usedShare: o.usedShare ?? 0.5,
      mix: o.mix ?? { zswap: 1, zero: 0, disk: 0 },
      writebackRate: o.writebackRate ?? 0,
      events: 40_000,
      samples: 1,
      designs: [],
    });
    while (!wl.done) wl.advance(sim.counters.events + 7_000);
    return sim;
  }

  it.each([
    ["fill", {}],
    ["fill", { usedShare: 1, cpus: 1 }],
    ["fill-free,peak=90%", { usedShare: 0.2 }],
    ["random-churn", {}],
    ["random-churn", { cpus: 1, usedShare: 0.9 }],
    ["random-churn", { rotational: true }],
    ["random-churn", { discard: true }],
    ["random-churn", { mix: { zswap: 0.6, zero: 0.1, disk: 0.3 }, writebackRate: 0.2 }],
    ["churn,s=1.1", {}],
    ["mthp", { mix: { zswap: 0.5, zero: 0, disk: 0.5 } }],
    ["fork-exit,size=200", {}],
  ] as const)("%s %j: the same simulation as event by event", (spec, o) => {
    const fast = direct(spec, false, o);
    const slow = direct(spec, true, o);
    fast.verify();
    expect(fast.counters).toEqual(slow.counters);
    expect(Array.from(fast.liveByKind)).toEqual(Array.from(slow.liveByKind));
    expect(Buffer.from(fast.direct.bitmap.buffer).equals(Buffer.from(slow.direct.bitmap.buffer))).toBe(true);
    expect(Buffer.from(fast.direct.m8.buffer).equals(Buffer.from(slow.direct.m8.buffer))).toBe(true); // counts, flags, orders, list links
    expect(Array.from(fast.direct.pcp)).toEqual(Array.from(slow.direct.pcp));
    for (let s = 1; s < fast.slots; s++) if (fast.isLive(s) && fast.stateOf(s) !== slow.stateOf(s)) expect.fail(`slot ${s}: state ${fast.stateOf(s)} vs ${slow.stateOf(s)}`);
  });
});

describe("workload specs", () => {
  it("parses a name and parameters", () => {
    expect(parseWorkloadSpec("churn,s=0.9,ram=50%")).toEqual({ name: "churn", params: { s: "0.9", ram: "50%" } });
    expect(parseWorkloadSpec("trace,file=x.trace")).toEqual({ name: "trace", params: { file: "x.trace" } });
  });

  it.each([
    ["nothing", /--workload: got "nothing", expected <name>/],
    ["churn,zipf=1", /unknown parameter/],
    ["churn,s", /param=value pairs/],
    ["fill,orders=0,orders=4", /each parameter once/],
    ["trace", /needs a file/],
  ])("rejects %j", (text, why) => {
    expect(() => parseWorkloadSpec(text)).toThrow(why);
  });

  it("order mixes are shares of pages, normalised", () => {
    const o = parseOrders("0:60,4:30,9:10", "orders");
    expect(Array.from(o.slice(0, 10)).map((x) => Math.round(x * 100))).toEqual([60, 0, 0, 0, 30, 0, 0, 0, 0, 10]);
    expect(Array.from(parseOrders("4", "orders"))[4]).toBe(1);
    expect(() => parseOrders("10:5", "orders")).toThrow(/orders 0..9/);
    // a missing comma is not read as "order 0 at 60%" with the rest dropped
    expect(() => parseOrders("0:60:4:30", "orders")).toThrow(/orders: got "0:60:4:30".*order:share pairs/);
  });

  it("the Zipf churn refuses large folios", () => {
    expect(() => run("churn,orders=4")).toThrow(/unknown parameter/);
  });
});

describe("order mixes inside a workload spec", () => {
  it("keeps the commas of orders=0:60,4:30,9:10", () => {
    expect(parseWorkloadSpec("mthp,orders=0:60,4:30,9:10,split=10%")).toEqual({ name: "mthp", params: { orders: "0:60,4:30,9:10", split: "10%" } });
  });
});
