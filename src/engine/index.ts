// TEMPORARY bootstrap shim (must not survive issue 2): lets src/io be built
// while src/engine is written. Replaced by `export { Engine } from "./engine"`.
import { Socket } from "engine.io-client";

/** engine.io-client's Socket with the contract's names (compat adapter for src/io). */
export class Engine extends Socket {
  /** Whether the heartbeat expired without the close being noticed yet (contract name). */
  hasPingExpired(): boolean {
    return this._hasPingExpired();
  }
}
