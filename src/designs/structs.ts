/**
 * Field lists of the per-entry descriptors the thread argues about, with their sources, for the
 * struct-layout model (../kernel/struct-layout.ts). The overhead registry uses their sizes as
 * numbers; a test keeps the two in agreement.
 */
import { derived, kCited as k, mail, type Source } from "../kernel/sources.js";
import type { CField } from "../kernel/struct-layout.js";

export interface StructDef {
  readonly id: string;
  readonly name: string;
  readonly fields: readonly CField[];
  readonly sources: readonly Source[];
}

const V3 = mail("https://lore.kernel.org/all/20260208215839.87595-1-nphamcs@gmail.com/", "Nhat Pham", "2026-02-08", "pahole: size: 24 ... bit_padding: 13 bits");
const RFC_V1_P6 = mail("https://lore.kernel.org/all/20250407234223.1059191-7-nphamcs@gmail.com/", "Nhat Pham", "2025-04-07", "struct swp_desc");
const RFC_V2 = mail("https://lore.kernel.org/all/20250429233848.3093350-1-nphamcs@gmail.com/", "Nhat Pham", "2025-04-29", "a single atomic swap_refs (Suggested by Yosry Ahmed)");

export const STRUCTS: Readonly<Record<string, StructDef>> = {
  "swp_desc-v3": {
    id: "swp_desc-v3",
    name: "struct swp_desc (vswap v3-v6)",
    fields: [
      { name: "slot | zswap_entry", type: "ptr" },
      { name: "swap_cache | shadow", type: "ptr" },
      { name: "swap_count", type: "u32" },
      { name: "memcgid", type: "u16", bits: 16 },
      { name: "in_swapcache", type: "bool", bits: 1 },
      { name: "type", type: "enum", bits: 2 },
    ],
    sources: [k("vswap", "mm/vswap.c", "98-115", "struct swp_desc"), V3],
  },
  "swp_desc-rfc-v1": {
    id: "swp_desc-rfc-v1",
    name: "struct swp_desc (vswap RFC v1)",
    fields: [
      { name: "vswap", type: "swp_entry_t" },
      { name: "slot | zswap_entry | folio", type: "ptr" },
      { name: "rcu", type: "rcu_head" },
      { name: "lock", type: "rwlock_t" },
      { name: "type", type: "enum" },
      { name: "memcgid", type: "int" },
      { name: "in_swapcache", type: "int" },
      { name: "refcnt", type: "kref" },
      { name: "swap_count", type: "atomic_t" },
    ],
    sources: [RFC_V1_P6, derived("field sizes as read from RFC v1 patch 6: 8 + 8 + 16 + 8 + 4 + 4 + 4 + 4 + 4 = 60 bytes of members")],
  },
  "swp_desc-rfc-v2": {
    id: "swp_desc-rfc-v2",
    name: "struct swp_desc (vswap RFC v2)",
    fields: [
      { name: "slot | zswap_entry | folio", type: "ptr" },
      { name: "rcu", type: "rcu_head" },
      { name: "lock", type: "rwlock_t" },
      { name: "type", type: "enum" },
      { name: "memcgid", type: "int" },
      { name: "swap_refs", type: "atomic_t" },
    ],
    sources: [RFC_V2, derived("RFC v1's descriptor with vswap, in_swapcache, kref and swap_count folded into one atomic swap_refs: 8 + 16 + 8 + 4 + 4 + 4 = 44 bytes of members")],
  },
};

export function structDef(id: string): StructDef | undefined {
  return STRUCTS[id];
}
