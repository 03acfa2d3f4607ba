import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allDesigns, resolveDesign } from "../../src/designs/registry.js";
import { aggregateFleet, costSummary, ecdf, quantile, quantiles, type FleetHost, type FleetOptions } from "../../src/fleet/aggregate.js";
import { parseSummaryCsv, summaryCsv, type HostSummary } from "../../src/fleet/summary.js";
import { mulberry32, PROFILES, sample, syntheticFleet } from "../../src/fleet/synthetic.js";
import { overhead } from "../../src/models/overhead.js";

const OPTS: FleetOptions = { designs: allDesigns(), occupancy: { kind: "packed" }, accounting: "kernel" };

function row(o: Partial<HostSummary> = {}): HostSummary {
  return { host: "h", kernel: "6.12.95", cpus: 8, memcg: true, memTotalBytes: 16 * 2 ** 30, device: "ssd", swapBytes: 8 * 2 ** 30, disk: 1000, zswap: 5000, zero: 100, writebackShare: 0.5, zpool: null, origin: "test", ...o };
}

describe("quantiles (Hyndman-Fan type 7) and the ECDF", () => {
  it("matches R's quantile(type = 7) on a worked example", () => {
    const s = [1, 2, 3, 4, 10];
    // R: quantile(c(1,2,3,4,10), c(.1,.25,.5,.9), type = 7) = 1.4 2 3 7.6
    const want = [1.4, 2, 3, 7.6];
    [0.1, 0.25, 0.5, 0.9].forEach((p, i) => expect(quantile(s, p)).toBeCloseTo(want[i], 12));
    expect(quantiles(s)).toMatchObject({ n: 5, min: 1, max: 10, mean: 4 });
    expect(quantiles([])).toBeNull();
  });
  it("the ECDF is non-decreasing, ends at 1, and has at most the requested points (+1)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), (v, pts) => {
        const e = ecdf(v, pts);
        expect(e[e.length - 1]).toEqual([Math.max(...v), 1]);
        for (let i = 1; i < e.length; i++) {
          expect(e[i][0]).toBeGreaterThanOrEqual(e[i - 1][0]);
          expect(e[i][1]).toBeGreaterThan(e[i - 1][1]);
        }
        expect(e.length).toBeLessThanOrEqual(pts + 1);
        // each point is exact: the share of values ≤ x
        for (const [x, p] of e) expect(p).toBeCloseTo(v.filter((y) => y <= x).length / v.length, 12);
      }),
    );
  });
});

describe("synthetic fleets", () => {
  it("mulberry32 is deterministic and uniform-ish", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.02);
  });

  it.each(["mixed", ...PROFILES.map((p) => p.id)])("profile %s: every row is a valid summary (entries fit the device, shares in range)", (profile) => {
    const rows = syntheticFleet(500, 9, profile);
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.host)).size).toBe(500);
    for (const r of rows) {
      if (r.device === "none") {
        expect(r.swapBytes + r.disk + r.zswap + r.zero).toBe(0);
        continue;
      }
      expect(r.swapBytes % 4096).toBe(0);
      expect(r.disk + r.zswap + r.zero).toBeLessThanOrEqual(r.swapBytes / 4096 - 1);
      expect(Math.min(r.disk, r.zswap, r.zero)).toBeGreaterThanOrEqual(0);
      expect(r.writebackShare).toBeGreaterThanOrEqual(0);
      expect(r.writebackShare).toBeLessThanOrEqual(1);
    }
    // the CSV is a faithful carrier: parse(format(rows)) = rows
    expect(parseSummaryCsv(summaryCsv(rows), "f.csv").rows).toEqual(rows);
  });

  it("the draws follow the profile's declared ranges (android-zram: zram only, used 20-90%)", () => {
    const rows = syntheticFleet(2000, 5, "android-zram");
    expect(new Set(rows.map((r) => r.device))).toEqual(new Set(["zram"]));
    const used = rows.map((r) => (r.disk + r.zswap + r.zero) / (r.swapBytes / 4096 - 1));
    expect(Math.min(...used)).toBeGreaterThanOrEqual(0.2 - 1e-6);
    expect(Math.max(...used)).toBeLessThanOrEqual(0.9);
    expect(rows.every((r) => r.zswap === 0)).toBe(true);
    const p = PROFILES.find((x) => x.id === "android-zram")!;
    const rnd = mulberry32(1);
    for (let i = 0; i < 1000; i++) expect([4, 6, 8, 12]).toContain(sample(p.ramGiB, rnd));
  });
});

describe("costSummary: a summary row through the overhead model", () => {
  it("equals overhead() run directly with the row's device and entries, for every design", () => {
    const r = row();
    const h = costSummary(r, OPTS);
    expect(h.baseline).toBe("linux-6.12");
    for (const d of h.designs.filter((x) => x.runnable)) {
      const o = overhead({
        design: resolveDesign(d.id),
        swapSizeBytes: r.swapBytes,
        device: "ssd",
        memcg: true,
        usage: { disk: r.disk, zswap: r.zswap, zero: r.zero, cache: 0 },
        occupancy: { kind: "packed" },
        accounting: "kernel",
        cpus: 8,
        writebackShare: 0.5,
      });
      expect(d.totalBytes).toBe(o.totals.bytes);
    }
    expect(h.designs.find((d) => d.id === "linux-6.12")!.savingBytes).toBe(0);
  });

  it("a host without swap costs 0 under every design", () => {
    const h = costSummary(row({ device: "none", swapBytes: 0, disk: 0, zswap: 0, zero: 0 }), OPTS);
    expect(h.designs.every((d) => d.runnable && d.totalBytes === 0)).toBe(true);
  });
});

describe("aggregateFleet", () => {
  const hosts: FleetHost[] = syntheticFleet(120, 2).map((r) => costSummary(r, OPTS));
  const res = aggregateFleet(hosts);

  it("distributions are over hosts with swap; 'cheapest on' counts are consistent with per-host minima", () => {
    expect(res.hosts).toBe(120);
    const withSwap = hosts.filter((h) => h.summary.device !== "none");
    expect(res.hostsWithSwap).toBe(withSwap.length);
    for (const d of res.designs) {
      expect(d.hosts + d.notRunnable).toBe(withSwap.length);
      if (d.cost) expect(d.cost.p10).toBeLessThanOrEqual(d.cost.p90);
    }
    for (const h of withSwap) {
      const run = h.designs.filter((d) => d.runnable);
      const min = Math.min(...run.map((d) => d.totalBytes!));
      expect(run.some((d) => d.totalBytes === min)).toBe(true);
    }
    const cheapestTotal = res.designs.reduce((s, d) => s + d.cheapest, 0);
    expect(cheapestTotal).toBeGreaterThanOrEqual(withSwap.length);
  });

  it("the fleet ranking is ordered by median; every flip is a host where the order really reverses", () => {
    const med = new Map(res.designs.map((d) => [d.id, d.cost?.p50 ?? NaN]));
    for (let i = 1; i < res.fleetRanking.length; i++) expect(med.get(res.fleetRanking[i])!).toBeGreaterThanOrEqual(med.get(res.fleetRanking[i - 1])!);
    for (const f of res.flips) {
      expect(f.medianA).toBeLessThan(f.medianB);
      for (const host of f.examples) {
        const h = hosts.find((x) => x.host === host)!;
        const a = h.designs.find((d) => d.id === f.a)!.totalBytes!;
        const b = h.designs.find((d) => d.id === f.b)!.totalBytes!;
        expect(a).toBeGreaterThan(b);
      }
    }
    for (const c of res.cheapestFlips) expect(c.cheapestBytes).toBeLessThan(c.fleetCheapestBytes);
  });

  it("a design that cannot hold disk entries (ghost swapfile) is n/a on disk hosts, with the reason counted", () => {
    const g = res.designs.find((d) => d.id === "ghost-swapfile")!;
    expect(g.notRunnable).toBeGreaterThan(0);
    expect(g.notRunnableReasons[0].reason).toMatch(/cannot hold disk entries/);
    expect(res.fleetRanking).not.toContain("ghost-swapfile");
  });

  it("one --baseline for every host makes savings relative to it", () => {
    const b = aggregateFleet(syntheticFleet(30, 2).map((r) => costSummary(r, { ...OPTS, baseline: resolveDesign("linux-6.1") })));
    expect(b.designs.find((d) => d.id === "linux-6.1")!.saving).toMatchObject({ min: 0, max: 0 });
  });
});

describe("parseSummaryCsv: errors name the file, line and column", () => {
  const head = "host,kernel,cpus,memcg,mem_total_bytes,device,swap_bytes,disk,zswap,zero,writeback_share,zpool,origin";
  it.each<[string, string, RegExp]>([
    ["empty", "", /^f\.csv:1: empty file/],
    ["missing column", "host,kernel\n", /^f\.csv:1: no column "cpus"/],
    ["bad device", `${head}\nh1,6.1.0,8,1,,floppy,8192,0,0,0,0,,\n`, /^f\.csv:2: device: got "floppy"/],
    ["entries beyond the device", `${head}\nh1,6.1.0,8,1,,ssd,8192,2,0,0,0,,\n`, /^f\.csv:2: .*disk \+ zswap \+ zero ≤ 1 usable slots/],
    ["duplicate host", `${head}\nh1,6.1.0,8,1,,ssd,8192,0,0,0,0,,\nh1,6.1.0,8,1,,ssd,8192,0,0,0,0,,\n`, /^f\.csv:3: host: .*each host once/],
    ["bad kernel", `${head}\nh1,linux,8,1,,ssd,8192,0,0,0,0,,\n`, /^f\.csv:2: kernel:1: got "linux"/],
    ["share over 1", `${head}\nh1,6.1.0,8,1,,ssd,8192,0,0,0,1.5,,\n`, /^f\.csv:2: writeback_share: got "1\.5"/],
    ["field count", `${head}\nh1,6.1.0,8\n`, /^f\.csv:2: 3 fields/],
    ["swap size not in pages", `${head}\nh1,6.1.0,8,1,,ssd,8193,0,0,0,0,,\n`, /^f\.csv:2: swap_bytes: .*whole 4 KiB pages/],
  ])("%s", (_, text, re) => expect(() => parseSummaryCsv(text, "f.csv")).toThrow(re));

  it("quoted fields with commas and quotes round-trip", () => {
    const r = [row({ host: 'rack "7", slot 3', origin: "a,b" })];
    expect(parseSummaryCsv(summaryCsv(r), "f.csv").rows).toEqual(r);
  });
});

describe("flat rows for charts", () => {
  it("ECDF rows per design end at share 1; host rows hold one row per runnable design of each host with swap", async () => {
    const { costEcdfRows, hostCostRows, flipRows } = await import("../../src/fleet/rows.js");
    const hosts = syntheticFleet(60, 8).map((r) => costSummary(r, OPTS));
    const res = aggregateFleet(hosts);
    const rows = costEcdfRows(res, ["linux-6.1", "vswap-v6"]);
    for (const id of ["linux-6.1", "vswap-v6"]) expect(rows.filter((x) => x.design === id).at(-1)!.share).toBe(1);
    const hr = hostCostRows(hosts);
    const expected = hosts.filter((h) => h.summary.device !== "none").reduce((s, h) => s + h.designs.filter((d) => d.runnable).length, 0);
    expect(hr).toHaveLength(expected);
    for (const f of flipRows(res)) expect(f.share).toBeGreaterThan(0);
  });
});
