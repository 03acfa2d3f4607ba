import { describe, expect, it } from "vitest";
import { allDesigns, resolveDesign } from "../../src/designs/registry.js";
import { analyseHost } from "../../src/host/analyse.js";
import { BYTES_MAPPED_PER_PT_KB } from "../../src/host/model-inputs.js";
import { readSnapshotDir } from "../../src/host/reader.js";
import { buildSnapshot } from "../../src/host/snapshot.js";
import { swapoffOnHost } from "../../src/host/swapoff-on-host.js";

const analyse = (dir: string) => analyseHost(buildSnapshot(readSnapshotDir(dir)), { designs: allDesigns().slice(0, 2), occupancy: { kind: "packed" }, accounting: "kernel" });
const designs = (...ids: string[]) => ids.map((id) => resolveDesign(id));

describe("swapoffOnHost: each device swapped off under each design", () => {
  it("feeds the swapoff model the device's size, kind and entries and the mms holding swap", () => {
    const a = analyse("data/hosts/lab-6.12-zswap");
    const so = swapoffOnHost(a, designs("linux-6.12", "vswap-v6"));
    expect(so.skipped).toBeNull();
    const [dev] = so.devices;
    expect(dev.path).toBe("/dev/vda");
    const [mainline, vswap] = dev.results;
    expect(mainline.inputs.swapSizeBytes).toBe(a.devices[0].swapSizeBytes);
    expect(mainline.inputs.usage).toEqual(a.devices[0].usage);
    expect(mainline.inputs.workload.processes).toBe(a.processes!.swappingProcesses);
    expect(mainline.inputs.workload.mappedBytes).toBe(a.processes!.vmpteKbSwapping * BYTES_MAPPED_PER_PT_KB);
    // mainline walks the page tables of the mms holding swap; the virtual layer does not walk any
    expect(mainline.method).toBe("pte-walk");
    expect(mainline.work.ptesScanned).toBeGreaterThan(0);
    expect(vswap.work.ptesScanned).toBe(0);
    // the virtual layer leaves entries and metadata behind, and says so
    expect(vswap.remaining.metadataHeldBytes).toBeGreaterThan(0);
  });

  it("a ghost swapfile cannot swap off a device holding disk entries: listed with the reason", () => {
    const so = swapoffOnHost(analyse("data/hosts/lab-6.1-zswap"), designs("linux-6.1", "ghost-swapfile"));
    expect(so.devices[0].skipped[0]).toMatchObject({ design: "ghost-swapfile" });
    expect(so.devices[0].skipped[0].reason).toMatch(/cannot hold disk entries/);
  });

  it("no swap device, or no process counts: not modelled, and why", () => {
    expect(swapoffOnHost(analyse("data/hosts/devvm-6.18-noswap"), designs("linux-6.19")).skipped).toMatch(/no swap device/);
    expect(swapoffOnHost(analyse("test/fixtures/hosts/cgroup-v1"), designs("linux-6.1")).skipped).toMatch(/cannot be sized/);
  });
});
