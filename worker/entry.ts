/**
 * The SharedWorker script: one hub for every tab of the origin; each tab
 * that connects gets its own Comlink endpoint on its port.
 */
import { browserEnv } from "./env";
import { Hub } from "./hub";
import { servePort } from "./api";

interface SharedWorkerScope {
  onconnect: ((event: MessageEvent) => void) | null;
}

const hub = new Hub(browserEnv({ mode: "SharedWorker", why: "SharedWorker is available" }));

(globalThis as unknown as SharedWorkerScope).onconnect = (event) => {
  const port = event.ports[0];
  if (port) servePort(hub, port);
};
