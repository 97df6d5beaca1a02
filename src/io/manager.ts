/**
 * The Manager: owns one Engine.IO connection, multiplexes namespace sockets
 * over it, encodes/decodes Socket.IO packets and reconnects with backoff.
 * Same API, events and event order as socket.io-client 4.8's Manager.
 */
import type { DefaultEventsMap, EventsMap } from "@socket.io/component-emitter";
import * as defaultParser from "socket.io-parser";
import { PacketType } from "socket.io-parser";
import { Engine } from "../engine";
import { backoffDelay } from "../backoff";
import { parseUrl, type ParsedUrl } from "../url";
import type { ManagerOptions, SocketOptions } from "../options";
import type { DisconnectDescription } from "../reasons";
import type { Decoder, Encoder, ParserModule, SioPacket } from "./parser";
import { after, disposeAll, on, type Disposer } from "./subscribe";
import { Socket } from "./socket";
import { engineOptions } from "./engine-options";
import { ChunkWriter, type Chunk } from "./chunk-writer";
import { NamespaceGate } from "./namespace-gate";
import { reportListenerError, timersFor, type EngineTimers } from "../engine/env";
import { warnIgnoredOptions } from "./ignored-options";
import type { ManagerState } from "./manager-types";
import { ManagerSettings } from "./manager-settings";

export type { ManagerReservedEvents, ManagerState } from "./manager-types";

type OpenCallback = (err?: Error) => void;

/**
 * Manages one Engine.IO connection and the namespace sockets that share it.
 *
 * @example
 * const manager = new Manager("https://example.com");
 * const socket = manager.socket("/");
 * const admin = manager.socket("/admin");
 */
export class Manager<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends ManagerSettings {
  /** The Engine.IO connection; `undefined` until the first `open()`. */
  engine!: Engine;
  /** The options this Manager was created with (`path` defaulted to `/socket.io`). */
  readonly opts: Partial<ManagerOptions>;
  /** Whether sockets connect on creation (`autoConnect`). */
  readonly _autoConnect: boolean;
  /** @internal The timers of its reconnection loop and of its sockets' ack timeouts (`useNativeTimers`). */
  readonly _timers: EngineTimers;

  private state: ManagerState = "closed";
  /** Number of the current reconnection attempt; 0 when not reconnecting. */
  private attempts = 0;
  /** Bumped on every state change that makes pending callbacks stale. */
  private generation = 0;
  /** Subscriptions and timers of the current engine / backoff wait. */
  private readonly subs: Disposer[] = [];
  /** Callbacks of `open(fn)` waiting for the attempt in progress. */
  private waiters: OpenCallback[] = [];
  private readonly nsps = new Map<string, Socket>();
  private readonly url: ParsedUrl | undefined;
  private readonly parser: ParserModule;
  private readonly encoder: Encoder;
  private decoder: Decoder | undefined;
  private readonly writer = new ChunkWriter();
  private readonly gate: NamespaceGate;

  constructor(opts?: Partial<ManagerOptions>);
  constructor(uri?: string, opts?: Partial<ManagerOptions>);
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>);
  constructor(uri?: string | Partial<ManagerOptions>, opts: Partial<ManagerOptions> = {}) {
    super();
    if (uri && typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    this.opts = { ...opts, path: opts.path || "/socket.io" };
    warnIgnoredOptions(opts);
    this._timers = timersFor(opts);
    this.gate = new NamespaceGate(this._timers);
    // Without a URL, the engine takes hostname/port from the options or `location`.
    this.url = uri !== undefined || !(opts.hostname || opts.host) ? parseUrl(uri as string | undefined) : undefined;
    this.applySettings(opts);
    this.parser = opts.parser ?? (defaultParser as unknown as ParserModule);
    this.encoder = new this.parser.Encoder();
    this._autoConnect = opts.autoConnect !== false;
    if (this._autoConnect) this.open();
  }

  /** `opening`, `open` or `closed`, as socket.io-client's `_readyState`. */
  get _readyState(): "opening" | "open" | "closed" {
    return this.state === "backoff" ? "closed" : this.state;
  }

  /** Whether a reconnection loop is running (waiting or attempting). */
  get _reconnecting(): boolean {
    return this.attempts > 0;
  }

  /**
   * Opens the connection (when `autoConnect` is false, or to retry now). `fn`
   * is called once this attempt succeeds (no argument) or fails (the error);
   * with `fn`, a failure of this first attempt does not start reconnecting.
   * While a reconnection waits for its delay, `open()` makes the attempt now.
   */
  open(fn?: OpenCallback): this {
    switch (this.state) {
      case "open":
        fn?.();
        break;
      case "opening":
        if (fn) this.waiters.push(fn);
        break;
      case "backoff":
        this.attemptReconnect();
        if (fn) this.waiters.push(fn);
        break;
      case "closed":
        this.startAttempt(fn ? [fn] : [], !fn);
        break;
    }
    return this;
  }

  /** Alias of {@link Manager.open}. */
  connect(fn?: OpenCallback): this {
    return this.open(fn);
  }

  /**
   * The socket of namespace `nsp`, created on first use. Only `auth`,
   * `ackTimeout` and `retries` are read from `opts`. A known namespace gets its
   * existing socket back (reconnected if `autoConnect` and inactive).
   */
  socket(nsp: string, opts?: Partial<SocketOptions>): Socket<ListenEvents, EmitEvents> {
    let socket = this.nsps.get(nsp);
    if (!socket) {
      socket = new Socket(this as Manager, nsp, opts);
      this.nsps.set(nsp, socket);
    } else if (this._autoConnect && !socket.active) {
      socket.connect();
    }
    return socket as unknown as Socket<ListenEvents, EmitEvents>;
  }

  /** @internal Whether a socket exists for `nsp` (`io()` makes a new Manager then). */
  hasSocket(nsp: string): boolean {
    return this.nsps.has(nsp);
  }

  /** @internal Called by a socket that became inactive: closes the engine when none is active. */
  _destroy(_socket: Socket): void {
    for (const socket of this.nsps.values()) if (socket.active) return;
    this._close();
  }

  /** @internal Encodes `packet` and writes it to the engine (in order, Blobs read first). */
  _packet(packet: SioPacket & { options?: { compress?: boolean } }): void {
    const engine = this.engine;
    if (!engine) return;
    const encoded = this.encoder.encode(packet);
    // socket.io-parser returns an array of payloads; a custom codec may return one.
    const chunks = (Array.isArray(encoded) ? encoded : [encoded]) as Chunk[];
    if (packet.type === PacketType.CONNECT) this.gate.connecting(packet.nsp);
    const left = packet.type === PacketType.DISCONNECT ? this.gate.disconnecting(packet.nsp) : undefined;
    const sent = left && (() => left(engine.transport.name));
    this.writer.write(
      { write: (chunk, options) => engine.write(chunk as Parameters<Engine["write"]>[0], options, sent) },
      chunks,
      packet.options ?? {},
    );
  }

  /** @internal Runs `connect` once the server can take a CONNECT for `nsp` (see NamespaceGate). */
  _whenNamespaceFree(nsp: string, connect: () => void): void {
    this.gate.whenOpen(nsp, connect);
  }

  /** @internal The socket of `nsp` left while its CONNECT was unanswered: the answer is handled here. */
  _abandonConnect(nsp: string): void {
    this.gate.abandon(nsp);
  }

  /** @internal Closes the connection for good (no reconnection): the last socket left. */
  _close(): void {
    this.onclose("forced close", undefined, false);
  }

  /**
   * Creates an engine and waits for it to open. `waiters` hear the outcome;
   * `reconnectOnFail` starts the reconnection loop when this attempt fails.
   */
  private startAttempt(waiters: OpenCallback[], reconnectOnFail: boolean): void {
    this.cleanup();
    const generation = ++this.generation;
    const options = engineOptions(this.opts, this.url);
    const engine = this.url ? new Engine(this.url.origin, options) : new Engine(options);
    this.engine = engine;
    this.state = "opening";
    this.waiters = waiters;
    const fail = (err: Error) => {
      if (generation !== this.generation) return;
      this.cleanup();
      this.generation++;
      this.state = "closed";
      const callbacks = this.waiters.splice(0);
      this.emitReserved("error", err);
      for (const callback of callbacks) callback(err);
      if (reconnectOnFail && this._reconnection && this.attempts === 0 && this.state === "closed") {
        this.reconnect();
      }
    };
    this.subs.push(
      on(engine, "open", () => {
        if (generation !== this.generation) return;
        const callbacks = this.waiters.splice(0);
        this.onopen(engine);
        for (const callback of callbacks) callback();
      }),
      on(engine, "error", fail),
    );
    const timeout = this._timeout;
    if (timeout !== false) {
      this.subs.push(
        after(
          timeout,
          () => {
            fail(new Error("timeout"));
            engine.close();
          },
          this._timers,
        ),
      );
    }
  }

  private onopen(engine: Engine): void {
    this.cleanup();
    this.state = "open";
    const decoder = new this.parser.Decoder();
    this.decoder = decoder;
    const decoded: SioPacket[] = [];
    this.subs.push(
      on(decoder, "decoded", (packet: SioPacket) => decoded.push(packet)),
      on(engine, "ping", () => this.emitReserved("ping")),
      on(engine, "data", (data: unknown) => this.ondata(decoder, decoded, data)),
      on(engine, "error", (err: Error) => this.emitReserved("error", err)),
      on(engine, "close", (reason: string, description?: DisconnectDescription | Error) =>
        this.onclose(reason, description),
      ),
    );
    this.emitReserved("open");
  }

  private ondata(decoder: Decoder, decoded: SioPacket[], data: unknown): void {
    const generation = this.generation;
    try {
      decoder.add(data);
    } catch (err) {
      decoded.length = 0;
      this.onclose("parse error", err instanceof Error ? err : new Error(String(err)));
      return;
    }
    // Packets are dispatched after `add()` returned, so that an exception in a
    // user's listener is not mistaken for a parse error; it is rethrown on its
    // own task and does not disturb the engine that delivered the data.
    for (const packet of decoded.splice(0)) {
      if (generation !== this.generation) return;
      if (this.isAbandonedAnswer(packet)) continue;
      try {
        this.emitReserved("packet", packet);
      } catch (err) {
        reportListenerError(err);
      }
    }
  }

  /** An answer to a CONNECT whose socket left meanwhile: not the sockets' business; the server's socket is ended. */
  private isAbandonedAnswer(packet: SioPacket): boolean {
    if (packet.type !== PacketType.CONNECT && packet.type !== PacketType.CONNECT_ERROR) return false;
    const accepted = packet.type === PacketType.CONNECT;
    if (!this.gate.answered(packet.nsp, accepted)) return false;
    if (accepted) this._packet({ type: PacketType.DISCONNECT, nsp: packet.nsp });
    return true;
  }

  /**
   * The engine closed, a packet could not be decoded, or the last socket
   * left (`reconnect` false): tear down and maybe start reconnecting.
   */
  private onclose(reason: string, description?: DisconnectDescription | Error, reconnect = true): void {
    this.cleanup();
    this.generation++;
    // `open(fn)` callbacks of an attempt cut short are dropped, as in socket.io-client.
    this.waiters = [];
    this.writer.clear();
    this.gate.reset();
    this.engine?.close();
    this.attempts = 0;
    this.state = "closed";
    this.emitReserved("close", reason, description);
    if (reconnect && this._reconnection && this.state === "closed") this.reconnect();
  }

  private reconnect(): void {
    if (this.attempts >= this._reconnectionAttempts) {
      this.attempts = 0;
      this.state = "closed";
      this.emitReserved("reconnect_failed");
      return;
    }
    this.attempts++;
    const delay = backoffDelay(
      this.attempts,
      { min: this._reconnectionDelay, max: this._reconnectionDelayMax, jitter: this._randomizationFactor },
      Math.random(),
    );
    this.cleanup();
    const generation = ++this.generation;
    this.state = "backoff";
    this.subs.push(
      after(
        delay,
        () => {
          if (generation === this.generation) this.attemptReconnect();
        },
        this._timers,
      ),
    );
  }

  private attemptReconnect(): void {
    this.cleanup();
    const generation = ++this.generation;
    this.emitReserved("reconnect_attempt", this.attempts);
    // A listener of reconnect_attempt may have closed the Manager.
    if (generation !== this.generation) return;
    const settle: OpenCallback = (err) => {
      if (err) {
        if (this._reconnection) this.reconnect();
        else this.attempts = 0;
        this.emitReserved("reconnect_error", err);
      } else {
        const attempt = this.attempts;
        this.attempts = 0;
        this.emitReserved("reconnect", attempt);
      }
    };
    this.startAttempt([settle], false);
  }

  protected onReconnectionDisabled(): void {
    if (this.state === "backoff") this.stopReconnecting();
  }

  private stopReconnecting(): void {
    this.cleanup();
    this.generation++;
    this.attempts = 0;
    this.state = "closed";
  }

  private cleanup(): void {
    disposeAll(this.subs);
    this.decoder?.destroy();
    this.decoder = undefined;
  }
}
