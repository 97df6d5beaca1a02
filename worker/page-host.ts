/**
 * The hub inside a page (`shared: false`, or no SharedWorker): same hub, same
 * bridge, over a MessageChannel. Loaded lazily by the tab, only when needed.
 */
import { servePort } from "./api";
import { browserEnv } from "./env";
import { Hub } from "./hub";
import type { HubMode } from "./protocol";

let hub: Hub | undefined;

/** Starts (once) the page's hub and returns a port to it. */
export function connectInPage(mode: HubMode): MessagePort {
  hub ??= new Hub(browserEnv(mode));
  const { port1, port2 } = new MessageChannel();
  servePort(hub, port1);
  return port2;
}
