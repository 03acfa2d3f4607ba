import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { progressBar, simulateCommand, type SimulateEnv } from "../../src/cli/simulate-command.js";
import { parseCount } from "../../src/cli/sim-occupancy.js";

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => (err += t));
  return { code, out, err };
}

const SMALL = ["--swap-size", "64M", "--designs", "linux-7.1,vswap-v6,ghost-p4", "--samples", "4", "--no-progress"];

describe("swapcost simulate", () => {
  it("prints the text report: layers, histograms, designs, placement", async () => {
    const r = await cli(["simulate", "--workload", "fill-free,peak=90%", "--used", "20%", ...SMALL]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/swapcost simulate: fill-free,peak=90%/);
    expect(r.out).toMatch(/layers at the end/);
    expect(r.out).toMatch(/cluster occupancy histogram/);
    expect(r.out).toMatch(/vswap-v6\s+vswap\+backing/);
    expect(r.err).toBe("");
  });

  it("--format json is one JSON document with the config, samples, layers and designs", async () => {
    const r = await cli(["simulate", "--workload", "churn,s=0.9", "--events", "20k", "--mix", "zswap=80%,disk=20%", "--writeback", "10%", "--seed", "7", "--format", "json", ...SMALL]);
    const j = JSON.parse(r.out);
    expect(j.config).toMatchObject({ workload: "churn", seed: 7, params: { s: "0.9" }, layers: ["direct", "backing", "vswap", "dynamic"] });
    expect(j.samples.length).toBeGreaterThanOrEqual(4);
    expect(j.designs.map((d: { id: string }) => d.id)).toEqual(["linux-7.1", "vswap-v6", "ghost-p4"]);
    expect(j.layers[0].histogram.clusters.reduce((a: number, b: number) => a + b, 0)).toBe(j.layers[0].histogram.existing);
  });

  it("--format csv is tidy: event,subject,metric,value", async () => {
    const r = await cli(["simulate", "--workload", "random-churn", "--events", "5000", "--format", "csv", ...SMALL]);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toBe("event,subject,metric,value");
    expect(lines.some((l) => /^\d+,vswap-v6,bytes_per_live_entry,[\d.]+$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\d+,direct,clusters_in_use,\d+$/.test(l))).toBe(true);
  });

  it("--format mail fits 72 ASCII columns", async () => {
    const r = await cli(["simulate", "--workload", "mthp", "--events", "5000", "--format", "mail", ...SMALL]);
    for (const l of r.out.split("\n")) {
      expect(l.length).toBeLessThanOrEqual(72);
      expect(l).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(r.out).toMatch(/packed\s+simulated\s+random/);
    // numbered sources: the kernel allocator code the simulator follows, then each design's source
    expect(r.out).toMatch(/^\[1\] deb-7\.2 mm\/swapfile\.c:1361 swap_alloc_fast/m);
    expect(r.out).toMatch(/^vswap-v6 \[\d+\]/m);
  });

  it("replays a trace file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "swapcost-"));
    const file = path.join(dir, "t.trace");
    writeFileSync(file, "out a 0 zswap\nout b 4 zswap 1\nin a\nsample\nout c 0 zero\n");
    const r = await cli(["simulate", "--workload", `trace,file=${file}`, "--format", "json", ...SMALL]);
    const j = JSON.parse(r.out);
    expect(j.counters.events).toBe(4);
    expect(j.samples[j.samples.length - 1].live).toBe(17);
  });

  it.each([
    [["simulate"], /--workload: missing/],
    [["simulate", "--workload", "bogus"], /--workload: got "bogus"/],
    [["simulate", "--workload", "fill", "--swap-size", "8T"], /at most 4T/],
    [["simulate", "--workload", "fill", "--mix", "cache=100%"], /swap-cache-only entries are not simulated/],
    [["simulate", "--workload", "fill", "--events", "lots"], /--events/],
    [["simulate", "--workload", "trace,file=/nonexistent/x.trace"], /a readable trace file/],
  ])("%j is a one-line input error (exit 2)", async (argv, why) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(why);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  it("draws the progress bar on stderr (only after a second), never on stdout", () => {
    let t = 0;
    let err = "";
    const env: SimulateEnv = { err: (s) => (err += s), isTTY: true, now: () => (t += 400) };
    let out = "";
    simulateCommand(["--workload", "random-churn", "--events", "30000", "--format", "json", ...SMALL.filter((x) => x !== "--no-progress")], { out: (s) => (out += s) }, env);
    expect(() => JSON.parse(out)).not.toThrow();
    expect(err).toMatch(/\[#*\.*\]\s+\d+% [\d.]+M events/);
    expect(err.endsWith("\r\x1b[K")).toBe(true);
  });

  it("stays quiet for a run shorter than a second", () => {
    const writes: string[] = [];
    const env: SimulateEnv = { err: (s) => writes.push(s), isTTY: true, now: () => 0 };
    const bar = progressBar(env, true);
    bar.update(10, 100);
    bar.done();
    expect(writes).toEqual([]);
  });
});

describe("--occupancy sim:<workload> in overhead and compare", () => {
  it("overhead prices the design with the simulation's measured placement and usage", async () => {
    const r = await cli(["overhead", "--design", "linux-7.1", "--swap-size", "64M", "--used", "30%", "--occupancy", "sim:fill-free,peak=100%,seed=3", "--format", "json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.inputs.occupancy.kind).toBe("measured");
    expect(j.inputs.occupancy.label).toMatch(/fill-free,peak=100% seed 3/);
    expect(j.inputs.usedEntries).toBe(Math.round(0.3 * (16384 - 1)));
    const packed = JSON.parse((await cli(["overhead", "--design", "linux-7.1", "--swap-size", "64M", "--used", "30%", "--format", "json"])).out);
    expect(j.totals.dynamicBytes).toBeGreaterThan(packed.totals.dynamicBytes);
  });

  it("compare runs one simulation per used share", async () => {
    const r = await cli(["compare", "--designs", "linux-7.1,vswap-v6", "--swap-size", "64M", "--used", "25,50", "--occupancy", "sim:random-churn,events=2000"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/occupancy\s+measured: random-churn seed 1, 2000 events/);
  });

  it("rejects an unknown simulation parameter", async () => {
    const r = await cli(["overhead", "--design", "linux-7.1", "--swap-size", "64M", "--occupancy", "sim:churn,zipf=2"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown parameter/);
  });
});

describe("parseCount", () => {
  it.each([
    ["2M", 2_000_000],
    ["500k", 500_000],
    ["1e6", 1_000_000],
    ["1_000", 1000],
    ["7", 7],
  ])("%s = %i", (t, n) => expect(parseCount(t, "--events")).toBe(n));
  it.each(["-1", "1.5", "x", "2T"])("rejects %s", (t) => expect(() => parseCount(t, "--events")).toThrow(/--events/));
});
