/**
 * Which design models the kernel a host runs: the "current" baseline every other design is compared
 * with on that host. Data: release ranges → registry design, exact or approximate, with the reason.
 * Exact means the registry has a design for that mainline release (Debian's patched kernels count
 * as their mainline release: the swap metadata is upstream's). Approximate means the nearest
 * modelled release, and the reason says what is not tracked.
 */
import { SwapcostInputError } from "../errors.js";
import { derived, k, mail, type Source } from "../kernel/sources.js";
import { parseRelease } from "./parse.js";

export interface ReleaseRule {
  /** Inclusive [major, minor] bounds. */
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
  readonly design: string;
  readonly match: "exact" | "approximate";
  readonly why: string;
  readonly sources: readonly Source[];
}

const NEAREST_BELOW = "nearest modelled mainline release at or below it; swap changes in between are not tracked";

export const RELEASE_RULES: readonly ReleaseRule[] = [
  { from: [0, 0], to: [6, 0], design: "linux-6.1", match: "approximate", why: "older than every modelled release; 6.1 is the oldest modelled", sources: [derived("registry: linux-6.1 is the oldest mainline design")] },
  { from: [6, 1], to: [6, 1], design: "linux-6.1", match: "exact", why: "6.1 is modelled", sources: [k("6.1", "mm/swapfile.c", "2995", "SYSCALL_DEFINE2(swapon)")] },
  { from: [6, 2], to: [6, 5], design: "linux-6.1", match: "approximate", why: `${NEAREST_BELOW} (frontswap is still present before 6.6)`, sources: [derived("registry: linux-6.1 and linux-6.6 are the modelled releases around it")] },
  { from: [6, 6], to: [6, 6], design: "linux-6.6", match: "exact", why: "6.6 is modelled", sources: [k("6.6", "mm/swapfile.c", undefined, "SYSCALL_DEFINE2(swapon)")] },
  { from: [6, 7], to: [6, 11], design: "linux-6.6", match: "approximate", why: `${NEAREST_BELOW} (the per-device zswap rb-tree becomes xarrays and the zeromap arrives by 6.12)`, sources: [derived("registry: linux-6.6 and linux-6.12 are the modelled releases around it")] },
  { from: [6, 12], to: [6, 12], design: "linux-6.12", match: "exact", why: "6.12 is modelled", sources: [k("6.12", "mm/swapfile.c", "3371", "SYSCALL_DEFINE2(swapon)")] },
  { from: [6, 13], to: [6, 17], design: "linux-6.12", match: "approximate", why: NEAREST_BELOW, sources: [derived("registry: linux-6.12 and linux-6.19 are the modelled releases around it")] },
  {
    from: [6, 18],
    to: [6, 18],
    design: "linux-6.19",
    match: "approximate",
    why: "6.18 carries swap table phase I (the swap table replaces the swap-cache xarray); linux-6.19 models phases I+II together, so phase II's changes are attributed to 6.18 too",
    sources: [
      mail("https://lore.kernel.org/all/20250910160833.3464-1-ryncsn@gmail.com/", "Kairui Song", "2025-09-10", "swap table phase I"),
      derived("merged for 6.18 per LWN's summary 'Modernizing swapping: introducing the swap table' (mirror https://diginews.johandenoyer.fr/article.php?id=12778)"),
    ],
  },
  { from: [6, 19], to: [6, 19], design: "linux-6.19", match: "exact", why: "6.19 is modelled", sources: [k("6.19", "mm/swapfile.c", "3392", "SYSCALL_DEFINE2(swapon)")] },
  { from: [6, 20], to: [7, 0], design: "linux-6.19", match: "approximate", why: NEAREST_BELOW, sources: [derived("registry: linux-6.19 and linux-7.1 are the modelled releases around it")] },
  { from: [7, 1], to: [7, 1], design: "linux-7.1", match: "exact", why: "7.1 is modelled", sources: [k("7.1", "mm/swapfile.c", "3433", "SYSCALL_DEFINE2(swapon)")] },
  { from: [7, 2], to: [7, 2], design: "swap-table-p4", match: "exact", why: "7.2 merged swap table phase IV", sources: [k("deb-7.2", "mm/swapfile.c", "3348", "swapon in 7.2")] },
  { from: [7, 3], to: [999, 999], design: "swap-table-p4", match: "approximate", why: "newer than every modelled release; 7.2 (swap table phase IV) is the newest modelled", sources: [derived("registry: swap-table-p4 = 7.2 is the newest mainline design")] },
];

export interface Baseline {
  readonly release: string;
  readonly version: string;
  readonly design: string;
  readonly match: "exact" | "approximate" | "chosen";
  readonly why: string;
  readonly sources: readonly Source[];
}

const cmp = (a: readonly [number, number], b: readonly [number, number]) => a[0] - b[0] || a[1] - b[1];

/** The baseline design for a kernel release (`6.1.0-56-amd64`, `6.12.95+deb12-amd64`). */
export function baselineForRelease(release: string, file?: string): Baseline {
  const v = parseRelease(release, file);
  const mm: [number, number] = [v.major, v.minor];
  const rule = RELEASE_RULES.find((r) => cmp(mm, r.from) >= 0 && cmp(mm, r.to) <= 0);
  if (!rule) throw new SwapcostInputError("kernel release", release, "a release the mapping covers");
  return { release, version: `${v.major}.${v.minor}`, design: rule.design, match: rule.match, why: `${v.major}.${v.minor}: ${rule.why}`, sources: rule.sources };
}
