import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allDesigns, resolveDesign } from "../../src/designs/registry.js";
import { analyseHost, type HostAnalysis, type HostAnalysisOptions } from "../../src/host/analyse.js";
import { baselineForRelease, RELEASE_RULES } from "../../src/host/baseline.js";
import { escapeOctal } from "../../src/host/parse.js";
import { readSnapshotDir } from "../../src/host/reader.js";
import { buildSnapshot, type FileSet } from "../../src/host/snapshot.js";
import { overhead } from "../../src/models/overhead.js";
import { readFileSync } from "node:fs";

const OPTS: HostAnalysisOptions = { designs: allDesigns(), occupancy: { kind: "packed" }, accounting: "kernel" };
const analyse = (dir: string, o: Partial<HostAnalysisOptions> = {}) => analyseHost(buildSnapshot(readSnapshotDir(dir)), { ...OPTS, ...o });
const design = (a: HostAnalysis, id: string) => a.designs.find((d) => d.id === id)!;

describe("baselineForRelease: the design that models a host's kernel", () => {
  it.each<[string, string, string]>([
    ["6.1.0-56-amd64", "linux-6.1", "exact"],
    ["6.1.141", "linux-6.1", "exact"],
    ["5.15.0-105-generic", "linux-6.1", "approximate"],
    ["6.4.0", "linux-6.1", "approximate"],
    ["6.6.30-200.fc40.x86_64", "linux-6.6", "exact"],
    ["6.8.0-45-generic", "linux-6.6", "approximate"],
    ["6.12.95+deb12-amd64", "linux-6.12", "exact"],
    ["6.16.1", "linux-6.12", "approximate"],
    ["6.18.44-fc-v595", "linux-6.19", "approximate"],
    ["6.19.10", "linux-6.19", "exact"],
    ["7.0.1", "linux-6.19", "approximate"],
    ["7.1.5", "linux-7.1", "exact"],
    ["7.2.13-1", "swap-table-p4", "exact"],
    ["7.4.0", "swap-table-p4", "approximate"],
  ])("%s → %s (%s)", (release, id, match) => {
    const b = baselineForRelease(release);
    expect([b.design, b.match]).toEqual([id, match]);
    expect(b.sources.length).toBeGreaterThan(0);
    expect(resolveDesign(b.design).id).toBe(id);
  });

  it("exactly one rule covers every version 0.0 .. 9.30, and every rule names a registry design", () => {
    const cmp = (a: readonly number[], b: readonly number[]) => a[0] - b[0] || a[1] - b[1];
    for (let major = 0; major <= 9; major++) {
      for (let minor = 0; minor <= 30; minor++) {
        const hits = RELEASE_RULES.filter((r) => cmp([major, minor], r.from) >= 0 && cmp([major, minor], r.to) <= 0);
        expect(hits, `${major}.${minor}`).toHaveLength(1);
      }
    }
    for (const r of RELEASE_RULES) expect(() => resolveDesign(r.design)).not.toThrow();
  });
});

describe("analyseHost on the kernel-lab 6.1 guest under zswap load (data/hosts/lab-6.1-zswap)", () => {
  const a = analyse("data/hosts/lab-6.1-zswap");

  it("maps the Debian 6.1 kernel to linux-6.1 (exact) and reads the device size from /proc/swaps Size + the header page", () => {
    expect(a.baseline).toMatchObject({ design: "linux-6.1", match: "exact" });
    expect(a.devices).toHaveLength(1);
    const d = a.devices[0];
    expect(d).toMatchObject({ path: "/dev/vda", kind: "ssd", usablePages: 8388604 / 4, swapSizeBytes: 8 * 2 ** 30 });
  });

  it("splits the used slots by backend: debugfs stored_pages minus same_filled_pages in zswap, same-filled as zero, the rest on disk", () => {
    const d = a.devices[0];
    const dbg = buildSnapshot(readSnapshotDir("data/hosts/lab-6.1-zswap")).zswap.debug!;
    expect(d.usage.zswap).toBe(dbg.stored_pages - dbg.same_filled_pages);
    expect(d.usage.zero).toBe(dbg.same_filled_pages);
    expect(d.usage.disk + d.usage.zswap + d.usage.zero + d.usage.cache).toBe(d.usedPages);
    const used = Number(readFileSync("data/hosts/lab-6.1-zswap/proc/swaps", "utf8").split("\n")[1].trim().split(/\s+/)[3]);
    expect(d.usedPages).toBe(used / 4);
    // 64 MiB of zero pages were paged out by the "idle" group: 16384 same-filled entries (+1 seen at boot)
    expect(d.usage.zero).toBeGreaterThanOrEqual(16384);
  });

  it("the workload is visible in the split: the noz group's 32 MiB of incompressible pages (memory.zswap.max = 0) are disk entries", () => {
    const noz = a.cgroups.groups.find((g) => g.path === "/fleet/noz")!;
    expect(noz.slotsCharged).toBe(8192);
    expect(a.devices[0].usage.disk).toBeGreaterThanOrEqual(noz.slotsCharged!);
  });

  it("the zbud pool's real ratio is below the charged ratio of the same pages (zbud keeps at most two objects per page)", () => {
    expect(a.backends.zswap.zpool).toBe("zbud");
    expect(a.backends.zswap.poolRatio!.value).toBeLessThanOrEqual(2);
    const web = a.cgroups.groups.find((g) => g.path === "/fleet/web")!;
    expect(web.ratio!).toBeGreaterThan(a.backends.zswap.poolRatio!.value);
  });

  it("per-cgroup slots (memory.swap.current / 4096) of /fleet account for the device's used slots", () => {
    const fleet = a.cgroups.groups.find((g) => g.path === "/fleet")!;
    expect(Math.abs(fleet.slotsCharged! - a.devices[0].usedPages) / a.devices[0].usedPages).toBeLessThan(0.01);
    const noz = a.cgroups.groups.find((g) => g.path === "/fleet/noz")!;
    expect(noz.atLimit).toContain("memory.zswap.max");
    expect(noz.slotsNotInZswap).toBe(noz.slotsCharged);
  });

  it("every runnable design's total is the sum of the overhead model run on each device with the host's usage", () => {
    for (const d of a.designs.filter((x) => x.runnable)) {
      expect(d.totals!.bytes).toBe(d.perDevice.reduce((s, r) => s + r.totals.bytes, 0));
      const r = d.perDevice[0];
      const again = overhead({
        design: resolveDesign(d.id),
        swapSizeBytes: r.inputs.swapSizeBytes,
        device: r.inputs.device,
        memcg: r.inputs.memcg,
        usage: r.inputs.usage,
        occupancy: r.inputs.occupancy,
        accounting: r.inputs.accounting,
        cpus: r.inputs.cpus,
        zpool: r.inputs.zpool,
        writebackShare: r.inputs.writebackShare,
      });
      expect(again.totals.bytes).toBe(d.totals!.bytes);
    }
  });

  it("the baseline uses the host's zpool (zbud); savings are baseline minus design; ranks follow totals", () => {
    const base = design(a, "linux-6.1");
    expect(base.perDevice[0].inputs.zpool).toBe("zbud");
    expect(base.savingBytes).toBe(0);
    for (const d of a.designs.filter((x) => x.runnable)) expect(d.savingBytes).toBe(base.totals!.bytes - d.totals!.bytes);
    const run = a.designs.filter((x) => x.runnable);
    for (const x of run) for (const y of run) if (x.totals!.bytes < y.totals!.bytes) expect(x.rank!).toBeLessThan(y.rank!);
  });

  it("a ghost swapfile cannot hold this host's disk-backed entries, and says so", () => {
    const g = design(a, "ghost-swapfile");
    expect(g.runnable).toBe(false);
    expect(g.reason).toMatch(/cannot hold disk entries \(\/dev\/vda has \d+\)/);
  });

  it("the accounting option switches totals and otherTotals", () => {
    const l = analyse("data/hosts/lab-6.1-zswap", { accounting: "letter" });
    expect(design(l, "linux-6.1").totals!.bytes).toBe(design(a, "linux-6.1").otherTotals!.bytes);
  });

  it("random occupancy never costs less than packed", () => {
    const r = analyse("data/hosts/lab-6.1-zswap", { occupancy: { kind: "random" } });
    for (const d of a.designs.filter((x) => x.runnable)) expect(design(r, d.id).totals!.bytes).toBeGreaterThanOrEqual(d.totals!.bytes);
  });
});

describe("analyseHost on the kernel-lab 6.12 guests (data/hosts/lab-6.12-zswap, lab-6.12-zram)", () => {
  it("zswap over an SSD: no same-filled counter, zswap writeback since boot gives the written-back share", () => {
    const a = analyse("data/hosts/lab-6.12-zswap");
    expect(a.baseline).toMatchObject({ design: "linux-6.12", match: "exact" });
    expect(a.backends.zswap.sameFilledPages).toBeNull();
    const vm = buildSnapshot(readSnapshotDir("data/hosts/lab-6.12-zswap")).vmstat!;
    expect(vm.zswpwb).toBeGreaterThan(0);
    expect(a.backends.writebackShare.value).toBeCloseTo(vm.zswpwb / vm.pswpout, 12);
    expect(a.devices[0].usage.zero).toBe(0);
    // 64 MiB of zero pages were paged out (the idle group): vmstat bounds them, --zero-from-vmstat uses it
    const z = analyse("data/hosts/lab-6.12-zswap", { zeroFromVmstat: true });
    expect(z.devices[0].usage.zero).toBe(vm.swpout_zero - vm.swpin_zero);
    expect(z.devices[0].usage.zero).toBeGreaterThanOrEqual(16384);
  });

  it("zram on 6.12: used slots not stored in zram are the zeromap's zero entries; the rest is on the device", () => {
    const a = analyse("data/hosts/lab-6.12-zram");
    const d = a.devices[0];
    const zr = a.backends.zram.find((z) => z.name === "zram0")!;
    expect(d.kind).toBe("zram");
    expect(d.usage.disk).toBe(zr.origBytes! / 4096);
    expect(d.usage.zero).toBe(d.usedPages - zr.origBytes! / 4096);
    // the idle group paged out 64 MiB of zero pages = 16384 entries, give or take a page
    expect(Math.abs(d.usage.zero - 16384)).toBeLessThanOrEqual(2);
    expect(zr.ratio!).toBeGreaterThan(1);
    expect(design(a, "ghost-swapfile").runnable).toBe(false);
  });
});

describe("analyseHost degrades with a stated reason", () => {
  it("this machine (no swap): every design 0 B, and the reason", () => {
    const a = analyse("data/hosts/devvm-6.18-noswap");
    expect(a.devices).toEqual([]);
    expect(a.designs.every((d) => d.runnable && d.totals!.bytes === 0)).toBe(true);
    expect(a.degraded.map((d) => d.reason).join("\n")).toMatch(/no swap: \/proc\/swaps lists no device/);
    expect(a.cgroups.hierarchy).toBe("v1");
    expect(a.baseline).toMatchObject({ design: "linux-6.19", match: "approximate" });
  });

  it("not root: stored pages from /proc/meminfo Zswapped, written-back share from vmstat zswpwb / pswpout", () => {
    const a = analyse("test/fixtures/hosts/partial-not-root");
    expect(a.backends.zswap.storedPages).toEqual({ value: 81920 / 4, from: "/proc/meminfo Zswapped / 4096" });
    expect(a.backends.writebackShare.value).toBeCloseTo(1000 / 200000, 12);
    expect(a.devices[0].usage).toEqual({ zswap: 20480, zero: 0, cache: 0, disk: 65536 - 20480 });
  });

  it("6.12+: zero entries count as disk unless --zero-from-vmstat, which uses swpout_zero - swpin_zero", () => {
    const plain = analyse("test/fixtures/hosts/partial-not-root");
    const est = analyse("test/fixtures/hosts/partial-not-root", { zeroFromVmstat: true });
    expect(plain.devices[0].usage.zero).toBe(0);
    expect(est.devices[0].usage.zero).toBe(3000 - 10);
    expect(est.devices[0].usage.disk).toBe(plain.devices[0].usage.disk - 2990);
    expect(plain.backends.zeroNote).toMatch(/swpout_zero - swpin_zero = 2990 bounds them from above/);
  });

  it("two devices: zswap pages apportioned by used slots, zram same_pages as zero entries, sizes from each /proc/swaps line", () => {
    const a = analyse("test/fixtures/hosts/two-devices");
    const [zram, nvme, file] = a.devices;
    expect(zram.usage.zswap + nvme.usage.zswap + file.usage.zswap).toBe(102400);
    expect(file.usage).toEqual({ disk: 0, zswap: 0, zero: 0, cache: 0 });
    expect(zram.usage.zero).toBe(65536);
    expect(zram.usage.zswap / nvme.usage.zswap).toBeCloseTo(262144 / 131072, 3);
    expect(a.devices.map((d) => d.kind)).toEqual(["zram", "ssd", "ssd"]);
    // zram's own table exists on the zram device under every design that keeps a physical layer
    expect(design(a, "linux-6.6").perDevice[0].rows.some((r) => r.structure === "zram_table")).toBe(true);
  });

  it("an unknown kernel release: no baseline, no savings, and the reason; --baseline sets one", () => {
    const fs: FileSet = { origin: "mem", files: new Map([["proc/swaps", "Filename Type Size Used Priority\n/dev/sda2 partition 1048572 4096 -2\n"]]), unreadable: new Map() };
    const a = analyseHost(buildSnapshot(fs), OPTS);
    expect(a.baseline).toBeNull();
    expect(a.designs.every((d) => d.savingBytes === null)).toBe(true);
    expect(a.degraded.map((d) => d.reason).join("\n")).toMatch(/kernel release unknown: no baseline design/);
    const b = analyseHost(buildSnapshot(fs), { ...OPTS, baseline: resolveDesign("linux-6.12") });
    expect(design(b, "linux-6.12").savingBytes).toBe(0);
    expect(b.cpus.from).toMatch(/default/);
  });
});

describe("analyseHost invariants on generated snapshots (fast-check)", () => {
  const releases = ["6.1.0-56-amd64", "6.6.1", "6.12.95", "6.19.0", "7.1.5", "7.2.1"];
  const hdr = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
  const arb = fc.record({
    release: fc.constantFrom(...releases),
    devs: fc.array(fc.record({ pages: fc.integer({ min: 2, max: 1 << 22 }), used: fc.double({ min: 0, max: 1, noNaN: true }), zram: fc.boolean(), rot: fc.boolean() }), { minLength: 0, maxLength: 3 }),
    zswapShare: fc.double({ min: 0, max: 1.2, noNaN: true }),
    same: fc.double({ min: 0, max: 1, noNaN: true }),
    cpus: fc.integer({ min: 1, max: 256 }),
  });
  it("usage by kind sums to each device's used slots, totals are non-negative integers, the baseline saves 0", () => {
    fc.assert(
      fc.property(arb, (h) => {
        const files = new Map<string, string>();
        files.set("proc/sys/kernel/osrelease", h.release + "\n");
        files.set("sys/devices/system/cpu/possible", `0-${h.cpus - 1}\n`);
        let lines = hdr;
        let used = 0;
        h.devs.forEach((d, i) => {
          const name = d.zram ? `zram${i}` : `sd${"abc"[i]}`;
          const u = Math.floor(d.used * (d.pages - 1));
          used += u;
          lines += `${escapeOctal("/dev/" + name)} partition ${(d.pages - 1) * 4} ${u * 4} ${-i}\n`;
          files.set(`sys/block/${name}/queue/rotational`, d.rot ? "1\n" : "0\n");
        });
        files.set("proc/swaps", lines);
        const stored = Math.floor(used * h.zswapShare);
        files.set("sys/module/zswap/parameters/enabled", "Y\n");
        files.set("sys/kernel/debug/zswap/stored_pages", `${stored}\n`);
        files.set("sys/kernel/debug/zswap/same_filled_pages", `${Math.floor(stored * h.same)}\n`);
        const a = analyseHost(buildSnapshot({ origin: "gen", files, unreadable: new Map() }), { ...OPTS, designs: allDesigns().filter((_, i) => i % 3 === 0) });
        for (const d of a.devices) {
          const u = d.usage;
          expect(u.disk + u.zswap + u.zero + u.cache).toBe(d.usedPages);
          expect(Math.min(u.disk, u.zswap, u.zero, u.cache)).toBeGreaterThanOrEqual(0);
        }
        for (const d of a.designs) {
          if (!d.runnable) continue;
          expect(Number.isSafeInteger(d.totals!.bytes) && d.totals!.bytes >= 0).toBe(true);
        }
        expect(a.designs.find((d) => d.id === a.baseline!.design)!.savingBytes).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});

describe("the scattered bound", () => {
  it("with packed occupancy, every design is also run with random occupancy, which never costs less", () => {
    const a = analyse("data/hosts/lab-6.12-zswap", { scatteredBound: true });
    expect(a.scattered).not.toBeNull();
    for (const d of a.designs.filter((x) => x.runnable)) {
      const s = a.scattered!.find((x) => x.id === d.id)!;
      expect(s.totals!.bytes).toBeGreaterThanOrEqual(d.totals!.bytes);
      expect(s.perDevice[0].inputs.occupancy).toEqual({ kind: "random" });
      expect(s.totals!.staticBytes).toBe(d.totals!.staticBytes);
    }
    expect(analyse("data/hosts/lab-6.12-zswap", { scatteredBound: true, occupancy: { kind: "random" } }).scattered).toBeNull();
    expect(analyse("data/hosts/devvm-6.18-noswap", { scatteredBound: true }).scattered).toBeNull();
  });
});
