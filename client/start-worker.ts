/**
 * Starts (or joins) the origin's SharedWorker. The `new SharedWorker(new
 * URL("./worker.js", import.meta.url), {...})` form is kept literal so that
 * bundlers (Vite, webpack 5) emit the worker as a same-origin file; the name
 * carries the bridge version so tabs of another deploy get another worker.
 */
import { BRIDGE_VERSION, WORKER_NAME_PREFIX } from "../worker/protocol";

/** The port of the SharedWorker at `url` (default: the worker shipped beside this file). */
export function startSharedWorker(url?: string | URL): MessagePort {
  const worker = url
    ? new SharedWorker(url, { type: "module", name: WORKER_NAME_PREFIX + BRIDGE_VERSION })
    : new SharedWorker(new URL("./worker.js", import.meta.url), { type: "module", name: "socket.io-shared@1" });
  return worker.port;
}
