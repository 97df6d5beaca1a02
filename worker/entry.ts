/**
 * The SharedWorker script: one hub for every tab of the origin; each tab
 * that connects gets its own Comlink endpoint on its port. The hub holds a
 * Web Lock for its whole life, so that tabs learn at once when it dies, and
 * keeps recovery sessions in IndexedDB, so that they outlive it.
 */
import { browserEnv, newEpoch, type HubEnv, type LockManagerLike } from "./env";
import { Hub } from "./hub";
import { servePort } from "./api";
import { HUB_LOCK_PREFIX } from "./protocol";
import { openSessionStore } from "./session-store";

interface SharedWorkerScope {
  addEventListener(type: "connect", listener: (event: MessageEvent) => void): void;
  navigator: { locks?: LockManagerLike };
}

const scope = globalThis as unknown as SharedWorkerScope;
const locks = scope.navigator.locks;
const epoch = newEpoch();
const hubLock = HUB_LOCK_PREFIX + epoch;

// Tabs are served once the hub holds its lock (a tab that watched it earlier would take
// it for dead) and the saved sessions are loaded (the first tab may resume one).
const held = new Promise<void>((granted) => {
  if (!locks) return granted();
  void locks.request(hubLock, () => {
    granted();
    return new Promise(() => {});
  });
});
const hub = Promise.all([held, openSessionStore()]).then(([, sessions]) => {
  const env: Partial<HubEnv> = { epoch, sessions };
  if (locks) env.hubLock = hubLock;
  return new Hub(browserEnv({ mode: "SharedWorker", why: "SharedWorker is available" }, env));
});

scope.addEventListener("connect", (event) => {
  const port = event.ports[0];
  if (port) void hub.then((ready) => servePort(ready, port));
});
