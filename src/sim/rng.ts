/**
 * Deterministic pseudo-random numbers for the simulator (never Math.random): xoshiro128** seeded
 * through splitmix32, uniform integers from 53-bit doubles (no modulo bias at 2^28 slots), and a
 * Zipf sampler by rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to
 * generate variates from monotone discrete distributions", ACM TOMACS 6(3), 1996), which needs no
 * table and draws in O(1) for any population size.
 */

export class Rng {
  /**
   * xoshiro128** state. In a typed array: int32 values outside V8's 31-bit small-integer range
   * would otherwise be boxed on every store to an object field.
   */
  private readonly s = new Int32Array(4);

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
    // splitmix32 over the low and high 32 bits of the seed
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x9e3779b9);
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const st = this.s;
    for (let i = 0; i < 4; i++) st[i] = next() | 0;
    if ((st[0] | st[1] | st[2] | st[3]) === 0) st[3] = 1;
  }

  /** 32 random bits as a signed int32 (no heap number). */
  i32(): number {
    const st = this.s;
    const a = st[0];
    const b = st[1];
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    const c = st[2] ^ a;
    const d = st[3] ^ b;
    st[1] = b ^ c;
    st[0] = a ^ d;
    st[2] = c ^ t;
    st[3] = rotl(d, 11);
    return result;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    return this.i32() >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.i32() >>> 5; // 27 bits
    const lo = this.i32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A uniform integer in [0, n) for 1 ≤ n ≤ 2^32: exact from one 32-bit draw up to 2^21 (belowSmall),
   * else from 53 random bits (bias below 2^-21 at n = 2^32).
   */
  below(n: number): number {
    return n <= 2097152 ? this.belowSmall(n) : Math.floor(this.float() * n);
  }

  /** An exactly uniform integer in [0, n) for 1 ≤ n ≤ 2^21, usually from one 32-bit draw (Lemire's method). */
  belowSmall(n: number): number {
    let m = this.u32() * n;
    let l = m % 4294967296;
    if (l < n) {
      const t = (4294967296 - n) % n;
      while (l < t) {
        m = this.u32() * n;
        l = m % 4294967296;
      }
    }
    return Math.floor(m / 4294967296);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Zipf(n, s): returns k in [1, n] with probability proportional to k^-s (s ≥ 0; s = 0 is uniform).
 * Rejection-inversion after Hörmann and Derflinger (1996).
 */
export class ZipfSampler {
  readonly n: number;
  readonly s: number;
  private readonly hX1: number;
  private readonly hN: number;
  private readonly sDiv: number;

  constructor(n: number, s: number) {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Zipf population must be a positive integer, got ${n}`);
    if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`Zipf exponent must be >= 0, got ${s}`);
    this.n = n;
    this.s = s;
    this.hX1 = this.hIntegral(1.5) - 1;
    this.hN = this.hIntegral(n + 0.5);
    this.sDiv = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  sample(rng: Rng): number {
    const n = this.n;
    for (;;) {
      const u = this.hN + rng.float() * (this.hX1 - this.hN);
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= this.sDiv || u >= this.hIntegral(k + 0.5) - this.h(k)) return k;
    }
  }

  private h(x: number): number {
    return Math.exp(-this.s * Math.log(x));
  }

  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return helper2((1 - this.s) * logX) * logX;
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.s);
    if (t < -1) t = -1;
    return Math.exp(helper1(t) * x);
  }
}

/** log(1 + x) / x, accurate near 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** (exp(x) - 1) / x, accurate near 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + (x / 2) * (1 + (x / 3) * (1 + x / 4));
}
