/**
 * The options and global events of engine.io-client that matter in a
 * browser and that the engine takes from socket.io-client: `host`,
 * `requestTimeout`, `transportOptions`, `useNativeTimers`,
 * `closeOnBeforeunload`, and the realm's `offline` event.
 */
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { Engine } from "../../src/engine/engine";
import { once, sleep } from "../helpers/server";
import { closed, connect, startEngineServer, waitFor, type EngineTestServer } from "./helpers";

/**
 * The global scope made an event target, as in a page or a worker, for this
 * whole file: the engine registers its one `offline` listener on first use.
 */
const globalEvents = new EventTarget();
const scope = globalThis as Record<string, unknown>;
scope.addEventListener = globalEvents.addEventListener.bind(globalEvents);
scope.removeEventListener = globalEvents.removeEventListener.bind(globalEvents);
afterAll(() => {
  delete scope.addEventListener;
  delete scope.removeEventListener;
});

describe("browser-meaningful options", () => {
  let server: EngineTestServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.close();
    server = undefined;
  });

  it("host: its host name is used when there is no URI (its port is not, as in engine.io-client)", async () => {
    server = await startEngineServer();
    const engine = new Engine({ host: `127.0.0.1:1`, port: server.port, path: "/socket.io", transports: ["polling"] });
    await once(engine, "open");
    expect(server.requests[0]?.headers.host).toBe(`127.0.0.1:${server.port}`);
    engine.close();
  });

  it("requestTimeout: a polling request that takes longer fails with 'xhr poll error'", async () => {
    // The server holds the handshake request longer than the client waits.
    server = await startEngineServer({ allowRequest: (_req, cb) => setTimeout(() => cb(null, true), 1_000) });
    const engine = connect(server, { transports: ["polling"], requestTimeout: 100 });
    const errors: Error[] = [];
    engine.on("error", (err) => errors.push(err));
    const started = Date.now();
    const [reason, description] = await closed(engine);
    expect(reason).toBe("transport error");
    expect(errors.map((e) => e.message)).toEqual(["xhr poll error"]);
    expect((description as { description?: unknown }).description).toBe("request timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("requestTimeout longer than the requests: the session carries on", async () => {
    server = await startEngineServer({ pingInterval: 100, pingTimeout: 2_000 });
    const engine = connect(server, { transports: ["polling"], requestTimeout: 1_000 });
    await once(engine, "open");
    let pings = 0;
    engine.on("ping", () => pings++);
    await waitFor(() => pings >= 3, 10_000);
    expect(engine.readyState).toBe("open");
    engine.close();
  });

  it("transportOptions: a transport's own options over the common ones", async () => {
    server = await startEngineServer();
    const engine = connect(server, {
      extraHeaders: { "x-common": "1" },
      transportOptions: { polling: { extraHeaders: { "x-polling": "2" } }, websocket: { timestampRequests: true } },
    });
    await once(engine, "upgrade");
    const polls = server.requests.filter((r) => !r.headers.upgrade);
    const upgrade = server.requests.find((r) => r.headers.upgrade);
    expect(polls.length).toBeGreaterThan(0);
    for (const req of polls) {
      expect(req.headers["x-polling"]).toBe("2");
      expect(req.headers["x-common"]).toBeUndefined();
    }
    expect(new URL(upgrade?.url ?? "", "http://x").searchParams.get("t")).not.toBeNull();
    engine.close();
  });

  it("useNativeTimers: timers wrapped after the library loaded are not used", async () => {
    server = await startEngineServer({ pingInterval: 50, pingTimeout: 2_000 });
    const wrapped = vi.spyOn(globalThis, "setTimeout");
    // The heartbeat's deadline: pingInterval + pingTimeout.
    const heartbeatTimers = () => wrapped.mock.calls.filter(([, ms]) => ms === 2_050).length;
    const native = connect(server, { transports: ["websocket"], useNativeTimers: true });
    await once(native, "open");
    await once(native, "ping");
    expect(heartbeatTimers()).toBe(0);
    native.close();
    const plain = connect(server, { transports: ["websocket"] });
    await once(plain, "open");
    await once(plain, "ping");
    expect(heartbeatTimers()).toBeGreaterThan(0);
    plain.close();
  });

  it("closeOnBeforeunload: the transport closes silently when the page unloads", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"], closeOnBeforeunload: true });
    const other = connect(server, { transports: ["websocket"] });
    await once(engine, "open");
    await once(other, "open");
    const remote = await server.nextSocket();
    const remoteClosed = once(remote, "close");
    let closes = 0;
    engine.on("close", () => closes++);
    globalEvents.dispatchEvent(new Event("beforeunload"));
    const [reason] = await remoteClosed;
    expect(reason).toBe("transport close");
    await sleep(20);
    expect(closes).toBe(0);
    // Only the engine that asked for it.
    expect(other.readyState).toBe("open");
    other.close();
  });

  it("the realm's offline event closes every open engine at once with 'transport close'", async () => {
    server = await startEngineServer();
    const a = connect(server, { transports: ["websocket"] });
    const b = connect(server, { transports: ["polling"] });
    const local = new Engine(`http://localhost:${server.port}`, { path: "/socket.io", transports: ["websocket"] });
    await Promise.all([once(a, "open"), once(b, "open"), once(local, "open")]);
    const closes = [closed(a), closed(b)];
    globalEvents.dispatchEvent(new Event("offline"));
    for (const [reason, description] of await Promise.all(closes)) {
      expect(reason).toBe("transport close");
      expect(description).toEqual({ description: "network connection lost" });
    }
    // A local server stays reachable offline, as in socket.io-client.
    expect(local.readyState).toBe("open");
    local.close();
    // Closed engines stop listening.
    const c = connect(server, { transports: ["websocket"] });
    await once(c, "open");
    globalEvents.dispatchEvent(new Event("offline"));
    expect(c.readyState).toBe("closed");
  });
});
