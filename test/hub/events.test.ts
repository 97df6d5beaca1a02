import { afterEach, describe, expect, it } from "vitest";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once } from "../helpers/server";
import { Server, type Socket as ServerSocket } from "socket.io";
import { createServer } from "node:http";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function serverSocket(): Promise<ServerSocket> {
  await waitFor(() => h.server.io.of("/").sockets.size > 0, 3000, "a server socket");
  return [...h.server.io.of("/").sockets.values()][0]!;
}

describe("events, acks and state across tabs", () => {
  it("a broadcast reaches each listening tab exactly once, and a tab that does not listen gets nothing", async () => {
    h = await harness();
    const [a, b, c] = [await h.tab(), await h.tab(), await h.tab()];
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    const sc = c.io(h.server.url);
    const got = { a: [] as unknown[], b: [] as unknown[], any: [] as unknown[] };
    sa.on("news", (x) => got.a.push(x));
    sb.on("news", (x) => got.b.push(x));
    sc.onAny((ev, x) => got.any.push([ev, x]));
    const quiet = await h.tab();
    const sq = quiet.io(h.server.url);
    let quietGot = 0;
    sq.on("other", () => quietGot++);
    await Promise.all([sa, sb, sc, sq].map((s) => once(s, "connect")));
    await settle(50);
    const quietBefore = (await quiet.diagnostics()).tabs.find((t) => t.id === quiet.tabId)!.messagesSent;
    h.server.io.emit("news", 1);
    h.server.io.emit("news", { n: 2 });
    await waitFor(() => got.a.length === 2 && got.b.length === 2 && got.any.length === 2);
    await settle(50);
    expect(got.a).toEqual([1, { n: 2 }]);
    expect(got.b).toEqual([1, { n: 2 }]);
    expect(got.any).toEqual([["news", 1], ["news", { n: 2 }]]);
    expect(quietGot).toBe(0);
    const quietAfter = (await quiet.diagnostics()).tabs.find((t) => t.id === quiet.tabId)!.messagesSent;
    // Nothing crossed to the tab that does not listen to "news".
    expect(quietAfter).toBe(quietBefore);
  });

  it("a listener removed with off() stops the events crossing; once() gets one", async () => {
    h = await harness();
    const a = await h.tab();
    const s = a.io(h.server.url);
    await once(s, "connect");
    const seen: number[] = [];
    const onceSeen: number[] = [];
    const fn = (n: number) => seen.push(n);
    s.on("tick", fn);
    s.once("tick", (n: number) => onceSeen.push(n));
    await settle(20);
    h.server.io.emit("tick", 1);
    await waitFor(() => seen.length === 1);
    s.off("tick", fn);
    await settle(20);
    const before = (await a.diagnostics()).tabs[0]!.messagesSent;
    h.server.io.emit("tick", 2);
    await settle(80);
    expect(seen).toEqual([1]);
    expect(onceSeen).toEqual([1]);
    expect((await a.diagnostics()).tabs[0]!.messagesSent).toBe(before);
    s.on("a", () => {});
    (s as unknown as { addEventListener(ev: string, fn: () => void): void }).addEventListener("b", () => {});
    s.onAny(() => {});
    await settle(20);
    expect((await a.diagnostics()).counters.listeners).toBe(3);
    s.off();
    s.offAny();
    await settle(20);
    expect((await a.diagnostics()).counters.listeners).toBe(0);
  });

  it("an ack reply goes to the emitting tab only", async () => {
    h = await harness();
    h.server.io.on("connection", (s) => s.on("double", (n: number, ack: (r: number) => void) => ack(n * 2)));
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    const answers: string[] = [];
    sa.emit("double", 21, (r: number) => answers.push(`a:${r}`));
    const rb = await sb.emitWithAck("double", 5);
    await waitFor(() => answers.length === 1);
    await settle(30);
    expect(answers).toEqual(["a:42"]);
    expect(rb).toBe(10);
  });

  it("timeout(): the ack gets an error first when the server does not answer", async () => {
    h = await harness();
    h.server.io.on("connection", (s) => s.on("slow", () => {}));
    const a = await h.tab();
    const s = a.io(h.server.url);
    await once(s, "connect");
    const err = await new Promise<Error | null>((resolve) => s.timeout(50).emit("slow", (e: Error | null) => resolve(e)));
    expect(err?.message).toBe("operation has timed out");
    await expect(s.timeout(50).emitWithAck("slow")).rejects.toThrow("operation has timed out");
  });

  it("a server→client ack is answered once even when several tabs call it", async () => {
    h = await harness();
    const [a, b] = [await h.tab(), await h.tab()];
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    sa.on("ask", (q: string, ack: (r: string) => void) => ack(`a:${q}`));
    sb.on("ask", (q: string, ack: (r: string) => void) => setTimeout(() => ack(`b:${q}`), 20));
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    const server = await serverSocket();
    const answers: string[] = [];
    const packets: unknown[] = [];
    server.conn.on("packet", (p: { type: string; data?: unknown }) => {
      if (p.type === "message" && String(p.data).startsWith("3")) packets.push(p.data);
    });
    server.emit("ask", "q1", (r: string) => answers.push(r));
    await waitFor(() => answers.length === 1);
    await settle(100);
    expect(answers).toEqual(["a:q1"]);
    expect(packets).toHaveLength(1);
    expect((await a.diagnostics()).counters.serverAcks).toBe(0);
  });

  it("socket.id, connected and the transport name are already right inside listeners", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url, { transports: ["websocket"] });
    const inConnect: unknown[] = [];
    sa.on("connect", () => inConnect.push(sa.id, sa.connected, sa.disconnected, sa.active, sa.io.engine.transport.name));
    await once(sa, "connect");
    expect(inConnect[0]).toMatch(/.+/);
    expect(inConnect.slice(1)).toEqual([true, false, true, "websocket"]);
    const sb = b.io(h.server.url, { transports: ["websocket"] });
    await once(sb, "connect");
    const inDisconnect: unknown[] = [];
    sb.on("disconnect", (reason) => inDisconnect.push(reason, sb.id, sb.connected, sb.active));
    (await serverSocket()).disconnect();
    await waitFor(() => inDisconnect.length === 4);
    expect(inDisconnect).toEqual(["io server disconnect", undefined, false, false]);
    expect(sa.connected).toBe(false);
  });

  it("the engine mirror forwards upgrade to a listening tab", async () => {
    h = await harness();
    const a = await h.tab();
    const s = a.io(h.server.url);
    const upgrades: string[] = [];
    s.io.engine.on("upgrade", (t) => upgrades.push(`${t.name}/${s.io.engine.transport.name}`));
    await once(s, "connect");
    await waitFor(() => upgrades.length === 1);
    expect(upgrades).toEqual(["websocket/websocket"]);
    expect(s.io.engine.readyState).toBe("open");
    expect(s.io.engine.id).toMatch(/.+/);
  });

  it("connect_error keeps message and data; the tab is no longer active", async () => {
    h = await harness();
    h.server.io.use((_socket, next) => {
      const err = new Error("not authorized") as Error & { data?: unknown };
      err.data = { code: 401, hint: ["login"] };
      next(err);
    });
    const a = await h.tab();
    const s = a.io(h.server.url);
    const [err] = await once<[Error & { data?: unknown }]>(s, "connect_error");
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe("not authorized");
    expect(err.data).toEqual({ code: 401, hint: ["login"] });
    expect(s.active).toBe(false);
  });

  it("a server that is down reaches the tab as connect_error", async () => {
    h = await harness();
    const a = await h.tab();
    const url = h.server.url;
    await h.server.close();
    const s = a.io(url, { reconnection: false, transports: ["websocket"] });
    const [err] = await once<[Error & { type?: string; description?: unknown }]>(s, "connect_error");
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe("websocket error");
    // A TransportError's fields cross as plain data.
    expect(err.type).toBe("TransportError");
    expect(err.description).toBeDefined();
    expect(s.connected).toBe(false);
  });

  it("reserved names and non-cloneable arguments throw in the tab and nothing is sent", async () => {
    h = await harness();
    const received: unknown[] = [];
    h.server.io.on("connection", (s) => s.onAny((...args) => received.push(args)));
    const a = await h.tab();
    const s = a.io(h.server.url);
    await once(s, "connect");
    expect(() => s.emit("disconnect" as never)).toThrow('"disconnect" is a reserved event name');
    expect(() => s.emit("x", { fn: () => 1 })).toThrow(/function/);
    expect(() => s.emit("x", Symbol("s"))).toThrow(/symbol/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => s.emit("x", cyclic)).toThrow(/circular/);
    expect(() => s.emit("x", new (class Weird { f = () => 1; })())).toThrow(/cannot be cloned/);
    s.emit("ok", new Date(0), new Uint8Array([1, 2]), { toJSON: () => "json" });
    await waitFor(() => received.length === 1);
    await settle(50);
    expect(received).toHaveLength(1);
    const [ev, date, bytes, json] = received[0] as [string, string, Buffer, string];
    expect(ev).toBe("ok");
    expect(date).toBe(new Date(0).toISOString());
    expect([...bytes]).toEqual([1, 2]);
    expect(json).toBe("json");
  });

  it("binary stays binary from the server to the tab", async () => {
    h = await harness();
    const a = await h.tab();
    const s = a.io(h.server.url);
    await once(s, "connect");
    const got = new Promise<unknown>((resolve) => s.on("bin", resolve));
    await settle(20);
    h.server.io.emit("bin", Buffer.from([7, 8, 9]));
    const value = await got;
    expect(ArrayBuffer.isView(value) || value instanceof ArrayBuffer).toBe(true);
    expect([...new Uint8Array(value as ArrayBuffer)]).toEqual([7, 8, 9]);
  });

  it("emits made before connect() (autoConnect: false) are sent once connected, in order; volatile ones are dropped", async () => {
    h = await harness();
    const received: unknown[] = [];
    h.server.io.on("connection", (s) => s.onAny((ev, n) => received.push([ev, n])));
    const a = await h.tab();
    const s = a.io(h.server.url, { autoConnect: false });
    s.emit("e", 1);
    s.volatile.emit("v", 2);
    s.emit("e", 3);
    s.connect();
    await once(s, "connect");
    await waitFor(() => received.length === 2);
    await settle(50);
    expect(received).toEqual([["e", 1], ["e", 3]]);
  });

  it("each tab's own retries govern its own emits on a shared socket", async () => {
    h = await harness();
    const attempts = new Map<string, number>();
    h.server.io.on("connection", (s) =>
      s.on("flaky", (who: string, ack: (r: string) => void) => {
        const n = (attempts.get(who) ?? 0) + 1;
        attempts.set(who, n);
        if (n >= 3) ack(`${who} ok after ${n}`);
      }),
    );
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url, { ackTimeout: 60, retries: 3 });
    const sb = b.io(h.server.url, { ackTimeout: 60 });
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    expect(sb.id).toBe(sa.id);
    const ra = await sa.emitWithAck("flaky", "a");
    expect(ra).toBe("a ok after 3");
    await expect(sb.emitWithAck("flaky", "b")).rejects.toThrow("operation has timed out");
    expect(attempts.get("b")).toBe(1);
  });

  it("a function auth is called in an attached tab on every connection", async () => {
    h = await harness();
    const seen: unknown[] = [];
    h.server.io.on("connection", (s) => seen.push(s.handshake.auth));
    const a = await h.tab();
    const b = await h.tab();
    let calls = 0;
    const sa = a.io(h.server.url, { reconnectionDelay: 20, auth: (cb) => cb({ token: `t${++calls}` }) });
    await once(sa, "connect");
    const sb = b.io(h.server.url, { reconnectionDelay: 20, auth: (cb) => cb({ token: "from-b" }) });
    await once(sb, "connect");
    expect(sb.id).toBe(sa.id);
    expect(seen).toEqual([{ token: "t1" }]);
    // Tab a dies; the server drops the connection; the reconnection asks tab b.
    a.kill();
    await settle(50);
    (await serverSocket()).conn.close();
    await waitFor(() => seen.length === 2, 5000, "a reconnection");
    expect(seen[1]).toEqual({ token: "from-b" });
  });

  it("new static credentials before connect() are used: socket.auth changed after a disconnect", async () => {
    h = await harness();
    const seen: unknown[] = [];
    h.server.io.on("connection", (s) => seen.push(s.handshake.auth));
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url, { auth: { token: "old" } });
    const sb = b.io(h.server.url, { auth: { token: "old" } });
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    sa.disconnect();
    sa.auth = { token: "new" };
    sa.connect();
    await once(sa, "connect");
    expect(seen).toEqual([{ token: "old" }, { token: "new" }]);
    expect(sa.id).not.toBe(sb.id);
    expect(sb.connected).toBe(true);
    const diag = await a.diagnostics();
    expect(diag.counters.subscriptions).toBe(2);
  });

  it("connect() after reconnect_failed tries again", async () => {
    h = await harness();
    const a = await h.tab();
    const s = a.io(h.server.url, { reconnectionAttempts: 1, reconnectionDelay: 10, randomizationFactor: 0, transports: ["websocket"] });
    await once(s, "connect");
    const port = h.server.port;
    await h.server.close();
    await once(s.io, "reconnect_failed");
    expect(s.active).toBe(true);
    expect(s.connected).toBe(false);
    // The server comes back on the same port; the app asks to connect again.
    const http = createServer();
    const revived = new Server(http);
    await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
    try {
      s.connect();
      await once(s, "connect");
      expect(s.connected).toBe(true);
    } finally {
      s.disconnect();
      await new Promise<void>((resolve) => {
        revived.close(() => resolve());
        http.closeAllConnections();
      });
    }
  });
});
