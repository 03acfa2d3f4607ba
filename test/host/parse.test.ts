import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  escapeOctal,
  parseCpuList,
  parseFlatKeyed,
  parseLimit,
  parseMeminfo,
  parseMounts,
  parseProcCgroups,
  parseProcSwaps,
  parseRelease,
  parseSwapBacking,
  parseUint,
  parseYN,
  parseZramMmStat,
  unescapeOctal,
} from "../../src/host/parse.js";

const HDR = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

/** A /proc/swaps line as mm/swapfile.c swap_show() prints it (deb-6.1 :2659-2666). */
function swapShow(path: string, partition: boolean, sizeKb: number, usedKb: number, prio: number): string {
  const p = escapeOctal(path);
  const pad = " ".repeat(p.length < 40 ? 40 - p.length : 1);
  return `${p}${pad}${partition ? "partition" : "file\t"}\t${sizeKb}\t${sizeKb < 10000000 ? "\t" : ""}${usedKb}\t${usedKb < 10000000 ? "\t" : ""}${prio}\n`;
}

describe("parseProcSwaps", () => {
  it("reads swap_show() lines: partition and file, sizes in kB, negative priority", () => {
    const t = HDR + swapShow("/dev/vda", true, 8388604, 262144, -2) + swapShow("/swapfile", false, 2097148, 0, -3);
    expect(parseProcSwaps(t)).toEqual([
      { path: "/dev/vda", type: "partition", sizeKb: 8388604, usedKb: 262144, priority: -2 },
      { path: "/swapfile", type: "file", sizeKb: 2097148, usedKb: 0, priority: -3 },
    ]);
  });

  it("an empty list (header only) is no swap, not an error", () => {
    expect(parseProcSwaps(HDR)).toEqual([]);
  });

  it("round-trips any path (octal escapes for space, tab, newline, backslash) and any sizes", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }).map((s) => "/" + s.replace(/\0/g, "")),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: -32768, max: 32767 }),
        (path, part, pages, pct, prio) => {
          const size = pages * 4;
          const used = Math.floor((pages * pct) / 100) * 4;
          const [l] = parseProcSwaps(HDR + swapShow(path, part, size, used, prio));
          expect(l).toEqual({ path, type: part ? "partition" : "file", sizeKb: size, usedKb: used, priority: prio });
        },
      ),
    );
  });

  it.each<[string, string, RegExp]>([
    ["empty file", "", /^proc\/swaps:1: empty file/],
    ["missing header", "/dev/vda partition 4 0 -2\n", /^proc\/swaps:1: got "\/dev\/vda/],
    ["non-numeric size on line 3", HDR + swapShow("/dev/a", true, 4, 0, -2) + "/dev/b partition 12x4 0 -3\n", /^proc\/swaps:3: got "\/dev\/b partition 12x4 0 -3", expected <path>/],
    ["unknown type", HDR + "/dev/a disk 4 0 -2\n", /^proc\/swaps:2: type "disk"/],
    ["used beyond size", HDR + "/dev/a partition 4 8 -2\n", /^proc\/swaps:2: used larger than size/],
    ["kB not in whole pages", HDR + "/dev/a partition 6 0 -2\n", /^proc\/swaps:2: not a multiple of 4 kB/],
    ["six fields", HDR + "/dev/a partition 4 0 -2 x\n", /^proc\/swaps:2: 6 fields/],
  ])("rejects %s, naming the file and line", (_, text, re) => {
    expect(() => parseProcSwaps(text, "proc/swaps")).toThrow(re);
  });
});

describe("parseMeminfo", () => {
  it("kB fields become bytes; fields without a unit stay counts", () => {
    const m = parseMeminfo("MemTotal:       24684096 kB\nZswapped:           7792 kB\nHugePages_Total:       0\n");
    expect(m.get("MemTotal")).toBe(24684096 * 1024);
    expect(m.get("Zswapped")).toBe(7792 * 1024);
    expect(m.get("HugePages_Total")).toBe(0);
  });
  it("names the line of a malformed field", () => {
    expect(() => parseMeminfo("MemTotal: 1 kB\nSwapFree one kB\n", "x/proc/meminfo")).toThrow(/^x\/proc\/meminfo:2: /);
  });
});

describe("flat-keyed and single-value files", () => {
  it("parseFlatKeyed reads memory.stat / vmstat and rejects duplicates and missing values by line", () => {
    expect(Object.fromEntries(parseFlatKeyed("anon 4096\nzswapped 8192\n", "m"))).toEqual({ anon: 4096, zswapped: 8192 });
    expect(() => parseFlatKeyed("anon 1\nfile 2\nzswapped\n", "g/memory.stat")).toThrow(/^g\/memory\.stat:3: /);
    expect(() => parseFlatKeyed("anon 1\nanon 2\n", "g/memory.stat")).toThrow(/^g\/memory\.stat:2: duplicate "anon"/);
  });
  it("parseLimit: bytes or max", () => {
    expect(parseLimit("max\n", "m")).toBe("max");
    expect(parseLimit("67108864\n", "m")).toBe(67108864);
    expect(() => parseLimit("-1\n", "g/memory.swap.max")).toThrow(/^g\/memory\.swap\.max:1: /);
    expect(() => parseLimit("64M\n", "g/memory.max")).toThrow(/bytes or the word max/);
  });
  it("parseUint rejects two lines and empty files", () => {
    expect(parseUint("5\n", "f")).toBe(5);
    expect(() => parseUint("5\n6\n", "f")).toThrow(/^f:2: /);
    expect(() => parseUint("", "f")).toThrow(/empty file/);
  });
  it("parseYN: Y/N and 1/0", () => {
    expect([parseYN("Y\n", "e"), parseYN("N\n", "e"), parseYN("1\n", "e"), parseYN("0\n", "e")]).toEqual([true, false, true, false]);
    expect(() => parseYN("yes\n", "e")).toThrow(/Y or N/);
  });
});

describe("CPU lists, zram, mounts, /proc/cgroups, swap backing, releases", () => {
  it.each<[string, number]>([["0", 1], ["0-1", 2], ["0-31", 32], ["0,2-5,8", 6]])("parseCpuList(%s) = %i", (t, n) => expect(parseCpuList(t + "\n")).toBe(n));
  it("parseCpuList rejects reversed ranges", () => expect(() => parseCpuList("5-2\n")).toThrow(/ranges low-high/));

  it("parseZramMmStat reads 7 to 9 fields (older kernels print fewer) and rejects fewer", () => {
    const z = parseZramMmStat("6442450944 2147483648 2200000000 0 2300000000 262144 1000 5000\n", "mm_stat");
    expect(z).toMatchObject({ origDataSize: 6442450944, comprDataSize: 2147483648, samePages: 262144, hugePages: 5000 });
    expect(parseZramMmStat("1 2 3 4 5 6 7\n", "m").hugePages).toBeNull();
    expect(() => parseZramMmStat("1 2 3\n", "sys/block/zram0/mm_stat")).toThrow(/^sys\/block\/zram0\/mm_stat:1: 3 fields/);
  });

  it("parseMounts unescapes mount points", () => {
    expect(parseMounts("cgroup2 /sys/fs/cgroup\\040x cgroup2 rw,nosuid 0 0\n")[0]).toEqual({ device: "cgroup2", mountPoint: "/sys/fs/cgroup x", fsType: "cgroup2", options: ["rw", "nosuid"] });
  });

  it("parseProcCgroups reads the memory controller's enabled column", () => {
    const t = "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t0\t12\t1\n";
    expect(parseProcCgroups(t)).toEqual([{ name: "memory", hierarchy: 0, cgroups: 12, enabled: true }]);
    expect(() => parseProcCgroups("memory 0 1 1\n", "proc/cgroups")).toThrow(/^proc\/cgroups:1: /);
  });

  it("parseSwapBacking skips comments and unescapes paths", () => {
    expect(parseSwapBacking("# c\n/var/swap\\040file\t259:2\tnvme0n1\n")).toEqual([{ path: "/var/swap file", devt: "259:2", block: "nvme0n1" }]);
    expect(() => parseSwapBacking("/x 1:2 sda\n", "swapcost/swap-backing")).toThrow(/^swapcost\/swap-backing:1: /);
  });

  it.each<[string, number, number]>([["6.1.0-56-amd64", 6, 1], ["6.12.95+deb12-amd64", 6, 12], ["7.2", 7, 2], ["5.15.0-105-generic", 5, 15]])("parseRelease(%s)", (r, a, b) => {
    expect(parseRelease(r)).toMatchObject({ major: a, minor: b });
  });

  it("escapeOctal/unescapeOctal are inverse", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(unescapeOctal(escapeOctal(s))).toBe(s);
        expect(escapeOctal(s)).not.toMatch(/[ \t\n]/);
      }),
    );
  });
});
