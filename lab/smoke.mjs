#!/usr/bin/env node
// CI smoke for the kernel lab: boots Debian's 6.1 kernel once under QEMU, measures the static
// cost of one 16 GiB swapon and checks that it parses and is positive. Under 3 minutes (20-45 s
// here once QEMU is installed, kernel download included). A boot that ends early (QEMU exits
// without the guest's LAB_DONE) is retried once, and the verdict line says so and why.
// test/lab/smoke.test.ts runs it in `npm test` and compares the cost with the committed data.
// Prints "lab smoke: PASS|SKIP|FAIL ..." and exits 0 on PASS and SKIP (no root, no QEMU, no
// Debian mirror), 1 on FAIL. Same as `npm run lab -- --smoke`.
import { main } from "./lab.mjs";

main(["--smoke", ...process.argv.slice(2)]).then((code) => process.exit(code), (e) => {
  process.stdout.write(`lab smoke: FAIL: ${e.stack ?? e}\n`);
  process.exit(1);
});
