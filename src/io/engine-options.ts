/**
 * What the Manager hands to each new Engine: the user's options without the
 * Socket.IO-level ones, with host, port, scheme and query taken from the URL.
 */
import type { EngineOptions, ManagerOptions } from "../options";
import type { ParsedUrl } from "../url";

type Query = Record<string, string | number | boolean>;

function queryObject(query: EngineOptions["query"]): Query {
  if (!query) return {};
  if (typeof query !== "string") return { ...query };
  const out: Query = {};
  for (const pair of query.replace(/^\?/, "").split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
    out[key] = decodeURIComponent(eq === -1 ? "" : pair.slice(eq + 1));
  }
  return out;
}

/** A fresh options object per engine: engines may write to what they are given. */
export function engineOptions(opts: Partial<ManagerOptions>, url: ParsedUrl | undefined): EngineOptions {
  const {
    forceNew: _forceNew,
    multiplex: _multiplex,
    reconnection: _reconnection,
    reconnectionAttempts: _attempts,
    reconnectionDelay: _delay,
    reconnectionDelayMax: _delayMax,
    randomizationFactor: _jitter,
    timeout: _timeout,
    autoConnect: _autoConnect,
    parser: _parser,
    ...engine
  } = opts as Partial<ManagerOptions> & Record<string, unknown>;
  const out: EngineOptions & Record<string, unknown> = { ...engine };
  // Socket-level options given to io() ride along in the same object; the engine has no use for them.
  delete out["auth"];
  delete out["ackTimeout"];
  delete out["retries"];
  if (url) {
    out.hostname = url.hostname;
    out.port = url.port;
    out.secure = url.secure;
  }
  const query = { ...(url ? url.queryKey : {}), ...queryObject(opts.query) };
  if (Object.keys(query).length > 0) out.query = query;
  else delete out.query;
  if (Array.isArray(out.transports)) out.transports = [...out.transports] as string[];
  return out;
}
