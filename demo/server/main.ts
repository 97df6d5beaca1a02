/**
 * The demo server: one node:http server on one origin that serves the built
 * page and a socket.io server (with connection-state recovery) for it. A
 * SharedWorker must be same-origin with its page, which one origin gives for free.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { attachDemo, type DemoHandle, type DemoServer } from "./demo-io";
import { staticFiles } from "./static";

export interface DemoServerOptions {
  /** Folder of the built page. */
  pageDir: string;
  host: string;
  /** Port to try first; 0 picks a free one. */
  port: number;
}

export interface RunningDemo {
  url: string;
  /** Set when the asked-for port was taken and another was used. */
  portTaken?: number;
  demo: DemoHandle;
  close(): Promise<void>;
}

export async function startDemoServer(options: DemoServerOptions): Promise<RunningDemo> {
  const http = createServer(staticFiles(options.pageDir));
  const io: DemoServer = new Server(http, {
    // Reconnections within two minutes get their socket back (same id, rooms,
    // missed events): the page shows `socket.recovered`.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
  });
  const demo = attachDemo(io);

  let portTaken: number | undefined;
  try {
    await listen(http, options.port, options.host);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || options.port === 0) throw err;
    portTaken = options.port;
    await listen(http, 0, options.host);
  }
  const { port } = http.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const running: RunningDemo = {
    url: `http://${host}:${port}/`,
    demo,
    close: () =>
      new Promise<void>((resolve) => {
        demo.stop();
        io.close(() => resolve());
        http.closeAllConnections();
      }),
  };
  if (portTaken !== undefined) running.portTaken = portTaken;
  return running;
}

function listen(http: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      http.off("listening", onListening);
      reject(err);
    };
    const onListening = () => {
      http.off("error", onError);
      resolve();
    };
    http.once("error", onError);
    http.once("listening", onListening);
    http.listen(port, host);
  });
}
