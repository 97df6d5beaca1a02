/**
 * The tab's options made ready to cross: plain data only, Node-only options
 * dropped (with one warning), and the connection key that decides which tabs
 * share a Manager. Loaded with the bridge, which turns each Manager's draft
 * into its `manager` op when it sends it.
 */
import type { ManagerOptions } from "../src";
import type { TabOp, WireManagerOptions } from "../worker/protocol";
import type { ManagerDraft } from "./link";
import { wireCodec } from "../worker/codec-probe";
import { pageCodecs } from "./page-codecs";
import { warnIgnoredOptions } from "../src/io/ignored-options";

/** Options that change the connection itself: Managers share only when these are equal. */
const CONNECTION_OPTIONS = [
  "path",
  "query",
  "transports",
  "upgrade",
  "rememberUpgrade",
  "tryAllTransports",
  "timestampRequests",
  "timestampParam",
  "withCredentials",
  "extraHeaders",
  "forceBase64",
  "protocols",
  "addTrailingSlash",
  "hostname",
  "host",
  "secure",
  "port",
  "parser",
  "requestTimeout",
  "transportOptions",
] as const;
/** Options of the Manager's behaviour: shared by every tab on it, first tab's values. */
const BEHAVIOUR_OPTIONS = [
  "reconnection",
  "reconnectionAttempts",
  "reconnectionDelay",
  "reconnectionDelayMax",
  "randomizationFactor",
  "timeout",
  "gracePeriod",
] as const;

/** Extra options of socket.io-shared. */
export interface SharedOptions {
  /** URL of the worker script, for apps that host it themselves. */
  worker?: string | URL;
  /** `false`: run the hub inside this page (one connection per tab, same API). */
  shared?: boolean;
  /**
   * How long (ms) the hub keeps a namespace socket after its last tab closed
   * or reloaded, so that a reload re-attaches without a new handshake and gets
   * the events that arrived meanwhile. Default 1000; 0: none. Shared by the
   * tabs of a connection (the first tab's value).
   */
  gracePeriod?: number;
}

type ManagerOp = Extract<TabOp, { op: "manager" }>;

/**
 * The `manager` op of a draft. A tab's first Manager for a connection key
 * joins the shared one; a further Manager for the same key in this tab is
 * private (as socket.io-client would make a new one), and so are `forceNew`
 * and `multiplex: false`. `sharedKeys`: the keys this tab already shares.
 */
export function managerOp(draft: ManagerDraft, sharedKeys: Set<string>): ManagerOp {
  const opts = draft.opts;
  const { wire, key } = wireOptions(draft.origin, opts, draft.urlQuery);
  const isPrivate = opts.forceNew === true || opts.multiplex === false || sharedKeys.has(key);
  if (!isPrivate) sharedKeys.add(key);
  return { op: "manager", ref: draft.ref, origin: draft.origin, key, opts: wire, private: isPrivate };
}

/** The plain options the hub gets, and the connection key. */
export function wireOptions(
  origin: string,
  opts: Partial<ManagerOptions>,
  urlQuery: Record<string, string> | undefined,
): { wire: WireManagerOptions; key: string } {
  const source = opts as Record<string, unknown>;
  const wire: Record<string, unknown> = {};
  for (const name of [...CONNECTION_OPTIONS, ...BEHAVIOUR_OPTIONS]) {
    const value = source[name];
    if (value !== undefined) wire[name] = value;
  }
  wire.path = opts.path || "/socket.io";
  if (wire.query === undefined && urlQuery && Object.keys(urlQuery).length > 0) wire.query = urlQuery;
  if (typeof wire.query === "string") wire.query = Object.fromEntries(new URLSearchParams(wire.query as string));
  if (Array.isArray(wire.transports)) wire.transports = (wire.transports as unknown[]).filter((t) => typeof t === "string");
  if (opts.parser) {
    const codec = wireCodec(opts.parser);
    pageCodecs.set(codec.fingerprint, opts.parser);
    wire.parser = codec;
  }
  // The core's list and words: the tab warns as a Manager in the page would.
  warnIgnoredOptions(opts);
  const keyParts: Record<string, unknown> = {};
  for (const name of CONNECTION_OPTIONS) if (wire[name] !== undefined) keyParts[name] = wire[name];
  return { wire: wire as WireManagerOptions, key: `${origin}|${stable(keyParts)}` };
}

/** JSON with sorted keys: deep-equal values (key order ignored) give the same string. */
export function stable(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record).sort().map((k) => `${JSON.stringify(k)}:${stable(record[k])}`).join(",")}}`;
}
