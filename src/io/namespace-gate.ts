import type { EngineTimers } from "../engine/env";
import { after, type Disposer } from "./subscribe";

/**
 * How long a CONNECT waits after the DISCONNECT of the same namespace left
 * over WebSocket. Frames sent this far apart reach a server that is not
 * stalled in separate reads.
 */
export const WEBSOCKET_SETTLE_MS = 100;

interface Closing {
  /** Set once the DISCONNECT left the engine; until then the CONNECT waits for it. */
  settleAt?: number;
  waiters: Array<() => void>;
  timer?: Disposer;
}

/**
 * Holds a namespace's CONNECT while the server may not have acted on the
 * DISCONNECT of that namespace yet.
 *
 * Why: socket.io 4.8 acts on a DISCONNECT one tick late (`process.nextTick`
 * in `Client.ondecoded`). A CONNECT for the same namespace that arrives in
 * the same read finds the old socket still there, is taken for a duplicate,
 * and the server closes the whole connection, every namespace on it. In a
 * shared connection this happens whenever one tab leaves a namespace just
 * before another tab (or the same one) joins it.
 *
 * A CONNECT is safe once the DISCONNECT left in an earlier transport write:
 * - over HTTP long-polling, the next POST starts only after the server
 *   answered the one carrying the DISCONNECT, so nothing more is needed;
 * - over WebSocket, frames sent close together can still land in one read,
 *   so the CONNECT also waits {@link WEBSOCKET_SETTLE_MS} after the
 *   DISCONNECT left.
 */
export class NamespaceGate {
  private readonly closing = new Map<string, Closing>();

  constructor(
    private readonly timers: EngineTimers,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * A DISCONNECT for `nsp` is being written. Returns the callback for the
   * engine to call when it hands the packet to `transport`.
   */
  disconnecting(nsp: string): (transport: string) => void {
    const entry: Closing = { waiters: [] };
    this.closing.get(nsp)?.timer?.();
    // Waiters of an earlier DISCONNECT now wait for this one: both must be read first.
    entry.waiters = this.closing.get(nsp)?.waiters ?? [];
    this.closing.set(nsp, entry);
    return (transport) => {
      if (this.closing.get(nsp) !== entry) return;
      entry.settleAt = this.now() + (transport === "polling" ? 0 : WEBSOCKET_SETTLE_MS);
      this.release(nsp, entry);
    };
  }

  /** Runs `connect` now, or once the server has surely read `nsp`'s DISCONNECT. */
  whenOpen(nsp: string, connect: () => void): void {
    const entry = this.closing.get(nsp);
    if (!entry) {
      connect();
      return;
    }
    entry.waiters.push(connect);
    if (entry.settleAt !== undefined) this.release(nsp, entry);
  }

  /** The connection closed: a new one has no namespace to wait for, and old waiters are moot. */
  reset(): void {
    for (const entry of this.closing.values()) entry.timer?.();
    this.closing.clear();
  }

  private release(nsp: string, entry: Closing): void {
    if (entry.waiters.length === 0 || entry.timer) return;
    const wait = (entry.settleAt ?? 0) - this.now();
    const run = () => {
      if (this.closing.get(nsp) !== entry) return;
      this.closing.delete(nsp);
      for (const connect of entry.waiters.splice(0)) connect();
    };
    if (wait <= 0) {
      run();
      return;
    }
    entry.timer = after(wait, run, this.timers);
  }
}
