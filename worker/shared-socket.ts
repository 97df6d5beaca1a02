/**
 * One namespace socket of the hub, shared by the tabs subscribed to it: fans
 * the server's events out to the tabs that listen, routes acks both ways,
 * connects with the first tab and lets go after the last one.
 */
import type { Socket } from "../src";
import type { ErrorFirstAck } from "../src/io/retry-queue";
import type { HubEnv } from "./env";
import { errorData, toPlain } from "./plain";
import type { HubMessage, RecoverySessionData, SocketStateData, TabOp, WireAuth } from "./protocol";
import { sessionKey } from "./session-store";
import type { ManagerEntry } from "./shared-manager";
import type { EmitAttemptFlags, SocketSub } from "./tab";
import { AuthRelay, type AuthCallback } from "./auth-relay";

type EmitOp = Extract<TabOp, { op: "emit" }>;
type LooseEmit = (...args: unknown[]) => unknown;

/** What a shared socket needs from the hub around it. */
export interface HubContext {
  env: HubEnv;
  nextId(): number;
  /** Runs `fn` once the tab's current batch of ops has been applied. */
  afterBatch(fn: () => void): void;
  /** A socket let go of `manager`: the hub closes it if nothing else needs it. */
  released(manager: ManagerEntry): void;
  /** The recovery session an earlier hub saved under `key`. */
  savedSession(key: string): RecoverySessionData | undefined;
  /** Saves (or forgets) the recovery session of `key` for a later hub. */
  saveSession(key: string, session: RecoverySessionData | undefined): void;
  log(message: string, err?: unknown): void;
  /** Whether the debug log is on: check it before building a line. */
  readonly debugging: boolean;
  /** One line of the debug log. */
  trace(line: string): void;
}

interface ServerAck {
  fn: (...args: unknown[]) => void;
  /** Tabs that got the event; once none is left nobody can answer. */
  subs: Set<SocketSub>;
}

export class SharedSocket {
  readonly core: Socket;
  readonly subs = new Set<SocketSub>();
  private readonly serverAcks = new Map<number, ServerAck>();
  private readonly auth: AuthRelay;
  private graceTimer: unknown;
  /** Events that arrived while the last tab was gone, for a tab re-attaching within the grace period. */
  private held: unknown[][] = [];
  private readonly disposers: Array<() => void> = [];
  /** Where this socket's recovery session is saved (shared sockets only: a private one is one tab's). */
  private readonly sessionKey: string | undefined;

  constructor(
    private readonly hub: HubContext,
    readonly manager: ManagerEntry,
    readonly nsp: string,
    readonly authKey: string,
    auth: WireAuth,
  ) {
    this.sessionKey = manager.isPrivate ? undefined : sessionKey(manager.spec.key, nsp, authKey);
    this.auth = new AuthRelay(() => hub.nextId(), this.subs);
    const coreAuth = auth.kind === "function" ? (cb: AuthCallback) => this.auth.ask(cb) : auth.data;
    this.core = manager.core.socket(nsp, coreAuth ? { auth: coreAuth } : {}) as unknown as Socket;
    // The core keeps one socket per namespace for the Manager's life; a reused one gets these credentials.
    this.core.auth = coreAuth;
    const core = this.core as unknown as {
      on(ev: string, fn: (...args: never[]) => void): unknown;
      off(ev: string, fn: (...args: never[]) => void): unknown;
    };
    const onConnect = () => this.onConnect();
    const onConnectError = (err: Error) => this.onLifecycle("connect_error", [errorData(err)]);
    const onDisconnect = (reason: string, description?: unknown) =>
      this.onLifecycle("disconnect", [reason, toPlain(description)]);
    const onAny = (...args: unknown[]) => this.onEvent(args);
    core.on("connect", onConnect);
    core.on("connect_error", onConnectError);
    core.on("disconnect", onDisconnect);
    this.core.onAny(onAny);
    this.disposers.push(
      () => core.off("connect", onConnect),
      () => core.off("connect_error", onConnectError),
      () => core.off("disconnect", onDisconnect),
      () => this.core.offAny(onAny),
    );
  }

  /** The socket's state as the tabs show it. */
  state(): SocketStateData {
    const core = this.core;
    return {
      id: core.id,
      connected: core.connected,
      active: core.active,
      recovered: core.recovered,
      recovery: core.recoverySession,
    };
  }

  /** Tabs that want this socket connected. */
  get attached(): number {
    let n = 0;
    for (const sub of this.subs) if (sub.wanted) n++;
    return n;
  }

  get serverAckCount(): number {
    return this.serverAcks.size;
  }

  /** Server events held for a tab coming back within the grace period. */
  get heldCount(): number {
    return this.held.length;
  }

  get graceActive(): boolean {
    return this.graceTimer !== undefined;
  }

  /** The recovery session an earlier hub saved for this socket. */
  savedSession(): RecoverySessionData | undefined {
    return this.sessionKey === undefined ? undefined : this.hub.savedSession(this.sessionKey);
  }

  /** A tab calls `connect()`: connect with the first tab, or give a late tab a snapshot. */
  connect(sub: SocketSub): void {
    if (sub.wanted) {
      // Asked again while not connected (e.g. after reconnect_failed): try now, as socket.io-client does.
      if (!this.core.connected) this.core.connect();
      return;
    }
    sub.wanted = true;
    this.cancelGrace(sub);
    const core = this.core;
    if (this.hub.debugging) {
      const what = core.connected ? "attaches to the connected socket" : core.active ? "waits for the connection" : "connects it";
      this.trace(`tab ${sub.tab.id} ${what} (${this.attached} tabs)`);
    }
    if (core.connected) {
      this.sendTo(sub, { k: "socket", ref: sub.ref, ev: "connect" }, true);
      sub.flushQueue();
      // After the rest of the tab's batch: the listeners it registers with io() come after this op.
      if (this.held.length > 0) this.hub.afterBatch(() => this.deliverHeld(sub));
    } else if (!core.active) {
      core.connect();
    }
    this.auth.tabJoined();
  }

  /** A tab calls `disconnect()`: detach it; the last one disconnects the namespace. */
  disconnect(sub: SocketSub): void {
    if (!sub.wanted) return;
    this.unwant(sub);
    if (this.hub.debugging) this.trace(`tab ${sub.tab.id} disconnects (${this.attached} tabs left)`);
    if (this.attached === 0) {
      if (this.hub.debugging) this.trace("no tab left: leaving the namespace");
      this.core.disconnect();
      // The server forgets the session of a namespace that disconnects.
      this.saveSession(undefined);
    }
  }

  /** The tab is gone (or detached): forget it; after the last one, let go (with a grace period). */
  remove(sub: SocketSub): void {
    const wasWanted = sub.wanted;
    this.unwant(sub);
    sub.clearQueue();
    this.subs.delete(sub);
    if (wasWanted && this.attached === 0) {
      const grace = this.manager.spec.opts.gracePeriod ?? this.hub.env.graceMs ?? 1000;
      if (grace > 0 && this.core.active) {
        if (this.hub.debugging) this.trace(`its last tab (${sub.tab.id}) is gone: kept for a grace period of ${grace} ms`);
        this.graceTimer = this.hub.env.setTimeout(() => this.endGrace(), grace);
        return;
      }
      if (this.hub.debugging) this.trace(`its last tab (${sub.tab.id}) is gone: leaving the namespace`);
      this.core.disconnect();
    }
    this.maybeDispose();
  }

  /** Sends one emit of a tab (its own timeout/retries apply). */
  emit(sub: SocketSub, op: EmitOp): void {
    const flags: EmitAttemptFlags = {};
    if (op.timeout !== undefined) flags.timeout = op.timeout;
    if (op.volatile) flags.volatile = true;
    if (op.compress === false) flags.compress = false;
    const id = op.ack;
    let done: ErrorFirstAck | undefined;
    if (id !== undefined) {
      sub.pendingAcks.set(id, op.timeout !== undefined || !!op.retries);
      done = (err, ...answer) => this.replyAck(sub, id, err, answer);
    }
    if (op.retries && !op.volatile) {
      const retries = op.retries;
      sub.queue(() => retries).push(op.args, flags, done);
      return;
    }
    if (!done) {
      this.emitAttempt(op.args, flags);
      return;
    }
    const errorFirst = done;
    this.emitAttempt(op.args, flags, op.timeout !== undefined ? errorFirst : (...answer: unknown[]) => errorFirst(null, ...answer));
  }

  /** One attempt on the core socket, with this emit's flags. */
  emitAttempt(args: readonly unknown[], flags: EmitAttemptFlags, ack?: (...args: never[]) => void): void {
    let target = this.core;
    if (flags.volatile) target = target.volatile;
    if (flags.compress === false) target = target.compress(false);
    if (flags.timeout !== undefined) target = target.timeout(flags.timeout) as unknown as Socket;
    const emit = target.emit as unknown as LooseEmit;
    if (ack) emit.call(target, ...args, ack);
    else emit.call(target, ...args);
  }

  /** A tab answered a server event that asked for an ack: the first answer wins. */
  answerServerAck(sub: SocketSub, id: number, args: unknown[]): void {
    const pending = this.serverAcks.get(id);
    if (!pending || !pending.subs.has(sub)) return;
    this.serverAcks.delete(id);
    pending.fn(...args);
  }

  /** A tab answered an auth request. */
  answerAuth(req: number, data: Record<string, unknown> | undefined): void {
    this.auth.answer(req, data);
  }

  /** Forgets every listener on the core socket. */
  dispose(): void {
    this.cancelGrace();
    for (const dispose of this.disposers.splice(0)) dispose();
    this.serverAcks.clear();
    this.held = [];
    if (this.manager.sockets.get(this.nsp) === this) this.manager.sockets.delete(this.nsp);
  }

  private maybeDispose(): void {
    if (this.subs.size > 0 || this.graceActive || this.core.active) return;
    this.dispose();
    this.hub.released(this.manager);
  }

  private unwant(sub: SocketSub): void {
    if (!sub.wanted) return;
    sub.wanted = false;
    sub.sentConnected = false;
    sub.sentId = undefined;
    sub.pendingAcks.clear();
    for (const [id, pending] of this.serverAcks) {
      if (pending.subs.delete(sub) && pending.subs.size === 0) this.serverAcks.delete(id);
    }
    this.auth.tabLeft(sub);
  }

  private cancelGrace(back?: SocketSub): void {
    if (this.graceTimer === undefined) return;
    if (back && this.hub.debugging) this.trace(`tab ${back.tab.id} is back within the grace period (${this.held.length} events held)`);
    this.hub.env.clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  /**
   * Nobody came back: close the transport if no other socket uses it (the
   * server keeps a recovery session for a transport close, not for a
   * namespace disconnect), else leave the namespace.
   */
  private endGrace(): void {
    this.graceTimer = undefined;
    this.held = [];
    if (this.attached > 0) return;
    const closeTransport = !this.manager.otherSocketsActive(this);
    if (this.hub.debugging) {
      this.trace(`grace period over, no tab came back: ${closeTransport ? "closing the transport (a recoverable end)" : "leaving the namespace"}`);
    }
    if (closeTransport) this.manager.core._close();
    this.core.disconnect();
    this.maybeDispose();
  }

  /** A debug line about this socket (call only when `hub.debugging`). */
  private trace(line: string): void {
    this.hub.trace(`socket ${this.nsp} (${this.manager.label}): ${line}`);
  }

  private saveSession(session: RecoverySessionData | undefined): void {
    if (this.sessionKey !== undefined) this.hub.saveSession(this.sessionKey, session);
  }

  private onConnect(): void {
    if (this.hub.debugging) this.trace(`connected as ${this.core.id}${this.core.recovered ? ", session recovered" : ""}`);
    // A new session (not recovered) replaces the saved one; its first event brings its offset.
    this.saveSession(this.core.recoverySession);
    for (const sub of this.subs) {
      if (!sub.wanted) continue;
      this.sendTo(sub, { k: "socket", ref: sub.ref, ev: "connect" }, true);
    }
    for (const sub of this.subs) if (sub.wanted) sub.flushQueue();
  }

  /** connect_error / disconnect: every attached tab hears it, with the new state. */
  private onLifecycle(ev: "connect_error" | "disconnect", args: unknown[]): void {
    const stillActive = this.core.active;
    if (this.hub.debugging) {
      const first = args[0];
      const what = typeof first === "string" ? first : (first as { message?: string } | undefined)?.message;
      this.trace(`${ev}: ${what}${stillActive ? "" : " (not retrying)"}`);
    }
    if (ev === "disconnect") this.serverAcks.clear();
    // Refused or sent away by the server: there is no session to resume.
    if (!stillActive) this.saveSession(undefined);
    for (const sub of this.subs) {
      if (!sub.wanted) continue;
      this.sendTo(sub, { k: "socket", ref: sub.ref, ev, args }, true);
      if (ev === "disconnect") {
        // Plain acks can never settle now (the core dropped them); error-first ones get their error.
        for (const [id, errorFirst] of sub.pendingAcks) if (!errorFirst) sub.pendingAcks.delete(id);
      }
      // Refused by the server (middleware error, server-side disconnect): the tab is no longer active.
      if (!stillActive) this.unwant(sub);
    }
  }

  /** A server event: to each attached tab that listens, in order; held during the grace period. */
  private onEvent(args: unknown[]): void {
    this.saveSession(this.core.recoverySession);
    const recipients: SocketSub[] = [];
    const ev = String(args[0]);
    for (const sub of this.subs) if (sub.wanted && sub.listensTo(ev)) recipients.push(sub);
    if (recipients.length === 0) {
      if (this.graceActive) {
        this.held.push(args);
        if (this.held.length > (this.hub.env.maxHeld ?? 1000)) this.held.shift();
      }
      return;
    }
    this.deliver(args, recipients);
  }

  private deliverHeld(sub: SocketSub): void {
    if (!sub.wanted || !sub.live) return;
    for (const args of this.held.splice(0)) this.deliver(args, [sub]);
  }

  private deliver(all: unknown[], recipients: SocketSub[]): void {
    const last = all[all.length - 1];
    const ackFn = typeof last === "function" ? (last as (...args: unknown[]) => void) : undefined;
    const args = ackFn ? all.slice(1, -1) : all.slice(1);
    const ev = String(all[0]);
    let ack: number | undefined;
    if (ackFn) {
      const live = recipients.filter((sub) => sub.listensTo(ev));
      if (live.length > 0) {
        ack = this.hub.nextId();
        this.serverAcks.set(ack, { fn: ackFn, subs: new Set(live) });
      }
    }
    for (const sub of recipients) {
      if (!sub.listensTo(ev)) continue;
      // Without an `ack` key when there is none: deleting one made every event a slow dictionary object.
      this.sendTo(sub, ack === undefined ? { k: "socket", ref: sub.ref, ev, args } : { k: "socket", ref: sub.ref, ev, args, ack }, false);
    }
  }

  /** Sends a socket message, with the state and engine state the tab has not seen yet. */
  private sendTo(sub: SocketSub, message: Extract<HubMessage, { k: "socket" }>, lifecycle: boolean): void {
    const core = this.core;
    const connected = core.connected && sub.wanted;
    // The recovery session appears with the first recoverable event: the tab keeps it for a future hub.
    const pid = core.recoverySession?.pid;
    if (lifecycle || sub.sentId !== core.id || sub.sentConnected !== connected || sub.sentPid !== pid) {
      message.state = this.state();
      sub.sentId = core.id;
      sub.sentConnected = connected;
      sub.sentPid = pid;
    }
    const engine = this.manager.engineFor(sub.manager);
    if (engine) message.engine = engine;
    sub.tab.send(message);
  }

  private replyAck(sub: SocketSub, id: number, err: Error | null, answer: unknown[]): void {
    if (!sub.pendingAcks.delete(id) || !sub.live) return;
    const message: HubMessage = { k: "ack", ref: sub.ref, id, args: answer };
    if (err) message.error = err.message;
    sub.tab.send(message);
  }
}
