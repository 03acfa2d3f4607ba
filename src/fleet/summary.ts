/**
 * One summary row per host: the inputs the overhead model needs, as a CSV a fleet can be described
 * with when no snapshots are at hand (or exported from many snapshots). Rows hold inputs only; the
 * per-design costs are recomputed from them (cost_* columns of an exported CSV are ignored on read).
 *
 * A host with several swap devices is summarised as one device of the kind holding most used
 * slots, sized as their sum (the snapshot path keeps devices apart; the CSV path cannot).
 */
import { SwapcostInputError } from "../errors.js";
import type { DeviceKind } from "../designs/types.js";
import type { HostAnalysis } from "../host/analyse.js";
import { parseRelease } from "../host/parse.js";

export interface HostSummary {
  readonly host: string;
  /** Kernel release (`6.1.0-56-amd64`); picks the host's baseline design. */
  readonly kernel: string;
  readonly cpus: number;
  readonly memcg: boolean;
  readonly memTotalBytes: number | null;
  /** `none` = the host has no swap. */
  readonly device: Exclude<DeviceKind, "none"> | "none";
  /** Swap size in bytes: slots × 4096, the header page included. 0 when device is none. */
  readonly swapBytes: number;
  readonly disk: number;
  readonly zswap: number;
  readonly zero: number;
  readonly writebackShare: number;
  readonly zpool: "zsmalloc" | "zbud" | null;
  /** Where the row came from: a snapshot directory, a CSV line, a synthetic profile. */
  readonly origin: string;
}

/** CSV columns, in order; documented in the README. */
export const SUMMARY_COLUMNS = ["host", "kernel", "cpus", "memcg", "mem_total_bytes", "device", "swap_bytes", "disk", "zswap", "zero", "writeback_share", "zpool", "origin"] as const;

const DEVICES = ["ssd", "hdd", "zram", "none"];

/** The summary row of an analysed host. */
export function summaryOf(host: string, a: HostAnalysis, origin: string): HostSummary {
  const byKind = new Map<string, number>();
  for (const d of a.devices) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + d.usedPages + 1e-9 * d.swapSizeBytes);
  const kind = [...byKind.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] as HostSummary["device"] | undefined;
  return {
    host,
    kernel: a.kernel.release ?? "",
    cpus: a.cpus.value,
    memcg: a.memcg.value,
    memTotalBytes: a.memTotalBytes,
    device: kind ?? "none",
    swapBytes: a.devices.reduce((s, d) => s + d.swapSizeBytes, 0),
    disk: a.usage.disk + a.usage.cache,
    zswap: a.usage.zswap,
    zero: a.usage.zero,
    writebackShare: a.backends.writebackShare.value,
    zpool: a.backends.zswap.zpool === "zsmalloc" || a.backends.zswap.zpool === "zbud" ? a.backends.zswap.zpool : null,
    origin,
  };
}

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return "";
  const s = typeof v === "boolean" ? (v ? "1" : "0") : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function summaryCsv(rows: readonly HostSummary[], extra: readonly { readonly name: string; readonly values: readonly (number | null)[] }[] = []): string {
  const head = [...SUMMARY_COLUMNS, ...extra.map((e) => e.name)].join(",");
  const lines = rows.map((r, i) =>
    [
      r.host,
      r.kernel,
      r.cpus,
      r.memcg,
      r.memTotalBytes,
      r.device,
      r.swapBytes,
      r.disk,
      r.zswap,
      r.zero,
      Number(r.writebackShare.toFixed(6)),
      r.zpool,
      r.origin,
      ...extra.map((e) => e.values[i]),
    ]
      .map(csvCell)
      .join(","),
  );
  return [head, ...lines].join("\n") + "\n";
}

/** RFC 4180 fields of one line (quotes, doubled quotes); the caller splits lines. */
function splitCsvLine(line: string, file: string, n: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        if (i >= line.length) throw new SwapcostInputError(`${file}:${n}`, line, "a closed quote", "unterminated quoted field");
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else v += line[i++];
      }
      out.push(v);
      if (i < line.length && line[i] !== ",") throw new SwapcostInputError(`${file}:${n}`, line, "a comma after a quoted field");
      i++;
    } else {
      const j = line.indexOf(",", i);
      const end = j < 0 ? line.length : j;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Parse a fleet CSV (header first; SUMMARY_COLUMNS required except mem_total_bytes, zpool, origin; cost_* columns ignored). */
export function parseSummaryCsv(text: string, file: string): { rows: HostSummary[]; ignored: string[] } {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new SwapcostInputError(`${file}:1`, "", `a header line: ${SUMMARY_COLUMNS.join(",")}`, "empty file");
  const head = splitCsvLine(lines[0], file, 1).map((h) => h.trim());
  const col = new Map(head.map((h, i) => [h, i]));
  const optional = new Set(["mem_total_bytes", "zpool", "origin"]);
  for (const c of SUMMARY_COLUMNS) if (!optional.has(c) && !col.has(c)) throw new SwapcostInputError(`${file}:1`, lines[0], `the columns ${SUMMARY_COLUMNS.join(",")}`, `no column "${c}"`);
  const ignored = head.filter((h) => !(SUMMARY_COLUMNS as readonly string[]).includes(h));
  const rows: HostSummary[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const n = i + 1;
    const f = splitCsvLine(lines[i], file, n);
    if (f.length !== head.length) throw new SwapcostInputError(`${file}:${n}`, lines[i], `${head.length} fields as in the header`, `${f.length} fields`);
    const get = (c: string) => (col.has(c) ? f[col.get(c)!].trim() : "");
    const int = (c: string, min = 0) => {
      const v = get(c);
      if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) throw new SwapcostInputError(`${file}:${n}: ${c}`, v, `a whole number ≥ ${min}`);
      return Number(v);
    };
    const host = get("host");
    if (!host) throw new SwapcostInputError(`${file}:${n}: host`, host, "a host name");
    if (seen.has(host)) throw new SwapcostInputError(`${file}:${n}: host`, host, "each host once");
    seen.add(host);
    const kernel = get("kernel");
    parseRelease(kernel, `${file}:${n}: kernel`);
    const device = get("device");
    if (!DEVICES.includes(device)) throw new SwapcostInputError(`${file}:${n}: device`, device, DEVICES.join(", "));
    const memcg = get("memcg");
    if (memcg !== "0" && memcg !== "1") throw new SwapcostInputError(`${file}:${n}: memcg`, memcg, "0 or 1");
    const wb = Number(get("writeback_share"));
    if (get("writeback_share") === "" || !(wb >= 0 && wb <= 1)) throw new SwapcostInputError(`${file}:${n}: writeback_share`, get("writeback_share"), "a share between 0 and 1");
    const zpool = get("zpool");
    if (zpool !== "" && zpool !== "zsmalloc" && zpool !== "zbud") throw new SwapcostInputError(`${file}:${n}: zpool`, zpool, "zsmalloc, zbud or empty");
    const swapBytes = int("swap_bytes");
    const r: HostSummary = {
      host,
      kernel,
      cpus: int("cpus", 1),
      memcg: memcg === "1",
      memTotalBytes: get("mem_total_bytes") === "" ? null : int("mem_total_bytes"),
      device: device as HostSummary["device"],
      swapBytes,
      disk: int("disk"),
      zswap: int("zswap"),
      zero: int("zero"),
      writebackShare: wb,
      zpool: zpool === "" ? null : (zpool as "zsmalloc" | "zbud"),
      origin: get("origin") || `${file}:${n}`,
    };
    if (device === "none" && (swapBytes !== 0 || r.disk + r.zswap + r.zero > 0)) throw new SwapcostInputError(`${file}:${n}`, lines[i], "swap_bytes 0 and no entries when device is none");
    if (device !== "none") {
      if (swapBytes % 4096 !== 0 || swapBytes < 8192) throw new SwapcostInputError(`${file}:${n}: swap_bytes`, swapBytes, "whole 4 KiB pages, at least 2 (a header page and one slot)");
      const usable = swapBytes / 4096 - 1;
      if (r.disk + r.zswap + r.zero > usable) throw new SwapcostInputError(`${file}:${n}`, lines[i], `disk + zswap + zero ≤ ${usable} usable slots`);
    }
    rows.push(r);
  }
  return { rows, ignored };
}
