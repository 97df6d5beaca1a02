import type { EngineTimers } from "../engine/env";
import { after, type Disposer } from "./subscribe";

/**
 * The least a CONNECT waits after the DISCONNECT of the same namespace left
 * over WebSocket. Frames sent this far apart reach a server in separate
 * reads unless something on the way (the browser's network process, the
 * server's event loop) stalls that long.
 */
export const WEBSOCKET_SETTLE_MS = 100;
/**
 * The wait grows with the connection's recent namespace handshake times
 * (CONNECT to its answer, this many times the slowest of the last few), as
 * those stalls show there first; it never exceeds {@link MAX_SETTLE_MS}.
 */
export const SETTLE_PER_HANDSHAKE = 3;
export const MAX_SETTLE_MS = 2_000;
/** How many recent handshake times count. */
const HANDSHAKES_KEPT = 8;

/** What the gate knows of one namespace on the current connection. */
interface NamespaceLine {
  /** A CONNECT left and its answer has not come yet. */
  connectInFlight: boolean;
  /** When that CONNECT was written. */
  connectSentAt?: number;
  /** The socket left while its CONNECT was in flight: the answer is not its own any more. */
  abandoned: boolean;
  /** A DISCONNECT was written and the server may not have read it yet. */
  closing: boolean;
  /** Set once that DISCONNECT left the engine: the time after which a CONNECT is safe. */
  settleAt?: number;
  /** DISCONNECTs written so far (only the last one's flush counts). */
  disconnects: number;
  /** CONNECTs waiting for the line to clear. */
  waiters: Array<() => void>;
  timer?: Disposer;
}

/**
 * Keeps a namespace's CONNECT and DISCONNECT packets in an order socket.io
 * 4.8 can take, on a connection whose namespaces come and go (in the hub,
 * each at the will of other tabs).
 *
 * Why: the server acts on a DISCONNECT one tick late (`process.nextTick` in
 * `Client.ondecoded`), and a CONNECT for a namespace it still has is taken
 * for a duplicate: it closes the whole connection, every namespace on it
 * ("invalid state"). Two sequences lead there, and socket.io-client 4.8
 * falls into both:
 * - `disconnect()` then `connect()`: both packets in one read. A CONNECT is
 *   safe once the DISCONNECT left in an earlier transport write: over HTTP
 *   long-polling the next POST starts only after the server answered the one
 *   carrying the DISCONNECT; over WebSocket, frames sent close together can
 *   still land in one read, so the CONNECT also waits after the DISCONNECT
 *   left: {@link WEBSOCKET_SETTLE_MS}, or longer when the connection's
 *   recent handshakes were slow (see {@link SETTLE_PER_HANDSHAKE}).
 * - `disconnect()` while the CONNECT is in flight sends nothing, yet the
 *   server makes the socket. Here the answer is taken by the Manager: on
 *   success it sends the DISCONNECT itself, and a new CONNECT waits for all
 *   of that.
 */
export class NamespaceGate {
  private readonly lines = new Map<string, NamespaceLine>();
  /** The last namespace handshake times on this connection, in ms. */
  private readonly handshakes: number[] = [];

  constructor(
    private readonly timers: EngineTimers,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A CONNECT for `nsp` is being written. */
  connecting(nsp: string): void {
    const line = this.line(nsp);
    line.connectInFlight = true;
    line.connectSentAt = this.now();
  }

  /** How long a CONNECT waits after a DISCONNECT left over WebSocket, now. */
  websocketSettleMs(): number {
    const slowest = this.handshakes.length > 0 ? Math.max(...this.handshakes) : 0;
    return Math.min(MAX_SETTLE_MS, Math.max(WEBSOCKET_SETTLE_MS, SETTLE_PER_HANDSHAKE * slowest));
  }

  /**
   * The socket of `nsp` left before the server answered. Returns false when
   * no CONNECT is in flight (nothing reached the server).
   */
  abandon(nsp: string): boolean {
    const line = this.lines.get(nsp);
    if (!line?.connectInFlight) return false;
    line.abandoned = true;
    return true;
  }

  /**
   * The server answered a CONNECT of `nsp` (`accepted`: CONNECT, else
   * CONNECT_ERROR). Returns true when the answer is for an abandoned
   * CONNECT: the caller keeps it from the sockets and, if accepted, writes
   * the DISCONNECT at once (the waiting CONNECTs then wait for that one).
   */
  answered(nsp: string, accepted: boolean): boolean {
    const line = this.lines.get(nsp);
    if (!line) return false;
    const abandoned = line.abandoned;
    if (line.connectSentAt !== undefined) {
      this.handshakes.push(this.now() - line.connectSentAt);
      if (this.handshakes.length > HANDSHAKES_KEPT) this.handshakes.shift();
      line.connectSentAt = undefined;
    }
    line.connectInFlight = false;
    line.abandoned = false;
    if (!(abandoned && accepted)) this.release(nsp, line);
    return abandoned;
  }

  /**
   * A DISCONNECT for `nsp` is being written. Returns the callback for the
   * engine to call when it hands the packet to `transport`.
   */
  disconnecting(nsp: string): (transport: string) => void {
    const line = this.line(nsp);
    line.timer?.();
    line.timer = undefined;
    line.closing = true;
    line.settleAt = undefined;
    const disconnect = ++line.disconnects;
    return (transport) => {
      // A newer DISCONNECT (or a new connection) makes this one's flush moot.
      if (this.lines.get(nsp) !== line || line.disconnects !== disconnect) return;
      line.settleAt = this.now() + (transport === "polling" ? 0 : this.websocketSettleMs());
      this.release(nsp, line);
    };
  }

  /** Runs `connect` now, or once the server can take a CONNECT for `nsp`. */
  whenOpen(nsp: string, connect: () => void): void {
    const line = this.lines.get(nsp);
    if (!line || this.clear(line)) {
      connect();
      return;
    }
    line.waiters.push(connect);
    this.release(nsp, line);
  }

  /** The connection closed: a new one starts with no namespace, and old waiters are moot. */
  reset(): void {
    for (const line of this.lines.values()) line.timer?.();
    this.lines.clear();
    this.handshakes.length = 0;
  }

  private line(nsp: string): NamespaceLine {
    let line = this.lines.get(nsp);
    if (!line) {
      line = { connectInFlight: false, abandoned: false, closing: false, disconnects: 0, waiters: [] };
      this.lines.set(nsp, line);
    }
    return line;
  }

  /** Whether a CONNECT can go now. */
  private clear(line: NamespaceLine): boolean {
    if (line.abandoned) return false;
    if (!line.closing) return true;
    return line.settleAt !== undefined && this.now() >= line.settleAt;
  }

  private release(nsp: string, line: NamespaceLine): void {
    if (this.lines.get(nsp) !== line || line.waiters.length === 0 || line.timer) return;
    if (line.abandoned || (line.closing && line.settleAt === undefined)) return;
    const wait = line.closing ? (line.settleAt ?? 0) - this.now() : 0;
    const run = () => {
      line.timer = undefined;
      if (this.lines.get(nsp) !== line) return;
      line.closing = false;
      for (const connect of line.waiters.splice(0)) connect();
    };
    if (wait <= 0) run();
    else line.timer = after(wait, run, this.timers);
  }
}
