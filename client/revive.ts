/** Turns the hub's plain error data back into Errors with their fields (`data`, `type`, `description`). */
import type { ErrorData } from "../worker/protocol";

export function revive(value: unknown): unknown {
  if (!value || typeof value !== "object" || (value as ErrorData).$error !== true) return value;
  const { $error: _marker, name, message, ...fields } = value as ErrorData;
  const err = new Error(message) as Error & Record<string, unknown>;
  if (name && name !== "Error") err.name = name;
  for (const [key, field] of Object.entries(fields)) err[key] = revive(field);
  return err;
}
