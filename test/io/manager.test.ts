import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Manager } from "../../src/io/manager";
import { once, sleep, startServer } from "../helpers/server";
import { Cleanup, record, waitFor } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const fast = { reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0 };

describe("Manager", () => {
  it("getter/setters return the value without argument and the Manager with one", () => {
    const manager = cleanup.manager(new Manager("http://127.0.0.1:1", { autoConnect: false }));
    expect(manager.reconnection()).toBe(true);
    expect(manager.reconnectionAttempts()).toBe(Infinity);
    expect(manager.reconnectionDelay()).toBe(1000);
    expect(manager.reconnectionDelayMax()).toBe(5000);
    expect(manager.randomizationFactor()).toBe(0.5);
    expect(manager.timeout()).toBe(20000);
    expect(manager.reconnection(false)).toBe(manager);
    expect(manager.reconnectionAttempts(3).reconnectionDelay(10).reconnectionDelayMax(20)).toBe(manager);
    expect(manager.randomizationFactor(0.1).timeout(500)).toBe(manager);
    expect([manager.reconnection(), manager.reconnectionAttempts(), manager.reconnectionDelay()]).toEqual([false, 3, 10]);
    expect([manager.reconnectionDelayMax(), manager.randomizationFactor(), manager.timeout()]).toEqual([20, 0.1, 500]);
    expect(manager.timeout(false).timeout()).toBe(false);
    const noTimeout = cleanup.manager(new Manager("http://127.0.0.1:1", { autoConnect: false, timeout: false }));
    expect(noTimeout.timeout()).toBe(false);
  });

  it("autoConnect: false waits for open(cb), which reports success", async () => {
    const server = cleanup.server(await startServer());
    const manager = cleanup.manager(new Manager(server.url, { autoConnect: false }));
    const socket = cleanup.socket(manager.socket("/"));
    await sleep(50);
    expect(server.connectionsAccepted()).toBe(0);
    expect(socket.active).toBe(false);
    const log = record(manager, ["open"]);
    const err = await new Promise((resolve) => manager.open(resolve));
    expect(err).toBeUndefined();
    expect(log).toEqual(["open"]);
    expect(server.connectionsAccepted()).toBe(1);
    socket.connect();
    await once(socket, "connect");
    expect(manager.connect()).toBe(manager);
  });

  it("open(cb) reports a failure and then does not reconnect", async () => {
    const http = createServer();
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const port = (http.address() as AddressInfo).port;
    await new Promise<void>((r) => http.close(() => r()));
    const manager = cleanup.manager(new Manager(`http://127.0.0.1:${port}`, { autoConnect: false, ...fast }));
    const log = record(manager, ["error", "reconnect_attempt"]);
    const err = await new Promise<Error | undefined>((resolve) => manager.open(resolve));
    expect(err).toBeInstanceOf(Error);
    await sleep(100);
    expect(log).toEqual([`error:${err!.message}`]);
  });

  it("fails with 'timeout' when the handshake does not complete in time", async () => {
    // a real server whose allowRequest never answers: the handshake hangs
    const server = cleanup.server(await startServer({ allowRequest: () => {} }));
    const manager = cleanup.manager(new Manager(server.url, { timeout: 100, reconnection: false }));
    const socket = cleanup.socket(manager.socket("/"));
    const errors: string[] = [];
    manager.on("error", (err) => errors.push(err.message));
    const started = Date.now();
    const [err] = await once<[Error]>(socket, "connect_error");
    expect(err.message).toBe("timeout");
    expect(errors).toEqual(["timeout"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(manager.engine.readyState).toBe("closed");
  });

  it("reconnects after the server closes the transport, with reconnect_attempt then reconnect", async () => {
    const server = cleanup.server(await startServer());
    const manager = cleanup.manager(new Manager(server.url, fast));
    const socket = cleanup.socket(manager.socket("/"));
    await once(socket, "connect");
    const firstId = socket.id;
    const log = record(manager, ["close", "reconnect_attempt", "reconnect", "open"]);
    record(socket, ["disconnect", "connect"], log, "socket.");
    for (const s of server.io.sockets.sockets.values()) s.conn.close();
    await once(manager, "reconnect");
    await waitFor(() => socket.connected);
    // The socket subscribed to the Manager before this test's listener did.
    expect(log).toEqual([
      "socket.disconnect:transport close",
      "close:transport close",
      "reconnect_attempt:1",
      "open",
      "reconnect:1",
      "socket.connect",
    ]);
    expect(socket.id).not.toBe(firstId);
    expect(server.connectionsAccepted()).toBe(2);
  });

  it("gives up with reconnect_failed after reconnectionAttempts when the server stays down", async () => {
    const server = await startServer();
    const manager = cleanup.manager(new Manager(server.url, { ...fast, reconnectionAttempts: 2 }));
    const socket = cleanup.socket(manager.socket("/"));
    await once(socket, "connect");
    const log = record(manager, ["reconnect_attempt", "reconnect_error", "reconnect_failed", "reconnect"]);
    await server.close();
    await once(manager, "reconnect_failed");
    await sleep(100);
    expect(log.map((e) => e.replace(/^reconnect_error:.*/, "reconnect_error"))).toEqual([
      "reconnect_attempt:1",
      "reconnect_error",
      "reconnect_attempt:2",
      "reconnect_failed",
      "reconnect_error",
    ]);
    expect(socket.connected).toBe(false);
    expect(socket.active).toBe(true);
  });

  it("reconnects once the server restarts on the same port", async () => {
    const first = await startServer();
    const port = first.port;
    const manager = cleanup.manager(new Manager(first.url, { ...fast, reconnectionDelayMax: 60 }));
    const socket = cleanup.socket(manager.socket("/"));
    await once(socket, "connect");
    const attempts: number[] = [];
    manager.on("reconnect_attempt", (n) => attempts.push(n));
    await first.close();
    await waitFor(() => attempts.length >= 2, 5000, "two failed attempts");
    const second = cleanup.server(await startServer({}, port));
    const [attempt] = await once<[number]>(manager, "reconnect");
    expect(attempt).toBeGreaterThanOrEqual(3);
    await waitFor(() => socket.connected);
    expect(second.connectionsAccepted()).toBe(1);
  });

  it("waits reconnectionDelay, then doubles up to reconnectionDelayMax, between attempts", async () => {
    const server = await startServer();
    const manager = cleanup.manager(
      new Manager(server.url, { reconnectionDelay: 80, reconnectionDelayMax: 160, randomizationFactor: 0 }),
    );
    const socket = cleanup.socket(manager.socket("/"));
    await once(socket, "connect");
    const times: number[] = [];
    manager.on("reconnect_attempt", () => times.push(Date.now()));
    const closed = once(manager, "close");
    const start = Date.now();
    await server.close();
    await closed;
    await waitFor(() => times.length >= 3, 3000, "three attempts");
    const gaps = [times[0]! - start, times[1]! - times[0]!, times[2]! - times[1]!];
    // 80, then 160 (doubled), then 160 (capped) — plus the time each failed attempt takes
    expect(gaps[0]).toBeGreaterThanOrEqual(75);
    expect(gaps[1]).toBeGreaterThanOrEqual(155);
    expect(gaps[2]).toBeGreaterThanOrEqual(155);
    expect(gaps[2]).toBeLessThan(320);
  });

  it("open() during the backoff wait attempts at once (e.g. when the network comes back)", async () => {
    const server = cleanup.server(await startServer());
    const manager = cleanup.manager(new Manager(server.url, { reconnectionDelay: 5000, reconnectionDelayMax: 5000, randomizationFactor: 0 }));
    const socket = cleanup.socket(manager.socket("/"));
    await once(socket, "connect");
    const log = record(manager, ["reconnect_attempt", "reconnect"]);
    for (const s of server.io.sockets.sockets.values()) s.conn.close();
    await once(socket, "disconnect");
    const started = Date.now();
    const opened = new Promise<Error | undefined>((resolve) => manager.open(resolve));
    await expect(opened).resolves.toBeUndefined();
    await once(socket, "connect");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(log).toEqual(["reconnect_attempt:1", "reconnect:1"]);
  });

  it("reconnection(false) stops a pending reconnection", async () => {
    const server = cleanup.server(await startServer());
    const manager = cleanup.manager(new Manager(server.url, { ...fast, reconnectionDelay: 100, reconnectionDelayMax: 100 }));
    const socket = cleanup.socket(manager.socket("/"));
    await once(socket, "connect");
    const log = record(manager, ["reconnect_attempt"]);
    for (const s of server.io.sockets.sockets.values()) s.conn.close();
    await once(socket, "disconnect");
    manager.reconnection(false);
    await sleep(200);
    expect(log).toEqual([]);
    expect(server.connectionsAccepted()).toBe(1);
    // and connect() starts over
    socket.connect();
    await once(socket, "connect");
  });

  it("emits ping on each server ping", async () => {
    const server = cleanup.server(await startServer({ pingInterval: 30, pingTimeout: 200 }));
    const manager = cleanup.manager(new Manager(server.url));
    cleanup.socket(manager.socket("/"));
    let pings = 0;
    manager.on("ping", () => pings++);
    await waitFor(() => pings >= 2, 2000, "two pings");
  });

  it("closes the engine when the last socket disconnects", async () => {
    const server = cleanup.server(await startServer());
    server.io.of("/b");
    const manager = cleanup.manager(new Manager(server.url));
    const a = cleanup.socket(manager.socket("/"));
    const b = cleanup.socket(manager.socket("/b"));
    await Promise.all([once(a, "connect"), once(b, "connect")]);
    const closes: string[] = [];
    manager.on("close", (reason) => closes.push(reason));
    a.disconnect();
    await sleep(50);
    expect(closes).toEqual([]);
    expect(manager.engine.readyState).toBe("open");
    b.disconnect();
    expect(closes).toEqual(["forced close"]);
    await waitFor(() => server.io.engine.clientsCount === 0, 2000, "server sees the engine close");
  });

  it("socket(nsp) returns the same socket and reconnects it when it was disconnected", async () => {
    const server = cleanup.server(await startServer());
    server.io.of("/x");
    const manager = cleanup.manager(new Manager(server.url));
    const socket = cleanup.socket(manager.socket("/x"));
    await once(socket, "connect");
    socket.disconnect();
    expect(socket.active).toBe(false);
    expect(manager.socket("/x")).toBe(socket);
    expect(socket.active).toBe(true);
    await once(socket, "connect");
  });
});
