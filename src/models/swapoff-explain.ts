/**
 * Which per-item costs would reproduce a published before/after swapoff measurement. The
 * measurement is an input (with its citation); the output is the set of cost values that make the
 * model's two estimates equal the two measured (real, sys) pairs, each with its derivation, so a
 * reader can judge whether those values are plausible. Agreement at the measured point is by
 * construction; what the model adds is the shape away from it (vs mapped span, swapped share).
 *
 * Baseline = a direct-mapped design (PTE walk), candidate = a virtual design. Solved in order:
 * 1. swapInCpuNs from the candidate's sys (its CPU is almost all per-entry work);
 * 2. the baseline's extra sys (walk + PTE restore) as a line in (pteVisitNs, unusePteNs), with its
 *    two ends: restore costs what re-pointing costs, or the per-PTE cost keeps its default;
 * 3. the device read latency from the baseline's real − sys (synchronous readahead windows);
 * 4. the device bandwidth from the candidate's real, when it exceeds its sys (asynchronous reads).
 * Pure.
 */
import { SwapcostInputError } from "../errors.js";
import type { Source } from "../kernel/sources.js";
import { cost, withOverrides, type CostName, type SwapoffCosts } from "./swapoff-costs.js";
import type { SwapoffResult } from "./swapoff.js";
import { PAGE_SIZE_BYTES } from "./overhead.js";

export interface MeasuredSwapoff {
  readonly realNs: number;
  readonly sysNs: number;
}

export interface PublishedSwapoffPair {
  readonly baseline: MeasuredSwapoff;
  readonly candidate: MeasuredSwapoff;
  readonly source: Source;
  readonly label: string;
}

export interface ImpliedCost {
  readonly name: CostName;
  readonly value: number;
  readonly defaultValue: number;
  readonly derivation: string;
}

export interface SwapoffExplanation {
  readonly implied: readonly ImpliedCost[];
  /** The alternative end of the (pteVisitNs, unusePteNs) line. */
  readonly alternative: readonly ImpliedCost[];
  /** The cost set with the implied values (basis `override`, source: the measurement). */
  readonly costs: SwapoffCosts;
  readonly lines: readonly string[];
}

const f = (x: number, d = 1) => x.toFixed(d);
const big = (x: number) => Math.round(x).toLocaleString("en-US");

function phaseCpu(r: SwapoffResult, ids: readonly string[]): number {
  return r.phases.filter((p) => ids.includes(p.id)).reduce((a, p) => a + p.cpuNs, 0);
}

export function explainSwapoffPair(baseline: SwapoffResult, candidate: SwapoffResult, measured: PublishedSwapoffPair, costs: SwapoffCosts): SwapoffExplanation {
  if (baseline.method !== "pte-walk" || candidate.method !== "virtual") {
    throw new SwapcostInputError("explain", `${baseline.design.id} vs ${candidate.design.id}`, "a direct-mapped baseline (PTE walk) and a virtual-layer candidate");
  }
  for (const [k, m] of [["baseline", measured.baseline], ["candidate", measured.candidate]] as const) {
    if (!(m.sysNs > 0 && m.realNs >= m.sysNs)) throw new SwapcostInputError(`${k} measurement`, m, "sysNs > 0 and realNs >= sysNs");
  }
  const E = candidate.work.swapIns;
  if (E === 0 || baseline.work.swapIns !== E) throw new SwapcostInputError("explain", E, "the same non-zero number of swap-ins in both results");
  const c = (n: CostName) => cost(costs, n);
  const lines: string[] = [];
  const implied: ImpliedCost[] = [];
  const put = (name: CostName, value: number, derivation: string) => implied.push({ name, value, defaultValue: c(name), derivation });

  // 1. per-entry CPU from the candidate's sys
  const candOther = candidate.estimate.sysNs - E * c("swapInCpuNs");
  const swapIn = (measured.candidate.sysNs - candOther) / E;
  put("swapInCpuNs", swapIn, `(${f(measured.candidate.sysNs / 1e9, 2)} s candidate sys - ${f(candOther / 1e9, 3)} s of its other modelled CPU) / ${big(E)} swap-ins`);

  // 2. baseline's extra sys as walk + restore
  const walkTerms = phaseCpu(baseline, ["mm-walk"]);
  const ptes = baseline.work.ptesScanned;
  const restored = baseline.work.ptesRestored;
  const baseOtherPerEntry = baseline.estimate.sysNs - walkTerms - restored * c("unusePteNs") - E * c("swapInCpuNs");
  const gap = measured.baseline.sysNs - baseOtherPerEntry - E * swapIn; // = walk + restore
  const nonPteWalk = walkTerms - ptes * c("pteVisitNs");
  const restoreA = c("vswapStoreNs") + 2 * c("rmapLookupNs");
  const pteA = ptes > 0 ? (gap - nonPteWalk - restored * restoreA) / ptes : 0;
  const restoreB = restored > 0 ? (gap - nonPteWalk - ptes * c("pteVisitNs")) / restored : 0;
  lines.push(
    `sys gap to explain: ${f(measured.baseline.sysNs / 1e9, 2)} s - ${f(measured.candidate.sysNs / 1e9, 2)} s = ${f((measured.baseline.sysNs - measured.candidate.sysNs) / 1e9, 2)} s; ` +
      `the baseline walks ${big(ptes)} PTEs and restores ${big(restored)}, the candidate scans ${big(candidate.work.slotsScanned + candidate.work.virtualSlotsScanned)} slots and re-points ${big(candidate.work.descriptorUpdates)} entries`,
  );
  put("pteVisitNs", pteA, `if restoring a PTE costs what re-pointing costs (${f(restoreA, 0)} ns): (${f(gap / 1e9, 3)} s walk+restore - ${f(nonPteWalk / 1e9, 3)} s mm/VMA/PMD - ${big(restored)} x ${f(restoreA, 0)} ns) / ${big(ptes)} PTEs`);
  put("unusePteNs", restoreA, "held at vswapStoreNs + 2 x rmapLookupNs for this end of the line");
  const alternative: ImpliedCost[] = [
    { name: "pteVisitNs", value: c("pteVisitNs"), defaultValue: c("pteVisitNs"), derivation: "held at its default for the other end of the line" },
    { name: "unusePteNs", value: restoreB, defaultValue: c("unusePteNs"), derivation: `(${f(gap / 1e9, 3)} s - ${f(nonPteWalk / 1e9, 3)} s - ${big(ptes)} x ${c("pteVisitNs")} ns) / ${big(restored)} restored PTEs` },
  ];

  // 3 + 4. read latency from the baseline's IO wait (synchronous readahead windows) and bandwidth from the
  // candidate's real time (asynchronous reads, IO-bound when real > sys); solved together (each enters the other).
  const dev = baseline.inputs.device === "hdd" ? "hdd" : "ssd";
  const latName: CostName = dev === "hdd" ? "hddReadLatencyNs" : "ssdReadLatencyNs";
  const bwName: CostName = dev === "hdd" ? "hddReadBandwidth" : "ssdReadBandwidth";
  const ra = c("readaheadPages");
  const reads = baseline.work.syncReads;
  const waitB = measured.baseline.realNs - measured.baseline.sysNs - c("fixedNs");
  const bytes = candidate.work.asyncReads * PAGE_SIZE_BYTES;
  const ioC = measured.candidate.realNs - c("fixedNs") - phaseCpu(candidate, ["teardown"]);
  const ioBound = bytes > 0 && ioC > measured.candidate.sysNs;
  let lat = c(latName);
  let bw = c(bwName);
  for (let i = 0; i < 50; i++) {
    if (ioBound) bw = bytes / (Math.max(1, ioC - lat) / 1e9);
    if (reads > 0) lat = Math.max(0, waitB / reads - ((ra * PAGE_SIZE_BYTES) / bw) * 1e9);
  }
  if (reads > 0) {
    put(latName, lat, `(${f(measured.baseline.realNs / 1e9, 2)} s real - ${f(measured.baseline.sysNs / 1e9, 2)} s sys - fixed) / ${big(reads)} synchronous reads of ${ra} pages, minus their transfer time at the bandwidth below`);
  }
  if (ioBound) {
    put(bwName, bw, `${big(bytes)} B read / (${f(measured.candidate.realNs / 1e9, 2)} s real - fixed - one read latency): the candidate is IO-bound (real > sys)`);
  } else if (bytes > 0) {
    lines.push("the candidate's real time does not exceed its sys time: its reads are hidden behind CPU work and do not constrain the bandwidth");
  }

  const over: Record<string, number> = {};
  for (const i of implied) over[i.name] = Math.max(0, i.value);
  const tuned = withOverrides(costs, over, `${measured.label} (implied by the published measurement)`);
  lines.push(`measurement: ${measured.label}`);
  return { implied, alternative, costs: { ...tuned, label: `implied by ${measured.label}` }, lines };
}
