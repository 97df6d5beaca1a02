/**
 * Options of socket.io-client that this client accepts and ignores: the
 * Node.js-only ones (it uses the runtime's `fetch` and `WebSocket`, which take
 * no TLS keys or agents), and headers for a WebSocket, which cannot carry
 * any. One console warning per realm says which.
 */
import type { ManagerOptions } from "../options";

const NODE_ONLY = "agent autoUnref ca cert key pfx passphrase ciphers rejectUnauthorized perMessageDeflate localAddress".split(" ");

let warned = false;

/** The options in `opts` that will have no effect. */
export function ignoredOptions(opts: Partial<ManagerOptions>): string[] {
  const ignored = NODE_ONLY.filter((name) => (opts as Record<string, unknown>)[name] !== undefined);
  // The headers reach the server only when the session starts over polling.
  const transports = opts.transports ?? ["polling", "websocket"];
  const startsOnWebSocket = transports[0] === "websocket" || (opts.rememberUpgrade && transports.includes("websocket"));
  if (opts.extraHeaders && startsOnWebSocket) ignored.push("extraHeaders");
  return ignored;
}

/** Warns once per realm when `opts` holds options that will have no effect. */
export function warnIgnoredOptions(opts: Partial<ManagerOptions>): void {
  const ignored = ignoredOptions(opts);
  if (warned || ignored.length === 0) return;
  warned = true;
  console.warn("socket.io-shared: ignored (Node.js-only, or headers a WebSocket cannot carry):", ignored.join(", "));
}
