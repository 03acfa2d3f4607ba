/**
 * A small, strict flag parser: `--flag value`, `--flag=value`, boolean `--flag`, positionals.
 * Unknown flags and missing values are input errors naming the command's valid flags.
 */
import { SwapcostInputError } from "../errors.js";

export interface FlagSpec {
  readonly name: string;
  /** Placeholder for the value (`<size>`); absent for boolean flags. */
  readonly value?: string;
  readonly doc: string;
}

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("--")) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const spec = byName.get(name);
    if (!spec) {
      throw new SwapcostInputError(`swapcost ${command}`, a, `one of ${specs.map((s) => `--${s.name}`).join(", ")}`, "unknown option");
    }
    if (flags.has(name)) throw new SwapcostInputError(`--${name}`, a, "the option once");
    if (spec.value) {
      let v: string | undefined;
      if (eq > 0) v = a.slice(eq + 1);
      else {
        v = argv[i + 1];
        i++;
      }
      if (v === undefined || (eq < 0 && v.startsWith("--"))) throw new SwapcostInputError(`--${name}`, v ?? "", `a value ${spec.value}`, "missing value");
      flags.set(name, v);
    } else {
      if (eq > 0) throw new SwapcostInputError(`--${name}`, a.slice(eq + 1), "no value (it is a switch)");
      flags.set(name, true);
    }
  }
  return { flags, positionals };
}

export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === "string" ? v : undefined;
}

export function has(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}

export function helpLines(specs: readonly FlagSpec[]): string[] {
  const left = specs.map((s) => `  --${s.name}${s.value ? ` ${s.value}` : ""}`);
  const w = Math.max(...left.map((l) => l.length));
  return specs.map((s, i) => `${left[i].padEnd(w)}  ${s.doc}`);
}
