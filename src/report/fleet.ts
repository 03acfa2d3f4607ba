/**
 * Fleet reports: per-design cost and saving distributions, the fleet's ranking and where it flips.
 */
import type { FleetHost, FleetResult } from "../fleet/aggregate.js";
import { summaryCsv } from "../fleet/summary.js";
import { formatBytes, MiB } from "../units/bytes.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { describeDist, MIXED_WEIGHTS, PROFILES, type Dist, type Profile } from "../fleet/synthetic.js";
import { alignRows, ascii, fixed, intWithSep, wrap } from "./format.js";
import { configBlock, finish, footnoteLines, MAIL_WIDTH, prose } from "./mail.js";

const m = (b: number | undefined | null, d = 2) => (b === undefined || b === null || Number.isNaN(b) ? "-" : fixed(b / MiB, d));
const pct = (x: number) => `${fixed(x * 100, 1)}%`;

export interface FleetReportContext {
  readonly source: string;
  readonly accounting: string;
  readonly occupancy: string;
  readonly baseline: string;
  readonly ignoredColumns?: readonly string[];
  /** What the fleet rests on (snapshot directories with their manifests, the CSV, or the generator): numbered footnotes of the mail. */
  readonly sources?: readonly string[];
}

/** `[1]`, `[1,2]` or `[1-4]` for footnotes 1..n. */
function rangeTag(n: number): string {
  return n <= 0 ? "" : n === 1 ? "[1]" : n === 2 ? "[1,2]" : `[1-${n}]`;
}

export function fleetText(r: FleetResult, ctx: FleetReportContext): string {
  const out: string[] = [];
  out.push(`${KIT_NAME} fleet: ${ctx.source}`);
  out.push(`  hosts     ${intWithSep(r.hosts)} (${intWithSep(r.hostsWithSwap)} with swap)${r.excluded.length ? `; ${r.excluded.length} excluded (below)` : ""}`);
  out.push(`  baseline  ${ctx.baseline}`);
  out.push(`  model     ${ctx.accounting} accounting; occupancy ${ctx.occupancy}; x86_64, 4 KiB pages`);
  if (ctx.ignoredColumns?.length) out.push(`  ignored   CSV columns ${ctx.ignoredColumns.join(", ")} (outputs are recomputed from the inputs)`);
  out.push("");
  out.push(`swap metadata per host with swap, by design (MiB; lower is better; the ${intWithSep(r.hosts - r.hostsWithSwap)} hosts without swap cost 0 under every design and are left out); saving = host's baseline - design:`);
  const rows = [["design", "hosts", "p10", "median", "p90", "max", "saving p10", "saving median", "saving p90", "saves on", "cheapest on"]];
  const order = [...r.designs].sort((a, b) => (a.cost?.p50 ?? Infinity) - (b.cost?.p50 ?? Infinity) || (a.id < b.id ? -1 : 1));
  for (const d of order) {
    rows.push([
      d.id,
      `${intWithSep(d.hosts)}${d.notRunnable ? ` (${d.notRunnable} n/a)` : ""}`,
      m(d.cost?.p10),
      m(d.cost?.p50),
      m(d.cost?.p90),
      m(d.cost?.max),
      m(d.saving?.p10),
      m(d.saving?.p50),
      m(d.saving?.p90),
      d.saving ? pct(d.savingHosts) : "-",
      intWithSep(d.cheapest),
    ]);
  }
  for (const l of alignRows(rows, ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"])) out.push(`  ${l}`);
  out.push("  quantiles: linear interpolation between order statistics (Hyndman-Fan type 7); 'cheapest on' counts ties for every tied design");
  const na = r.designs.filter((d) => d.notRunnable);
  if (na.length) {
    out.push("  n/a (the design cannot hold those hosts' swap):");
    for (const d of na) for (const x of d.notRunnableReasons.slice(0, 2)) out.push(...wrap(`${d.id}: ${x.hosts} hosts: ${x.reason}`, 104, "      ").map((l) => `    ${l}`));
  }
  out.push("");
  out.push(`fleet ranking (designs every host with swap can run, by median): ${r.fleetRanking.join(" < ") || "-"}`);
  if (r.flips.length) {
    out.push("where it flips: pairs ordered by median, and the hosts where the order is reversed:");
    const fr = [["cheaper at the median", "than", "reversed on", "of", "e.g."]];
    for (const f of r.flips.slice(0, 15)) fr.push([f.a, f.b, intWithSep(f.flippedHosts), intWithSep(f.comparedHosts), f.examples.slice(0, 3).join(", ")]);
    for (const l of alignRows(fr, ["l", "l", "r", "r", "l"])) out.push(`  ${l}`);
    if (r.flips.length > 15) out.push(`  ... ${r.flips.length - 15} more pairs (--format json)`);
  } else out.push("no flips: every host ranks the designs as the fleet does");
  if (r.cheapestFlips.length) {
    out.push("");
    out.push(`hosts where ${r.fleetRanking[0]} (cheapest at the fleet median) is not the cheapest (${r.cheapestFlips.length}; first 10):`);
    const cr = [["host", "cheapest here", "MiB", `${r.fleetRanking[0]} MiB`, "device", "swap", "used (zswap/zero/disk)"]];
    for (const c of r.cheapestFlips.slice(0, 10)) {
      const s = c.summary;
      cr.push([c.host, c.cheapest.join(","), m(c.cheapestBytes, 3), m(c.fleetCheapestBytes, 3), s.device, formatBytes(s.swapBytes), `${intWithSep(s.zswap)}/${intWithSep(s.zero)}/${intWithSep(s.disk)}`]);
    }
    for (const l of alignRows(cr, ["l", "l", "r", "r", "l", "r", "l"])) out.push(`  ${l}`);
  }
  if (r.excluded.length) {
    out.push("");
    out.push("excluded snapshots (unreadable or malformed):");
    for (const e of r.excluded) out.push(...wrap(`${e.host}: ${e.reason}`, 104, "      ").map((l, i) => (i ? `  ${l}` : `  - ${l}`)));
  }
  return out.join("\n") + "\n";
}

export function fleetMail(r: FleetResult, ctx: FleetReportContext): string {
  const lines: string[] = [];
  lines.push(...wrap(`Swap metadata across a fleet, per design (${ctx.accounting} accounting)`, MAIL_WIDTH));
  lines.push("");
  lines.push(
    ...configBlock([
      ["fleet", `${ctx.source}${ctx.sources?.length ? ` ${rangeTag(ctx.sources.length)}` : ""}`],
      ["hosts", `${r.hosts} (${r.hostsWithSwap} with swap)`],
      ["baseline", ctx.baseline],
      ["occupancy", ctx.occupancy],
      ["kit", `${KIT_NAME} ${KIT_VERSION}`],
    ]),
  );
  lines.push("");
  lines.push("MiB per host, lower is better; saving = baseline - design");
  const rows = [["", "hosts", "p10", "median", "p90", "saving p50", "saves"]];
  const order = [...r.designs].filter((d) => d.cost).sort((a, b) => a.cost!.p50 - b.cost!.p50 || (a.id < b.id ? -1 : 1));
  for (const d of order) rows.push([d.id, String(d.hosts), m(d.cost!.p10), m(d.cost!.p50), m(d.cost!.p90), m(d.saving?.p50), d.saving ? pct(d.savingHosts) : "-"]);
  lines.push(...alignRows(rows, ["l", "r", "r", "r", "r", "r", "r"]));
  const partial = order.filter((d) => d.notRunnable);
  if (partial.length) lines.push(...wrap(`hosts: the hosts with swap a design can hold; ${partial.map((d) => `${d.id} cannot hold ${d.notRunnable}`).join(", ")} (its quantiles are over the rest only)`, MAIL_WIDTH));
  lines.push("");
  if (r.flips.length) {
    lines.push(...wrap("Ranking flips (cheaper at the median, but not on every host):", MAIL_WIDTH));
    for (const f of r.flips.slice(0, 8)) lines.push(...wrap(`${f.a} < ${f.b}: reversed on ${f.flippedHosts} of ${f.comparedHosts} hosts`, MAIL_WIDTH, "    ").map((l) => `  ${l}`));
  } else lines.push("No ranking flips: every host orders the designs as the fleet does.");
  lines.push("");
  lines.push(...wrap("Quantiles: type 7 (linear interpolation). Per host, each design's total is the sum of its structures for that host's swap devices and entries (swapcost host itemises one host; swapcost designs <id> lists each structure with its source).", MAIL_WIDTH));
  if (ctx.sources?.length) lines.push("", ...footnoteLines(ctx.sources));
  return finish(lines);
}

/** Per-host rows: the summary inputs and, for each design, its total (bytes; empty when n/a). */
export function fleetCsv(hosts: readonly FleetHost[], designIds: readonly string[]): string {
  return summaryCsv(
    hosts.map((h) => h.summary),
    designIds.map((id) => ({ name: `cost_${id}`, values: hosts.map((h) => h.designs.find((d) => d.id === id)?.totalBytes ?? null) })),
  );
}

// ---------------------------------------------------------------------------------------------
// The synthetic profiles (`swapcost fleet --profiles`)

/** Where the synthetic fleet's distributions and PRNG are defined (cited by every profile report). */
export const PROFILES_SOURCE = "src/fleet/synthetic.ts (swapcost): PROFILES, MIXED_WEIGHTS and syntheticFleet; the distributions are assumptions, not measurements";
export const PRNG_SOURCE = "mulberry32, Tommy Ettinger's public-domain 32-bit PRNG (src/fleet/synthetic.ts)";
const PRNG_LINE = "PRNG: mulberry32 seeded with --seed; draws in the order listed, one host after another.";

/** Each profile's distributions as [text label, mail label, distribution or count]. */
function profileRows(p: Profile): [string, string, Dist | number][] {
  return [
    ["device", "device", p.device],
    ["kernel", "kernel", p.kernel],
    ["possible CPUs", "possible CPUs", p.cpus],
    ["RAM (GiB)", "RAM (GiB)", p.ramGiB],
    ["swap size / RAM", "swap size / RAM", p.swapPerRam],
    ["used share of usable slots", "used (of usable slots)", p.used],
    ["zswap share of used", "zswap (of used)", p.zswapShare],
    ["zero-filled share of used", "zero-filled (of used)", p.zeroShare],
    ["written-back share of disk entries", "written back (of disk)", p.writebackShare],
    ["zswap pool (none: the kernel default)", "zswap pool", p.zpool],
    ["hosts without swap", "hosts without swap", p.noSwap],
  ];
}

const distText = (d: Dist | number) => (typeof d === "number" ? String(d) : describeDist(d));
const mixedText = () => Object.entries(MIXED_WEIGHTS).map(([k, v]) => `${k} (${v})`).join(", ");

export function profilesText(): string {
  const out = ["synthetic fleet profiles (assumed distributions, not measurements; weights in parentheses):", ""];
  out.push(`mixed: each host draws its profile: ${mixedText()}`);
  for (const p of PROFILES) {
    out.push("");
    out.push(`${p.id}: ${p.what}`);
    out.push(`  why: ${p.why}`);
    for (const [k, , v] of profileRows(p)) out.push(`  ${k.padEnd(36)} ${distText(v)}`);
  }
  out.push("");
  out.push(PRNG_LINE);
  out.push(`source: ${PROFILES_SOURCE}`);
  return out.join("\n") + "\n";
}

/** The profiles as data: the distributions themselves (kind, values/weights or min/max) and their text. */
export function profilesJson(): string {
  return (
    JSON.stringify(
      {
        assumed: true,
        mixed: MIXED_WEIGHTS,
        profiles: PROFILES.map((p) => ({
          ...p,
          described: Object.fromEntries(profileRows(p).map(([k, , v]) => [k, distText(v)])),
        })),
        prng: PRNG_LINE,
        sources: [PROFILES_SOURCE, PRNG_SOURCE],
      },
      null,
      2,
    ) + "\n"
  );
}

export function profilesMail(): string {
  const lines: string[] = [...wrap("Synthetic fleet profiles: assumed distributions, not measurements [1]", MAIL_WIDTH)];
  lines.push("");
  lines.push(...configBlock([
    ["weights", "in parentheses after each value (choice); uniform and log-uniform give min .. max"],
    ["mixed", `each host draws its profile: ${mixedText()}`],
    ["PRNG", "mulberry32 seeded with --seed; draws in the order listed, one host after another [2]"],
    ["zswap pool", "none = the kernel's default pool"],
  ]));
  const keyWidth = Math.max(...PROFILES.flatMap((p) => profileRows(p).map(([, k]) => k.length)));
  const room = MAIL_WIDTH - 2 - keyWidth - 2;
  for (const p of PROFILES) {
    lines.push("");
    lines.push(...prose(`${p.id}: ${p.what}`));
    lines.push(...wrap(ascii(`why: ${p.why}`), MAIL_WIDTH - 2, "     ").map((l) => `  ${l}`));
    for (const [, k, v] of profileRows(p)) {
      const body = wrap(ascii(distText(v)), room);
      lines.push(`  ${k.padEnd(keyWidth)}  ${body[0] ?? ""}`);
      for (const more of body.slice(1)) lines.push(`  ${" ".repeat(keyWidth)}  ${more.trimStart()}`);
    }
  }
  lines.push("", ...footnoteLines([PROFILES_SOURCE, PRNG_SOURCE]));
  return finish(lines);
}
