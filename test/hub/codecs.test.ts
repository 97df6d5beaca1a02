import { afterEach, describe, expect, it, vi } from "vitest";
import * as msgpackModule from "socket.io-msgpack-parser";
import * as socketIoParser from "socket.io-parser";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once, startServer, type TestServer } from "../helpers/server";
import { io as pageIo } from "../../client";
import { codecFingerprint } from "../../worker/codec-probe";
import type { ParserModule } from "../../src";

// socket.io-msgpack-parser's typings say `encode()` returns one ArrayBuffer; it returns an array.
const msgpack = msgpackModule as unknown as ParserModule;
const builtIn = socketIoParser as unknown as ParserModule;

let h: Harness | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await h?.close();
  await server?.close();
  h = undefined;
  server = undefined;
  vi.restoreAllMocks();
});

/** Server-side echo with an ack, so a test sees traffic both ways through the codec. */
function echo(s: TestServer): void {
  s.io.on("connection", (socket) => socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value)));
}

describe("codec fingerprints", () => {
  it("tell codecs apart by what they encode, and are stable", () => {
    const copy = { ...msgpack };
    expect(codecFingerprint(msgpack)).toBe(codecFingerprint(copy));
    expect(codecFingerprint(msgpack)).not.toBe(codecFingerprint(builtIn));
    expect(codecFingerprint(builtIn)).toMatch(/^s:2\/socket\.io-shared,7\[/);
  });
});

describe("a custom parser through a SharedWorker hub", () => {
  it("a codec the worker registered serves the tab's parser (no name needed): events, acks, binary", async () => {
    h = await harness({ parser: msgpack }, { parsers: new Map([["msgpack", msgpack]]), mode: { mode: "SharedWorker", why: "test" } });
    echo(h.server);
    const tab = await h.tab();
    const socket = tab.io(h.server.url, { parser: msgpack });
    await once(socket, "connect");
    const pushed = new Promise((resolve) => socket.on("pushed", resolve));
    await settle(20);
    h.server.io.emit("pushed", { n: 1, list: [1, "two"] });
    expect(await pushed).toEqual({ n: 1, list: [1, "two"] });
    const bytes = new Uint8Array([1, 2, 3]);
    const answer = (await socket.emitWithAck("echo", { bytes, text: "hi" })) as { bytes: Uint8Array; text: string };
    expect(answer.text).toBe("hi");
    expect([...new Uint8Array(answer.bytes)]).toEqual([1, 2, 3]);
    const diag = await tab.diagnostics();
    expect(diag.managers).toHaveLength(1);
    expect(diag.managers[0]!.key).toContain(codecFingerprint(msgpack));
  });

  it("a codec the worker does not have: connect_error naming the codec and the fix, no connection, acks settle", async () => {
    h = await harness({ parser: msgpack }, { mode: { mode: "SharedWorker", why: "test" } });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const tab = await h.tab();
    const named = { ...msgpack, name: "msgpack" };
    const socket = tab.io(h.server.url, { parser: named, reconnectionDelay: 20 });
    const acked = new Promise<unknown>((resolve) => socket.timeout(5000).emit("early", 1, (err: unknown) => resolve(err)));
    const [err] = await once<[Error]>(socket, "connect_error");
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('the codec "msgpack"');
    expect(err.message).toContain("SharedWorker");
    expect(err.message).toContain("startHub({ parsers:");
    expect(err.message).toContain("`worker` option");
    expect(socket.active).toBe(false);
    expect(socket.connected).toBe(false);
    // Refused for good, as a server refusal: no retry, and never another codec.
    await settle(150);
    expect(h.server.connectionsAccepted()).toBe(0);
    expect(((await acked) as Error).message).toBe(err.message);
    // The hub says it too, in its console.
    expect(warn.mock.calls.some((call) => String(call[0]).includes('the codec "msgpack"'))).toBe(true);
    // Connecting again is refused again (loudly, each time).
    const again = once<[Error]>(socket, "connect_error");
    socket.connect();
    expect((await again)[0].message).toBe(err.message);
  });

  it("Manager.open(cb) hears the refusal too", async () => {
    h = await harness({}, { mode: { mode: "SharedWorker", why: "test" } });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const tab = await h.tab();
    const manager = new tab.Manager(h.server.url, { parser: msgpack, autoConnect: false });
    const err = await new Promise<Error | undefined>((resolve) => manager.open(resolve));
    expect(err?.message).toContain("does not have the codec of this tab's `parser` option");
    expect(h.server.connectionsAccepted()).toBe(0);
  });

  it("socket.io-parser passed explicitly is the hub's own codec", async () => {
    h = await harness();
    echo(h.server);
    const tab = await h.tab();
    const socket = tab.io(h.server.url, { parser: builtIn });
    await once(socket, "connect");
    expect(await socket.emitWithAck("echo", "plain")).toBe("plain");
  });

  it("tabs with different codecs never share a connection", async () => {
    h = await harness({}, { parsers: new Map([["msgpack", msgpack]]) });
    const a = await h.tab();
    const b = await h.tab();
    a.io(h.server.url, { autoConnect: false });
    b.io(h.server.url, { parser: msgpack, autoConnect: false });
    await waitFor(() => h!.hub.tabs.size === 2);
    await settle(30);
    const keys = [...h.hub.tabs.values()].flatMap((tab) => [...tab.managers.values()].map((tm) => tm.spec.key));
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
  });
});

describe("a custom parser through a hub in the page", () => {
  it("a leader tab's hub without the codec (its page never passed it): connect_error with the fix for that mode", async () => {
    h = await harness({ parser: msgpack }, { mode: { mode: "leader tab", why: "test" }, parsers: new Map() });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const tab = await h.tab();
    const socket = tab.io(h.server.url, { parser: msgpack });
    const [err] = await once<[Error]>(socket, "connect_error");
    expect(err.message).toContain("the hub (leader tab) does not have the codec");
    expect(err.message).toContain("give every page of the app the same `parser`");
    expect(h.server.connectionsAccepted()).toBe(0);
  });

  it("shared: false: the in-page hub takes the parser object the tab passed", async () => {
    server = await startServer({ parser: msgpack });
    echo(server);
    const socket = pageIo(server.url, { shared: false, parser: msgpack, forceNew: true });
    await once(socket, "connect");
    expect(await socket.emitWithAck("echo", { ok: [true] })).toEqual({ ok: [true] });
    socket.disconnect();
  });
});
