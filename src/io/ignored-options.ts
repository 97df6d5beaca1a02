/**
 * Options of socket.io-client that this client accepts and ignores: the
 * Node.js-only ones (it uses the runtime's `fetch` and `WebSocket`, which take
 * no TLS keys or agents), and headers for a WebSocket, which cannot carry
 * any. One console warning per realm says which.
 */
import type { ManagerOptions } from "../options";

const NODE_ONLY = [
  "agent",
  "autoUnref",
  "ca",
  "cert",
  "key",
  "pfx",
  "passphrase",
  "ciphers",
  "rejectUnauthorized",
  "perMessageDeflate",
  "localAddress",
] as const;

let warned = false;

/** The options in `opts` that will have no effect, as they are named in the warning. */
export function ignoredOptions(opts: Partial<ManagerOptions>): string[] {
  const ignored: string[] = NODE_ONLY.filter((name) => opts[name] !== undefined);
  // The headers reach the server only if the session starts over polling.
  const transports = opts.transports ?? ["polling"];
  const startsOnWebSocket = transports[0] === "websocket" || (opts.rememberUpgrade === true && transports.includes("websocket"));
  if (opts.extraHeaders && startsOnWebSocket) ignored.push("extraHeaders (over WebSocket)");
  return ignored;
}

/** Warns once per realm when `opts` holds options that will have no effect. */
export function warnIgnoredOptions(opts: Partial<ManagerOptions>): void {
  if (warned) return;
  const ignored = ignoredOptions(opts);
  if (ignored.length === 0) return;
  warned = true;
  console.warn(
    `socket.io-shared: ignored option(s) ${ignored.join(", ")}: this client uses the runtime's fetch and WebSocket, which take no TLS or agent settings, and a WebSocket carries no extra headers`,
  );
}
