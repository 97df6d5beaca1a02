/** The public types of a namespace socket. */
import type { DisconnectDescription, DisconnectReason } from "../reasons";

/** A `connect_error` error; `data` is what the server's middleware attached (`err.data`). */
export interface ConnectError extends Error {
  // The server decides what `data` holds.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any;
}

/** socket.io-client's name for {@link ConnectError}. */
export type ExtendedError = ConnectError;

/** Events the socket itself emits (they cannot be sent with `emit`). */
export interface SocketReservedEvents {
  connect: () => void;
  connect_error: (err: ConnectError) => void;
  disconnect: (reason: DisconnectReason, description?: DisconnectDescription | Error) => void;
}

/** The connection-state-recovery session: what the server needs to replay missed events. */
export interface RecoverySession {
  /** The private session id the server gave in its CONNECT packet. */
  pid: string;
  /** Offset of the last event received (the server appends it to every recoverable event). */
  offset: string;
}

/**
 * `inactive`: not trying to connect (never connected, or disconnected on
 * purpose, or refused). `connecting`: waiting for the engine or the
 * server's CONNECT. `connected`: connected to the namespace.
 */
export type SocketState = "inactive" | "connecting" | "connected";
