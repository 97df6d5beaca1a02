/**
 * Every reason and code the core reports, in one place. The strings are
 * socket.io-client's own: users match on them.
 */

/** Why an Engine.IO connection closed (`engine.on("close", reason)`). */
export type EngineCloseReason =
  | "transport close"
  | "transport error"
  | "ping timeout"
  | "forced close"
  | "parse error";

/** Why a namespace socket disconnected (`socket.on("disconnect", reason)`). */
export type DisconnectReason =
  | "io server disconnect"
  | "io client disconnect"
  | "ping timeout"
  | "transport close"
  | "transport error"
  | "parse error"
  | "forced close";

/** Details passed as the second argument of `disconnect`/`close`. */
export interface DisconnectDescription {
  description: string;
  context?: unknown;
}

/** Names a user cannot `emit` (socket.io-client throws on them). */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);
