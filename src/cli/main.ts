/**
 * The `swapcost` command line. User errors print one line (`swapcost: <field>: …`) and exit 2;
 * only bugs print a stack trace. Never loads danfojs, plotly or a browser.
 */
import { isInputError } from "../errors.js";
import { KIT_NAME, KIT_VERSION } from "../version.js";
import { helpLines, type FlagSpec } from "./args.js";
import { LEDGER_FLAGS, ledgerCommand } from "./ledger-command.js";
import { BENCHMARKS_FLAGS, benchmarksCommand } from "./benchmarks-command.js";
import { MEMCG_FLAGS, MEMCG_HELP, memcgCommand } from "./memcg-command.js";
import { FLEET_FLAGS, HOST_FLAGS, fleetCommand, hostCommand } from "./host-command.js";
import { COMPARE_FLAGS, DESIGNS_FLAGS, OVERHEAD_FLAGS, compareCommand, designsCommand, overheadCommand, startCommand, type Io } from "./overhead-commands.js";
import { SIMULATE_FLAGS, SIMULATE_HELP, simulateCommand } from "./simulate-command.js";
import { SWAPOFF_FLAGS, TRANSFER_FLAGS, swapoffCommand, transferCommand } from "./swapoff-command.js";

interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  /** More help after the flags (parameters, examples). */
  readonly more?: string;
  run(argv: readonly string[], io: Io): number | Promise<number>;
}

export const COMMANDS: Command[] = [
  { name: "designs", summary: "list designs, or print one design's inventory with sources", usage: "swapcost designs [<id>] [--format text|json|mail] [--design-file f]", flags: DESIGNS_FLAGS, run: designsCommand },
  { name: "overhead", summary: "static and dynamic swap metadata of one design, row by row", usage: "swapcost overhead --design <id> [--swap-size 32G] [--used 50%] [--backend zswap|--mix ...] [...]", flags: OVERHEAD_FLAGS, run: overheadCommand },
  { name: "compare", summary: "total metadata of several designs across usage, with net rows against a baseline", usage: "swapcost compare [--designs a,b,...] [--baseline id] [--used 0,25,50,75,100] [...]", flags: COMPARE_FLAGS, run: compareCommand },
  { name: "ledger", summary: "every number quoted in the thread, recomputed by the models, with a verdict and its source", usage: "swapcost ledger [--format text|json|mail] [--section 1,2] [--status differs] [--id <id>]", flags: LEDGER_FLAGS, run: ledgerCommand },
  { name: "benchmarks", summary: "the thread's published benchmark tables, with source, setup and deltas against the baseline", usage: "swapcost benchmarks [<table id>] [--format text|json|mail]", flags: BENCHMARKS_FLAGS, run: benchmarksCommand },
  { name: "memcg", summary: "what each design charges to memory.current, memory.swap.current and memory.zswap.current, per cgroup", usage: "swapcost memcg --design <id>|--designs a,b [--memory-max 4G --swap-max 0 --zswap-max max --anon 2G --compression-ratio 3 ...] [--cgroups file.json]", flags: MEMCG_FLAGS, more: MEMCG_HELP, run: memcgCommand },
  { name: "simulate", summary: "slot-level simulation of the swap allocators under a workload: occupancy and every design's metadata per live entry", usage: "swapcost simulate --workload <name>[,k=v] [--swap-size 32G] [--events N] [--seed S] [--designs ...] [--format text|json|csv|mail]", flags: SIMULATE_FLAGS, more: SIMULATE_HELP, run: (argv, io) => simulateCommand(argv, io) },
  { name: "swapoff", summary: "work per phase and estimated time of swapping a device off, per design (PTE walk vs virtual layer)", usage: "swapcost swapoff --design <id|all> --swap-size <size> --used <pct> --mapped <size> [--processes N] [--backend ...] [--reverse-map both] [...]", flags: SWAPOFF_FLAGS, run: swapoffCommand },
  { name: "transfer", summary: "zswap writeback and tier moves per design: PTE walks and rewrites vs descriptor or redirect updates, disk space held", usage: "swapcost transfer --design <id|all> --from zswap|ssd|hdd|zram --to ... --entries <count|size> [...]", flags: TRANSFER_FLAGS, run: transferCommand },
  { name: "host", summary: "what each design would cost on this host (or a saved snapshot); --capture saves one", usage: "swapcost host [--snapshot DIR | --capture DIR] [--designs ...] [--format text|json|mail]", flags: HOST_FLAGS, run: hostCommand },
  { name: "fleet", summary: "per-design cost and savings across many hosts (snapshots, a CSV, or a synthetic fleet)", usage: "swapcost fleet <dir|file.csv> | --synthetic N [--seed S] [--profile P] [--format text|json|csv|mail]", flags: FLEET_FLAGS, run: fleetCommand },
  { name: "start", summary: "the main job's summary: every design for a 32 GiB device", usage: "swapcost start [--format text|json|mail]", flags: [{ name: "format", value: "text|json|mail", doc: "output format (default text); json: the compare rows of both backends" }], run: startCommand },
];

function help(io: Io, name?: string): number {
  const c = name ? COMMANDS.find((x) => x.name === name) : undefined;
  if (c) {
    io.out(`${c.usage}\n\n${c.summary}\n\n${helpLines(c.flags).join("\n")}\n${c.more ? c.more + "\n" : ""}`);
    return 0;
  }
  const w = Math.max(...COMMANDS.map((x) => x.name.length));
  io.out(
    `${KIT_NAME} ${KIT_VERSION}: cited cost models for the linux-mm swap design debate\n\n` +
      COMMANDS.map((x) => `  ${x.name.padEnd(w)}  ${x.summary}`).join("\n") +
      `\n\n\`swapcost <command> --help\` for options. Sizes: 32G = 32GiB (binary), 32GB = 32*10^9 (SI).\n`,
  );
  return 0;
}

export async function main(argv: readonly string[], io: Io = { out: (t) => process.stdout.write(t) }, err: (t: string) => void = (t) => process.stderr.write(t)): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === "help" || name === "--help" || name === "-h") return help(io, rest[0]);
    if (name === "--version" || name === "version") {
      io.out(`${KIT_NAME} ${KIT_VERSION}\n`);
      return 0;
    }
    const c = COMMANDS.find((x) => x.name === name);
    if (!c) {
      err(`${KIT_NAME}: unknown command "${name}"; expected one of ${COMMANDS.map((x) => x.name).join(", ")}\n`);
      return 2;
    }
    if (rest.includes("--help") || rest.includes("-h")) return help(io, name);
    return await c.run(rest, io);
  } catch (e) {
    if (isInputError(e)) {
      err(`${KIT_NAME}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
