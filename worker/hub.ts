/**
 * The hub: the registry of tabs and of the Managers and sockets they share.
 * It applies each tab's ops in order and frees everything of a tab that died.
 * It knows nothing of where it runs (see {@link HubEnv}).
 */
import { newEpoch, type HubEnv } from "./env";
import { Outbox } from "./outbox";
import {
  BRIDGE_VERSION,
  type AttachReply,
  type AttachRequest,
  type Diagnostics,
  type HubHello,
  type RecoverySessionData,
  type TabOp,
} from "./protocol";
import { ManagerEntry, authKey } from "./shared-manager";
import type { HubContext } from "./shared-socket";
import { SocketSub, TabEntry, TabManager, type ReceiverEndpoint } from "./tab";
import { collectDiagnostics } from "./diagnostics";
import { chooseCodec } from "./codecs";
import { errorData } from "./plain";

type Op<K extends TabOp["op"]> = Extract<TabOp, { op: K }>;

/** Ops a hub applies before its saved sessions are loaded (see Hub.holdEarly). */
const APPLIED_EARLY = new Set<TabOp["op"]>(["manager", "manager-set", "manager-open", "socket", "listen"]);

export class Hub implements HubContext {
  readonly tabs = new Map<string, TabEntry>();
  /** Shared Managers by connection key; each key may need several (different credentials). */
  readonly groups = new Map<string, ManagerEntry[]>();
  /** Every Manager, shared or private. */
  readonly managers = new Set<ManagerEntry>();
  overflows = 0;
  /** Which hub this is: tabs that see another epoch on the same port know the hub restarted. */
  readonly epoch: string;
  private ids = 0;
  private readonly deferred: Array<() => void> = [];
  /** Attached tabs that asked for the debug log (they get its lines). */
  private readonly debugTabs = new Set<TabEntry>();
  /**
   * A tab asked for the debug log once: the hub logs from then on, so that
   * what happens when that tab reloads or closes (grace period, end of the
   * connection) is in the hub's console too.
   */
  private debugAsked = false;

  /** Ops held until `env.ready`, in order (undefined once ready). */
  private early: Array<[TabEntry, TabOp[]]> | undefined;

  constructor(readonly env: HubEnv) {
    this.epoch = env.epoch ?? newEpoch();
    if (env.ready) {
      const early: Array<[TabEntry, TabOp[]]> = (this.early = []);
      const release = () => {
        this.early = undefined;
        this.useSavedSessions();
        for (const [tab, ops] of early) this.apply(tab, ops);
      };
      env.ready.then(release, release);
    }
  }

  /** What the hub posts first on every endpoint it serves. */
  hello(): HubHello {
    return { "socket.io-shared": "hub", epoch: this.epoch, bridge: BRIDGE_VERSION };
  }

  /** A tab attaches (it already holds its lock). `receiver` is the endpoint of its callback channel. */
  attach(req: AttachRequest, receiver: ReceiverEndpoint): TabEntry {
    if (req.bridge !== BRIDGE_VERSION) {
      throw new Error(`socket.io-shared: bridge version ${req.bridge} cannot talk to hub version ${BRIDGE_VERSION}`);
    }
    const previous = this.tabs.get(req.tabId);
    if (previous) this.removeTab(previous, "attached again");
    const entry = new TabEntry(req.tabId, receiver, {
      apply: (tab, ops) => this.apply(tab, ops),
      setTimeout: this.env.setTimeout,
      clearTimeout: this.env.clearTimeout,
    });
    entry.outbox = new Outbox({
      deliver: (batch, seq, askAck) => entry.post(batch, seq, askAck),
      nextTask: this.env.nextTask,
      setTimeout: this.env.setTimeout,
      maxBacklog: this.env.maxBacklog ?? 20_000,
      maxInFlight: this.env.maxInFlight ?? 8,
      onOverflow: (backlog) => this.overflow(entry, backlog),
    });
    this.tabs.set(req.tabId, entry);
    if (req.debug) {
      this.debugTabs.add(entry);
      this.debugAsked = true;
    }
    if (this.debugging) this.trace(`tab ${req.tabId} attached (${this.tabs.size} tabs)`);
    entry.unwatch = this.env.watchTab(req.lock, () => {
      this.removeTab(entry, "closed (its lock was released)");
      entry.closeChannel();
    });
    return entry;
  }

  attachReply(): AttachReply {
    const reply: AttachReply = { ...this.env.mode, bridge: BRIDGE_VERSION, epoch: this.epoch };
    if (this.env.hubLock) reply.hubLock = this.env.hubLock;
    return reply;
  }

  /** Applies a tab's ops in order; one bad op never stops the others. */
  apply(tab: TabEntry, ops: TabOp[]): void {
    if (this.early) ops = this.holdEarly(tab, ops);
    for (const op of ops) {
      if (tab.detached) break;
      try {
        this.applyOne(tab, op);
      } catch (err) {
        this.log(`op ${op.op} of tab ${tab.id} failed`, err);
      }
    }
    for (const fn of this.deferred.splice(0)) fn();
  }

  diagnostics(): Diagnostics {
    return collectDiagnostics(this);
  }

  /**
   * Before the saved sessions are loaded: the ops that make Managers, sockets
   * and listeners apply now, and the tab's ops from its first other op on wait
   * (a namespace's first CONNECT may resume a saved session). A `connect`
   * that waits opens its connection already: the handshake overlaps the
   * IndexedDB load (a cold start waited for both, one after the other).
   * Returns the ops to apply now.
   */
  private holdEarly(tab: TabEntry, ops: TabOp[]): TabOp[] {
    const early = this.early as Array<[TabEntry, TabOp[]]>;
    let now = early.some(([held]) => held === tab) ? 0 : ops.findIndex((op) => !APPLIED_EARLY.has(op.op));
    if (now < 0) now = ops.length;
    if (now === ops.length) return ops;
    early.push([tab, ops.slice(now)]);
    const first = ops[now] as TabOp;
    if (first.op === "connect") this.afterBatch(() => tab.sockets.get(first.ref)?.shared.manager.core.open());
    return ops.slice(0, now);
  }

  /** The sessions just loaded: sockets made meanwhile and not connected resume the hub's saved one (as {@link addSocket} prefers). */
  private useSavedSessions(): void {
    for (const entry of this.managers) {
      for (const shared of entry.sockets.values()) {
        const saved = shared.core.active ? undefined : shared.savedSession();
        if (saved) shared.core.recoverySession = saved;
      }
    }
  }

  // ------------------------------------------------------------ HubContext

  afterBatch(fn: () => void): void {
    this.deferred.push(fn);
  }

  nextId(): number {
    return ++this.ids;
  }

  released(manager: ManagerEntry): void {
    if (!manager.idle) return;
    for (const shared of manager.sockets.values()) if (shared.graceActive) return;
    this.destroyManager(manager);
  }

  savedSession(key: string): RecoverySessionData | undefined {
    return this.env.sessions?.get(key);
  }

  saveSession(key: string, session: RecoverySessionData | undefined): void {
    this.env.sessions?.set(key, session);
  }

  log(message: string, err?: unknown): void {
    console.warn(`socket.io-shared hub: ${message}`, err ?? "");
  }

  /** Whether the hub logs its decisions now: check it before building a line (it costs nothing then). */
  get debugging(): boolean {
    return this.debugAsked || this.env.debug === true;
  }

  /** One line of the debug log: in the hub's console, and to the tabs that asked (unless they share it). */
  trace(line: string): void {
    (this.env.debugLog ?? consoleDebug)(line);
    if (this.env.mode.mode === "in-page") return;
    for (const tab of this.debugTabs) tab.send({ k: "log", line });
  }

  // ------------------------------------------------------------------ ops

  private applyOne(tab: TabEntry, op: TabOp): void {
    switch (op.op) {
      case "manager": {
        const codec = chooseCodec(op.opts.parser, this.env.parsers, this.env.mode.mode);
        if (codec.error !== undefined) {
          this.log(codec.error);
          if (this.debugging) this.trace(`tab ${tab.id}: Manager refused (${codec.error})`);
        }
        tab.managers.set(op.ref, new TabManager(tab, op.ref, op, codec.parser, codec.error));
        return;
      }
      case "manager-open": {
        const tm = tab.managers.get(op.ref);
        if (tm?.refusal !== undefined) {
          if (tm.listens.has("error")) tab.send({ k: "manager", ref: tm.ref, ev: "error", args: [errorData(new Error(tm.refusal))] });
        } else if (tm) {
          (tm.entry ?? this.bind(tm)).core.open();
        }
        return;
      }
      case "manager-set": {
        const tm = tab.managers.get(op.ref);
        if (!tm) return;
        tm.settings.set(op.name, op.value);
        for (const entry of tm.entries) entry.set(op.name, op.value);
        return;
      }
      case "socket":
        return this.addSocket(tab, op);
      case "socket-close":
        tab.refused.delete(op.ref);
        return this.withSub(tab, op.ref, (sub) => {
          tab.sockets.delete(op.ref);
          sub.shared.disconnect(sub);
          sub.shared.remove(sub);
        });
      case "connect":
        if (tab.refused.has(op.ref)) return this.refuse(tab, op.ref);
        return this.withSub(tab, op.ref, (sub) => sub.shared.connect(sub));
      case "disconnect":
        return this.withSub(tab, op.ref, (sub) => sub.shared.disconnect(sub));
      case "listen":
        return this.listen(tab, op);
      case "emit": {
        const refusal = tab.refused.get(op.ref);
        // Every ack settles: an error-first one with the reason, a plain one never (as on a disconnection).
        if (refusal !== undefined && op.ack !== undefined) tab.send({ k: "ack", ref: op.ref, id: op.ack, args: [], error: refusal });
        return this.withSub(tab, op.ref, (sub) => sub.shared.emit(sub, op));
      }
      case "ack-reply":
        return this.withSub(tab, op.ref, (sub) => sub.shared.answerServerAck(sub, op.id, op.args));
      case "auth-reply":
        return this.withSub(tab, op.ref, (sub) => sub.shared.answerAuth(op.req, op.data));
      case "network":
        if (this.debugging) this.trace(`tab ${tab.id} says the network is ${op.online ? "online" : "offline"}`);
        for (const entry of this.managers) {
          if (op.online) entry.online();
          else entry.offline();
        }
        return;
    }
  }

  /** A socket the hub cannot serve: `connect_error` with the reason, and no retry (as a refusal by the server). */
  private refuse(tab: TabEntry, ref: number): void {
    const reason = tab.refused.get(ref) as string;
    const state = { connected: false, active: false, recovered: false };
    tab.send({ k: "socket", ref, ev: "connect_error", args: [errorData(new Error(reason))], state });
  }

  private withSub(tab: TabEntry, ref: number, fn: (sub: SocketSub) => void): void {
    const sub = tab.sockets.get(ref);
    if (sub) fn(sub);
  }

  private addSocket(tab: TabEntry, op: Op<"socket">): void {
    const tm = tab.managers.get(op.manager);
    if (!tm) return;
    if (tm.refusal !== undefined) {
      tab.refused.set(op.ref, tm.refusal);
      return;
    }
    const key = authKey(op.auth);
    let entry = tm.entry ?? this.bind(tm, op.nsp, key);
    if (!entry.accepts(op.nsp, key)) {
      // This tab's Manager is bound to a connection where another tab holds the
      // namespace with other credentials: credentials never mix, so this
      // namespace gets a connection of its own.
      entry = this.createManager(tm, true);
      entry.tabs.add(tm);
      tm.entries.add(entry);
    }
    const shared = entry.socketFor(op.nsp, op.auth);
    if (!shared.core.active && !shared.core.recoverySession) {
      // What the hub saved sees every event; a tab's copy only the events it listens to.
      const recovery = shared.savedSession() ?? op.recovery;
      if (recovery) shared.core.recoverySession = recovery;
    }
    const sub = new SocketSub(tab, op.ref, tm, shared, op.auth);
    shared.subs.add(sub);
    tab.sockets.set(op.ref, sub);
  }

  private listen(tab: TabEntry, op: Op<"listen">): void {
    if (op.target === "socket") {
      const sub = tab.sockets.get(op.ref);
      if (!sub) return;
      if (op.event === null) sub.any = op.on;
      else if (op.on) sub.listens.add(op.event);
      else sub.listens.delete(op.event);
      return;
    }
    const tm = tab.managers.get(op.ref);
    if (!tm || op.event === null) return;
    const set = op.target === "manager" ? tm.listens : tm.engineListens;
    if (op.on) set.add(op.event);
    else set.delete(op.event);
  }

  /** Binds a tab's Manager to a shared Manager that can serve `nsp` with these credentials. */
  private bind(tm: TabManager, nsp?: string, key?: string): ManagerEntry {
    let entry: ManagerEntry | undefined;
    if (!tm.spec.private) entry = this.groups.get(tm.spec.key)?.find((e) => e.accepts(nsp, key));
    entry ??= this.createManager(tm, tm.spec.private);
    entry.tabs.add(tm);
    tm.entry = entry;
    tm.entries.add(entry);
    // Settings are shared by every tab on a Manager: the latest change wins.
    for (const [name, value] of tm.settings) entry.set(name, value);
    return entry;
  }

  private createManager(tm: TabManager, isPrivate: boolean): ManagerEntry {
    const spec = tm.spec;
    const entry = new ManagerEntry(this, spec, isPrivate, tm.parser);
    if (this.debugging) {
      const codec = spec.opts.parser ? `, codec ${spec.opts.parser.name ?? "custom"}` : "";
      this.trace(`${entry.label}: new ${isPrivate ? "private" : "shared"} connection to ${spec.origin}${spec.opts.path ?? ""}${codec} (tab ${tm.tab.id})`);
    }
    this.managers.add(entry);
    if (!isPrivate) {
      const group = this.groups.get(spec.key) ?? [];
      group.push(entry);
      this.groups.set(spec.key, group);
    }
    return entry;
  }

  private destroyManager(entry: ManagerEntry): void {
    if (this.debugging) this.trace(`${entry.label}: closed, no tab or socket needs it`);
    entry.destroy();
    this.managers.delete(entry);
    const group = this.groups.get(entry.spec.key);
    if (!group) return;
    const rest = group.filter((e) => e !== entry);
    if (rest.length > 0) this.groups.set(entry.spec.key, rest);
    else this.groups.delete(entry.spec.key);
  }

  // ------------------------------------------------------------ lifetimes

  /** Frees everything of a tab: its sockets, listeners, pending acks and Managers. */
  removeTab(tab: TabEntry, why: string): void {
    if (tab.detached) return;
    tab.detached = true;
    tab.outbox.close();
    tab.stopListening();
    this.debugTabs.delete(tab);
    if (this.tabs.get(tab.id) === tab) this.tabs.delete(tab.id);
    if (this.debugging) this.trace(`tab ${tab.id} ${why}: freeing its sockets and Managers (${this.tabs.size} tabs left)`);
    for (const sub of tab.sockets.values()) sub.shared.remove(sub);
    for (const tm of tab.managers.values()) {
      for (const entry of tm.entries) {
        entry.tabs.delete(tm);
        this.released(entry);
      }
    }
  }

  /** A tab fell `backlog` messages behind: let it go; it re-attaches when it reads the news. */
  private overflow(tab: TabEntry, backlog: number): void {
    this.overflows++;
    const reason = `socket.io-shared: this tab fell ${backlog} messages behind; the hub detached it`;
    this.log(reason);
    this.removeTab(tab, `detached: it fell ${backlog} messages behind`);
    // The tab keeps its lock and re-attaches: stop watching this attachment.
    tab.unwatch();
    tab.outbox.sendLast({ k: "detached", reason });
  }
}

const consoleDebug = (line: string): void => console.debug(`socket.io-shared:hub ${line}`);
