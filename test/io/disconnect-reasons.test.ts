import { afterEach, describe, expect, it } from "vitest";
import type { Socket as ServerSocket } from "socket.io";
import { lookup as io } from "../../src/io/lookup";
import type { Socket } from "../../src/io/socket";
import { once, sleep, startServer, type TestServer } from "../helpers/server";
import { Cleanup, waitFor } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const opts = { forceNew: true, reconnection: false };

async function connected(server: TestServer, extra: Record<string, unknown> = {}): Promise<[Socket, ServerSocket]> {
  const serverSide = new Promise<ServerSocket>((resolve) => server.io.once("connection", resolve));
  const socket = cleanup.socket(io(server.url, { ...opts, ...extra }));
  await once(socket, "connect");
  return [socket, await serverSide];
}

describe("disconnect reasons", () => {
  it("io server disconnect: no reconnection, socket inactive", async () => {
    const server = cleanup.server(await startServer());
    const [socket, remote] = await connected(server, { reconnection: true, reconnectionDelay: 10 });
    remote.disconnect();
    const [reason] = await once<[string]>(socket, "disconnect");
    expect(reason).toBe("io server disconnect");
    expect(socket.active).toBe(false);
    await sleep(60);
    expect(socket.connected).toBe(false);
  });

  it("io client disconnect: the server sees 'client namespace disconnect'", async () => {
    const server = cleanup.server(await startServer());
    server.io.of("/other").on("connection", () => {});
    const [socket, remote] = await connected(server);
    // a second namespace keeps the engine open, so the server sees the namespace leave
    const other = cleanup.socket(socket.io.socket("/other"));
    await once(other, "connect");
    const serverReason = new Promise((resolve) => remote.once("disconnect", resolve));
    const reasons: string[] = [];
    socket.on("disconnect", (r) => reasons.push(r));
    socket.disconnect();
    expect(reasons).toEqual(["io client disconnect"]);
    await expect(serverReason).resolves.toBe("client namespace disconnect");
    expect(other.connected).toBe(true);
  });

  it("transport close: the server closes the connection", async () => {
    const server = cleanup.server(await startServer());
    const [socket, remote] = await connected(server);
    remote.conn.close();
    const [reason] = await once<[string]>(socket, "disconnect");
    expect(reason).toBe("transport close");
    expect(socket.active).toBe(true); // would reconnect if reconnection were on
  });

  it("transport error: the server goes away during a long-polling request", async () => {
    const server = cleanup.server(await startServer());
    const [socket] = await connected(server, { transports: ["polling"] });
    await sleep(20); // let the next GET start
    server.http.closeAllConnections();
    const [reason] = await once<[string]>(socket, "disconnect");
    expect(reason).toBe("transport error");
  });

  it("ping timeout: the server stops pinging", async () => {
    const server = cleanup.server(await startServer({ pingInterval: 50, pingTimeout: 50 }));
    const [socket, remote] = await connected(server, { transports: ["websocket"] });
    await once(socket.io, "ping");
    // The real server, with its ping timer cleared: no more pings after this one.
    clearTimeout((remote.conn as unknown as { pingIntervalTimer: ReturnType<typeof setTimeout> }).pingIntervalTimer);
    const started = Date.now();
    const [reason] = await once<[string]>(socket, "disconnect");
    expect(reason).toBe("ping timeout");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("parse error: a malformed Socket.IO packet from the server closes the connection and nothing throws", async () => {
    const server = cleanup.server(await startServer());
    const [socket, remote] = await connected(server, { reconnection: true, reconnectionDelay: 20, randomizationFactor: 0 });
    const closes: string[] = [];
    socket.io.on("close", (reason) => closes.push(reason));
    const events: unknown[] = [];
    socket.onAny((...args) => events.push(args));
    remote.conn.send("2[broken");
    const [reason, description] = await once<[string, unknown]>(socket, "disconnect");
    expect(reason).toBe("parse error");
    expect(description).toBeInstanceOf(Error);
    expect(closes).toEqual(["parse error"]);
    expect(events).toEqual([]);
    // the Manager reconnects as after any other involuntary close
    await once(socket, "connect");
  });

  it("parse error on a binary attachment nobody announced", async () => {
    const server = cleanup.server(await startServer());
    const [socket, remote] = await connected(server, { transports: ["websocket"] });
    remote.conn.send(Buffer.from([1, 2, 3]));
    const [reason] = await once<[string]>(socket, "disconnect");
    expect(reason).toBe("parse error");
  });

  it("an exception in a user listener is not a parse error", async () => {
    const server = cleanup.server(await startServer());
    const [socket, remote] = await connected(server);
    const reasons: string[] = [];
    socket.on("disconnect", (r) => reasons.push(r));
    const thrown: unknown[] = [];
    const onUncaught = (err: unknown) => thrown.push(err);
    process.prependListener("uncaughtException", onUncaught);
    try {
      socket.on("boom", () => {
        throw new Error("listener bug");
      });
      const after = new Promise((resolve) => socket.on("after", resolve));
      remote.emit("boom");
      remote.emit("after", 1);
      await expect(after).resolves.toBe(1);
      await waitFor(() => thrown.length === 1);
    } finally {
      process.removeListener("uncaughtException", onUncaught);
    }
    expect((thrown[0] as Error).message).toBe("listener bug");
    expect(reasons).toEqual([]);
    expect(socket.connected).toBe(true);
  });
});
