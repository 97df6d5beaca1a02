import { afterEach, describe, expect, it } from "vitest";
import type { Packet } from "engine.io-parser";
import { Manager } from "../../src/io/manager";
import { lookup as io } from "../../src/io/lookup";
import { markErrorFirst } from "../../src/io/ack-registry";
import { once, sleep, startServer } from "../helpers/server";
import { Cleanup, waitFor } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const fast = { reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0, forceNew: true };

describe("Socket: connection", () => {
  it("sends a static auth object in the CONNECT packet", async () => {
    const server = cleanup.server(await startServer());
    const seen: unknown[] = [];
    server.io.on("connection", (s) => seen.push(s.handshake.auth));
    const socket = cleanup.socket(io(server.url, { ...fast, auth: { token: "abc" } }));
    await once(socket, "connect");
    expect(seen).toEqual([{ token: "abc" }]);
    expect(socket.auth).toEqual({ token: "abc" });
  });

  it("calls an auth function on every attempt", async () => {
    const server = cleanup.server(await startServer());
    const seen: unknown[] = [];
    server.io.on("connection", (s) => seen.push(s.handshake.auth));
    let calls = 0;
    const socket = cleanup.socket(
      io(server.url, {
        ...fast,
        auth: (cb) => {
          calls++;
          // asynchronous on purpose, as a token refresh would be
          setTimeout(() => cb({ attempt: calls }), 5);
        },
      }),
    );
    await once(socket, "connect");
    for (const s of server.io.sockets.sockets.values()) s.conn.close();
    await once(socket, "disconnect");
    await once(socket, "connect");
    expect(calls).toBe(2);
    expect(seen).toEqual([{ attempt: 1 }, { attempt: 2 }]);
  });

  it("gets connect_error with the middleware's message and data, and becomes inactive", async () => {
    const server = cleanup.server(await startServer());
    server.io.use((_socket, next) => {
      const err = new Error("not authorized") as Error & { data: unknown };
      err.data = { content: "retry later", code: 42 };
      next(err);
    });
    const socket = cleanup.socket(io(server.url, fast));
    const [err] = await once<[Error & { data?: unknown }]>(socket, "connect_error");
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe("not authorized");
    expect(err.data).toEqual({ content: "retry later", code: 42 });
    expect(socket.active).toBe(false);
    expect(socket.connected).toBe(false);
  });

  it("connect_error for a transport that cannot connect, while it keeps trying", async () => {
    const server = await startServer();
    const url = server.url;
    await server.close();
    const socket = cleanup.socket(io(url, fast));
    const [err] = await once<[Error]>(socket, "connect_error");
    expect(err).toBeInstanceOf(Error);
    expect(socket.active).toBe(true);
  });

  it("reuses the namespace socket after disconnect()/connect() and gets a new id", async () => {
    const server = cleanup.server(await startServer());
    const socket = cleanup.socket(io(server.url, fast));
    await once(socket, "connect");
    const first = socket.id;
    expect(socket.disconnect()).toBe(socket);
    expect(socket.id).toBeUndefined();
    expect(socket.connect()).toBe(socket);
    await once(socket, "connect");
    expect(socket.id).not.toBe(first);
    expect(socket.close()).toBe(socket);
    expect(socket.open()).toBe(socket);
    await once(socket, "connect");
  });

  it("throws on reserved event names with socket.io-client's message, and sends nothing", async () => {
    const server = cleanup.server(await startServer());
    const received: string[] = [];
    server.io.on("connection", (s) => s.onAny((ev: string) => received.push(ev)));
    const socket = cleanup.socket(io(server.url, fast));
    await once(socket, "connect");
    for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
      expect(() => socket.emit(name)).toThrow(`"${name}" is a reserved event name`);
    }
    socket.emit("fine");
    await waitFor(() => received.length > 0);
    expect(received).toEqual(["fine"]);
  });
});

describe("Socket: emit and acks", () => {
  it("send() emits 'message'; the server's events reach on/once listeners with an ack callback", async () => {
    const server = cleanup.server(await startServer());
    const fromClient: unknown[] = [];
    let answer: unknown;
    server.io.on("connection", (s) => {
      s.on("message", (...args) => fromClient.push(args));
      s.emit("news", 1, "two", { three: 3 });
      s.emit("ask", "q", (a: unknown) => (answer = a));
    });
    const socket = cleanup.socket(io(server.url, fast));
    const news: unknown[] = [];
    socket.on("news", (...args) => news.push(args));
    socket.once("ask", (q: string, cb: (a: string) => void) => {
      cb(`${q}!`);
      cb("second call is ignored");
    });
    socket.send("hi", 2);
    await waitFor(() => answer !== undefined && news.length === 1 && fromClient.length === 1);
    expect(news).toEqual([[1, "two", { three: 3 }]]);
    expect(answer).toBe("q!");
    expect(fromClient).toEqual([["hi", 2]]);
    expect(socket.listeners("news")).toHaveLength(1);
    expect(socket.hasListeners("ask")).toBe(false);
  });

  it("timeout(ms): the ack gets an Error('operation has timed out') first", async () => {
    const server = cleanup.server(await startServer());
    server.io.on("connection", (s) => {
      s.on("slow", () => {
        /* never answers */
      });
      s.on("quick", (cb: (v: number) => void) => cb(7));
    });
    const socket = cleanup.socket(io(server.url, fast));
    await once(socket, "connect");
    const slow = await new Promise<unknown[]>((resolve) => socket.timeout(50).emit("slow", (...args: unknown[]) => resolve(args)));
    expect(slow).toHaveLength(1);
    expect(slow[0]).toBeInstanceOf(Error);
    expect((slow[0] as Error).message).toBe("operation has timed out");
    const quick = await new Promise<unknown[]>((resolve) => socket.timeout(1000).emit("quick", (...args: unknown[]) => resolve(args)));
    expect(quick).toEqual([null, 7]);
  });

  it("emitWithAck resolves with the answer and rejects on timeout", async () => {
    const server = cleanup.server(await startServer());
    server.io.on("connection", (s) => {
      s.on("sum", (a: number, b: number, cb: (v: number) => void) => cb(a + b));
      s.on("slow", () => {});
    });
    const socket = cleanup.socket(io(server.url, fast));
    await once(socket, "connect");
    await expect(socket.emitWithAck("sum", 2, 3)).resolves.toBe(5);
    await expect(socket.timeout(50).emitWithAck("slow")).rejects.toThrow("operation has timed out");
  });

  it("ackTimeout applies to every emit with an ack", async () => {
    const server = cleanup.server(await startServer());
    server.io.on("connection", (s) => s.on("slow", () => {}));
    const socket = cleanup.socket(io(server.url, { ...fast, ackTimeout: 50 }));
    await once(socket, "connect");
    const [err] = await new Promise<unknown[]>((resolve) => socket.emit("slow", (...args: unknown[]) => resolve(args)));
    expect((err as Error).message).toBe("operation has timed out");
  });

  it("buffers emits made while disconnected and sends them in order once connected", async () => {
    const server = cleanup.server(await startServer());
    const received: unknown[] = [];
    server.io.on("connection", (s) => s.on("n", (n: number, cb?: (v: number) => void) => {
      received.push(n);
      cb?.(n * 10);
    }));
    const socket = cleanup.socket(io(server.url, fast));
    socket.emit("n", 1);
    const acked = new Promise((resolve) => socket.emit("n", 2, resolve));
    socket.emit("n", 3);
    expect(socket.sendBuffer).toHaveLength(3);
    await expect(acked).resolves.toBe(20);
    await waitFor(() => received.length === 3);
    expect(received).toEqual([1, 2, 3]);
    expect(socket.sendBuffer).toHaveLength(0);
  });

  it("a timed-out buffered emit is removed from the send buffer and never sent", async () => {
    const server = cleanup.server(await startServer());
    const received: string[] = [];
    server.io.on("connection", (s) => s.onAny((ev: string) => received.push(ev)));
    const manager = cleanup.manager(new Manager(server.url, { autoConnect: false }));
    const socket = cleanup.socket(manager.socket("/"));
    const errors: string[] = [];
    socket.timeout(20).emit("late", (err: Error | null) => errors.push(String(err?.message)));
    socket.emit("kept");
    await sleep(60);
    expect(errors).toEqual(["operation has timed out"]);
    socket.connect();
    await once(socket, "connect");
    await waitFor(() => received.length > 0);
    await sleep(30);
    expect(received).toEqual(["kept"]);
  });

  it("volatile emits are dropped while disconnected, others are buffered", async () => {
    const server = cleanup.server(await startServer());
    const received: string[] = [];
    server.io.on("connection", (s) => s.onAny((ev: string) => received.push(ev)));
    const socket = cleanup.socket(io(server.url, fast));
    socket.volatile.emit("dropped");
    socket.emit("buffered");
    await once(socket, "connect");
    // volatile also drops while the transport is busy (a polling POST in flight): wait until it is not
    await waitFor(() => socket.io.engine.transport.writable);
    socket.volatile.emit("volatile-connected");
    await waitFor(() => received.length === 2);
    await sleep(30);
    expect(received).toEqual(["buffered", "volatile-connected"]);
  });

  it("compress(false) reaches the engine packet options; the default is true", async () => {
    const server = cleanup.server(await startServer());
    const socket = cleanup.socket(io(server.url, fast));
    await once(socket, "connect");
    const created: Packet[] = [];
    socket.io.engine.on("packetCreate", (p: Packet) => created.push(p));
    socket.compress(false).emit("a");
    socket.emit("b");
    await waitFor(() => created.length >= 2);
    const byEvent = (ev: string) => created.find((p) => typeof p.data === "string" && p.data.includes(`"${ev}"`));
    expect(byEvent("a")?.options?.compress).toBe(false);
    expect(byEvent("b")?.options?.compress).toBe(true);
  });

  it("on disconnect, acks with a timeout fail with 'socket has been disconnected', emitWithAck rejects", async () => {
    const server = cleanup.server(await startServer());
    server.io.on("connection", (s) => s.on("never", () => {}));
    const socket = cleanup.socket(io(server.url, { ...fast, reconnection: false }));
    await once(socket, "connect");
    const errors: unknown[] = [];
    let plainCalled = false;
    socket.timeout(5000).emit("never", (err: Error) => errors.push(err.message));
    const pending = socket.emitWithAck("never").catch((e: Error) => e.message);
    socket.emit("never", () => (plainCalled = true));
    await sleep(20);
    for (const s of server.io.sockets.sockets.values()) s.conn.close();
    await once(socket, "disconnect");
    expect(errors).toEqual(["socket has been disconnected"]);
    await expect(pending).resolves.toBe("socket has been disconnected");
    expect(plainCalled).toBe(false);
  });
});

describe("markErrorFirst (for the hub's own queues)", () => {
  it("an ack marked error-first gets null + every answer argument, or the disconnection error", async () => {
    const server = cleanup.server(await startServer());
    server.io.on("connection", (s) => {
      s.on("pair", (cb: (a: number, b: string) => void) => cb(1, "two"));
      s.on("never", () => {});
    });
    const socket = cleanup.socket(io(server.url, { ...fast, reconnection: false }));
    await once(socket, "connect");
    const answer = await new Promise<unknown[]>((resolve) =>
      socket.emit("pair", markErrorFirst((...args: unknown[]) => resolve(args))),
    );
    expect(answer).toEqual([null, 1, "two"]);
    const failed = new Promise<unknown[]>((resolve) =>
      socket.emit("never", markErrorFirst((...args: unknown[]) => resolve(args))),
    );
    await sleep(20);
    for (const s of server.io.sockets.sockets.values()) s.conn.close();
    const [err] = await failed;
    expect((err as Error).message).toBe("socket has been disconnected");
  });
});

describe("Socket: catch-all listeners", () => {
  it("onAny / prependAny / offAny / listenersAny", async () => {
    const server = cleanup.server(await startServer());
    server.io.on("connection", (s) => {
      s.emit("one", 1);
      s.emit("two", 2);
    });
    const socket = cleanup.socket(io(server.url, fast));
    const log: string[] = [];
    const a = (ev: string, v: number) => log.push(`a:${ev}:${v}`);
    const b = (ev: string) => log.push(`b:${ev}`);
    const removed = () => log.push("removed");
    expect(socket.onAny(a)).toBe(socket);
    socket.prependAny(b);
    socket.onAny(removed);
    socket.offAny(removed);
    expect(socket.listenersAny()).toEqual([b, a]);
    socket.on("two", () => log.push("on:two"));
    await waitFor(() => log.length === 5);
    expect(log).toEqual(["b:one", "a:one:1", "b:two", "a:two:2", "on:two"]);
    socket.offAny();
    expect(socket.listenersAny()).toEqual([]);
  });

  it("onAnyOutgoing / prependAnyOutgoing / offAnyOutgoing / listenersAnyOutgoing, buffered emits included", async () => {
    const server = cleanup.server(await startServer());
    const socket = cleanup.socket(io(server.url, fast));
    const log: string[] = [];
    const a = (ev: string, ...args: unknown[]) => log.push(`a:${ev}:${args.length}`);
    const b = (ev: string) => log.push(`b:${ev}`);
    const removed = () => log.push("removed");
    socket.onAnyOutgoing(a);
    socket.prependAnyOutgoing(b);
    socket.onAnyOutgoing(removed);
    expect(socket.offAnyOutgoing(removed)).toBe(socket);
    expect(socket.listenersAnyOutgoing()).toEqual([b, a]);
    socket.emit("early", 1, 2);
    expect(log).toEqual([]); // buffered: not sent yet
    await once(socket, "connect");
    socket.emit("late", "x", () => {});
    expect(log).toEqual(["b:early", "a:early:2", "b:late", "a:late:1"]);
    socket.offAnyOutgoing();
    expect(socket.listenersAnyOutgoing()).toEqual([]);
  });
});
