/**
 * The Engine.IO v4 client: what the Socket.IO layer (src/io) and hosts use.
 */
export { Engine } from "./engine";
export { TransportError, ServerError, UpgradeError } from "./errors";
export { defaultTimers, type EngineTimers } from "./env";
export type {
  EngineConstructorOptions,
  EngineEvents,
  EngineReadyState,
  Handshake,
  TransportView,
  WriteOptions,
} from "./types";
