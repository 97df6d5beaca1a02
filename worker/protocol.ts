/**
 * Wire types of the tab ⇄ hub bridge. No logic lives here: everything that
 * crosses `postMessage` between a tab and the hub is declared in this file.
 *
 * Two planes. Control (attach, diagnostics: request/response) is Comlink on
 * the endpoint the tab reached the hub by ({@link HubPort}). Data is one-way
 * postMessage on the tab's own port, given at attach (worker/wire.ts): the
 * tab queues {@link TabOp}s and posts them as one numbered batch per
 * microtask; the hub posts numbered batches of {@link HubMessage}s, and each
 * side acknowledges the other's batches cumulatively.
 *
 * Refs: a tab numbers its own Managers and Sockets (one counter per tab) and
 * uses these numbers in ops; the hub answers with the same numbers. Nothing
 * waits for the hub to allocate an id.
 */

import type { ManagerOptions, PerTransportOptions } from "../src/options";

/** Version of this protocol. Bump on every incompatible change of this file. */
export const BRIDGE_VERSION = 5;

/** Prefix of the SharedWorker's name; the full name is `socket.io-shared@<BRIDGE_VERSION>`. */
export const WORKER_NAME_PREFIX = "socket.io-shared@";

/**
 * Prefix of the Web Lock a hub holds for its whole life (+ its epoch): tabs
 * learn of its death through it. One name per hub, so that nothing but the
 * tabs watching it ever waits for it.
 */
export const HUB_LOCK_PREFIX = `socket.io-shared:hub@${BRIDGE_VERSION}#`;

/** The Web Lock of the leader tab (no SharedWorker): the tab holding it hosts the hub. */
export const LEADER_LOCK = `socket.io-shared:leader@${BRIDGE_VERSION}`;

/** The BroadcastChannel on which tabs find the leader tab's hub (see {@link LeaderSignal}). */
export const LEADER_CHANNEL = `socket.io-shared:leader@${BRIDGE_VERSION}`;

/** Prefix of the BroadcastChannel between one tab and the leader's hub (+ a channel id). */
export const TAB_CHANNEL_PREFIX = `socket.io-shared:tab@${BRIDGE_VERSION}:`;

/** Prefix of the Web Lock a tab holds for its whole life (+ the tab id). */
export const TAB_LOCK_PREFIX = "socket.io-shared:tab:";

/** The Manager options that are plain data as the user gives them. */
type PlainManagerOption =
  | "path"
  | "transports"
  | "upgrade"
  | "rememberUpgrade"
  | "tryAllTransports"
  | "timestampRequests"
  | "timestampParam"
  | "withCredentials"
  | "extraHeaders"
  | "forceBase64"
  | "protocols"
  | "addTrailingSlash"
  | "hostname"
  | "host"
  | "secure"
  | "port"
  | "reconnection"
  | "reconnectionAttempts"
  | "reconnectionDelay"
  | "reconnectionDelayMax"
  | "randomizationFactor"
  | "timeout"
  | "requestTimeout";

/** Manager options that cross the bridge: plain data only. */
export interface WireManagerOptions extends Pick<ManagerOptions, PlainManagerOption> {
  /** The query as an object (a query string is parsed in the tab). */
  query?: Exclude<ManagerOptions["query"], string>;
  transportOptions?: {
    polling?: WireTransportOptions;
    websocket?: WireTransportOptions;
  };
  /** How long (ms) a namespace socket outlives its last tab that died (the `gracePeriod` option). */
  gracePeriod?: number;
  /** The tab's codec (the `parser` option); absent: socket.io-parser. */
  parser?: WireCodec;
}

/** Options one transport may override (`transportOptions`): plain data already. */
export type WireTransportOptions = PerTransportOptions;

/**
 * A codec (the `parser` option) as it crosses to the hub: code cannot cross,
 * so it is named by what it does (worker/codec-probe.ts). The hub serves the
 * tab with its own codec of the same fingerprint, or refuses (`connect_error`).
 */
export interface WireCodec {
  /** Its encoding of a probe packet. */
  fingerprint: string;
  /** The codec module's `name`, if it has one (for messages only). */
  name?: string;
}

/** Manager settings a tab can change after creation (`manager.reconnection(false)`, ...). */
export type ManagerSetting =
  | "reconnection"
  | "reconnectionAttempts"
  | "reconnectionDelay"
  | "reconnectionDelayMax"
  | "randomizationFactor"
  | "timeout";

/** A tab's `auth`: a static payload, or a function the hub asks the tab to call. */
export type WireAuth = { kind: "static"; data?: Record<string, unknown> } | { kind: "function" };

/** What a listen op is about: a namespace socket, a Manager, or a Manager's engine. */
export type ListenTarget = "socket" | "manager" | "engine";

/** Every operation a tab sends, in the order the app made them. */
export type TabOp =
  | {
      op: "manager";
      ref: number;
      /** `protocol://host:port` of the server. */
      origin: string;
      /** Connection key (origin + path + the options that change the connection). */
      key: string;
      opts: WireManagerOptions;
      /** Served by a Manager of its own (forceNew, multiplex: false, a further Manager). */
      private: boolean;
    }
  | { op: "manager-open"; ref: number }
  | { op: "manager-set"; ref: number; name: ManagerSetting; value: number | boolean }
  | { op: "socket"; ref: number; manager: number; nsp: string; auth: WireAuth; recovery?: RecoverySessionData }
  /** The tab drops this socket (its static `auth` changed: it comes back under a new ref). */
  | { op: "socket-close"; ref: number }
  | { op: "connect"; ref: number }
  | { op: "disconnect"; ref: number }
  /** `event: null` is the catch-all (`onAny`). */
  | { op: "listen"; target: ListenTarget; ref: number; event: string | null; on: boolean }
  | {
      op: "emit";
      ref: number;
      /** The event name first, then its arguments (without the ack). */
      args: unknown[];
      /** Id of the tab's ack callback; the reply comes back as an `ack` message. */
      ack?: number;
      /** Ack timeout of this emit (`timeout()` or `ackTimeout`); the ack is then error-first. */
      timeout?: number;
      /** Retries of this emit (the tab's `retries` option): at-least-once, in order. */
      retries?: number;
      volatile?: true;
      compress?: false;
    }
  /** The tab's answer to a server event that asked for an ack. */
  | { op: "ack-reply"; ref: number; id: number; args: unknown[] }
  /** The tab's answer to an `auth` request (its `auth` function's result). */
  | { op: "auth-reply"; ref: number; req: number; data?: Record<string, unknown> }
  | { op: "network"; online: boolean };

/** Connection-state-recovery session, as the core exposes it. */
export interface RecoverySessionData {
  pid: string;
  offset: string;
}

/** A socket's state as the tab shows it (`socket.id`, `connected`, ...). */
export interface SocketStateData {
  id?: string;
  connected: boolean;
  active: boolean;
  recovered: boolean;
  /** The recovery session, so that a tab can hand it to a future hub. */
  recovery?: RecoverySessionData;
}

/** The engine's state as `manager.engine` shows it. */
export interface EngineStateData {
  id?: string;
  readyState: string;
  transport?: string;
}

/**
 * An Error made plain: Comlink alone keeps only name/message/stack, and
 * `err.data` (connect_error), `type`/`description` (TransportError) matter.
 */
export interface ErrorData {
  $error: true;
  name: string;
  message: string;
  data?: unknown;
  type?: string;
  description?: unknown;
  context?: unknown;
  code?: unknown;
}

/**
 * What the hub sends a tab. `ev` absent: a state-only update. State fields
 * are applied BEFORE the event is emitted, so listeners read fresh state.
 */
export type HubMessage =
  | {
      k: "socket";
      ref: number;
      ev?: string;
      args?: unknown[];
      /** Present when the server asked for an ack: answer with an `ack-reply` op. */
      ack?: number;
      state?: SocketStateData;
      engine?: EngineStateData;
    }
  | { k: "manager"; ref: number; ev?: string; args?: unknown[]; engine?: EngineStateData }
  | { k: "engine"; ref: number; ev?: string; args?: unknown[]; engine?: EngineStateData }
  /** The server's reply to an emit of this tab (`error`: timeout or disconnection). */
  | { k: "ack"; ref: number; id: number; args: unknown[]; error?: string }
  /** Call the socket's `auth` function and answer with an `auth-reply` op. */
  | { k: "auth"; ref: number; req: number }
  /** The hub let go of this tab (backlog bound); the tab re-attaches everything. */
  | { k: "detached"; reason: string }
  /** A line of the hub's debug log, for a tab that asked for it (see {@link AttachRequest.debug}). */
  | { k: "log"; line: string };

/**
 * The hub's first word on every endpoint it serves (a SharedWorker port, a
 * tab's BroadcastChannel): it is alive, and which hub it is. A hub that
 * restarts behind the same port (WebKit re-runs a dead worker's script and
 * sends `connect` again on the same ports) says so with a new epoch.
 */
export interface HubHello {
  "socket.io-shared": "hub";
  epoch: string;
  bridge: number;
}

/**
 * Messages on {@link LEADER_CHANNEL}: a tab asks the leader to serve it on
 * the BroadcastChannel `TAB_CHANNEL_PREFIX + channel`; a new leader says it
 * is there, so that tabs still waiting ask again.
 */
export type LeaderSignal =
  | { k: "serve-me"; channel: string; bridge: number }
  | { k: "leader"; epoch: string; bridge: number };

/** What a tab says when it attaches. */
export interface AttachRequest {
  tabId: string;
  /** The Web Lock the tab holds until it dies. */
  lock: string;
  bridge: number;
  /**
   * The tab's debug switch for the hub (`localStorage.debug` matching
   * `socket.io-shared:hub`): while a tab that asked is attached, the hub logs
   * its decisions and sends the lines to such tabs (a worker has no
   * `localStorage`, and its console is out of sight).
   */
  debug?: boolean;
}

/** How the hub runs, and why. */
export interface HubMode {
  mode: "SharedWorker" | "leader tab" | "in-page";
  why: string;
}

export interface AttachReply extends HubMode {
  bridge: number;
  /** Which hub this is (a new one after a restart). */
  epoch: string;
  /** The lock the hub holds while it lives (absent: nothing to watch, e.g. an in-page hub). */
  hubLock?: string;
}

/** What a tab calls on the hub (one Comlink endpoint per tab). */
export interface HubPort {
  /**
   * `receiver` is the tab's data port (worker/wire.ts): its op batches come in
   * on it, and the hub's batches go out on it. Absent where ports cannot travel
   * (a BroadcastChannel): the data plane shares the endpoint the tab calls through.
   */
  attach(req: AttachRequest, receiver?: MessagePort): AttachReply | Promise<AttachReply>;
  diagnostics(): Diagnostics;
}

/** `diagnostics()`: what the hub holds, as plain data. */
export interface Diagnostics extends HubMode {
  bridge: number;
  /** Which hub this is (a new one after a restart). */
  epoch: string;
  tabs: TabDiagnostics[];
  managers: ManagerDiagnostics[];
  counters: {
    tabs: number;
    managers: number;
    sockets: number;
    /** Tab subscriptions to sockets. */
    subscriptions: number;
    /** Event names and catch-alls tabs listen to, over all targets. */
    listeners: number;
    /** Tab emits waiting for the server's ack. */
    pendingAcks: number;
    /** Server events waiting for a tab's ack. */
    serverAcks: number;
    /** Server events held during a grace period for the tab that comes back. */
    held: number;
    /** Messages queued or in flight to tabs. */
    backlog: number;
    /** Tabs detached because they fell too far behind. */
    overflows: number;
  };
}

export interface TabDiagnostics {
  id: string;
  backlog: number;
  batchesSent: number;
  messagesSent: number;
  /** Op batches received from this tab (each one postMessage). */
  batchesReceived: number;
  /** Ops in those batches. */
  opsReceived: number;
  managers: number;
  sockets: number;
}

export interface ManagerDiagnostics {
  origin: string;
  key: string;
  private: boolean;
  tabs: number;
  readyState: string;
  engine: EngineStateData;
  sockets: SocketDiagnostics[];
}

export interface SocketDiagnostics {
  nsp: string;
  id?: string;
  connected: boolean;
  /** Tabs subscribed (connected or not). */
  tabs: number;
  /** Tabs that want it connected. */
  attached: number;
  auth: "none" | "static" | "function";
}
