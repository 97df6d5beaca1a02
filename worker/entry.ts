/**
 * The SharedWorker script: one hub for every tab of the origin; each tab
 * that connects gets its own Comlink endpoint on its port. The hub holds a
 * Web Lock for its whole life, so that tabs learn at once when it dies.
 */
import { browserEnv, type LockManagerLike } from "./env";
import { Hub } from "./hub";
import { servePort } from "./api";
import { HUB_LOCK } from "./protocol";

interface SharedWorkerScope {
  addEventListener(type: "connect", listener: (event: MessageEvent) => void): void;
  navigator: { locks?: LockManagerLike };
}

const scope = globalThis as unknown as SharedWorkerScope;
const locks = scope.navigator.locks;
const mode = { mode: "SharedWorker", why: "SharedWorker is available" } as const;
const hub = new Hub(browserEnv(mode, locks ? { hubLock: HUB_LOCK } : {}));

// Tabs are served once the hub holds its lock: a tab that watched it earlier would take it for dead.
const held = new Promise<void>((granted) => {
  if (!locks) return granted();
  void locks.request(HUB_LOCK, () => {
    granted();
    return new Promise(() => {});
  });
});

scope.addEventListener("connect", (event) => {
  const port = event.ports[0];
  if (port) void held.then(() => servePort(hub, port));
});
