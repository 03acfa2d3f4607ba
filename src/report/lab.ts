/**
 * The mail table "model vs a real 6.1/6.12 kernel": what the kit's models predict beside what the
 * Debian kernels measured under QEMU (data/lab), one block per kernel, ASCII within 72 columns,
 * the lab's setup first and the data files as footnotes. The comparisons come from
 * src/lab/compare.ts and src/lab/memcg-lab.ts; this file only formats. Pure.
 */
import type { LabKernelSetup, StaticLabRow, SwapoffFitSummary, ZramLabRow } from "../lab/compare.js";
import { memcgResidualSummary, type MemcgLabCase } from "../lab/memcg-lab.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { alignRows, ascii, fixed, wrap } from "./format.js";
import { configBlock, finish, footnoteLines, MAIL_WIDTH } from "./mail.js";

export interface LabMailInput {
  readonly setup: readonly LabKernelSetup[];
  readonly staticRows: readonly StaticLabRow[];
  readonly zramRows: readonly ZramLabRow[];
  readonly memcgCases: readonly MemcgLabCase[];
  /** the swapoff model calibrated on each kernel's swapoff series (src/lab/compare.ts swapoffFits) */
  readonly swapoffFits: readonly SwapoffFitSummary[];
}

const MiB = 1024 * 1024;

function pct(model: number, measured: number): string {
  if (measured === 0) return model === 0 ? "0.00%" : "n/a";
  const p = ((model - measured) / Math.abs(measured)) * 100;
  const s = fixed(p, 2);
  return `${p >= 0 && s !== "0.00" ? "+" : ""}${s}%`;
}

interface Line {
  readonly label: string;
  readonly measured: string;
  readonly model: string;
  readonly diff: string;
}

function block(kernel: string, input: LabMailInput): Line[] {
  const out: Line[] = [];
  const st = input.staticRows.filter((r) => r.kernel === kernel);
  const maxGiB = Math.max(...st.map((r) => r.sizeGiB));
  for (const memcg of ["on", "off"] as const) {
    for (const kind of ["hdd", "ssd"] as const) {
      const r = st.find((x) => x.sizeGiB === maxGiB && x.kind === kind && x.memcg === memcg);
      if (r) out.push({ label: `swapon ${maxGiB / 1024} TiB ${kind.toUpperCase()} memcg ${memcg}, B/slot`, measured: fixed(r.measuredPerSlot, 4), model: fixed(r.modelPerSlot, 4), diff: pct(r.modelBytes, r.measuredBytes) });
    }
  }
  const held = st.filter((r) => r.sizeGiB >= 16);
  if (held.length) {
    const worst = held.reduce((a, b) => (Math.abs(b.relErr) > Math.abs(a.relErr) ? b : a));
    out.push({ label: `  worst >= 16 GiB: ${worst.sizeGiB} GiB ${worst.kind.toUpperCase()} memcg ${worst.memcg}`, measured: fixed(worst.measuredPerSlot, 4), model: fixed(worst.modelPerSlot, 4), diff: pct(worst.modelBytes, worst.measuredBytes) });
  }
  const zr = input.zramRows.filter((r) => r.kernel === kernel);
  if (zr.length) {
    const z = zr.reduce((a, b) => (b.sizeGiB > a.sizeGiB ? b : a));
    out.push({ label: `zram ${z.sizeGiB} GiB + swapon, B/page`, measured: fixed(z.measuredPerPage, 3), model: fixed(z.modelPerPage, 3), diff: pct(z.modelBytes, z.measuredBytes) });
  }
  const mc = input.memcgCases.filter((c) => c.kernel.label === kernel);
  const pick = (id: string, counter: string, label: string, unit: "MiB" | "pages") => {
    const c = mc.find((x) => x.case === id);
    const k = c?.checks.find((x) => x.counter === counter);
    if (!k) return;
    const f = (v: number) => (unit === "MiB" ? fixed(v / MiB, 2) : String(Math.round(v)));
    out.push({ label, measured: f(k.measured), model: f(k.model), diff: pct(k.model, k.measured) });
  };
  pick("zsm_lzo", "memory.current", "zsm_lzo memory.current, MiB", "MiB");
  pick("zsm_lzo", "memory.zswap.current", "zsm_lzo memory.zswap.current, MiB", "MiB");
  pick("zsm_lzo", "pool bytes", "zsm_lzo zsmalloc pool, MiB", "MiB");
  pick("zbud_lzo", "pool bytes", "zbud_lzo zbud pool, MiB", "MiB");
  pick("zsm_lzo_zero", "memory.stat:zswapped", "zero pages: zswapped, MiB", "MiB");
  pick("zsm_zmax8m", "memory.stat:zswpout", "zswap.max 8M: zswpout, pages", "pages");
  pick("press_zsm", "memory.swap.current", "memory.max 64M: swap.current, MiB", "MiB");
  pick("press_zsm", "memory.stat:anon", "memory.max 64M: anon, MiB", "MiB");
  const all = mc.flatMap((c) => c.checks.filter((k) => k.independent).map((k) => ({ c, k, used: k.tolerance > 0 ? Math.abs(k.diff) / k.tolerance : k.diff === 0 ? 0 : Infinity })));
  if (all.length) {
    const worst = all.reduce((a, b) => (b.used > a.used ? b : a));
    const f = (v: number) => (worst.k.unit === "bytes" ? fixed(v / MiB, 2) : String(Math.round(v)));
    out.push({ label: `  nearest its tolerance, of ${all.length} counters`, measured: f(worst.k.measured), model: f(worst.k.model), diff: pct(worst.k.model, worst.k.measured) });
    out.push({ label: `    = ${worst.c.case} ${worst.k.counter}${worst.k.unit === "bytes" ? ", MiB" : ""}${worst.k.floor ? " (floor)" : ""}`, measured: "", model: "", diff: "" });
  }
  // largest |residual| per counter over the cases held to 2 % (independent inputs, no floor)
  const summary = memcgResidualSummary(mc).filter((r) => r.n > 0 && ["memory.current", "memory.swap.current", "memory.zswap.current", "memory.stat:anon", "pool bytes", "stored pages"].includes(r.counter));
  if (summary.length) out.push({ label: "memcg, cases held to 2%: n, max abs diff", measured: "n", model: "", diff: "max" });
  for (const r of summary) out.push({ label: `  ${r.counter.replace("memory.stat:", "stat ")} (${r.worstCase})`, measured: String(r.n), model: "", diff: `${fixed(r.maxAbsRel * 100, 2)}%` });
  return out;
}

export function labMail(input: LabMailInput): string {
  const kernels = input.setup.map((s) => s.kernel);
  const lines: string[] = [];
  lines.push(...wrap(ascii(`${KIT_NAME} models vs a real Linux ${kernels.join(" / ")} kernel (Debian, booted under QEMU)`), MAIL_WIDTH));
  lines.push("");
  const s0 = input.setup[0];
  const dates = input.setup.flatMap((s) => s.boots.map((b) => b.date.slice(0, 10))).sort();
  lines.push(
    ...configBlock([
      ...input.setup.map((s) => [`kernel ${s.kernel}`, s.pkg] as const),
      ["QEMU", `${s0.qemu.replace(/^QEMU emulator version /, "").replace(/ \[.*$/, "")}, ${s0.accel.split(";")[0]}`],
      ["guest", `${s0.guestRamMiB} MiB, ${s0.vcpus} vCPUs, busybox initramfs, transparent_hugepage=never`],
      ["measured", dates.length ? (dates[0] === dates[dates.length - 1] ? dates[0] : `${dates[0]} to ${dates[dates.length - 1]}`) : "?"],
      ["model", `${KIT_NAME} ${KIT_VERSION}: overhead (static, zram) and memcg models, designs ${[...new Set(input.staticRows.map((r) => r.design))].join(", ")}`],
      ["diff", "(model - measured) / measured"],
    ]),
  );
  for (const k of kernels) {
    lines.push("");
    const rows = block(k, input);
    const table = alignRows([[`Linux ${k}`, "measured", "model", "diff"], ...rows.map((r) => [ascii(r.label), r.measured, r.model, r.diff])], ["l", "r", "r", "r"]);
    lines.push(...table);
  }
  lines.push("");
  const disk = input.swapoffFits.filter((f) => f.backend === "disk");
  if (disk.length) {
    lines.push(...wrap("swapoff: the swapoff model's per-item costs fitted to each kernel's series (QEMU TCG: ratios and trends only, not costs on hardware)", MAIL_WIDTH));
    const us = (ns: number) => fixed(ns / 1000, 1);
    const table = alignRows(
      [
        ["disk series, fit", ...disk.map((f) => `Linux ${f.kernel}`)],
        ["r^2 over level medians", ...disk.map((f) => fixed(f.fit.r2, 3))],
        ["residual RMS / mean", ...disk.map((f) => `${fixed(f.fit.relativeRms * 100, 1)}%`)],
        ["fixed, ms", ...disk.map((f) => fixed(f.fit.coefficients.fixedNs / 1e6, 1))],
        ["per swapped page, us", ...disk.map((f) => us(f.fit.coefficients.perEntryNs))],
        ["per walked PTE, ns", ...disk.map((f) => fixed(f.fit.coefficients.pteVisitNs, 2))],
        ["per device slot, ns", ...disk.map((f) => fixed(f.fit.coefficients.perSlotNs, 3))],
        ["per PTE, never-swapped mm, ns", ...disk.map((f) => fixed(f.fit.coefficients.otherMmPteNs, 2))],
      ],
      ["l", ...disk.map(() => "r" as const)],
    );
    lines.push(...table);
    for (const f of disk) {
      for (const v of f.trends?.verdicts ?? []) lines.push(...wrap(ascii(`${f.kernel}: ${v}`), MAIL_WIDTH, "  "));
    }
  }
  lines.push("");
  lines.push(
    ...footnoteLines([
      "measurements: data/lab/<uname -r>/{static,zram,zswap,swapoff}.csv, raw serial logs in logs/; regenerate with `npm run lab`",
      "memcg inputs: each case's settings; the compressed length of ANOTHER case (same kernel, compressor and pattern, no limits; 0% random: the other kernel's); the non-anon charge of the kernel's no-zswap case noz_disk; under memory.max the case's swap-cache pages in flight; disk cases compared after memory.reclaim. 6.12 zsm_lzo_same has no such reference: its memory.current, zswap.current and pool are not counted (src/lab/memcg-lab.ts)",
      "swapoff: fitSwapoffCosts over per-level medians of calibrationRowsFromLab (src/models/swapoff-calibration.ts), non-negative least squares on relative errors (each level weighted by 1/its measured time)",
      "tolerances held by the test suite: static 0.5% from 16 GiB (test/lab/model-vs-lab.test.ts), memcg 2% (test/lab/memcg-vs-lab.test.ts)",
    ]),
  );
  return finish(lines);
}
