/**
 * Batching and flow control of the messages the hub sends one tab.
 *
 * Latency first: the first message after an idle moment leaves at once. While
 * messages keep coming they are coalesced and leave once per task turn, as one
 * postMessage. The tab acknowledges each batch once handled (its receiver's
 * call resolves); at most `maxInFlight` batches are unacknowledged, the rest
 * waits here (and the batches grow). When queued + in-flight messages reach
 * `maxBacklog` the outbox gives up: `onOverflow` runs (the hub detaches the
 * tab) and nothing more is queued — a tab that stopped reading never makes
 * the hub's memory grow without bound, and never slows the other tabs.
 */
import type { HubMessage } from "./protocol";

export interface OutboxOptions {
  /** Delivers one batch; resolves once the tab handled it. */
  deliver(batch: HubMessage[]): Promise<unknown>;
  nextTask(fn: () => void): void;
  maxBacklog: number;
  maxInFlight: number;
  onOverflow(backlog: number): void;
}

export class Outbox {
  private queue: HubMessage[] = [];
  private inFlightBatches = 0;
  private inFlightMessages = 0;
  /** A task-turn flush is scheduled: new messages wait for it. */
  private tickArmed = false;
  private closed = false;
  batchesSent = 0;
  messagesSent = 0;

  constructor(private readonly opts: OutboxOptions) {}

  /** Messages queued here or sent and not yet handled by the tab. */
  get backlog(): number {
    return this.queue.length + this.inFlightMessages;
  }

  push(message: HubMessage): void {
    if (this.closed) return;
    this.queue.push(message);
    if (this.backlog >= this.opts.maxBacklog) {
      const backlog = this.backlog;
      this.close();
      this.opts.onOverflow(backlog);
      return;
    }
    if (this.tickArmed) return;
    this.flush();
    this.arm();
  }

  /** Sends `message` now, outside batching and bounds (the last word to a detached tab). */
  sendLast(message: HubMessage): void {
    this.close();
    this.opts.deliver([message]).catch(() => {});
  }

  /** Drops everything; later pushes are ignored. */
  close(): void {
    this.closed = true;
    this.queue = [];
  }

  private arm(): void {
    this.tickArmed = true;
    this.opts.nextTask(() => {
      this.tickArmed = false;
      if (this.closed || this.queue.length === 0) return;
      this.flush();
      // Messages keep coming: stay in coalescing mode for one more turn.
      this.arm();
    });
  }

  private flush(): void {
    if (this.closed || this.queue.length === 0 || this.inFlightBatches >= this.opts.maxInFlight) return;
    const batch = this.queue;
    this.queue = [];
    this.inFlightBatches++;
    this.inFlightMessages += batch.length;
    this.batchesSent++;
    this.messagesSent += batch.length;
    const settle = () => {
      this.inFlightBatches--;
      this.inFlightMessages -= batch.length;
      // The tab caught up: what waited behind the in-flight bound leaves now.
      if (!this.tickArmed && this.queue.length > 0) {
        this.flush();
        this.arm();
      }
    };
    this.opts.deliver(batch).then(settle, settle);
  }
}
