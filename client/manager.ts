/**
 * The tab's Manager: socket.io-client's Manager API over a Manager of the hub,
 * shared with other tabs that use the same connection (or private to this tab
 * where socket.io-client would make a new one).
 */
import type { DefaultEventsMap, EventsMap } from "@socket.io/component-emitter";
import type { ManagerOptions, ManagerReservedEvents, SocketOptions } from "../src";
import { parseTabUrl } from "./url";
import type { HubMessage, ManagerSetting, TabOp } from "../worker/protocol";
import type { Bridge, BridgeObject } from "./bridge";
import type { TabContext } from "./context";
import { EngineMirror } from "./engine";
import { wireOptions, type SharedOptions } from "./options";
import { revive } from "./revive";
import { Socket } from "./socket";
import { TrackedEmitter } from "./tracked-emitter";

/** Options of `new Manager()`: socket.io-client's, plus socket.io-shared's own. */
export type ManagerOpts = Partial<ManagerOptions> & SharedOptions;

type Settings = Record<ManagerSetting, number | boolean>;

/**
 * A connection to a Socket.IO server, shared by the tabs that use the same one.
 *
 * @example
 * const manager = new Manager("https://example.com", { reconnectionDelayMax: 10_000 });
 * const socket = manager.socket("/admin");
 */
export class Manager<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends TrackedEmitter<{}, {}, ManagerReservedEvents> implements BridgeObject {
  /** @internal The tab a subclass is bound to (one per tab in tests; the page's own otherwise). */
  static _tab: TabContext | undefined;
  /** @internal Finds the page's tab context for these options (set by the entry point). */
  static _defaultTab: ((opts: ManagerOpts) => TabContext) | undefined;

  /** Mirror of the hub's Engine.IO connection. */
  readonly engine: EngineMirror;
  /** The options this Manager was created with. */
  readonly opts: ManagerOpts;
  /** @internal */
  readonly _autoConnect: boolean;
  /** @internal */
  readonly _ref: number;
  /** @internal */
  readonly _bridge: Bridge;
  /** @internal The connection key (which tabs may share this Manager). */
  readonly _key: string;
  /** @internal Whether this Manager is this tab's alone. */
  readonly _private: boolean;
  /** The sockets of this Manager, by namespace. */
  readonly nsps = new Map<string, Socket<ListenEvents, EmitEvents>>();

  private readonly settings: Settings;
  private readonly changed = new Set<ManagerSetting>();
  private readonly origin: string;
  private openRequested = false;

  constructor(uri?: string | ManagerOpts, opts?: ManagerOpts) {
    super();
    if (uri && typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    const options: ManagerOpts = { ...opts };
    const tab = (new.target as typeof Manager)._tab ?? Manager._defaultTab?.(options);
    if (!tab) throw new Error("socket.io-shared: no hub to connect to");
    const parsed = parseTabUrl(uri as string | undefined);
    const { wire, key } = wireOptions(parsed.origin, options, parsed.query);
    this.opts = options;
    this.origin = parsed.origin;
    this._key = key;
    this._bridge = tab.bridge;
    this._private = options.forceNew === true || options.multiplex === false || tab.sharedKeys.has(key);
    if (!this._private) tab.sharedKeys.add(key);
    this._autoConnect = options.autoConnect !== false;
    this.settings = {
      reconnection: options.reconnection !== false,
      reconnectionAttempts: options.reconnectionAttempts || Infinity,
      reconnectionDelay: options.reconnectionDelay || 1000,
      reconnectionDelayMax: options.reconnectionDelayMax || 5000,
      randomizationFactor: options.randomizationFactor ?? 0.5,
      timeout: options.timeout ?? 20_000,
    };
    this._ref = this._bridge.register(this);
    this.engine = new EngineMirror((event, on) => this.push({ op: "listen", target: "engine", ref: this._ref, event, on }));
    this.spec = { op: "manager", ref: this._ref, origin: this.origin, key, opts: wire, private: this._private };
    this.announce();
    // socket.io-client opens at once; here the first socket opens the hub's Manager, so that
    // it can pick the shared connection that fits the socket's credentials.
    if (this._autoConnect) queueMicrotask(() => this.nsps.size === 0 && !this.openRequested && this.open());
  }

  private readonly spec: Extract<TabOp, { op: "manager" }>;

  /** Whether to reconnect automatically (shared by every tab on this connection). */
  reconnection(): boolean;
  reconnection(v: boolean): this;
  reconnection(v?: boolean): this | boolean {
    return this.setting("reconnection", v === undefined ? undefined : !!v) as this | boolean;
  }

  reconnectionAttempts(): number;
  reconnectionAttempts(v: number): this;
  reconnectionAttempts(v?: number): this | number {
    return this.setting("reconnectionAttempts", v) as this | number;
  }

  reconnectionDelay(): number;
  reconnectionDelay(v: number): this;
  reconnectionDelay(v?: number): this | number {
    return this.setting("reconnectionDelay", v) as this | number;
  }

  reconnectionDelayMax(): number;
  reconnectionDelayMax(v: number): this;
  reconnectionDelayMax(v?: number): this | number {
    return this.setting("reconnectionDelayMax", v) as this | number;
  }

  randomizationFactor(): number;
  randomizationFactor(v: number): this;
  randomizationFactor(v?: number): this | number {
    return this.setting("randomizationFactor", v) as this | number;
  }

  /** Connection timeout in ms (`false`: none). */
  timeout(): number | false;
  timeout(v: number | false): this;
  timeout(v?: number | false): this | number | false {
    return this.setting("timeout", v) as this | number | false;
  }

  /** Opens the connection; `fn` hears the outcome of this attempt. */
  open(fn?: (err?: Error) => void): this {
    if (fn) {
      if (this.engine.readyState === "open") {
        fn();
        return this;
      }
      const onOpen = () => settle();
      const onError = (err: Error) => settle(err);
      const settle = (err?: Error) => {
        this.off("open", onOpen);
        this.off("error", onError);
        fn(err);
      };
      this.on("open", onOpen);
      this.on("error", onError);
    }
    this.openRequested = true;
    this.push({ op: "manager-open", ref: this._ref });
    return this;
  }

  /** Alias of {@link Manager.open}. */
  connect(fn?: (err?: Error) => void): this {
    return this.open(fn);
  }

  /** The socket of namespace `nsp` on this Manager, made on first use. */
  socket(nsp: string, opts?: Partial<SocketOptions>): Socket<ListenEvents, EmitEvents> {
    let socket = this.nsps.get(nsp);
    if (!socket) {
      socket = new Socket<ListenEvents, EmitEvents>(this, nsp, opts);
      this.nsps.set(nsp, socket);
    } else if (this._autoConnect && !socket.active) {
      socket.connect();
    }
    return socket;
  }

  /** @internal */
  _applyEngine(state: Parameters<EngineMirror["_apply"]>[0]): void {
    this.engine._apply(state);
  }

  /** @internal */
  receive(message: HubMessage): void {
    if (message.k !== "manager" && message.k !== "engine") return;
    if (message.engine) this.engine._apply(message.engine);
    if (message.ev === undefined) return;
    const args = (message.args ?? []).map(revive);
    if (message.k === "engine") this.engine._emit(message.ev, args);
    else (this.emitReserved as (ev: string, ...a: unknown[]) => this)(message.ev, ...args);
  }

  /** @internal */
  replay(): void {
    this.announce();
    for (const name of this.changed) this.push({ op: "manager-set", ref: this._ref, name, value: this.settings[name] });
    for (const event of this.engine._subscriptions()) this.push({ op: "listen", target: "engine", ref: this._ref, event, on: true });
    if (this.openRequested) this.push({ op: "manager-open", ref: this._ref });
  }

  /** @internal */
  detached(): void {
    this.engine._apply({ readyState: "closed" });
  }

  protected override listenersChanged(ev?: string): void {
    for (const name of ev === undefined ? [...this.subscribed] : [ev]) {
      const on = this.resync(name);
      if (on !== undefined) this.push({ op: "listen", target: "manager", ref: this._ref, event: name, on });
    }
  }

  private announce(): void {
    this.push(this.spec);
    for (const event of this.subscribed) this.push({ op: "listen", target: "manager", ref: this._ref, event, on: true });
  }

  private setting(name: ManagerSetting, value: number | boolean | undefined): this | number | boolean {
    if (value === undefined) return this.settings[name];
    this.settings[name] = value;
    this.changed.add(name);
    this.push({ op: "manager-set", ref: this._ref, name, value });
    return this;
  }

  private push(op: TabOp): void {
    this._bridge.push(op);
  }
}
