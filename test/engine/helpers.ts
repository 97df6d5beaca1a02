/**
 * Test helpers of the engine suite: a real socket.io server whose Engine.IO
 * sockets are detached from its Socket.IO layer, so tests can exchange raw
 * Engine.IO messages with the client under test.
 */
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { Socket as ServerEngineSocket } from "engine.io";
import type { ServerOptions } from "socket.io";
import { Engine } from "../../src/engine/engine";
import type { EngineConstructorOptions } from "../../src/engine/types";
import type { EngineCloseReason } from "../../src/reasons";
import { startServer, type TestServer } from "../helpers/server";

export type { ServerEngineSocket };

export interface EngineTestServer extends TestServer {
  /** Resolves with the next (or an already waiting) server-side Engine.IO socket. */
  nextSocket(): Promise<ServerEngineSocket>;
  /** Every HTTP request and WebSocket upgrade the server received. */
  requests: IncomingMessage[];
  /** Cuts every TCP connection (WebSockets included) and stops listening: the network is gone. */
  dropConnections(): void;
}

/** A socket.io server whose Engine.IO connections speak raw messages. */
export async function startEngineServer(opts: Partial<ServerOptions> = {}): Promise<EngineTestServer> {
  const server = await startServer(opts);
  const waiting: ServerEngineSocket[] = [];
  const takers: Array<(socket: ServerEngineSocket) => void> = [];
  const requests: IncomingMessage[] = [];
  const connections = new Set<Socket>();
  server.http.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });
  server.http.prependListener("request", (req: IncomingMessage) => requests.push(req));
  server.http.prependListener("upgrade", (req: IncomingMessage, socket: Duplex) => {
    requests.push(req);
    // A server without the websocket transport installs no upgrade handler:
    // refuse as Node would without this recorder, instead of hanging.
    if (server.http.listenerCount("upgrade") === 1) {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    }
  });
  server.io.engine.on("connection", (socket: ServerEngineSocket) => {
    // socket.io's Client decodes "data" as Socket.IO packets (and closes on
    // anything else); these tests speak plain Engine.IO messages.
    socket.removeAllListeners("data");
    const taker = takers.shift();
    if (taker) taker(socket);
    else waiting.push(socket);
  });
  return {
    ...server,
    requests,
    dropConnections: () => {
      server.http.close();
      for (const socket of connections) socket.destroy();
    },
    nextSocket: () =>
      new Promise<ServerEngineSocket>((resolve) => {
        const socket = waiting.shift();
        if (socket) resolve(socket);
        else takers.push(resolve);
      }),
  };
}

/** A client engine on the test server's socket.io path. */
export function connect(server: { url: string }, opts: EngineConstructorOptions = {}): Engine {
  return new Engine(server.url, { path: "/socket.io", ...opts });
}

/** Resolves with the close reason (and description) of `engine`. */
export function closed(engine: Engine, timeoutMs = 5_000): Promise<[EngineCloseReason, unknown]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("engine did not close")), timeoutMs);
    engine.once("close", (reason, description) => {
      clearTimeout(timer);
      resolve([reason, description]);
    });
  });
}

/** Polls `check` until it holds. */
export async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Collects the messages a server-side socket receives. */
export function serverInbox(socket: ServerEngineSocket): unknown[] {
  const inbox: unknown[] = [];
  socket.on("message", (data: unknown) => inbox.push(data));
  return inbox;
}

/** Collects the messages a client engine receives. */
export function clientInbox(engine: Engine): unknown[] {
  const inbox: unknown[] = [];
  engine.on("message", (data) => inbox.push(data));
  return inbox;
}
