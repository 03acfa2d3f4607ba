import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { main } from "../../src/cli/main.js";

async function cli(...argv: string[]): Promise<string> {
  let out = "";
  const code = await main(argv, { out: (t) => (out += t) }, (t) => {
    throw new Error(t);
  });
  expect(code).toBe(0);
  return out;
}

describe("golden text and mail output", () => {
  it("overhead --design vswap-v6 --used 50% (text)", async () => {
    await expect(await cli("overhead", "--design", "vswap-v6", "--swap-size", "32G", "--used", "50%")).toMatchFileSnapshot("__golden__/overhead-vswap-v6-zswap-50.txt");
  });
  it("overhead --design linux-6.19 --backend disk --used 25% --format mail", async () => {
    await expect(await cli("overhead", "--design", "linux-6.19", "--backend", "disk", "--used", "25%", "--format", "mail")).toMatchFileSnapshot("__golden__/overhead-linux-6.19-disk-25.mail.txt");
  });
  it("compare: Nhat Pham's zswap table in letter accounting (text)", async () => {
    await expect(await cli("compare", "--designs", "linux-6.19,vswap-v3", "--accounting", "letter", "--backend", "zswap")).toMatchFileSnapshot("__golden__/compare-nhat-zswap-letter.txt");
  });
  it("compare of five designs wraps into 72-column blocks (mail)", async () => {
    await expect(await cli("compare", "--designs", "linux-6.19,vswap-v6,swap-table-p4,ghost-p4,vswap-ste-v2", "--mix", "zswap=70%,disk=30%", "--used", "0,50,100", "--format", "mail")).toMatchFileSnapshot("__golden__/compare-five-mix.mail.txt");
  });
});

describe("the mail contract", () => {
  const ids = ["linux-6.1", "linux-6.19", "linux-7.1", "swap-table-p4", "ghost-p4", "redirect", "vswap-rfc-v1", "vswap-v6", "vswap-ste-v1", "swap-tiers"];
  it("every line is ASCII, tab-free and at most 72 columns (random comparisons, 1000 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom("zswap", "disk"),
        async (designs, used, backend) => {
          const text = await cli("compare", "--designs", designs.join(","), "--used", used.join(","), "--backend", backend, "--format", "mail");
          return text.split("\n").every((l) => l.length <= 72 && /^[\x20-\x7e]*$/.test(l));
        },
      ),
      { numRuns: 1000 },
    );
  }, 120_000);
  it("overhead mail for every design stays within 72 ASCII columns", async () => {
    for (const id of ids) {
      const text = await cli("overhead", "--design", id, "--format", "mail");
      for (const l of text.split("\n")) expect(l.length, `${id}: ${l}`).toBeLessThanOrEqual(72);
    }
  });
});
