import type { EngineTimers } from "../engine/env";
import { after, type Disposer } from "./subscribe";

// An ack receives whatever the server answered: its parameters are the user's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AckFn = (...args: any[]) => void;

interface PendingAck {
  fn: AckFn;
  /** Error-first callbacks (`timeout()`, `ackTimeout`, `emitWithAck`) get `null` before the answer. */
  errorFirst: boolean;
  cancelTimer?: Disposer;
}

export interface AckRegistration {
  /** ms before the ack fails with "operation has timed out". */
  timeout?: number;
  errorFirst: boolean;
  /** Called when the timer fires, before the ack gets its error (to drop the buffered packet). */
  onTimeout?: (id: number) => void;
}

/** Callbacks that take an error first even without a timeout. */
const errorFirstAcks = new WeakSet<AckFn>();

/**
 * Marks `fn` as an error-first ack: passed as the last argument of `emit`, it
 * gets `(null, ...answer)`, or an Error on timeout or disconnection, even
 * without `timeout()`/`ackTimeout` (what `emitWithAck` and the retry queue
 * use; the hub uses it for its own per-tab queues). Returns `fn`.
 */
export function markErrorFirst<T extends AckFn>(fn: T): T {
  errorFirstAcks.add(fn);
  return fn;
}

/** Whether {@link markErrorFirst} marked `fn`. */
export function isErrorFirst(fn: AckFn): boolean {
  return errorFirstAcks.has(fn);
}

/** The messages of the errors an ack can receive, as in socket.io-client. */
export const ACK_TIMEOUT_MESSAGE = "operation has timed out";
export const ACK_DISCONNECTED_MESSAGE = "socket has been disconnected";

/**
 * The acknowledgements a namespace socket waits for, by packet id. Every
 * error-first ack settles exactly once: with the answer, a timeout error or a
 * disconnection error.
 */
export class AckRegistry {
  private nextId = 0;
  private readonly pending = new Map<number, PendingAck>();

  constructor(
    private readonly thisArg: unknown,
    private readonly timers?: EngineTimers,
  ) {}

  /** Stores `fn` under a fresh packet id and returns the id. */
  register(fn: AckFn, opts: AckRegistration): number {
    const id = this.nextId++;
    const entry: PendingAck = { fn, errorFirst: opts.errorFirst || opts.timeout !== undefined };
    if (opts.timeout !== undefined) {
      entry.cancelTimer = after(
        opts.timeout,
        () => {
          if (this.pending.get(id) !== entry) return;
          this.pending.delete(id);
          opts.onTimeout?.(id);
          fn.call(this.thisArg, new Error(ACK_TIMEOUT_MESSAGE));
        },
        this.timers,
      );
    }
    this.pending.set(id, entry);
    return id;
  }

  /** Delivers the server's answer to ack `id`; unknown or settled ids are ignored. */
  settle(id: number, args: unknown[]): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.cancelTimer?.();
    if (entry.errorFirst) entry.fn.call(this.thisArg, null, ...args);
    else entry.fn.apply(this.thisArg, args);
  }

  /**
   * On disconnection: error-first acks get `Error("socket has been
   * disconnected")`; plain ones, which have no way to receive an error, are
   * dropped (socket.io-client 4.8 does the same). Acks for which `keep(id)`
   * holds (their packet is still buffered and will be sent) stay.
   */
  failAll(keep: (id: number) => boolean): void {
    for (const [id, entry] of [...this.pending]) {
      if (keep(id)) continue;
      this.pending.delete(id);
      entry.cancelTimer?.();
      if (entry.errorFirst) entry.fn.call(this.thisArg, new Error(ACK_DISCONNECTED_MESSAGE));
    }
  }

  /** How many acks are waiting. */
  get size(): number {
    return this.pending.size;
  }
}
