/**
 * One connection through the fault proxy: a client socket and its upstream
 * socket, with the faults applied to the bytes between them. The proxy
 * decides the faults; a link only asks it (see {@link LinkEnv}).
 */
import { connect, type Socket } from "node:net";
import { HeadReader, isWebSocketUpgrade, RequestSniffer } from "./http-head";
import { FrameSplitter } from "./ws-frames";

/** What a corrupter knows about the bytes it is given. */
export interface ChunkInfo {
  /** Number of the connection, from 1, in the order the proxy accepted them. */
  connection: number;
  /**
   * `"websocket"`: the chunk is exactly one whole server→client WebSocket
   * frame. `"http"`: server→client bytes as they were read (response heads,
   * polling bodies).
   */
  protocol: "http" | "websocket";
}

/**
 * Rewrites server→client bytes. Returns what to send instead (a Buffer, any
 * bytes, or text as UTF-8), or `null` to drop the chunk.
 */
export type Corrupter = (chunk: Buffer, info: ChunkInfo) => Uint8Array | string | null;

/** Counters shared by every link of one proxy. */
export interface MutableCounters {
  /** Connections accepted (refused ones included). */
  connectionsOpened: number;
  /** Connections closed at once because the proxy refused them. */
  connectionsRefused: number;
  /** Connections the server switched to WebSocket. */
  webSocketConnections: number;
  /** Upgrade requests answered 400 because the proxy blocks WebSocket upgrades. */
  upgradesBlocked: number;
  /** Bytes read from clients (dropped ones included). */
  clientToServerBytes: number;
  /** Bytes read from the server (dropped ones included). */
  serverToClientBytes: number;
  /** Bytes swallowed by the black hole, both ways. */
  droppedBytes: number;
  /** Server→client chunks a corrupter changed or dropped. */
  corruptedChunks: number;
}

/** What a link asks the proxy about, each time it moves bytes. */
export interface LinkEnv {
  target: { host: string; port: number };
  counters: MutableCounters;
  blackholed(): boolean;
  upgradesBlocked(): boolean;
  corrupter(): Corrupter | null;
  onClosed(link: Link): void;
}

const UPGRADE_REFUSAL =
  "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 35\r\n\r\nWebSocket upgrade blocked by proxy\n";

export class Link {
  private readonly upstream: Socket;
  private readonly sniffer = new RequestSniffer();
  /** Set while waiting for the server's answer to an upgrade request. */
  private responseHead: HeadReader | null = null;
  /** Set once the server switched the connection to WebSocket. */
  private frames: FrameSplitter | null = null;
  private requests = 0;
  /** Bytes were dropped by a black hole: the streams have a gap and cannot carry on. */
  private lostBytes = false;
  /** One side closed while black-holed: the other side was not told. */
  private halfDead = false;
  private closed = false;

  constructor(
    readonly id: number,
    private readonly client: Socket,
    private readonly env: LinkEnv,
  ) {
    this.upstream = connect(env.target.port, env.target.host);
    client.on("data", (chunk: Buffer) => this.fromClient(chunk));
    this.upstream.on("data", (chunk: Buffer) => this.fromServer(chunk));
    for (const [side, other] of [
      [client, this.upstream],
      [this.upstream, client],
    ] as const) {
      side.on("error", () => this.sideGone(other));
      side.on("end", () => {
        if (!env.blackholed()) other.end();
      });
      side.on("close", () => this.sideGone(other));
    }
  }

  /** Resets both sides (RST where the socket is connected): a network cut. */
  cut(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) continue;
      // A socket still connecting cannot send RST; destroy() is the same cut for it.
      if (socket.readyState === "open") socket.resetAndDestroy();
      else socket.destroy();
    }
    this.env.onClosed(this);
  }

  /**
   * The black hole lifted: a link that lost bytes, or whose other side left
   * meanwhile, cannot resume (its peers would read a gap), so it is cut.
   */
  afterBlackhole(): void {
    if (this.lostBytes || this.halfDead) this.cut();
  }

  private sideGone(other: Socket): void {
    if (this.closed) return;
    // In a black hole nothing tells the other side that this one left.
    if (this.env.blackholed()) {
      this.halfDead = true;
      return;
    }
    this.closed = true;
    other.destroy();
    this.env.onClosed(this);
  }

  private drop(bytes: number): boolean {
    if (!this.env.blackholed()) return false;
    this.env.counters.droppedBytes += bytes;
    this.lostBytes = true;
    return true;
  }

  private fromClient(chunk: Buffer): void {
    this.env.counters.clientToServerBytes += chunk.length;
    if (this.drop(chunk.length)) return;
    for (const segment of this.sniffer.push(chunk)) {
      if (segment.type === "head") {
        this.requests++;
        if (isWebSocketUpgrade(segment.head)) {
          if (this.env.upgradesBlocked()) {
            this.refuseUpgrade();
            return;
          }
          // Clients open a fresh connection for a WebSocket; only then is the
          // next response head the answer to the upgrade.
          if (this.requests === 1) this.responseHead = new HeadReader();
        }
      }
      this.upstream.write(segment.raw);
    }
  }

  private refuseUpgrade(): void {
    this.env.counters.upgradesBlocked++;
    this.closed = true;
    this.upstream.destroy();
    this.client.end(UPGRADE_REFUSAL);
    this.env.onClosed(this);
  }

  private fromServer(chunk: Buffer): void {
    this.env.counters.serverToClientBytes += chunk.length;
    if (this.drop(chunk.length)) return;
    let rest = chunk;
    const reader = this.responseHead;
    if (reader) {
      const found = reader.push(rest);
      if (found === null) return;
      this.responseHead = null;
      // Not an HTTP answer we understand: pass it on and stop looking.
      if (found === "too-long") return this.deliver(reader.takePending(), "http");
      this.deliver(found.raw, "http");
      if (found.head.status === 101) {
        this.env.counters.webSocketConnections++;
        this.frames = new FrameSplitter();
      }
      rest = found.rest;
      if (rest.length === 0) return;
    }
    if (this.frames) {
      for (const frame of this.frames.push(rest)) this.deliver(frame, "websocket");
    } else {
      this.deliver(rest, "http");
    }
  }

  private deliver(bytes: Buffer, protocol: ChunkInfo["protocol"]): void {
    if (this.client.destroyed) return;
    const corrupter = this.env.corrupter();
    if (!corrupter) {
      this.client.write(bytes);
      return;
    }
    const out = corrupter(bytes, { connection: this.id, protocol });
    if (out === null) {
      this.env.counters.corruptedChunks++;
      return;
    }
    const replacement = typeof out === "string" ? Buffer.from(out, "utf8") : Buffer.from(out);
    if (!replacement.equals(bytes)) this.env.counters.corruptedChunks++;
    this.client.write(replacement);
  }
}
