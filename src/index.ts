/**
 * swapcost's public API: explicit named re-exports only.
 */
export { KIT_NAME, KIT_VERSION } from "./version.js";
export { SwapcostInputError, SwapcostInvariantError, isInputError } from "./errors.js";
export { GiB, KiB, MiB, PiB, TiB, bytes, bytesToMiB, bytesToSlots, formatBytes, formatSizeExact, parseSize, slots, slotsToBytes } from "./units/bytes.js";
export type { Bytes, Slots } from "./units/bytes.js";
export { apportion, formatPercent, parseShare, share } from "./units/share.js";
export type { Share } from "./units/share.js";
export { KERNEL_TREES, citeAll, citeSource, sourceUrl } from "./kernel/sources.js";
export type { KernelTree, Source } from "./kernel/sources.js";
export { allDesigns, designIds, findSpec, resolveDesign, DESIGN_SPECS } from "./designs/registry.js";
export { parseDesignJson, validateDesign } from "./designs/validate.js";
export { DEVICE_KINDS, ENTRY_KINDS, ruleClass } from "./designs/types.js";
export type { Design, DesignSpec, DeviceKind, EntryKind, EntryWeights, Layer, LetterRule, SizeRule, Structure } from "./designs/types.js";
export { chunkUse, describeOccupancy, parseOccupancy, xarrayNodes } from "./models/occupancy.js";
export type { Occupancy } from "./models/occupancy.js";
export { granularityOf, netAgainst, overhead, replacesMap, usedEntries } from "./models/overhead.js";
export type { Accounting, NetResult, NetRow, OverheadInput, OverheadResult, OverheadRow, ReconciliationRow, Totals, Usage } from "./models/overhead.js";
export { BACKENDS, inputOf, mixLabel, mixOfBackend, parseMix, resolveDevice, usageOf } from "./models/scenario.js";
export type { Backend, DeviceChoice, Mix, Scenario } from "./models/scenario.js";
export { breakEven, canRun, sweepOverhead, sweepStructures } from "./sweep/overhead-sweep.js";
export type { OverheadSweepRow, StructureSweepRow, SweepGrid } from "./sweep/overhead-sweep.js";
export { explainRow } from "./report/explain.js";
export { alignRows, ascii, fmtPct, mib, pctChange } from "./report/format.js";
export type { Better } from "./report/format.js";
export { MAIL_WIDTH, configBlock, finish, footnoteLines, mailSource, mailTable } from "./report/mail.js";
export type { MailColumn, MailTableSpec } from "./report/mail.js";
export { compareMail, compareText, designInventoryText, designsListText, overheadMail, overheadText } from "./report/overhead.js";
export type { CompareCell, CompareGrid } from "./report/overhead.js";
export { DEFAULT_MEMCG_SYSTEM, RECLAIM_MODES, REJECT_REASONS, SAME_FILLED_COMPRESSED_SOURCE, STUCK_REASONS, memcg } from "./models/memcg.js";
export type { CgroupCounters, CgroupFootprint, CgroupPages, CgroupResult, CgroupSpec, CompressedSize, Compressibility, LimitHit, MemcgInput, MemcgResult, MemcgSystem, ReclaimMode, RejectReason, StuckReason, UnchargedRow, Workload, WorkloadEcho } from "./models/memcg.js";
export { KERNEL_BEHAVIOUR, memcgRuleIds, memcgRulesFor, ruleRows } from "./models/memcg-rules.js";
export type { Basis, DiskChargePolicy, FallbackPolicy, IncompressiblePolicy, KernelBehaviour, MemcgRules, Rule, SameFilledPolicy, SwapChargePolicy, ZeroPagePolicy, ZswapMaxPolicy } from "./models/memcg-rules.js";
export { ZBUD_6_1, ZBUD_6_12, ZPOOL_KINDS, ZSMALLOC_6_1, ZSMALLOC_6_12, ZSMALLOC_7_2, poolFootprint, zbudFootprint, zpoolStore, zsmallocClassFor, zsmallocClasses, zsmallocFootprint } from "./models/zpool.js";
export type { LengthCounts, PoolFootprint, ZbudProfile, ZpoolKind, ZpoolProfile, ZsClass, ZsClassTable, ZsmallocProfile } from "./models/zpool.js";
export { memcgCompareText, memcgMail, memcgText, ruleDifferences, systemText, workloadText } from "./report/memcg.js";
export { DEFAULT_MEMCG_CASES, ZERO_SHARE_SOURCE, footprintCase, swapVsDiskCase, tenantCase, tenantCgroups, tenantResults, zeroPageCase, zswapOnlyCase } from "./sweep/memcg-cases.js";
export type { FootprintRow, MemcgCaseParams, SwapVsDiskRow, TenantRow, ZeroPageRow, ZswapOnlyRow } from "./sweep/memcg-cases.js";
