/**
 * A tab socket's emits that the hub has not finished with: acks waiting for
 * the server's answer, and emits the hub may still hold in memory rather
 * than on the wire (made while disconnected, or queued for `retries`). If the
 * hub dies, those are sent again through the next hub and keep their acks;
 * every other pending ack settles (error-first ones with an error), so that
 * nothing waits forever. What the hub's answers do to them is in
 * client/inbound.ts (loaded with the bridge).
 */
import type { TabOp } from "../worker/protocol";

export type EmitOp = Extract<TabOp, { op: "emit" }>;
export type AckFn = (...args: unknown[]) => void;

const DISCONNECTED = "socket has been disconnected";

export interface PendingAck {
  fn: AckFn;
  errorFirst: boolean;
  op: EmitOp;
}

export class PendingEmits {
  #nextAck = 0;
  /** Acks waiting for the server, by id. */
  readonly acks = new Map<number, PendingAck>();
  /** Emits the hub may hold in memory (lost if it dies before they leave). */
  held: EmitOp[] = [];

  /**
   * Records an emit about to go to the hub: its ack (the op gets its id), and
   * whether the hub will hold it (`connected` false: it waits for the connection).
   */
  track(op: EmitOp, ack: AckFn | undefined, errorFirst: boolean, connected: boolean): void {
    if (ack) {
      op.ack = this.#nextAck++;
      this.acks.set(op.ack, { fn: ack, errorFirst, op });
    }
    if (!connected || op.retries) this.held.push(op);
  }

  /**
   * Settles pending acks, as a disconnection does in socket.io-client:
   * error-first ones get an Error, plain ones are dropped (they cannot
   * receive one). `all` false: error-first ones stay (the hub settles them
   * after its own timers). Acks of the emits in `resent` stay: they leave again.
   */
  fail(all: boolean, resent?: ReadonlySet<TabOp>): void {
    for (const [id, pending] of this.acks) {
      if (resent?.has(pending.op)) continue;
      if (pending.errorFirst && !all) continue;
      this.acks.delete(id);
      if (pending.errorFirst) pending.fn(new Error(DISCONNECTED));
    }
  }
}
