/**
 * One Manager of the hub (shared by every tab with the same connection key and
 * compatible credentials, or private to one tab), the events it forwards to
 * the tabs that listen, and the engine state it pushes to all of them.
 */
import { Manager } from "../src";
import type { ManagerOptions, ParserModule } from "../src";
import type { EngineStateData, ManagerSetting, TabOp, WireAuth } from "./protocol";
import { toPlain } from "./plain";
import { SharedSocket, type HubContext } from "./shared-socket";
import type { TabManager } from "./tab";

type ManagerOp = Extract<TabOp, { op: "manager" }>;

const MANAGER_EVENTS = [
  "open",
  "error",
  "ping",
  "close",
  "reconnect",
  "reconnect_attempt",
  "reconnect_error",
  "reconnect_failed",
] as const;
const ENGINE_EVENTS = ["upgrade", "packet", "packetCreate", "drain", "close"] as const;
/** Events after which `manager.engine` shows something new. */
const ENGINE_STATE_EVENTS = new Set(["open", "close", "upgrade"]);

type Listener = (...args: unknown[]) => void;
interface EventSource {
  on(ev: string, fn: Listener): unknown;
  off(ev: string, fn: Listener): unknown;
}

/** A stable key of a static `auth` payload: deep-equal payloads (key order ignored) get the same key. */
export function authKey(auth: WireAuth): string {
  return auth.kind === "function" ? "ƒ" : stableStringify(auth.data ?? null);
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const keys = Object.keys(value).sort();
  const record = value as Record<string, unknown>;
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(record[k])}`).join(",")}}`;
}

/** Numbers Managers in the debug log. */
let managersMade = 0;

export class ManagerEntry {
  readonly core: Manager;
  /** How the debug log names it. */
  readonly label = `manager #${++managersMade}`;
  readonly tabs = new Set<TabManager>();
  readonly sockets = new Map<string, SharedSocket>();
  /** Bumped whenever what `manager.engine` shows changes. */
  engineVersion = 0;
  private readonly disposers: Array<() => void> = [];
  private watchedEngine: unknown;
  /** `close` was forwarded and no `open` came since (see onManagerEvent). */
  private closeForwarded = false;
  private engineDisposers: Array<() => void> = [];

  constructor(
    readonly hub: HubContext,
    readonly spec: ManagerOp,
    readonly isPrivate: boolean,
    parser: ParserModule | undefined,
  ) {
    const { parser: _name, gracePeriod: _grace, ...wire } = spec.opts;
    const opts: Partial<ManagerOptions> = { ...wire, autoConnect: false };
    if (parser) opts.parser = parser;
    this.core = new Manager(spec.origin, opts);
    for (const ev of MANAGER_EVENTS) {
      this.listen(this.core as unknown as EventSource, ev, (...args) => this.onManagerEvent(ev, args), this.disposers);
    }
  }

  /** `manager.engine` as a tab shows it. */
  engineState(): EngineStateData {
    const engine = this.core.engine;
    if (!engine) return { readyState: "closed" };
    return { id: engine.id ?? undefined, readyState: engine.readyState, transport: engine.transport?.name };
  }

  /** The engine state if `tm` has not seen this version yet (and marks it seen). */
  engineFor(tm: TabManager): EngineStateData | undefined {
    if (tm.sentEngineVersion === this.engineVersion || tm.entry !== this) return undefined;
    tm.sentEngineVersion = this.engineVersion;
    return this.engineState();
  }

  /** Whether namespace `nsp` with credentials `key` can be served here. */
  accepts(nsp: string | undefined, key: string | undefined): boolean {
    if (nsp === undefined) return true;
    const existing = this.sockets.get(nsp);
    return !existing || existing.authKey === key;
  }

  /** The shared socket of `nsp`, made on first use. */
  socketFor(nsp: string, auth: WireAuth): SharedSocket {
    let shared = this.sockets.get(nsp);
    if (!shared) {
      shared = new SharedSocket(this.hub, this, nsp, authKey(auth), auth);
      this.sockets.set(nsp, shared);
    }
    return shared;
  }

  /** Applies a Manager setting; every tab on this Manager shares it. */
  set(name: ManagerSetting, value: number | boolean): void {
    const core = this.core;
    switch (name) {
      case "reconnection":
        core.reconnection(Boolean(value));
        break;
      case "timeout":
        core.timeout(value === false ? false : Number(value));
        break;
      default:
        core[name](Number(value));
    }
  }

  /** The network went away: close the transport now (reconnection then follows its backoff). */
  offline(): void {
    const engine = this.core.engine;
    if (engine && (engine.readyState === "open" || engine.readyState === "opening")) engine.handleOffline();
  }

  /** The network is back: a reconnection waiting for its delay tries now. */
  online(): void {
    if (this.core._reconnecting) this.core.open();
  }

  /** Whether no tab and no socket need this Manager any more. */
  get idle(): boolean {
    return this.tabs.size === 0 && this.sockets.size === 0;
  }

  /** Closes the connection and forgets every listener. */
  destroy(): void {
    for (const shared of [...this.sockets.values()]) shared.dispose();
    if (this.core._readyState !== "closed" || this.core._reconnecting) this.core._close();
    for (const dispose of this.disposers.splice(0)) dispose();
    for (const dispose of this.engineDisposers.splice(0)) dispose();
  }

  /** Whether another socket than `except` keeps the transport busy. */
  otherSocketsActive(except: SharedSocket): boolean {
    for (const shared of this.sockets.values()) if (shared !== except && shared.core.active) return true;
    return false;
  }

  private onManagerEvent(ev: string, args: unknown[]): void {
    if (ev !== "ping" && this.hub.debugging) this.trace(ev, args);
    if (ev === "close") {
      // Ending a grace period closes the transport, then leaves the namespace, which closes
      // the (already closed) Manager again: tabs hear one `close` per connection.
      if (this.closeForwarded) return;
      this.closeForwarded = true;
    } else if (ev === "open") {
      this.closeForwarded = false;
    }
    if (ev === "open") this.watchEngine();
    if (ENGINE_STATE_EVENTS.has(ev)) this.engineVersion++;
    this.forward("manager", ev, args);
  }

  private trace(ev: string, args: unknown[]): void {
    const arg = args[0];
    const detail = arg instanceof Error ? `: ${arg.message}` : typeof arg === "string" || typeof arg === "number" ? ` ${arg}` : "";
    const transport = ev === "open" ? ` over ${this.engineState().transport}` : "";
    this.hub.trace(`${this.label}: ${ev}${detail}${transport}`);
  }

  private onEngineEvent(ev: string, args: unknown[]): void {
    if (ev === "upgrade" && this.hub.debugging) this.hub.trace(`${this.label}: upgraded to ${this.engineState().transport}`);
    if (ENGINE_STATE_EVENTS.has(ev)) this.engineVersion++;
    this.forward("engine", ev, args);
  }

  /** Sends `ev` to the tabs that listen to it, and fresh engine state to every tab that needs it. */
  private forward(k: "manager" | "engine", ev: string, args: unknown[]): void {
    let plainArgs: unknown[] | undefined;
    for (const tm of this.tabs) {
      const listens = (k === "manager" ? tm.listens : tm.engineListens).has(ev);
      const engine = this.engineFor(tm);
      if (!listens && !engine) continue;
      if (listens) plainArgs ??= args.map(plainEventArg);
      tm.tab.send({ k, ref: tm.ref, ev: listens ? ev : undefined, args: listens ? plainArgs : undefined, engine });
    }
  }

  /** Follows the events of the current engine (a new one is made for every connection attempt). */
  private watchEngine(): void {
    const engine = this.core.engine;
    if (!engine || engine === this.watchedEngine) return;
    for (const dispose of this.engineDisposers.splice(0)) dispose();
    this.watchedEngine = engine;
    for (const ev of ENGINE_EVENTS) {
      this.listen(engine as unknown as EventSource, ev, (...args) => this.onEngineEvent(ev, args), this.engineDisposers);
    }
  }

  private listen(source: EventSource, ev: string, fn: Listener, into: Array<() => void>): void {
    source.on(ev, fn);
    into.push(() => source.off(ev, fn));
  }
}

/** Engine/manager event arguments made cloneable (a transport becomes `{ name }`). */
function plainEventArg(arg: unknown): unknown {
  if (arg && typeof arg === "object" && "name" in arg && "writable" in arg) {
    return { name: (arg as { name: unknown }).name };
  }
  return toPlain(arg);
}
