import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CGROUP_FILES, FIXED_FILES, isSnapshotPath } from "../../src/host/layout.js";
import { devt, readLiveHost, readSnapshotDir, REDACTIONS, writeCapture } from "../../src/host/reader.js";
import { buildSnapshot } from "../../src/host/snapshot.js";

/** Every file under dir with its mtime and sha256 (to prove a read wrote nothing). */
function census(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(p, `${statSync(p).mtimeMs} ${createHash("sha256").update(readFileSync(p)).digest("hex")}`);
      else if (e.isSymbolicLink()) out.set(p, "link");
    }
  };
  walk(dir);
  return out;
}

describe("devt: Linux dev_t → major:minor", () => {
  it.each<[number, string]>([
    [0x802, "8:2"],
    [(259 << 8) | 2, "259:2"],
    [0x2c | (8 << 8) | (0x100 << 12), "8:300"],
    [0xfd00, "253:0"],
  ])("%i → %s", (d, s) => expect(devt(d)).toBe(s));
});

describe("readLiveHost on a host tree (a fake root laid out like /proc and /sys)", () => {
  let root: string;
  let swapDevt: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "swapcost-root-"));
    const w = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    w("proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swap\\040file                              file\t\t1048572\t\t4096\t\t-2\n");
    w("swap file", "not really swap");
    w("proc/meminfo", "MemTotal:  1000 kB\nSwapCached:  0 kB\n");
    w("proc/sys/kernel/osrelease", "6.12.95+deb12-amd64\n");
    w("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=UUID=secret quiet cgroup_disable=memory zswap.enabled=1\n");
    w("proc/version", "Linux version 6.12.95+deb12-amd64 (debian-kernel@lists.debian.org) (gcc 12.2.0) #1 SMP\n");
    w("proc/self/mounts", "/dev/vda / ext4 rw 0 0\ncgroup2 /cg cgroup2 rw,nosuid 0 0\nnfs:/home /home nfs rw 0 0\n");
    w("sys/devices/system/cpu/possible", "0-3\n");
    w("sys/module/zswap/parameters/enabled", "Y\n");
    w("sys/module/zswap/parameters/zpool", "zsmalloc\n");
    w("sys/kernel/debug/zswap/stored_pages", "512\n");
    w("sys/block/fakedisk/queue/rotational", "1\n");
    w("sys/block/zram0/disksize", "0\n");
    w("sys/block/zram0/mm_stat", "0 0 0 0 0 0 0 0 0\n");
    w("sys/block/zram0/comp_algorithm", "[lzo-rle] lz4\n");
    w("sys/devices/virtual/block/fakedisk/fakedisk1/partition", "1\n");
    w("cg/cgroup.controllers", "cpu memory\n");
    w("cg/memory.stat", "anon 1\n");
    w("cg/cgroup.procs", "1\n");
    w("cg/app/memory.current", "8192\n");
    w("cg/app/memory.swap.current", "4096\n");
    w("cg/app/memory.swap.max", "max\n");
    w("cg/app/memory.reclaim", "");
    w("cg/app/memory.stat", "anon 4096\nzswapped 0\n");
    w("cg/app/child/memory.current", "4096\n");
    // the block device under the swap file: /sys/dev/block/<major:minor of the file's st_dev>
    swapDevt = devt(statSync(path.join(root, "swap file")).dev);
    mkdirSync(path.join(root, "sys/dev/block"), { recursive: true });
    symlinkSync("../../devices/virtual/block/fakedisk/fakedisk1", path.join(root, "sys/dev/block", swapDevt));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads the listed files, every cgroup's memory files, and resolves the swap file to its disk", () => {
    const before = census(root);
    const fs = readLiveHost({ root });
    expect(census(root)).toEqual(before); // nothing written, nothing touched
    expect([...fs.files.keys()].sort()).toEqual(
      [
        "cg/app/child/memory.current",
        "cg/app/memory.current",
        "cg/app/memory.stat",
        "cg/app/memory.swap.current",
        "cg/app/memory.swap.max",
        "cg/cgroup.controllers",
        "cg/memory.stat",
        "proc/cmdline",
        "proc/meminfo",
        "proc/self/mounts",
        "proc/swaps",
        "proc/sys/kernel/osrelease",
        "proc/version",
        "swapcost/swap-backing",
        "sys/block/fakedisk/queue/rotational",
        "sys/block/zram0/disksize",
        "sys/block/zram0/mm_stat",
        "sys/devices/system/cpu/possible",
        "sys/kernel/debug/zswap/stored_pages",
        "sys/module/zswap/parameters/enabled",
        "sys/module/zswap/parameters/zpool",
      ].sort(),
    );
    expect(fs.files.get("swapcost/swap-backing")).toContain(`/swap\\040file\t${swapDevt}\tfakedisk`);
    const s = buildSnapshot(fs);
    expect(s.swaps![0]).toMatchObject({ path: "/swap file", type: "file", block: "fakedisk", kind: "hdd" });
    expect(s.cgroups.groups.map((g) => g.path)).toEqual(["/", "/app", "/app/child"]);
    expect(s.memcgEnabled).toBe(false); // cgroup_disable=memory on the command line, no /proc/cgroups
  });

  it("never reads write-only knobs or files outside the layout (memory.reclaim, cgroup.procs, comp_algorithm)", () => {
    const fs = readLiveHost({ root });
    for (const p of fs.files.keys()) expect(isSnapshotPath(p), p).toBe(true);
    expect([...fs.files.keys()].some((p) => /memory\.reclaim|cgroup\.procs|comp_algorithm/.test(p))).toBe(false);
  });

  it("capture → snapshot round trip: the same files (filtered ones as the manifest says), hashes verified", () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "swapcost-cap-")), "snap");
    const fs = readLiveHost({ root });
    const m = writeCapture(out, fs, { note: "test", now: "2026-01-01T00:00:00.000Z" });
    expect(m).toMatchObject({ format: "swapcost-host-snapshot/1", kernelRelease: "6.12.95+deb12-amd64", capturedAt: "2026-01-01T00:00:00.000Z", note: "test" });
    expect(m.generated.map((g) => g.path)).toEqual(["swapcost/swap-backing"]);
    expect(m.redacted!.map((r) => r.path).sort()).toEqual(REDACTIONS.map((r) => r.path).sort());
    const back = readSnapshotDir(out);
    for (const [p, t] of fs.files) {
      const r = REDACTIONS.find((x) => x.path === p);
      expect(back.files.get(p), p).toBe(r ? r.filter(t) : t);
    }
    expect(back.files.get("proc/cmdline")).toBe("cgroup_disable=memory zswap.enabled=1\n");
    expect(back.files.get("proc/version")).toBe("Linux version 6.12.95+deb12-amd64\n");
    expect(back.files.get("proc/self/mounts")).toBe("cgroup2 /cg cgroup2 rw,nosuid 0 0\n");
    // the analysis of the saved snapshot equals the analysis of the live tree
    const a = buildSnapshot(back);
    const b = buildSnapshot(fs);
    const same = (x: typeof a) => ({ ...x, origin: "", manifest: null, cmdline: null, kernel: { ...x.kernel, version: null } });
    expect(same(a)).toEqual(same(b));
  });

  it("--no-redact keeps every file whole", () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "swapcost-cap-")), "snap");
    const fs = readLiveHost({ root });
    writeCapture(out, fs, { noRedact: true });
    expect(readSnapshotDir(out).files.get("proc/cmdline")).toBe(fs.files.get("proc/cmdline"));
  });

  it("a capture never overwrites and never writes under /proc, /sys or /dev", () => {
    const fs = readLiveHost({ root });
    expect(() => writeCapture(root, fs)).toThrow(/--capture: not empty \(a capture never overwrites\)/);
    expect(() => writeCapture("/proc/swapcost-test", fs)).toThrow(/a directory outside \/proc, \/sys and \/dev/);
    expect(() => writeCapture("/sys/x", fs)).toThrow(/outside \/proc/);
  });
});

describe("readSnapshotDir", () => {
  it("an edited file is refused, naming it and the manifest", () => {
    expect(() => readSnapshotDir("test/fixtures/hosts/tampered")).toThrow(/tampered\/proc\/swaps:1: the file changed after capture .* as recorded in test\/fixtures\/hosts\/tampered\/manifest\.json/);
  });
  it("a directory without a manifest is read by layout; stray files are ignored", () => {
    const fs = readSnapshotDir("test/fixtures/hosts/two-devices");
    expect(fs.manifest).toBeUndefined();
    expect(fs.files.has("proc/swaps")).toBe(true);
  });
  it("a missing or empty directory is an input error", () => {
    expect(() => readSnapshotDir("test/fixtures/hosts/nope")).toThrow(/^--snapshot: ENOENT; got "test\/fixtures\/hosts\/nope"/);
    const empty = mkdtempSync(path.join(os.tmpdir(), "swapcost-empty-"));
    expect(() => readSnapshotDir(empty)).toThrow(/no snapshot files found/);
  });
  it("a malformed manifest is an error with its line", () => {
    const d = mkdtempSync(path.join(os.tmpdir(), "swapcost-man-"));
    writeFileSync(path.join(d, "manifest.json"), '{\n  "format": "swapcost-host-snapshot/1"\n  "files": []\n}\n');
    expect(() => readSnapshotDir(d)).toThrow(/manifest\.json:3: .*expected valid JSON/);
  });
});

describe("the live host (this machine)", () => {
  it("reads without error and builds a snapshot; every path read belongs to the layout", () => {
    const fs = readLiveHost();
    expect(fs.origin).toBe("/");
    for (const p of fs.files.keys()) expect(isSnapshotPath(p), p).toBe(true);
    const s = buildSnapshot(fs);
    expect(s.kernel.release).toBe(readFileSync("/proc/sys/kernel/osrelease", "utf8").trim());
  });
});

describe("the kernel-lab guest script copies exactly the layout's files", () => {
  const script = readFileSync("lab/guest/t_snapshot.sh", "utf8");
  it.each([...FIXED_FILES, ...CGROUP_FILES, "sys/fs/cgroup/cgroup.controllers", "/sys/module/zswap/parameters/*", "/sys/kernel/debug/zswap/*", "queue/rotational", "disksize", "mm_stat"])("mentions %s", (f) => {
    expect(script).toContain(f);
  });
});
