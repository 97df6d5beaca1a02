/**
 * The tab's Socket: socket.io-client's Socket API over a namespace socket the
 * hub shares between tabs. State (`id`, `connected`, ...) arrives with the
 * event that changes it, so it is right inside listeners.
 */
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "@socket.io/component-emitter";
import type { AuthOption, SocketOptions, SocketReservedEvents } from "../src";
import type { DecorateAcknowledgements, AllButLast, FirstArg, Last } from "../src/io/typed-events";
import { AnyListeners, type AnyListener } from "../src/io/any-listeners";
import { RESERVED_EVENTS } from "../src/reasons";
import type { HubMessage, SocketStateData, TabOp, WireAuth } from "../worker/protocol";
import type { BridgeObject } from "./bridge";
import { toCloneable } from "./cloneable";
import { PendingEmits, type AckFn } from "./pending-emits";
import { revive } from "./revive";
import { TrackedEmitter } from "./tracked-emitter";
import type { Manager } from "./manager";

type EmitOp = Extract<TabOp, { op: "emit" }>;
interface Flags {
  compress?: boolean;
  volatile?: boolean;
  timeout?: number;
}

const LIFECYCLE = new Set(["connect", "connect_error", "disconnect"]);
const dispatchLocally = TrackedEmitter.prototype.emit as unknown as (this: unknown, ...args: unknown[]) => unknown;

/**
 * A socket of one namespace, served by the shared hub.
 *
 * @example
 * const socket = io("https://example.com");
 * socket.on("connect", () => console.log(socket.id));
 * socket.emit("hello", "world", (answer) => console.log(answer));
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends TrackedEmitter<ListenEvents, EmitEvents, SocketReservedEvents> implements BridgeObject {
  /** The Manager this socket uses. */
  readonly io: Manager<ListenEvents, EmitEvents>;
  /** The namespace, e.g. `/` or `/admin`. */
  readonly nsp: string;
  /** Session id while connected. */
  id: string | undefined;
  /** Whether this tab is connected to the namespace. */
  connected = false;
  /** Whether the last connection recovered the previous session. */
  recovered = false;
  /** Credentials: a payload (compared across tabs) or a function called on every (re)connection. */
  auth: AuthOption | undefined;

  private ref: number;
  /** This ref has been connected once: the next `connect()` takes a fresh one. */
  private usedRef = false;
  private readonly opts: Partial<SocketOptions>;
  private wanted = false;
  private flags: Flags = {};
  private readonly pending = new PendingEmits();
  /** Emits made while inactive: sent after `connect()`, as socket.io-client's send buffer. */
  private held: EmitOp[] = [];
  private readonly anyIn = new AnyListeners();
  private readonly anyOut = new AnyListeners();
  private anySubscribed = false;
  private recovery: SocketStateData["recovery"];

  constructor(io: Manager<ListenEvents, EmitEvents>, nsp: string, opts: Partial<SocketOptions> = {}) {
    super();
    this.io = io;
    this.nsp = nsp;
    this.opts = { ...opts };
    this.auth = opts.auth;
    this.ref = io._bridge.register(this);
    this.announce();
    if (io._autoConnect) this.connect();
  }

  /** Whether this tab is not connected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** Whether this tab connects, is connected, or will reconnect. */
  get active(): boolean {
    return this.wanted;
  }

  /** Connects this tab (the shared socket connects with its first tab). */
  connect(): this {
    if (this.connected) return this;
    if (this.wanted) {
      // Still trying (or gave up after reconnect_failed): ask the hub to try now.
      this.push({ op: "connect", ref: this.ref });
      return this;
    }
    // Connecting again (after disconnect() or a refusal) under a fresh ref: messages of the
    // previous connection still on their way are dropped, and new static credentials
    // (`socket.auth = ...` then `connect()`) reach the socket that fits them.
    if (this.usedRef) this.rebind();
    this.usedRef = true;
    this.wanted = true;
    this.push({ op: "connect", ref: this.ref });
    for (const op of this.held.splice(0)) this.push(op);
    return this;
  }

  /** Alias of {@link Socket.connect}. */
  open(): this {
    return this.connect();
  }

  /** Emits a `message` event. */
  send(...args: unknown[]): this {
    return this.emitLoose("message", args);
  }

  /**
   * Emits an event; a trailing function is the acknowledgement callback.
   *
   * @throws Error when `ev` is reserved; TypeError when an argument cannot be sent to the worker
   */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this {
    return this.emitLoose(ev as string, args as unknown[]);
  }

  /** Emits an event and resolves with the server's acknowledgement. */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      const ack = (err: unknown, answer: FirstArg<Last<EventParams<EmitEvents, Ev>>>) => (err ? reject(err) : resolve(answer));
      this.emitLoose(ev as string, [...(args as unknown[]), ack], true);
    });
  }

  /** Disconnects this tab only; the other tabs stay connected. */
  disconnect(): this {
    const wasConnected = this.connected;
    if (this.wanted) {
      this.wanted = false;
      this.push({ op: "disconnect", ref: this.ref });
    }
    this.connected = false;
    this.id = undefined;
    if (wasConnected) this.emitReserved("disconnect", "io client disconnect");
    this.pending.fail(true);
    this.pending.dropHeld();
    return this;
  }

  /** Alias of {@link Socket.disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** Whether the next emit may be compressed. */
  compress(compress: boolean): this {
    this.flags.compress = compress;
    return this;
  }

  /** The next emit is dropped when it cannot leave now. */
  get volatile(): this {
    this.flags.volatile = true;
    return this;
  }

  /** The next emit's ack gets an Error first if the server does not answer within `timeout` ms. */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    this.flags.timeout = timeout;
    return this as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;
  }

  /** Adds a listener of every incoming event. */
  onAny(listener: AnyListener): this {
    this.anyIn.add(listener);
    return this.syncAny();
  }

  /** Like {@link Socket.onAny}, called before the others. */
  prependAny(listener: AnyListener): this {
    this.anyIn.prepend(listener);
    return this.syncAny();
  }

  /** Removes a catch-all listener (all of them without argument). */
  offAny(listener?: AnyListener): this {
    this.anyIn.remove(listener);
    return this.syncAny();
  }

  listenersAny(): AnyListener[] {
    return this.anyIn.snapshot();
  }

  /** Adds a listener of every event this tab emits (called at `emit()`). */
  onAnyOutgoing(listener: AnyListener): this {
    this.anyOut.add(listener);
    return this;
  }

  prependAnyOutgoing(listener: AnyListener): this {
    this.anyOut.prepend(listener);
    return this;
  }

  offAnyOutgoing(listener?: AnyListener): this {
    this.anyOut.remove(listener);
    return this;
  }

  listenersAnyOutgoing(): AnyListener[] {
    return this.anyOut.snapshot();
  }

  /** @internal */
  receive(message: HubMessage): void {
    if (message.k === "ack") return this.pending.settle(message.id, message.args, message.error);
    if (message.k === "auth") return this.runAuth(message.req);
    // Not wanted: what the hub sent before it saw this tab's disconnect() is stale.
    if (message.k !== "socket" || !this.wanted) return;
    if (message.engine) this.io._applyEngine(message.engine);
    if (message.state) this.applyState(message.state);
    if (message.ev === undefined) return;
    const args = message.args ?? [];
    if (LIFECYCLE.has(message.ev)) {
      if (message.ev === "connect") this.pending.connected();
      (this.emitReserved as (ev: string, ...a: unknown[]) => this)(message.ev, ...args.map(revive));
      if (message.ev === "disconnect") {
        // Still active: the hub settles error-first acks itself; refused: nobody will.
        this.pending.fail(!this.wanted);
        if (!this.wanted) this.pending.dropHeld();
      }
      return;
    }
    // With connection state recovery the server appends each event's offset: keep the session
    // current, so that a future hub (after a worker restart) can resume it.
    const last = args[args.length - 1];
    if (this.recovery && typeof last === "string") this.recovery = { pid: this.recovery.pid, offset: last };
    const all = [message.ev, ...args];
    if (message.ack !== undefined) all.push(this.ackFor(message.ack));
    this.anyIn.call(this, all);
    dispatchLocally.apply(this, all);
  }

  /** @internal */
  replay(hubDied: boolean): void {
    this.announce();
    if (!this.wanted) return;
    this.push({ op: "connect", ref: this.ref });
    // What the dead hub held for the connection (made while disconnected, or waiting for retries).
    if (hubDied) for (const op of this.pending.heldByHub()) this.push(op);
  }

  /** @internal */
  detached(reason: string, resent: readonly TabOp[], unanswered: readonly TabOp[]): void {
    const mine = resent.filter((op): op is EmitOp => op.op === "emit" && op.ref === this.ref);
    this.pending.heldAgain(mine);
    if (this.connected) {
      this.connected = false;
      this.id = undefined;
      this.emitReserved("disconnect", "transport close", { description: reason });
    }
    // The hub forgot this tab's pending acks; those of emits that may still leave stay.
    this.pending.fail(true, new Set([...mine, ...unanswered]));
  }

  protected override alwaysDelivered(ev: string): boolean {
    return LIFECYCLE.has(ev);
  }

  protected override listenersChanged(ev?: string): void {
    const names = ev === undefined ? [...this.subscribed] : [ev];
    for (const name of names) {
      const on = this.resync(name);
      if (on !== undefined) this.push({ op: "listen", target: "socket", ref: this.ref, event: name, on });
    }
  }

  /** Comes back under a new ref: the hub serves it with the socket that fits its new credentials. */
  private rebind(): void {
    this.push({ op: "socket-close", ref: this.ref });
    this.io._bridge.forget(this.ref);
    this.ref = this.io._bridge.register(this);
    this.announce();
  }

  /** Tells the hub about this socket and what it listens to. */
  private announce(): void {
    const auth = this.auth;
    const wire: WireAuth =
      typeof auth === "function" ? { kind: "function" } : { kind: "static", data: auth && toCloneable(auth, "auth") };
    const op: TabOp = { op: "socket", ref: this.ref, manager: this.io._ref, nsp: this.nsp, auth: wire };
    if (this.recovery) op.recovery = this.recovery;
    this.push(op);
    for (const event of this.subscribed) this.push({ op: "listen", target: "socket", ref: this.ref, event, on: true });
    if (this.anySubscribed) this.push({ op: "listen", target: "socket", ref: this.ref, event: null, on: true });
  }

  private syncAny(): this {
    const want = this.anyIn.size > 0;
    if (want !== this.anySubscribed) {
      this.anySubscribed = want;
      this.push({ op: "listen", target: "socket", ref: this.ref, event: null, on: want });
    }
    return this;
  }

  private emitLoose(ev: string, input: unknown[], errorFirst = false): this {
    if (RESERVED_EVENTS.has(ev)) throw new Error(`"${ev}" is a reserved event name`);
    const flags = this.flags;
    this.flags = {};
    const args = input.slice();
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as AckFn) : undefined;
    const data = toCloneable([ev, ...args], `argument of emit("${ev}")`);
    if (flags.volatile && !this.connected) return this;
    const op: EmitOp = { op: "emit", ref: this.ref, args: data };
    const timeout = flags.timeout ?? this.opts.ackTimeout;
    const retries = this.opts.retries;
    if (timeout !== undefined) op.timeout = timeout;
    if (retries && !flags.volatile) op.retries = retries;
    if (flags.volatile) op.volatile = true;
    if (flags.compress === false) op.compress = false;
    this.pending.track(op, ack, errorFirst || timeout !== undefined || op.retries !== undefined, this.connected);
    this.anyOut.call(this, data);
    if (this.wanted) this.push(op);
    else this.held.push(op);
    return this;
  }

  private ackFor(id: number): AckFn {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      this.push({ op: "ack-reply", ref: this.ref, id, args: toCloneable(args, "ack argument") });
    };
  }

  private runAuth(req: number): void {
    const auth = this.auth;
    if (typeof auth !== "function") return;
    let answered = false;
    auth((data) => {
      if (answered) return;
      answered = true;
      this.push({ op: "auth-reply", ref: this.ref, req, data: data && toCloneable(data, "auth") });
    });
  }

  private applyState(state: SocketStateData): void {
    this.connected = state.connected;
    this.id = state.connected ? state.id : undefined;
    this.recovered = state.recovered;
    if (state.recovery) this.recovery = state.recovery;
    if (!state.active) this.wanted = false;
  }

  private push(op: TabOp): void {
    this.io._bridge.push(op);
  }
}
