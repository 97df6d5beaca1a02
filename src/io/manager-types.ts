/** The public types of the Manager. */
import type { DisconnectDescription } from "../reasons";
import type { SioPacket } from "./parser";

/**
 * `closed`: no engine, nothing scheduled. `opening`: an engine is connecting
 * (first attempt or a reconnection attempt). `open`: the engine is open.
 * `backoff`: waiting for the next reconnection attempt.
 */
export type ManagerState = "closed" | "opening" | "open" | "backoff";

/** Events a user can listen to on a Manager (`socket.io.on(...)`). */
export interface ManagerReservedEvents {
  open: () => void;
  error: (err: Error) => void;
  ping: () => void;
  packet: (packet: SioPacket) => void;
  close: (reason: string, description?: DisconnectDescription | Error) => void;
  reconnect_failed: () => void;
  reconnect_attempt: (attempt: number) => void;
  reconnect_error: (err: Error) => void;
  reconnect: (attempt: number) => void;
}
