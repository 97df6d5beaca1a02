/**
 * The SharedWorker dies (issue 4 point 1, DESIGN §5): closed through the
 * Chrome DevTools Protocol, as a crash would end it. Every tab notices at
 * once (the Web Lock the hub held is released), starts a new worker and
 * re-attaches everything: the app sees disconnect then connect.
 */
import { test, expect } from "./fixtures/test";
import { waitUntil } from "./fixtures/server";
import {
  PAGE,
  browserCdp,
  connectAll,
  diagnostics,
  killSharedWorker,
  lifecycle,
  received,
  sharedWorkers,
  watchLifecycle,
} from "./survive-helpers";

// Short heartbeats: the server drops a dead worker's connection within 2 s even when Chromium is slow to close it.
test.use({ serverOptions: { io: { pingInterval: 1_000, pingTimeout: 1_000 } } });

test("every tab notices within 1 s, a new worker starts, listeners and subscriptions come back", async ({
  server,
  openTabs,
  browser,
}) => {
  const tabs = await openTabs(3, PAGE);
  const [id] = await connectAll(tabs, server.url, {}, ["news"]);
  for (const tab of tabs) await watchLifecycle(tab);
  const cdp = await browserCdp(browser);
  const before = await diagnostics(tabs[0]);
  expect(before.mode).toBe("SharedWorker");

  const killedAt = Date.now();
  const oldTarget = await killSharedWorker(cdp);

  for (const tab of tabs) {
    await expect.poll(() => lifecycle(tab).then((l) => l.map((e) => e.event))).toEqual(["disconnect", "connect"]);
    const [disconnect, connect] = await lifecycle(tab);
    expect(disconnect.reason).toBe("transport close");
    expect(disconnect.at - killedAt).toBeLessThan(1_000);
    expect(connect.id).not.toBe(id);
  }
  // One new worker, one new connection, shared again by the three tabs.
  const workers = await sharedWorkers(cdp);
  expect(workers).toHaveLength(1);
  expect(workers[0].targetId).not.toBe(oldTarget);
  const after = await diagnostics(tabs[1]);
  expect(after.epoch).not.toBe(before.epoch);
  expect(after.tabs).toHaveLength(3);
  expect(after.managers[0].sockets[0]).toMatchObject({ tabs: 3, connected: true });
  expect(server.engineConnectionsAccepted()).toBe(2);
  // The dead worker's socket ends when Chromium tears it down, which can come after the tabs
  // reconnected (seconds later on a loaded machine), or at the server's ping timeout at the latest.
  await expect.poll(() => server.engineConnectionsOpen(), { timeout: 10_000 }).toBe(1);
  const ids = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.harness.state("main").id)));
  expect(new Set(ids).size).toBe(1);

  // The listeners were re-registered: an event reaches every tab, once.
  server.io.emit("news", "after the restart");
  for (const tab of tabs) await expect.poll(() => received(tab, "news")).toEqual([["after the restart"]]);
  await cdp.detach();
});

test("emits made meanwhile are sent once after reconnecting; acks pending in the dead worker settle with an error", async ({
  server,
  openTabs,
  browser,
}) => {
  const upstream: Array<{ tab: number; n: number; sid: string }> = [];
  server.io.on("connection", (socket) => {
    socket.on("up", (tab: number, n: number) => upstream.push({ tab, n, sid: socket.id }));
    socket.on("never", () => {});
  });
  const tabs = await openTabs(2, PAGE);
  const [id] = await connectAll(tabs, server.url);
  // In each tab: an ack that will never come, and an emit from inside the disconnect listener.
  for (const [t, tab] of tabs.entries()) {
    await tab.evaluate((t) => {
      const socket = window.harness.sockets.get("main")!;
      const w = window as unknown as { ackOutcome?: string; ackAt?: number };
      socket.emitWithAck("never").then(
        () => (w.ackOutcome = "resolved"),
        (err: Error) => {
          w.ackOutcome = err.message;
          w.ackAt = Date.now();
        },
      );
      socket.once("disconnect", () => socket.emit("up", t, 2));
    }, t);
  }
  await expect.poll(async () => (await diagnostics(tabs[0])).counters.pendingAcks).toBe(2);
  const cdp = await browserCdp(browser);

  const killedAt = Date.now();
  await killSharedWorker(cdp);
  // Right away, before or while the tabs notice.
  await Promise.all(
    tabs.map((tab, t) =>
      tab.evaluate((t) => {
        window.harness.sockets.get("main")!.emit("up", t, 1);
      }, t),
    ),
  );

  await waitUntil(() => upstream.length >= 4, "the emits made meanwhile to reach the server", 5_000);
  await new Promise((r) => setTimeout(r, 300));
  for (const t of [0, 1]) {
    const mine = upstream.filter((u) => u.tab === t);
    // Once each, in the order they were made, on the new connection.
    expect(mine.map((u) => u.n)).toEqual([1, 2]);
    expect(mine.every((u) => u.sid !== id)).toBe(true);
  }
  for (const tab of tabs) {
    const outcome = await tab.evaluate(() => {
      const w = window as unknown as { ackOutcome?: string; ackAt?: number };
      return { ackOutcome: w.ackOutcome, ackAt: w.ackAt };
    });
    expect(outcome.ackOutcome).toBe("socket has been disconnected");
    expect(outcome.ackAt! - killedAt).toBeLessThan(1_000);
  }
  expect((await diagnostics(tabs[0])).counters.pendingAcks).toBe(0);
  await cdp.detach();
});
