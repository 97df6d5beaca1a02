/**
 * A namespace socket: connects to one namespace over its Manager's engine,
 * emits events with acknowledgements and dispatches the server's events.
 * Same API, events and event order as socket.io-client 4.8's Socket.
 */
import { Emitter, type DefaultEventsMap, type EventNames, type EventParams, type EventsMap } from "@socket.io/component-emitter";
import { PacketType } from "socket.io-parser";
import { RESERVED_EVENTS, type DisconnectDescription, type DisconnectReason } from "../reasons";
import type { AuthOption, SocketOptions } from "../options";
import type { Manager } from "./manager";
import type { ConnectError, RecoverySession, SocketReservedEvents, SocketState } from "./socket-types";
import type { SioPacket } from "./parser";
import { AckRegistry, isErrorFirst, markErrorFirst, type AckFn } from "./ack-registry";
import { CatchAllEmitter } from "./catch-all";
import { RetryQueue, type ErrorFirstAck } from "./retry-queue";
import { disposeAll, on, type Disposer } from "./subscribe";
import type { AllButLast, DecorateAcknowledgements, FirstArg, Last } from "./typed-events";

export type { ConnectError, ExtendedError, RecoverySession, SocketReservedEvents, SocketState } from "./socket-types";

/** Modifiers of the next `emit` (`volatile`, `compress()`, `timeout()`). */
interface EmitFlags {
  compress?: boolean;
  volatile?: boolean;
  timeout?: number;
  /** The emit is an attempt of the retry queue. */
  fromQueue?: boolean;
}

type OutgoingPacket = SioPacket & { options: { compress: boolean } };


const dispatchLocally = Emitter.prototype.emit as (this: unknown, ...args: unknown[]) => unknown;

/**
 * A socket of one namespace.
 *
 * @example
 * const socket = io("https://example.com/admin", { auth: { token: "abc" } });
 * socket.on("connect", () => console.log(socket.id));
 * socket.emit("hello", "world", (answer) => console.log(answer));
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends CatchAllEmitter<ListenEvents, EmitEvents, SocketReservedEvents> {
  /** The Manager this socket uses. */
  readonly io: Manager<ListenEvents, EmitEvents>;
  /** The namespace, e.g. `/` or `/admin`. */
  readonly nsp: string;
  /** Whether the last connection recovered the previous session (missed events are replayed). */
  recovered = false;
  /** Credentials sent in the CONNECT packet; a function is called on every attempt. */
  auth: AuthOption | undefined;
  /** Events received before the CONNECT packet, emitted right after it. */
  receiveBuffer: Array<readonly unknown[]> = [];
  /** Packets emitted while disconnected, sent once connected. */
  sendBuffer: OutgoingPacket[] = [];

  private state: SocketState = "inactive";
  private sid: string | undefined;
  private pid: string | undefined;
  private lastOffset: string | undefined;
  private readonly opts: Partial<SocketOptions>;
  private flags: EmitFlags = {};
  private readonly acks: AckRegistry;
  private readonly queue: RetryQueue<EmitFlags>;
  private readonly subs: Disposer[] = [];
  /** Bumped on each engine open and close: an `auth` callback from an older one is ignored. */
  private connectGeneration = 0;

  constructor(io: Manager, nsp: string, opts?: Partial<SocketOptions>) {
    super();
    this.io = io as unknown as Manager<ListenEvents, EmitEvents>;
    this.nsp = nsp;
    this.opts = { ...opts };
    this.auth = opts?.auth;
    this.acks = new AckRegistry(this, io._timers);
    this.queue = new RetryQueue<EmitFlags>(
      {
        canSend: () => this.connected,
        send: (args, flags, done) => {
          markErrorFirst(done);
          this.sendEvent([...args, done], { ...flags, fromQueue: true });
        },
      },
      { retries: () => this.opts.retries ?? 0 },
    );
    if (io._autoConnect) this.open();
  }

  /** Session id, set while connected; `undefined` otherwise. */
  get id(): string | undefined {
    return this.sid;
  }

  /** Whether the socket is connected to its namespace. */
  get connected(): boolean {
    return this.state === "connected";
  }

  /** Whether the socket is not connected. */
  get disconnected(): boolean {
    return this.state !== "connected";
  }

  /** Whether the socket connects, is connected, or will reconnect automatically. */
  get active(): boolean {
    return this.state !== "inactive";
  }

  /**
   * The connection-state-recovery session (`undefined` until the server
   * enabled `connectionStateRecovery` and a recoverable event arrived). Set
   * it before connecting to resume a session saved elsewhere; the next
   * CONNECT carries it and `recovered` tells whether the server accepted it.
   */
  get recoverySession(): RecoverySession | undefined {
    return this.pid !== undefined && this.lastOffset !== undefined
      ? { pid: this.pid, offset: this.lastOffset }
      : undefined;
  }

  set recoverySession(session: RecoverySession | undefined) {
    this.pid = session?.pid;
    this.lastOffset = session?.offset;
  }

  /** Connects (or reconnects after `disconnect()`). */
  connect(): this {
    if (this.state === "connected") return this;
    const wasActive = this.active;
    if (!wasActive) this.activate();
    if (!this.io._reconnecting) this.io.open();
    if (!wasActive && this.io._readyState === "open") this.onopen();
    return this;
  }

  /** Alias of {@link Socket.connect}. */
  open(): this {
    return this.connect();
  }

  /** Emits a `message` event. */
  send(...args: unknown[]): this {
    (this.emit as (ev: string, ...rest: unknown[]) => this)("message", ...args);
    return this;
  }

  /**
   * Emits an event; a trailing function is the acknowledgement callback.
   *
   * @throws Error when `ev` is reserved (`connect`, `disconnect`, ...)
   */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this {
    if (RESERVED_EVENTS.has(ev as string)) {
      throw new Error(`"${String(ev)}" is a reserved event name`);
    }
    const flags = this.flags;
    this.flags = {};
    const data: unknown[] = [ev, ...args];
    if (this.opts.retries && !flags.fromQueue && !flags.volatile) {
      const last = data[data.length - 1];
      const ack = typeof last === "function" ? (data.pop() as ErrorFirstAck) : undefined;
      this.queue.push(data, flags, ack);
      return this;
    }
    this.sendEvent(data, flags);
    return this;
  }

  /**
   * Emits an event and resolves with the server's acknowledgement; rejects
   * on timeout (`timeout()`/`ackTimeout`) or disconnection.
   */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      const ack = (err: Error | null, answer: FirstArg<Last<EventParams<EmitEvents, Ev>>>) =>
        err ? reject(err) : resolve(answer);
      markErrorFirst(ack);
      (this.emit as (ev: Ev, ...rest: unknown[]) => this)(ev, ...args, ack);
    });
  }

  /** Disconnects; no automatic reconnection. Closes the engine if no other socket is active. */
  disconnect(): this {
    const wasConnected = this.connected;
    if (wasConnected) this.packet({ type: PacketType.DISCONNECT, nsp: this.nsp });
    // A CONNECT in flight still makes a socket on the server: the Manager ends it when the answer comes.
    else if (this.state === "connecting") (this.io as unknown as Manager)._abandonConnect(this.nsp);
    this.deactivate();
    if (wasConnected) this.onDisconnected("io client disconnect");
    return this;
  }

  /** Alias of {@link Socket.disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** Whether the next emit may be compressed (default true). */
  compress(compress: boolean): this {
    this.flags.compress = compress;
    return this;
  }

  /** The next emit is dropped instead of buffered when it cannot leave now. */
  get volatile(): this {
    this.flags.volatile = true;
    return this;
  }

  /** The next emit's ack gets an Error first if the server does not answer within `timeout` ms. */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    this.flags.timeout = timeout;
    return this as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;
  }

  /** Builds the EVENT packet and sends, buffers or drops it. */
  private sendEvent(data: unknown[], flags: EmitFlags): void {
    const packet: OutgoingPacket = {
      type: PacketType.EVENT,
      nsp: this.nsp,
      data,
      options: { compress: flags.compress !== false },
    };
    const last = data[data.length - 1];
    if (typeof last === "function") {
      data.pop();
      const ack = last as AckFn;
      packet.id = this.acks.register(ack, {
        timeout: flags.timeout ?? this.opts.ackTimeout,
        errorFirst: isErrorFirst(ack),
        onTimeout: (id) => {
          this.sendBuffer = this.sendBuffer.filter((buffered) => buffered.id !== id);
        },
      });
    }
    const engine = this.io.engine;
    // As in socket.io-client, a volatile packet is dropped only when the
    // transport cannot take it now: while the namespace is still connecting
    // on an open engine it is buffered like any other. (A closed engine's
    // transport is never writable here, so it is dropped while disconnected.)
    if (flags.volatile && engine?.transport?.writable !== true) return;
    if (this.connected && engine !== undefined && !engine.hasPingExpired()) {
      this.anyOutgoing.call(this, data);
      this.packet(packet);
    } else {
      this.sendBuffer.push(packet);
    }
  }

  private packet(packet: SioPacket & { options?: { compress?: boolean } }): void {
    packet.nsp = this.nsp;
    this.io._packet(packet);
  }

  private activate(): void {
    this.state = "connecting";
    const io = this.io as unknown as Manager;
    this.subs.push(
      on(io, "open", () => this.onopen()),
      on(io, "packet", (packet: SioPacket) => this.onpacket(packet)),
      on(io, "error", (err: Error) => this.onerror(err)),
      on(io, "close", (reason: DisconnectReason, description?: DisconnectDescription | Error) =>
        this.onclose(reason, description),
      ),
    );
  }

  /** Stops listening to the Manager and lets it close the engine if no socket is active. */
  private deactivate(): void {
    disposeAll(this.subs);
    this.state = "inactive";
    this.connectGeneration++;
    (this.io as unknown as Manager)._destroy(this as unknown as Socket);
  }

  private onopen(): void {
    const generation = ++this.connectGeneration;
    (this.io as unknown as Manager)._whenNamespaceFree(this.nsp, () => {
      if (generation === this.connectGeneration && this.state === "connecting") this.requestConnect(generation);
    });
  }

  private requestConnect(generation: number): void {
    const auth = this.auth;
    if (typeof auth !== "function") {
      this.sendConnectPacket(auth);
      return;
    }
    let called = false;
    auth((data) => {
      // Only the first answer of the attempt in progress counts.
      if (called || generation !== this.connectGeneration || this.state !== "connecting") return;
      called = true;
      this.sendConnectPacket(data);
    });
  }

  private sendConnectPacket(auth: object | undefined): void {
    const data = this.pid !== undefined ? { pid: this.pid, offset: this.lastOffset, ...auth } : auth;
    this.packet({ type: PacketType.CONNECT, nsp: this.nsp, data });
  }

  private onerror(err: Error): void {
    if (!this.connected) this.emitReserved("connect_error", err);
  }

  /**
   * The engine closed: the socket stays active and reconnects with the
   * Manager. Like socket.io-client, `disconnect` fires even when the
   * namespace CONNECT was not answered yet (the engine had opened).
   */
  private onclose(reason: DisconnectReason, description?: DisconnectDescription | Error): void {
    this.connectGeneration++;
    this.state = "connecting";
    this.onDisconnected(reason, description);
  }

  private onDisconnected(reason: DisconnectReason, description?: DisconnectDescription | Error): void {
    this.sid = undefined;
    this.emitReserved("disconnect", reason, description);
    // Acks of packets still buffered stay: the packet leaves on reconnection.
    const buffered = new Set(this.sendBuffer.map((packet) => packet.id));
    this.acks.failAll((id) => buffered.has(id));
  }

  private onpacket(packet: SioPacket): void {
    if (packet.nsp !== this.nsp) return;
    switch (packet.type) {
      case PacketType.CONNECT:
        if (packet.data && typeof packet.data.sid === "string") {
          this.onconnect(packet.data.sid, packet.data.pid);
        } else {
          this.emitReserved(
            "connect_error",
            new Error(
              "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)",
            ),
          );
        }
        break;
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.onevent(packet);
        break;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        if (typeof packet.id === "number") this.acks.settle(packet.id, Array.isArray(packet.data) ? packet.data : []);
        break;
      case PacketType.DISCONNECT:
        this.deactivate();
        this.onDisconnected("io server disconnect");
        break;
      case PacketType.CONNECT_ERROR: {
        this.deactivate();
        const payload = packet.data as { message?: string; data?: unknown } | string | undefined;
        const err: ConnectError = new Error(typeof payload === "string" ? payload : payload?.message);
        if (typeof payload === "object" && payload !== null) err.data = payload.data;
        this.emitReserved("connect_error", err);
        break;
      }
    }
  }

  private onevent(packet: SioPacket): void {
    const args: unknown[] = Array.isArray(packet.data) ? [...packet.data] : [];
    if (packet.id != null) args.push(this.ackFor(packet.id));
    if (this.connected) this.emitEvent(args);
    else this.receiveBuffer.push(Object.freeze(args));
  }

  private emitEvent(args: readonly unknown[]): void {
    // With connection state recovery, the server appends the event's offset as its last argument.
    const last = args[args.length - 1];
    if (this.pid !== undefined && typeof last === "string") this.lastOffset = last;
    this.anyIncoming.call(this, args);
    dispatchLocally.apply(this, args as unknown[]);
  }

  /** The callback handed to listeners of an event the server wants acknowledged; answers once. */
  private ackFor(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      this.packet({ type: PacketType.ACK, nsp: this.nsp, id, data: args });
    };
  }

  private onconnect(sid: string, pid: string | undefined): void {
    this.sid = sid;
    this.recovered = pid !== undefined && this.pid === pid;
    this.pid = pid;
    this.state = "connected";
    this.emitBuffered();
    this.queue.flush(true);
    this.emitReserved("connect");
  }

  private emitBuffered(): void {
    const received = this.receiveBuffer;
    this.receiveBuffer = [];
    for (const args of received) this.emitEvent(args);
    const toSend = this.sendBuffer;
    this.sendBuffer = [];
    for (const packet of toSend) {
      this.anyOutgoing.call(this, packet.data as unknown[]);
      this.packet(packet);
    }
  }
}

export declare namespace Socket {
  /** Why a socket disconnected (the `disconnect` event's first argument). */
  type DisconnectReason = import("../reasons").DisconnectReason;
}
