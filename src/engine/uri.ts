/**
 * Engine.IO URLs: reading the server address out of the URI a user gives,
 * and composing the URL of each transport request.
 */

/** Where the server is, as the transports need it. */
export interface ServerAddress {
  hostname: string;
  secure: boolean;
  port: string;
  /** Normalised path, with or without the trailing slash as configured. */
  path: string;
}

/** The parts of a user URI the engine uses. */
export interface ParsedUri {
  hostname: string;
  secure: boolean;
  /** Empty when the URI names no port. */
  port: string;
  /** The raw query string without `?`, empty when absent. */
  query: string;
}

/**
 * Parses `http://host:port/path?query` (also https, ws, wss, and a bare
 * `host:port`). Returns null for something that is not a URL at all.
 */
export function parseUri(uri: string): ParsedUri | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri)
    ? uri
    : uri.startsWith("//")
      ? `http:${uri}`
      : `http://${uri}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  const scheme = url.protocol.replace(/:$/, "").toLowerCase();
  return {
    // URL keeps IPv6 literals bracketed; the engine stores bare addresses.
    hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    secure: scheme === "https" || scheme === "wss",
    port: url.port,
    query: url.search.replace(/^\?/, ""),
  };
}

/** Query parameters as the engine keeps them: a flat string map, in order. */
export type QueryParams = Record<string, string>;

/**
 * Decodes `a=1&b=2`. Malformed percent-escapes are kept as written rather
 * than thrown: a bad user query must not break the connection attempt.
 */
export function decodeQuery(query: string): QueryParams {
  const params: QueryParams = {};
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? "" : pair.slice(eq + 1);
    params[safeDecode(key)] = safeDecode(value);
  }
  return params;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Encodes a query map as `a=1&b=2`, in insertion order. */
export function encodeQuery(params: QueryParams): string {
  return Object.keys(params)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(params[key])}`)
    .join("&");
}

/** Turns the `query` option (string or object) into a string map. */
export function normaliseQuery(
  query: string | Record<string, string | number | boolean> | undefined,
): QueryParams {
  if (query === undefined || query === null) return {};
  if (typeof query === "string") return decodeQuery(query.replace(/^\?/, ""));
  const params: QueryParams = {};
  for (const key of Object.keys(query)) params[key] = String(query[key]);
  return params;
}

/** `path` with exactly one leading slash and the trailing slash as asked. */
export function normalisePath(path: string, addTrailingSlash: boolean): string {
  const withLeading = path.startsWith("/") ? path : `/${path}`;
  return withLeading.replace(/\/$/, "") + (addTrailingSlash ? "/" : "");
}

/** The URL of one request: scheme://host[:port]path?query. */
export function composeUrl(
  address: ServerAddress,
  scheme: "http" | "https" | "ws" | "wss",
  query: QueryParams,
): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  const defaultPort = address.secure ? 443 : 80;
  const port = address.port && Number(address.port) !== defaultPort ? `:${address.port}` : "";
  const search = encodeQuery(query);
  return `${scheme}://${host}${port}${address.path}${search ? `?${search}` : ""}`;
}

/** A short random token for cache busting (the `t` parameter). */
export function timestampToken(): string {
  return Date.now().toString(36).slice(3) + Math.random().toString(36).slice(2, 5);
}

/** The address options of `EngineOptions`, as far as this module reads them. */
export interface AddressOptions {
  hostname?: string;
  host?: string;
  secure?: boolean;
  port?: string | number;
  path?: string;
  addTrailingSlash?: boolean;
  query?: string | Record<string, string | number | boolean>;
}

interface HostLocation {
  hostname: string;
  port: string;
  protocol: string;
}

/**
 * Where to connect and with which user query, from the URI (which wins, as
 * in engine.io-client) and the options. Without either, the page's or
 * worker's own location is used, then localhost.
 */
export function resolveAddress(
  uri: string | undefined,
  opts: AddressOptions,
): { address: ServerAddress; query: QueryParams } {
  const location = (globalThis as { location?: HostLocation }).location;
  let { hostname, secure, port } = opts;
  let query = normaliseQuery(opts.query);
  if (uri) {
    const parsed = parseUri(uri);
    if (parsed) {
      hostname = parsed.hostname;
      secure = parsed.secure;
      port = parsed.port;
      if (parsed.query) query = decodeQuery(parsed.query);
    } else {
      // Not a URL: keep it, so the first request fails with a clear error.
      hostname = uri;
    }
  } else if (opts.host) {
    // As in engine.io-client: only the host name of `host` is used, not its port.
    hostname = parseUri(opts.host)?.hostname ?? opts.host;
  }
  const isSecure = secure ?? location?.protocol === "https:";
  const defaultPort = isSecure ? "443" : "80";
  const resolvedPort = hostname
    ? port
      ? String(port)
      : defaultPort
    : port
      ? String(port)
      : location?.port || defaultPort;
  return {
    address: {
      hostname: hostname || location?.hostname || "localhost",
      secure: isSecure,
      port: resolvedPort,
      path: normalisePath(opts.path ?? "/engine.io", opts.addTrailingSlash !== false),
    },
    query,
  };
}
