/**
 * Synthetic fleets for when no real fleet data is at hand. Every profile is a table of documented
 * distributions (plain data, printed by `swapcost fleet --profiles`); a seed makes a fleet exactly
 * reproducible. The distributions are ASSUMPTIONS chosen to span the setups the thread argues about
 * (zswap in front of an SSD on servers, zram on phones, rarely used disk swap on build machines),
 * not measurements: nothing here is a published number, and results on a synthetic fleet say what
 * the models give for these assumptions, nothing more.
 */
import { SwapcostInputError } from "../errors.js";
import { GiB } from "../units/bytes.js";
import type { HostSummary } from "./summary.js";

/** mulberry32: a 32-bit seeded PRNG (Tommy Ettinger's public-domain generator); uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A distribution, as data (so it can be printed and argued with). */
export type Dist =
  | { readonly kind: "choice"; readonly values: readonly (number | string)[]; readonly weights: readonly number[] }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "loguniform"; readonly min: number; readonly max: number };

export function sample(d: Dist, rnd: () => number): number | string {
  switch (d.kind) {
    case "choice": {
      const total = d.weights.reduce((a, b) => a + b, 0);
      let x = rnd() * total;
      for (let i = 0; i < d.values.length; i++) {
        x -= d.weights[i];
        if (x < 0) return d.values[i];
      }
      return d.values[d.values.length - 1];
    }
    case "uniform":
      return d.min + (d.max - d.min) * rnd();
    case "loguniform":
      return Math.exp(Math.log(d.min) + (Math.log(d.max) - Math.log(d.min)) * rnd());
  }
}

export function describeDist(d: Dist): string {
  switch (d.kind) {
    case "choice":
      return d.values.map((v, i) => `${v} (${d.weights[i]})`).join(", ");
    case "uniform":
      return `uniform ${d.min} .. ${d.max}`;
    case "loguniform":
      return `log-uniform ${d.min} .. ${d.max}`;
  }
}

export interface Profile {
  readonly id: string;
  readonly what: string;
  readonly device: Dist;
  readonly kernel: Dist;
  readonly cpus: Dist;
  /** RAM in GiB. */
  readonly ramGiB: Dist;
  /** Swap size as a multiple of RAM (rounded down to whole MiB). */
  readonly swapPerRam: Dist;
  /** Share of the usable slots in use. */
  readonly used: Dist;
  /** Of the used entries: share in zswap, then share zero-filled (of the rest, capped); the rest is on the device. */
  readonly zswapShare: Dist;
  readonly zeroShare: Dist;
  /** Share of the disk entries that got there by zswap writeback. */
  readonly writebackShare: Dist;
  /** zswap pool of the host's kernel (given to its baseline design; other designs use their own default). */
  readonly zpool: Dist;
  /** Share of hosts with no swap at all. */
  readonly noSwap: number;
  readonly why: string;
}

const u = (min: number, max: number): Dist => ({ kind: "uniform", min, max });
const choice = (values: readonly (number | string)[], weights: readonly number[]): Dist => ({ kind: "choice", values, weights });

export const PROFILES: readonly Profile[] = [
  {
    id: "zswap-server",
    what: "datacenter host, zswap in front of an SSD swapfile (the setup the vswap cover letters are written for)",
    device: choice(["ssd"], [1]),
    kernel: choice(["6.1.0", "6.6.0", "6.12.0"], [0.2, 0.3, 0.5]),
    cpus: choice([32, 64, 128, 192], [0.2, 0.4, 0.3, 0.1]),
    ramGiB: choice([64, 128, 256, 512], [0.2, 0.4, 0.3, 0.1]),
    swapPerRam: choice([0.125, 0.25, 0.5, 1], [0.2, 0.4, 0.3, 0.1]),
    used: u(0.01, 0.6),
    zswapShare: u(0.5, 0.95),
    zeroShare: u(0, 0.1),
    writebackShare: u(0, 1),
    zpool: choice(["zsmalloc"], [1]),
    noSwap: 0,
    why: "assumed: swap a fraction of RAM; most swapped pages in zswap (zsmalloc), the rest written back or rejected to disk",
  },
  {
    id: "android-zram",
    what: "phone or tablet, zram swap only (no zswap), GKI kernels",
    device: choice(["zram"], [1]),
    kernel: choice(["6.1.0", "6.6.0"], [0.5, 0.5]),
    cpus: choice([8], [1]),
    ramGiB: choice([4, 6, 8, 12], [0.15, 0.3, 0.35, 0.2]),
    swapPerRam: choice([0.5, 0.75, 1], [0.3, 0.3, 0.4]),
    used: u(0.2, 0.9),
    zswapShare: u(0, 0),
    zeroShare: u(0.02, 0.15),
    writebackShare: u(0, 0),
    zpool: choice(["none"], [1]),
    noSwap: 0,
    why: "assumed: a zram device of half to one times RAM, well used; zero-filled pages a small share",
  },
  {
    id: "build-server",
    what: "build or batch machine, disk swap that is rarely used (no zswap)",
    device: choice(["ssd", "hdd"], [0.8, 0.2]),
    kernel: choice(["6.1.0", "6.12.0"], [0.5, 0.5]),
    cpus: choice([64, 96, 192], [0.3, 0.4, 0.3]),
    ramGiB: choice([128, 256, 512], [0.3, 0.5, 0.2]),
    swapPerRam: { kind: "loguniform", min: 0.0625, max: 1 },
    used: u(0, 0.3),
    zswapShare: u(0, 0),
    zeroShare: u(0, 0.05),
    writebackShare: u(0, 0),
    zpool: choice(["none"], [1]),
    noSwap: 0.1,
    why: "assumed: large RAM, a swap device sized by habit, little of it used; some hosts without swap",
  },
];

/** `mixed` draws each host's profile with these weights. */
export const MIXED_WEIGHTS: Readonly<Record<string, number>> = { "zswap-server": 0.5, "android-zram": 0.3, "build-server": 0.2 };

export const PROFILE_IDS = ["mixed", ...PROFILES.map((p) => p.id)];

function profileById(id: string): Profile {
  const p = PROFILES.find((x) => x.id === id);
  if (!p) throw new SwapcostInputError("--profile", id, `one of ${PROFILE_IDS.join(", ")}`);
  return p;
}

/** A seeded synthetic fleet of `n` hosts. Same (n, seed, profile) → the same rows. */
export function syntheticFleet(n: number, seed: number, profile = "mixed"): HostSummary[] {
  if (!Number.isSafeInteger(n) || n < 1 || n > 1_000_000) throw new SwapcostInputError("--synthetic", n, "a number of hosts between 1 and 1000000");
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new SwapcostInputError("--seed", seed, "a whole number between 0 and 4294967295");
  if (profile !== "mixed") profileById(profile);
  const rnd = mulberry32(seed);
  const mixed: Dist = choice(Object.keys(MIXED_WEIGHTS), Object.values(MIXED_WEIGHTS));
  const rows: HostSummary[] = [];
  const width = String(n).length;
  for (let i = 0; i < n; i++) {
    const p = profileById(profile === "mixed" ? (sample(mixed, rnd) as string) : profile);
    const ram = Number(sample(p.ramGiB, rnd)) * GiB;
    const kernel = String(sample(p.kernel, rnd));
    const cpus = Number(sample(p.cpus, rnd));
    const device = String(sample(p.device, rnd)) as HostSummary["device"];
    const swapRatio = Number(sample(p.swapPerRam, rnd));
    const usedShare = Number(sample(p.used, rnd));
    const zs = Number(sample(p.zswapShare, rnd));
    const zr = Number(sample(p.zeroShare, rnd));
    const wb = Number(sample(p.writebackShare, rnd));
    const zpool = String(sample(p.zpool, rnd));
    const none = rnd() < p.noSwap;
    const host = `${p.id}-${String(i + 1).padStart(width, "0")}`;
    if (none) {
      rows.push({ host, kernel, cpus, memcg: true, memTotalBytes: ram, device: "none", swapBytes: 0, disk: 0, zswap: 0, zero: 0, writebackShare: 0, zpool: null, origin: `synthetic ${p.id} seed ${seed}` });
      continue;
    }
    const swapBytes = Math.max(2, Math.floor((ram * swapRatio) / (1024 * 1024))) * 1024 * 1024;
    const usable = swapBytes / 4096 - 1;
    const used = Math.floor(usable * usedShare);
    const zswap = Math.floor(used * zs);
    const zero = Math.min(used - zswap, Math.floor(used * zr));
    rows.push({
      host,
      kernel,
      cpus,
      memcg: true,
      memTotalBytes: ram,
      device,
      swapBytes,
      disk: used - zswap - zero,
      zswap,
      zero,
      writebackShare: zswap > 0 ? Number(wb.toFixed(6)) : 0,
      zpool: zpool === "zsmalloc" || zpool === "zbud" ? zpool : null,
      origin: `synthetic ${p.id} seed ${seed}`,
    });
  }
  return rows;
}
