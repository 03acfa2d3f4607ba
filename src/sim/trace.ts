/**
 * Replay of an event trace captured elsewhere (a bpftrace script on folio_alloc_swap /
 * swap_put_entries_direct / zswap_writeback_entry, a kernel lab run, another simulator), so the
 * fragmentation of a real workload can be priced for every design.
 *
 * Format (swapcost event trace, version 1): UTF-8 text, one event per line, fields separated by
 * spaces or tabs; `#` starts a comment; blank lines are ignored. `<id>` names a swapped-out folio
 * (any token of letters, digits, `_ . : -`); it is defined by `out` and forgotten when its last
 * reference is dropped.
 *
 *   out <id> <order> <backend> [cpu]   swap out a folio of 2^order pages (order 0..9) backed by
 *                                      zswap | zero | disk, on CPU cpu (default 0)
 *   in <id>                            swap the folio in: drop one reference to each of its pages
 *   free <id> [page]                   drop the only reference to one page (default page 0) of an
 *                                      unshared folio (MADV_FREE, a partial munmap)
 *   dup <id>                           fork: one more reference to each page of the folio
 *   wb <id> [page] [cpu]               zswap writeback of one page (it must be in zswap)
 *   exit <id|a-b> ...                  process exit: drop one reference to each page of each
 *                                      listed folio (a-b: every numeric id from a to b)
 *   swapoff                            swapoff of the device (every entry is swapped in)
 *   sample                             record a sample of the occupancy now
 *
 * A folio the device cannot place at its order is split into order-0 pages (as reclaim does); the
 * id then names all of them. Every line is one simulator event except `exit` (one per folio) and
 * `sample` (none).
 */
import { SwapcostInputError } from "../errors.js";
import { KIND_DIRECT, KIND_ZERO, KIND_ZSWAP, NR_ORDERS } from "./layer.js";
import type { SwapSim } from "./simulator.js";
import { Workload, type WorkloadContext } from "./workloads.js";

export const TRACE_FORMAT_VERSION = 1;

interface FolioRecord {
  /** Direct slot of page 0 (whole folio) or of each page (split). */
  readonly heads: number[];
  readonly order: number;
  refs: number;
  freed: Uint8Array | null;
  livePages: number;
}

const ID = /^[A-Za-z0-9_.:-]+$/;

export class TraceWorkload extends Workload {
  private readonly lines: string[];
  private readonly file: string;
  private next = 0;
  private readonly folios = new Map<string, FolioRecord>();
  private readonly eventLines: number;
  /** A `sample` line was reached: the runner should sample before advancing again. */
  sampleRequested = false;

  constructor(sim: SwapSim, text: string, file: string, ctx: WorkloadContext) {
    super("trace", sim, {}, ctx);
    this.file = file;
    this.lines = text.split(/\r?\n/);
    let n = 0;
    for (const l of this.lines) {
      const t = l.replace(/#.*/, "").trim();
      if (t && !t.startsWith("sample")) n++;
    }
    this.eventLines = n;
  }

  expectedEvents(): number {
    return this.eventLines;
  }

  advance(until: number): void {
    const sim = this.sim;
    this.sampleRequested = false;
    while (this.next < this.lines.length && sim.counters.events < until) {
      const lineNo = this.next + 1;
      const raw = this.lines[this.next++];
      const t = raw.replace(/#.*/, "").trim();
      if (!t) continue;
      const f = t.split(/\s+/);
      this.apply(f, lineNo);
      if (f[0] === "sample") {
        this.sampleRequested = true;
        return;
      }
    }
    if (this.next >= this.lines.length) this.done = true;
  }

  private fail(lineNo: number, text: string, expected: string, why?: string): never {
    throw new SwapcostInputError(`${this.file}:${lineNo}`, text, expected, why);
  }

  private folio(id: string | undefined, lineNo: number, f: string[]): FolioRecord {
    if (id === undefined || !ID.test(id)) this.fail(lineNo, f.join(" "), "a folio id");
    const r = this.folios.get(id);
    if (!r) this.fail(lineNo, id, "the id of a folio swapped out earlier (and not yet fully freed)", "unknown folio");
    return r;
  }

  private intField(text: string | undefined, lineNo: number, what: string, min: number, max: number, dflt?: number): number {
    if (text === undefined) {
      if (dflt === undefined) this.fail(lineNo, "", `${what} (${min}..${max})`, "missing field");
      return dflt;
    }
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) this.fail(lineNo, text, `${what} between ${min} and ${max}`);
    return Number(text);
  }

  private apply(f: string[], lineNo: number): void {
    const sim = this.sim;
    switch (f[0]) {
      case "out": {
        const id = f[1];
        if (id === undefined || !ID.test(id)) this.fail(lineNo, f.join(" "), "out <id> <order> <backend> [cpu]");
        if (this.folios.has(id)) this.fail(lineNo, id, "a new folio id", "the id is still live");
        const order = this.intField(f[2], lineNo, "order", 0, NR_ORDERS - 1);
        const kind = f[3] === "zswap" ? KIND_ZSWAP : f[3] === "zero" ? KIND_ZERO : f[3] === "disk" ? KIND_DIRECT : -1;
        if (kind < 0) this.fail(lineNo, f[3] ?? "", "a backend: zswap, zero or disk");
        const cpu = this.intField(f[4], lineNo, "cpu", 0, sim.cpus - 1, 0);
        const nr = 1 << order;
        const h = sim.swapOut(cpu, order, kind);
        if (h !== 0) {
          this.folios.set(id, { heads: [h], order, refs: 1, freed: null, livePages: nr });
          return;
        }
        const heads: number[] = [];
        for (let j = 0; j < nr; j++) {
          const s = order > 0 ? sim.swapOut(cpu, 0, kind) : 0;
          if (s === 0) this.fail(lineNo, f.join(" "), "room on the device for the folio", "the swap device is full");
          heads.push(s);
        }
        this.folios.set(id, { heads, order, refs: 1, freed: null, livePages: nr });
        return;
      }
      case "in":
        this.putAll(this.folio(f[1], lineNo, f), f[1]!);
        return;
      case "exit": {
        if (f.length < 2) this.fail(lineNo, f.join(" "), "exit <id|a-b> ...");
        for (const item of f.slice(1)) {
          const m = /^(\d+)-(\d+)$/.exec(item);
          if (m) {
            const a = Number(m[1]);
            const b = Number(m[2]);
            if (b < a) this.fail(lineNo, item, "a range a-b with a <= b");
            for (let i = a; i <= b; i++) this.putAll(this.folio(String(i), lineNo, f), String(i));
          } else this.putAll(this.folio(item, lineNo, f), item);
        }
        return;
      }
      case "free": {
        const r = this.folio(f[1], lineNo, f);
        const nr = 1 << r.order;
        const page = this.intField(f[2], lineNo, "page", 0, nr - 1, 0);
        if (r.refs !== 1) this.fail(lineNo, f.join(" "), "free of a page of an unshared folio", `the folio has ${r.refs} references (use in/exit)`);
        if (!r.freed) r.freed = new Uint8Array(nr);
        if (r.freed[page]) this.fail(lineNo, f.join(" "), "a page not freed yet");
        r.freed[page] = 1;
        sim.free(this.slotOf(r, page));
        if (--r.livePages === 0) this.folios.delete(f[1]!);
        return;
      }
      case "dup": {
        const r = this.folio(f[1], lineNo, f);
        if (r.freed) this.fail(lineNo, f.join(" "), "dup of a folio without freed pages");
        for (const h of r.heads) sim.dup(h);
        r.refs++;
        return;
      }
      case "wb": {
        const r = this.folio(f[1], lineNo, f);
        const page = this.intField(f[2], lineNo, "page", 0, (1 << r.order) - 1, 0);
        const cpu = this.intField(f[3], lineNo, "cpu", 0, sim.cpus - 1, 0);
        if (r.freed && r.freed[page]) this.fail(lineNo, f.join(" "), "writeback of a live page");
        const slot = this.slotOf(r, page);
        if (sim.kindOf(slot) !== KIND_ZSWAP) this.fail(lineNo, f.join(" "), "writeback of a page in zswap", "the page is not in zswap");
        sim.writeback(slot, cpu);
        return;
      }
      case "swapoff":
        sim.swapoff();
        this.folios.clear();
        return;
      case "sample":
        return;
      default:
        this.fail(lineNo, f[0] ?? "", "an event: out, in, free, dup, wb, exit, swapoff or sample");
    }
  }

  private slotOf(r: FolioRecord, page: number): number {
    return r.heads.length === 1 ? r.heads[0] + page : r.heads[page];
  }

  /** Drop one reference to every live page of a folio. */
  private putAll(r: FolioRecord, id: string): void {
    const sim = this.sim;
    if (r.heads.length === 1 && !r.freed) sim.swapIn(r.heads[0]);
    else {
      const nr = 1 << r.order;
      for (let p = 0; p < nr; p++) if (!r.freed || !r.freed[p]) sim.free(this.slotOf(r, p));
    }
    if (--r.refs === 0) this.folios.delete(id);
  }
}

/** Write a trace line (for generators and tests). */
export function traceLine(op: "out", id: string, order: number, backend: "zswap" | "zero" | "disk", cpu?: number): string;
export function traceLine(op: string, ...fields: Array<string | number | undefined>): string;
export function traceLine(op: string, ...fields: Array<string | number | undefined>): string {
  return [op, ...fields.filter((x) => x !== undefined)].join(" ");
}
