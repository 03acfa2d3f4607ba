/**
 * The kit's models beside the kernel lab's measurements (data/lab, `npm run lab`), as flat rows for
 * notebook 05 and the lab tests: static swapon cost and zram (the overhead model), the lab's setup
 * from the CSV headers, and swapoff (the swapoff model calibrated on the lab's series; TCG: trends
 * and ratios only).
 * memcg + zswap is in ./memcg-lab.ts.
 *
 * Pure given the CSVs: every function reads data/lab under `root`.
 */
import { resolveDesign } from "../designs/registry.js";
import { overhead } from "../models/overhead.js";
import { calibrationRowsFromLab, fitSwapoffCosts, medianRows, swapoffTrends as calibrationTrends, type CalibrationRow, type SwapoffFit, type SwapoffTrends } from "../models/swapoff-calibration.js";
import { readStatic, readSwapoff, readZram, readZswap, summarizeStatic, type LabHeader } from "./data.js";
import { MEMCG_LAB_KERNELS, type LabKernel } from "./memcg-lab.js";

const GiB = 1024 ** 3;

/** Issue 5 §4: the static cost within 0.5 % of the measurement from 16 GiB up. */
export const STATIC_LAB_TOLERANCE = 0.005;
export const STATIC_LAB_MIN_GIB = 16;
/** Below 16 GiB: small kvmalloc()s land in slab caches that may already have room (see data/lab/README.md). */
export const STATIC_LAB_SMALL_BYTES = 65536;

/** The guest's vCPUs: per-CPU swap state is carved from existing per-CPU chunks (invisible in MemFree). */
const LAB_CPUS = 2;

/** The overhead model's static cost of one swapon, as the lab measured it (kernel accounting, packed, nothing in use). */
export function modelStaticBytes(design: string, sizeBytes: number, kind: "ssd" | "hdd" | "zram", memcg: boolean): number {
  return overhead({
    design: resolveDesign(design),
    swapSizeBytes: sizeBytes,
    device: kind,
    memcg,
    usage: { disk: 0, zswap: 0, zero: 0, cache: 0 },
    occupancy: { kind: "packed" },
    accounting: "kernel",
    cpus: LAB_CPUS,
  }).totals.staticBytes;
}

export interface StaticLabRow {
  readonly kernel: string;
  readonly release: string;
  readonly design: string;
  readonly kind: "hdd" | "ssd";
  readonly memcg: "on" | "off";
  readonly sizeGiB: number;
  readonly slots: number;
  readonly reps: number;
  /** median of the repetitions, and their range (bytes) */
  readonly measuredBytes: number;
  readonly measuredMinBytes: number;
  readonly measuredMaxBytes: number;
  readonly modelBytes: number;
  readonly measuredPerSlot: number;
  readonly modelPerSlot: number;
  /** model / measured − 1 */
  readonly relErr: number;
  /** what the lab test holds this row to: "0.5 %" from 16 GiB, "64 KiB" below */
  readonly held: string;
  readonly ok: boolean;
}

export function staticLabRows(root: string, kernels: readonly LabKernel[] = MEMCG_LAB_KERNELS): StaticLabRow[] {
  return kernels.flatMap((k) =>
    summarizeStatic(readStatic(root, k.release).rows)
      .sort((a, b) => a.memcg.localeCompare(b.memcg) || a.kind.localeCompare(b.kind) || a.size_gib - b.size_gib)
      .map((c) => {
        const model = modelStaticBytes(k.design, c.size_gib * GiB, c.kind, c.memcg === "on");
        const rel = model / c.cost_bytes_median - 1;
        const big = c.size_gib >= STATIC_LAB_MIN_GIB;
        return {
          kernel: k.label,
          release: k.release,
          design: k.design,
          kind: c.kind,
          memcg: c.memcg,
          sizeGiB: c.size_gib,
          slots: c.slots,
          reps: c.reps,
          measuredBytes: c.cost_bytes_median,
          measuredMinBytes: c.cost_bytes_min,
          measuredMaxBytes: c.cost_bytes_max,
          modelBytes: model,
          measuredPerSlot: c.cost_bytes_median / c.slots,
          modelPerSlot: model / c.slots,
          relErr: rel,
          held: big ? `${STATIC_LAB_TOLERANCE * 100} %` : `${STATIC_LAB_SMALL_BYTES / 1024} KiB`,
          ok: big ? Math.abs(rel) < STATIC_LAB_TOLERANCE : Math.abs(model - c.cost_bytes_median) <= STATIC_LAB_SMALL_BYTES,
        };
      }),
  );
}

export interface ZramLabRow {
  readonly kernel: string;
  readonly design: string;
  readonly sizeGiB: number;
  readonly pages: number;
  readonly comp: string;
  /** medians over the repetitions: zram's table (disksize write) and swapon on the device */
  readonly disksizeBytes: number;
  readonly swaponBytes: number;
  readonly measuredBytes: number;
  readonly modelBytes: number;
  readonly measuredPerPage: number;
  readonly modelPerPage: number;
  readonly relErr: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function zramLabRows(root: string, kernels: readonly LabKernel[] = MEMCG_LAB_KERNELS): ZramLabRow[] {
  return kernels.flatMap((k) => {
    const rows = readZram(root, k.release).rows.filter((r) => r.rc === 0 && r.memcg === "on");
    const sizes = [...new Set(rows.map((r) => r.size_gib))].sort((a, b) => a - b);
    return sizes.map((gib) => {
      const step = (s: "disksize" | "swapon") => median(rows.filter((r) => r.size_gib === gib && r.step === s).map((r) => r.cost_bytes));
      const disksize = step("disksize");
      const swapon = step("swapon");
      const measured = disksize + swapon;
      const model = modelStaticBytes(k.design, gib * GiB, "zram", true);
      const pages = gib * 262144;
      return {
        kernel: k.label,
        design: k.design,
        sizeGiB: gib,
        pages,
        comp: String(rows.find((r) => r.size_gib === gib)!.comp),
        disksizeBytes: disksize,
        swaponBytes: swapon,
        measuredBytes: measured,
        modelBytes: model,
        measuredPerPage: measured / pages,
        modelPerPage: model / pages,
        relErr: model / measured - 1,
      };
    });
  });
}

// ------------------------------------------------------------------ setup

export interface LabBootRow {
  readonly kernel: string;
  readonly table: string;
  readonly boot: string;
  readonly date: string;
  readonly wallS: number;
  readonly status: string;
  readonly cmdline: string;
  readonly hostLoad: string;
}

export interface LabKernelSetup {
  readonly kernel: string;
  readonly release: string;
  readonly version: string;
  readonly pkg: string;
  readonly origin: string;
  readonly qemu: string;
  readonly accel: string;
  readonly guestRamMiB: number;
  readonly vcpus: number;
  readonly busybox: string;
  readonly helper: string;
  readonly modules: string;
  readonly boots: readonly LabBootRow[];
}

/** The lab's setup per kernel, from the `# key: value` headers of its CSVs (one row per boot). */
export function labSetup(root: string, kernels: readonly LabKernel[] = MEMCG_LAB_KERNELS): LabKernelSetup[] {
  return kernels.map((k) => {
    const tables: Array<[string, LabHeader]> = [
      ["static", readStatic(root, k.release).header],
      ["zram", readZram(root, k.release).header],
      ["zswap", readZswap(root, k.release).header],
      ["swapoff", readSwapoff(root, k.release).header],
    ];
    const h = tables[0][1];
    const boots = tables.flatMap(([table, hh]) =>
      hh.boots
        .map((b) => ({
          kernel: k.label,
          table,
          boot: b.name,
          date: b.date,
          wallS: b.wall_s,
          status: b.status,
          cmdline: b.cmdline,
          hostLoad: hh.fields[`boot.${b.name}.host_loadavg`] ?? "",
        }))
        .sort((a, b) => a.date.localeCompare(b.date)),
    );
    return {
      kernel: k.label,
      release: h.kernel_release,
      version: h.kernel_version,
      pkg: h.kernel_package,
      origin: h.fields.kernel_origin ?? "",
      qemu: h.qemu,
      accel: h.accel,
      guestRamMiB: h.guest_ram_mib,
      vcpus: h.vcpus,
      busybox: h.fields.busybox ?? "",
      helper: h.fields.helper ?? "",
      modules: h.fields.initramfs_modules ?? "",
      boots,
    };
  });
}

// ------------------------------------------------------------------ swapoff: the calibrated model vs the measurement

/** What each swapoff series varies, in the calibration's own terms (src/models/swapoff-calibration.ts). */
export const SWAPOFF_SERIES = {
  pages_disk: { x: "MiB swapped (disk)", of: (r: CalibrationRow) => (r.swappedPages * 4096) / (1024 * 1024) },
  pages_zswap: { x: "MiB swapped (zswap)", of: (r: CalibrationRow) => (r.swappedPages * 4096) / (1024 * 1024) },
  ptes_swapped: { x: "PTEs walked in the swapped mm (millions)", of: (r: CalibrationRow) => r.ptesInSwappedMm / 1e6 },
  ptes_other: { x: "PTEs of an mm that never swapped (millions)", of: (r: CalibrationRow) => r.ptesInOtherMm / 1e6 },
  devsize: { x: "swap device (GiB), 1 MiB swapped", of: (r: CalibrationRow) => (r.slots ?? 0) / 262144 },
} as const;

export type SwapoffSeries = keyof typeof SWAPOFF_SERIES;

/** One measured level (a setting repeated 5 times) beside the calibrated model's time for it. */
export interface SwapoffFitLevel {
  readonly kernel: string;
  readonly backend: "disk" | "zswap";
  readonly series: SwapoffSeries;
  readonly x: number;
  readonly reps: number;
  /** swapoff(2) time over the repetitions: median and range (ms, TCG) */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** the calibrated model's time for this level (ms) */
  readonly fittedMs: number;
  /** fitted / measured median − 1 */
  readonly relErr: number;
}

/** One fit: the swapoff model's per-item costs calibrated on one kernel's series of one backend. */
export interface SwapoffFitSummary {
  readonly kernel: string;
  readonly release: string;
  readonly backend: "disk" | "zswap";
  readonly fit: SwapoffFit;
  /** the model's trend checks (Theil-Sen over level medians; disk series only) */
  readonly trends: SwapoffTrends | null;
}

/**
 * The swapoff model calibrated on the lab (fitSwapoffCosts over the per-level medians of
 * calibrationRowsFromLab: ns = fixed + per walked PTE + per swapped page + per device slot + per PTE
 * of a never-swapped mm, non-negative), one fit per kernel and backend, and every level beside it.
 * TCG timings: the coefficients and residuals are for trends and ratios only.
 */
export function swapoffFits(root: string, kernels: readonly LabKernel[] = MEMCG_LAB_KERNELS): { fits: SwapoffFitSummary[]; levels: SwapoffFitLevel[] } {
  const fits: SwapoffFitSummary[] = [];
  const levels: SwapoffFitLevel[] = [];
  for (const k of kernels) {
    const table = readSwapoff(root, k.release);
    for (const backend of ["disk", "zswap"] as const) {
      const rows = calibrationRowsFromLab(table.rows, backend);
      if (rows.length < 2) continue;
      const med = medianRows(rows);
      const fit = fitSwapoffCosts(med, { source: `data/lab/${k.release}/swapoff.csv (${backend})` });
      fits.push({ kernel: k.label, release: k.release, backend, fit, trends: backend === "disk" ? calibrationTrends(rows) : null });
      med.forEach((m, i) => {
        const series = m.series as SwapoffSeries;
        if (!(series in SWAPOFF_SERIES)) return;
        const ms = rows.filter((r) => r.level === m.level).map((r) => r.ns / 1e6);
        levels.push({
          kernel: k.label,
          backend,
          series,
          x: SWAPOFF_SERIES[series].of(m),
          reps: ms.length,
          medianMs: m.ns / 1e6,
          minMs: Math.min(...ms),
          maxMs: Math.max(...ms),
          fittedMs: fit.predictedNs[i] / 1e6,
          relErr: fit.predictedNs[i] / m.ns - 1,
        });
      });
    }
  }
  levels.sort((a, b) => a.kernel.localeCompare(b.kernel) || a.series.localeCompare(b.series) || a.x - b.x);
  return { fits, levels };
}
