/**
 * Every kernel citation of the registry, the constants and the allocators names a line (or range)
 * in a tree of KERNEL_TREES, or says in its note that the line is not verified (the file of that
 * exact tree could not be read): never a silent function name only, never a guessed line.
 */
import { describe, expect, it } from "vitest";
import { allDesigns } from "../../src/designs/registry.js";
import { ALLOCATOR_SOURCES } from "../../src/kernel/alloc.js";
import * as constants from "../../src/kernel/constants.js";
import { KERNEL_TREES, LINE_NOT_VERIFIED, citeSource, kCited, type Source } from "../../src/kernel/sources.js";

function kernelCitations(): { where: string; s: Extract<Source, { kind: "kernel" }> }[] {
  const out: { where: string; s: Extract<Source, { kind: "kernel" }> }[] = [];
  const add = (where: string, list: readonly Source[] | undefined) => {
    for (const s of list ?? []) if (s.kind === "kernel") out.push({ where, s });
  };
  for (const d of allDesigns()) {
    add(`${d.id} sources`, d.sources);
    add(`${d.id} letterBasis`, d.letterBasis.sources);
    add(`${d.id} limits.physical`, d.limits.physical?.sources);
    add(`${d.id} limits.virtual`, d.limits.virtual?.sources);
    for (const st of d.structures) add(`${d.id} ${st.id}`, st.sources);
  }
  for (const [name, c] of Object.entries(constants)) {
    const sources = (c as { sources?: readonly Source[] }).sources;
    if (Array.isArray(sources)) add(`constant ${name}`, sources);
  }
  for (const [kind, list] of Object.entries(ALLOCATOR_SOURCES)) add(`allocator ${kind}`, list);
  return out;
}

const LINES = /^\d+(-\d+)?(, ?\d+(-\d+)?)*$/;

describe("kernel citations", () => {
  const all = kernelCitations();

  it("there are citations to check (registry, constants, allocators)", () => {
    expect(all.length).toBeGreaterThan(200);
    expect(all.some((c) => c.where.startsWith("constant "))).toBe(true);
    expect(all.some((c) => c.where.startsWith("allocator "))).toBe(true);
  });

  it("every one is in a known tree and has a line or range, or says its line is not verified", () => {
    const bad = all.filter(({ s }) => !KERNEL_TREES[s.tree] || !(s.lines ? LINES.test(s.lines) : s.note?.startsWith(LINE_NOT_VERIFIED)));
    expect(bad.map(({ where, s }) => `${where}: ${citeSource(s)}`)).toEqual([]);
  });

  it("the unverified ones are few, and do not grow unnoticed (lower this when lines are verified)", () => {
    const unverified = new Set(all.filter(({ s }) => !s.lines).map(({ s }) => citeSource(s)));
    expect(unverified.size).toBeLessThanOrEqual(30);
  });

  it("swap_extent and global_cluster citations are line-cited or marked", () => {
    const rows = all.filter((c) => / (swap_extent|global_cluster)$/.test(c.where));
    expect(rows.length).toBeGreaterThan(20);
    for (const { s } of rows) expect(Boolean(s.lines) || s.note!.startsWith(LINE_NOT_VERIFIED)).toBe(true);
  });

  it("kCited keeps a given line and its note untouched, and marks a missing line before any note", () => {
    expect(kCited("6.1", "mm/swapfile.c", "3083", "vzalloc")).toEqual({ kind: "kernel", tree: "6.1", file: "mm/swapfile.c", lines: "3083", symbol: "vzalloc", note: undefined });
    expect(kCited("6.1", "mm/swapfile.c", undefined, "f", "n").kind === "kernel" && (kCited("6.1", "mm/swapfile.c", undefined, "f", "n") as { note: string }).note).toBe(`${LINE_NOT_VERIFIED}. n`);
  });
});
