import { describe, expect, it } from "vitest";
import { labSetup, staticLabRows, swapoffFits, zramLabRows } from "../../src/lab/compare.js";
import { memcgLabCases } from "../../src/lab/memcg-lab.js";
import { labMail } from "../../src/report/lab.js";

const ROOT = process.cwd();

describe("labMail: model vs a real 6.1/6.12 kernel", () => {
  const text = labMail({ setup: labSetup(ROOT), staticRows: staticLabRows(ROOT), zramRows: zramLabRows(ROOT), memcgCases: memcgLabCases(ROOT), swapoffFits: swapoffFits(ROOT).fits });
  const lines = text.trimEnd().split("\n");
  it("is mail-safe: ASCII, no tabs, at most 72 columns", () => {
    for (const l of lines) {
      expect(l.length, l).toBeLessThanOrEqual(72);
      expect(/^[\x20-\x7e]*$/.test(l), l).toBe(true);
    }
  });
  it("states the setup (packages, QEMU accelerator, guest, date) and has one block per kernel", () => {
    expect(text).toContain("linux-image-6.1.0-56-amd64 6.1.192-2");
    expect(text).toContain("linux-image-6.12.95+deb12-amd64 6.12.95-1~bpo12+1");
    expect(text).toMatch(/QEMU\s+7\.2\.\d+ .*tcg/);
    expect(text).toMatch(/guest\s+4096 MiB, 2 vCPUs/);
    expect(text).toMatch(/measured\s+\d{4}-\d\d-\d\d/);
    expect(lines.filter((l) => /^Linux 6\.(1|12)\.\d+ +measured +model +diff$/.test(l))).toHaveLength(2);
  });
  it("prints the measured and the model numbers side by side, e.g. 6.1's 1 TiB HDD swapon and the zbud pool", () => {
    const row = (label: string, block: number) => {
      const start = lines.findIndex((l, i) => /^Linux /.test(l) && lines.slice(0, i).filter((x) => /^Linux /.test(x)).length === block);
      return lines.slice(start).find((l) => l.startsWith(label))!;
    };
    expect(row("swapon 1 TiB HDD memcg on, B/slot", 0)).toMatch(/3\.1468\s+3\.1467\s+0\.00%$/);
    expect(row("zbud_lzo zbud pool, MiB", 0)).toMatch(/32\.00\s+32\.00\s+0\.00%$/);
    expect(row("zswap.max 8M: zswpout, pages", 1)).toMatch(/10048\s+10048\s+0\.00%$/);
  });
  it("gives the calibrated swapoff fit per kernel, labelled TCG, with the model's trend verdicts", () => {
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toMatch(/swapoff: the swapoff model's per-item costs fitted to each kernel's series \(QEMU TCG/);
    expect(text).toMatch(/^r\^2 over level medians +(0\.9\d\d|1\.000) +(0\.9\d\d|1\.000)$/m);
    expect(text).toMatch(/^per swapped page, us +\d+\.\d +\d+\.\d$/m);
    expect(flat).toMatch(/6\.1\.192: PTEs of the swapped mm: [^()]* \(grows, as the walk predicts\)/);
    expect(flat).toMatch(/6\.12\.95: PTEs of the swapped mm: [^()]* \(grows, as the walk predicts\)/);
  });
  it("says where the memcg inputs come from (another case, not the one checked) and gives the largest residual per counter", () => {
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("the compressed length of ANOTHER case (same kernel, compressor and pattern, no limits");
    expect(flat).toContain("the non-anon charge of the kernel's no-zswap case noz_disk");
    expect(flat).toContain("6.12 zsm_lzo_same has no such reference");
    expect(lines.filter((l) => /^memcg, cases held to 2%: n, max abs diff +n +max$/.test(l))).toHaveLength(2);
    expect(text).toMatch(/^ {2}memory\.current \(\w+\) +18 +\d\.\d\d%$/m);
  });
});
