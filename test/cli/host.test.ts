import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => (err += t));
  return { code, out, err };
}

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "swapcost-cli-"));

describe("swapcost host", () => {
  it("is listed by --help, with its own options", async () => {
    expect((await cli("--help")).out).toMatch(/^\s+host\s+what each design would cost on this host/m);
    const h = await cli("host", "--help");
    for (const f of ["--snapshot", "--capture", "--note", "--no-redact", "--zero-from-vmstat", "--top-cgroups"]) expect(h.out).toContain(f);
  });

  it("on the live host (this machine, no swap) says there is no swap and exits 0", async () => {
    const r = await cli("host");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^swapcost host: the live host \(\/\)/);
    expect(r.out).toMatch(/inputs read:\n\s+\/proc\/sys\/kernel\/osrelease/);
  });

  it("on a saved snapshot prints the inputs read, usage by backend, every design with its saving, cgroups, and sources", async () => {
    const r = await cli("host", "--snapshot", "data/hosts/lab-6.1-zswap");
    expect(r.code).toBe(0);
    expect(r.out).toContain("6.1.0-56-amd64 -> baseline linux-6.1 (exact");
    const usedKb = Number(readFileSync("data/hosts/lab-6.1-zswap/proc/swaps", "utf8").split("\n")[1].trim().split(/\s+/)[3]);
    expect(r.out).toContain(`/dev/vda partition size 8388604 kB used ${usedKb} kB prio -2`);
    expect(r.out).toMatch(new RegExp(`/dev/vda\\s+ssd\\s+8\\.00 GiB\\s+${(usedKb / 4).toLocaleString("en-US")}`));
    expect(r.out).toMatch(/^\s+linux-6\.1 \*\s+mainline\s+ssd\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+0\.000\s+\d+\s+[\d.]+\s+\d+$/m);
    expect(r.out).toMatch(/ghost-swapfile: ghost-swapfile cannot hold disk entries/);
    expect(r.out).toMatch(/^\s+\/fleet\/batch .* memory\.zswap\.max$/m);
    expect(r.out).toContain("deb-6.1 mm/swapfile.c:2643-2668 swap_show()");
  });

  it("--format mail is plain ASCII within 72 columns; --format json parses and sums per device", async () => {
    const m = await cli("host", "--snapshot", "data/hosts/lab-6.12-zswap", "--format", "mail");
    expect(m.code).toBe(0);
    for (const l of m.out.split("\n")) {
      expect(l.length).toBeLessThanOrEqual(72);
      expect(l).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(m.out).toMatch(/^linux-6\.12 \*/m);
    const j = JSON.parse((await cli("host", "--snapshot", "data/hosts/lab-6.12-zswap", "--format", "json")).out);
    expect(j.analysis.baseline.design).toBe("linux-6.12");
    for (const d of j.analysis.designs.filter((x: { runnable: boolean }) => x.runnable)) {
      expect(d.totals.bytes).toBe(d.perDevice.reduce((s: number, r: { totals: { bytes: number } }) => s + r.totals.bytes, 0));
    }
    expect(j.snapshot.swaps[0].path).toBe("/dev/vda");
  });

  it("--designs and --baseline choose what is compared", async () => {
    const r = await cli("host", "--snapshot", "data/hosts/lab-6.1-zswap", "--designs", "vswap-v6,swap-table-p4", "--baseline", "linux-6.12", "--format", "json");
    const ids = JSON.parse(r.out).analysis.designs.map((d: { id: string }) => d.id);
    expect(ids).toEqual(["linux-6.12", "vswap-v6", "swap-table-p4"]);
  });

  it.each<[string, string[], RegExp]>([
    ["a malformed /proc/swaps", ["host", "--snapshot", "test/fixtures/hosts/broken-swaps"], /^swapcost: test\/fixtures\/hosts\/broken-swaps\/proc\/swaps:3: got .*12x4.*expected <path> partition\|file/],
    ["a malformed memory.stat", ["host", "--snapshot", "test/fixtures/hosts/broken-memstat"], /^swapcost: test\/fixtures\/hosts\/broken-memstat\/sys\/fs\/cgroup\/app\/memory\.stat:3: /],
    ["an edited snapshot", ["host", "--snapshot", "test/fixtures/hosts/tampered"], /^swapcost: test\/fixtures\/hosts\/tampered\/proc\/swaps:1: the file changed after capture/],
    ["a missing snapshot", ["host", "--snapshot", "no/such/dir"], /^swapcost: --snapshot: ENOENT/],
    ["--note without --capture", ["host", "--note", "x"], /^swapcost: --note: .*together with --capture/],
    ["a bad --top-cgroups", ["host", "--top-cgroups", "ten"], /^swapcost: --top-cgroups: got "ten"/],
    ["an unknown design", ["host", "--designs", "vswap-v9"], /^swapcost: design: got "vswap-v9"/],
  ])("%s: one line on stderr, exit 2", async (_, argv, re) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(re);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
  });

  it("partial snapshots degrade with reasons and still print every design", async () => {
    const v1 = await cli("host", "--snapshot", "test/fixtures/hosts/cgroup-v1");
    expect(v1.code).toBe(0);
    expect(v1.out).toMatch(/cgroups: memory controller on cgroup v1/);
    expect(v1.out).toMatch(/- cgroups: cgroup v1: the memory controller is on a v1 hierarchy/);
    const nr = await cli("host", "--snapshot", "test/fixtures/hosts/partial-not-root");
    expect(nr.out).toMatch(/- zswap debugfs: \/sys\/kernel\/debug\/zswap unreadable \(EACCES: permission denied \(not root\)\)/);
    expect(nr.out).toMatch(/^\s+linux-6\.12 \*/m);
  });

  it("--capture then --snapshot: the same analysis; a second capture into the same directory is refused", async () => {
    const dir = path.join(tmp(), "copy");
    const c = await cli("host", "--snapshot", "data/hosts/lab-6.1-zswap", "--capture", dir, "--note", "copy for a test");
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/^captured \d+ files from data\/hosts\/lab-6\.1-zswap into /);
    expect(JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")).note).toBe("copy for a test");
    const a = JSON.parse((await cli("host", "--snapshot", "data/hosts/lab-6.1-zswap", "--format", "json")).out);
    const b = JSON.parse((await cli("host", "--snapshot", dir, "--format", "json")).out);
    expect(b.analysis.designs.map((d: { totals: unknown }) => d.totals)).toEqual(a.analysis.designs.map((d: { totals: unknown }) => d.totals));
    const again = await cli("host", "--capture", dir);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/not empty \(a capture never overwrites\)/);
  });
});

describe("swapcost fleet", () => {
  it("--synthetic is reproducible by seed and differs across seeds", async () => {
    const a = await cli("fleet", "--synthetic", "40", "--seed", "3", "--format", "csv");
    const b = await cli("fleet", "--synthetic", "40", "--seed", "3", "--format", "csv");
    const c = await cli("fleet", "--synthetic", "40", "--seed", "4", "--format", "csv");
    expect(a.out).toBe(b.out);
    expect(a.out).not.toBe(c.out);
    expect(a.out.split("\n")[0]).toMatch(/^host,kernel,cpus,memcg,mem_total_bytes,device,swap_bytes,disk,zswap,zero,writeback_share,zpool,origin,cost_linux-6\.1,/);
  });

  it("an exported CSV read back gives the same per-design distributions (cost_* columns are recomputed, not read)", async () => {
    const csv = (await cli("fleet", "--synthetic", "30", "--seed", "11", "--format", "csv")).out;
    const f = path.join(tmp(), "fleet.csv");
    writeFileSync(f, csv);
    const fromCsv = JSON.parse((await cli("fleet", f, "--format", "json")).out);
    const direct = JSON.parse((await cli("fleet", "--synthetic", "30", "--seed", "11", "--format", "json")).out);
    expect(fromCsv.result.designs).toEqual(direct.result.designs);
    const text = (await cli("fleet", f)).out;
    expect(text).toMatch(/ignored\s+CSV columns cost_linux-6\.1, /);
  });

  it("a directory of snapshots: the lab and dev-VM snapshots as a fleet, with the no-swap host left out of the distributions", async () => {
    const r = await cli("fleet", "data/hosts");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/hosts\s+4 \(3 with swap\)/);
    expect(r.out).toMatch(/fleet ranking \(designs every host with swap can run, by median\): /);
    const j = JSON.parse((await cli("fleet", "data/hosts", "--format", "json")).out);
    expect(j.hosts.map((h: { host: string }) => h.host)).toEqual(["devvm-6.18-noswap", "lab-6.1-zswap", "lab-6.12-zram", "lab-6.12-zswap"]);
  });

  it("a broken snapshot in a fleet is excluded with its file and line (or fails with --strict)", async () => {
    const r = await cli("fleet", "test/fixtures/hosts");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/- broken-swaps: test\/fixtures\/hosts\/broken-swaps\/proc\/swaps:3: /);
    expect(r.out).toMatch(/- tampered: .*the file changed after capture/);
    const s = await cli("fleet", "test/fixtures/hosts", "--strict");
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/^swapcost: test\/fixtures\/hosts\/broken-memstat\/sys\/fs\/cgroup\/app\/memory\.stat:3: /);
  });

  it("--format mail fits 72 columns; --profiles prints the assumed distributions", async () => {
    const m = await cli("fleet", "--synthetic", "50", "--format", "mail");
    for (const l of m.out.split("\n")) expect(l.length).toBeLessThanOrEqual(72);
    const p = await cli("fleet", "--profiles");
    expect(p.out).toMatch(/^zswap-server: /m);
    expect(p.out).toMatch(/assumed distributions, not measurements/);
  });

  it("--profiles honours --format: mail within 72 columns with footnotes, JSON with the distributions as data", async () => {
    const m = await cli("fleet", "--profiles", "--format", "mail");
    expect(m.code).toBe(0);
    for (const l of m.out.replace(/\n$/, "").split("\n")) expect(l).toMatch(/^[\x20-\x7e]{0,72}$/);
    expect(m.out).toMatch(/^zswap-server: /m);
    expect(m.out).toMatch(/^\[1\] src\/fleet\/synthetic\.ts/m);
    const j = JSON.parse((await cli("fleet", "--profiles", "--format", "json")).out);
    expect(j.assumed).toBe(true);
    expect(j.profiles.map((p: { id: string }) => p.id)).toEqual(["zswap-server", "android-zram", "build-server"]);
    expect(j.profiles[0].used).toEqual({ kind: "uniform", min: 0.01, max: 0.6 });
    expect(j.mixed["zswap-server"]).toBe(0.5);
    const c = await cli("fleet", "--profiles", "--format", "csv");
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/^swapcost: --format: got "csv", expected text, json or mail with --profiles/);
  });

  it.each<[string, string[], RegExp]>([
    ["nothing to read", ["fleet"], /^swapcost: swapcost fleet: missing/],
    ["both a fleet and --synthetic", ["fleet", "data/hosts", "--synthetic", "5"], /either a fleet to read or --synthetic N/],
    ["--seed without --synthetic", ["fleet", "data/hosts", "--seed", "3"], /^swapcost: --seed: .*together with --synthetic/],
    ["an unknown profile", ["fleet", "--synthetic", "5", "--profile", "laptop"], /^swapcost: --profile: got "laptop", expected one of mixed, zswap-server/],
    ["zero hosts", ["fleet", "--synthetic", "0"], /^swapcost: --synthetic: got 0/],
    ["a single snapshot", ["fleet", "data/hosts/lab-6.1-zswap"], /this is a single snapshot/],
  ])("%s: exit 2", async (_, argv, re) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(re);
  });
});

describe("swapcost host: charging per cgroup (memcg model)", () => {
  it("prints the host's counters next to each design's, and --memcg-designs chooses the designs", async () => {
    const r = await cli("host", "--snapshot", "data/hosts/lab-6.12-zswap", "--memcg-designs", "vswap-v6");
    expect(r.out).toMatch(/^charging per cgroup under each design/m);
    expect(r.out).toMatch(/^\s+cgroup\s+counter\s+read\s+linux-6\.12 \*\s+vswap-v6$/m);
    expect(r.out).toMatch(/^\s+\/fleet\/web\s+memory\.swap\.current\s+48\.0\s+48\.0\s+0\.0$/m);
    const none = await cli("host", "--snapshot", "data/hosts/lab-6.12-zswap", "--memcg-designs", "none", "--format", "json");
    expect(JSON.parse(none.out).memcg.designs.map((d: { design: string }) => d.design)).toEqual(["linux-6.12"]);
    const v1 = await cli("host", "--snapshot", "data/hosts/devvm-6.18-noswap");
    expect(v1.out).toMatch(/charging per cgroup under each design: not modelled \(no cgroup v2 memory controller \(v1\)/);
  });
});

describe("swapcost host: swapoff per device (swapoff model)", () => {
  it("text shows each device's swapoff per design; --swapoff-designs none keeps only the host's design; json has the work counts", async () => {
    const r = await cli("host", "--snapshot", "data/hosts/lab-6.12-zswap");
    expect(r.out).toMatch(/^swapoff of each device under each design/m);
    expect(r.out).toMatch(/^\s+linux-6\.12\s+PTE walk\s/m);
    const j = JSON.parse((await cli("host", "--snapshot", "data/hosts/lab-6.12-zswap", "--swapoff-designs", "none", "--format", "json")).out);
    expect(j.swapoff.devices[0].results.map((x: { design: string }) => x.design)).toEqual(["linux-6.12"]);
    expect(j.swapoff.devices[0].results[0].work.ptesScanned).toBeGreaterThan(0);
    const none = await cli("host", "--snapshot", "data/hosts/devvm-6.18-noswap");
    expect(none.out).toMatch(/swapoff under each design: not modelled \(no swap device to swap off\)/);
  });
});
