/**
 * The sockets a test server (or a forwarder of ours) has open, so that
 * closing it ends them all at once, as a process that dies would. Upgraded
 * sockets (WebSockets) count too: an HTTP server stops tracking those.
 */
import type { Server as NetServer, AddressInfo, Socket } from "node:net";

export class OpenSockets {
  private readonly open = new Set<Socket>();

  /** Tracks every connection `server` accepts from now on. */
  constructor(private readonly server: NetServer) {
    server.on("connection", (socket: Socket) => this.add(socket));
  }

  /** Tracks one more socket (e.g. the upstream side of a forwarded connection). */
  add(socket: Socket): void {
    this.open.add(socket);
    socket.once("close", () => this.open.delete(socket));
  }

  /** Stops listening and destroys every open socket; resolves once the server is closed. */
  closeAll(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.open) socket.destroy();
    return closed;
  }
}

/** Listens on 127.0.0.1, on a free port; resolves with the server's `http://` URL. */
export async function listenOnLoopback(server: NetServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
