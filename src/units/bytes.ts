/**
 * Byte, slot and page quantities.
 *
 * Sizes are integers (JavaScript numbers are exact up to 2^53 = 8 PiB, which is the largest
 * virtual swap space any design in the debate proposes). Public APIs take branded types so that
 * a slot count cannot be passed where bytes are expected; conversions go through the named
 * helpers below, which check their inputs.
 */
import { SwapcostInputError, SwapcostInvariantError } from "../errors.js";

export type Bytes = number & { readonly __unit: "bytes" };
export type Slots = number & { readonly __unit: "slots" };

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
export const PiB = 1024 * TiB;

/** Brand a byte count after checking it is a non-negative safe integer. */
export function bytes(n: number, what = "bytes"): Bytes {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new SwapcostInvariantError(`${what}: ${n} is not a non-negative safe integer byte count`);
  }
  return n as Bytes;
}

/** Brand a slot count after checking it is a non-negative safe integer. */
export function slots(n: number, what = "slots"): Slots {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new SwapcostInvariantError(`${what}: ${n} is not a non-negative safe integer slot count`);
  }
  return n as Slots;
}

/** Whole slots (pages) in a device of `sizeBytes`; a partial trailing page is not a slot. */
export function bytesToSlots(sizeBytes: Bytes, pageSizeBytes: number): Slots {
  return slots(Math.floor(sizeBytes / pageSizeBytes));
}

export function slotsToBytes(n: Slots, pageSizeBytes: number): Bytes {
  return bytes(n * pageSizeBytes);
}

export function bytesToMiB(b: number): number {
  return b / MiB;
}

const BINARY: Record<string, number> = { "": 1, K: KiB, M: MiB, G: GiB, T: TiB, P: PiB, E: PiB * 1024 };
const DECIMAL: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** What `parseSize` accepts, for error messages and documentation. */
export const SIZE_SYNTAX =
  "a size such as 4096, 512M, 32G, 32GiB, 1T (binary: K/M/G/T/P = 2^10..2^50) or 32GB, 32 GB (decimal SI: 10^9)";

/**
 * Parse a size. Binary: a bare number is bytes; `K M G T P E` with an optional `i`/`iB`/`B`-less
 * suffix are powers of 1024 (`32G` = `32GiB` = 32 × 2^30). Decimal (SI): `KB MB GB TB PB` are
 * powers of 1000 (`32GB` = 32 × 10^9). Case-insensitive, spaces allowed between number and unit.
 * The result must be a whole number of bytes.
 */
export function parseSize(text: string, field = "size"): Bytes {
  const raw = String(text).trim();
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([kmgtpe]?)(i?)(b?)$/i.exec(raw);
  if (!m) throw new SwapcostInputError(field, text, SIZE_SYNTAX);
  const [, num, unitRaw, iRaw, bRaw] = m;
  const unit = unitRaw.toUpperCase();
  const value = Number(num);
  let mult: number;
  if (unit === "") {
    if (iRaw) throw new SwapcostInputError(field, text, SIZE_SYNTAX);
    mult = 1;
  } else if (iRaw || !bRaw) {
    mult = BINARY[unit];
  } else {
    mult = DECIMAL[unit];
  }
  const result = value * mult;
  if (!Number.isFinite(result) || !Number.isSafeInteger(Math.round(result))) {
    throw new SwapcostInputError(field, text, "a size less than 8 PiB (at most 2^53 - 1 bytes)", "too large");
  }
  if (Math.abs(result - Math.round(result)) > 1e-6 * Math.max(1, mult / 1024)) {
    throw new SwapcostInputError(field, text, "a whole number of bytes", "not a whole number of bytes");
  }
  return bytes(Math.round(result));
}

/** True if `text` looks like a size with a unit (used to tell `--used 16G` from `--used 50`). */
export function hasSizeUnit(text: string): boolean {
  return /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgtpe]i?b?|b)\s*$/i.test(text);
}

/** `n` bytes in the largest binary unit that keeps the number ≥ 1, with fixed decimals. */
export function formatBytes(n: number, decimals = 2): string {
  const units: Array<[string, number]> = [["PiB", PiB], ["TiB", TiB], ["GiB", GiB], ["MiB", MiB], ["KiB", KiB]];
  for (const [name, size] of units) {
    if (Math.abs(n) >= size) return `${(n / size).toFixed(decimals)} ${name}`;
  }
  return `${n} B`;
}

/** Exact size label for inputs: `32 GiB` when exact, else `34359738368 B`. */
export function formatSizeExact(n: number): string {
  const units: Array<[string, number]> = [["PiB", PiB], ["TiB", TiB], ["GiB", GiB], ["MiB", MiB], ["KiB", KiB]];
  for (const [name, size] of units) {
    if (n >= size && n % size === 0 && n / size < 1024 * 1024) return `${n / size} ${name}`;
  }
  for (const [name, size] of units) {
    if (n >= size) return `${(n / size).toFixed(3)} ${name}`;
  }
  return `${n} B`;
}
