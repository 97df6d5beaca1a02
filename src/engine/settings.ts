/**
 * The engine's settings, resolved once from what the user passed, and the
 * factory that builds a transport from them.
 */
import { protocol, type BinaryType } from "engine.io-parser";
import type { PerTransportOptions } from "../options";
import { timersFor, type EngineTimers } from "./env";
import { Polling } from "./polling";
import type { Transport, TransportOptions } from "./transport";
import type { EngineConstructorOptions } from "./types";
import { resolveAddress, type QueryParams, type ServerAddress } from "./uri";
import { WebSocketTransport } from "./websocket";

const SUPPORTED_TRANSPORTS = ["polling", "websocket"] as const;
export type SupportedTransport = (typeof SUPPORTED_TRANSPORTS)[number];

export interface EngineSettings {
  address: ServerAddress;
  /** The user's query, without the engine's own parameters. */
  query: QueryParams;
  /** Each transport's options: `transportOptions[name]` over the common ones. */
  transportOptions: Record<SupportedTransport, TransportOptions>;
  /** Transports allowed, in order of preference (unsupported names dropped). */
  transports: SupportedTransport[];
  upgrade: boolean;
  rememberUpgrade: boolean;
  tryAllTransports: boolean;
  timers: EngineTimers;
}

/** Settings from `new Engine(uri, opts)` or `new Engine(opts)`, with socket.io-client's defaults. */
export function resolveSettings(
  uriOrOpts: string | EngineConstructorOptions | undefined,
  maybeOpts: EngineConstructorOptions | undefined,
): EngineSettings {
  const uri = typeof uriOrOpts === "string" ? uriOrOpts : undefined;
  const opts = (typeof uriOrOpts === "object" && uriOrOpts !== null ? uriOrOpts : maybeOpts) ?? {};
  const { address, query } = resolveAddress(uri, opts);
  const wanted: readonly string[] = opts.transports ?? ["polling", "websocket"];
  return {
    address,
    query,
    transportOptions: {
      polling: transportOptions({ ...opts, ...opts.transportOptions?.polling }),
      websocket: transportOptions({ ...opts, ...opts.transportOptions?.websocket }),
    },
    // WebTransport is not implemented: a server offering it is never probed.
    transports: wanted.filter(isSupported),
    upgrade: opts.upgrade !== false,
    rememberUpgrade: opts.rememberUpgrade === true,
    tryAllTransports: opts.tryAllTransports === true,
    timers: opts.timers ?? timersFor(opts),
  };
}

function transportOptions(opts: PerTransportOptions): TransportOptions {
  return {
    timestampRequests: opts.timestampRequests,
    timestampParam: opts.timestampParam ?? "t",
    withCredentials: opts.withCredentials === true,
    extraHeaders: opts.extraHeaders,
    forceBase64: opts.forceBase64 === true,
    protocols: opts.protocols,
    requestTimeout: opts.requestTimeout,
  };
}

export function isSupported(name: string): name is SupportedTransport {
  return (SUPPORTED_TRANSPORTS as readonly string[]).includes(name);
}

/** A transport of the session `sid` (null before the handshake). */
export function createTransport(
  name: SupportedTransport,
  settings: EngineSettings,
  sid: string | null,
  binaryType: () => BinaryType,
): Transport {
  const query: QueryParams = { ...settings.query, EIO: String(protocol), transport: name };
  if (sid) query.sid = sid;
  const ctx = {
    address: settings.address,
    query,
    options: settings.transportOptions[name],
    timers: settings.timers,
    binaryType,
  };
  return name === "websocket" ? new WebSocketTransport(ctx) : new Polling(ctx);
}
