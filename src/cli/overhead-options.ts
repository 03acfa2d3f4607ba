/**
 * The options shared by `overhead`, `compare` and `start`: parsing user text into a Scenario and
 * designs (built-in or from --design-file).
 */
import { readFileSync } from "node:fs";
import { SwapcostInputError } from "../errors.js";
import { parseDesignJson } from "../designs/validate.js";
import { findSpec, resolveDesign, designIds } from "../designs/registry.js";
import type { Design, DeviceKind } from "../designs/types.js";
import { DEVICE_KINDS } from "../designs/types.js";
import { parseOccupancy } from "../models/occupancy.js";
import { simulatedPlacement } from "./sim-occupancy.js";
import { BACKENDS, mixOfBackend, parseMix, type Backend, type DeviceChoice, type Scenario } from "../models/scenario.js";
import type { Accounting } from "../models/overhead.js";
import { GiB, hasSizeUnit, parseSize } from "../units/bytes.js";
import { parseShare } from "../units/share.js";
import { has, str, type FlagSpec, type ParsedArgs } from "./args.js";

export const SCENARIO_FLAGS: readonly FlagSpec[] = [
  { name: "swap-size", value: "<size>", doc: "swap device size (or declared/virtual size): 32G = 32GiB = 32*2^30, 32GB = 32*10^9 (default 32G)" },
  { name: "backend", value: "zswap|disk|zram|zero|cache", doc: "where every used entry lives (default zswap)" },
  { name: "mix", value: "<k=share,...>", doc: "split of used entries by backend, e.g. zswap=60%,disk=40% (sums to 100%)" },
  { name: "device", value: "auto|ssd|hdd|zram|none", doc: "device kind; auto = zram for the zram backend, none for zswap-only designs without swapfile, else ssd (default auto)" },
  { name: "occupancy", value: "packed|random|<n>|sim:<workload>", doc: "placement of used entries: packed clusters, uniform random, n entries per in-use cluster, or simulated (sim:churn,s=0.9,events=2M,seed=1: the usage becomes the simulation's; see `swapcost simulate --help`) (default packed)" },
  { name: "accounting", value: "kernel|letter", doc: "what the kernel allocates, or the cover letters' nominal sizes (default kernel)" },
  { name: "no-memcg", doc: "memcg disabled (cgroup_disable=memory): no swap_cgroup / memcg tables" },
  { name: "cpus", value: "<n>", doc: "possible CPUs for per-CPU allocations (default 8)" },
  { name: "zpool", value: "zsmalloc|zbud", doc: "zswap pool allocator (default: the design's kernel default)" },
  { name: "writeback-share", value: "<share>", doc: "share of disk entries that reached disk by zswap writeback (default 100% if zswap is in the mix, else 0)" },
  { name: "design-file", value: "<file.json>", doc: "load a custom design (same shape as `swapcost designs <id> --format json`)" },
  { name: "format", value: "text|json|mail", doc: "output format (default text)" },
];

export function parseFormat(args: ParsedArgs, allowed: readonly string[] = ["text", "json", "mail"]): string {
  const f = str(args, "format") ?? "text";
  if (!allowed.includes(f)) throw new SwapcostInputError("--format", f, `one of ${allowed.join(", ")}`);
  return f;
}

/** Custom designs from --design-file, by id. */
export function loadCustomDesigns(args: ParsedArgs): Map<string, Design> {
  const file = str(args, "design-file");
  const out = new Map<string, Design>();
  if (!file) return out;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SwapcostInputError("--design-file", file, "a readable JSON file", (e as NodeJS.ErrnoException).code ?? "unreadable");
  }
  const d = parseDesignJson(text, file);
  if (findSpec(d.id)) throw new SwapcostInputError(`${file}: id`, d.id, "an id that is not a built-in design (see `swapcost designs`)");
  out.set(d.id, d);
  return out;
}

export function designById(text: string, custom: ReadonlyMap<string, Design>, field = "--design"): Design {
  const c = custom.get(text.trim());
  if (c) return c;
  if (!text.trim()) throw new SwapcostInputError(field, text, `one of ${designIds().join(", ")}${custom.size ? ", " + [...custom.keys()].join(", ") : ""}`, "empty design id");
  return resolveDesign(text);
}

export function parseSwapSize(args: ParsedArgs): number {
  const t = str(args, "swap-size");
  if (t === undefined) return 32 * GiB;
  const b = parseSize(t, "--swap-size");
  if (b < 2 * 4096) throw new SwapcostInputError("--swap-size", t, "at least 8K (a header page and one slot)");
  return b;
}

/** `--used`: a share (50%, 50, 0.5) or a size of swapped data (16G). */
export function parseUsed(text: string, swapSizeBytes: number, field = "--used"): number {
  if (hasSizeUnit(text)) {
    const b = parseSize(text, field);
    const usable = Math.floor(swapSizeBytes / 4096) - 1;
    const share = Math.floor(b / 4096) / usable;
    if (share > 1) throw new SwapcostInputError(field, text, `at most the ${usable} usable slots of the swap size`, "more than the device holds");
    return share;
  }
  return parseShare(text, field);
}

export function parseUsedList(text: string, swapSizeBytes: number): number[] {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.every((p) => !p)) throw new SwapcostInputError("--used", text, "a comma-separated list such as 0,25,50,75,100");
  if (parts.some((p) => !p)) throw new SwapcostInputError("--used", text, "a comma-separated list such as 0,25,50,75,100", "empty item");
  return parts.map((p) => parseUsed(p, swapSizeBytes));
}

export function parseScenario(args: ParsedArgs, usedShare: number, swapSizeBytes: number): Scenario {
  const backendText = str(args, "backend");
  const mixText = str(args, "mix");
  if (backendText && mixText) throw new SwapcostInputError("--backend", backendText, "either --backend or --mix, not both");
  let mixed: ReturnType<typeof parseMix>;
  if (mixText) {
    if (mixText.split(",").some((p) => !p.trim())) throw new SwapcostInputError("--mix", mixText, "backend=share pairs separated by single commas, such as zswap=60%,disk=40%", "empty item");
    mixed = parseMix(mixText, "--mix");
  }
  else {
    const b = (backendText ?? "zswap").toLowerCase();
    if (!(BACKENDS as readonly string[]).includes(b)) throw new SwapcostInputError("--backend", backendText, `one of ${BACKENDS.join(", ")}`);
    mixed = mixOfBackend(b as Backend);
  }
  const deviceText = (str(args, "device") ?? "auto").toLowerCase();
  if (deviceText !== "auto" && !(DEVICE_KINDS as readonly string[]).includes(deviceText)) {
    throw new SwapcostInputError("--device", deviceText, `one of auto, ${DEVICE_KINDS.join(", ")}`);
  }
  const accounting = (str(args, "accounting") ?? "kernel") as Accounting;
  if (accounting !== "kernel" && accounting !== "letter") throw new SwapcostInputError("--accounting", accounting, "kernel or letter");
  const cpusText = str(args, "cpus") ?? "8";
  if (!/^\d+$/.test(cpusText) || Number(cpusText) < 1 || Number(cpusText) > 8192) throw new SwapcostInputError("--cpus", cpusText, "a whole number of CPUs between 1 and 8192");
  const zpool = str(args, "zpool");
  if (zpool !== undefined && zpool !== "zsmalloc" && zpool !== "zbud") throw new SwapcostInputError("--zpool", zpool, "zsmalloc or zbud");
  const occupancyText = str(args, "occupancy") ?? "packed";
  const occupancy = /^sim:/i.test(occupancyText.trim())
    ? simulatedPlacement(occupancyText.trim(), swapSizeBytes, usedShare, mixed.mix, Number(cpusText))
    : parseOccupancy(occupancyText, "--occupancy");
  return {
    swapSizeBytes,
    usedShare,
    mix: mixed.mix,
    zram: mixed.zram,
    device: deviceText as DeviceChoice,
    memcg: !has(args, "no-memcg"),
    occupancy,
    accounting,
    cpus: Number(cpusText),
    zpool: zpool as "zsmalloc" | "zbud" | undefined,
    writebackShare: str(args, "writeback-share") === undefined ? undefined : parseShare(str(args, "writeback-share")!, "--writeback-share"),
  };
}

export type { DeviceKind };
