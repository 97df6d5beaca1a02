/**
 * The sharing rules (DESIGN §3) across real tabs: several pages of one browser
 * context load the self-contained ESM build and share one SharedWorker, which
 * holds one connection to a real socket.io server.
 */
import type { Page } from "@playwright/test";
import type { Socket as ServerSocket } from "socket.io";
import { test, expect } from "./fixtures/test";
import { waitUntil } from "./fixtures/server";

const PAGE = "/shared.html";

/** Connects socket `key` in every tab (one after the other); returns each tab's socket.id. */
async function connectAll(tabs: Page[], url: string, events: string[] = [], key = "main"): Promise<string[]> {
  const ids: string[] = [];
  for (const tab of tabs) {
    ids.push(await tab.evaluate((a) => window.harness.connect(a.key, a.url, {}, a.events), { key, url, events }));
  }
  return ids;
}

const received = (tab: Page, event: string, key = "main") =>
  tab.evaluate((a) => window.harness.received(a.key, a.event), { key, event });

const state = (tab: Page, key = "main") => tab.evaluate((k) => window.harness.state(k), key);

test("N tabs: one Engine.IO connection on the server, the same socket.id in every tab", async ({ server, openTabs }) => {
  const tabs = await openTabs(4, PAGE);
  const ids = await connectAll(tabs, server.url);

  expect(new Set(ids).size).toBe(1);
  expect(server.engineConnectionsAccepted()).toBe(1);
  expect(server.engineConnectionsOpen()).toBe(1);
  const serverSockets = await server.io.fetchSockets();
  expect(serverSockets.map((s) => s.id)).toEqual([ids[0]]);
  for (const tab of tabs) expect(await state(tab)).toMatchObject({ id: ids[0], connected: true, disconnected: false });

  // What the hub says it holds: one shared Manager, one socket used by the four tabs.
  const report = await tabs[3].evaluate(() => window.lib.diagnostics());
  expect(report.mode).toBe("SharedWorker");
  expect(report.tabs).toHaveLength(4);
  expect(report.managers).toHaveLength(1);
  expect(report.managers[0]).toMatchObject({ private: false, tabs: 4 });
  expect(report.managers[0].sockets).toEqual([expect.objectContaining({ nsp: "/", id: ids[0], connected: true, tabs: 4 })]);
});

test("a broadcast reaches every listening tab exactly once, in order; other events only their listeners", async ({
  server,
  openTabs,
}) => {
  const tabs = await openTabs(3, PAGE);
  await connectAll(tabs.slice(0, 2), server.url, ["news"]);
  await connectAll(tabs.slice(2), server.url, ["other"]);

  for (let i = 1; i <= 5; i++) server.io.emit("news", i);
  server.io.emit("other", "only for tab 2");
  server.io.emit("news", { binary: Buffer.from([1, 2]) });

  const expectedNews = [[1], [2], [3], [4], [5], [{ binary: { bytes: [1, 2] } }]];
  for (const tab of tabs.slice(0, 2)) await expect.poll(() => received(tab, "news")).toEqual(expectedNews);
  await expect.poll(() => received(tabs[2], "other")).toEqual([["only for tab 2"]]);
  // Nothing more arrives later (no duplicates), and tab 2 never got "news".
  await tabs[0].waitForTimeout(200);
  for (const tab of tabs.slice(0, 2)) expect(await received(tab, "news")).toEqual(expectedNews);
  expect(await received(tabs[2], "news")).toEqual([]);
  expect(await received(tabs[0], "other")).toEqual([]);
});

test("an ack reply reaches only the tab that emitted", async ({ server, openTabs }) => {
  server.io.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: (v: unknown) => void) => setTimeout(() => ack(value), Math.random() * 20));
  });
  const tabs = await openTabs(3, PAGE);
  await connectAll(tabs, server.url);

  // Every tab emits at once on the one shared server socket; each must get its own replies back.
  const replies = await Promise.all(
    tabs.map((tab, t) =>
      tab.evaluate(async (t) => {
        const socket = window.harness.sockets.get("main")!;
        const calls = Array.from({ length: 10 }, (_, i) => socket.emitWithAck("echo", `tab ${t} #${i}`));
        const withCallback = await new Promise((resolve) => socket.emit("echo", `tab ${t} callback`, resolve));
        return [...(await Promise.all(calls)), withCallback];
      }, t),
    ),
  );
  tabs.forEach((_, t) => {
    expect(replies[t]).toEqual([...Array.from({ length: 10 }, (_, i) => `tab ${t} #${i}`), `tab ${t} callback`]);
  });
});

test("a server→client ack is answered once, even when every tab answers", async ({ server, openTabs }) => {
  const tabs = await openTabs(3, PAGE);
  await connectAll(tabs, server.url);
  for (const [t, tab] of tabs.entries()) {
    await tab.evaluate((t) => window.harness.answer("main", "question", `answer from tab ${t}`), t);
  }
  const [serverSocket] = await server.io.fetchSockets();
  const socket = server.io.of("/").sockets.get(serverSocket.id) as ServerSocket;
  const ackPackets: string[] = [];
  socket.conn.on("packet", (packet: { type: string; data?: unknown }) => {
    // Socket.IO ACK ("3") and BINARY_ACK ("6") packets, as they come off the wire.
    if (packet.type === "message" && typeof packet.data === "string" && /^[36]/.test(packet.data)) {
      ackPackets.push(packet.data);
    }
  });

  const answer: unknown = await socket.timeout(3_000).emitWithAck("question");
  expect(answer).toMatch(/^answer from tab \d$/);
  await new Promise((r) => setTimeout(r, 300));
  expect(ackPackets).toHaveLength(1);
});

test("disconnect() in one tab leaves the other tabs connected", async ({ server, openTabs }) => {
  const tabs = await openTabs(3, PAGE);
  const [id] = await connectAll(tabs, server.url, ["news"]);

  await tabs[0].evaluate(() => {
    window.harness.sockets.get("main")!.disconnect();
  });

  await expect.poll(() => received(tabs[0], "disconnect")).toEqual([["io client disconnect"]]);
  expect(await state(tabs[0])).toMatchObject({ connected: false, disconnected: true, active: false });
  for (const tab of tabs.slice(1)) expect(await state(tab)).toMatchObject({ id, connected: true });
  expect(await received(tabs[1], "disconnect")).toEqual([]);
  expect(server.io.of("/").sockets.get(id)?.connected).toBe(true);

  server.io.emit("news", "after");
  for (const tab of tabs.slice(1)) await expect.poll(() => received(tab, "news")).toEqual([["after"]]);
  expect(await received(tabs[0], "news")).toEqual([]);
});

test("closing tabs frees them; when the last one closes, the server sees the disconnect within the 1 s grace", async ({
  server,
  openTabs,
}) => {
  const tabs = await openTabs(3, PAGE);
  const [id] = await connectAll(tabs, server.url);
  let disconnectedAt = 0;
  let reason = "";
  server.io.of("/").sockets.get(id)!.on("disconnect", (r) => {
    disconnectedAt = Date.now();
    reason = r;
  });

  await tabs[0].close();
  await tabs[1].close();
  // The hub learns of each closed tab through its Web Lock and forgets it.
  await expect.poll(async () => (await tabs[2].evaluate(() => window.lib.diagnostics())).tabs.length).toBe(1);
  await new Promise((r) => setTimeout(r, 1_500));
  expect(disconnectedAt).toBe(0);
  expect(await state(tabs[2])).toMatchObject({ id, connected: true });

  const closedAt = Date.now();
  await tabs[2].close();
  await waitUntil(() => disconnectedAt > 0, "the server to see the last tab's socket disconnect", 5_000);
  // No tab left: the browser ends the SharedWorker and its connection at once
  // (measured: < 100 ms). A worker that outlives its tabs (Chrome's
  // extendedLifetime) would end it when the 1 s grace period runs out.
  expect(disconnectedAt - closedAt).toBeLessThan(1_000 + 700);
  expect(reason).toBe("transport close");
  await waitUntil(() => server.engineConnectionsOpen() === 0, "the Engine.IO connection to close");
});

test("a tab opened later attaches to the open connection without a new handshake", async ({ server, openTabs }) => {
  const [first] = await openTabs(1, PAGE);
  const [id] = await connectAll([first], server.url);
  const [later] = await openTabs(1, PAGE);
  const [laterId] = await connectAll([later], server.url);
  expect(laterId).toBe(id);
  expect(server.engineConnectionsAccepted()).toBe(1);
  expect(await state(later)).toMatchObject({ id, connected: true });
});

test("two namespaces from two tabs share one Engine.IO connection", async ({ server, openTabs }) => {
  server.io.of("/a");
  server.io.of("/b");
  const [a, b] = await openTabs(2, PAGE);
  await connectAll([a], `${server.url}/a`);
  await connectAll([b], `${server.url}/b`);
  expect(server.engineConnectionsAccepted()).toBe(1);
  expect(server.io.of("/a").sockets.size).toBe(1);
  expect(server.io.of("/b").sockets.size).toBe(1);
});

test("tabs with different auth get separate server sockets, each with its own handshake.auth", async ({
  server,
  openTabs,
}) => {
  const tabs = await openTabs(3, PAGE);
  const auths = [{ user: "ann" }, { user: "bob" }, { user: "ann" }];
  const ids: string[] = [];
  for (const [t, tab] of tabs.entries()) {
    const args = { url: server.url, auth: auths[t] };
    ids.push(await tab.evaluate((a) => window.harness.connect("main", a.url, { auth: a.auth }), args));
  }
  expect(ids[0]).toBe(ids[2]);
  expect(ids[1]).not.toBe(ids[0]);
  const byId = new Map([...server.io.of("/").sockets.values()].map((s) => [s.id, s.handshake.auth]));
  expect(byId).toEqual(new Map([[ids[0], { user: "ann" }], [ids[1], { user: "bob" }]]));
});

test("forceNew, multiplex: false and a second io() for the same namespace in one tab get private Managers", async ({
  server,
  openTabs,
}) => {
  const [a, b] = await openTabs(2, PAGE);
  const open = (tab: Page, key: string, opts: Record<string, unknown> = {}) =>
    tab.evaluate((x) => window.harness.connect(x.key, x.url, x.opts), { key, url: server.url, opts });

  const shared = await open(a, "main");
  expect(await open(b, "main")).toBe(shared);
  expect(server.engineConnectionsAccepted()).toBe(1);

  const privates = [
    await open(b, "forced", { forceNew: true }),
    await open(b, "unmultiplexed", { multiplex: false }),
    await open(a, "again"),
  ];
  expect(new Set([shared, ...privates]).size).toBe(4);
  expect(server.engineConnectionsAccepted()).toBe(4);
  const report = await a.evaluate(() => window.lib.diagnostics());
  expect(report.managers.filter((m) => m.private)).toHaveLength(3);
});

test("the last tab leaving a namespace: a reload within the grace period re-attaches, else the server socket ends", async ({
  server,
  openTabs,
}) => {
  server.io.of("/other");
  // A tab on another namespace keeps the worker (and the connection) alive.
  const [keeper, tab] = await openTabs(2, PAGE);
  await connectAll([keeper], `${server.url}/other`);
  const [id] = await connectAll([tab], server.url);

  await tab.reload();
  const [afterReload] = await connectAll([tab], server.url);
  expect(afterReload).toBe(id);
  expect(server.engineConnectionsAccepted()).toBe(1);

  const serverSocket = server.io.of("/").sockets.get(id)!;
  let reason = "";
  serverSocket.on("disconnect", (r) => {
    reason = r;
  });
  const closedAt = Date.now();
  await tab.close();
  await waitUntil(() => reason !== "", "the server to see the namespace socket end", 5_000);
  const elapsed = Date.now() - closedAt;
  // Default grace period: 1 s. The shared connection stays for the other namespace.
  expect(elapsed).toBeGreaterThanOrEqual(900);
  expect(elapsed).toBeLessThan(1_000 + 700);
  expect(reason).toBe("client namespace disconnect");
  expect(server.engineConnectionsOpen()).toBe(1);
  expect(await keeper.evaluate(() => window.harness.state("main").connected)).toBe(true);
});
