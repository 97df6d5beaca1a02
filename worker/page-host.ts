/**
 * The hub inside a page: same hub, same bridge. Loaded lazily by the tab,
 * only when needed:
 * - in-page (`shared: false`, or no way to share): this page's own hub, over a MessageChannel;
 * - leader tab (no SharedWorker): the hub every tab of the origin shares,
 *   served to this tab over a MessageChannel and to the others over
 *   BroadcastChannel (leader-host.ts).
 */
import type { ParserModule } from "../src";
import { servePort } from "./api";
import { browserEnv, lockWatcher, newEpoch, type LockManagerLike } from "./env";
import { Hub } from "./hub";
import { hostLeader } from "./leader-host";
import { HUB_LOCK_PREFIX, type HubMode } from "./protocol";
import { openSessionStore } from "./session-store";

let inPageHub: Hub | undefined;
let leaderHub: Promise<Hub> | undefined;

/**
 * Starts (once) the page's own hub and returns a port to it. `parsers`: the
 * codecs the page passed to `io()` (a live Map: the hub reads it on every new Manager).
 */
export function connectInPage(mode: HubMode, parsers: ReadonlyMap<string, ParserModule>): MessagePort {
  inPageHub ??= new Hub(browserEnv(mode, { parsers }));
  return portTo(inPageHub);
}

/**
 * Makes this tab the host of the shared hub (once; it won the leader lock)
 * and resolves with a way to open ports to it for this tab's own bridges.
 */
export function startLeader(
  mode: HubMode,
  locks: LockManagerLike,
  parsers: ReadonlyMap<string, ParserModule>,
): Promise<() => MessagePort> {
  leaderHub ??= (async () => {
    const epoch = newEpoch();
    const hubLock = HUB_LOCK_PREFIX + epoch;
    // Held for the page's life: the other tabs watch it to learn that the leader is gone.
    await new Promise<void>((granted) => {
      void locks.request(hubLock, () => {
        granted();
        return new Promise(() => {});
      });
    });
    const sessions = await openSessionStore();
    const watchTab = lockWatcher(locks);
    // Its debug lines go to the tabs that ask, this one included: not twice into this page's console.
    const debugLog = () => {};
    const hub = new Hub(browserEnv(mode, { epoch, hubLock, sessions, watchTab, parsers, debugLog }));
    hostLeader(hub, watchTab);
    return hub;
  })();
  return leaderHub.then((hub) => () => portTo(hub));
}

function portTo(hub: Hub): MessagePort {
  const { port1, port2 } = new MessageChannel();
  servePort(hub, port1);
  return port2;
}
