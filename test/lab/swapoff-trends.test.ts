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

describe.skipIf(!available)("swapoff trends on the kernel lab's measurements", () => {
  it.each(kernels)("%s: time grows with the swapped mm's PTEs and with swapped pages, not with a never-swapped mm's PTEs", async (kernel) => {
    const readerPath = "../../src/lab/data.js";
    const lab = await import(readerPath);
    const table = lab.readSwapoff(ROOT, kernel);
    const rows = calibrationRowsFromLab(table.rows, "disk");
    expect(rows.length).toBeGreaterThan(10);
    const t = swapoffTrends(rows);
    const swapped = t.series.find((s) => s.series === "ptes_swapped");
    const other = t.series.find((s) => s.series === "ptes_other");
    const pages = t.series.find((s) => s.series === "pages_disk");
    expect(swapped?.slopeNsPerItem).toBeGreaterThan(0);
    expect(pages?.slopeNsPerItem).toBeGreaterThan(0);
    // the model: mms off init_mm.mmlist are never walked
    expect(t.otherToSwappedPteRatio).not.toBeNull();
    expect(t.otherToSwappedPteRatio!).toBeLessThan(0.25);
    // the per-level medians are explained by the model's terms
    const fit = fitSwapoffCosts(medianRows(rows), { source: `data/lab/${kernel}/swapoff.csv` });
    expect(fit.r2).toBeGreaterThan(0.9);
    expect(fit.coefficients.perEntryNs).toBeGreaterThan(0);
  });
});
