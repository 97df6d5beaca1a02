/**
 * What survives the hub's death (issue 4 point 1, DESIGN §5): emits made
 * meanwhile, acks pending in the dead hub, a hub restarted behind the same
 * ports, and recovery sessions saved beyond the hub's life.
 */
import { afterEach, describe, expect, it } from "vitest";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once } from "../helpers/server";
import { MemorySessionStore } from "../../worker/session-store";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("the hub dies", () => {
  it("emits made before the tab noticed and while it re-attaches reach the server once, after reconnecting", async () => {
    h = await harness();
    const received: Array<{ n: number; sid: string }> = [];
    h.server.io.on("connection", (socket) => socket.on("up", (n: number) => received.push({ n, sid: socket.id })));
    const a = await h.tab();
    const s = a.io(h.server.url);
    await once(s, "connect");
    s.emit("up", 0);
    await waitFor(() => received.length === 1, 2000, "the first emit");
    // The hub tells the tab it applied an emit within 5 ms; a hub that dies before that may have
    // it sent again (at least once, docs/bridge.md). Emit 0 is not one of those the test is about.
    await settle(30);
    const firstSid = s.id;
    const events: string[] = [];
    s.on("disconnect", (reason) => {
      events.push(`disconnect:${reason}`);
      // Made while the tab knows it is disconnected: the next hub buffers it.
      s.emit("up", 3);
    });
    s.on("connect", () => events.push("connect"));

    h.killHub();
    // Made before the tab noticed: it goes to the dead hub, which never answers.
    s.emit("up", 1);
    s.emit("up", 2);
    await waitFor(() => events.includes("connect"), 3000, "the reconnection");
    await waitFor(() => received.length >= 4, 2000, "the emits made meanwhile");
    await settle(100);
    expect(events).toEqual(["disconnect:transport close", "connect"]);
    expect(received.map((r) => r.n)).toEqual([0, 1, 2, 3]);
    // Sent after reconnecting, on the new server socket.
    expect(received.slice(1).every((r) => r.sid === s.id && r.sid !== firstSid)).toBe(true);
  });

  it("acks pending in the dead hub settle with an error at once; plain acks are dropped; none hangs", async () => {
    h = await harness();
    h.server.io.on("connection", (socket) => socket.on("never", () => {}));
    const a = await h.tab();
    const s = a.io(h.server.url);
    await once(s, "connect");
    const outcomes: string[] = [];
    s.timeout(10_000).emit("never", (err: Error | null) => outcomes.push(`timeout-ack:${err?.message}`));
    s.emitWithAck("never").then(
      () => outcomes.push("emitWithAck:resolved"),
      (err: Error) => outcomes.push(`emitWithAck:${err.message}`),
    );
    let plainCalled = false;
    s.emit("never", () => {
      plainCalled = true;
    });
    await settle(50);
    expect((await a.diagnostics()).counters.pendingAcks).toBe(3);
    // The hub tells the tab it applied the emits on its next batch or 5 ms later: once the
    // tab knows, they are not sent again to the next hub (their acks fail with the old one).
    await settle(60);
    const start = Date.now();
    h.killHub();
    await waitFor(() => outcomes.length === 2, 2000, "the acks to settle");
    expect(Date.now() - start).toBeLessThan(1000);
    expect(outcomes.sort()).toEqual([
      "emitWithAck:socket has been disconnected",
      "timeout-ack:socket has been disconnected",
    ]);
    await once(s, "connect");
    expect(plainCalled).toBe(false);
    expect((await a.diagnostics()).counters.pendingAcks).toBe(0);
  });

  it("an emit with an ack made before the tab noticed keeps its ack: the answer comes through the next hub", async () => {
    h = await harness();
    h.server.io.on("connection", (socket) => socket.on("echo", (v: string, ack: (v: string) => void) => ack(v)));
    const a = await h.tab();
    const s = a.io(h.server.url);
    await once(s, "connect");
    h.killHub();
    const answer = s.emitWithAck("echo", "through the next hub");
    await expect(answer).resolves.toBe("through the next hub");
  });

  it("a hub restarted behind the same ports (new epoch) makes tabs re-attach: disconnect then connect, listeners kept", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    const events: string[] = [];
    const news: string[] = [];
    for (const [name, s] of [["a", sa], ["b", sb]] as const) {
      s.on("disconnect", (reason) => events.push(`${name}:disconnect:${reason}`));
      s.on("connect", () => events.push(`${name}:connect`));
      s.on("news", (n: string) => news.push(`${name}:${n}`));
    }
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    const before = (await a.diagnostics()).epoch;
    events.length = 0;
    h.restartHubSilently();
    await waitFor(() => events.filter((e) => e.endsWith(":connect")).length === 2, 3000, "both tabs to reconnect");
    expect(events.filter((e) => e.includes("disconnect")).sort()).toEqual([
      "a:disconnect:transport close",
      "b:disconnect:transport close",
    ]);
    const after = await a.diagnostics();
    expect(after.epoch).not.toBe(before);
    expect(after.tabs).toHaveLength(2);
    expect(sb.id).toBe(sa.id);
    h.server.io.emit("news", "after");
    await waitFor(() => news.length === 2);
    expect(news.sort()).toEqual(["a:after", "b:after"]);
  });
});

describe("recovery sessions outlive the hub", () => {
  /** The only tab goes (a reload), then the worker dies before it comes back; events are sent meanwhile. */
  async function reloadWhileTheWorkerIsGone(sessions?: MemorySessionStore) {
    h = await harness(
      { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } },
      sessions ? { graceMs: 5000, sessions } : { graceMs: 5000 },
    );
    h.server.io.on("connection", (socket) => socket.join("room"));
    const a = await h.tab();
    const sa = a.io(h.server.url);
    // This page listens to nothing: only the hub sees the events (and their offsets).
    await once(sa, "connect");
    const id = sa.id;
    h.server.io.to("room").emit("n", 1);
    await settle(50);
    a.dispose();
    await waitFor(() => h.hub.tabs.size === 0, 2000, "the tab to go");
    const serverSocket = [...h.server.io.of("/").sockets.values()][0]!;
    const gone = once<[string]>(serverSocket, "disconnect");
    h.killHub();
    const [reason] = await gone;
    expect(reason).toBe("transport close");
    h.server.io.to("room").emit("n", 2);
    h.server.io.to("room").emit("n", 3);
    const b = await h.tab();
    const sb = b.io(h.server.url);
    const got: number[] = [];
    sb.on("n", (n: number) => got.push(n));
    await once(sb, "connect");
    return { id, sb, got };
  }

  it("a new hub resumes the saved session for a tab that brings none: same id, the missed events", async () => {
    const { id, sb, got } = await reloadWhileTheWorkerIsGone(new MemorySessionStore());
    expect(sb.recovered).toBe(true);
    expect(sb.id).toBe(id);
    await waitFor(() => got.length === 2, 2000, "the missed events");
    expect(got).toEqual([2, 3]);
  });

  it("without a saved session the new hub starts over", async () => {
    const { id, sb } = await reloadWhileTheWorkerIsGone();
    expect(sb.recovered).toBe(false);
    expect(sb.id).not.toBe(id);
  });
});

describe("the grace period", () => {
  it("the gracePeriod option sets it per connection (the first tab's value)", async () => {
    // The hub's default here: 5 s.
    h = await harness({}, { graceMs: 5000 });
    const a = await h.tab();
    const sa = a.io(h.server.url, { gracePeriod: 0 });
    await once(sa, "connect");
    const serverSocket = [...h.server.io.of("/").sockets.values()][0]!;
    const gone = once<[string]>(serverSocket, "disconnect");
    const start = Date.now();
    a.kill();
    const [reason] = await gone;
    expect(Date.now() - start).toBeLessThan(1000);
    expect(reason).toBe("client namespace disconnect");

    const b = await h.tab();
    const sb = b.io(h.server.url, { gracePeriod: 200 });
    await once(sb, "connect");
    const id = sb.id;
    b.kill();
    await settle(50);
    const c = await h.tab();
    const sc = c.io(h.server.url);
    await once(sc, "connect");
    // Back within 200 ms: the same socket, no new handshake.
    expect(sc.id).toBe(id);
    expect(h.server.connectionsAccepted()).toBe(2);
  });

  it("when it ends, a Manager listener hears close once", async () => {
    h = await harness({}, { graceMs: 100 });
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url);
    await once(sa, "connect");
    // Tab b listens to the shared Manager's events without a socket of its own.
    const mb = new b.Manager(h.server.url);
    const closes: string[] = [];
    mb.on("close", (reason) => closes.push(reason));
    await settle(50);
    a.kill();
    await waitFor(() => closes.length > 0, 2000, "close");
    await settle(200);
    expect(closes).toEqual(["forced close"]);
  });
});
