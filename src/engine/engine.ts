/**
 * The Engine.IO v4 client: one session with a server, over polling or
 * WebSocket, upgraded when it can be. It owns the handshake, the heartbeat,
 * the write buffer and the close; the transports only move bytes.
 */
import { Emitter } from "@socket.io/component-emitter";
import { protocol, type BinaryType, type Packet, type PacketType, type RawData } from "engine.io-parser";
import type { DisconnectDescription, EngineCloseReason } from "../reasons";
import { reportListenerError } from "./env";
import { onGlobal, onOffline } from "./global-events";
import { ServerError, TransportError } from "./errors";
import { parseHandshake } from "./handshake";
import { Heartbeat } from "./heartbeat";
import { createTransport, isSupported, resolveSettings, type EngineSettings, type SupportedTransport } from "./settings";
import type { Transport } from "./transport";
import type {
  EngineConstructorOptions,
  EngineEvents,
  EngineReadyState,
  Handshake,
  TransportView,
  WriteOptions,
} from "./types";
import { startProbe, type Probe } from "./upgrade";
import { WriteBuffer } from "./write-buffer";

/**
 * Whether the last connection in this realm reached WebSocket; with
 * `rememberUpgrade` the next one starts there directly.
 */
let priorWebsocketSuccess = false;

type WriteCallback = () => void;

/**
 * An Engine.IO connection (socket.io-client's `manager.engine`).
 *
 * @example
 * const engine = new Engine("http://localhost:3000", { path: "/socket.io" });
 * engine.on("open", () => engine.write("4hello"));
 * engine.on("message", (data) => console.log(data));
 */
export class Engine extends Emitter<Record<never, never>, Record<never, never>, EngineEvents> {
  /** Engine.IO protocol revision. */
  static readonly protocol = protocol;

  /** Session id, known after the handshake, null once closed. */
  id: string | null = null;
  readyState: EngineReadyState = "opening";
  /** Transports the server offered to upgrade to (those this client also allows). */
  upgrades: string[] = [];
  pingInterval = 0;
  pingTimeout = 0;
  /** Largest polling payload the server accepts, in bytes (0: no limit announced). */
  maxPayload = 0;
  /**
   * How binary messages are handed over: ArrayBuffer, or Buffer in runtimes
   * that have one (Node, Bun), as socket.io-client does there. Settable.
   */
  binaryType: BinaryType = typeof globalThis.Buffer === "function" ? "nodebuffer" : "arraybuffer";

  private current: Transport;
  private upgradingNow = false;
  private handshake: Handshake | null = null;
  /** Transports still worth trying (tryAllTransports drops the failed ones). */
  private transports: SupportedTransport[];
  private readonly settings: EngineSettings;
  private readonly heartbeat: Heartbeat;
  private readonly probes = new Set<Probe>();
  private readonly writeBuffer = new WriteBuffer();
  /** Global listeners (`offline`, `beforeunload`) to remove on close. */
  private readonly globalSubs: Array<() => void> = [];

  constructor(uri: string, opts?: EngineConstructorOptions);
  constructor(opts?: EngineConstructorOptions);
  constructor(uriOrOpts?: string | EngineConstructorOptions, maybeOpts?: EngineConstructorOptions) {
    super();
    this.settings = resolveSettings(uriOrOpts, maybeOpts);
    this.transports = this.settings.transports;
    this.heartbeat = new Heartbeat(this.settings.timers, () => this.onClose("ping timeout"));
    this.current = this.openTransport();
    const options = typeof uriOrOpts === "object" ? uriOrOpts : maybeOpts;
    if (options?.closeOnBeforeunload) {
      // The page is going away: close without a word, so no `disconnect` is seen meanwhile.
      this.globalSubs.push(
        onGlobal("beforeunload", () => {
          this.current.removeAllListeners();
          this.current.close();
        }),
      );
    }
    // A local server stays reachable offline (socket.io-client makes the same exception).
    if (this.settings.address.hostname !== "localhost") this.globalSubs.push(onOffline(() => this.handleOffline()));
  }

  /** The transport in use (its `name` and whether it can take a write now). */
  get transport(): TransportView {
    return this.current;
  }

  /** True between a successful probe and the switch to the new transport. */
  get upgrading(): boolean {
    return this.upgradingNow;
  }

  /** Sends a message. `cb` runs when it has been handed to the transport. */
  write(data: RawData, options?: WriteOptions | WriteCallback, cb?: WriteCallback): this {
    this.sendPacket("message", data, options, cb);
    return this;
  }

  /** Alias of {@link Engine.write}. */
  send(data: RawData, options?: WriteOptions | WriteCallback, cb?: WriteCallback): this {
    return this.write(data, options, cb);
  }

  /**
   * Closes the connection (reason "forced close"). Buffered packets are
   * written first, and a running upgrade is let finish.
   */
  close(): this {
    if (this.readyState !== "opening" && this.readyState !== "open") return this;
    this.readyState = "closing";
    const closeNow = () => this.onClose("forced close");
    const afterUpgrade = () => {
      if (!this.upgradingNow) return closeNow();
      const settle = () => {
        this.off("upgrade", settle);
        this.off("upgradeError", settle);
        closeNow();
      };
      this.once("upgrade", settle);
      this.once("upgradeError", settle);
    };
    if (this.writeBuffer.length > 0) this.once("drain", afterUpgrade);
    else afterUpgrade();
    return this;
  }

  /**
   * Whether the server has been silent for longer than pingInterval +
   * pingTimeout, by the wall clock. When it has, the engine closes with
   * "ping timeout" on the next microtask, even if its timer was throttled.
   */
  hasPingExpired(): boolean {
    const expired = this.heartbeat.expired();
    if (expired) queueMicrotask(() => this.onClose("ping timeout"));
    return expired;
  }

  /**
   * The network is gone (an `offline` event): close at once instead of
   * waiting for the heartbeat, as socket.io-client does. The engine listens
   * to `offline` on the global scope itself where there is one; a host that
   * learns it otherwise (a SharedWorker, told by its tabs) calls this.
   */
  handleOffline(): void {
    this.onClose("transport close", { description: "network connection lost" });
  }

  // ---------------------------------------------------------------- opening

  private openTransport(): Transport {
    const first: SupportedTransport | undefined =
      this.settings.rememberUpgrade && priorWebsocketSuccess && this.transports.includes("websocket")
        ? "websocket"
        : this.transports[0];
    const transport = this.createTransport(first ?? "polling");
    this.readyState = "opening";
    this.setTransport(transport);
    if (first === undefined) {
      // Like engine.io-client, report it asynchronously so it can be listened to.
      this.settings.timers.setTimeout(() => this.onError(new Error("No transports available")), 0);
    } else {
      transport.open();
    }
    return transport;
  }

  private createTransport(name: SupportedTransport): Transport {
    return createTransport(name, this.settings, this.id, () => this.binaryType);
  }

  private setTransport(transport: Transport): void {
    this.current?.removeAllListeners();
    this.current = transport;
    transport.on("drain", () => this.onDrain());
    transport.on("packet", (packet) => this.onPacket(packet));
    transport.on("error", (err) => this.onError(err, transport));
    transport.on("close", (details) => this.onTransportClose(transport, details));
  }

  /** A transport failed before the session opened: try the next one, if allowed. */
  private fallBack(failed: Transport): boolean {
    if (!this.settings.tryAllTransports || this.readyState !== "opening") return false;
    const rest = this.transports.filter((name) => name !== failed.name);
    if (rest.length === 0) return false;
    this.transports = rest;
    failed.removeAllListeners();
    failed.discard();
    this.current = this.openTransport();
    return true;
  }

  // ---------------------------------------------------------------- receiving

  private onPacket(packet: Packet): void {
    if (this.readyState === "closed") return;
    this.heartbeat.alive();
    this.emitSafely("packet", packet);
    this.emitSafely("heartbeat");
    // A listener may have closed the engine.
    if (this.isClosed()) return;
    if (!this.handshake) {
      if (packet.type === "open") this.onHandshake(packet.data);
      else if (packet.type === "error") this.onError(new ServerError(packet.data));
      else this.onError(new TransportError("invalid handshake", packet));
      return;
    }
    switch (packet.type) {
      case "ping":
        this.sendPacket("pong");
        this.emitSafely("ping");
        break;
      case "message":
        this.emitSafely("data", packet.data);
        this.emitSafely("message", packet.data);
        break;
      case "error":
        this.onError(new ServerError(packet.data));
        break;
      // "open" mid-session is a stray handshake: ignored. "noop" and
      // "pong" only mean the server is alive.
    }
  }

  private onHandshake(data: unknown): void {
    const handshake = parseHandshake(data);
    if (!handshake) {
      this.onError(new TransportError("invalid handshake", data));
      return;
    }
    this.handshake = handshake;
    this.id = handshake.sid;
    this.current.setSid(handshake.sid);
    this.upgrades = handshake.upgrades.filter(
      (name) => isSupported(name) && this.transports.includes(name) && name !== this.current.name,
    );
    this.pingInterval = handshake.pingInterval;
    this.pingTimeout = handshake.pingTimeout;
    this.maxPayload = handshake.maxPayload;
    this.heartbeat.start(handshake.pingInterval, handshake.pingTimeout);
    this.emitSafely("handshake", handshake);
    if (this.readyState !== "opening") return;
    this.readyState = "open";
    priorWebsocketSuccess = this.current.name === "websocket";
    this.emitSafely("open");
    this.flush();
    if (this.readyState === "open" && this.settings.upgrade) {
      for (const name of this.upgrades) if (isSupported(name)) this.probe(name);
    }
  }

  // ---------------------------------------------------------------- writing

  private sendPacket(
    type: PacketType,
    data?: RawData,
    options?: WriteOptions | WriteCallback,
    cb?: WriteCallback,
  ): void {
    if (typeof options === "function") {
      cb = options;
      options = undefined;
    }
    if (this.readyState === "closing" || this.readyState === "closed") return;
    const packet: Packet = { type, options: { compress: options?.compress !== false } };
    // The wire carries text or binary; anything else goes as its text, as
    // engine.io-client would send it (converted here, so encoding cannot fail later).
    if (data !== undefined) packet.data = isWireData(data) ? data : String(data);
    this.emitSafely("packetCreate", packet);
    this.writeBuffer.push(packet, cb);
    this.flush();
  }

  /** Hands the head of the buffer to the transport when it can take it. */
  private flush(): void {
    if (this.readyState === "closed" || this.upgradingNow || this.writeBuffer.length === 0) return;
    if (!this.current.writable || this.writeBuffer.busy) return;
    // Only polling is bounded: a POST body above maxPayload is refused.
    const { packets, callbacks } = this.writeBuffer.take(this.current.name === "polling" ? this.maxPayload : 0);
    this.current.send(packets);
    this.emitSafely("flush");
    for (const callback of callbacks) this.callSafely(callback);
  }

  private onDrain(): void {
    if (this.writeBuffer.settle() === 0) this.emitSafely("drain");
    else this.flush();
  }

  // ---------------------------------------------------------------- upgrading

  private probe(name: SupportedTransport): void {
    priorWebsocketSuccess = false;
    const probe = startProbe(this.createTransport(name), {
      current: () => this.current,
      isClosed: () => this.isClosed(),
      onAnswered: (transport) => {
        this.upgradingNow = true;
        priorWebsocketSuccess = transport.name === "websocket";
        // Only one upgrade can win.
        for (const other of this.probes) {
          if (other !== probe) other.abort(`upgraded to ${transport.name}`);
        }
        this.emitSafely("upgrading", transport);
      },
      onReady: (transport) => {
        this.probes.delete(probe);
        const previous = this.current;
        this.setTransport(transport);
        previous.discard();
        transport.send([{ type: "upgrade" }]);
        this.emitSafely("upgrade", transport);
        this.upgradingNow = false;
        this.flush();
      },
      onFailed: (err, _transport, wasAnswered) => {
        this.probes.delete(probe);
        if (wasAnswered && this.upgradingNow) {
          // The current transport was being paused for this probe: carry on with it.
          this.upgradingNow = false;
          this.current.resume();
          this.flush();
        }
        this.emitSafely("upgradeError", err);
      },
    });
    this.probes.add(probe);
  }

  // ---------------------------------------------------------------- failing and closing

  /** Read through a method: listeners can close the engine under a narrowed type. */
  private isClosed(): boolean {
    return this.readyState === "closed";
  }

  private onError(err: Error, source?: Transport): void {
    if (this.readyState === "closed") return;
    priorWebsocketSuccess = false;
    if (source && this.fallBack(source)) return;
    this.emitSafely("error", err);
    this.onClose("transport error", err);
  }

  private onTransportClose(transport: Transport, details?: DisconnectDescription): void {
    if (this.fallBack(transport)) return;
    this.onClose("transport close", details);
  }

  private onClose(reason: EngineCloseReason, description?: DisconnectDescription | Error): void {
    if (this.readyState === "closed") return;
    this.heartbeat.stop();
    const transport = this.current;
    transport.removeAllListeners();
    // A broken or closed transport has nobody left to tell; otherwise say goodbye.
    if (reason === "transport error" || reason === "transport close") transport.discard();
    else transport.close();
    this.readyState = "closed";
    this.id = null;
    for (const dispose of this.globalSubs.splice(0)) dispose();
    this.emitSafely("close", reason, description);
    for (const probe of [...this.probes]) probe.abort("socket closed");
    this.probes.clear();
    // Cleared after the event, so listeners can still see what was pending.
    this.writeBuffer.clear();
  }

  /**
   * Emits to each listener in turn; one that throws is reported and does not
   * stop the others, nor unwind through the engine mid-change.
   */
  private emitSafely<E extends keyof EngineEvents>(event: E, ...args: Parameters<EngineEvents[E]>): void {
    const listeners = this.listeners(event) as Array<(...a: unknown[]) => void>;
    if (listeners.length === 0) return;
    for (const listener of listeners.slice()) this.callSafely(() => listener.apply(this, args));
  }

  private callSafely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      reportListenerError(err);
    }
  }
}

function isWireData(data: unknown): boolean {
  return (
    typeof data === "string" ||
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data) ||
    (typeof Blob !== "undefined" && data instanceof Blob)
  );
}
