/**
 * C struct layout on x86_64 (System V psABI, as GCC lays it out): member offsets, bit-fields packed
 * into their declared type's storage unit unless they would straddle it, the struct aligned to its
 * most aligned member. Reports what pahole prints: `size`, holes, and the `bit_padding` left in the
 * last bit-field's storage unit. Pure; inputs are field lists with their sources.
 */
import { SwapcostInputError } from "../errors.js";

/** A C type by size and alignment in bytes (x86_64). */
export interface CType {
  readonly name: string;
  readonly sizeBytes: number;
  readonly alignBytes: number;
}

/** x86_64 LP64 scalar types, and the kernel types the swap structs use (no lock debugging). */
export const X86_64: Readonly<Record<string, CType>> = {
  bool: { name: "bool", sizeBytes: 1, alignBytes: 1 },
  u8: { name: "unsigned char", sizeBytes: 1, alignBytes: 1 },
  u16: { name: "unsigned short", sizeBytes: 2, alignBytes: 2 },
  u32: { name: "unsigned int", sizeBytes: 4, alignBytes: 4 },
  int: { name: "int", sizeBytes: 4, alignBytes: 4 },
  /** An enum whose values fit an int: GCC gives it unsigned int / int. */
  enum: { name: "enum", sizeBytes: 4, alignBytes: 4 },
  u64: { name: "unsigned long", sizeBytes: 8, alignBytes: 8 },
  ptr: { name: "void *", sizeBytes: 8, alignBytes: 8 },
  atomic_t: { name: "atomic_t", sizeBytes: 4, alignBytes: 4 },
  refcount_t: { name: "refcount_t", sizeBytes: 4, alignBytes: 4 },
  /** struct kref { refcount_t refcount; } */
  kref: { name: "struct kref", sizeBytes: 4, alignBytes: 4 },
  atomic_long_t: { name: "atomic_long_t", sizeBytes: 8, alignBytes: 8 },
  spinlock_t: { name: "spinlock_t", sizeBytes: 4, alignBytes: 4 },
  /** arch_rwlock_t (qrwlock): atomic_t cnts + arch_spinlock_t wait_lock. */
  rwlock_t: { name: "rwlock_t", sizeBytes: 8, alignBytes: 4 },
  /** struct callback_head { next; func; } */
  rcu_head: { name: "struct rcu_head", sizeBytes: 16, alignBytes: 8 },
  list_head: { name: "struct list_head", sizeBytes: 16, alignBytes: 8 },
  /** swp_entry_t / swp_slot_t { unsigned long val; } */
  swp_entry_t: { name: "swp_entry_t", sizeBytes: 8, alignBytes: 8 },
};

export interface CField {
  readonly name: string;
  /** A key of X86_64, or an explicit type. */
  readonly type: string | CType;
  /** Bit-field width. */
  readonly bits?: number;
}

export interface FieldPlacement {
  readonly name: string;
  readonly type: string;
  readonly offsetBits: number;
  readonly sizeBits: number;
}

export interface StructLayout {
  readonly sizeBytes: number;
  readonly alignBytes: number;
  readonly fields: readonly FieldPlacement[];
  /** Bytes of padding between members (pahole's holes). */
  readonly holeBytes: number;
  /** Unused bits at the end of the last bit-field's storage unit (pahole's bit_padding). */
  readonly bitPadding: number;
  /** Bytes of tail padding after the last member's storage (pahole's padding). */
  readonly paddingBytes: number;
  /** The members' sizes summed, without padding (the arithmetic a cover letter would write). */
  readonly fieldBytes: number;
}

function typeOf(t: string | CType): CType {
  if (typeof t !== "string") return t;
  const c = X86_64[t];
  if (!c) throw new SwapcostInputError("struct field type", t, `one of ${Object.keys(X86_64).join(", ")} or an explicit {name, sizeBytes, alignBytes}`);
  return c;
}

const alignUp = (x: number, a: number) => Math.ceil(x / a) * a;

/** Lay out `fields` in order, as GCC does on x86_64. */
export function layoutStruct(fields: readonly CField[]): StructLayout {
  if (fields.length === 0) throw new SwapcostInputError("struct fields", "[]", "at least one field");
  let bit = 0;
  let align = 1;
  let holes = 0;
  let fieldBits = 0;
  let lastUnitEnd = 0;
  let lastWasBitfield = false;
  const placed: FieldPlacement[] = [];
  for (const f of fields) {
    const t = typeOf(f.type);
    const unitBits = t.sizeBytes * 8;
    align = Math.max(align, t.alignBytes);
    if (f.bits !== undefined) {
      if (!Number.isInteger(f.bits) || f.bits < 1 || f.bits > unitBits) throw new SwapcostInputError(`bit-field ${f.name}`, f.bits, `a width between 1 and ${unitBits}`);
      // A bit-field that would straddle its type's storage unit starts at the next unit.
      const unitStart = Math.floor(bit / unitBits) * unitBits;
      const start = bit + f.bits > unitStart + unitBits ? unitStart + unitBits : bit;
      placed.push({ name: f.name, type: t.name, offsetBits: start, sizeBits: f.bits });
      bit = start + f.bits;
      fieldBits += f.bits;
      lastUnitEnd = Math.floor(start / unitBits) * unitBits + unitBits;
      lastWasBitfield = true;
    } else {
      const start = alignUp(alignUp(bit, 8), t.alignBytes * 8);
      holes += (start - alignUp(bit, 8)) / 8;
      placed.push({ name: f.name, type: t.name, offsetBits: start, sizeBits: unitBits });
      bit = start + unitBits;
      fieldBits += unitBits;
      lastUnitEnd = bit;
      lastWasBitfield = false;
    }
  }
  const sizeBytes = alignUp(Math.ceil(bit / 8), align);
  const bitPadding = lastWasBitfield ? lastUnitEnd - bit : 0;
  return {
    sizeBytes,
    alignBytes: align,
    fields: placed,
    holeBytes: holes,
    bitPadding,
    paddingBytes: sizeBytes - Math.ceil((lastWasBitfield ? lastUnitEnd : bit) / 8),
    fieldBytes: fieldBits / 8,
  };
}
