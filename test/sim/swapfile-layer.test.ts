/**
 * The device allocator, step by step against mm/swapfile.c (deb-7.2 line numbers in the source).
 */
import { describe, expect, it } from "vitest";
import { KIND_ZSWAP } from "../../src/sim/layer.js";
import { FLAG_DEAD, FLAG_FRAG, FLAG_FREE, FLAG_FULL, FLAG_NONFULL, SwapfileLayer } from "../../src/sim/swapfile-layer.js";

const K = KIND_ZSWAP;

function device(clusters: number, extra: Partial<ConstructorParameters<typeof SwapfileLayer>[0]> = {}): SwapfileLayer {
  return new SwapfileLayer({ id: "dev", slots: clusters * 512, cpus: 4, ...extra });
}

describe("swapon (setup_swap_clusters_info)", () => {
  it("puts the header cluster on nonfull_clusters[0] and the rest on the free list in index order", () => {
    const d = device(4);
    expect(d.listClusters("nonfull", 0)).toEqual([0]);
    expect(d.listClusters("free")).toEqual([1, 2, 3]);
    expect(d.countOf(0)).toBe(1);
    expect(d.pages).toBe(4 * 512 - 1);
    d.verifyLists();
  });

  it("reserves the slots past the end of a partial last cluster (bad slots)", () => {
    const d = new SwapfileLayer({ id: "dev", slots: 2 * 512 + 100, cpus: 1 });
    expect(d.clusters).toBe(3);
    expect(d.countOf(2)).toBe(412);
    expect(d.listClusters("nonfull", 0)).toEqual([0, 2]);
    expect(d.pages).toBe(2 * 512 + 100 - 1);
  });
});

describe("order-0 allocation", () => {
  it("one CPU fills slots 1..511 of cluster 0, then cluster 1 from the free list", () => {
    const d = device(4);
    const got = Array.from({ length: 513 }, () => d.alloc(0, 0, K));
    expect(got.slice(0, 3)).toEqual([1, 2, 3]);
    expect(got[510]).toBe(511);
    expect(got[511]).toBe(512);
    expect(got[512]).toBe(513);
    expect(d.flagOf(0)).toBe(FLAG_FULL);
    expect(d.flagOf(1)).toBe(FLAG_FRAG); // relocate_cluster: partly used → frag list
    d.verifyLists();
  });

  it("each CPU takes its own cluster (percpu_swap_cluster.offset[order])", () => {
    const d = device(4);
    expect(d.alloc(0, 0, K)).toBe(1);
    expect(d.alloc(1, 0, K)).toBe(512);
    expect(d.alloc(2, 0, K)).toBe(1024);
    expect(d.alloc(0, 0, K)).toBe(2);
    expect(d.alloc(1, 0, K)).toBe(513);
  });

  it("a rotational device shares one next[order] between CPUs (global_cluster)", () => {
    const d = device(4, { rotational: true });
    expect(d.alloc(0, 0, K)).toBe(1);
    expect(d.alloc(1, 0, K)).toBe(2);
    expect(d.alloc(3, 0, K)).toBe(3);
  });

  it("the CPU's cluster is scanned from its offset, not before it: a freed slot behind it waits for the nonfull list", () => {
    const d = device(4);
    for (let i = 0; i < 10; i++) d.alloc(0, 0, K); // slots 1..10
    d.free(3, K);
    expect(d.flagOf(0)).toBe(FLAG_NONFULL); // partial_free_cluster
    expect(d.alloc(0, 0, K)).toBe(11); // continues at the offset
    expect(d.flagOf(0)).toBe(FLAG_FRAG);
  });

  it("nonfull clusters are preferred over free ones: a freed slot is reused before a new cluster", () => {
    const d = device(4);
    for (let i = 0; i < 511; i++) d.alloc(0, 0, K); // cluster 0 full
    d.free(100, K);
    expect(d.listClusters("nonfull", 0)).toEqual([0]);
    expect(d.alloc(0, 0, K)).toBe(100);
    expect(d.flagOf(0)).toBe(FLAG_FULL);
  });

  it("with discard, free clusters are preferred over nonfull ones (spread out the writes)", () => {
    const d = device(4, { discard: true });
    expect(d.alloc(0, 0, K)).toBe(512); // not slot 1 of the header cluster on nonfull[0]
    expect(d.alloc(1, 0, K)).toBe(1024);
    expect(d.alloc(2, 0, K)).toBe(1536);
    expect(d.alloc(3, 0, K)).toBe(1); // the free list is empty now
  });

  it("an emptied cluster goes back to the tail of the free list with order 0", () => {
    const d = device(4);
    expect(d.alloc(0, 0, K)).toBe(1);
    expect(d.alloc(1, 4, K)).toBe(512);
    d.free(512, K);
    d.free(513, K); // a partial free moves it to nonfull_clusters[4] first
    expect(d.flagOf(1)).toBe(FLAG_NONFULL);
    expect(d.listClusters("nonfull", 4)).toEqual([1]);
    for (let s = 514; s < 528; s++) d.free(s, K);
    expect(d.flagOf(1)).toBe(FLAG_FREE);
    expect(d.orderOf(1)).toBe(0);
    expect(d.listClusters("free")).toEqual([2, 3, 1]);
    // CPU 1's offset points into a free (tableless) cluster: not usable; the slow path takes the free list's head
    expect(d.alloc(1, 4, K)).toBe(1024);
    d.verifyLists();
  });

  it("fails when every usable slot is taken (device off swap_avail_head)", () => {
    const d = device(2);
    for (let i = 0; i < d.pages; i++) expect(d.alloc(i % 4, 0, K)).not.toBe(0);
    expect(d.alloc(0, 0, K)).toBe(0);
    expect(d.failures).toBe(1);
    d.verifyLists();
  });
});

describe("large orders", () => {
  it("an order-4 folio takes a free cluster (cluster 0 is order 0 with the header) and aligned slots", () => {
    const d = device(4);
    expect(d.alloc(0, 4, K)).toBe(512);
    expect(d.alloc(0, 4, K)).toBe(528);
    expect(d.orderOf(1)).toBe(4);
    expect(d.alloc(0, 0, K)).toBe(1);
  });

  it("a PMD-order (9) folio needs a whole free cluster and fails without one", () => {
    const d = device(3);
    expect(d.alloc(0, 9, K)).toBe(512);
    expect(d.alloc(0, 9, K)).toBe(1024);
    expect(d.alloc(0, 9, K)).toBe(0);
    expect(d.flagOf(1)).toBe(FLAG_FULL);
  });

  it("order 0 steals from higher-order clusters when nothing else is left", () => {
    const d = device(2);
    for (let i = 0; i < 511; i++) d.alloc(0, 0, K); // cluster 0
    expect(d.alloc(0, 2, K)).toBe(512); // cluster 1 becomes order 2
    expect(d.alloc(1, 0, K)).toBe(516); // stolen from frag_clusters[2]
  });

  it("order 2 does not take holes of an order-0 cluster", () => {
    const d = device(2);
    for (let i = 0; i < 511; i++) d.alloc(0, 0, K);
    for (const s of [4, 5, 6, 7]) d.free(s, K); // an aligned order-2 hole in an order-0 cluster
    expect(d.alloc(0, 2, K)).toBe(512);
  });

  it("a swap file (not a block device) cannot allocate large orders", () => {
    const d = device(4, { blockDevice: false });
    expect(d.alloc(0, 4, K)).toBe(0);
    expect(d.alloc(0, 0, K)).toBe(1);
  });
});

describe("dynamic device (alloc_swap_scan_dynamic)", () => {
  it("creates clusters at the lowest free index >= 1 and frees them when empty", () => {
    const d = new SwapfileLayer({ id: "ghost", slots: 8 * 512, cpus: 4, dynamic: true });
    expect(d.flagOf(1)).toBe(FLAG_DEAD);
    expect(d.alloc(0, 0, K)).toBe(1); // cluster 0 (header) from nonfull[0]
    expect(d.alloc(1, 0, K)).toBe(512); // new cluster 1
    expect(d.alloc(2, 0, K)).toBe(1024); // new cluster 2
    d.free(512, K);
    expect(d.flagOf(1)).toBe(FLAG_DEAD);
    expect(d.clustersReleased).toBe(1);
    expect(d.alloc(3, 0, K)).toBe(512); // index 1 again
    expect(d.clustersCreated).toBe(3);
    d.verifyLists();
  });

  it("the header cluster is never freed", () => {
    const d = new SwapfileLayer({ id: "ghost", slots: 4 * 512, cpus: 1, dynamic: true });
    expect(d.alloc(0, 0, K)).toBe(1);
    d.free(1, K);
    expect(d.flagOf(0)).toBe(FLAG_NONFULL);
    expect(d.countOf(0)).toBe(1);
  });
});
