import { describe, expect, it } from "vitest";
import { getOrder, kmallocBytes, kvmallocBytes, vmallocBytes } from "../../src/kernel/alloc.js";

describe("kernel allocators", () => {
  it.each([
    [1, 8],
    [24, 32],
    [80, 96],
    [200, 256],
    [1024, 1024],
    [5000, 8192],
    [8193, 16384],
    [12392, 16384],
  ])("kmalloc(%d) takes %d bytes", (req, got) => expect(kmallocBytes(req)).toBe(got));

  it("get_order rounds to a power of two pages", () => {
    expect(getOrder(4096)).toBe(0);
    expect(getOrder(4097)).toBe(1);
    expect(getOrder(102400)).toBe(5);
  });

  it.each([
    [65536, 65536],
    [102400, 131072],
    [4 * 1024 * 1024, 4 * 1024 * 1024],
  ])("kvmalloc(%d) takes %d bytes (kmalloc_large succeeds up to order 10)", (req, got) => expect(kvmallocBytes(req)).toBe(got));

  it("kvmalloc above 4 MiB falls back to vmalloc: pages + page-pointer array", () => {
    const req = 8 * 1024 * 1024 + 1;
    expect(kvmallocBytes(req)).toBe(vmallocBytes(req));
  });

  it("vmalloc(8 MiB) is 2048 pages plus a 16 KiB pointer array that is itself vmalloc'ed", () => {
    // 2048 pages * 8 B = 16384 B > PAGE_SIZE: vmalloc(16384) = 4 pages + kmalloc(32)
    expect(vmallocBytes(8 * 1024 * 1024)).toBe(8 * 1024 * 1024 + 16384 + 32);
  });
});
