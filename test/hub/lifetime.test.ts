import { afterEach, describe, expect, it } from "vitest";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once } from "../helpers/server";
import * as Comlink from "comlink";
import { servePort } from "../../worker/api";
import { BRIDGE_VERSION, TAB_LOCK_PREFIX, type HubMessage, type HubPort } from "../../worker/protocol";
import { decodeMessages, encodeOps, type HubPost, type OpsPost } from "../../worker/wire";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("tab lifetimes", () => {
  it("a dead tab's sockets, listeners and acks are freed; the last one disconnects on the server", async () => {
    h = await harness();
    h.server.io.on("connection", (s) => s.on("never", () => {}));
    const a = await h.tab();
    const b = await h.tab();
    const baseline = (await a.diagnostics()).counters;
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    sa.on("x", () => {});
    sa.onAny(() => {});
    sb.on("y", () => {});
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    sa.emit("never", () => {});
    await settle(50);
    const busy = (await b.diagnostics()).counters;
    expect(busy.pendingAcks).toBe(1);
    expect(busy.listeners).toBe(3);
    expect(busy.subscriptions).toBe(2);

    a.kill();
    await waitFor(() => h.hub.tabs.size === 1, 2000, "tab a to be freed");
    const after = (await b.diagnostics()).counters;
    expect(after).toMatchObject({ tabs: 1, pendingAcks: 0, listeners: 1, subscriptions: 1, sockets: 1 });
    expect(sb.connected).toBe(true);
    expect(h.server.io.of("/").sockets.size).toBe(1);

    const serverSocket = [...h.server.io.of("/").sockets.values()][0]!;
    const gone = once(serverSocket, "disconnect");
    b.kill();
    await gone;
    await waitFor(() => h.hub.tabs.size === 0 && h.hub.managers.size === 0, 2000, "everything to be freed");
    await waitFor(() => h.server.io.engine.clientsCount === 0, 2000, "the transport to close");
    const c = await h.tab();
    const final = (await c.diagnostics()).counters;
    expect(final).toMatchObject({ ...baseline, tabs: 1 });
    expect(h.locks.waitingFor(TAB_LOCK_PREFIX)).toBe(1); // only the hub's watch of the live tab c
  });

  it("the last tab dying keeps the socket for the grace period; a tab back in time re-attaches without a new handshake", async () => {
    h = await harness({ connectionStateRecovery: { maxDisconnectionDuration: 10_000 } }, { graceMs: 300 });
    const a = await h.tab();
    const sa = a.io(h.server.url);
    await once(sa, "connect");
    const id = sa.id;
    a.kill();
    await settle(50);
    h.server.io.emit("missed", 1);
    const b = await h.tab();
    // The hub holds the event for the tab that comes back (polled: it crosses the server first).
    let held = 0;
    for (let tries = 0; tries < 100 && held !== 1; tries++) {
      held = (await b.diagnostics()).counters.held;
      if (held !== 1) await settle(20);
    }
    expect(held).toBe(1);
    const sb = b.io(h.server.url);
    const missed: number[] = [];
    sb.on("missed", (n: number) => missed.push(n));
    await once(sb, "connect");
    expect(sb.id).toBe(id);
    expect(h.server.connectionsAccepted()).toBe(1);
    await waitFor(() => missed.length === 1);
    expect(missed).toEqual([1]);
    // Delivered to the tab that came back: the hub holds nothing any more.
    expect((await b.diagnostics()).counters.held).toBe(0);
  });

  it("when the grace period ends with no tab back, the transport closes (the server keeps the session)", async () => {
    h = await harness({ connectionStateRecovery: { maxDisconnectionDuration: 10_000 } }, { graceMs: 100 });
    const a = await h.tab();
    const sa = a.io(h.server.url);
    await once(sa, "connect");
    const serverSocket = [...h.server.io.of("/").sockets.values()][0]!;
    const start = Date.now();
    const gone = once<[string]>(serverSocket, "disconnect");
    a.kill();
    const [reason] = await gone;
    expect(Date.now() - start).toBeGreaterThanOrEqual(90);
    expect(reason).toBe("transport close");
    await waitFor(() => h.hub.managers.size === 0, 2000, "the Manager to be freed");
  });

  it("offline from a tab closes the transport at once; online reconnects", async () => {
    h = await harness();
    const a = await h.tab();
    const s = a.io(h.server.url, { reconnectionDelay: 5000, reconnectionDelayMax: 5000, randomizationFactor: 0 });
    await once(s, "connect");
    const first = s.id;
    const disconnected = once<[string]>(s, "disconnect");
    const network = (online: boolean) =>
      (s.io as unknown as { _link: { push(op: unknown): void } })._link.push({ op: "network", online });
    network(false);
    const [reason] = await disconnected;
    expect(reason).toBe("transport close");
    const start = Date.now();
    network(true);
    await once(s, "connect");
    expect(Date.now() - start).toBeLessThan(2000);
    expect(s.id).not.toBe(first);
  });

  it("a tab that stops acknowledging is detached at the backlog bound; the other tabs never stall", async () => {
    h = await harness({}, { maxBacklog: 300, maxInFlight: 2 });
    // A tab whose main thread is blocked: it receives batches but never acknowledges them.
    const stuck: HubMessage[] = [];
    const { port1, port2 } = new MessageChannel();
    servePort(h.hub, port1);
    const hub = Comlink.wrap<HubPort>(port2);
    const receiver = new MessageChannel();
    receiver.port1.onmessage = (event: MessageEvent) => {
      const post = event.data as HubPost;
      if (post.sio === "batch") decodeMessages(post.messages, (m) => stuck.push(m));
    };
    // Like any tab, it holds its lock before attaching.
    void h.locks.request("stuck-lock", () => new Promise(() => {}));
    await hub.attach({ tabId: "stuck", lock: "stuck-lock", bridge: BRIDGE_VERSION }, Comlink.transfer(receiver.port2, [receiver.port2]));
    const fast = await h.tab();
    const sf = fast.io(h.server.url);
    await once(sf, "connect");
    const opts = (await fast.diagnostics()).managers[0]!;
    const ops: OpsPost = {
      sio: "ops",
      seq: 1,
      ops: encodeOps([
        { op: "manager", ref: 1, origin: opts.origin, key: opts.key, opts: { path: "/socket.io" }, private: false },
        { op: "socket", ref: 2, manager: 1, nsp: "/", auth: { kind: "static" } },
        { op: "listen", target: "socket", ref: 2, event: "flood", on: true },
        { op: "connect", ref: 2 },
      ]),
    };
    receiver.port1.postMessage(ops);
    await waitFor(() => stuck.length >= 1, 2000, "the stuck tab's connect");
    expect(h.server.connectionsAccepted()).toBe(1);
    let fastGot = 0;
    sf.on("flood", () => fastGot++);
    await settle(20);
    // Paced by the fast tab, so that only the stuck one can fall 300 behind (on a loaded
    // machine an unpaced flood can put the fast tab itself over the bound).
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) h.server.io.emit("flood", round * 50 + i);
      await waitFor(() => fastGot === (round + 1) * 50, 5000, "the fast tab to keep up");
    }
    expect(fastGot).toBe(1000);
    await waitFor(() => h.hub.overflows === 1, 2000, "the stuck tab to be detached");
    const diag = await fast.diagnostics();
    expect(diag.tabs.map((t) => t.id)).toEqual([fast.tabId]);
    expect(diag.counters.backlog).toBe(0);
    await waitFor(() => stuck.some((m) => m.k === "detached"), 2000, "the detach notice");
    const notice = stuck.find((m) => m.k === "detached") as { reason: string };
    expect(notice.reason).toMatch(/fell 300 messages behind/);
    // It saw at most the bound before the notice.
    expect(stuck.filter((m) => m.k === "socket").length).toBeLessThanOrEqual(300);
    receiver.port1.close();
    port2.close();
  });

  it("a detached tab sees disconnect (transport close), re-attaches and connects again", async () => {
    // One polling payload carries many packets: the burst lands in one task, faster than the tab acknowledges.
    h = await harness({}, { maxBacklog: 20, maxInFlight: 1 });
    const a = await h.tab();
    const s = a.io(h.server.url, { transports: ["polling"] });
    const events: string[] = [];
    s.on("disconnect", (reason, description) => events.push(`disconnect:${reason}:${(description as { description: string }).description}`));
    s.on("connect", () => events.push("connect"));
    let floods = 0;
    s.on("flood", () => floods++);
    await once(s, "connect");
    const serverSocket = [...h.server.io.of("/").sockets.values()][0]!;
    serverSocket.conn.transport.once("drain", () => {});
    for (let i = 0; i < 300; i++) serverSocket.emit("flood", i);
    await waitFor(() => events.length >= 3, 5000, "disconnect then connect");
    expect(events[0]).toBe("connect");
    expect(events[1]).toMatch(/^disconnect:transport close:socket\.io-shared: this tab fell \d+ messages behind/);
    expect(events[2]).toBe("connect");
    expect(s.connected).toBe(true);
    expect(floods).toBeLessThan(300);
    expect(h.hub.overflows).toBe(1);
    const diag = await a.diagnostics();
    expect(diag.counters).toMatchObject({ tabs: 1, subscriptions: 1, sockets: 1 });
  });

  it("when the worker dies, tabs start a new one and re-attach: disconnect then connect, listeners kept", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    const events: string[] = [];
    sa.on("disconnect", (reason) => events.push(`a:disconnect:${reason}`));
    sa.on("connect", () => events.push("a:connect"));
    sb.on("connect", () => events.push("b:connect"));
    const news: string[] = [];
    sa.on("news", (n: string) => news.push(`a:${n}`));
    sb.on("news", (n: string) => news.push(`b:${n}`));
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    events.length = 0;
    const oldHub = h.hub;
    h.killHub();
    await waitFor(() => events.includes("a:connect") && events.includes("b:connect"), 3000, "re-attach");
    expect(events[0]).toBe("a:disconnect:transport close");
    expect(h.hub).not.toBe(oldHub);
    expect(h.hub.tabs.size).toBe(2);
    expect(sb.id).toBe(sa.id);
    expect(h.server.connectionsAccepted()).toBe(2);
    h.server.io.emit("news", "after");
    await waitFor(() => news.length === 2);
    expect(news.sort()).toEqual(["a:after", "b:after"]);
  });

  it("the recovery session outlives the worker: a new hub resumes it and the missed events arrive", async () => {
    h = await harness({ connectionStateRecovery: { maxDisconnectionDuration: 10_000 } });
    const a = await h.tab();
    const s = a.io(h.server.url);
    const got: number[] = [];
    s.on("n", (n: number) => got.push(n));
    await once(s, "connect");
    expect(s.recovered).toBe(false);
    h.server.io.emit("n", 1);
    await waitFor(() => got.length === 1);
    const serverSocket = [...h.server.io.of("/").sockets.values()][0]!;
    const gone = once(serverSocket, "disconnect");
    const reconnected = once(s, "connect");
    h.killHub();
    await gone;
    h.server.io.emit("n", 2);
    await reconnected;
    await waitFor(() => got.length === 2, 2000, "the missed event");
    expect(got).toEqual([1, 2]);
    expect(s.recovered).toBe(true);
  });
});
