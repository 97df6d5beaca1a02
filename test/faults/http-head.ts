/**
 * Reads HTTP/1.1 message heads out of a raw TCP byte stream, just enough for
 * the fault proxy to see which requests are WebSocket upgrades and where a
 * server's `101 Switching Protocols` ends. Not an HTTP parser: bodies are only
 * measured (Content-Length), never read.
 */

/** A request or response head: start line and headers (names lower-cased). */
export interface HttpHead {
  startLine: string;
  /** Request method (`GET`, ...); undefined for a response. */
  method?: string;
  /** Request target (`/socket.io/?EIO=4...`); undefined for a response. */
  target?: string;
  /** Response status; undefined for a request. */
  status?: number;
  /** Header values by lower-cased name; repeated headers joined with ", ". */
  headers: Map<string, string>;
}

/** One piece of a client→server stream, as the sniffer cut it. */
export type RequestSegment =
  | { type: "head"; head: HttpHead; raw: Buffer }
  /** Body bytes, or anything the sniffer no longer reads (after an upgrade, chunked bodies, non-HTTP). */
  | { type: "data"; raw: Buffer };

const HEAD_END = Buffer.from("\r\n\r\n");
/** A head bigger than this is not HTTP we understand: the stream is passed through unread. */
const MAX_HEAD_BYTES = 64 * 1024;

/** Parses the text of a head (without the final blank line). */
export function parseHead(text: string): HttpHead {
  const lines = text.split("\r\n");
  const startLine = lines[0] ?? "";
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  const head: HttpHead = { startLine, headers };
  const response = /^HTTP\/\d\.\d (\d{3})/.exec(startLine);
  if (response) {
    head.status = Number(response[1]);
  } else {
    const [method, target] = startLine.split(" ");
    head.method = method;
    head.target = target;
  }
  return head;
}

/** Whether a header holds `token` in its comma-separated list (case-insensitive). */
function hasToken(head: HttpHead, name: string, token: string): boolean {
  const value = head.headers.get(name);
  if (value === undefined) return false;
  return value
    .split(",")
    .map((part) => part.trim().toLowerCase())
    .includes(token);
}

/** A request asking to switch to WebSocket (`Upgrade: websocket`). */
export function isWebSocketUpgrade(head: HttpHead): boolean {
  return head.method !== undefined && hasToken(head, "upgrade", "websocket");
}

/**
 * Accumulates bytes until one complete head has arrived. `push` returns the
 * head and whatever followed it in the same bytes, or null while incomplete
 * (or `"too-long"` when no head end comes within MAX_HEAD_BYTES).
 */
export class HeadReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): { head: HttpHead; raw: Buffer; rest: Buffer } | null | "too-long" {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const end = this.pending.indexOf(HEAD_END);
    if (end === -1) return this.pending.length > MAX_HEAD_BYTES ? "too-long" : null;
    const raw = this.pending.subarray(0, end + HEAD_END.length);
    const rest = this.pending.subarray(end + HEAD_END.length);
    this.pending = Buffer.alloc(0);
    return { head: parseHead(raw.subarray(0, end).toString("latin1")), raw, rest };
  }

  /** Bytes held while waiting for the end of a head. */
  takePending(): Buffer {
    const pending = this.pending;
    this.pending = Buffer.alloc(0);
    return pending;
  }
}

/**
 * Cuts a client→server byte stream into request heads and the bytes between
 * them. Keep-alive streams are followed request after request (bodies by
 * Content-Length); after an upgrade request, a chunked body or bytes that are
 * not HTTP, everything is passed on as data.
 */
export class RequestSniffer {
  private readonly reader = new HeadReader();
  /** Body bytes still to pass before the next head. */
  private bodyLeft = 0;
  /** Stopped reading: everything from now on is opaque data. */
  private opaque = false;

  /** Whether the sniffer stopped reading heads. */
  get passingThrough(): boolean {
    return this.opaque;
  }

  push(chunk: Buffer): RequestSegment[] {
    const segments: RequestSegment[] = [];
    let rest: Buffer = chunk;
    while (rest.length > 0) {
      if (this.opaque) {
        segments.push({ type: "data", raw: rest });
        break;
      }
      if (this.bodyLeft > 0) {
        const body = rest.subarray(0, this.bodyLeft);
        this.bodyLeft -= body.length;
        segments.push({ type: "data", raw: body });
        rest = rest.subarray(body.length);
        continue;
      }
      const found = this.reader.push(rest);
      if (found === null) break;
      if (found === "too-long") {
        this.opaque = true;
        segments.push({ type: "data", raw: this.reader.takePending() });
        break;
      }
      segments.push({ type: "head", head: found.head, raw: found.raw });
      this.afterHead(found.head);
      rest = found.rest;
    }
    return segments;
  }

  private afterHead(head: HttpHead): void {
    if (head.headers.has("upgrade") || head.headers.has("transfer-encoding")) {
      this.opaque = true;
      return;
    }
    const length = Number(head.headers.get("content-length") ?? "0");
    if (!Number.isInteger(length) || length < 0) this.opaque = true;
    else this.bodyLeft = length;
  }
}
