import { describe, expect, it } from "vitest";
import { readSnapshotDir } from "../../src/host/reader.js";
import { blockOf, buildSnapshot, type FileSet } from "../../src/host/snapshot.js";

const FX = "test/fixtures/hosts";
const snap = (name: string) => buildSnapshot(readSnapshotDir(`${FX}/${name}`));
const reasons = (s: ReturnType<typeof snap>) => s.degraded.map((d) => `${d.area}: ${d.reason}`).join("\n");

function files(o: Record<string, string>, unreadable: Record<string, string> = {}): FileSet {
  return { origin: "mem", files: new Map(Object.entries(o)), unreadable: new Map(Object.entries(unreadable)) };
}

describe("buildSnapshot on fixture snapshots", () => {
  it("two-devices: zram, an NVMe partition and a swap file (with a space in its path) resolved to their block devices", () => {
    const s = snap("two-devices");
    expect(s.kernel.release).toBe("6.6.30-200.fc40.x86_64");
    expect(s.cpusPossible).toBe(16);
    expect(s.swaps!.map((d) => [d.path, d.type, d.block, d.kind])).toEqual([
      ["/dev/zram0", "partition", "zram0", "zram"],
      ["/dev/nvme0n1p3", "partition", "nvme0n1", "ssd"],
      ["/var/swap file", "file", "nvme0n1", "ssd"],
    ]);
    expect(s.swaps![0]).toMatchObject({ usablePages: 1048575, usedPages: 262144 });
    expect(s.zswap).toMatchObject({ enabled: true, compressor: "zstd", zpool: "zsmalloc" });
    expect(s.zswap.debug).toMatchObject({ stored_pages: 102400, pool_total_size: 104857600 });
    expect(s.zram[0]).toMatchObject({ name: "zram0", swapDevice: true, disksizeBytes: 4 * 2 ** 30 });
    expect(s.cgroups.memoryHierarchy).toBe("v2");
    expect(s.cgroups.groups.map((g) => g.path)).toEqual(["/", "/system.slice", "/system.slice/idle.service", "/user.slice"]);
    expect(s.cgroups.groups.find((g) => g.path === "/user.slice")).toMatchObject({ swapMax: 1610612736, memoryMax: "max", swapCurrent: 1610612736 });
    expect(s.degraded).toEqual([]);
  });

  it("cgroup-v1: the memory controller on a v1 hierarchy degrades with the reason; zswap off is stated", () => {
    const s = snap("cgroup-v1");
    expect(s.cgroups.memoryHierarchy).toBe("v1");
    expect(s.cgroups.v1MemoryMount).toBe("/sys/fs/cgroup/memory");
    expect(s.cgroups.groups).toEqual([]);
    expect(reasons(s)).toMatch(/cgroups: cgroup v1: the memory controller is on a v1 hierarchy \(\/sys\/fs\/cgroup\/memory\)/);
    expect(reasons(s)).toMatch(/zswap: zswap is off \(enabled = N\)/);
    // a swap file with no swapcost/swap-backing line: kind unknown, modelled as an SSD, said so
    expect(s.swaps![0]).toMatchObject({ kind: "unknown", block: null });
    expect(reasons(s)).toMatch(/swap device kind: \/swap\.img: the block device under the swap file is unknown .*modelled as an SSD/);
  });

  it("partial-not-root: unreadable debugfs and cgroup files come back from the manifest as stated reasons", () => {
    const s = snap("partial-not-root");
    expect(s.zswap.debug).toBeNull();
    expect(reasons(s)).toMatch(/zswap debugfs: \/sys\/kernel\/debug\/zswap unreadable \(EACCES: permission denied \(not root\)\)/);
    expect(reasons(s)).toMatch(/cgroups: 1 cgroup file\(s\) unreadable, e\.g\. \/sys\/fs\/cgroup\/user\.slice\/memory\.zswap\.current/);
    expect(s.manifest?.uid).toBe(1000);
  });

  it("zram-phone: a kernel without zswap says so; the Android zram path resolves to zram0", () => {
    const s = snap("zram-phone");
    expect(s.zswap.enabled).toBeNull();
    expect(reasons(s)).toMatch(/zswap: this kernel has no zswap \(no \/sys\/module\/zswap\/parameters\)/);
    expect(s.swaps![0]).toMatchObject({ path: "/dev/block/zram0", block: "zram0", kind: "zram" });
    expect(reasons(s)).toMatch(/cgroups: no \/proc\/self\/mounts and no cgroup files/);
  });

  it.each<[string, RegExp]>([
    ["broken-swaps", /^test\/fixtures\/hosts\/broken-swaps\/proc\/swaps:3: got "\/dev\/vdb .*12x4.*", expected <path> partition\|file/],
    ["broken-memstat", /^test\/fixtures\/hosts\/broken-memstat\/sys\/fs\/cgroup\/app\/memory\.stat:3: got "zswapped"/],
  ])("%s: a malformed file is an error naming the file and the line", (name, re) => {
    expect(() => snap(name)).toThrow(re);
  });
});

describe("buildSnapshot degrades, never throws, on missing pieces", () => {
  it("an empty file set: every area says what is missing", () => {
    const s = buildSnapshot(files({}));
    expect(s.swaps).toBeNull();
    expect(s.kernel.release).toBeNull();
    const r = reasons(s);
    for (const re of [/^kernel: kernel release unknown/m, /^swap: swap devices unknown/m, /^zswap: this kernel has no zswap/m, /^memcg: memcg state unknown/m, /^cpus: possible CPUs unknown/m]) expect(r).toMatch(re);
  });

  it("no swap: /proc/swaps with only its header", () => {
    const s = buildSnapshot(files({ "proc/swaps": "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n" }));
    expect(s.swaps).toEqual([]);
    expect(reasons(s)).toMatch(/no swap: \/proc\/swaps lists no device/);
  });

  it("memcg off from cgroup_disable=memory on the command line when /proc/cgroups is absent", () => {
    const s = buildSnapshot(files({ "proc/cmdline": "root=/dev/sda1 cgroup_disable=memory quiet\n" }));
    expect(s.memcgEnabled).toBe(false);
    expect(reasons(s)).toMatch(/memcg is disabled/);
  });

  it("debugfs listed but without a zswap directory vs unreadable: different reasons", () => {
    const base = { "sys/module/zswap/parameters/enabled": "Y\n" };
    expect(reasons(buildSnapshot(files(base)))).toMatch(/no \/sys\/kernel\/debug\/zswap \(debugfs not mounted, or zswap never initialised\)/);
    expect(reasons(buildSnapshot(files(base, { "sys/kernel/debug/": "EACCES: permission denied (not root)" })))).toMatch(/\/sys\/kernel\/debug\/zswap unreadable \(EACCES/);
  });
});

describe("blockOf: the disk whose queue/rotational describes a swap partition", () => {
  const blocks = new Set(["sda", "sdaa", "nvme0n1", "vda", "dm-1", "mmcblk0"]);
  it.each<[string, string | null]>([
    ["/dev/sda2", "sda"],
    ["/dev/sdaa1", "sdaa"],
    ["/dev/nvme0n1p3", "nvme0n1"],
    ["/dev/vda", "vda"],
    ["/dev/dm-1", "dm-1"],
    ["/dev/mmcblk0p2", "mmcblk0"],
    ["/dev/mapper/vg-swap", null],
  ])("%s → %s", (p, b) => expect(blockOf(p, "partition", blocks)).toBe(b));
  it("a swap file has no block device by name", () => expect(blockOf("/dev/sda", "file", blocks)).toBeNull());
});
