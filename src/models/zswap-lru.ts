/**
 * A cgroup's zswap LRU (oldest first) for the memcg model: runs of entries stored together, each
 * run a histogram of payload lengths with a referenced bit (6.8+ second-chance writeback). Entries
 * of one run were stored interleaved by kind, so taking k entries from the head takes each length
 * in proportion (every prefix of a run holds each length within about one entry of its share).
 *
 * O(1) amortised per operation in the number of runs (a head index, no array shifting).
 */
import { SwapcostInvariantError } from "../errors.js";

/**
 * Split `total` whole items in proportion to `weights` (largest remainder; ties to the lower
 * index): the parts sum to `total`. For the few weights of a page stream: no sorting, no maps.
 */
export function apportionSmall(total: number, weights: readonly number[]): number[] {
  let sum = 0;
  for (const w of weights) sum += w;
  const parts = new Array<number>(weights.length).fill(0);
  if (total <= 0 || sum <= 0) return parts;
  const frac = new Array<number>(weights.length);
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (total * weights[i]) / sum;
    parts[i] = Math.floor(exact);
    frac[i] = exact - parts[i];
    given += parts[i];
  }
  for (let left = total - given; left > 0; left--) {
    let best = 0;
    for (let i = 1; i < frac.length; i++) if (frac[i] > frac[best]) best = i;
    parts[best]++;
    frac[best] = -1;
  }
  return parts;
}

interface LruRun {
  readonly ref: boolean;
  readonly batch: number;
  readonly lens: number[];
  readonly orig: number[];
  readonly taken: number[];
  size: number;
  takenTotal: number;
}

export class ZswapLru {
  private runs: LruRun[] = [];
  private head = 0;
  private stored = 0;

  /** Entries on the LRU. */
  get size(): number {
    return this.stored;
  }

  private headRun(): LruRun | undefined {
    while (this.head < this.runs.length && this.runs[this.head].takenTotal >= this.runs[this.head].size) this.head++;
    if (this.head > 1024 && this.head * 2 > this.runs.length) {
      this.runs = this.runs.slice(this.head);
      this.head = 0;
    }
    return this.runs[this.head];
  }

  /** Append `n` entries of `len` bytes; entries appended in the same batch with the same bit share a run. */
  push(ref: boolean, len: number, n: number, batch: number): void {
    if (n <= 0) return;
    const tail = this.runs[this.runs.length - 1];
    let run: LruRun;
    if (tail && this.runs.length > this.head && tail.ref === ref && tail.batch === batch && tail.takenTotal === 0) run = tail;
    else {
      run = { ref, batch, lens: [], orig: [], taken: [], size: 0, takenTotal: 0 };
      this.runs.push(run);
    }
    const i = run.lens.indexOf(len);
    if (i >= 0) run.orig[i] += n;
    else {
      run.lens.push(len);
      run.orig.push(n);
      run.taken.push(0);
    }
    run.size += n;
    this.stored += n;
  }

  /** Referenced bit of the oldest entry (undefined: empty). */
  headRef(): boolean | undefined {
    return this.headRun()?.ref;
  }

  /** Entries left in the oldest run. */
  headRunRemaining(): number {
    const h = this.headRun();
    return h ? h.size - h.takenTotal : 0;
  }

  /** Mean payload length of what is left in the oldest run. */
  headMeanLength(): number {
    const h = this.headRun();
    if (!h) return 0;
    let bytes = 0;
    for (let i = 0; i < h.lens.length; i++) bytes += (h.orig[i] - h.taken[i]) * h.lens[i];
    return bytes / (h.size - h.takenTotal);
  }

  /** Take the `k` oldest entries (k ≤ headRunRemaining()); `visit` gets each length and its count. */
  takeHead(k: number, visit: (lengthBytes: number, count: number) => void): void {
    const h = this.headRun();
    if (!h || k > h.size - h.takenTotal || k <= 0) throw new SwapcostInvariantError(`zswap LRU: take ${k} of ${h ? h.size - h.takenTotal : 0}`);
    const t = h.takenTotal + k;
    if (h.lens.length === 1) {
      h.taken[0] += k;
      visit(h.lens[0], k);
    } else {
      const want = h.lens.map((_, i) => Math.max(0, Math.min(h.orig[i] - h.taken[i], (t * h.orig[i]) / h.size - h.taken[i])));
      const parts = apportionSmall(k, want);
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i];
        if (p > h.orig[i] - h.taken[i]) throw new SwapcostInvariantError("zswap LRU: run overdrawn");
        if (p > 0) {
          h.taken[i] += p;
          visit(h.lens[i], p);
        }
      }
    }
    h.takenTotal = t;
    this.stored -= k;
  }

  /** Second chance: clear the referenced bit of the `k` oldest entries and move them to the tail. */
  rotate(k: number, batch: number): void {
    const moved: number[] = [];
    this.takeHead(k, (len, n) => moved.push(len, n));
    for (let i = 0; i < moved.length; i += 2) this.push(false, moved[i], moved[i + 1], batch);
  }
}
