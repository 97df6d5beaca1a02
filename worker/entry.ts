/**
 * The SharedWorker's hub: one hub for every tab of the origin; each tab that
 * connects gets its own Comlink endpoint on its port. The hub holds a Web
 * Lock for its whole life, so that tabs learn at once when it dies, and
 * keeps recovery sessions in IndexedDB, so that they outlive it.
 *
 * The worker shipped with the library (client/worker.ts) is `startHub()`.
 * An app that needs more, e.g. a codec for the `parser` option, hosts its own
 * worker script (the `worker` option of `io()`), built from
 * `socket.io-shared/hub`:
 *
 * @example
 * // my-worker.js, started by io(url, { parser: msgpackParser, worker: "/my-worker.js" })
 * import { startHub } from "socket.io-shared/hub";
 * import msgpackParser from "socket.io-msgpack-parser";
 * startHub({ parsers: { msgpack: msgpackParser } });
 */
import type { ParserModule } from "../src";
import { browserEnv, newEpoch, type HubEnv, type LockManagerLike } from "./env";
import { Hub } from "./hub";
import { servePort } from "./api";
import { HUB_LOCK_PREFIX } from "./protocol";
import { openSessionStore } from "./session-store";

/**
 * A codec module, as `io()`'s `parser` option takes it (socket.io-parser's
 * shape). Typed loosely so that codecs whose own typings differ a little
 * (socket.io-msgpack-parser's `encode()` says it returns one ArrayBuffer) fit:
 * the hub checks what the Encoder makes (worker/codec-probe.ts).
 */
export interface CodecModule {
  Encoder: new () => { encode(packet: never): unknown };
  Decoder: new () => { add(chunk: never): void; destroy(): void };
}

/** Options of {@link startHub}. */
export interface StartHubOptions {
  /**
   * Codecs tabs may choose with the `parser` option, by name (the name is for
   * messages: a tab's codec is matched by what it encodes). socket.io-parser
   * is always there. A tab asking for a codec not listed gets `connect_error`.
   */
  parsers?: Record<string, CodecModule>;
  /**
   * Log the hub's decisions (tabs attaching and leaving, Managers and sockets
   * made and closed, reconnections, grace periods) to this worker's console,
   * whatever the tabs ask. A tab turns it on with
   * `localStorage.debug = "socket.io-shared:*"` (docs/troubleshooting.md).
   */
  debug?: boolean;
}

interface SharedWorkerScope {
  addEventListener(type: "connect", listener: (event: MessageEvent) => void): void;
  onconnect: unknown;
  navigator: { locks?: LockManagerLike };
}

let started = false;

/**
 * Starts the hub in this SharedWorker script. Call it once, while the script
 * first runs (at its top level, not after an `await`): the browser hands the
 * first tab's port to the `connect` listeners present then.
 *
 * @throws Error outside a SharedWorker, or when called twice
 */
export function startHub(opts: StartHubOptions = {}): void {
  const scope = globalThis as unknown as Partial<SharedWorkerScope>;
  if (!("onconnect" in scope) || typeof scope.addEventListener !== "function") {
    throw new Error("socket.io-shared: startHub() runs in a SharedWorker script (the `worker` option of io() starts it)");
  }
  if (started) throw new Error("socket.io-shared: startHub() was called twice in this worker");
  started = true;
  const locks = scope.navigator?.locks;
  const epoch = newEpoch();
  const hubLock = HUB_LOCK_PREFIX + epoch;
  const parsers = new Map(Object.entries(opts.parsers ?? {}) as Array<[string, ParserModule]>);

  // Tabs are served at once (a cold start waited 10–75 ms for the lock and IndexedDB
  // before saying hello); only two things wait. The attach reply waits for the hub's
  // lock (a tab that watched it earlier would take the hub for dead), and the tabs'
  // ops wait for the saved sessions (the first namespace connect may resume one).
  const held = new Promise<void>((granted) => {
    if (!locks) return granted();
    void locks.request(hubLock, () => {
      granted();
      return new Promise(() => {});
    });
  });
  const env: Partial<HubEnv> = { epoch, parsers, debug: opts.debug === true };
  if (locks) env.hubLock = hubLock;
  env.ready = openSessionStore().then((sessions) => {
    hub.env.sessions = sessions;
  });
  const hub = new Hub(browserEnv({ mode: "SharedWorker", why: "SharedWorker is available" }, env));

  scope.addEventListener("connect", (event) => {
    const port = event.ports[0];
    if (port) servePort(hub, port, { replyAfter: held });
  });
}
