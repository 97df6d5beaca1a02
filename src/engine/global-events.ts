/**
 * What an engine hears from the global scope it runs in, where that scope
 * is an event target (a page, a worker, Deno): `offline` and `beforeunload`.
 * Elsewhere (Node) these are no-ops.
 */

type Disposer = () => void;
const noop: Disposer = () => {};

/** Listens to `event` on the global scope; the disposer removes the listener. */
export function onGlobal(event: string, fn: () => void): Disposer {
  const scope = globalThis as Partial<Pick<EventTarget, "addEventListener" | "removeEventListener">>;
  if (typeof scope.addEventListener !== "function") return noop;
  scope.addEventListener(event, fn, false);
  return () => scope.removeEventListener?.(event, fn, false);
}

const offlineHandlers = new Set<() => void>();
let listening = false;

/**
 * Calls `fn` when the realm goes offline, until the disposer runs. One
 * global listener serves every engine, as in socket.io-client.
 */
export function onOffline(fn: () => void): Disposer {
  if (!listening) {
    listening =
      onGlobal("offline", () => {
        for (const handler of [...offlineHandlers]) handler();
      }) !== noop;
  }
  offlineHandlers.add(fn);
  return () => offlineHandlers.delete(fn);
}
