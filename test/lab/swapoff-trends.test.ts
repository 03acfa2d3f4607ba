/**
 * Issue 5 §4 / issue 9: the swapoff model's trends checked on the kernel lab's measurements of real
 * Debian kernels (data/lab/<kernel>/swapoff.csv, QEMU TCG: trends and ratios only). Runs when the
 * lab's data and its reader (src/lab/data.ts) are in the tree; skipped otherwise.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { calibrationRowsFromLab, fitSwapoffCosts, medianRows, swapoffTrends } from "../../src/models/swapoff-calibration.js";

const ROOT = process.cwd();
const DATA = path.join(ROOT, "data", "lab");
const READER = path.join(ROOT, "src", "lab", "data.ts");
const kernels = existsSync(DATA) ? readdirSync(DATA).filter((k) => existsSync(path.join(DATA, k, "swapoff.csv"))) : [];
const available = existsSync(READER) && kernels.length > 0;

/**
 * Kernels whose PTE series does not resolve the walk's cost above the noise of the TCG host. None
 * today: 6.12's series, first measured while the 2-core host ran at a load of ~16 (level medians
 * ~26 ms apart against ~9 ms of noise), was re-measured on a quiet host (load ~1: 2 ms of noise)
 * and resolves; the noisy table is kept as test/fixtures/lab/6.12-noisy-host/swapoff.csv for the
 * calibration's "inconclusive" path.
 */
const PTE_SERIES_INCONCLUSIVE: string[] = [];

describe.skipIf(!available)("swapoff trends on the kernel lab's measurements", () => {
  it.each(kernels)("%s: time grows with swapped pages and with the swapped mm's PTEs, not with a never-swapped mm's PTEs", async (kernel) => {
    const readerPath = "../../src/lab/data.js";
    const lab = await import(readerPath);
    const table = lab.readSwapoff(ROOT, kernel);
    const rows = calibrationRowsFromLab(table.rows, "disk");
    expect(rows.length).toBeGreaterThan(10);
    const t = swapoffTrends(rows);
    const pages = t.series.find((s) => s.series === "pages_disk");
    expect(pages?.resolvable).toBe(true);
    expect(pages!.slopeNsPerItem).toBeGreaterThan(0);
    expect(t.series.find((s) => s.series === "ptes_other")).toBeDefined();
    if (t.pteWalkResolved) {
      // the model: mms off init_mm.mmlist are never walked
      expect(t.otherToSwappedPteRatio!).toBeLessThan(0.5);
      expect(t.verdicts.join(" ")).toMatch(/that mm is not walked/);
    } else {
      expect(PTE_SERIES_INCONCLUSIVE).toContain(kernel);
      expect(t.verdicts.join(" ")).toMatch(/inconclusive/);
    }
    // the per-level medians are explained by the model's terms
    const fit = fitSwapoffCosts(medianRows(rows), { source: `data/lab/${kernel}/swapoff.csv` });
    expect(fit.r2).toBeGreaterThan(0.9);
    expect(fit.coefficients.perEntryNs).toBeGreaterThan(0);
  });
});
