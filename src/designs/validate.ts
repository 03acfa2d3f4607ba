/**
 * Validation of design objects: the built-in registry is checked by the tests with this, and a
 * user's `--design-file my.json` (same shape as `swapcost designs <id> --format json`) is checked
 * before the model sees it. Errors name the JSON path, the value and what is allowed.
 */
import { SwapcostInputError } from "../errors.js";
import type { Allocator } from "../kernel/alloc.js";
import type { Source } from "../kernel/sources.js";
import { DEVICE_KINDS, ENTRY_KINDS, type Design, type EntryWeights, type LetterRule, type SizeRule, type Structure } from "./types.js";

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class V {
  constructor(private readonly file: string) {}
  fail(path: string, value: Json, allowed: string, detail?: string): never {
    throw new SwapcostInputError(`${this.file}: ${path}`, value, allowed, detail);
  }
  obj(v: Json, path: string): Record<string, Json> {
    if (!isObj(v)) this.fail(path, v, "an object");
    return v;
  }
  str(v: Json, path: string, opts: { optional?: boolean; nonEmpty?: boolean } = {}): string {
    if (v === undefined && opts.optional) return undefined as unknown as string;
    if (typeof v !== "string" || (opts.nonEmpty !== false && v.length === 0)) this.fail(path, v, "a non-empty string");
    return v;
  }
  num(v: Json, path: string, opts: { min?: number; max?: number; int?: boolean } = {}): number {
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(path, v, "a number");
    if (opts.int && !Number.isSafeInteger(v)) this.fail(path, v, "a whole number");
    if (opts.min !== undefined && v < opts.min) this.fail(path, v, `a number ≥ ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) this.fail(path, v, `a number ≤ ${opts.max}`);
    return v;
  }
  oneOf<T extends string>(v: Json, path: string, allowed: readonly T[]): T {
    if (typeof v !== "string" || !allowed.includes(v as T)) this.fail(path, v, `one of ${allowed.join(", ")}`);
    return v as T;
  }
  /** Reject keys outside `allowed` (a misspelled `"whne"` would otherwise be ignored silently). */
  keys(o: Record<string, Json>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) this.fail(path === "(top level)" ? key : `${path}.${key}`, key, `one of the keys ${allowed.join(", ")}`, "unknown key");
    }
  }
  arr(v: Json, path: string): Json[] {
    if (!Array.isArray(v)) this.fail(path, v, "an array");
    return v;
  }
}

function allocator(v: V, x: Json, path: string): Allocator {
  const o = v.obj(x, path);
  const kind = v.oneOf(o.kind, `${path}.kind`, ["exact", "pages", "vmalloc", "kvmalloc", "kmalloc", "slab", "percpu"] as const);
  v.keys(o, path, kind === "slab" ? ["kind", "cache", "objectsPerSlab", "slabBytes"] : ["kind"]);
  if (kind === "slab") {
    return {
      kind,
      cache: v.str(o.cache, `${path}.cache`),
      objectsPerSlab: v.num(o.objectsPerSlab, `${path}.objectsPerSlab`, { min: 1, int: true }),
      slabBytes: v.num(o.slabBytes, `${path}.slabBytes`, { min: 1, int: true }),
    };
  }
  return { kind };
}

const RULE_KEYS: Readonly<Record<SizeRule["kind"], readonly string[]>> = {
  perSlots: ["slotsPerElement", "elementBytes", "allocator"],
  pagedPerSlots: ["slotsPerPage", "pointerBytes", "pointerAllocator"],
  fixed: ["bytes", "allocator", "perCpu"],
  reservedClusters: ["bytesPerCluster", "allocator"],
  perChunkInUse: ["chunkSlots", "bytesPerChunk", "allocator", "skipReserved"],
  xarray: ["treeSlots"],
  perEntry: ["bytesPerEntry", "allocator"],
};

function rule(v: V, x: Json, path: string): SizeRule {
  const o = v.obj(x, path);
  const kind = v.oneOf(o.kind, `${path}.kind`, ["perSlots", "pagedPerSlots", "fixed", "reservedClusters", "perChunkInUse", "xarray", "perEntry"] as const);
  v.keys(o, path, ["kind", ...RULE_KEYS[kind]]);
  const pos = (name: string, min = 1) => v.num(o[name], `${path}.${name}`, { min, int: true, max: 2 ** 40 });
  switch (kind) {
    case "perSlots":
      return { kind, slotsPerElement: pos("slotsPerElement"), elementBytes: pos("elementBytes"), allocator: allocator(v, o.allocator, `${path}.allocator`) };
    case "pagedPerSlots":
      return { kind, slotsPerPage: pos("slotsPerPage"), pointerBytes: pos("pointerBytes", 0), pointerAllocator: allocator(v, o.pointerAllocator, `${path}.pointerAllocator`) };
    case "fixed":
      return {
        kind,
        bytes: pos("bytes", 0),
        allocator: allocator(v, o.allocator, `${path}.allocator`),
        perCpu: o.perCpu === undefined ? undefined : o.perCpu === true ? true : o.perCpu === false ? false : v.fail(`${path}.perCpu`, o.perCpu, "true or false"),
      };
    case "reservedClusters":
      return { kind, bytesPerCluster: pos("bytesPerCluster"), allocator: allocator(v, o.allocator, `${path}.allocator`) };
    case "perChunkInUse":
      return {
        kind,
        chunkSlots: pos("chunkSlots"),
        bytesPerChunk: pos("bytesPerChunk"),
        allocator: allocator(v, o.allocator, `${path}.allocator`),
        skipReserved: o.skipReserved === undefined ? undefined : Boolean(o.skipReserved),
      };
    case "xarray":
      return { kind, treeSlots: pos("treeSlots", 0) };
    case "perEntry":
      return { kind, bytesPerEntry: pos("bytesPerEntry"), allocator: allocator(v, o.allocator, `${path}.allocator`) };
  }
}

function weights(v: V, x: Json, path: string): EntryWeights {
  const o = v.obj(x, path);
  const out: Partial<Record<string, number>> = {};
  for (const [key, val] of Object.entries(o)) {
    v.oneOf(key, `${path} key`, [...ENTRY_KINDS, "writeback"]);
    out[key] = v.num(val, `${path}.${key}`, { min: 0, max: 1 });
  }
  return out;
}

function letter(v: V, x: Json, path: string): LetterRule | readonly LetterRule[] | null {
  if (x === null || x === undefined) return null;
  if (Array.isArray(x)) return x.map((t, i) => letterTerm(v, t, `${path}[${i}]`));
  return letterTerm(v, x, path);
}

function letterTerm(v: V, x: Json, path: string): LetterRule {
  const o = v.obj(x, path);
  const per = v.oneOf(o.per, `${path}.per`, ["slot", "slotBits", "cluster", "entry", "clusterInUse"] as const);
  v.keys(o, path, ["per", per === "slotBits" ? "bits" : "bytes"]);
  if (per === "slotBits") return { per, bits: v.num(o.bits, `${path}.bits`, { min: 1, int: true, max: 64 }) };
  return { per, bytes: v.num(o.bytes, `${path}.bytes`, { min: 0, int: true, max: 2 ** 32 }) };
}

function source(v: V, x: Json, path: string): Source {
  const o = v.obj(x, path);
  const kind = v.oneOf(o.kind, `${path}.kind`, ["kernel", "mail", "derived"] as const);
  v.keys(o, path, kind === "kernel" ? ["kind", "tree", "file", "lines", "symbol", "note"] : kind === "mail" ? ["kind", "url", "who", "date", "quote", "note"] : ["kind", "note"]);
  if (kind === "kernel") {
    return {
      kind,
      tree: v.str(o.tree, `${path}.tree`),
      file: v.str(o.file, `${path}.file`),
      lines: v.str(o.lines, `${path}.lines`, { optional: true }),
      symbol: v.str(o.symbol, `${path}.symbol`, { optional: true }),
      note: v.str(o.note, `${path}.note`, { optional: true }),
    };
  }
  if (kind === "mail") {
    return {
      kind,
      url: v.str(o.url, `${path}.url`),
      who: v.str(o.who, `${path}.who`),
      date: v.str(o.date, `${path}.date`),
      quote: v.str(o.quote, `${path}.quote`, { optional: true }),
      note: v.str(o.note, `${path}.note`, { optional: true }),
    };
  }
  return { kind, note: v.str(o.note, `${path}.note`) };
}

function structure(v: V, x: Json, path: string): Structure {
  const o = v.obj(x, path);
  v.keys(o, path, ["id", "name", "what", "layer", "rule", "drivenBy", "when", "replaces", "letter", "sources", "note"]);
  const r = rule(v, o.rule, `${path}.rule`);
  const dynamic = r.kind === "perChunkInUse" || r.kind === "xarray" || r.kind === "perEntry";
  const srcs = v.arr(o.sources, `${path}.sources`).map((s, i) => source(v, s, `${path}.sources[${i}]`));
  if (srcs.length === 0) v.fail(`${path}.sources`, [], "at least one source (kernel file:line, a lore URL, or a derivation note)");
  const when = o.when === undefined ? undefined : v.obj(o.when, `${path}.when`);
  if (when) v.keys(when, `${path}.when`, ["devices", "memcg", "zpool"]);
  return {
    id: v.str(o.id, `${path}.id`),
    name: v.str(o.name, `${path}.name`),
    what: v.str(o.what, `${path}.what`),
    layer: v.oneOf(o.layer, `${path}.layer`, ["physical", "virtual"] as const),
    rule: r,
    drivenBy: o.drivenBy === undefined ? (dynamic ? v.fail(`${path}.drivenBy`, undefined, "entry weights such as {\"disk\": 1} for a dynamic rule") : undefined) : weights(v, o.drivenBy, `${path}.drivenBy`),
    when: when && {
      devices: when.devices === undefined ? undefined : v.arr(when.devices, `${path}.when.devices`).map((d, i) => v.oneOf(d, `${path}.when.devices[${i}]`, DEVICE_KINDS)),
      memcg: when.memcg === undefined ? undefined : Boolean(when.memcg),
      zpool: when.zpool === undefined ? undefined : v.oneOf(when.zpool, `${path}.when.zpool`, ["zsmalloc", "zbud"] as const),
    },
    replaces: o.replaces === undefined ? undefined : v.arr(o.replaces, `${path}.replaces`).map((r2, i) => v.str(r2, `${path}.replaces[${i}]`)),
    letter: letter(v, o.letter, `${path}.letter`),
    sources: srcs,
    note: v.str(o.note, `${path}.note`, { optional: true }),
  };
}

/** Validate a design object (parsed JSON or a built-in) and return it typed. */
export function validateDesign(x: Json, file = "design"): Design {
  const v = new V(file);
  const o = v.obj(x, "(top level)");
  v.keys(o, "(top level)", ["id", "aliases", "title", "family", "author", "date", "status", "summary", "sources", "devices", "entryKinds", "layers", "defaultZpool", "limits", "structures", "letterBasis", "params", "notes"]);
  const structures = v.arr(o.structures, "structures").map((s, i) => structure(v, s, `structures[${i}]`));
  const seen = new Set<string>();
  structures.forEach((s, i) => {
    const key = `${s.id}|${JSON.stringify(s.when ?? {})}`;
    if (seen.has(key)) v.fail(`structures[${i}].id`, s.id, "ids unique per condition set");
    seen.add(key);
  });
  const layers = v.obj(o.layers, "layers");
  v.keys(layers, "layers", ["physical", "virtual", "virtualHeaderSlots"]);
  const limits = o.limits === undefined ? {} : v.obj(o.limits, "limits");
  v.keys(limits, "limits", ["physical", "virtual"]);
  const limit = (x2: Json, p: string) => {
    if (x2 === undefined) return undefined;
    const l = v.obj(x2, p);
    v.keys(l, p, ["slots", "what", "sources"]);
    return {
      slots: v.num(l.slots, `${p}.slots`, { min: 2, int: true }),
      what: v.str(l.what, `${p}.what`),
      sources: v.arr(l.sources ?? [], `${p}.sources`).map((s, i) => source(v, s, `${p}.sources[${i}]`)),
    };
  };
  const basis = o.letterBasis === undefined ? { note: "custom design", sources: [] } : v.obj(o.letterBasis, "letterBasis");
  v.keys(basis, "letterBasis", ["note", "sources"]);
  const params = o.params === undefined ? undefined : v.obj(o.params, "params");
  const design: Design = {
    id: v.str(o.id, "id"),
    aliases: o.aliases === undefined ? [] : v.arr(o.aliases, "aliases").map((a, i) => v.str(a, `aliases[${i}]`)),
    title: v.str(o.title, "title"),
    family: o.family === undefined ? "custom" : v.oneOf(o.family, "family", ["mainline", "swap-table", "ghost", "redirect", "vswap", "tiers", "custom"] as const),
    author: o.author === undefined ? "user" : v.str(o.author, "author"),
    date: o.date === undefined ? "" : v.str(o.date, "date", { nonEmpty: false }),
    status: o.status === undefined ? "what-if" : v.str(o.status, "status"),
    summary: o.summary === undefined ? "" : v.str(o.summary, "summary", { nonEmpty: false }),
    sources: o.sources === undefined ? [] : v.arr(o.sources, "sources").map((s, i) => source(v, s, `sources[${i}]`)),
    devices: v.arr(o.devices, "devices").map((d, i) => v.oneOf(d, `devices[${i}]`, DEVICE_KINDS)),
    entryKinds: v.arr(o.entryKinds, "entryKinds").map((d, i) => v.oneOf(d, `entryKinds[${i}]`, ENTRY_KINDS)),
    layers: {
      physical: weights(v, layers.physical, "layers.physical"),
      virtual: layers.virtual === undefined ? undefined : weights(v, layers.virtual, "layers.virtual"),
      virtualHeaderSlots: layers.virtualHeaderSlots === undefined ? undefined : v.num(layers.virtualHeaderSlots, "layers.virtualHeaderSlots", { min: 0, max: 512, int: true }),
    },
    defaultZpool: o.defaultZpool === undefined ? "zsmalloc" : v.oneOf(o.defaultZpool, "defaultZpool", ["zsmalloc", "zbud"] as const),
    limits: { physical: limit(limits.physical, "limits.physical"), virtual: limit(limits.virtual, "limits.virtual") },
    structures,
    letterBasis: {
      note: v.str((basis as Record<string, Json>).note, "letterBasis.note"),
      sources: v.arr((basis as Record<string, Json>).sources ?? [], "letterBasis.sources").map((s, i) => source(v, s, `letterBasis.sources[${i}]`)),
    },
    params: params && Object.fromEntries(Object.entries(params).map(([key, val]) => [key, v.str(val, `params.${key}`)])),
    notes: o.notes === undefined ? undefined : v.arr(o.notes, "notes").map((n, i) => v.str(n, `notes[${i}]`)),
  };
  if (design.devices.length === 0) v.fail("devices", [], `at least one of ${DEVICE_KINDS.join(", ")}`);
  if (design.entryKinds.length === 0) v.fail("entryKinds", [], `at least one of ${ENTRY_KINDS.join(", ")}`);
  if (structures.some((s) => s.layer === "virtual") && !design.layers.virtual) {
    v.fail("layers.virtual", undefined, "entry weights such as {\"zswap\": 1, \"disk\": 1} when a structure is on the virtual layer");
  }
  return design;
}

/** Parse and validate the text of a design JSON file. */
export function parseDesignJson(text: string, file: string): Design {
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SwapcostInputError(file, text.slice(0, 40), "valid JSON", (e as Error).message);
  }
  return validateDesign(parsed, file);
}
