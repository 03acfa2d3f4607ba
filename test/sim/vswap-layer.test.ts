/**
 * The virtual allocator of the vswap series, step by step against mm/vswap.c (folio_alloc_swap,
 * vswap_alloc_from_cluster, release_vswap_slot_nr).
 */
import { describe, expect, it } from "vitest";
import { KIND_ZSWAP } from "../../src/sim/layer.js";
import { VswapLayer } from "../../src/sim/vswap-layer.js";

const K = KIND_ZSWAP;
const layer = (clusters = 8, cpus = 2) => new VswapLayer({ id: "vswap", slots: clusters * 512, cpus });

describe("vswap clusters", () => {
  it("creates cluster 0 on the first swap-out; entry 0 is invalid, so slot 1 is first", () => {
    const v = layer();
    expect(v.alloc(0, 0, K)).toBe(1);
    expect(v.exists[0]).toBe(1);
    expect(v.cached[0]).toBe(1);
    expect(v.pcp[0]).toBe(0);
    v.verifyAll();
  });

  it("fills the cached cluster first-fit, then caches a new one when it is full", () => {
    const v = layer();
    for (let i = 1; i <= 511; i++) expect(v.alloc(0, 0, K)).toBe(i);
    // 511 entries + 1 <= 512 still looks like room (slot 0 is never handed out): still cached
    expect(v.cached[0]).toBe(1);
    // the next attempt finds no free slot: uncached and marked full, a new cluster is cached
    expect(v.alloc(0, 0, K)).toBe(512);
    expect(v.cached[0]).toBe(0);
    expect(v.full[0]).toBe(1);
    expect(v.cached[1]).toBe(1);
    for (let i = 513; i < 1024; i++) v.alloc(0, 0, K);
    // cluster 1 filled completely: uncached and full right away (cluster_is_alloc_candidate)
    expect(v.cached[1]).toBe(0);
    expect(v.full[1]).toBe(1);
    v.verifyAll();
  });

  it("a full cluster that frees a slot goes to the tail of its order's partial list, and is used when the cached cluster fills", () => {
    const v = layer();
    for (let i = 0; i < 511; i++) v.alloc(0, 0, K); // cluster 0 full
    v.alloc(0, 0, K); // cluster 1 cached, slot 512
    v.free(7, K);
    expect(v.partialClusters(0)).toEqual([0]);
    // the cached cluster 1 is used first
    expect(v.alloc(0, 0, K)).toBe(513);
    for (let i = 514; i < 1024; i++) v.alloc(0, 0, K);
    // cluster 1 is full now; the partial cluster's hole comes next
    expect(v.alloc(0, 0, K)).toBe(7);
    v.verifyAll();
  });

  it("each order gets its own clusters: an order-4 folio never lands in an order-0 cluster", () => {
    const v = layer();
    expect(v.alloc(0, 0, K)).toBe(1);
    expect(v.alloc(0, 4, K)).toBe(512);
    expect(v.order[1]).toBe(4);
    expect(v.alloc(0, 4, K)).toBe(528);
    expect(v.alloc(0, 0, K)).toBe(2);
  });

  it("a PMD-sized folio cannot use cluster 0 (limit.min = 1)", () => {
    const v = layer();
    expect(v.alloc(0, 9, K)).toBe(512);
    expect(v.exists[0]).toBe(0);
    expect(v.alloc(1, 0, K)).toBe(1);
  });

  it("an empty cluster is freed unless a CPU caches it; the id is reused (lowest free)", () => {
    const v = layer();
    expect(v.alloc(0, 0, K)).toBe(1); // cluster 0 cached on CPU 0
    expect(v.alloc(1, 2, K)).toBe(512); // cluster 1 cached on CPU 1
    expect(v.alloc(0, 3, K)).toBe(1024); // cluster 2 cached on CPU 0, order 3
    v.free(1, K);
    expect(v.exists[0]).toBe(1); // cached: survives empty
    for (let s = 512; s < 516; s++) v.free(s, K);
    expect(v.exists[1]).toBe(1);
    expect(v.clustersReleased).toBe(0);
    v.verifyAll();
  });

  it("a partial cluster that cannot fit an aligned folio is dropped from the list and marked full", () => {
    const v = layer(4, 1);
    expect(v.alloc(0, 0, K)).toBe(1); // cluster 0 goes to order 0
    // fill cluster 1 with 128 order-2 folios, then free one slot of each: no aligned range of 4 left
    for (let i = 0; i < 128; i++) expect(v.alloc(0, 2, K)).toBe(512 + 4 * i);
    expect(v.cached[1]).toBe(0);
    expect(v.full[1]).toBe(1);
    for (let s = 512; s < 1024; s += 4) v.free(s, K);
    expect(v.partialClusters(2)).toEqual([1]);
    // no cached order-2 cluster; the partial one fails: dropped, full again, a new cluster is created
    expect(v.alloc(0, 2, K)).toBe(1024);
    expect(v.partialClusters(2)).toEqual([]);
    expect(v.full[1]).toBe(1);
    v.verifyAll();
  });

  it("fails only when no cluster id is left", () => {
    const v = layer(2, 1);
    expect(v.alloc(0, 9, K)).toBe(512);
    expect(v.alloc(0, 9, K)).toBe(0);
    expect(v.failures).toBe(1);
  });
});
