import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveDesign } from "../../src/designs/registry.js";
import { isInputError } from "../../src/errors.js";
import { applyCalibration, calibrationRowsFromLab, fitSwapoffCosts, medianRows, swapoffTrends, type CalibrationRow } from "../../src/models/swapoff-calibration.js";
import { DEFAULT_COSTS, withOverrides, type SwapoffCosts } from "../../src/models/swapoff-costs.js";
import { swapoff } from "../../src/models/swapoff.js";

/** A lab-like scenario: one mm that swapped `swappedPages` (packed) and whose page tables span `ptes` PTEs, on a device of `slots`. */
function measure(costs: SwapoffCosts, swappedPages: number, ptes: number, slots: number, otherPtes = 0): CalibrationRow {
  const r = swapoff({
    design: resolveDesign("linux-6.1"),
    swapSizeBytes: slots * 4096,
    device: "ssd",
    usage: { disk: swappedPages, zswap: 0, zero: 0, cache: 0 },
    occupancy: { kind: "packed" },
    memcg: true,
    cpus: 2,
    workload: { processes: 1, mappedBytes: ptes * 4096, idleProcesses: otherPtes ? 1 : 0, idleMappedBytes: otherPtes * 4096 },
    costs,
  });
  return { swappedPages, ptesInSwappedMm: ptes, ptesInOtherMm: otherPtes, slots, ns: r.estimate.realNs };
}

// Series shaped like the kernel lab's (kernel-lab.md §3): swapped pages, PTEs in the swapped mm, PTEs in an idle mm, device size.
const SERIES: Array<[number, number, number, number]> = [
  // swappedPages, ptesInSwappedMm, slots, ptesInOtherMm (all multiples of 8 pages / 512 PTEs, so readahead windows and PTE tables are whole)
  [4096, 4096 * 2, 262144 * 8, 0],
  [16384, 16384, 262144 * 8, 0],
  [65536, 65536, 262144 * 8, 0],
  [262144, 262144, 262144 * 8, 0],
  [4096, 4096 + 524288, 262144 * 8, 0],
  [4096, 4096 + 2097152, 262144 * 8, 0],
  [4096, 4096, 262144 * 8, 524288],
  [4096, 4096, 262144 * 8, 4194304],
  [4096, 4096, 262144 * 1, 0],
  [4096, 4096, 262144 * 64, 0],
];

const rowsOf = (costs: SwapoffCosts) => SERIES.map(([s, p, slots, other]) => measure(costs, s, p, slots, other));

describe("calibration round trip: rows from the model → fit → calibrated model reproduces them", () => {
  const rows = rowsOf(DEFAULT_COSTS);
  const fit = fitSwapoffCosts(rows, { source: "model rows" });
  const c = DEFAULT_COSTS.params;
  it("recovers the composite per-item costs the model used", () => {
    expect(fit.coefficients.pteVisitNs).toBeCloseTo(c.pteVisitNs.value + c.pmdVisitNs.value / 512, 6);
    const ioPerEntry = (c.ssdReadLatencyNs.value + (8 * 4096 * 1e9) / c.ssdReadBandwidth.value) / 8;
    expect(fit.coefficients.perEntryNs).toBeCloseTo(c.swapInCpuNs.value + c.unusePteNs.value + ioPerEntry, 4);
    expect(fit.coefficients.perSlotNs).toBeCloseTo(c.teardownSlotNs.value, 9);
    expect(fit.coefficients.fixedNs).toBeCloseTo(c.fixedNs.value + c.mmVisitNs.value + c.vmaVisitNs.value, 1);
  });
  it("PTEs of an mm that never swapped get a zero coefficient (they are not walked)", () => {
    expect(fit.coefficients.otherMmPteNs).toBeCloseTo(0, 9);
    expect(fit.notes.join(" ")).not.toMatch(/does not explain/);
  });
  it("the calibrated model predicts every row", () => {
    const cal = applyCalibration(DEFAULT_COSTS, fit, "disk");
    expect(cal.ioModel).toBe("folded");
    expect(cal.params.pteVisitNs.basis).toBe("calibrated");
    for (const row of rows) {
      const again = measure(cal, row.swappedPages, row.ptesInSwappedMm, row.slots!, row.ptesInOtherMm);
      expect(again.ns / row.ns).toBeCloseTo(1, 9);
    }
    expect(fit.relativeRms).toBeLessThan(1e-9);
    expect(fit.r2).toBeCloseTo(1, 9);
  });
  it("holds for any positive costs (property, 1000 runs)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 100, max: 20_000, noNaN: true }),
        fc.double({ min: 0, max: 2_000, noNaN: true }),
        fc.double({ min: 0, max: 1e8, noNaN: true }),
        fc.double({ min: 0, max: 200_000, noNaN: true }),
        (pte, swapIn, unuse, fixed, lat) => {
          const costs = withOverrides(DEFAULT_COSTS, { pteVisitNs: pte, swapInCpuNs: swapIn, unusePteNs: unuse, fixedNs: fixed, ssdReadLatencyNs: lat });
          const f = fitSwapoffCosts(rowsOf(costs));
          const expectPte = pte + costs.params.pmdVisitNs.value / 512;
          const expectEntry = swapIn + unuse + (lat + (8 * 4096 * 1e9) / costs.params.ssdReadBandwidth.value) / 8;
          return Math.abs(f.coefficients.pteVisitNs - expectPte) / expectPte < 1e-6 && Math.abs(f.coefficients.perEntryNs - expectEntry) / expectEntry < 1e-6 && f.coefficients.otherMmPteNs < 1e-6 * expectPte;
        },
      ),
      { numRuns: 1000 },
    );
  });
  it("a fit that finds never-swapped mms costing time says the model does not explain it", () => {
    const bad = rows.map((r) => ({ ...r, ns: r.ns + r.ptesInOtherMm * 5 }));
    const f = fitSwapoffCosts(bad);
    expect(f.coefficients.otherMmPteNs).toBeCloseTo(5, 6);
    expect(f.notes.join(" ")).toMatch(/does not explain/);
  });
  it("a column with no variation is not identifiable and folds into fixedNs", () => {
    const f = fitSwapoffCosts(rows.map((r) => ({ ...r, slots: 262144 })));
    expect(f.notIdentifiable).toContain("perSlotNs");
    expect(f.coefficients.perSlotNs).toBe(0);
  });
});

describe("kernel-lab rows (data/lab/<kernel>/swapoff.csv columns) → calibration rows", () => {
  const lab = [
    { kernel_release: "6.1.0-56-amd64", series: "pages_disk", backend: "disk", dev_gib: 8, swapped_mib: 64, vmswap_kb_before: 65536, vmpte_kb: 140, other_vmpte_kb: 0, swapoff_ns: 123456789, swapoff_rc: 0, rep: 1 },
    { kernel_release: "6.1.0-56-amd64", series: "ptes_other", backend: "disk", dev_gib: 8, swapped_mib: 16, vmswap_kb_before: 16384, vmpte_kb: 44, other_vmpte_kb: 16400, swapoff_ns: 98765432, swapoff_rc: 0, rep: 2 },
    { kernel_release: "6.1.0-56-amd64", series: "pages_zswap", backend: "zswap", dev_gib: 8, swapped_mib: 16, vmswap_kb_before: 16384, vmpte_kb: 44, other_vmpte_kb: 0, swapoff_ns: 5, swapoff_rc: 0, rep: 1 },
    { kernel_release: "6.1.0-56-amd64", series: "pages_disk", backend: "disk", dev_gib: 8, swapped_mib: 16, vmswap_kb_before: 16384, vmpte_kb: 44, other_vmpte_kb: 0, swapoff_ns: null, swapoff_rc: 1, rep: 3 },
  ];
  it("maps VmSwap to pages, VmPTE kB x 128 to PTEs, the disk size to slots; drops failed runs and other backends", () => {
    const rows = calibrationRowsFromLab(lab, "disk");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ swappedPages: 16384, ptesInSwappedMm: 140 * 128, ptesInOtherMm: 0, slots: 8 * 262144, ns: 123456789 });
    expect(rows[1].ptesInOtherMm).toBe(16400 * 128);
    expect(calibrationRowsFromLab(lab, "zswap")).toHaveLength(1);
  });
});

describe("bad calibration input", () => {
  it.each([
    ["fewer than 2 rows", [{ swappedPages: 1, ptesInSwappedMm: 1, ptesInOtherMm: 0, ns: 1 }], /calibration rows/],
    ["a negative value", [{ swappedPages: 1, ptesInSwappedMm: 1, ptesInOtherMm: 0, ns: 1 }, { swappedPages: -1, ptesInSwappedMm: 1, ptesInOtherMm: 0, ns: 1 }], /row 2 swappedPages/],
  ])("%s", (_w, rows, re) => {
    try {
      fitSwapoffCosts(rows as CalibrationRow[]);
    } catch (e) {
      expect(isInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(re);
      return;
    }
    throw new Error("expected an input error");
  });
});

describe("noisy series: per-level medians and robust trends (what the TCG lab needs)", () => {
  // Repetitions of each level with deterministic multiplicative noise (±40%) and one wild outlier per level.
  const noise = [1, 1.4, 0.7, 1.1, 3.5];
  const levels: Array<[string, number, number, number]> = [
    // series, swappedPages, ptesInSwappedMm, ptesInOtherMm
    ["pages_disk", 4096, 8192, 0],
    ["pages_disk", 16384, 16384, 0],
    ["pages_disk", 65536, 65536, 0],
    ["ptes_swapped", 256, 8192, 0],
    ["ptes_swapped", 256, 8192 + 1048576, 0],
    ["ptes_swapped", 256, 8192 + 4194304, 0],
    ["ptes_other", 256, 8192, 1048576],
    ["ptes_other", 256, 8192, 4194304],
  ];
  const truth = (sp: number, pte: number) => 1e7 + 25 * pte + 100_000 * sp;
  const rows: CalibrationRow[] = levels.flatMap(([series, sp, pte, other], li) =>
    noise.map((f, i) => ({ swappedPages: sp, ptesInSwappedMm: pte, ptesInOtherMm: other, slots: 2097152, ns: truth(sp, pte) * f, series, level: `L${li}`, calibNs: 1e7 * f, label: `rep ${i}` })),
  );
  it("medianRows folds the repetitions of each level into one robust row", () => {
    const m = medianRows(rows);
    expect(m).toHaveLength(levels.length);
    expect(m[0].ns).toBeCloseTo(truth(4096, 8192) * 1.1, 3);
  });
  it("normalising by the CPU gauge removes noise that scaled the whole guest", () => {
    const m = medianRows(rows, { normalizeByCalib: true });
    levels.forEach(([, sp, pte], i) => expect(m[i].ns / (truth(sp, pte) * 1.1)).toBeCloseTo(1, 9));
  });
  it("swapoffTrends: the swapped mm's PTEs cost time, a never-swapped mm's do not", () => {
    const t = swapoffTrends(rows, { normalizeByCalib: true });
    const sw = t.series.find((s) => s.series === "ptes_swapped")!;
    expect(sw.slopeNsPerItem).toBeCloseTo(25 * 1.1, 6);
    expect(t.series.find((s) => s.series === "ptes_other")!.slopeNsPerItem).toBeCloseTo(0, 9);
    expect(t.otherToSwappedPteRatio).toBeCloseTo(0, 9);
    expect(t.verdicts.join(" ")).toMatch(/not walked/);
  });
  it("a series where the never-swapped mm's PTEs do cost time is flagged", () => {
    const bad = rows.map((r) => ({ ...r, ns: r.ns + 20 * r.ptesInOtherMm * (r.calibNs! / 1e7) }));
    expect(swapoffTrends(bad, { normalizeByCalib: true }).verdicts.join(" ")).toMatch(/does not explain/);
  });
});

describe("applyCalibration is honest about what the rows identify", () => {
  const base = rowsOf(DEFAULT_COSTS);
  const run = (costs: SwapoffCosts, mappedGiB: number) =>
    swapoff({
      design: resolveDesign("linux-6.12"),
      swapSizeBytes: 32 * 2 ** 30,
      device: "ssd",
      usage: { disk: 4194304, zswap: 0, zero: 0, cache: 0 },
      occupancy: { kind: "packed" },
      memcg: true,
      cpus: 8,
      workload: { processes: 1, mappedBytes: mappedGiB * 2 ** 30 },
      costs,
    });
  it("a full fit sets the four fitted parameters and folds the costs the rows cannot separate (no warnings)", () => {
    const cal = applyCalibration(DEFAULT_COSTS, fitSwapoffCosts(base, { source: "model rows" }), "disk");
    expect(cal.calibration!.fitted.map((f) => f.name).sort()).toEqual(["fixedNs", "pteVisitNs", "swapInCpuNs", "teardownSlotNs"]);
    expect(cal.calibration!.kept).toEqual([]);
    expect(cal.calibration!.folded.map((f) => `${f.name}>${f.into}`).sort()).toEqual(["mmVisitNs>fixedNs", "pmdVisitNs>pteVisitNs", "unusePteNs>swapInCpuNs", "vmaVisitNs>fixedNs", "zramReadNs>swapInCpuNs"]);
    expect(run(cal, 128).warnings).toEqual([]);
  });
  it("a PTE term the fit sets to 0 keeps its default (and so does the per-PMD cost folded into it), and a large walk warns", () => {
    // Time that falls with the PTEs of the swapped mm (noise can do that): the non-negative fit drops pteVisitNs.
    const flat = base.map((r) => ({ ...r, ns: r.ns - 1.5 * r.ptesInSwappedMm * (DEFAULT_COSTS.params.pteVisitNs.value + DEFAULT_COSTS.params.pmdVisitNs.value / 512) }));
    const fit = fitSwapoffCosts(flat, { source: "flat.csv" });
    expect(fit.fitted).not.toContain("pteVisitNs");
    const cal = applyCalibration(DEFAULT_COSTS, fit, "disk");
    expect(cal.params.pteVisitNs).toMatchObject({ value: DEFAULT_COSTS.params.pteVisitNs.value, basis: "assumption" });
    expect(cal.params.pmdVisitNs.value).toBe(DEFAULT_COSTS.params.pmdVisitNs.value);
    expect(cal.calibration!.kept.find((k) => k.name === "pteVisitNs")).toMatchObject({ why: "fitted-zero" });
    expect(cal.calibration!.kept.find((k) => k.name === "pmdVisitNs")).toMatchObject({ why: "host-not-fitted" });
    const r = run(cal, 128);
    expect(r.phases.find((p) => p.id === "mm-walk")!.cpuNs).toBeGreaterThan(0);
    expect(r.warnings.join("\n")).toMatch(/^pteVisitNs: fitted to 0 .*33,554,432 x 1 ns/m);
    expect(r.inputs.calibration?.source).toBe("flat.csv");
    // An explicit --cost for the term silences its warning: the caller chose the value.
    expect(run(withOverrides(cal, { pteVisitNs: 3 }), 128).warnings.join("\n")).not.toMatch(/^pteVisitNs/m);
  });
  it("a column with no variation keeps its default and says so; the per-entry cost not fitted keeps device IO", () => {
    const cal = applyCalibration(DEFAULT_COSTS, fitSwapoffCosts(base.map((r) => ({ ...r, slots: 262144 }))), "disk");
    expect(cal.params.teardownSlotNs.value).toBe(DEFAULT_COSTS.params.teardownSlotNs.value);
    expect(cal.calibration!.kept.find((k) => k.name === "teardownSlotNs")).toMatchObject({ why: "not-identifiable" });
    expect(run(cal, 16).warnings.join("\n")).toMatch(/^teardownSlotNs: not identifiable/m);
    const noEntry = applyCalibration(DEFAULT_COSTS, fitSwapoffCosts(base.map((r) => ({ ...r, swappedPages: 4096 }))), "disk");
    expect(noEntry.ioModel).toBe("device");
    expect(noEntry.params.unusePteNs.value).toBe(DEFAULT_COSTS.params.unusePteNs.value);
  });
  it("fits relative errors by default, so a 20 ms PTE trend beside 3 s points is not fitted away", () => {
    // Lab-shaped levels: pages series up to ~3 s with a 8% miss at the top, PTE series of 30-50 ms
    // (5 ns per PTE), device series; the unweighted fit lets the 3 s point decide every term.
    const truth = (sp: number, pte: number, slots: number) => 2e7 + 5 * pte + 50_000 * sp + 0.4 * slots;
    const levels: Array<[string, number, number, number, number]> = [
      ["pages_disk", 256, 8192, 2097152, 1], ["pages_disk", 4096, 16384, 2097152, 0.95], ["pages_disk", 16384, 40960, 2097152, 0.92], ["pages_disk", 65536, 139264, 2097152, 1.08],
      ["ptes_swapped", 256, 8192, 2097152, 1], ["ptes_swapped", 256, 8192 + 1048576, 2097152, 1.02], ["ptes_swapped", 256, 8192 + 4194304, 2097152, 0.99],
      ["devsize", 256, 8192, 262144, 1], ["devsize", 256, 8192, 16777216, 1.01], ["devsize", 256, 8192, 268435456, 0.99],
    ];
    const rows: CalibrationRow[] = levels.map(([series, sp, pte, slots, f], li) => ({ swappedPages: sp, ptesInSwappedMm: pte, ptesInOtherMm: 0, slots, ns: truth(sp, pte, slots) * f, series, level: `L${li}` }));
    const relative = fitSwapoffCosts(rows);
    const absolute = fitSwapoffCosts(rows, { weighting: "absolute" });
    expect(relative.coefficients.pteVisitNs).toBeGreaterThan(4);
    expect(relative.coefficients.pteVisitNs).toBeLessThan(6);
    expect(Math.abs(absolute.coefficients.pteVisitNs - 5)).toBeGreaterThan(Math.abs(relative.coefficients.pteVisitNs - 5));
    // every small point within 10% under the relative fit
    rows.forEach((r, i) => {
      if (r.ns < 2e8) expect(Math.abs(relative.predictedNs[i] - r.ns) / r.ns).toBeLessThan(0.1);
    });
  });
  it("a fitted term whose measured trend is within the noise is flagged inconclusive and warns", () => {
    // Noisy lab-like levels whose PTE effect (0.01 ns per PTE) is far below the repetitions' spread.
    const noise = [1, 1.3, 0.8, 1.1, 0.9];
    const levels: Array<[string, number, number]> = [
      ["pages_disk", 4096, 8192], ["pages_disk", 16384, 16384], ["pages_disk", 65536, 65536],
      ["ptes_swapped", 256, 8192], ["ptes_swapped", 256, 8192 + 1048576], ["ptes_swapped", 256, 8192 + 4194304],
    ];
    const rows: CalibrationRow[] = levels.flatMap(([series, sp, pte], li) =>
      noise.map((f) => ({ swappedPages: sp, ptesInSwappedMm: pte, ptesInOtherMm: 0, slots: 2097152, ns: (1e8 + 0.01 * pte + 100_000 * sp) * f, series, level: `L${li}` })),
    );
    const trends = swapoffTrends(rows);
    expect(trends.pteWalkResolved).toBe(false);
    const fit = fitSwapoffCosts(medianRows(rows), { source: "noisy" });
    const cal = applyCalibration(DEFAULT_COSTS, fit, "disk", { trends });
    if (cal.calibration!.fitted.some((f) => f.name === "pteVisitNs")) {
      expect(cal.calibration!.inconclusive.map((i) => i.name)).toContain("pteVisitNs");
      expect(run(cal, 128).warnings.join("\n")).toMatch(/^pteVisitNs: fitted to .* inconclusive/m);
    } else {
      expect(cal.calibration!.kept.find((k) => k.name === "pteVisitNs")!.reason).toMatch(/inconclusive/);
      expect(run(cal, 128).warnings.join("\n")).toMatch(/^pteVisitNs: fitted to 0 .*inconclusive/m);
    }
    expect(cal.calibration!.notes.join("\n")).toMatch(/inconclusive/);
  });
});
