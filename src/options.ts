/**
 * The options a user passes to `io()`, `new Manager()` and `manager.socket()`.
 * Same names and meanings as socket.io-client 4.x. These objects cross
 * `postMessage` between a tab and the worker, so everything here except
 * `parser` and a function `auth` is plain data.
 */
import type { ParserModule } from "./io/parser";

/** Options that may differ per transport (`transportOptions`). */
export interface PerTransportOptions {
  /** Add a timestamp parameter to each request (cache busting). Default false. */
  timestampRequests?: boolean;
  /** Name of the timestamp parameter. Default `t`. */
  timestampParam?: string;
  /** Send cookies on cross-origin polling requests (`credentials: "include"`). Default false. */
  withCredentials?: boolean;
  /** Headers for polling requests (WebSocket in a browser cannot carry headers). */
  extraHeaders?: Record<string, string>;
  /** Force base64 encoding of binary. Default false. */
  forceBase64?: boolean;
  /** WebSocket sub-protocols. */
  protocols?: string | string[];
  /** Milliseconds before a polling request is given up ("xhr poll error"); 0 for none. Default 0. */
  requestTimeout?: number;
}

/** Options of the Engine.IO connection (the transport layer). */
export interface EngineOptions extends PerTransportOptions {
  /** Host name, taken from the URL when absent. */
  hostname?: string;
  /** `host[:port]` whose host name is used when there is neither a URL nor `hostname`. */
  host?: string;
  /** Whether to use https/wss, taken from the URL when absent. */
  secure?: boolean;
  /** Port, taken from the URL when absent. */
  port?: string | number;
  /** Server path. Default `/engine.io` (the Manager sets `/socket.io`). */
  path?: string;
  /** Query parameters added to every request. */
  query?: string | Record<string, string | number | boolean>;
  /** Whether to add a trailing slash to `path`. Default true. */
  addTrailingSlash?: boolean;
  /** Transports to try, in order. Default `["polling", "websocket"]`. */
  transports?: TransportName[] | string[];
  /** Whether to try to upgrade polling to a better transport. Default true. */
  upgrade?: boolean;
  /**
   * If the previous connection upgraded to WebSocket, start the next one on
   * WebSocket directly. Default false.
   */
  rememberUpgrade?: boolean;
  /** When a transport fails to open, try the next one in `transports`. Default false. */
  tryAllTransports?: boolean;
  /** Options of one transport only, over the others: `{ polling: { extraHeaders } }`. */
  transportOptions?: { polling?: PerTransportOptions; websocket?: PerTransportOptions };
  /**
   * Close the transport silently on the page's `beforeunload`, so that no
   * `disconnect` is seen while the page unloads. Default false. (Moot in a
   * worker, which has no such event.)
   */
  closeOnBeforeunload?: boolean;
  /** Use the timers as they were when the library loaded, not ones wrapped since (zone.js). Default false. */
  useNativeTimers?: boolean;
  /** Node-only options, accepted and ignored (one console warning). */
  agent?: unknown;
  autoUnref?: boolean;
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
  pfx?: unknown;
  passphrase?: unknown;
  ciphers?: unknown;
  rejectUnauthorized?: boolean;
  perMessageDeflate?: unknown;
  localAddress?: unknown;
}

export type TransportName = "polling" | "websocket" | "webtransport";

/** Options of the Manager (reconnection, multiplexing, codec). */
export interface ManagerOptions extends EngineOptions {
  /** Always create a new Manager (`io()` only). Default false. */
  forceNew?: boolean;
  /** Reuse an existing Manager for the same URL (`io()` only). Default true. */
  multiplex?: boolean;
  /** Whether to reconnect automatically. Default true. */
  reconnection?: boolean;
  /** Attempts before giving up. Default Infinity. */
  reconnectionAttempts?: number;
  /** First delay before reconnecting, in ms. Default 1000. */
  reconnectionDelay?: number;
  /** Maximum delay between attempts, in ms. Default 5000. */
  reconnectionDelayMax?: number;
  /** Jitter, 0 <= f <= 1. Default 0.5. */
  randomizationFactor?: number;
  /** Connection timeout before `connect_error`, in ms; `false` for none. Default 20000. */
  timeout?: number | false;
  /** Connect automatically on creation. Default true. */
  autoConnect?: boolean;
  /** A custom codec with the same Encoder/Decoder interface as socket.io-parser. */
  parser?: ParserModule;
}

/** A static payload, or a function called on every connection attempt. */
export type AuthOption =
  | Record<string, unknown>
  | ((cb: (data: Record<string, unknown>) => void) => void);

/** Options of one namespace socket. */
export interface SocketOptions {
  /** Credentials sent in the CONNECT packet. */
  auth?: AuthOption;
  /** Default timeout for acks, in ms; enables the retry queue with `retries`. */
  ackTimeout?: number;
  /** How many times to retry an emit that got no ack. Default 0. */
  retries?: number;
}

/** Everything `io(url, opts)` accepts. */
export type IoOptions = ManagerOptions & SocketOptions;
