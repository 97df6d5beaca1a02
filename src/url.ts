/**
 * Parsing of the URL given to `io()` / `new Manager()`: the Engine.IO origin
 * (scheme, host, port), the namespace (the pathname) and the query.
 * Same rules as socket.io-client's `url()`, without depending on `window`.
 */
import { decodeQuery } from "./engine/uri";

/** What the parser needs from `location` to resolve relative URLs. */
export interface LocationLike {
  protocol: string;
  host: string;
}

export interface ParsedUrl {
  /** `http`, `https`, `ws` or `wss` (no colon). */
  protocol: string;
  /** Whether the scheme is `https` or `wss`. */
  secure: boolean;
  /** Host name, lower-cased, IPv6 without brackets. */
  hostname: string;
  /** Port, made explicit (`80`/`443` when the URL has none). */
  port: string;
  /** The pathname, which `io()` uses as the namespace. `/` when empty. */
  path: string;
  /** The raw query string, without `?` (empty when none). */
  query: string;
  /** The query, decoded into an object (as engine.io-client decodes it: `+` stays `+`). */
  queryKey: Record<string, string>;
  /** The absolute URL the parse started from. */
  source: string;
  /** `protocol://host:port` + the Engine.IO path: the key of `io()`'s Manager cache. */
  id: string;
  /** `protocol://host:port`. */
  origin: string;
}

const ABSOLUTE = /^(https?|wss?):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i;

function currentLocation(): LocationLike | undefined {
  const loc = (globalThis as { location?: LocationLike }).location;
  return loc && typeof loc.protocol === "string" && typeof loc.host === "string" ? loc : undefined;
}

/** Resolves a URL relative to `loc` the way socket.io-client does. */
function absolutize(uri: string | undefined, loc: LocationLike | undefined): string {
  if (uri == null || uri === "") {
    if (!loc) throw new TypeError("io(): no URL given and no `location` to default to");
    return `${loc.protocol}//${loc.host}`;
  }
  let out = uri;
  if (out.startsWith("//")) {
    out = (loc ? loc.protocol : "https:") + out;
  } else if (out.startsWith("/")) {
    if (!loc) throw new TypeError(`io(): relative URL "${uri}" needs a \`location\``);
    out = loc.host + out;
  }
  if (!/^(https?|wss?):\/\//i.test(out)) {
    out = (loc ? loc.protocol : "https:") + "//" + out;
  }
  return out;
}

/** Splits `user:pass@host:port` into host name and port. */
function splitAuthority(authority: string): { hostname: string; port: string } {
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]");
    const rest = hostPort.slice(end + 1);
    return { hostname: hostPort.slice(1, end), port: rest.startsWith(":") ? rest.slice(1) : "" };
  }
  const colon = hostPort.lastIndexOf(":");
  return colon === -1
    ? { hostname: hostPort, port: "" }
    : { hostname: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}

/**
 * Parses `uri` (absolute, protocol-relative, path-relative or bare host) into
 * the parts `io()` needs.
 *
 * @param enginePath - the Engine.IO path (`/socket.io`), part of the cache id
 * @param loc - defaults to `globalThis.location` when there is one
 */
export function parseUrl(uri?: string, enginePath = "", loc: LocationLike | undefined = currentLocation()): ParsedUrl {
  const source = absolutize(uri, loc);
  const match = ABSOLUTE.exec(source);
  if (!match) throw new TypeError(`io(): invalid URL "${uri}"`);
  const protocol = match[1]!.toLowerCase();
  const secure = protocol === "https" || protocol === "wss";
  const { hostname: rawHost, port: rawPort } = splitAuthority(match[2] ?? "");
  const hostname = rawHost.toLowerCase();
  const port = rawPort || (secure ? "443" : "80");
  const query = match[4] ?? "";
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const origin = `${protocol}://${host}:${port}`;
  return {
    protocol,
    secure,
    hostname,
    port,
    path: match[3] || "/",
    query,
    queryKey: decodeQuery(query),
    source,
    id: origin + enginePath,
    origin,
  };
}
