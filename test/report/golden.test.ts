/**
 * Golden mail tables: the exact text a reviewer would paste, compared byte for byte with the files
 * in __golden__/. A change to a model or to the layout shows up as a diff of these files
 * (`vitest run -u` rewrites them; review the diff before committing).
 */
import { describe, expect, it } from "vitest";
import { allDesigns, resolveDesign } from "../../src/designs/registry.js";
import { overhead } from "../../src/models/overhead.js";
import { inputOf, type Scenario } from "../../src/models/scenario.js";
import { compareGrid as buildGrid } from "../../src/sweep/compare.js";
import { compareMail, designInventoryMail, designsListMail, overheadMail } from "../../src/report/overhead.js";
import { mailTable } from "../../src/report/mail.js";
import { GiB } from "../../src/units/bytes.js";

function scenario(used: number, backend: "zswap" | "disk", accounting: "kernel" | "letter"): Scenario {
  return { swapSizeBytes: 32 * GiB, usedShare: used, mix: { [backend]: 1 }, device: "auto", memcg: true, occupancy: { kind: "packed" }, accounting, cpus: 8 };
}
const USED = [0, 0.25, 0.5, 0.75, 1];

describe("golden mail tables", () => {
  it("compare: Nhat Pham's 32 GB zswap table (linux-6.19 vs vswap-v3) with P4, letter accounting", async () => {
    const designs = ["linux-6.19", "vswap-v3", "swap-table-p4"].map((id) => resolveDesign(id));
    const text = compareMail(buildGrid(designs, "linux-6.19", USED, (u) => scenario(u, "zswap", "letter")));
    await expect(text).toMatchFileSnapshot("./__golden__/compare-zswap-letter.txt");
  });

  it("compare: every design that can hold disk entries, kernel accounting (stacked blocks)", async () => {
    const designs = allDesigns().filter((d) => d.entryKinds.includes("disk"));
    const text = compareMail(buildGrid(designs, "linux-6.19", USED, (u) => scenario(u, "disk", "kernel")));
    await expect(text).toMatchFileSnapshot("./__golden__/compare-disk-kernel-all.txt");
  });

  it("overhead: vswap-v3, 32 GiB, 50% used, zswap, letter accounting", async () => {
    const d = resolveDesign("vswap-v3");
    await expect(overheadMail(overhead(inputOf(d, scenario(0.5, "zswap", "letter"))), d)).toMatchFileSnapshot("./__golden__/overhead-vswap-v3-letter.txt");
  });

  it("overhead: linux-6.19, 32 GiB, 50% used, disk, kernel accounting", async () => {
    const d = resolveDesign("linux-6.19");
    await expect(overheadMail(overhead(inputOf(d, scenario(0.5, "disk", "kernel"))), d)).toMatchFileSnapshot("./__golden__/overhead-linux-6.19-kernel.txt");
  });

  it("designs: the registry and one inventory", async () => {
    await expect(designsListMail(allDesigns())).toMatchFileSnapshot("./__golden__/designs.txt");
    await expect(designInventoryMail(resolveDesign("swap-table-p4"))).toMatchFileSnapshot("./__golden__/design-swap-table-p4.txt");
  });

  it("a benchmark-style table: rows with their own direction and stddev rows without deltas", async () => {
    const text = mailTable({
      title: "usemem, 56 GB on 32 GB, 16 rounds (published, VSS v6 cover letter)",
      config: [
        ["source", "Nhat Pham, 2026-05-05: <20260505153854.1612033-1-nphamcs@gmail.com>"],
        ["setup", "MGLRU + zram, 52 cores, 64 GB zram"],
      ],
      rowLabels: [
        { label: "real (s)", better: "lower" },
        { label: "  stddev", deltas: false },
        { label: "tput (KB/s)", better: "higher", decimals: 0 },
        { label: "  stddev", deltas: false, decimals: 0 },
      ],
      columns: [
        { name: "6.19", values: [176.52, 4.25, 390602, 10179] },
        { name: "vss-v5", values: [182.12, 3.96, 380372, 8802] },
        { name: "vss-v6", values: [176.56, 3.3, 390524, 7752] },
      ],
      decimals: 2,
      better: "lower",
      unit: "",
      deltas: true,
      footnotes: ["published measurements, not model output"],
    });
    await expect(text).toMatchFileSnapshot("./__golden__/benchmark-style.txt");
  });
});

describe("golden ledger", () => {
  it("swapcost ledger --format mail, every section", async () => {
    const { readClaims, computeLedger } = await import("../../src/ledger/ledger.js");
    const { readBenchmarks } = await import("../../src/benchmarks/tables.js");
    const { ledgerMail } = await import("../../src/report/ledger.js");
    const files = readClaims();
    const tables = readBenchmarks();
    const text = ledgerMail(computeLedger(files, { benchmarks: tables }), new Map(files.map((f) => [f.section, f.title])), { claimsFiles: files.length, benchmarkTables: tables.length });
    await expect(text).toMatchFileSnapshot("./__golden__/ledger.txt");
  });
});

describe("golden published-benchmark table", () => {
  it("swapcost benchmarks vswap-v6 --format mail", async () => {
    const { readBenchmarks, findTable } = await import("../../src/benchmarks/tables.js");
    const { benchmarkMail } = await import("../../src/report/benchmarks.js");
    await expect(benchmarkMail(findTable(readBenchmarks(), "vswap-v6"))).toMatchFileSnapshot("./__golden__/benchmarks-vswap-v6.txt");
  });
});
