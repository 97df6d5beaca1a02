/**
 * socket.io-shared for a tab: socket.io-client's API, with one Socket.IO
 * connection per origin shared by every tab through a SharedWorker.
 *
 * @example
 * import { io } from "socket.io-shared";
 * const socket = io("https://example.com");
 * socket.on("connect", () => console.log(socket.id));
 */
import type { DefaultEventsMap, EventsMap } from "@socket.io/component-emitter";
import type { Diagnostics } from "../worker/protocol";
import { TabContext, type IoOpts } from "./context";
import { Manager, type ManagerOpts } from "./manager";
import { Socket } from "./socket";

/** The Socket.IO protocol revision. */
export const protocol = 5;

/** One context per hub this page talks to: the SharedWorker (per `worker` URL) or the in-page hub. */
const contexts = new Map<string, TabContext>();

/**
 * The bridge chunk, fetched as this module runs: the first `io()` needs it, and
 * fetching it only then put ~10 ms (a fresh page) on every tab's io() → connect.
 */
let bridgeChunk: Promise<typeof import("./page-bridge")> | undefined;
const loadBridgeChunk = () => (bridgeChunk ??= import("./page-bridge"));
loadBridgeChunk().catch(() => (bridgeChunk = undefined));

function pageTab(opts: ManagerOpts): TabContext {
  const key = opts.shared === false ? "in-page" : `worker:${opts.worker ?? ""}`;
  let context = contexts.get(key);
  if (!context) {
    const shared = { shared: opts.shared, worker: opts.worker };
    context = new TabContext((link) => loadBridgeChunk().then((m) => m.startPageBridge(link, shared)));
    contexts.set(key, context);
  }
  return context;
}

Manager._defaultTab = pageTab;

function lookup<L extends EventsMap = DefaultEventsMap, E extends EventsMap = L>(opts?: IoOpts): Socket<L, E>;
function lookup<L extends EventsMap = DefaultEventsMap, E extends EventsMap = L>(uri?: string, opts?: IoOpts): Socket<L, E>;
function lookup<L extends EventsMap = DefaultEventsMap, E extends EventsMap = L>(
  uri?: string | IoOpts,
  opts?: IoOpts,
): Socket<L, E> {
  const options = (uri && typeof uri === "object" ? uri : opts) ?? {};
  return pageTab(options).io<L, E>(uri, opts);
}

/**
 * `io(url?, opts?)`: the socket of the URL's namespace. Also `io.connect`,
 * `io.protocol`, `io.Manager`, `io.Socket`, as in socket.io-client.
 */
const io = Object.assign(lookup, { Manager, Socket, io: lookup, connect: lookup, protocol });

/**
 * What the hub holds: its mode (and why), the tabs attached, Managers with
 * their URL, transport and state, sockets per namespace with their id and
 * how many tabs use them.
 */
export function diagnostics(opts: ManagerOpts = {}): Promise<Diagnostics> {
  return pageTab(opts).diagnostics();
}

export { io, io as connect, io as default, Manager, Socket };
export type { IoOpts as SocketIoOptions, ManagerOpts };
export type { Diagnostics } from "../worker/protocol";
export type { SharedOptions } from "./options";
export type { DisconnectReason, DisconnectDescription, ManagerOptions, SocketOptions, ConnectError } from "../src";
export type { DefaultEventsMap, EventsMap, EventNames, EventParams } from "../src";
