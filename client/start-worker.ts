/**
 * Starts (or joins) the origin's SharedWorker. The `new SharedWorker(new
 * URL("./worker.js", import.meta.url), {...})` form is kept literal so that
 * bundlers (Vite, webpack 5) emit the worker as a same-origin file; the name
 * carries the bridge version so tabs of another deploy get another worker.
 *
 * Every tab passes the same options: the browser refuses a tab whose options
 * differ from those the running worker was started with (an `error` event).
 * `extendedLifetime` (Chrome 148+; ignored elsewhere) keeps the worker, and
 * its connection, alive while the only tab reloads.
 */
import { BRIDGE_VERSION, WORKER_NAME_PREFIX, type HubHello } from "../worker/protocol";

/** File name of the worker shipped beside the library (for messages). */
export const DEFAULT_WORKER_FILE = "socket.io-shared.worker.js";

/**
 * Resolves with the port of the SharedWorker at `url` (default: the worker
 * shipped beside this file) once its hub said hello; rejects when the script
 * does not start (404, wrong MIME type, CSP, options another tab started it
 * with differ) or does not answer within `timeoutMs`.
 */
export async function startSharedWorker(url: string | URL | undefined, timeoutMs: number): Promise<MessagePort> {
  const worker = url
    ? new SharedWorker(url, { type: "module", name: WORKER_NAME_PREFIX + BRIDGE_VERSION, extendedLifetime: true } as WorkerOptions)
    : new SharedWorker(new URL("./worker.js", import.meta.url), { type: "module", name: "socket.io-shared@5", extendedLifetime: true } as WorkerOptions);
  return helloFrom(worker, timeoutMs);
}

function helloFrom(worker: SharedWorker, timeoutMs: number): Promise<MessagePort> {
  const port = worker.port;
  return new Promise<MessagePort>((resolve, reject) => {
    const onMessage = (event: MessageEvent) => {
      const hello = event.data as HubHello | null;
      if (hello?.["socket.io-shared"] !== "hub") return;
      if (hello.bridge !== BRIDGE_VERSION) done(new Error(`it speaks bridge version ${hello.bridge}, this tab ${BRIDGE_VERSION}`));
      else done();
    };
    const onError = () =>
      done(new Error("it did not start (an error event: not found, wrong MIME type, CSP, or other options than another tab's)"));
    const timer = setTimeout(() => done(new Error(`it did not answer within ${timeoutMs} ms`)), timeoutMs);
    function done(err?: Error): void {
      clearTimeout(timer);
      port.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      if (!err) return resolve(port);
      port.close();
      reject(err);
    }
    port.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
    port.start();
  });
}
