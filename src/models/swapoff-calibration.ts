/**
 * Calibrating swapoff's per-item costs from measurements: rows of {swapped pages, PTEs in the
 * swapped mm, PTEs in an mm that never swapped, device slots, measured ns} (the kernel lab's
 * swapoff series, data/lab/<kernel>/swapoff.csv) are fitted by non-negative least squares to
 *
 *   ns = fixed + pteVisit × ptesInSwappedMm + perEntry × swappedPages + perSlot × slots
 *        + otherMmPte × ptesInOtherMm
 *
 * The last term is a check, not a cost: mms that never swapped are not on init_mm.mmlist, so the
 * model predicts 0 for it; a fit that finds it well above 0 contradicts the model.
 * `applyCalibration` turns a fit into a cost set the swapoff model uses (device IO folded into the
 * per-entry cost, since a wall-clock fit cannot separate them); terms the rows cannot identify, or
 * that the fit sets to 0, keep their defaults and are listed, so a run can warn when it depends on
 * them. Pure.
 */
import { SwapcostInputError } from "../errors.js";
import { derived } from "../kernel/sources.js";
import { withOverrides, type CalibrationKept, type CostName, type SwapoffCosts } from "./swapoff-costs.js";

export interface CalibrationRow {
  /** Entries swapped in by the swapoff (pages). */
  readonly swappedPages: number;
  /** PTEs covered by the present PTE tables of the mm(s) that swapped (what the walk reads). */
  readonly ptesInSwappedMm: number;
  /** PTEs of mms that never swapped (not on mmlist). */
  readonly ptesInOtherMm: number;
  /** Slots of the swapped-off device. Default: the same for every row (then not fitted). */
  readonly slots?: number;
  /** Measured swapoff time (ns). */
  readonly ns: number;
  readonly label?: string;
  /** Lab series the row belongs to (pages_disk, ptes_swapped, ptes_other, devsize, …). */
  readonly series?: string;
  /** Rows with the same level repeat one setting (repetitions): medianRows() folds them. */
  readonly level?: string;
  /** A fixed CPU loop timed just before (the guest's speed at that moment): medianRows() can normalise by it. */
  readonly calibNs?: number;
}

export const FIT_TERMS = ["fixedNs", "pteVisitNs", "perEntryNs", "perSlotNs", "otherMmPteNs"] as const;
export type FitTerm = (typeof FIT_TERMS)[number];

export interface SwapoffFit {
  readonly coefficients: Readonly<Record<FitTerm, number>>;
  /** Terms the rows could identify (a column with no variation is folded into fixedNs and reported as 0). */
  readonly fitted: readonly FitTerm[];
  readonly notIdentifiable: readonly FitTerm[];
  readonly rows: number;
  readonly predictedNs: readonly number[];
  readonly residualRmsNs: number;
  /** residual RMS / mean measured ns. */
  readonly relativeRms: number;
  readonly r2: number;
  readonly source: string;
  readonly notes: readonly string[];
}

function column(rows: readonly CalibrationRow[], t: FitTerm): number[] {
  switch (t) {
    case "fixedNs":
      return rows.map(() => 1);
    case "pteVisitNs":
      return rows.map((r) => r.ptesInSwappedMm);
    case "perEntryNs":
      return rows.map((r) => r.swappedPages);
    case "perSlotNs":
      return rows.map((r) => r.slots ?? 0);
    case "otherMmPteNs":
      return rows.map((r) => r.ptesInOtherMm);
  }
}

/** Solve the normal equations of a least-squares problem (columns pre-scaled); null when singular. */
function leastSquares(cols: readonly number[][], y: readonly number[]): number[] | null {
  const k = cols.length;
  const scale = cols.map((c) => Math.max(...c.map(Math.abs)) || 1);
  const X = cols.map((c, j) => c.map((v) => v / scale[j]));
  const A: number[][] = Array.from({ length: k }, (_, i) => Array.from({ length: k + 1 }, (_, j) => 0));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) A[i][j] = X[i].reduce((s, v, n) => s + v * X[j][n], 0);
    A[i][k] = X[i].reduce((s, v, n) => s + v * y[n], 0);
  }
  for (let i = 0; i < k; i++) {
    let piv = i;
    for (let r = i + 1; r < k; r++) if (Math.abs(A[r][i]) > Math.abs(A[piv][i])) piv = r;
    if (Math.abs(A[piv][i]) < 1e-9 * Math.max(1, Math.abs(A[i][i]))) return null;
    [A[i], A[piv]] = [A[piv], A[i]];
    for (let r = 0; r < k; r++) {
      if (r === i) continue;
      const f = A[r][i] / A[i][i];
      for (let c = i; c <= k; c++) A[r][c] -= f * A[i][c];
    }
  }
  return A.map((row, i) => row[k] / row[i] / scale[i]);
}

function variesNonConstant(c: readonly number[]): boolean {
  return c.some((v) => v !== c[0]);
}

/** The start of the fit's note when a never-swapped mm's PTEs get a cost (the model says they have none). */
const OTHER_MM_NOTE = "PTEs of mms that never swapped cost time in these rows";

/** Fit the per-item costs to measured rows (non-negative least squares by exhaustive active sets, at most 5 terms; by default on relative errors, `weighting: "absolute"` for plain residuals). */
export function fitSwapoffCosts(rows: readonly CalibrationRow[], options: { readonly source?: string; readonly weighting?: "relative" | "absolute" } = {}): SwapoffFit {
  if (rows.length < 2) throw new SwapcostInputError("calibration rows", rows.length, "at least 2 rows (better: one series per term)");
  rows.forEach((r, i) => {
    for (const [k, v] of Object.entries({ swappedPages: r.swappedPages, ptesInSwappedMm: r.ptesInSwappedMm, ptesInOtherMm: r.ptesInOtherMm, ns: r.ns, slots: r.slots ?? 0 })) {
      if (!Number.isFinite(v) || v < 0) throw new SwapcostInputError(`calibration row ${i + 1} ${k}`, v, "a finite non-negative number");
    }
  });
  const y = rows.map((r) => r.ns);
  const candidates = FIT_TERMS.filter((t) => t === "fixedNs" || variesNonConstant(column(rows, t)));
  const notIdentifiable = FIT_TERMS.filter((t) => !candidates.includes(t));
  // Relative least squares: each row weighted by 1 / its measured time, so a series of 30-60 ms
  // points (the PTE walk, the device size) counts as much as one of 3 s points (the pages swapped).
  // Unweighted, the largest times decide every term and a 20 ms trend is fitted as noise.
  const weighting = options.weighting ?? "relative";
  const w = y.map((v) => (weighting === "relative" && v > 0 ? 1 / v : 1));
  const allCols = new Map(candidates.map((t) => [t, column(rows, t).map((v, r) => v * w[r])] as const));
  const yw = y.map((v, r) => v * w[r]);
  let best: { terms: FitTerm[]; beta: number[]; sse: number } | null = null;
  const n = candidates.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const terms = candidates.filter((_, i) => mask & (1 << i));
    if (terms.length > rows.length) continue;
    const beta = leastSquares(terms.map((t) => allCols.get(t)!), yw);
    if (!beta || beta.some((b) => b < -1e-12 * Math.max(1, ...beta.map(Math.abs)))) continue;
    const pred = yw.map((_, r) => terms.reduce((s, t, j) => s + Math.max(0, beta[j]) * allCols.get(t)![r], 0));
    const sse = pred.reduce((s, p, r) => s + (p - yw[r]) ** 2, 0);
    if (!best || sse < best.sse * (1 - 1e-12) || (Math.abs(sse - best.sse) <= 1e-12 * Math.max(1, best.sse) && terms.length > best.terms.length)) best = { terms, beta: beta.map((b) => Math.max(0, b)), sse };
  }
  if (!best) throw new SwapcostInputError("calibration rows", rows.length, "rows whose columns are not all collinear");
  const coefficients: Record<FitTerm, number> = { fixedNs: 0, pteVisitNs: 0, perEntryNs: 0, perSlotNs: 0, otherMmPteNs: 0 };
  best.terms.forEach((t, j) => (coefficients[t] = best!.beta[j]));
  const predictedNs = y.map((_, r) => FIT_TERMS.reduce((s, t) => s + coefficients[t] * column(rows, t)[r], 0));
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const sse = predictedNs.reduce((s, p, r) => s + (p - y[r]) ** 2, 0);
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const rms = Math.sqrt(sse / y.length);
  const notes: string[] = [];
  if (notIdentifiable.length) notes.push(`no variation in the rows for ${notIdentifiable.join(", ")}: folded into fixedNs`);
  if (coefficients.otherMmPteNs > 0 && coefficients.pteVisitNs > 0 && coefficients.otherMmPteNs > 0.25 * coefficients.pteVisitNs) {
    notes.push(`${OTHER_MM_NOTE}: ${coefficients.otherMmPteNs.toFixed(2)} ns per PTE, ${(coefficients.otherMmPteNs / coefficients.pteVisitNs).toFixed(2)}x the walked PTE's cost; the model (mms off init_mm.mmlist are not walked) does not explain that`);
  }
  return {
    coefficients,
    fitted: best.terms,
    notIdentifiable,
    rows: rows.length,
    predictedNs,
    residualRmsNs: rms,
    relativeRms: mean > 0 ? rms / mean : 0,
    r2: sst > 0 ? 1 - sse / sst : 1,
    source: options.source ?? "measured rows",
    notes,
  };
}

/** The cost parameter each fitted term sets. */
export const TERM_PARAM: Readonly<Record<Exclude<FitTerm, "otherMmPteNs">, CostName>> = {
  fixedNs: "fixedNs",
  pteVisitNs: "pteVisitNs",
  perEntryNs: "swapInCpuNs",
  perSlotNs: "teardownSlotNs",
};

/**
 * Costs the lab's rows cannot separate from a fitted term (each row has one mm, one VMA, one PTE
 * per swapped page, one PMD per 512 PTEs): they are inside that term's fitted value, so they are
 * set to 0 when it is fitted, and keep their defaults when it is not.
 */
const FOLDED: ReadonlyArray<readonly [CostName, CostName, string]> = [
  ["mmVisitNs", "fixedNs", "one mm per lab row"],
  ["vmaVisitNs", "fixedNs", "one anon VMA per lab row"],
  ["pmdVisitNs", "pteVisitNs", "one PMD entry per 512 PTEs walked"],
  ["unusePteNs", "swapInCpuNs", "one PTE restored per swapped page"],
];

/** The fitted terms whose measured trend does not stand above the noise (swapoffTrends' verdicts): series → term. */
export function inconclusiveTerms(trends: SwapoffTrends): { term: FitTerm; verdict: string }[] {
  const X_TERM: Readonly<Record<SeriesTrend["x"], FitTerm>> = { swappedPages: "perEntryNs", ptesInSwappedMm: "pteVisitNs", ptesInOtherMm: "otherMmPteNs", slots: "perSlotNs" };
  const out: { term: FitTerm; verdict: string }[] = [];
  for (const s of trends.series) {
    const term = X_TERM[s.x];
    if (term === "otherMmPteNs") continue;
    const bad = s.x === "ptesInSwappedMm" ? !trends.pteWalkResolved : !s.resolvable;
    if (bad && !out.some((o) => o.term === term)) {
      out.push({ term, verdict: `series ${s.series}: ${s.slopeNsPerItem.toFixed(2)} ns per item, effect ${(s.effectNs / 1e6).toFixed(1)} ms against ${(s.medianNoiseNs / 1e6).toFixed(1)} ms of noise per median` });
    }
  }
  return out;
}

/**
 * The cost set a fit stands for. Each fitted term with a positive value replaces its parameter
 * (basis `calibrated`): fixed, per-PTE, per-entry (device IO folded in) and per-slot. A term the
 * rows cannot identify (no variation) or that the non-negative fit set to 0 keeps its default and
 * is listed as kept: a fit to 0 means the data cannot tell the term from nothing, not that it is
 * free. Costs the rows cannot separate from a fitted term (per-mm and per-VMA work in fixed,
 * per-PMD in per-PTE, PTE restore and zswap/zram reads in per-entry) are set to 0 only when their
 * host term was fitted. Device IO is folded only when the per-entry cost was fitted. With `trends`
 * (swapoffTrends of the same rows), fitted terms whose trend is inconclusive are listed so a run
 * that depends on them can warn. What was done is kept in `calibration` for the reports.
 */
export function applyCalibration(costs: SwapoffCosts, fit: SwapoffFit, backend: "disk" | "zswap", options: { readonly trends?: SwapoffTrends } = {}): SwapoffCosts {
  const k = fit.coefficients;
  const trendOf = new Map((options.trends ? inconclusiveTerms(options.trends) : []).map((t) => [t.term, t.verdict] as const));
  const values: Partial<Record<CostName, number>> = {};
  const fitted: { name: CostName; term: string; value: number }[] = [];
  const kept: CalibrationKept[] = [];
  const isFitted = new Set<CostName>();
  for (const [term, name] of Object.entries(TERM_PARAM) as [Exclude<FitTerm, "otherMmPteNs">, CostName][]) {
    const def = costs.params[name].value;
    if (fit.fitted.includes(term) && k[term] > 1e-9) {
      values[name] = k[term];
      isFitted.add(name);
      fitted.push({ name, term, value: k[term] });
    } else if (fit.notIdentifiable.includes(term)) {
      kept.push({ name, value: def, why: "not-identifiable", reason: `not identifiable (no variation in the rows of ${fit.source}): kept ${def} ns (${costs.params[name].basis})` });
    } else {
      const trend = trendOf.get(term);
      kept.push({ name, value: def, why: "fitted-zero", reason: `fitted to 0 (the non-negative fit dropped ${term}: the rows cannot tell it from nothing): kept ${def} ns (${costs.params[name].basis})${trend ? `; measured trend inconclusive (${trend})` : ""}` });
    }
  }
  const folded: { name: CostName; into: CostName; why: string }[] = [];
  const hosts: Array<readonly [CostName, CostName, string]> = [...FOLDED, [backend === "zswap" ? "zswapLoadNs" : "zramReadNs", "swapInCpuNs", `the ${backend} read is inside the measured per-entry time`]];
  for (const [name, into, why] of hosts) {
    if (isFitted.has(into)) {
      values[name] = 0;
      folded.push({ name, into, why });
    } else {
      const def = costs.params[name].value;
      kept.push({ name, value: def, why: "host-not-fitted", reason: `would be folded into ${into}, which was not fitted: kept ${def} ns (${costs.params[name].basis})` });
    }
  }
  const inconclusive = [...trendOf.entries()]
    .filter(([t]) => t !== "otherMmPteNs" && isFitted.has(TERM_PARAM[t as Exclude<FitTerm, "otherMmPteNs">]))
    .map(([t, verdict]) => ({ name: TERM_PARAM[t as Exclude<FitTerm, "otherMmPteNs">], verdict }));
  const over = withOverrides(costs, values as Record<string, number>, `calibration (${fit.source})`);
  const params = { ...over.params };
  const noteText = `calibrated from ${fit.rows} rows of ${fit.source} (fit terms ${fit.fitted.join(", ")}; residual RMS ${(fit.relativeRms * 100).toFixed(2)}% of the mean)`;
  const note = derived(noteText);
  for (const name of Object.keys(values) as CostName[]) {
    const host = folded.find((f) => f.name === name);
    params[name] = { ...params[name], basis: "calibrated", sources: host ? [derived(`folded into the calibrated ${host.into} (${host.why}); ${noteText}`)] : [note] };
  }
  const perEntry = isFitted.has("swapInCpuNs");
  return {
    params,
    ioModel: perEntry ? "folded" : costs.ioModel,
    label: `calibrated from ${fit.source} (${backend})`,
    calibration: {
      source: fit.source,
      rows: fit.rows,
      relativeRms: fit.relativeRms,
      r2: fit.r2,
      fitted,
      kept,
      folded,
      inconclusive,
      // The trend verdicts weigh the repetitions' noise; where they find no comparable growth for a
      // never-swapped mm, the fit's coefficient for it is noise and its note is dropped.
      notes: [
        ...fit.notes.filter((n) => !(n.startsWith(OTHER_MM_NOTE) && options.trends?.pteWalkResolved && (options.trends.otherToSwappedPteRatio ?? 1) < 0.5)),
        ...(options.trends?.verdicts ?? []),
      ],
    },
  };
}

/** A cell of a lab CSV row as src/lab/data.ts reads it (number, text, or null when empty). */
export type LabCell = number | string | null;

/**
 * Rows of the kernel lab's swapoff table (data/lab/<kernel>/swapoff.csv; columns as in
 * data/lab/README.md) → calibration rows. Swapped pages from VmSwap before swapoff, walked PTEs
 * from VmPTE (each 4 KiB page-table page maps 512 PTEs, so PTEs = VmPTE kB × 128; VmPTE also counts
 * the few upper-level table pages), device slots from the disk size. Failed swapoffs and rows of
 * other backends are dropped.
 */
export function calibrationRowsFromLab(rows: readonly object[], backend: "disk" | "zswap"): CalibrationRow[] {
  const num = (r: Readonly<Record<string, LabCell>>, k: string): number | null => (typeof r[k] === "number" ? (r[k] as number) : null);
  const out: CalibrationRow[] = [];
  for (const o of rows) {
    const r = o as Readonly<Record<string, LabCell>>;
    if (r.backend !== backend) continue;
    if (num(r, "swapoff_rc") !== 0) continue;
    const vmswap = num(r, "vmswap_kb_before");
    const vmpte = num(r, "vmpte_kb");
    const ns = num(r, "swapoff_ns");
    if (vmswap === null || vmpte === null || ns === null) continue;
    const other = num(r, "other_vmpte_kb") ?? 0;
    const gib = num(r, "dev_gib");
    out.push({
      swappedPages: Math.round(vmswap / 4),
      ptesInSwappedMm: vmpte * 128,
      ptesInOtherMm: other * 128,
      slots: gib === null ? undefined : gib * 262144,
      ns,
      label: [r.kernel_release, r.series, `rep ${r.rep}`].filter((x) => x !== undefined && x !== null).join(" "),
      series: typeof r.series === "string" ? r.series : undefined,
      level: [r.kernel_release, r.series, r.backend, r.dev_gib, r.swapped_mib, r.zero_mib, r.other_zero_mib].join("/"),
      calibNs: num(r, "calib_ns") ?? undefined,
    });
  }
  return out;
}

function median(xs: readonly number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/**
 * One row per level (repetitions of one setting folded into their medians), so a noisy series
 * (the lab runs under TCG on a shared host) is fitted on robust points. With `normalizeByCalib`,
 * each time is first scaled by (median calibNs of all rows / the row's calibNs): a run during which
 * the guest ran slow counts as if it had run at the usual speed.
 */
export function medianRows(rows: readonly CalibrationRow[], options: { readonly normalizeByCalib?: boolean } = {}): CalibrationRow[] {
  const calibs = rows.map((r) => r.calibNs).filter((c): c is number => typeof c === "number" && c > 0);
  const ref = calibs.length ? median(calibs) : 0;
  const groups = new Map<string, CalibrationRow[]>();
  for (const r of rows) {
    const key = r.level ?? `${r.series ?? ""}/${r.swappedPages}/${r.ptesInSwappedMm}/${r.ptesInOtherMm}/${r.slots ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()].map(([level, g]) => {
    const ns = g.map((r) => (options.normalizeByCalib && ref > 0 && r.calibNs && r.calibNs > 0 ? (r.ns * ref) / r.calibNs : r.ns));
    const slots = g.map((r) => r.slots).filter((x): x is number => typeof x === "number");
    return {
      swappedPages: median(g.map((r) => r.swappedPages)),
      ptesInSwappedMm: median(g.map((r) => r.ptesInSwappedMm)),
      ptesInOtherMm: median(g.map((r) => r.ptesInOtherMm)),
      slots: slots.length ? median(slots) : undefined,
      ns: median(ns),
      series: g[0].series,
      level,
      label: `${level} (median of ${g.length})`,
    };
  });
}

export interface SeriesTrend {
  readonly series: string;
  /** The column the series varies. */
  readonly x: "swappedPages" | "ptesInSwappedMm" | "ptesInOtherMm" | "slots";
  /** Theil-Sen slope (median of pairwise slopes) of ns against x over the level medians. */
  readonly slopeNsPerItem: number;
  readonly points: readonly (readonly [number, number])[];
  /** Standard error of a level median, pooled over the levels (1.2533 × 1.4826 × MAD / √repetitions). */
  readonly medianNoiseNs: number;
  /** The slope's effect over the series' range: |slope| × (max x − min x). */
  readonly effectNs: number;
  /** effect > 3 × noise: the data resolves the trend. */
  readonly resolvable: boolean;
}

export interface SwapoffTrends {
  readonly series: readonly SeriesTrend[];
  /** PTEs of a never-swapped mm vs PTEs of the swapped mm: slope ratio (the model predicts 0). */
  readonly otherToSwappedPteRatio: number | null;
  /** The walk's cost per PTE stands above the noise, so the ratio means something. */
  readonly pteWalkResolved: boolean;
  readonly verdicts: readonly string[];
}

const SERIES_X: Readonly<Record<string, SeriesTrend["x"]>> = {
  pages_disk: "swappedPages",
  pages_zswap: "swappedPages",
  ptes_swapped: "ptesInSwappedMm",
  ptes_other: "ptesInOtherMm",
  devsize: "slots",
};

function theilSen(points: readonly (readonly [number, number])[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) if (points[j][0] !== points[i][0]) slopes.push((points[j][1] - points[i][1]) / (points[j][0] - points[i][0]));
  return slopes.length ? median(slopes) : 0;
}

/**
 * The trends the swapoff model predicts, checked on measured series: time grows with swapped pages
 * and with the PTEs of the swapped mm (the walk), not with the PTEs of an mm that never swapped
 * (not on init_mm.mmlist). Robust to noise: Theil-Sen slopes over per-level medians.
 */
export function swapoffTrends(rows: readonly CalibrationRow[], options: { readonly normalizeByCalib?: boolean } = {}): SwapoffTrends {
  const med = medianRows(rows, options);
  const calibs = rows.map((r) => r.calibNs).filter((c): c is number => typeof c === "number" && c > 0);
  const ref = calibs.length ? median(calibs) : 0;
  const nsOf = (r: CalibrationRow) => (options.normalizeByCalib && ref > 0 && r.calibNs && r.calibNs > 0 ? (r.ns * ref) / r.calibNs : r.ns);
  const series: SeriesTrend[] = [];
  for (const name of [...new Set(med.map((r) => r.series).filter((s): s is string => !!s))]) {
    const x = SERIES_X[name];
    if (!x) continue;
    const levels = med.filter((r) => r.series === name);
    const pts = levels.map((r) => [x === "slots" ? (r.slots ?? 0) : r[x], r.ns] as const).sort((a, b) => a[0] - b[0]);
    if (new Set(pts.map((p) => p[0])).size < 2) continue;
    // Noise: the spread of the repetitions of each level, as the standard error of its median.
    const errs = levels.map((l) => {
      const reps = rows.filter((r) => (r.level ?? "") === l.level && r.series === name).map(nsOf);
      if (reps.length < 2) return 0;
      const m = median(reps);
      return (1.2533 * 1.4826 * median(reps.map((v) => Math.abs(v - m)))) / Math.sqrt(reps.length);
    });
    const noise = median(errs);
    const slope = theilSen(pts);
    const effect = Math.abs(slope) * (pts[pts.length - 1][0] - pts[0][0]);
    series.push({ series: name, x, slopeNsPerItem: slope, points: pts, medianNoiseNs: noise, effectNs: effect, resolvable: effect > 3 * noise });
  }
  const sw = series.find((s) => s.series === "ptes_swapped");
  const ot = series.find((s) => s.series === "ptes_other");
  const resolved = !!sw && sw.resolvable && sw.slopeNsPerItem > 0;
  const ratio = sw && ot && sw.slopeNsPerItem > 0 ? ot.slopeNsPerItem / sw.slopeNsPerItem : null;
  const ms = (v: number) => `${(v / 1e6).toFixed(1)} ms`;
  const verdicts: string[] = [];
  if (sw) {
    verdicts.push(
      `PTEs of the swapped mm: ${sw.slopeNsPerItem.toFixed(2)} ns per PTE, ${ms(sw.effectNs)} over the series against ${ms(sw.medianNoiseNs)} of noise per median (` +
        (resolved ? "grows, as the walk predicts" : sw.resolvable ? "does not grow: contradicts the walk" : "inconclusive: the effect is within 3x the noise") + ")",
    );
  }
  if (ot) {
    verdicts.push(
      `PTEs of a never-swapped mm: ${ot.slopeNsPerItem.toFixed(2)} ns per PTE, ${ms(ot.effectNs)} over the series (` +
        (!resolved ? "cannot be compared: the walk's own cost is not resolved" : ratio !== null && ratio < 0.5 ? "no comparable growth: that mm is not walked" : "grows: the model does not explain it") + ")",
    );
  }
  for (const s of series.filter((t) => t.x === "swappedPages")) verdicts.push(`${s.series}: ${s.slopeNsPerItem.toFixed(0)} ns per swapped page${s.resolvable ? "" : " (inconclusive)"}`);
  return { series, otherToSwappedPteRatio: ratio, pteWalkResolved: resolved, verdicts };
}
