/**
 * Manager-level handling of socket.io-client options: the Node-only ones
 * (ignored, one warning per realm), `useNativeTimers` for the reconnection
 * and ack timers, and `host` without a URL.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Manager } from "../../src/io/manager";
import { ignoredOptions } from "../../src/io/ignored-options";
import { once, startServer } from "../helpers/server";
import { Cleanup } from "./helpers";

const cleanup = new Cleanup();
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup.run();
});

describe("options a browser client ignores", () => {
  it("names the Node-only options, and extraHeaders when the session may start on WebSocket", () => {
    expect(ignoredOptions({})).toEqual([]);
    expect(ignoredOptions({ agent: {}, ca: "x", rejectUnauthorized: false, perMessageDeflate: false, autoUnref: true })).toEqual([
      "agent",
      "autoUnref",
      "ca",
      "rejectUnauthorized",
      "perMessageDeflate",
    ]);
    expect(ignoredOptions({ extraHeaders: { a: "1" } })).toEqual([]);
    expect(ignoredOptions({ extraHeaders: { a: "1" }, transports: ["polling", "websocket"] })).toEqual([]);
    expect(ignoredOptions({ extraHeaders: { a: "1" }, transports: ["websocket"] })).toEqual(["extraHeaders"]);
    // With rememberUpgrade, a session after an upgrade starts on WebSocket.
    expect(ignoredOptions({ extraHeaders: { a: "1" }, rememberUpgrade: true })).toEqual(["extraHeaders"]);
    expect(ignoredOptions({ extraHeaders: { a: "1" }, rememberUpgrade: true, transports: ["polling"] })).toEqual([]);
  });

  it("warns once per realm, naming what is ignored, and still connects", async () => {
    const server = cleanup.server(await startServer());
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    cleanup.manager(new Manager(server.url, { autoConnect: false }));
    expect(warn).not.toHaveBeenCalled();
    const manager = cleanup.manager(new Manager(server.url, { agent: false, ca: "x", rejectUnauthorized: false }));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toBe("agent, ca, rejectUnauthorized");
    cleanup.manager(new Manager(server.url, { autoConnect: false, pfx: "y" }));
    expect(warn).toHaveBeenCalledTimes(1);
    await once(manager, "open");
  });
});

describe("useNativeTimers and host", () => {
  it("useNativeTimers: ack timeouts and the connect timeout use the timers the library loaded with", async () => {
    const server = cleanup.server(await startServer());
    const wrapped = vi.spyOn(globalThis, "setTimeout");
    const withMs = (ms: number) => wrapped.mock.calls.filter(([, delay]) => delay === ms).length;
    const native = cleanup.manager(new Manager(server.url, { useNativeTimers: true, timeout: 4_321 }));
    const socket = cleanup.socket(native.socket("/"));
    await once(socket, "connect");
    socket.timeout(1_234).emit("x", () => {});
    expect([withMs(4_321), withMs(1_234)]).toEqual([0, 0]);
    const plain = cleanup.manager(new Manager(server.url, { timeout: 4_322 }));
    const other = cleanup.socket(plain.socket("/"));
    await once(other, "connect");
    other.timeout(1_235).emit("x", () => {});
    expect([withMs(4_322), withMs(1_235)]).toEqual([1, 1]);
  });

  it("host: a Manager without a URL connects to it", async () => {
    const server = cleanup.server(await startServer());
    const manager = cleanup.manager(new Manager({ host: "127.0.0.1", port: server.port }));
    const socket = cleanup.socket(manager.socket("/"));
    await once(socket, "connect");
    expect(socket.connected).toBe(true);
  });
});
