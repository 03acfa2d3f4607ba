/**
 * Provenance as data. Every number the kit uses carries one or more `Source`s so tables and
 * figures can print where it comes from: a kernel file and line in a named tree, a mail on
 * lore/LKML, or a documented derivation from those.
 */

/** A kernel tree whose line numbers the citations refer to. */
export interface KernelTree {
  readonly label: string;
  readonly describe: string;
  readonly repo: string;
  readonly commit: string;
}

/**
 * The exact trees the line numbers below were read from (x86_64, 4 KiB pages). A citation such as
 * `6.1 mm/swapfile.c:3083` means line 3083 of mm/swapfile.c in the tree labelled `6.1`.
 */
export const KERNEL_TREES: Readonly<Record<string, KernelTree>> = {
  "6.1": { label: "6.1", describe: "v6.1.141 (Debian 12 ships 6.1.x)", repo: "markbirss/linux-6.1.141", commit: "594c96ad0a7adaaecd4fb5111410e00014dea0cc" },
  "6.6": { label: "6.6", describe: "v6.6.87", repo: "Yunbaby8/linux-6.6.87-lab", commit: "7fe0c4ed50354d257622045edbaf6a2962e3b6b0" },
  "6.12": { label: "6.12", describe: "v6.12.0", repo: "shilei-massclouds/linux-6.12", commit: "e02d6450498dcbe4455f9447ffead6d8f4edc38c" },
  "6.19": { label: "6.19", describe: "v6.19.0 (swap table phase I+II)", repo: "matankalina/linux-6.19.10-fork", commit: "483059de9f9396c5ccd4bbf3731d3a3d7e5b1089" },
  "7.1": { label: "7.1", describe: "v7.1.5 (swap_map removed, count in the swap table)", repo: "danayer/linux-7.1.5", commit: "9d1745cf8134cb84ec6b15a755a194f6dd32dc08" },
  vswap: { label: "vswap", describe: "0-day CI branch carrying Nhat Pham's Virtual Swap Space series (2026)", repo: "intel-lab-lkp/linux", commit: "03fb548d59749312f06692580cd097b047864574" },
  "mm-dev": { label: "mm-dev", describe: "mm development tree with swap-table phase IV (memcg table, zero flag inline)", repo: "linux-mm/linux-mm", commit: "0822e81d046305d063427cc58b95869db365c00f" },
  "deb-6.1": { label: "deb-6.1", describe: "Debian linux-source-6.1 6.1.192-2 (the kernel Debian 12 boots; sizes checked with pahole on its BTF)", repo: "debian:linux", commit: "6.1.192-2" },
  "deb-6.12": { label: "deb-6.12", describe: "Debian linux-source-6.12 6.12.95-1~bpo12+1 (bookworm-backports; sizes checked with pahole on its BTF)", repo: "debian:linux", commit: "6.12.95-1~bpo12+1" },
  "deb-7.2": { label: "deb-7.2", describe: "Debian linux-source-7.2 7.2.13-1 (sid): swap table phase IV merged", repo: "debian:linux", commit: "7.2.13-1" },
};

export type Source =
  | {
      /** A line range in a kernel tree of KERNEL_TREES. */
      readonly kind: "kernel";
      readonly tree: string;
      readonly file: string;
      readonly lines?: string;
      readonly symbol?: string;
      readonly note?: string;
    }
  | {
      /** A message on lore.kernel.org / LKML mirrors. */
      readonly kind: "mail";
      readonly url: string;
      readonly who: string;
      readonly date: string;
      readonly quote?: string;
      readonly note?: string;
    }
  | {
      /** Arithmetic or reasoning from other sources (struct field sums and the like). */
      readonly kind: "derived";
      readonly note: string;
    };

export function k(tree: string, file: string, lines?: string, symbol?: string, note?: string): Source {
  return { kind: "kernel", tree, file, lines: lines || undefined, symbol, note };
}

/**
 * The note a kernel citation carries when it has no line: the file of that exact tree could not be
 * read to verify one (the trees of KERNEL_TREES are not all in the code index this kit was checked
 * against), so the symbol is the locator. A guessed line number is worse than none.
 */
export const LINE_NOT_VERIFIED = "line not verified: the file of this exact tree could not be read when this citation was checked; the symbol locates it";

/**
 * `k` for the registry, constants and allocators: a citation without `lines` says so in its note
 * (LINE_NOT_VERIFIED, before any other note) instead of silently lacking one.
 */
export function kCited(tree: string, file: string, lines?: string, symbol?: string, note?: string): Source {
  if (lines) return k(tree, file, lines, symbol, note);
  return k(tree, file, undefined, symbol, note ? `${LINE_NOT_VERIFIED}. ${note}` : LINE_NOT_VERIFIED);
}

export function mail(url: string, who: string, date: string, quote?: string, note?: string): Source {
  return { kind: "mail", url, who, date, quote, note };
}

export function derived(note: string): Source {
  return { kind: "derived", note };
}

/** One-line citation: `6.1 mm/swapfile.c:3083`, a URL, or `derived: …`. */
export function citeSource(s: Source): string {
  switch (s.kind) {
    case "kernel": {
      const where = s.lines ? `${s.file}:${s.lines}` : s.file;
      const sym = s.symbol ? ` ${s.symbol}` : "";
      return `${s.tree} ${where}${sym}`;
    }
    case "mail":
      return `${s.url} (${s.who}, ${s.date})`;
    case "derived":
      return `derived: ${s.note}`;
  }
}

/** A browsable URL for a kernel citation, when the tree is known. */
export function sourceUrl(s: Source): string | undefined {
  if (s.kind === "mail") return s.url;
  if (s.kind !== "kernel") return undefined;
  const tree = KERNEL_TREES[s.tree];
  if (!tree) return undefined;
  const first = s.lines ? s.lines.split(/[-,]/)[0].trim() : undefined;
  if (tree.repo === "debian:linux") return `https://sources.debian.org/src/linux/${tree.commit}/${s.file}/${first ? `#L${first}` : ""}`;
  return `https://github.com/${tree.repo}/blob/${tree.commit}/${s.file}${first ? `#L${first}` : ""}`;
}

export function citeAll(sources: readonly Source[]): string {
  return sources.map(citeSource).join("; ");
}
