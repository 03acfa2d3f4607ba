import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function cli(...argv: string[]): Promise<string> {
  let out = "";
  const code = await main(argv, { out: (t) => (out += t) }, () => undefined);
  if (code !== 0) throw new Error(`exit ${code}`);
  return out;
}

describe("golden host and fleet output", () => {
  it("host --snapshot data/hosts/lab-6.1-zswap (text)", async () => {
    await expect(await cli("host", "--snapshot", "data/hosts/lab-6.1-zswap")).toMatchFileSnapshot("__golden__/host-lab-6.1-zswap.txt");
  });
  it("host --snapshot data/hosts/lab-6.12-zram --format mail", async () => {
    await expect(await cli("host", "--snapshot", "data/hosts/lab-6.12-zram", "--format", "mail")).toMatchFileSnapshot("__golden__/host-lab-6.12-zram.mail.txt");
  });
  it("host --snapshot test/fixtures/hosts/two-devices (text: three devices, a swap file with a space)", async () => {
    await expect(await cli("host", "--snapshot", "test/fixtures/hosts/two-devices")).toMatchFileSnapshot("__golden__/host-two-devices.txt");
  });
  it("fleet --synthetic 200 --seed 42 --format mail", async () => {
    await expect(await cli("fleet", "--synthetic", "200", "--seed", "42", "--format", "mail")).toMatchFileSnapshot("__golden__/fleet-synthetic-200-42.mail.txt");
  });
});
