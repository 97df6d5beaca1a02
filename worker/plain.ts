/**
 * Makes the hub's lifecycle values cloneable without losing what users read:
 * Errors keep `data` (connect_error), `type`/`description`/`context`
 * (TransportError) and `code`; a close event or a Response in a description
 * becomes what it says (its code, reason, status) instead of failing to clone.
 */
import type { ErrorData } from "./protocol";

const MAX_DEPTH = 4;

/** A value safe to structured-clone that says what `value` said. */
export function toPlain(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") {
    return typeof value === "function" || typeof value === "symbol" ? String(value) : value;
  }
  if (value instanceof Error) return errorData(value, depth);
  if (depth >= MAX_DEPTH) return String(value);
  if (Array.isArray(value)) return value.map((item) => toPlain(item, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toPlain(item, depth + 1);
    return out;
  }
  if (isCloneableBuiltin(value)) return value;
  return describeObject(value as Record<string, unknown>);
}

/** An Error as plain data (see {@link ErrorData}). */
export function errorData(err: Error, depth = 0): ErrorData {
  const source = err as Error & Record<string, unknown>;
  const out: ErrorData = { $error: true, name: err.name, message: err.message };
  if ("data" in source) out.data = toPlain(source.data, depth + 1);
  if (typeof source.type === "string") out.type = source.type;
  if ("description" in source) out.description = toPlain(source.description, depth + 1);
  if ("context" in source && source.context !== undefined) out.context = toPlain(source.context, depth + 1);
  if ("code" in source) out.code = toPlain(source.code, depth + 1);
  return out;
}

function isCloneableBuiltin(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    (typeof Blob !== "undefined" && value instanceof Blob)
  );
}

/** The readable, primitive fields of a platform object (CloseEvent, Response, XHR, ...). */
function describeObject(value: Record<string, unknown>): Record<string, unknown> | string {
  const out: Record<string, unknown> = {};
  let found = false;
  for (const key of ["type", "code", "reason", "wasClean", "status", "statusText", "message", "url"]) {
    let field: unknown;
    try {
      field = value[key];
    } catch {
      continue;
    }
    if (typeof field === "string" || typeof field === "number" || typeof field === "boolean") {
      out[key] = field;
      found = true;
    }
  }
  return found ? out : String(value);
}
