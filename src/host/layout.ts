/**
 * What a host snapshot holds: the kernel files swapcost reads, by path relative to the root of the
 * host (`proc/swaps` is /proc/swaps). A capture saves exactly these paths under the user's
 * directory, so a saved snapshot has the same relative layout as the live host. Plain data shared
 * by the reader (live host), the capture, the kernel-lab guest script and the tests.
 */

/** Read on every host (absent ones are recorded as absent, not as errors). */
export const FIXED_FILES: readonly string[] = [
  "proc/swaps",
  "proc/meminfo",
  "proc/vmstat",
  "proc/sys/kernel/osrelease",
  "proc/version",
  "proc/cmdline",
  "proc/cgroups",
  "proc/self/mounts",
  "sys/devices/system/cpu/possible",
];

/** Every file of these directories (one value per file). */
export const ZSWAP_PARAMS_DIR = "sys/module/zswap/parameters";
export const ZSWAP_DEBUG_DIR = "sys/kernel/debug/zswap";

/** Per block device: zram devices' size and statistics, every device's rotational flag. */
export const BLOCK_DIR = "sys/block";
export const ZRAM_FILES: readonly string[] = ["disksize", "mm_stat"];
export const ROTATIONAL_FILE = "queue/rotational";

/** Per cgroup v2 group (every directory of the cgroup2 mount, the root included). */
export const CGROUP_FILES: readonly string[] = [
  "memory.current",
  "memory.swap.current",
  "memory.zswap.current",
  "memory.stat",
  "memory.max",
  "memory.swap.max",
  "memory.zswap.max",
  "memory.zswap.writeback",
];
/** At the cgroup2 mount's root only: which controllers the v2 hierarchy has. */
export const CGROUP_ROOT_FILES: readonly string[] = ["cgroup.controllers"];

/** Written by swapcost (not a kernel file): the block device behind each swap device or file. */
export const SWAP_BACKING_FILE = "swapcost/swap-backing";
/**
 * Written by swapcost (not a kernel file): counts summed over every /proc/<pid>/status (VmSwap,
 * VmPTE) — how many processes hold swap now and their page tables, for the swapoff model. Counts
 * only: no process names or ids are saved.
 */
export const MM_SUMMARY_FILE = "swapcost/mm-summary";

/** The capture's manifest, at the root of a saved snapshot. */
export const MANIFEST_FILE = "manifest.json";
export const MANIFEST_FORMAT = "swapcost-host-snapshot/1";

/** Does a relative path belong in a snapshot? (Used to refuse stray files when reading a directory.) */
export function isSnapshotPath(rel: string): boolean {
  if (FIXED_FILES.includes(rel) || rel === SWAP_BACKING_FILE || rel === MM_SUMMARY_FILE) return true;
  if (rel.startsWith(ZSWAP_PARAMS_DIR + "/") || rel.startsWith(ZSWAP_DEBUG_DIR + "/")) return !rel.slice(rel.lastIndexOf("/") + 1).includes("/");
  const blk = new RegExp(`^${BLOCK_DIR}/[^/]+/(${[...ZRAM_FILES, ROTATIONAL_FILE].map((f) => f.replace(/[./]/g, (c) => "\\" + c)).join("|")})$`);
  if (blk.test(rel)) return true;
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  return CGROUP_FILES.includes(base) || CGROUP_ROOT_FILES.includes(base);
}
