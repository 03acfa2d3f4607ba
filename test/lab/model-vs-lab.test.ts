/**
 * The overhead model held to a real kernel: the static cost of swapon measured on Debian's 6.1.192
 * and bookworm-backports' 6.12.95 under QEMU (data/lab, `npm run lab`), per device kind and memcg
 * setting, from 1 GiB to 1 TiB. Issue 5 asks for 0.5% at 16 GiB and above.
 */
import { describe, expect, it } from "vitest";
import { readStatic, readZram, summarizeStatic } from "../../src/lab/data.js";
import { resolveDesign } from "../../src/designs/registry.js";
import { overhead } from "../../src/models/overhead.js";

const ROOT = process.cwd();
const KERNELS = [
  { release: "6.1.0-56-amd64", design: "linux-6.1" },
  { release: "6.12.95+deb12-amd64", design: "linux-6.12" },
] as const;

function model(design: string, sizeBytes: number, kind: "ssd" | "hdd" | "zram", memcg: boolean): number {
  return overhead({
    design: resolveDesign(design),
    swapSizeBytes: sizeBytes,
    device: kind,
    memcg,
    usage: { disk: 0, zswap: 0, zero: 0, cache: 0 },
    occupancy: { kind: "packed" },
    accounting: "kernel",
    cpus: 2, // the guest's vCPUs (per-CPU state is carved from existing per-CPU chunks: invisible in MemFree)
  }).totals.staticBytes;
}

describe.each(KERNELS)("static swapon cost: $design model vs a real $release", ({ release, design }) => {
  const cases = summarizeStatic(readStatic(ROOT, release).rows);

  it("the lab measured every size, device kind and memcg setting", () => {
    expect(cases.length).toBe(6 * 2 * 2);
  });

  it.each(cases.filter((c) => c.size_gib >= 16).map((c) => [c.size_gib, c.kind, c.memcg, c] as const))(
    "%d GiB, %s, memcg %s: within 0.5% of the measured bytes per slot",
    (_size, kind, memcg, c) => {
      const predicted = model(design, c.size_gib * 2 ** 30, kind, memcg === "on");
      const err = predicted / c.cost_bytes_median - 1;
      expect(Math.abs(err), `model ${predicted} B vs measured ${c.cost_bytes_median} B (${(err * 100).toFixed(3)}%)`).toBeLessThan(0.005);
    },
  );

  it.each(cases.filter((c) => c.size_gib < 16).map((c) => [c.size_gib, c.kind, c.memcg, c] as const))(
    "%d GiB, %s, memcg %s: within 64 KiB (small-allocation slab noise) of the measurement",
    (_size, kind, memcg, c) => {
      const predicted = model(design, c.size_gib * 2 ** 30, kind, memcg === "on");
      expect(Math.abs(predicted - c.cost_bytes_median)).toBeLessThanOrEqual(65536);
    },
  );

  it("memcg costs about 2 bytes per slot (swap_cgroup) at every size from 16 GiB", () => {
    for (const on of cases.filter((c) => c.memcg === "on" && c.size_gib >= 16)) {
      const off = cases.find((c) => c.memcg === "off" && c.kind === on.kind && c.size_gib === on.size_gib)!;
      const measured = (on.cost_bytes_median - off.cost_bytes_median) / on.slots;
      const predicted = (model(design, on.size_gib * 2 ** 30, on.kind, true) - model(design, on.size_gib * 2 ** 30, on.kind, false)) / on.slots;
      expect(Math.abs(measured - predicted)).toBeLessThan(0.01);
    }
  });
});

describe.each(KERNELS)("zram: $design model vs a real $release", ({ release, design }) => {
  const rows = readZram(ROOT, release).rows.filter((r) => r.rc === 0 && r.memcg === "on");
  const sizes = [...new Set(rows.map((r) => r.size_gib))].filter((g) => g >= 16);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

  it("the lab measured zram at 16 GiB and above", () => expect(sizes.length).toBeGreaterThan(0));

  it.each(sizes)("a %d GiB zram disk's table plus swapon on it is within 0.5% of the measurement", (gib) => {
    const step = (s: "disksize" | "swapon") => median(rows.filter((r) => r.size_gib === gib && r.step === s).map((r) => r.cost_bytes));
    const measured = step("disksize") + step("swapon");
    const predicted = model(design, gib * 2 ** 30, "zram", true);
    expect(Math.abs(predicted / measured - 1), `model ${predicted} vs measured ${measured}`).toBeLessThan(0.005);
  });
});
