/**
 * A tab's ops waiting for their post, once the bridge is loaded: encoded as
 * they come (worker/wire.ts), so that a burst of emits keeps no object per
 * emit alive until the post. Every queued op object and its argument array
 * used to live until then, and the young-generation GC copied them all: a
 * fifth to a third of a tab's time in a burst of 20,000 emits.
 *
 * What the tab may need back as the very same object travels whole: every op
 * except the emits nothing else refers to (no ack waits for them, their
 * socket holds none of them for a connection). The replay and resend code
 * (client/bridge.ts) compares ops by identity, and only ever looks for those.
 */
import type { TabOp } from "../worker/protocol";
import { OpsEncoder, decodeOps } from "../worker/wire";
import type { QueuedOp, TabLink } from "./link";
import { Socket } from "./socket";

export class OpQueue {
  private readonly encoder = new OpsEncoder();
  /** Set while the bridge replays: the emits pushed then are held ones, whatever their socket's state says. */
  replaying = false;

  constructor(
    private readonly link: TabLink,
    private readonly toWire: (op: QueuedOp) => TabOp,
  ) {}

  push(queued: QueuedOp): void {
    const op = this.toWire(queued);
    this.encoder.push(op, !this.forgettable(op));
  }

  get pending(): boolean {
    return !this.encoder.empty;
  }

  /** The queued ops, encoded (for the post), removed from the queue. */
  takeEncoded(): unknown[] {
    return this.encoder.take();
  }

  /** The queued ops as objects (those that travelled whole: the same objects), removed from the queue. */
  take(): TabOp[] {
    return decodeOps(this.encoder.take());
  }

  /**
   * An emit of a connected socket without ack: its socket tracked nothing of
   * it (it holds an emit only while not connected or with `retries`, which
   * travels whole anyway), and pushes it in the same call as it tracks.
   */
  private forgettable(op: TabOp): boolean {
    if (op.op !== "emit" || op.ack !== undefined || this.replaying) return false;
    const socket = this.link.objects.get(op.ref);
    return socket instanceof Socket && socket.connected;
  }
}
