/**
 * At-least-once, in-order delivery of emits that expect an acknowledgement
 * (socket.io-client's `retries` option). One emit is in flight at a time; the
 * next one leaves only when the previous one was acknowledged or gave up.
 *
 * The queue knows nothing of sockets: a target sends one attempt and reports
 * its outcome. A namespace Socket owns one; the worker hub runs one per tab
 * over a shared socket.
 */

/** Outcome of one attempt, or of the whole emit: `null` + the answer, or an error. */
// The answer's shape is the user's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorFirstAck = (err: Error | null, ...response: any[]) => void;

export interface RetryQueueTarget<F> {
  /** Whether an attempt can be sent now (the socket is connected). */
  canSend(): boolean;
  /**
   * Sends one attempt of `args` (the event name first). `done` must be called
   * once: with `null` and the answer, or with an error (ack timeout,
   * disconnection). Extra calls are ignored.
   */
  send(args: readonly unknown[], flags: F, done: ErrorFirstAck): void;
}

export interface RetryQueueOptions {
  /** Retries after the first attempt before the emit fails. A getter is read at each failure. */
  retries: number | (() => number);
}

interface QueuedEmit<F> {
  readonly args: readonly unknown[];
  readonly flags: F;
  readonly ack: ErrorFirstAck | undefined;
  /** Attempts sent so far. */
  tries: number;
  inFlight: boolean;
}

export class RetryQueue<F = undefined> {
  private readonly items: QueuedEmit<F>[] = [];

  constructor(
    private readonly target: RetryQueueTarget<F>,
    private readonly options: RetryQueueOptions,
  ) {}

  /** Number of emits not yet acknowledged or failed (the head included). */
  get length(): number {
    return this.items.length;
  }

  /**
   * Queues an emit; `ack` gets `(null, ...answer)` once the server
   * acknowledged, or the last attempt's error once the retries ran out.
   */
  push(args: readonly unknown[], flags: F, ack?: ErrorFirstAck): void {
    this.items.push({ args, flags, ack, tries: 0, inFlight: false });
    this.flush();
  }

  /**
   * Sends the head if nothing is in flight and the target can send. On
   * (re)connection call it with `resend: true`: the head's attempt may have
   * been lost with the old connection, so it leaves again.
   */
  flush(resend = false): void {
    const head = this.items[0];
    if (!head || !this.target.canSend()) return;
    if (head.inFlight && !resend) return;
    head.inFlight = true;
    head.tries++;
    const attempt = head.tries;
    let reported = false;
    this.target.send(head.args, head.flags, (err, ...response) => {
      if (reported) return;
      reported = true;
      this.onOutcome(head, attempt, err, response);
    });
  }

  /** Fails every queued emit with `error` and empties the queue (e.g. its owner went away). */
  clear(error: Error): void {
    for (const item of this.items.splice(0)) item.ack?.(error);
  }

  private onOutcome(item: QueuedEmit<F>, attempt: number, err: Error | null, response: unknown[]): void {
    // Answers for an emit that already settled, and errors of an attempt that
    // a newer one superseded, change nothing.
    if (this.items[0] !== item) return;
    if (err && attempt !== item.tries) return;
    if (err && item.tries <= this.retries()) {
      item.inFlight = false;
      this.flush();
      return;
    }
    this.items.shift();
    try {
      if (err) item.ack?.(err);
      else item.ack?.(null, ...response);
    } finally {
      this.flush();
    }
  }

  private retries(): number {
    const { retries } = this.options;
    return typeof retries === "function" ? retries() : retries;
  }
}
