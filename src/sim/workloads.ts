/**
 * Parameterised, seeded workloads that drive a SwapSim. Each is a resumable state machine: the
 * runner calls `advance(until)` to run events until the simulator's event counter reaches `until`
 * (so it can sample in between); the event loops allocate nothing.
 *
 * Common knobs (from the run): the target live share of the device's usable slots (`used`), the
 * backend mix of swapped-out folios (zswap / zero / disk), the writeback rate (share of zswap
 * swap-outs followed by the zswap writeback of a random zswap page), the folio order mix and the
 * reclaim burst (folios a CPU swaps out in a row before another CPU takes over; 32 pages is
 * SWAP_CLUSTER_MAX, the reclaim batch).
 */
import { SwapcostInputError } from "../errors.js";
import { parseShare } from "../units/share.js";
import { KIND_DIRECT, KIND_ZERO, KIND_ZSWAP, NR_ORDERS } from "./layer.js";
import { Rng, ZipfSampler } from "./rng.js";
import type { SwapSim } from "./simulator.js";

/** Shares of swapped-out folios by backend (sum to 1). */
export interface KindMix {
  readonly zswap: number;
  readonly zero: number;
  readonly disk: number;
}

export interface WorkloadContext {
  readonly seed: number;
  /** Target live entries as a share of the device's usable slots. */
  readonly usedShare: number;
  readonly mix: KindMix;
  /** Share of zswap swap-outs followed by one zswap writeback. */
  readonly writebackRate: number;
  /** Steady-state events after the setup phase (churn workloads); a cap for the others. */
  readonly events: number | null;
}

export interface ParamDef {
  readonly name: string;
  readonly value: string;
  readonly doc: string;
  readonly default: string;
}

export interface WorkloadDef {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamDef[];
  create(sim: SwapSim, params: Readonly<Record<string, string>>, ctx: WorkloadContext): Workload;
}

export interface WorkloadSpec {
  readonly name: string;
  readonly params: Readonly<Record<string, string>>;
}

const ORDERS_PARAM: ParamDef = { name: "orders", value: "<o:share,...>", doc: "folio orders by share of pages, e.g. 0:60,4:30,9:10", default: "0" };
const BURST_PARAM: ParamDef = { name: "burst", value: "<folios>", doc: "folios one CPU swaps out before another takes over", default: "32" };
const CPUS_PARAM: ParamDef = { name: "cpus", value: "<n>", doc: "CPUs that swap out (at most the run's CPUs)", default: "all" };
const SPLIT_PARAM: ParamDef = { name: "split", value: "<share>", doc: "share of frees that drop one page instead of swapping the whole folio in", default: "0" };

// ---------------------------------------------------------------------------------------------
// base

export abstract class Workload {
  readonly name: string;
  protected readonly sim: SwapSim;
  protected readonly rng: Rng;
  protected readonly target: number;
  protected readonly writebackRate: number;
  protected readonly steadyEvents: number | null;
  private readonly kindZswap: number;
  private readonly kindZero: number;
  /** The one backend of a mix that has a single one, else -1 (no draw needed). */
  protected readonly singleKind: number;
  /** Cumulative folio probabilities per order (by folio count). */
  private readonly orderCdf: Float64Array;
  protected readonly singleOrder: number;
  protected readonly meanFolioPages: number;
  protected readonly cpus: number;
  protected readonly burst: number;
  private burstLeft = 0;
  protected cpu = 0;
  /** The workload has nothing more to do. */
  done = false;

  protected constructor(name: string, sim: SwapSim, params: Readonly<Record<string, string>>, ctx: WorkloadContext) {
    this.name = name;
    this.sim = sim;
    this.rng = new Rng(ctx.seed);
    this.target = Math.round(ctx.usedShare * sim.direct.pages);
    this.writebackRate = ctx.writebackRate;
    this.steadyEvents = ctx.events;
    this.kindZswap = ctx.mix.zswap;
    this.kindZero = ctx.mix.zswap + ctx.mix.zero;
    this.singleKind = ctx.mix.zswap === 1 ? KIND_ZSWAP : ctx.mix.zero === 1 ? KIND_ZERO : ctx.mix.disk === 1 ? KIND_DIRECT : -1;
    const orders = parseOrders(params.orders ?? "0", `${name}.orders`);
    this.orderCdf = new Float64Array(NR_ORDERS);
    let folios = 0;
    for (let o = 0; o < NR_ORDERS; o++) folios += orders[o] / (1 << o);
    let acc = 0;
    let single = -1;
    let nonzero = 0;
    for (let o = 0; o < NR_ORDERS; o++) {
      acc += orders[o] / (1 << o) / folios;
      this.orderCdf[o] = acc;
      if (orders[o] > 0) {
        nonzero++;
        single = o;
      }
    }
    this.orderCdf[NR_ORDERS - 1] = 1;
    this.singleOrder = nonzero === 1 ? single : -1;
    this.meanFolioPages = 1 / folios;
    const cpusText = params.cpus ?? "all";
    this.cpus = cpusText === "all" ? sim.cpus : intParam(cpusText, `${name}.cpus`, 1, sim.cpus);
    this.burst = intParam(params.burst ?? "32", `${name}.burst`, 1, 1 << 30);
  }

  /** Events the whole run is expected to take (for progress and sampling). */
  abstract expectedEvents(): number;

  /** Run events until the simulator's event counter reaches `until` or the workload ends. */
  abstract advance(until: number): void;

  protected drawOrder(): number {
    if (this.singleOrder >= 0) return this.singleOrder;
    const u = this.rng.float();
    let o = 0;
    while (u >= this.orderCdf[o] && o < NR_ORDERS - 1) o++;
    return o;
  }

  protected drawKind(): number {
    if (this.singleKind >= 0) return this.singleKind;
    const u = this.rng.float();
    return u < this.kindZswap ? KIND_ZSWAP : u < this.kindZero ? KIND_ZERO : KIND_DIRECT;
  }

  protected nextCpu(): number {
    if (--this.burstLeft < 0) {
      this.burstLeft = this.burst - 1;
      this.cpu = this.cpus === 1 ? 0 : this.rng.below(this.cpus);
    }
    return this.cpu;
  }

  /**
   * Fill in reclaim batches when every folio is alike (one order, one backend, no writeback): the
   * rest of the CPU's burst in one SwapSim.swapOutRun. Same events as folio by folio.
   */
  protected fillBatched(target: number, until: number): boolean {
    const sim = this.sim;
    const order = this.singleOrder;
    const kind = this.singleKind;
    const nr = 1 << order;
    while (sim.live < target) {
      const room = until - sim.counters.events;
      if (room <= 0) return false;
      const cpu = this.nextCpu();
      const n = Math.min(this.burstLeft + 1, Math.ceil((target - sim.live) / nr), room);
      const placed = sim.swapOutRun(cpu, order, kind, n);
      this.burstLeft -= n - 1;
      if (placed < n) {
        // the device could not place a folio at this order: split it, as reclaim does
        if (order === 0) return true;
        for (let j = 0; j < nr; j++) if (sim.swapOut(cpu, 0, kind) === 0) return true;
      }
    }
    return true;
  }

  /**
   * Swap out one folio (order and backend drawn from the mixes); a folio the device cannot place at
   * its order is split into order-0 pages, as reclaim does. Returns the pages placed, 0 when full.
   */
  protected swapOutFolio(): number {
    const order = this.drawOrder();
    const kind = this.drawKind();
    const cpu = this.nextCpu();
    const sim = this.sim;
    let pages = 0;
    if (sim.swapOut(cpu, order, kind) !== 0) pages = 1 << order;
    else if (order > 0) {
      for (let j = 0, nr = 1 << order; j < nr; j++) {
        if (sim.swapOut(cpu, 0, kind) === 0) break;
        pages++;
      }
    }
    if (pages > 0 && kind === KIND_ZSWAP && this.writebackRate > 0 && this.rng.chance(this.writebackRate)) {
      const s = sim.randomOfKind(this.rng, KIND_ZSWAP);
      if (s !== 0) sim.writeback(s, cpu);
    }
    return pages;
  }

  /**
   * With probability `split`, drop one uniformly random live page; otherwise swap in a uniformly
   * random folio (a random page accepted with probability 2^-order, so a folio's lifetime does not
   * depend on its size and the live order mix stays the swap-out mix).
   */
  protected freeRandom(split: number): void {
    const sim = this.sim;
    const rng = this.rng;
    if (split > 0 && rng.chance(split)) {
      const s = sim.randomLive(rng);
      if (s !== 0) sim.free(s);
      return;
    }
    let s = sim.randomLive(rng);
    if (s === 0) return;
    for (let t = 0; t < 64 && this.singleOrder < 0; t++) {
      const order = sim.orderOf(s);
      if (order === 0 || rng.float() * (1 << order) < 1) break;
      s = sim.randomLive(rng);
    }
    sim.swapIn(s);
  }

  /** Fill to the target live count; true when reached (or the device is full). */
  protected fillTo(target: number, until: number): boolean {
    if (this.singleOrder >= 0 && this.singleKind >= 0 && this.writebackRate === 0) return this.fillBatched(target, until);
    const sim = this.sim;
    while (sim.live < target) {
      if (sim.counters.events >= until) return false;
      if (this.swapOutFolio() === 0) return true;
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// fill, fill-free, random-churn / mthp

class FillWorkload extends Workload {
  constructor(sim: SwapSim, params: Readonly<Record<string, string>>, ctx: WorkloadContext) {
    super("fill", sim, params, ctx);
  }
  expectedEvents(): number {
    return Math.ceil(this.target / this.meanFolioPages);
  }
  advance(until: number): void {
    if (this.steadyEvents !== null) until = Math.min(until, this.steadyEvents);
    if (this.fillTo(this.target, until)) this.done = true;
    if (this.steadyEvents !== null && this.sim.counters.events >= this.steadyEvents) this.done = true;
  }
}

class FillFreeWorkload extends Workload {
  private readonly peak: number;
  private readonly split: number;
  private phase: 0 | 1 = 0;
  constructor(sim: SwapSim, params: Readonly<Record<string, string>>, ctx: WorkloadContext) {
    super("fill-free", sim, params, ctx);
    this.peak = Math.max(this.target, Math.round(parseShare(params.peak ?? "100%", "fill-free.peak") * sim.direct.pages));
    this.split = parseShare(params.split ?? "0", "fill-free.split");
  }
  expectedEvents(): number {
    return Math.ceil(this.peak / this.meanFolioPages) + Math.ceil((this.peak - this.target) / this.meanFolioPages);
  }
  advance(until: number): void {
    if (this.steadyEvents !== null) until = Math.min(until, this.steadyEvents);
    const sim = this.sim;
    if (this.phase === 0) {
      if (!this.fillTo(this.peak, until)) {
        if (this.steadyEvents !== null && sim.counters.events >= this.steadyEvents) this.done = true;
        return;
      }
      this.phase = 1;
    }
    while (sim.live > this.target && sim.counters.events < until) this.freeRandom(this.split);
    if (sim.live <= this.target || (this.steadyEvents !== null && sim.counters.events >= this.steadyEvents)) this.done = true;
  }
}

/** Fill to the target, then alternate: free a random live folio, swap a new one out (50/50). */
class RandomChurnWorkload extends Workload {
  private readonly split: number;
  private setupEnd = -1;
  private readonly budget: number;
  constructor(name: string, sim: SwapSim, params: Readonly<Record<string, string>>, ctx: WorkloadContext) {
    super(name, sim, params, ctx);
    this.split = parseShare(params.split ?? (name === "mthp" ? "25%" : "0"), `${name}.split`);
    this.budget = ctx.events ?? Math.max(1_000_000, 4 * Math.ceil(this.target / this.meanFolioPages));
  }
  expectedEvents(): number {
    return Math.ceil(this.target / this.meanFolioPages) + this.budget;
  }
  advance(until: number): void {
    const sim = this.sim;
    if (this.target === 0) {
      this.done = true;
      return;
    }
    if (this.setupEnd < 0) {
      if (!this.fillTo(this.target, until)) return;
      this.setupEnd = sim.counters.events;
    }
    const end = Math.min(until, this.setupEnd + this.budget);
    while (sim.counters.events < end) {
      if (sim.live >= this.target) this.freeRandom(this.split);
      else if (this.swapOutFolio() === 0) this.freeRandom(this.split);
    }
    if (sim.counters.events >= this.setupEnd + this.budget) this.done = true;
  }
}

// ---------------------------------------------------------------------------------------------
// churn: Zipf re-access of a page population larger than memory

/**
 * W = N + R anonymous pages, N = the target swapped entries, R = resident pages (`ram` × N). Page
 * p's popularity is (p + 1)^-s. Each access draws a page; a swapped page is swapped in, and a
 * random resident page is swapped out to make room (order 0). The initial swapped set is pages
 * R..W-1 (the least popular) in a pseudo-random order.
 *
 * A draw that finds its page resident is no swap event, so the draws per event grow with s. At most
 * R pages are resident, so every draw misses with probability at least q = (popularity of the W - R
 * least popular pages) / (total popularity) (`churnMissFloor`). The constructor refuses s and ram
 * for which 1/q > CHURN_MAX_DRAWS_PER_MISS (over 99 % of accesses would be hits: hardly any swap
 * traffic, and a run of hours), and `advance` stops with an error after `maxDraws` draws (twice the
 * expected draws at the floor rate, not reached in practice), so every accepted run ends in bounded time.
 */
class ZipfChurnWorkload extends Workload {
  private readonly zipf: ZipfSampler;
  private readonly pageSlot: Uint32Array;
  private readonly resident: Uint32Array;
  private readonly pages: number;
  private readonly residentPages: number;
  private readonly budget: number;
  private setupNext = 0;
  private setupCur = 7919;
  private setupEnd = -1;
  /** Accesses that found the page resident. */
  hits = 0;
  misses = 0;
  /** Upper bound on hits + misses over the whole run (see the class comment). */
  readonly maxDraws: number;
  private readonly s: number;

  constructor(sim: SwapSim, params: Readonly<Record<string, string>>, ctx: WorkloadContext) {
    super("churn", sim, params, ctx);
    if (params.orders && params.orders !== "0") throw new SwapcostInputError("churn.orders", params.orders, "0 (the Zipf churn swaps single pages; use mthp for large folios)");
    const s = numParam(params.s ?? "1", "churn.s", 0, 10);
    const ram = parseShare(params.ram ?? "25%", "churn.ram");
    const n = this.target;
    this.residentPages = Math.max(1, Math.round(n * ram));
    this.pages = n + this.residentPages;
    const q = churnMissFloor(this.pages, this.residentPages, s);
    if (n > 0 && !(q * CHURN_MAX_DRAWS_PER_MISS >= 1)) {
      const top = churnMaxS(this.pages, this.residentPages);
      throw new SwapcostInputError("churn.s", params.s ?? "1", `a number between 0 and ${top.toFixed(2)} for ${n} swapped and ${this.residentPages} resident pages (a larger s or ram: over ${(100 - 100 / CHURN_MAX_DRAWS_PER_MISS).toFixed(1)} % of accesses hit resident pages)`, `at most 1 access in ${Math.round(1 / q)} would swap`);
    }
    this.s = s;
    this.zipf = new ZipfSampler(this.pages, s);
    this.pageSlot = new Uint32Array(this.pages);
    this.resident = new Uint32Array(this.residentPages);
    for (let i = 0; i < this.residentPages; i++) this.resident[i] = i;
    this.budget = ctx.events ?? Math.max(1_000_000, 4 * n);
    // a miss is at least one event, so at most `budget` misses; draws per miss have mean <= 1/q
    this.maxDraws = Math.ceil((2 * this.budget + 1024) / q);
  }

  expectedEvents(): number {
    return this.target + this.budget;
  }

  advance(until: number): void {
    const sim = this.sim;
    const n = this.target;
    if (n === 0) {
      this.done = true;
      return;
    }
    if (this.setupEnd < 0) {
      // swap out pages R..W-1 in the order i -> (a * i + b) mod N (a bijection: gcd(a, N) = 1)
      const a = coprimeStride(n);
      while (this.setupNext < n) {
        if (sim.counters.events >= until) return;
        this.setupCur = (this.setupCur + a) % n;
        const page = this.residentPages + this.setupCur;
        const h = sim.swapOut(this.nextCpu(), 0, this.drawKind());
        if (h === 0) break;
        this.pageSlot[page] = h;
        this.setupNext++;
      }
      this.setupEnd = sim.counters.events;
    }
    const end = Math.min(until, this.setupEnd + this.budget);
    const rng = this.rng;
    const pageSlot = this.pageSlot;
    const resident = this.resident;
    while (sim.counters.events < end) {
      const p = this.zipf.sample(rng) - 1;
      const h = pageSlot[p];
      if (h === 0) {
        if (++this.hits + this.misses > this.maxDraws) this.tooManyDraws();
        continue;
      }
      this.misses++;
      sim.swapIn(h);
      pageSlot[p] = 0;
      const i = rng.below(this.residentPages);
      const q = resident[i];
      resident[i] = p;
      const kind = this.drawKind();
      const cpu = this.nextCpu();
      const hq = sim.swapOut(cpu, 0, kind);
      pageSlot[q] = hq; // cannot fail: the swap-in just freed a slot
      if (kind === KIND_ZSWAP && this.writebackRate > 0 && rng.chance(this.writebackRate)) {
        const s = sim.randomOfKind(rng, KIND_ZSWAP);
        if (s !== 0) sim.writeback(s, cpu);
      }
    }
    if (sim.counters.events >= this.setupEnd + this.budget) this.done = true;
  }

  private tooManyDraws(): never {
    throw new SwapcostInputError("churn.s", String(this.s), "a smaller s or ram", `${this.hits + this.misses} page draws gave only ${this.misses} swap-ins, over the bound of ${this.maxDraws} draws for ${this.budget} events`);
  }
}

/** The most draws per swap-in the churn workload accepts (its miss-rate floor must be >= 1/this). */
export const CHURN_MAX_DRAWS_PER_MISS = 100;

/**
 * A lower bound on the probability that a Zipf(s) draw over `pages` pages misses a resident set of
 * `resident` pages: the resident set can hold at most the `resident` most popular pages, so
 * q >= T / (T + H) with T the popularity of the others and H that of the top `resident`. Integral
 * bounds of the decreasing x^-s: T >= ∫_{R+1}^{W+1}, H <= 1 + ∫_1^R.
 */
export function churnMissFloor(pages: number, resident: number, s: number): number {
  if (resident >= pages) return 0;
  const tail = powIntegral(resident + 1, pages + 1, s);
  const head = 1 + powIntegral(1, resident, s);
  return tail / (tail + head);
}

/** The largest s (to 0.01, at most 10) with churnMissFloor × CHURN_MAX_DRAWS_PER_MISS >= 1. */
export function churnMaxS(pages: number, resident: number): number {
  const ok = (s: number) => churnMissFloor(pages, resident, s) * CHURN_MAX_DRAWS_PER_MISS >= 1;
  if (!ok(0)) return 0;
  if (ok(10)) return 10;
  let lo = 0;
  let hi = 10;
  while (hi - lo > 1e-4) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo * 100) / 100;
}

/** ∫_a^b x^-s dx for 0 < a <= b, stable near s = 1. */
function powIntegral(a: number, b: number, s: number): number {
  const e = 1 - s;
  const l = Math.log(b / a);
  if (Math.abs(e * l) < 1e-12) return l * Math.exp(e * Math.log(a));
  return (Math.exp(e * Math.log(a)) * Math.expm1(e * l)) / e;
}

/** A stride coprime with n, near n × (golden ratio - 1), for a cheap pseudo-random permutation. */
function coprimeStride(n: number): number {
  if (n <= 2) return 1;
  let a = Math.max(1, Math.floor(n * 0.6180339887));
  while (gcd(a, n) !== 1) a++;
  return a;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

// ---------------------------------------------------------------------------------------------
// fork / exit churn

/**
 * Processes swap out their pages in bursts from their own CPU, interleaved with other processes;
 * a share of new processes are forks that first take a second reference to every folio of a live
 * parent (copy_pte_range → swap_dup_entry_direct) and then swap out private pages of their own;
 * when the live entries reach the target a random process exits, dropping one reference per page
 * (zap_pte_range → swap_put_entries_direct).
 */
class ForkExitWorkload extends Workload {
  private readonly meanSize: number;
  private readonly forkShare: number;
  private readonly maxProcs: number;
  // process table
  private readonly procStart: Float64Array;
  private readonly procLen: Int32Array;
  private readonly procWant: Int32Array;
  private readonly procCpu: Int32Array;
  private readonly alive: Int32Array; // dense list of live process ids
  private aliveCount = 0;
  private readonly aliveIndex: Int32Array;
  private readonly growing: Int32Array; // dense list of processes still swapping out
  private growingCount = 0;
  private readonly growingIndex: Int32Array;
  private readonly freeIds: Int32Array;
  private freeCount: number;
  private pool: Uint32Array;
  private poolTop = 0;
  private readonly expected: number;
  exits = 0;
  forks = 0;
  spawns = 0;

  constructor(sim: SwapSim, params: Readonly<Record<string, string>>, ctx: WorkloadContext) {
    super("fork-exit", sim, params, ctx);
    this.meanSize = intParam(params.size ?? "1024", "fork-exit.size", 1, 1 << 24);
    this.forkShare = parseShare(params.fork ?? "30%", "fork-exit.fork");
    this.maxProcs = Math.max(64, Math.ceil((this.target / this.meanSize) * 8) + 64);
    this.procStart = new Float64Array(this.maxProcs);
    this.procLen = new Int32Array(this.maxProcs);
    this.procWant = new Int32Array(this.maxProcs);
    this.procCpu = new Int32Array(this.maxProcs);
    this.alive = new Int32Array(this.maxProcs);
    this.aliveIndex = new Int32Array(this.maxProcs);
    this.growing = new Int32Array(this.maxProcs);
    this.growingIndex = new Int32Array(this.maxProcs);
    this.freeIds = new Int32Array(this.maxProcs);
    for (let i = 0; i < this.maxProcs; i++) this.freeIds[i] = this.maxProcs - 1 - i;
    this.freeCount = this.maxProcs;
    this.pool = new Uint32Array(Math.max(1024, this.target * 2));
    this.expected = ctx.events ?? Math.max(1_000_000, 4 * Math.ceil(this.target / this.meanFolioPages));
  }

  expectedEvents(): number {
    return this.expected;
  }

  advance(until: number): void {
    const sim = this.sim;
    until = Math.min(until, this.expected);
    if (this.target === 0) this.done = true;
    while (!this.done && sim.counters.events < until) {
      if (sim.live < this.target) {
        if (this.growingCount === 0 || (this.growingCount < 2 * this.sim.cpus && this.rng.chance(0.05))) {
          if (!this.spawn()) this.exitRandom();
          continue;
        }
        const p = this.growing[this.rng.below(this.growingCount)];
        if (!this.grow(p)) this.exitRandom();
      } else this.exitRandom();
    }
    if (sim.counters.events >= this.expected) this.done = true;
  }

  private newId(): number {
    return this.freeCount > 0 ? this.freeIds[--this.freeCount] : -1;
  }

  private reserve(words: number): number {
    if (this.poolTop + words > this.pool.length) this.compact(words);
    const at = this.poolTop;
    this.poolTop += words;
    return at;
  }

  /** Move live processes' folio lists to the front of the pool (grow it if still short). */
  private compact(extra: number): void {
    let need = extra;
    for (let i = 0; i < this.aliveCount; i++) need += this.procWant[this.alive[i]] + this.procLen[this.alive[i]];
    const next = new Uint32Array(Math.max(this.pool.length, need * 2));
    let top = 0;
    for (let i = 0; i < this.aliveCount; i++) {
      const p = this.alive[i];
      const len = this.procLen[p];
      const cap = len + (this.procWant[p] > 0 ? this.procWant[p] : 0);
      next.set(this.pool.subarray(this.procStart[p], this.procStart[p] + len), top);
      this.procStart[p] = top;
      top += cap;
    }
    this.pool = next;
    this.poolTop = top;
  }

  private spawn(): boolean {
    const p = this.newId();
    if (p < 0) return false;
    const size = 1 + this.rng.below(2 * this.meanSize);
    this.spawns++;
    let parent = -1;
    if (this.aliveCount > 0 && this.rng.chance(this.forkShare)) parent = this.alive[this.rng.below(this.aliveCount)];
    const inherited = parent >= 0 ? this.procLen[parent] : 0;
    // folios: at most one per page
    const start = this.reserve(inherited + size);
    this.procStart[p] = start;
    this.procLen[p] = 0;
    this.procCpu[p] = this.rng.below(this.cpus);
    if (parent >= 0) {
      this.forks++;
      const ps = this.procStart[parent];
      for (let i = 0; i < inherited; i++) {
        const h = this.pool[ps + i];
        this.sim.dup(h);
        this.pool[start + i] = h;
      }
      this.procLen[p] = inherited;
    }
    this.procWant[p] = size;
    this.aliveIndex[p] = this.aliveCount;
    this.alive[this.aliveCount++] = p;
    this.growingIndex[p] = this.growingCount;
    this.growing[this.growingCount++] = p;
    return true;
  }

  /** Swap out up to one burst of the process's pages; false when the device is full. */
  private grow(p: number): boolean {
    const sim = this.sim;
    this.cpu = this.procCpu[p];
    let burst = this.burst;
    while (burst > 0 && this.procWant[p] > 0) {
      const order = this.drawOrderFitting(this.procWant[p]);
      const kind = this.drawKind();
      const nr = 1 << order;
      let h = sim.swapOut(this.cpu, order, kind);
      if (h !== 0) {
        this.pool[this.procStart[p] + this.procLen[p]++] = h;
        this.procWant[p] -= nr;
      } else {
        // split: order-0 pages, one list entry each
        for (let j = 0; j < nr && this.procWant[p] > 0; j++) {
          h = sim.swapOut(this.cpu, 0, kind);
          if (h === 0) return false;
          this.pool[this.procStart[p] + this.procLen[p]++] = h;
          this.procWant[p]--;
        }
      }
      if (kind === KIND_ZSWAP && this.writebackRate > 0 && this.rng.chance(this.writebackRate)) {
        const s = sim.randomOfKind(this.rng, KIND_ZSWAP);
        if (s !== 0) sim.writeback(s, this.cpu);
      }
      burst--;
    }
    if (this.procWant[p] <= 0) this.stopGrowing(p);
    return true;
  }

  private drawOrderFitting(want: number): number {
    let o = this.drawOrder();
    while (o > 0 && 1 << o > want) o--;
    return o;
  }

  private stopGrowing(p: number): void {
    const i = this.growingIndex[p];
    if (i < 0) return;
    const last = this.growing[--this.growingCount];
    this.growing[i] = last;
    this.growingIndex[last] = i;
    this.growingIndex[p] = -1;
    this.procWant[p] = 0;
  }

  private exitRandom(): void {
    if (this.aliveCount === 0) {
      this.done = true; // nothing holds an entry and nothing can be swapped out
      return;
    }
    const p = this.alive[this.rng.below(this.aliveCount)];
    this.exits++;
    const start = this.procStart[p];
    for (let i = 0, n = this.procLen[p]; i < n; i++) this.sim.swapIn(this.pool[start + i]);
    this.stopGrowing(p);
    const i = this.aliveIndex[p];
    const last = this.alive[--this.aliveCount];
    this.alive[i] = last;
    this.aliveIndex[last] = i;
    this.procLen[p] = 0;
    this.freeIds[this.freeCount++] = p;
  }
}

// ---------------------------------------------------------------------------------------------
// registry and parsing

export const WORKLOADS: readonly WorkloadDef[] = [
  {
    name: "fill",
    summary: "swap out folios until the target share of the device is used (sequential fill)",
    params: [ORDERS_PARAM, BURST_PARAM, CPUS_PARAM],
    create: (sim, params, ctx) => new FillWorkload(sim, params, ctx),
  },
  {
    name: "fill-free",
    summary: "fill to a peak share, then swap random folios in until the target share is left",
    params: [{ name: "peak", value: "<share>", doc: "fill level before the frees", default: "100%" }, SPLIT_PARAM, ORDERS_PARAM, BURST_PARAM, CPUS_PARAM],
    create: (sim, params, ctx) => new FillFreeWorkload(sim, params, ctx),
  },
  {
    name: "random-churn",
    summary: "fill to the target, then 50/50 swap-in of a uniformly random folio and swap-out of a new one",
    params: [SPLIT_PARAM, ORDERS_PARAM, BURST_PARAM, CPUS_PARAM],
    create: (sim, params, ctx) => new RandomChurnWorkload("random-churn", sim, params, ctx),
  },
  {
    name: "churn",
    summary: "steady-state churn with Zipf-distributed re-access of a page population larger than memory",
    params: [
      { name: "s", value: "<exponent>", doc: "Zipf exponent of page popularity (0 = uniform; 0..10, and refused where over 99 % of accesses would hit resident pages: above about 1.33 at the defaults on a 1 GiB device, 1.22 on 64 GiB, so that every run ends in bounded time)", default: "1" },
      { name: "ram", value: "<share>", doc: "resident pages as a share of the swapped ones", default: "25%" },
      BURST_PARAM,
      CPUS_PARAM,
    ],
    create: (sim, params, ctx) => new ZipfChurnWorkload(sim, params, ctx),
  },
  {
    name: "fork-exit",
    summary: "processes swap out in bursts, fork (sharing entries) and exit (range frees)",
    params: [
      { name: "size", value: "<pages>", doc: "mean pages a process swaps out", default: "1024" },
      { name: "fork", value: "<share>", doc: "share of new processes that fork a live one", default: "30%" },
      ORDERS_PARAM,
      BURST_PARAM,
      CPUS_PARAM,
    ],
    create: (sim, params, ctx) => new ForkExitWorkload(sim, params, ctx),
  },
  {
    name: "mthp",
    summary: "random churn with an mTHP folio mix and partial frees",
    params: [{ ...SPLIT_PARAM, default: "25%" }, { ...ORDERS_PARAM, default: "0:50,4:25,9:25" }, BURST_PARAM, CPUS_PARAM],
    create: (sim, params, ctx) => new RandomChurnWorkload("mthp", sim, { orders: "0:50,4:25,9:25", ...params }, ctx),
  },
];

export const WORKLOAD_SYNTAX = `<name>[,param=value,...] with name one of ${WORKLOADS.map((w) => w.name).join(", ")}, trace (see \`swapcost simulate --help\`)`;

/** Parse `churn,s=0.9,ram=50%` (commas; the first item is the name). Params are checked against the workload. */
export function parseWorkloadSpec(text: string, field = "--workload", extraParams: readonly string[] = []): WorkloadSpec {
  const parts = String(text).split(",").map((p) => p.trim()).filter(Boolean);
  const name = (parts[0] ?? "").toLowerCase();
  const def = WORKLOADS.find((w) => w.name === name);
  const allowed = name === "trace" ? ["file"] : def ? def.params.map((p) => p.name) : null;
  if (!allowed) throw new SwapcostInputError(field, text, WORKLOAD_SYNTAX);
  const params: Record<string, string> = {};
  let last: string | null = null;
  for (const kv of parts.slice(1)) {
    const eq = kv.indexOf("=");
    if (eq < 0 && last === "orders" && /^\d+:/.test(kv)) {
      // an order mix continues: orders=0:60,4:30,9:10
      params[last] += `,${kv}`;
      continue;
    }
    if (eq <= 0) throw new SwapcostInputError(field, kv, `param=value pairs after the workload name, e.g. ${name},${allowed[0] ?? "file"}=…`);
    const k = kv.slice(0, eq).trim().toLowerCase();
    if (!allowed.includes(k) && !extraParams.includes(k)) throw new SwapcostInputError(`${field} ${name}`, k, `one of ${[...allowed, ...extraParams].join(", ") || "(no parameters)"}`, "unknown parameter");
    if (k in params) throw new SwapcostInputError(`${field} ${name}`, k, "each parameter once");
    params[k] = kv.slice(eq + 1).trim();
    last = k;
  }
  if (name === "trace" && !params.file) throw new SwapcostInputError(field, text, "trace,file=<path>", "the trace workload needs a file");
  return { name, params };
}

export function workloadDef(name: string): WorkloadDef | undefined {
  return WORKLOADS.find((w) => w.name === name);
}

/** `0:60,4:30,9:10` → shares of pages per order (normalised). */
export function parseOrders(text: string, field: string): Float64Array {
  const out = new Float64Array(NR_ORDERS);
  const t = String(text).trim();
  const items = t.includes(":") ? t.split(",") : [`${t}:100%`];
  for (const item of items) {
    const parts = item.split(":").map((x) => x.trim());
    const [o, sh] = parts;
    if (parts.length > 2 || !/^\d+$/.test(o ?? "") || Number(o) >= NR_ORDERS) throw new SwapcostInputError(field, text, `orders 0..${NR_ORDERS - 1} as order:share pairs, e.g. 0:60,4:30,9:10 (or a single order)`);
    out[Number(o)] += parseShare(sh ?? "100%", field);
  }
  const total = out.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new SwapcostInputError(field, text, "at least one order with a positive share");
  for (let o = 0; o < NR_ORDERS; o++) out[o] /= total;
  return out;
}

export function intParam(text: string, field: string, min: number, max: number): number {
  const t = String(text).trim().replace(/_/g, "");
  const n = /^\d+(e\d+)?$/i.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new SwapcostInputError(field, text, `a whole number between ${min} and ${max}`);
  return n;
}

export function numParam(text: string, field: string, min: number, max: number): number {
  const n = Number(String(text).trim());
  if (!Number.isFinite(n) || n < min || n > max) throw new SwapcostInputError(field, text, `a number between ${min} and ${max}`);
  return n;
}
