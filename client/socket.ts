/**
 * The tab's Socket: socket.io-client's Socket API over a namespace socket the
 * hub shares between tabs. This class makes the ops (it is in the JavaScript
 * a page loads eagerly); what the hub's messages do to it is in
 * client/inbound.ts, loaded with the bridge. State (`id`, `connected`, ...)
 * arrives with the event that changes it, so it is right inside listeners.
 */
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "@socket.io/component-emitter";
import type { AuthOption, SocketOptions, SocketReservedEvents } from "../src";
import type { DecorateAcknowledgements, AllButLast, FirstArg, Last } from "../src/io/typed-events";
import { AnyListeners, type AnyListener } from "../src/io/any-listeners";
import { RESERVED_EVENTS } from "../src/reasons";
import type { RecoverySessionData, TabOp, WireAuth } from "../worker/protocol";
import { toCloneable } from "./cloneable";
import { PendingEmits, type AckFn, type EmitOp } from "./pending-emits";
import { TrackedEmitter } from "./tracked-emitter";
import type { Manager } from "./manager";

interface Flags {
  compress?: boolean;
  volatile?: boolean;
  timeout?: number;
}

/** Events the hub always sends (they carry state): no subscription. */
export const LIFECYCLE: ReadonlySet<string> = new Set(["connect", "connect_error", "disconnect"]);

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
> extends TrackedEmitter<ListenEvents, EmitEvents, SocketReservedEvents> {
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

  /** @internal This socket's number on the bridge (a new one after each reconnect from scratch). */
  _ref: number;
  /** @internal This tab wants the socket connected (`active`). */
  _wanted = false;
  /** @internal Acks waiting for the server, and emits the hub may hold. */
  readonly _pending = new PendingEmits();
  /** @internal Catch-all listeners of incoming events. */
  readonly _anyIn = new AnyListeners();
  /** @internal The connection-state-recovery session, for a future hub. */
  _recovery: RecoverySessionData | undefined;

  /** This ref has been connected once: the next `connect()` takes a fresh one. */
  #usedRef = false;
  readonly #opts: Partial<SocketOptions>;
  /** Flags for the next emit (none: undefined, so that an emit allocates nothing for them). */
  #flags: Flags | undefined;
  /** Emits made while inactive: sent after `connect()`, as socket.io-client's send buffer. */
  #held: EmitOp[] = [];
  readonly #anyOut = new AnyListeners();
  #anySubscribed = false;

  constructor(io: Manager<ListenEvents, EmitEvents>, nsp: string, opts: Partial<SocketOptions> = {}) {
    super();
    this.io = io;
    this.nsp = nsp;
    this.#opts = { ...opts };
    this.auth = opts.auth;
    this._ref = io._link.register(this);
    this._announce();
    if (io._autoConnect) this.connect();
  }

  /** Whether this tab is not connected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** Whether this tab connects, is connected, or will reconnect. */
  get active(): boolean {
    return this._wanted;
  }

  /** Connects this tab (the shared socket connects with its first tab). */
  connect(): this {
    if (this.connected) return this;
    if (!this._wanted) {
      // Connecting again (after disconnect() or a refusal) under a fresh ref: messages of the
      // previous connection still on their way are dropped, and new static credentials
      // (`socket.auth = ...` then `connect()`) reach the socket that fits them.
      if (this.#usedRef) this.#rebind();
      this.#usedRef = true;
      this._wanted = true;
    }
    // Still trying (or gave up after reconnect_failed): the hub tries now.
    this._push({ op: "connect", ref: this._ref });
    for (const op of this.#held.splice(0)) this._push(op);
    return this;
  }

  /** Alias of {@link Socket.connect}. */
  open(): this {
    return this.connect();
  }

  /** Emits a `message` event. */
  send(...args: unknown[]): this {
    return this.#emit(["message", ...args]);
  }

  /**
   * Emits an event; a trailing function is the acknowledgement callback.
   *
   * @throws Error when `ev` is reserved; TypeError when an argument cannot be sent to the worker
   */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this;
  override emit(...all: unknown[]): this {
    // One array for the name and the arguments: it is what goes to the hub.
    return this.#emit(all);
  }

  /** Emits an event and resolves with the server's acknowledgement. */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      const ack = (err: unknown, answer: FirstArg<Last<EventParams<EmitEvents, Ev>>>) => (err ? reject(err) : resolve(answer));
      this.#emit([ev, ...(args as unknown[]), ack], true);
    });
  }

  /** Disconnects this tab only; the other tabs stay connected. */
  disconnect(): this {
    const wasConnected = this.connected;
    if (this._wanted) {
      this._wanted = false;
      this._push({ op: "disconnect", ref: this._ref });
    }
    this.connected = false;
    this.id = undefined;
    if (wasConnected) this.emitReserved("disconnect", "io client disconnect");
    this._pending.fail(true);
    this._pending.held = [];
    return this;
  }

  /** Alias of {@link Socket.disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** Whether the next emit may be compressed. */
  compress(compress: boolean): this {
    (this.#flags ??= {}).compress = compress;
    return this;
  }

  /** The next emit is dropped when it cannot leave now. */
  get volatile(): this {
    (this.#flags ??= {}).volatile = true;
    return this;
  }

  /** The next emit's ack gets an Error first if the server does not answer within `timeout` ms. */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    (this.#flags ??= {}).timeout = timeout;
    return this as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;
  }

  /** Adds a listener of every incoming event. */
  onAny(listener: AnyListener): this {
    this._anyIn.add(listener);
    return this.#syncAny();
  }

  /** Like {@link Socket.onAny}, called before the others. */
  prependAny(listener: AnyListener): this {
    this._anyIn.prepend(listener);
    return this.#syncAny();
  }

  /** Removes a catch-all listener (all of them without argument). */
  offAny(listener?: AnyListener): this {
    this._anyIn.remove(listener);
    return this.#syncAny();
  }

  listenersAny(): AnyListener[] {
    return this._anyIn.snapshot();
  }

  /** Adds a listener of every event this tab emits (called at `emit()`). */
  onAnyOutgoing(listener: AnyListener): this {
    this.#anyOut.add(listener);
    return this;
  }

  prependAnyOutgoing(listener: AnyListener): this {
    this.#anyOut.prepend(listener);
    return this;
  }

  offAnyOutgoing(listener?: AnyListener): this {
    this.#anyOut.remove(listener);
    return this;
  }

  listenersAnyOutgoing(): AnyListener[] {
    return this.#anyOut.snapshot();
  }

  /** @internal Tells the hub about this socket and what it listens to. */
  _announce(): void {
    const auth = this.auth;
    const wire: WireAuth =
      typeof auth === "function" ? { kind: "function" } : { kind: "static", data: auth && toCloneable(auth, "auth") };
    const op: TabOp = { op: "socket", ref: this._ref, manager: this.io._ref, nsp: this.nsp, auth: wire };
    if (this._recovery) op.recovery = this._recovery;
    this._push(op);
    for (const event of this._subscribed) this.subscribe(event, true);
    if (this.#anySubscribed) this.subscribe(null, true);
  }

  /** @internal */
  _push(op: TabOp): void {
    this.io._link.push(op);
  }

  protected override alwaysDelivered(ev: string): boolean {
    return LIFECYCLE.has(ev);
  }

  /** `null`: the catch-all (`onAny`). */
  protected subscribe(event: string | null, on: boolean): void {
    this._push({ op: "listen", target: "socket", ref: this._ref, event, on });
  }

  /** Comes back under a new ref: the hub serves it with the socket that fits its new credentials. */
  #rebind(): void {
    const link = this.io._link;
    this._push({ op: "socket-close", ref: this._ref });
    link.forget(this._ref);
    this._ref = link.register(this);
    this._announce();
  }

  #syncAny(): this {
    const want = this._anyIn.size > 0;
    if (want !== this.#anySubscribed) {
      this.#anySubscribed = want;
      this.subscribe(null, want);
    }
    return this;
  }

  /** `all`: the event name and the arguments, in an array of this call's own. */
  #emit(all: unknown[], errorFirst = false): this {
    const ev = all[0] as string;
    if (RESERVED_EVENTS.has(ev)) throw new Error(`"${ev}" is a reserved event name`);
    const flags = this.#flags;
    this.#flags = undefined;
    const ack = all.length > 1 && typeof all[all.length - 1] === "function" ? (all.pop() as AckFn) : undefined;
    const data = toCloneable(all, () => `argument of emit("${ev}")`);
    const volatile = flags?.volatile;
    if (volatile && !this.connected) return this;
    const op: EmitOp = { op: "emit", ref: this._ref, args: data };
    const timeout = flags?.timeout ?? this.#opts.ackTimeout;
    const retries = this.#opts.retries;
    if (timeout !== undefined) op.timeout = timeout;
    if (retries && !volatile) op.retries = retries;
    if (volatile) op.volatile = true;
    if (flags?.compress === false) op.compress = false;
    this._pending.track(op, ack, errorFirst || timeout !== undefined || op.retries !== undefined, this.connected);
    this.#anyOut.call(this, data);
    if (this._wanted) this._push(op);
    else this.#held.push(op);
    return this;
  }
}
