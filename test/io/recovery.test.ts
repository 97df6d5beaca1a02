import { afterEach, describe, expect, it } from "vitest";
import type { Socket as ServerSocket } from "socket.io";
import { lookup as io } from "../../src/io/lookup";
import { Manager } from "../../src/io/manager";
import { once, startServer } from "../helpers/server";
import { Cleanup, waitFor } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const recovery = { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } };
const fast = { forceNew: true, reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0 };

describe("connection state recovery", () => {
  it("recovers id, rooms and the events missed while the transport was down", async () => {
    const server = cleanup.server(await startServer(recovery));
    const serverSockets: ServerSocket[] = [];
    server.io.on("connection", (s) => {
      serverSockets.push(s);
      if (!s.recovered) s.join("room");
    });
    const socket = cleanup.socket(io(server.url, fast));
    const log: string[] = [];
    socket.on("connect", () => log.push(`connect recovered=${socket.recovered}`));
    socket.on("news", (n: number) => log.push(`news ${n}`));
    await once(socket, "connect");
    expect(socket.recovered).toBe(false);
    const firstId = socket.id;
    server.io.to("room").emit("news", 1);
    await waitFor(() => log.includes("news 1"));
    expect(socket.recoverySession).toEqual({ pid: expect.any(String), offset: expect.any(String) });

    serverSockets[0]!.conn.close();
    await once(socket, "disconnect");
    server.io.to("room").emit("news", 2);
    server.io.to(firstId!).emit("news", 3);
    await once(socket, "connect");
    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(firstId);
    expect(serverSockets[1]!.recovered).toBe(true);
    // missed events arrive before `connect` (receive buffer), in order
    expect(log).toEqual(["connect recovered=false", "news 1", "news 2", "news 3", "connect recovered=true"]);
    server.io.to("room").emit("news", 4);
    await waitFor(() => log.includes("news 4"));
  });

  it("recoverySession can be saved and set on a new socket before it connects", async () => {
    const server = cleanup.server(await startServer(recovery));
    const serverSockets: ServerSocket[] = [];
    server.io.on("connection", (s) => {
      serverSockets.push(s);
      if (!s.recovered) s.join("room");
    });
    const first = cleanup.socket(io(server.url, fast));
    await once(first, "connect");
    server.io.to("room").emit("tick", "a");
    await once(first, "tick");
    const saved = first.recoverySession!;
    const id = first.id;
    // a transport close keeps the session on the server (a namespace disconnect would not)
    first.io.reconnection(false);
    const disconnected = once<[string]>(first, "disconnect");
    const serverSaw = once<[string]>(serverSockets[0]!, "disconnect");
    first.io.engine.close();
    expect(await disconnected).toEqual(["forced close", undefined]);
    // the server keeps the session once it has seen the transport go
    expect((await serverSaw)[0]).toMatch(/^transport (close|error)$|^forced close$/);
    server.io.to("room").emit("tick", "b");

    const manager = cleanup.manager(new Manager(server.url, { autoConnect: false }));
    const second = cleanup.socket(manager.socket("/"));
    second.recoverySession = saved;
    const ticks: string[] = [];
    second.on("tick", (t: string) => ticks.push(t));
    second.connect();
    await once(second, "connect");
    expect(second.recovered).toBe(true);
    expect(second.id).toBe(id);
    expect(ticks).toEqual(["b"]);
  });

  it("without server support: no pid, recovered stays false, no session", async () => {
    const server = cleanup.server(await startServer());
    const socket = cleanup.socket(io(server.url, fast));
    await once(socket, "connect");
    server.io.emit("x", "y");
    await once(socket, "x");
    expect(socket.recoverySession).toBeUndefined();
    for (const s of server.io.sockets.sockets.values()) s.conn.close();
    await once(socket, "disconnect");
    await once(socket, "connect");
    expect(socket.recovered).toBe(false);
  });
});
