/**
 * The tab's Manager: socket.io-client's Manager API over a Manager of the hub,
 * shared with other tabs that use the same connection (or private to this tab
 * where socket.io-client would make a new one). This class makes the ops;
 * what the hub's messages do to it is in client/inbound.ts (loaded lazily).
 */
import type { DefaultEventsMap, EventsMap } from "@socket.io/component-emitter";
import type { ManagerOptions, ManagerReservedEvents, SocketOptions } from "../src";
import { parseTabUrl } from "./url";
import type { ManagerSetting, TabOp } from "../worker/protocol";
import type { ManagerDraft, QueuedOp, TabLink } from "./link";
import type { TabContext } from "./context";
import { EngineMirror } from "./engine";
import type { SharedOptions } from "./options";
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
> extends TrackedEmitter<{}, {}, ManagerReservedEvents> {
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
  /** @internal Where this tab's ops go. */
  readonly _link: TabLink;
  /** The sockets of this Manager, by namespace. */
  readonly nsps = new Map<string, Socket<ListenEvents, EmitEvents>>();

  /** @internal The settings (getters read them; a re-attach replays those changed). */
  readonly _settings: Settings;
  /** @internal Settings this tab changed. */
  readonly _changed = new Set<ManagerSetting>();
  /** @internal `open()` was called (replayed on a fresh attachment). */
  _openRequested = false;
  /** What recreates this Manager in the hub. */
  readonly #draft: ManagerDraft;

  constructor(uri?: string | ManagerOpts, opts?: ManagerOpts) {
    super();
    if (uri && typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    const options: ManagerOpts = { ...opts };
    // The entry point sets the default (client/index.ts); tests bind a subclass to their tab.
    const tab = (new.target as typeof Manager)._tab ?? (Manager._defaultTab as (opts: ManagerOpts) => TabContext)(options);
    const parsed = parseTabUrl(uri as string | undefined);
    this.opts = options;
    this._link = tab.link;
    this._autoConnect = options.autoConnect !== false;
    this._settings = {
      reconnection: options.reconnection !== false,
      reconnectionAttempts: options.reconnectionAttempts || Infinity,
      reconnectionDelay: options.reconnectionDelay || 1000,
      reconnectionDelayMax: options.reconnectionDelayMax || 5000,
      randomizationFactor: options.randomizationFactor ?? 0.5,
      timeout: options.timeout ?? 20_000,
    };
    this._ref = this._link.register(this);
    this.engine = new EngineMirror((event, on) => this._push({ op: "listen", target: "engine", ref: this._ref, event, on }));
    this.#draft = { op: "manager-draft", ref: this._ref, origin: parsed.origin, urlQuery: parsed.query, opts: options };
    this._announce();
    // socket.io-client opens at once; here the first socket opens the hub's Manager, so that
    // it can pick the shared connection that fits the socket's credentials.
    if (this._autoConnect) queueMicrotask(() => this.nsps.size === 0 && !this._openRequested && this.open());
  }

  /** Whether to reconnect automatically (shared by every tab on this connection). */
  reconnection(): boolean;
  reconnection(v: boolean): this;
  reconnection(v?: boolean): this | boolean {
    return this.#setting("reconnection", v === undefined ? undefined : !!v) as this | boolean;
  }

  reconnectionAttempts(): number;
  reconnectionAttempts(v: number): this;
  reconnectionAttempts(v?: number): this | number {
    return this.#setting("reconnectionAttempts", v) as this | number;
  }

  reconnectionDelay(): number;
  reconnectionDelay(v: number): this;
  reconnectionDelay(v?: number): this | number {
    return this.#setting("reconnectionDelay", v) as this | number;
  }

  reconnectionDelayMax(): number;
  reconnectionDelayMax(v: number): this;
  reconnectionDelayMax(v?: number): this | number {
    return this.#setting("reconnectionDelayMax", v) as this | number;
  }

  randomizationFactor(): number;
  randomizationFactor(v: number): this;
  randomizationFactor(v?: number): this | number {
    return this.#setting("randomizationFactor", v) as this | number;
  }

  /** Connection timeout in ms (`false`: none). */
  timeout(): number | false;
  timeout(v: number | false): this;
  timeout(v?: number | false): this | number | false {
    return this.#setting("timeout", v) as this | number | false;
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
    this._openRequested = true;
    this._push({ op: "manager-open", ref: this._ref });
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

  /** @internal Tells the hub about this Manager and what it listens to. */
  _announce(): void {
    this._push(this.#draft);
    for (const event of this._subscribed) this.subscribe(event, true);
  }

  /** @internal */
  _push(op: QueuedOp): void {
    this._link.push(op);
  }

  protected subscribe(event: string, on: boolean): void {
    this._push({ op: "listen", target: "manager", ref: this._ref, event, on });
  }

  #setting(name: ManagerSetting, value: number | boolean | undefined): this | number | boolean {
    if (value === undefined) return this._settings[name];
    this._settings[name] = value;
    this._changed.add(name);
    this._push({ op: "manager-set", ref: this._ref, name, value });
    return this;
  }
}
