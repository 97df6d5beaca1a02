/**
 * What the Manager hands to each new Engine: the user's options without the
 * Socket.IO-level ones, with host, port, scheme and query taken from the URL.
 */
import type { EngineOptions, ManagerOptions } from "../options";
import type { ParsedUrl } from "../url";
import { normaliseQuery } from "../engine/uri";

/** Options the engine has no use for: the Manager's and the sockets' (given to io() in the same object). */
const NOT_FOR_ENGINE = "forceNew multiplex reconnection reconnectionAttempts reconnectionDelay reconnectionDelayMax randomizationFactor timeout autoConnect parser auth ackTimeout retries".split(" ");

/** A fresh options object per engine: engines may write to what they are given. */
export function engineOptions(opts: Partial<ManagerOptions>, url: ParsedUrl | undefined): EngineOptions {
  const out: Record<string, unknown> = { ...opts };
  for (const name of NOT_FOR_ENGINE) delete out[name];
  if (url) {
    out.hostname = url.hostname;
    out.port = url.port;
    out.secure = url.secure;
  }
  // Where a key is in both, the URL's value wins (socket.io-client lets the
  // URL's query replace the option altogether).
  const query = { ...normaliseQuery(opts.query), ...url?.queryKey };
  if (Object.keys(query).length > 0) out.query = query;
  else delete out.query;
  if (Array.isArray(out.transports)) out.transports = [...out.transports];
  return out as EngineOptions;
}
