/**
 * Typed errors. Every user-facing error names the field, the value that was given and what is
 * allowed, so the CLI can print one line and exit 2 without a stack trace.
 */
export class SwapcostInputError extends Error {
  readonly field: string;
  readonly value: string;
  readonly allowed: string;

  constructor(field: string, value: unknown, allowed: string, detail?: string) {
    const shown = typeof value === "string" ? JSON.stringify(value) : safeString(value);
    super(`${field}: ${detail ? detail + "; " : ""}got ${shown}, expected ${allowed}`);
    this.name = "SwapcostInputError";
    this.field = field;
    this.value = shown;
    this.allowed = allowed;
  }
}

function safeString(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s;
  } catch {
    return String(v);
  }
}

/** A model invariant broke (a bug, not a user error): never shown as a usage message. */
export class SwapcostInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SwapcostInvariantError";
  }
}

export function isInputError(e: unknown): e is SwapcostInputError {
  return e instanceof SwapcostInputError;
}
