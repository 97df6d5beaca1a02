import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions } from "socket.io";

/** A real socket.io server bound to 127.0.0.1 on a free port. */
export interface TestServer {
  io: Server;
  http: HttpServer;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** How many Engine.IO connections the server has accepted so far. */
  connectionsAccepted(): number;
  close(): Promise<void>;
}

/**
 * Starts a server on a free port, or on `port` (to restart a server "in
 * place": rejects when the port is taken).
 */
export async function startServer(opts: Partial<ServerOptions> = {}, port = 0): Promise<TestServer> {
  const http = createServer();
  const io = new Server(http, { pingInterval: 25_000, pingTimeout: 20_000, ...opts });
  let accepted = 0;
  io.engine.on("connection", () => {
    accepted++;
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  return {
    io,
    http,
    port,
    url: `http://127.0.0.1:${port}`,
    connectionsAccepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

/** Resolves with the arguments of the next `event` emitted by `target`. */
export function once<T extends unknown[] = unknown[]>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any emitter's `once`
  target: { once(event: string, fn: (...args: any[]) => void): unknown },
  event: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${event}"`)), timeoutMs);
    target.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
