/**
 * The URL given to `io()` / `new Manager()`: the server origin (explicit
 * port), the namespace (pathname) and the query. Relative URLs resolve against
 * the page as in socket.io-client. Built on `URL` to keep the tab's code small.
 */
export interface TabUrl {
  /** `protocol://host:port`. */
  origin: string;
  /** The pathname: `io()`'s namespace. */
  nsp: string;
  query: Record<string, string>;
  /** The absolute URL. */
  source: string;
}

export function parseTabUrl(uri?: string): TabUrl {
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
  const scheme = loc?.protocol ?? "https:";
  let source = uri || (loc ? `${loc.protocol}//${loc.host}` : "");
  if (source.startsWith("//")) source = scheme + source;
  else if (source.startsWith("/") && loc) source = loc.host + source;
  if (!/^(https?|wss?):\/\//i.test(source)) source = `${scheme}//${source}`;
  const url = new URL(source);
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  return {
    origin: `${url.protocol}//${url.hostname}:${url.port || (secure ? 443 : 80)}`,
    nsp: url.pathname || "/",
    query: Object.fromEntries(url.searchParams),
    source,
  };
}
