/**
 * The contract between the Engine.IO layer (src/engine) and the Socket.IO
 * layer (src/io). It mirrors engine.io-client's `Socket`, which is what
 * socket.io-client users reach as `manager.engine`.
 */
import type { Packet, RawData } from "engine.io-parser";
import type { EngineCloseReason, DisconnectDescription } from "../reasons";
import type { EngineOptions } from "../options";
import type { EngineTimers } from "./env";

export type EngineReadyState = "opening" | "open" | "closing" | "closed";

/** Options of one `send`/`write` call. */
export interface WriteOptions {
  /** Ask the transport to compress (WebSocket per-message deflate). Default true. */
  compress?: boolean;
}

/** What the handshake (`0{...}` open packet) tells the client. */
export interface Handshake {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** The transport in use, as users see it through `engine.transport`. */
export interface TransportView {
  readonly name: string;
  readonly writable: boolean;
}

/**
 * Events of the engine, with socket.io-client's names and arguments:
 * - `open` after the handshake; `handshake` with the parsed handshake
 * - `packet` for every packet received; `packetCreate` for every packet sent
 * - `data` / `message` for each message payload
 * - `ping` on each server ping (before the pong is written); `heartbeat` on any packet
 * - `drain` when the write buffer emptied; `flush` when a batch was handed to the transport
 * - `upgrading` (probe started), `upgrade` (transport switched), `upgradeError`
 * - `error` (transport failed to open) then `close(reason, description)`
 */
export interface EngineEvents {
  open: () => void;
  handshake: (data: Handshake) => void;
  packet: (packet: Packet) => void;
  packetCreate: (packet: Packet) => void;
  data: (data: RawData) => void;
  message: (data: RawData) => void;
  ping: () => void;
  heartbeat: () => void;
  drain: () => void;
  flush: () => void;
  upgrading: (transport: TransportView) => void;
  upgrade: (transport: TransportView) => void;
  upgradeError: (err: Error) => void;
  error: (err: Error) => void;
  close: (reason: EngineCloseReason, description?: DisconnectDescription | Error) => void;
}

/**
 * What `new Engine(uri, opts)` accepts: the user's options plus what the
 * host injects. `timers` never comes from a user (it cannot cross
 * `postMessage`); the worker or a test passes it.
 */
export interface EngineConstructorOptions extends EngineOptions {
  /** Timer functions for the heartbeat and deferred work. Default: the global ones. */
  timers?: EngineTimers;
}
