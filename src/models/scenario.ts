/**
 * From user-level parameters (a swap size, a share of slots used, a backend mix, a device kind or
 * `auto`) to the overhead model's exact inputs. Pure.
 */
import { SwapcostInputError } from "../errors.js";
import type { Design, DeviceKind, EntryKind } from "../designs/types.js";
import { ENTRY_KINDS } from "../designs/types.js";
import { apportion, parseShare } from "../units/share.js";
import type { Accounting, OverheadInput, Usage } from "./overhead.js";
import { PAGE_SIZE_BYTES } from "./overhead.js";
import type { Occupancy } from "./occupancy.js";
import { measuredFor, type SimulatedPlacement } from "./placement.js";

/** Shares of the used entries by backend, summing to 1. `zram` = disk-backed entries on a zram device. */
export type Mix = Readonly<Partial<Record<EntryKind, number>>>;
export type Backend = EntryKind | "zram";
export const BACKENDS: readonly Backend[] = ["zswap", "disk", "zram", "zero", "cache"];

export type DeviceChoice = DeviceKind | "auto";

export interface Scenario {
  readonly swapSizeBytes: number;
  /** Share of the usable slots (all slots but the header page) in use. */
  readonly usedShare: number;
  readonly mix: Mix;
  /** True when the backend was `zram` (disk entries live on a zram device). */
  readonly zram?: boolean;
  readonly device: DeviceChoice;
  readonly memcg: boolean;
  /** A placement model, or a simulation's final state (then the usage is the simulation's, not usedShare × mix). */
  readonly occupancy: Occupancy | SimulatedPlacement;
  readonly accounting: Accounting;
  readonly cpus: number;
  readonly zpool?: "zsmalloc" | "zbud";
  /** Share of disk entries that arrived by zswap writeback; default 100% when zswap is in the mix. */
  readonly writebackShare?: number;
}

/** Parse `zswap=60%,disk=40%` (shares as in parseShare; must sum to 100%). */
export function parseMix(text: string, field = "mix"): { mix: Mix; zram: boolean } {
  const mix: Partial<Record<EntryKind, number>> = {};
  let zram = false;
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new SwapcostInputError(field, part, "backend=share pairs such as zswap=60%,disk=40%");
    const name = part.slice(0, eq).trim().toLowerCase();
    if (!(BACKENDS as readonly string[]).includes(name)) throw new SwapcostInputError(field, name, `backends among ${BACKENDS.join(", ")}`);
    const kind: EntryKind = name === "zram" ? "disk" : (name as EntryKind);
    if (name === "zram") zram = true;
    if (mix[kind] !== undefined) throw new SwapcostInputError(field, name, "each backend once");
    mix[kind] = parseShare(part.slice(eq + 1), `${field} ${name}`);
  }
  const total = Object.values(mix).reduce((a, b) => a + (b ?? 0), 0);
  if (Object.keys(mix).length === 0) throw new SwapcostInputError(field, text, "at least one backend=share pair");
  if (Math.abs(total - 1) > 1e-9) {
    throw new SwapcostInputError(field, text, "shares that sum to 100%", `they sum to ${(total * 100).toFixed(2)}%`);
  }
  return { mix, zram };
}

export function mixOfBackend(b: Backend): { mix: Mix; zram: boolean } {
  if (b === "zram") return { mix: { disk: 1 }, zram: true };
  return { mix: { [b]: 1 }, zram: false };
}

/** Entries by kind: the used share of the usable slots, split by the mix (exact integer parts). */
export function usageOf(swapSizeBytes: number, usedShare: number, mix: Mix): Usage {
  const slots = Math.floor(swapSizeBytes / PAGE_SIZE_BYTES);
  const usable = Math.max(0, slots - 1);
  const used = Math.round(usable * usedShare);
  const parts = apportion(used, ENTRY_KINDS.map((k) => mix[k] ?? 0));
  return { disk: parts[0], zswap: parts[1], zero: parts[2], cache: parts[3] };
}

/**
 * `auto`: zram backend → zram; a design with no data device (ghost swapfile) → none; a mix without
 * disk-backed entries on a design that can run without a swapfile → none (zswap-only, as in the
 * vswap cover letters); otherwise an SSD.
 */
export function resolveDevice(design: Design, choice: DeviceChoice, mix: Mix, zram: boolean): DeviceKind {
  if (choice !== "auto") {
    if (zram && choice !== "zram") throw new SwapcostInputError("device", choice, "zram (or auto) with the zram backend");
    return choice;
  }
  if (zram) return "zram";
  if (design.devices.length === 1) return design.devices[0];
  const hasDisk = (mix.disk ?? 0) > 0;
  if (!hasDisk && design.devices.includes("none")) return "none";
  return design.devices.includes("ssd") ? "ssd" : design.devices[0];
}

export function inputOf(design: Design, s: Scenario): OverheadInput {
  if (s.occupancy.kind === "simulated") {
    const sim = s.occupancy;
    const used = sim.usage.disk + sim.usage.zswap + sim.usage.zero + sim.usage.cache;
    const mix: Mix = used > 0 ? { disk: sim.usage.disk / used, zswap: sim.usage.zswap / used, zero: sim.usage.zero / used, cache: sim.usage.cache / used } : s.mix;
    return {
      design,
      swapSizeBytes: s.swapSizeBytes,
      device: resolveDevice(design, s.device, mix, s.zram ?? false),
      memcg: s.memcg,
      usage: sim.usage,
      occupancy: measuredFor(design, sim),
      accounting: s.accounting,
      cpus: s.cpus,
      zpool: s.zpool,
      writebackShare: sim.writebackShare,
    };
  }
  const device = resolveDevice(design, s.device, s.mix, s.zram ?? false);
  return {
    design,
    swapSizeBytes: s.swapSizeBytes,
    device,
    memcg: s.memcg,
    usage: usageOf(s.swapSizeBytes, s.usedShare, s.mix),
    occupancy: s.occupancy,
    accounting: s.accounting,
    cpus: s.cpus,
    zpool: s.zpool,
    writebackShare: s.writebackShare,
  };
}

export function mixLabel(mix: Mix, zram = false): string {
  const parts = ENTRY_KINDS.filter((k) => (mix[k] ?? 0) > 0).map((k) => {
    const name = k === "disk" && zram ? "zram" : k;
    return mix[k] === 1 ? name : `${name}=${Math.round((mix[k] ?? 0) * 10000) / 100}%`;
  });
  return parts.join(",");
}
