/**
 * Reading the open packet (`0{"sid":...}`). The server's word is checked,
 * not trusted: a garbage handshake must end in a clean error, not in a
 * half-open engine with NaN timers.
 */
import type { Handshake } from "./types";

/** The handshake in `data`, or null when it is not a valid Engine.IO v4 handshake. */
export function parseHandshake(data: unknown): Handshake | null {
  if (typeof data !== "string") return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = value as Record<string, unknown>;
  if (typeof sid !== "string" || sid === "") return null;
  if (!isDuration(pingInterval) || !isDuration(pingTimeout)) return null;
  if (upgrades !== undefined && !isStringArray(upgrades)) return null;
  if (maxPayload !== undefined && !isDuration(maxPayload)) return null;
  return {
    sid,
    upgrades: upgrades ?? [],
    pingInterval,
    pingTimeout,
    // 0 means "no limit announced": writes are then not split by size.
    maxPayload: maxPayload ?? 0,
  };
}

function isDuration(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
