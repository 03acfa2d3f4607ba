/**
 * The arithmetic behind each row, in words a reviewer can check by hand
 * ("8388608 slots x 1 B = 8388608 B; vmalloc: 8404992 B").
 */
import { allocationBytes, describeAllocator, type Allocator } from "../kernel/alloc.js";
import type { OverheadResult, OverheadRow } from "../models/overhead.js";
import { XA_NODE_SLAB } from "../kernel/constants.js";

function allocNote(alloc: Allocator, requested: number, taken: number): string {
  if (alloc.kind === "exact" || requested === taken) return "";
  return `; ${describeAllocator(alloc)} takes ${taken} B`;
}

export function explainRow(row: OverheadRow, result: OverheadResult): string {
  const r = row.rule;
  const cpus = result.inputs.cpus;
  const slots = row.layer === "physical" && result.inputs.device === "none" ? 0 : result.inputs.slots;
  switch (r.kind) {
    case "perSlots": {
      const requested = row.count * r.elementBytes;
      const per = r.slotsPerElement === 1 ? `${slots} slots` : `ceil(${slots} / ${r.slotsPerElement}) = ${row.count}`;
      return `${per} x ${r.elementBytes} B = ${requested} B${allocNote(r.allocator, requested, row.bytes)}`;
    }
    case "pagedPerSlots": {
      const ptr = row.count * r.pointerBytes;
      return `ceil(${slots} / ${r.slotsPerPage}) = ${row.count} pages x 4096 B + ${row.count} x ${r.pointerBytes} B page pointers (${r.pointerAllocator.kind}: ${allocationBytes(r.pointerAllocator, ptr, cpus)} B) = ${row.bytes} B`;
    }
    case "fixed":
      return r.perCpu ? `${r.bytes} B x ${cpus} possible CPUs = ${row.bytes} B` : `${r.bytes} B per device${allocNote(r.allocator, r.bytes, row.bytes)}`;
    case "reservedClusters":
      return `${row.count} cluster(s) holding the header/tail slots x ${r.bytesPerCluster} B = ${row.bytes} B`;
    case "perChunkInUse": {
      const each = allocationBytes(r.allocator, r.bytesPerChunk, cpus);
      const unit = r.chunkSlots === 512 ? "clusters in use" : `${r.chunkSlots}-slot chunks in use`;
      const reserved = r.skipReserved ? " (not counting clusters whose table came at swapon)" : "";
      return `${row.count} ${unit}${reserved} x ${r.bytesPerChunk} B${each !== r.bytesPerChunk ? ` (${describeAllocator(r.allocator)}: ${each} B)` : ""} = ${row.bytes} B`;
    }
    case "xarray":
      return `${row.count} xa_nodes (576 B, ${XA_NODE_SLAB.objectsPerSlab} per ${XA_NODE_SLAB.slabBytes / 1024} KiB radix_tree_node slab) = ${row.bytes} B`;
    case "perEntry":
      return `${row.count} entries x ${r.bytesPerEntry} B${r.allocator.kind === "exact" ? "" : ` (${describeAllocator(r.allocator)})`} = ${row.bytes} B`;
  }
}
