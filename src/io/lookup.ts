/**
 * `io(url, opts)`: finds or creates the Manager for a URL and returns the
 * socket of the URL's namespace, with socket.io-client's caching rules.
 */
import type { DefaultEventsMap, EventsMap } from "@socket.io/component-emitter";
import type { IoOptions } from "../options";
import { parseUrl } from "../url";
import { Manager } from "./manager";
import type { Socket } from "./socket";

/** Managers shared by `io()` calls, by origin + Engine.IO path. */
const cache = new Map<string, Manager>();

/**
 * Returns a socket for the namespace in `uri`'s pathname (default `/`).
 *
 * A Manager is shared per origin + path, unless `forceNew: true`,
 * `multiplex: false`, or the namespace already has a socket on the cached
 * Manager (then a new Manager is made, as socket.io-client does).
 * A query in the URL is used when `opts.query` is absent.
 *
 * @example
 * const socket = io("https://example.com/admin", { auth: { token: "abc" } });
 */
export function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  opts?: Partial<IoOptions>,
): Socket<ListenEvents, EmitEvents>;
export function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string,
  opts?: Partial<IoOptions>,
): Socket<ListenEvents, EmitEvents>;
export function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string | Partial<IoOptions>,
  opts?: Partial<IoOptions>,
): Socket<ListenEvents, EmitEvents>;
export function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string | Partial<IoOptions>,
  opts: Partial<IoOptions> = {},
): Socket<ListenEvents, EmitEvents> {
  if (uri && typeof uri === "object") {
    opts = uri;
    uri = undefined;
  }
  const parsed = parseUrl(uri, opts.path || "/socket.io");
  const legacyForceNew = (opts as { "force new connection"?: boolean })["force new connection"];
  const cached = cache.get(parsed.id);
  const newConnection =
    opts.forceNew || legacyForceNew || opts.multiplex === false || (cached?.hasSocket(parsed.path) ?? false);
  let manager: Manager;
  if (newConnection) {
    manager = new Manager(parsed.source, opts);
  } else {
    manager = cached ?? new Manager(parsed.source, opts);
    cache.set(parsed.id, manager);
  }
  return manager.socket(parsed.path, opts) as unknown as Socket<ListenEvents, EmitEvents>;
}

/** @internal Forgets the cached Managers (tests). */
export function clearManagerCache(): void {
  cache.clear();
}
