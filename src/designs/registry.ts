/**
 * The registry: every design in the debate by id (and aliases), parameterised designs with their
 * parameter specs, and lookup with clear errors.
 */
import { SwapcostInputError } from "../errors.js";
import { parseShare } from "../units/share.js";
import { LINUX_6_1, LINUX_6_12, LINUX_6_19, LINUX_6_6, LINUX_7_1 } from "./mainline.js";
import { GHOST_P4, GHOST_SWAPFILE, REDIRECT_SPEC, SWAP_TABLE_P4, SWAP_TABLE_P4_RFC, SWAP_TIERS } from "./swap-table.js";
import { VSWAP_RFC_V1, VSWAP_RFC_V2, VSWAP_STE_V1, VSWAP_STE_V2, VSWAP_V3, VSWAP_V4, VSWAP_V5, VSWAP_V6 } from "./vswap.js";
import type { Design, DesignSpec, ParamSpec } from "./types.js";

function fixed(d: Design): DesignSpec {
  return { id: d.id, aliases: d.aliases, params: [], build: () => d };
}

/** Registry order is the order tables list designs in: mainline by version, then proposals by series. */
export const DESIGN_SPECS: readonly DesignSpec[] = [
  fixed(LINUX_6_1),
  fixed(LINUX_6_6),
  fixed(LINUX_6_12),
  fixed(LINUX_6_19),
  fixed(LINUX_7_1),
  fixed(SWAP_TABLE_P4_RFC),
  fixed(SWAP_TABLE_P4),
  fixed(GHOST_P4),
  fixed(GHOST_SWAPFILE),
  REDIRECT_SPEC,
  fixed(VSWAP_RFC_V1),
  fixed(VSWAP_RFC_V2),
  fixed(VSWAP_V3),
  fixed(VSWAP_V4),
  fixed(VSWAP_V5),
  fixed(VSWAP_V6),
  fixed(VSWAP_STE_V1),
  fixed(VSWAP_STE_V2),
  fixed(SWAP_TIERS),
];

export function designIds(): string[] {
  return DESIGN_SPECS.map((s) => s.id);
}

export function findSpec(idOrAlias: string): DesignSpec | undefined {
  const key = idOrAlias.trim().toLowerCase();
  return DESIGN_SPECS.find((s) => s.id === key || s.aliases.includes(key));
}

function checkParam(spec: DesignSpec, p: ParamSpec | undefined, name: string, value: string): string {
  if (!p) {
    const allowed = spec.params.length ? spec.params.map((q) => q.name).join(", ") : "none (this design has no parameters)";
    throw new SwapcostInputError(`design parameter of ${spec.id}`, name, allowed);
  }
  if (p.allowed === "share") return String(parseShare(value, `${spec.id}.${name}`));
  if (!p.allowed.includes(value)) throw new SwapcostInputError(`${spec.id}.${name}`, value, `one of ${p.allowed.join(", ")}`);
  return value;
}

/**
 * Resolve `id`, `alias` or `id:param=value,param=value` (e.g. `redirect:granularity=entry`) to a
 * design. Unknown ids list the valid ones.
 */
export function resolveDesign(text: string, extraParams: Readonly<Record<string, string>> = {}): Design {
  const [idPart, paramPart] = text.split(":", 2);
  const spec = findSpec(idPart);
  if (!spec) throw new SwapcostInputError("design", idPart, `one of ${designIds().join(", ")} (or an alias; see \`swapcost designs\`)`);
  const params: Record<string, string> = {};
  for (const p of spec.params) params[p.name] = p.default;
  const given: Array<[string, string]> = Object.entries(extraParams);
  if (paramPart) {
    for (const kv of paramPart.split(",")) {
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new SwapcostInputError(`design parameters of ${spec.id}`, kv, "name=value pairs separated by commas, e.g. redirect:granularity=entry");
      given.push([kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()]);
    }
  }
  for (const [name, value] of given) {
    params[name] = checkParam(spec, spec.params.find((p) => p.name === name), name, value);
  }
  return spec.build(params);
}

/** All built-in designs with default parameters, in registry order. */
export function allDesigns(): Design[] {
  return DESIGN_SPECS.map((s) => resolveDesign(s.id));
}
