// The examples of socket.io's client API page (the project's seed), run as written against a real server.
import { afterEach, describe, expect, it } from "vitest";
import { io, Manager } from "../../src/index";
import { once, startServer } from "../helpers/server";
import { Cleanup, waitFor } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe("client API page examples", () => {
  it("io(url/ns, { reconnectionDelayMax, auth, query }) is Manager(url, opts).socket(ns, { auth })", async () => {
    const server = cleanup.server(await startServer());
    const seen: Array<{ auth: unknown; query: unknown }> = [];
    server.io.of("/my-namespace").on("connection", (s) => seen.push({ auth: s.handshake.auth, query: s.handshake.query }));
    const socket = cleanup.socket(
      io(`ws://127.0.0.1:${server.port}/my-namespace`, {
        reconnectionDelayMax: 10000,
        auth: { token: "123" },
        query: { "my-key": "my-value" },
      }),
    );
    await once(socket, "connect");
    const manager = cleanup.manager(new Manager(`ws://127.0.0.1:${server.port}`, { reconnectionDelayMax: 10000, query: { "my-key": "my-value" } }));
    const socket2 = cleanup.socket(manager.socket("/my-namespace", { auth: { token: "123" } }));
    await once(socket2, "connect");
    expect(seen).toHaveLength(2);
    for (const s of seen) {
      expect(s.auth).toEqual({ token: "123" });
      expect(s.query).toMatchObject({ "my-key": "my-value" });
    }
    expect(socket.io.reconnectionDelayMax()).toBe(10000);
  });

  it("main and admin namespaces from one Manager; manager.open(cb) with autoConnect: false", async () => {
    const server = cleanup.server(await startServer());
    server.io.of("/admin");
    const manager = cleanup.manager(new Manager(server.url, { autoConnect: false }));
    const socket = cleanup.socket(manager.socket("/"));
    const adminSocket = cleanup.socket(manager.socket("/admin"));
    const result = await new Promise<string>((resolve) =>
      manager.open((err) => resolve(err ? "une erreur est survenue" : "la connexion a été établie avec succès")),
    );
    expect(result).toBe("la connexion a été établie avec succès");
    socket.connect();
    adminSocket.connect();
    await Promise.all([once(socket, "connect"), once(adminSocket, "connect")]);
    expect(server.connectionsAccepted()).toBe(1);
  });

  it("socket.id, connected, disconnected, and socket.io.engine (transport, upgrade, packet, packetCreate, drain, close)", async () => {
    const server = cleanup.server(await startServer());
    const socket = cleanup.socket(io(server.url, { forceNew: true }));
    expect(socket.id).toBeUndefined();
    const log: string[] = [];
    socket.on("connect", () => {
      log.push(`id:${typeof socket.id}`, `connected:${socket.connected}`, `disconnected:${socket.disconnected}`);
      const engine = socket.io.engine;
      log.push(`transport:${engine.transport.name}`);
      engine.once("upgrade", () => log.push(`upgrade:${engine.transport.name}`));
      engine.on("packet", ({ type }) => log.push(`packet:${type}`));
      engine.on("packetCreate", ({ type }) => log.push(`packetCreate:${type}`));
      engine.on("drain", () => log.push("drain"));
      engine.on("close", (reason) => log.push(`close:${reason}`));
    });
    socket.on("disconnect", () => log.push(`after disconnect connected:${socket.connected}`));
    await once(socket, "connect");
    await waitFor(() => log.includes("upgrade:websocket"), 5000, "upgrade");
    socket.emit("hello", "world");
    await waitFor(() => log.includes("packetCreate:message") && log.includes("drain"));
    socket.disconnect();
    // the engine flushes the DISCONNECT packet, then closes
    await waitFor(() => log.includes("close:forced close"));
    expect(log.slice(0, 4)).toEqual(["id:string", "connected:true", "disconnected:false", "transport:polling"]);
    expect(log).toContain("close:forced close");
    expect(log).toContain("after disconnect connected:false");
  });

  it("socket.connect() in a disconnect listener reconnects after 'io server disconnect'", async () => {
    const server = cleanup.server(await startServer());
    let connections = 0;
    server.io.on("connection", (s) => {
      connections++;
      if (connections === 1) setTimeout(() => s.disconnect(), 10);
    });
    const socket = cleanup.socket(io(server.url, { forceNew: true }));
    const reasons: string[] = [];
    socket.on("disconnect", (reason) => {
      reasons.push(reason);
      if (reason === "io server disconnect") socket.connect();
    });
    await once(socket, "connect");
    await once(socket, "connect");
    expect(reasons).toEqual(["io server disconnect"]);
    expect(connections).toBe(2);
  });

  it("emit with a Buffer nested in an object, the bonjour ack, send, news with ack, once/off/listeners", async () => {
    const server = cleanup.server(await startServer());
    const received: unknown[] = [];
    let newsAck: unknown;
    server.io.on("connection", (s) => {
      s.on("hello", (...args) => received.push(["hello", ...args]));
      s.on("with-binary", (...args) => received.push(["with-binary", ...args]));
      s.on("message", (...args) => received.push(["message", ...args]));
      s.on("bonjour", (arg: string, callback: (a: string) => void) => {
        received.push(["bonjour", arg]);
        callback("bien reçu !");
      });
      s.emit("news", (ackValue: unknown) => (newsAck = ackValue));
      s.emit("my-event");
      s.emit("my-event");
    });
    const socket = cleanup.socket(io(server.url, { forceNew: true }));
    socket.on("news", (cb: (v: number) => void) => cb(0));
    let once_ = 0;
    socket.once("my-event", () => once_++);
    const myListener = () => {};
    socket.on("other", myListener);
    expect(socket.listeners("other")).toEqual([myListener]);
    socket.off("other", myListener);
    expect(socket.listeners("other")).toEqual([]);
    socket.on("x", () => {});
    socket.off("x");
    expect(socket.listeners("x")).toEqual([]);
    socket.emit("hello", { a: "b", c: [] });
    socket.emit("with-binary", 1, "2", { 3: "4", 5: Buffer.from([6, 7, 8]) });
    socket.send("hi");
    const response = await new Promise((resolve) => socket.emit("bonjour", "ô monde", resolve));
    expect(response).toBe("bien reçu !");
    await waitFor(() => received.length === 4 && newsAck !== undefined);
    expect(received[0]).toEqual(["hello", { a: "b", c: [] }]);
    const [, one, two, obj] = received[1] as [string, number, string, Record<string, unknown>];
    expect([one, two, obj["3"]]).toEqual([1, "2", "4"]);
    expect([...(obj["5"] as Uint8Array)]).toEqual([6, 7, 8]);
    expect(received[2]).toEqual(["message", "hi"]);
    expect(newsAck).toBe(0);
    expect(once_).toBe(1);
    socket.off();
    expect(socket.listeners("news")).toEqual([]);
    // the socket's own machinery does not hang on its listeners: it still works
    await expect(socket.timeout(1000).emitWithAck("bonjour", "encore")).resolves.toBe("bien reçu !");
  });

  it("manager events: error, reconnect_attempt, reconnect_error, reconnect_failed, reconnect, ping", async () => {
    const server = await startServer({ pingInterval: 40, pingTimeout: 500 });
    const socket = cleanup.socket(io(server.url, { forceNew: true, reconnectionAttempts: 1, reconnectionDelay: 10, randomizationFactor: 0 }));
    const log: string[] = [];
    socket.io.on("error", () => log.push("error"));
    socket.io.on("reconnect", (attempt) => log.push(`reconnect ${attempt}`));
    socket.io.on("reconnect_attempt", (attempt) => log.push(`reconnect_attempt ${attempt}`));
    socket.io.on("reconnect_error", () => log.push("reconnect_error"));
    socket.io.on("reconnect_failed", () => log.push("reconnect_failed"));
    let pinged = false;
    socket.io.on("ping", () => (pinged = true));
    await once(socket, "connect");
    await waitFor(() => pinged);
    await server.close();
    await once(socket.io, "reconnect_failed");
    expect(log).toEqual(["reconnect_attempt 1", "error", "reconnect_failed", "reconnect_error"]);
  });
});
