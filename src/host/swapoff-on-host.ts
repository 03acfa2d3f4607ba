/**
 * Swapping each of the host's devices off, under each design: the swapoff model
 * (src/models/swapoff.ts) with the device's size, kind and entries by backend, and the processes
 * that hold swap with the span of their page tables (swapcost/mm-summary), at the model's default
 * per-item costs (timings are its stated assumptions; `swapcost swapoff --help` overrides them).
 */
import { isInputError } from "../errors.js";
import type { Design } from "../designs/types.js";
import { DEFAULT_COSTS, type SwapoffCosts } from "../models/swapoff-costs.js";
import { swapoff, type SwapoffResult } from "../models/swapoff.js";
import { designDevice, type HostAnalysis } from "./analyse.js";
import { swapoffWorkloadOf } from "./model-inputs.js";

export interface SwapoffOnHost {
  /** Why nothing was modelled (no swap device, no process counts in the snapshot). */
  readonly skipped: string | null;
  readonly workloadFrom: readonly string[];
  readonly devices: readonly {
    readonly path: string;
    readonly results: readonly SwapoffResult[];
    /** Designs that cannot hold the device's entries, with the reason. */
    readonly skipped: readonly { readonly design: string; readonly reason: string }[];
  }[];
  readonly notes: readonly string[];
}

export function swapoffOnHost(a: HostAnalysis, designs: readonly Design[], costs: SwapoffCosts = DEFAULT_COSTS): SwapoffOnHost {
  if (a.devices.length === 0) return { skipped: "no swap device to swap off", workloadFrom: [], devices: [], notes: [] };
  const { workload, notes } = swapoffWorkloadOf(a);
  if (!workload) return { skipped: notes[0] ?? "no process counts", workloadFrom: [], devices: [], notes };
  const w = { processes: workload.processes, mappedBytes: workload.mappedBytes, idleProcesses: workload.idleProcesses, idleMappedBytes: workload.idleMappedBytes };
  const devices = a.devices.map((dev) => {
    const results: SwapoffResult[] = [];
    const skipped: { design: string; reason: string }[] = [];
    for (const d of designs) {
      const dd = designDevice(d, dev);
      if ("reason" in dd) {
        skipped.push({ design: d.id, reason: dd.reason });
        continue;
      }
      try {
        results.push(
          swapoff({
            design: d,
            swapSizeBytes: dev.swapSizeBytes,
            device: dd.device,
            usage: dev.usage,
            occupancy: a.occupancy,
            memcg: a.memcg.value,
            cpus: a.cpus.value,
            writebackShare: dev.usage.disk > 0 ? a.backends.writebackShare.value : undefined,
            workload: w,
            costs,
          }),
        );
      } catch (e) {
        if (isInputError(e)) skipped.push({ design: d.id, reason: e.message });
        else throw e;
      }
    }
    return { path: dev.path, results, skipped };
  });
  return { skipped: null, workloadFrom: workload.from, devices, notes };
}
