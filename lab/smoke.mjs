#!/usr/bin/env node
// CI smoke for the kernel lab: boots Debian's 6.1 kernel once under QEMU, measures the static
// cost of one 16 GiB swapon and checks that it parses and is positive. Under 3 minutes.
// Prints "lab smoke: PASS|SKIP|FAIL ..." and exits 0 on PASS and SKIP (no root, no QEMU, no
// Debian mirror), 1 on FAIL. Same as `npm run lab -- --smoke`.
import { main } from "./lab.mjs";

main(["--smoke", ...process.argv.slice(2)]).then((code) => process.exit(code), (e) => {
  process.stdout.write(`lab smoke: FAIL: ${e.stack ?? e}\n`);
  process.exit(1);
});
