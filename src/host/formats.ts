/**
 * Where the format of every host file the snapshot reads is defined: the kernel code that prints
 * it, or the Documentation/ file that specifies it. Plain data, printed in reports and mail
 * footnotes next to the values read from the file.
 */
import { k, type Source } from "../kernel/sources.js";
import { ZBUD_REMOVED } from "../models/zpool.js";

export type HostFileKind =
  | "swaps"
  | "meminfo"
  | "vmstat"
  | "osrelease"
  | "cpuPossible"
  | "mounts"
  | "cgroups"
  | "cmdline"
  | "zswapParams"
  | "zswapDebug"
  | "zramDisksize"
  | "zramMmStat"
  | "rotational"
  | "cgroupSingle"
  | "cgroupLimit"
  | "cgroupStat"
  | "cgroupBool"
  | "swapBacking"
  | "mmSummary";

export const HOST_FORMATS: Readonly<Record<HostFileKind, { readonly what: string; readonly sources: readonly Source[] }>> = {
  swaps: {
    what: "/proc/swaps: header line, then one line per device: path (octal-escaped), partition|file, size and used in kB, priority",
    sources: [
      k("deb-6.1", "mm/swapfile.c", "2643-2668", "swap_show(): Size = si->pages, Used = si->inuse_pages, in kB; seq_file_path() escapes \" \\t\\n\\\\\""),
      k("deb-6.12", "mm/swapfile.c", "2985-3010", "swap_show()"),
      k("deb-6.1", "mm/swapfile.c", "2928, 2960", "si->pages = maxpages - 1 (header page) - bad pages: Size excludes the header page"),
    ],
  },
  meminfo: {
    what: "/proc/meminfo: `Name:  value kB` lines (SwapTotal, SwapFree, SwapCached, Zswap = pool size, Zswapped = original size of stored pages)",
    sources: [
      k("deb-6.1", "Documentation/filesystems/proc.rst", "1034-1068", "SwapCached, SwapTotal, SwapFree, Zswap, Zswapped"),
      k("deb-6.1", "fs/proc/meminfo.c", "63, 87-94", "Zswapped = zswap_stored_pages << (PAGE_SHIFT - 10)"),
      k("deb-6.12", "fs/proc/meminfo.c", "65, 89-94"),
    ],
  },
  vmstat: {
    what: "/proc/vmstat: `name value` lines of event counters since boot (pswpin, pswpout, zswpin, zswpout, zswpwb, swpin_zero, swpout_zero)",
    sources: [
      k("deb-6.1", "mm/vmstat.c", "1254-1255, 1392-1393", "vmstat_text: pswpin/pswpout, zswpin/zswpout"),
      k("deb-6.12", "mm/vmstat.c", "1288-1289, 1420-1421, 1430-1432", "vmstat_text: swpin_zero/swpout_zero, zswpin/zswpout/zswpwb"),
    ],
  },
  osrelease: { what: "/proc/sys/kernel/osrelease: the kernel release (uname -r)", sources: [k("deb-6.1", "Documentation/admin-guide/sysctl/kernel.rst", "679-690", "osrelease, ostype & version")] },
  cpuPossible: {
    what: "/sys/devices/system/cpu/possible: CPU ranges such as 0-31 (per-CPU allocations are made for every possible CPU)",
    sources: [k("deb-6.1", "Documentation/admin-guide/cputopology.rst", "68-69", "possible: CPUs that have been allocated resources")],
  },
  mounts: { what: "/proc/self/mounts: device, mount point (octal-escaped), type, options, 0 0", sources: [k("deb-6.1", "fs/proc_namespace.c", "101-130", "show_vfsmnt(): mangle()d device and mount point, show_type()")] },
  cgroups: {
    what: "/proc/cgroups: `#subsys_name hierarchy num_cgroups enabled`, one line per controller",
    sources: [k("deb-6.1", "kernel/cgroup/cgroup-v1.c", "667-672", "proc_cgroupstats_show()")],
  },
  cmdline: {
    what: "/proc/cmdline: the boot command line (cgroup_disable=memory, swapaccount=, zswap.*)",
    sources: [k("deb-6.1", "Documentation/admin-guide/kernel-parameters.txt", "532-544", "cgroup_disable=")],
  },
  zswapParams: {
    what: "/sys/module/zswap/parameters/*: enabled (Y/N), compressor, zpool (absent once zswap calls zsmalloc directly), max_pool_percent, ...",
    sources: [k("deb-6.1", "mm/zswap.c", "92-135", "module_param_cb(enabled|compressor|zpool), module_param_named(...)"), k("deb-6.12", "mm/zswap.c", "92-128"), ZBUD_REMOVED],
  },
  zswapDebug: {
    what: "/sys/kernel/debug/zswap/*: one integer per file; stored_pages (includes same-filled pages on 6.1), same_filled_pages (6.1), pool_total_size (bytes), written_back_pages (since boot)",
    sources: [
      k("deb-6.1", "mm/zswap.c", "1459-1486", "zswap_debugfs_init()"),
      k("deb-6.1", "mm/zswap.c", "1177-1187, 1281", "same-filled pages are zswap entries and count in stored_pages"),
      k("deb-6.12", "mm/zswap.c", "1709-1728", "zswap_debugfs_init(): no same_filled_pages (zero pages go to the zeromap before zswap)"),
    ],
  },
  zramDisksize: {
    what: "/sys/block/zram<id>/disksize: the device size in bytes (0 = not initialised)",
    sources: [k("deb-6.1", "Documentation/ABI/testing/sysfs-block-zram", "1-8", "/sys/block/zram<id>/disksize"), k("deb-6.1", "Documentation/admin-guide/blockdev/zram.rst", "118-127")],
  },
  zramMmStat: {
    what: "/sys/block/zram<id>/mm_stat: orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted huge_pages [huge_pages_since]",
    sources: [k("deb-6.1", "Documentation/admin-guide/blockdev/zram.rst", "247-270", "mm_stat"), k("deb-6.12", "Documentation/admin-guide/blockdev/zram.rst", "274")],
  },
  rotational: {
    what: "/sys/block/<disk>/queue/rotational: 1 = rotational (HDD), 0 = non-rotational (SSD)",
    sources: [k("deb-6.1", "Documentation/ABI/stable/sysfs-block", "541-546", "/sys/block/<disk>/queue/rotational")],
  },
  cgroupSingle: {
    what: "memory.current, memory.swap.current, memory.zswap.current: one integer (bytes), on non-root cgroups",
    sources: [
      k("deb-6.1", "Documentation/admin-guide/cgroup-v2.rst", "1153-1158, 1553-1558, 1608-1613", "memory.current, memory.swap.current, memory.zswap.current"),
      k("deb-6.12", "Documentation/admin-guide/cgroup-v2.rst", "1226, 1683, 1748"),
    ],
  },
  cgroupLimit: {
    what: "memory.max, memory.swap.max, memory.zswap.max: bytes or the word max (no limit)",
    sources: [k("deb-6.1", "Documentation/admin-guide/cgroup-v2.rst", "1221, 1576-1581, 1615-1621", "memory.max, memory.swap.max, memory.zswap.max"), k("deb-6.12", "Documentation/admin-guide/cgroup-v2.rst", "1296, 1716, 1755")],
  },
  cgroupStat: {
    what: "memory.stat: flat-keyed `name value` lines (bytes or event counts): zswap = compressed bytes, zswapped = original bytes in zswap, swapcached, swpout_zero/swpin_zero and zswpwb (events)",
    sources: [
      k("deb-6.1", "Documentation/admin-guide/cgroup-v2.rst", "1345, 1400-1405, 1417", "memory.stat: zswap, zswapped, swapcached"),
      k("deb-6.12", "Documentation/admin-guide/cgroup-v2.rst", "1423, 1478-1483, 1495, 1602-1610, 1617", "memory.stat: zswap, zswapped, swapcached, swpin_zero, swpout_zero, zswpwb"),
    ],
  },
  cgroupBool: {
    what: "memory.zswap.writeback: 0 or 1 (6.8+)",
    sources: [k("deb-6.12", "Documentation/admin-guide/cgroup-v2.rst", "1763", "memory.zswap.writeback")],
  },
  swapBacking: {
    what: "swapcost/swap-backing (written by swapcost, not a kernel file): `<octal-escaped swap path>\\t<major:minor>\\t<block device>` for swap files, from stat(2) and /sys/dev/block",
    sources: [k("deb-6.1", "Documentation/ABI/testing/sysfs-dev", "1-19", "/sys/dev/block/<major>:<minor> links, looked up from stat(2)")],
  },
  mmSummary: {
    what: "swapcost/mm-summary (written by swapcost, not a kernel file): `name value` sums over every /proc/<pid>/status: processes, swapping_processes (VmSwap > 0), vmswap_kb, vmpte_kb_swapping, vmpte_kb_all",
    sources: [
      k("deb-6.1", "Documentation/filesystems/proc.rst", "273-274", "VmPTE: size of page table entries; VmSwap: swap used by anonymous private data"),
      k("deb-6.1", "fs/proc/task_mmu.c", "75-76", "VmPTE = mm_pgtables_bytes(mm) >> 10 (page tables of every level)"),
    ],
  },
};
