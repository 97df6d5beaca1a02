/**
 * A tab as the hub sees it: its outbox, its Managers and its socket
 * subscriptions, each under the number the tab gave it.
 */
import { RetryQueue } from "../src/io/retry-queue";
import type { Outbox } from "./outbox";
import type { HubMessage, ManagerSetting, TabOp, WireAuth } from "./protocol";
import { decodeOps, encodeMessages, isDataPost, type AppliedPost, type BatchPost } from "./wire";
import type { ParserModule } from "../src";
import type { ManagerEntry } from "./shared-manager";
import type { SharedSocket } from "./shared-socket";

type ManagerOp = Extract<TabOp, { op: "manager" }>;

/** The endpoint a tab receives the hub's batches on: its own port, or a view of a shared channel. */
export interface ReceiverEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void;
  start?(): void;
  close(): void;
}

/** What a tab's data port needs from the hub. */
export interface DataPlane {
  apply(tab: TabEntry, ops: TabOp[]): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How long the hub waits for a batch to carry the news of applied ops before it posts the news alone. */
const APPLIED_NEWS_MS = 5;

/** Flags an emit attempt carries to the shared socket. */
export interface EmitAttemptFlags {
  timeout?: number;
  volatile?: true;
  compress?: false;
}

export class TabEntry {
  readonly managers = new Map<number, TabManager>();
  readonly sockets = new Map<number, SocketSub>();
  /** Sockets the hub cannot serve (their Manager's codec is unknown here), with the reason. */
  readonly refused = new Map<number, string>();
  /** Set once the hub let go of this tab: later ops and messages are dropped. */
  detached = false;

  /** Stops watching the tab's lock (set by the hub once it watches). */
  unwatch: () => void = () => {};
  /** The outbox that posts on this tab's port (set right after construction: it calls {@link post}). */
  outbox!: Outbox;
  /** The last op batch of this tab the hub applied, and the last one the tab was told about. */
  private applied = 0;
  private appliedTold = 0;
  private appliedTimer: unknown;
  batchesReceived = 0;
  opsReceived = 0;

  constructor(
    readonly id: string,
    private readonly receiver: ReceiverEndpoint,
    private readonly plane: DataPlane,
  ) {
    receiver.addEventListener("message", this.onData);
    receiver.start?.();
  }

  /** Closes the data channel (the tab is gone). */
  closeChannel(): void {
    this.unwatch();
    this.stopListening();
    this.receiver.close();
  }

  /** Ignores the tab's port from now on (it was detached; it re-attaches on a new one). */
  stopListening(): void {
    this.receiver.removeEventListener("message", this.onData);
    if (this.appliedTimer !== undefined) this.plane.clearTimeout(this.appliedTimer);
    this.appliedTimer = undefined;
  }

  /** Posts batch `seq` (the outbox's deliver), with the news of the ops applied so far. */
  post(batch: HubMessage[], seq: number, askAck: boolean): void {
    this.appliedTold = this.applied;
    const post: BatchPost = { sio: "batch", seq, applied: this.applied, ack: askAck, messages: encodeMessages(batch) };
    this.receiver.postMessage(post);
  }

  private readonly onData = (event: Event): void => {
    const data = (event as MessageEvent).data as unknown;
    if (!isDataPost(data)) return;
    if (data.sio === "ack") return this.outbox.acked(data.upTo);
    if (data.sio !== "ops" || this.detached) return;
    const ops = decodeOps(data.ops);
    this.batchesReceived++;
    this.opsReceived += ops.length;
    this.plane.apply(this, ops);
    this.applied = data.seq;
    // The tab holds its ops until it hears they were applied: tell it on the next
    // batch, or shortly if none goes (not one answer per batch: that doubled the messages).
    this.appliedTimer ??= this.plane.setTimeout(() => {
      this.appliedTimer = undefined;
      if (this.appliedTold === this.applied || this.detached) return;
      this.appliedTold = this.applied;
      const news: AppliedPost = { sio: "applied", upTo: this.applied };
      this.receiver.postMessage(news);
    }, APPLIED_NEWS_MS);
  };

  send(message: HubMessage): void {
    if (!this.detached) this.outbox.push(message);
  }
}

/** A tab's Manager. It binds to a shared entry when its first socket (or `open()`) needs one. */
export class TabManager {
  /** The entry its sockets normally live on. */
  entry: ManagerEntry | undefined;
  /** Every entry this Manager uses (a conflicting namespace may need one of its own). */
  readonly entries = new Set<ManagerEntry>();
  readonly listens = new Set<string>();
  readonly engineListens = new Set<string>();
  /** Settings this tab changed (applied again when it binds to a Manager). */
  readonly settings = new Map<ManagerSetting, number | boolean>();
  /** The engine version this tab was last told about. */
  sentEngineVersion = -1;

  constructor(
    readonly tab: TabEntry,
    readonly ref: number,
    readonly spec: ManagerOp,
    /** Its codec (`undefined`: socket.io-parser). */
    readonly parser: ParserModule | undefined,
    /** Why the hub cannot serve it (its codec is unknown here); its sockets get this as `connect_error`. */
    readonly refusal: string | undefined,
  ) {}
}

/** A tab's namespace socket, subscribed to one shared socket. */
export class SocketSub {
  /** The tab wants this socket connected (it called `connect()` and not `disconnect()`). */
  wanted = false;
  readonly listens = new Set<string>();
  any = false;
  /** Ack ids of this tab's emits waiting for the server, and whether each is error-first. */
  readonly pendingAcks = new Map<number, boolean>();
  /** The socket state this tab was last told about. */
  sentId: string | undefined;
  sentConnected = false;
  sentPid: string | undefined;
  private retryQueue: RetryQueue<EmitAttemptFlags> | undefined;

  constructor(
    readonly tab: TabEntry,
    readonly ref: number,
    readonly manager: TabManager,
    readonly shared: SharedSocket,
    readonly auth: WireAuth,
  ) {}

  get live(): boolean {
    return !this.tab.detached && this.shared.subs.has(this);
  }

  /** Whether this tab receives events named `ev`. */
  listensTo(ev: string): boolean {
    return this.any || this.listens.has(ev);
  }

  /** This tab's retry queue (its own `retries` over the shared socket), made on first use. */
  queue(retries: () => number): RetryQueue<EmitAttemptFlags> {
    this.retryQueue ??= new RetryQueue<EmitAttemptFlags>(
      {
        canSend: () => this.wanted && this.shared.core.connected,
        // The core's ack is error-first only with a timeout: make it so without one.
        send: (args, flags, done) =>
          this.shared.emitAttempt(args, flags, flags.timeout !== undefined ? done : (...answer: unknown[]) => done(null, ...answer)),
      },
      { retries },
    );
    return this.retryQueue;
  }

  /** Resends the head of the retry queue (after a (re)connection). */
  flushQueue(): void {
    this.retryQueue?.flush(true);
  }

  /** Fails the queued emits (the tab is gone). */
  clearQueue(): void {
    this.retryQueue?.clear(new Error("socket has been disconnected"));
  }

  /** Number of messages this tab is subscribed to, for diagnostics. */
  get listenerCount(): number {
    return this.listens.size + (this.any ? 1 : 0);
  }
}
