/**
 * Where there is no SharedWorker (issue 4 point 2, DESIGN §6): the tabs elect
 * a leader over Web Locks, the leader hosts the hub in its page and the others
 * reach it over BroadcastChannel; without Web Locks too, each tab runs its own
 * hub. A worker script that does not start sends the tab to the next mode with
 * one warning. `io()` never throws because of the environment.
 */
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures/test";
import { ROOT, waitUntil } from "./fixtures/server";
import { PAGE, connectAll, diagnostics, hostsHub, lifecycle, received, watchLifecycle } from "./survive-helpers";

/** Event arguments as listeners got them, without the offset the server appends under connection-state recovery. */
const news = (tab: Page) => received(tab, "news").then((calls) => calls.map((args) => args[0]));

const withoutSharedWorker = () => {
  delete (window as { SharedWorker?: unknown }).SharedWorker;
};
const withoutLocks = () => {
  delete (Navigator.prototype as { locks?: unknown }).locks;
};

/** Records the page's console warnings that come from the library. */
function warnings(tab: Page): string[] {
  const seen: string[] = [];
  tab.on("console", (msg) => {
    if (msg.type() === "warning" && msg.text().includes("socket.io-shared")) seen.push(msg.text());
  });
  return seen;
}

test.describe("without SharedWorker", () => {
  test.use({ serverOptions: { io: { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } } } });

  test("3 tabs share one connection through a leader tab", async ({ server, context, openTabs }) => {
    await context.addInitScript(withoutSharedWorker);
    const tabs = await openTabs(3, PAGE);
    expect(await tabs[0].evaluate(() => typeof (window as { SharedWorker?: unknown }).SharedWorker)).toBe("undefined");
    const ids = await connectAll(tabs, server.url, {}, ["news"]);
    expect(new Set(ids).size).toBe(1);
    expect(server.engineConnectionsAccepted()).toBe(1);
    const report = await diagnostics(tabs[2]);
    expect(report.mode).toBe("leader tab");
    expect(report.why).toBe("SharedWorker is not available");
    expect(report.tabs).toHaveLength(3);
    // Only the leader loaded the hub.
    expect(await Promise.all(tabs.map(hostsHub))).toEqual([true, false, false]);
    server.io.emit("news", 1);
    for (const tab of tabs) await expect.poll(() => news(tab)).toEqual([1]);
  });

  test("the leader closes: another tab takes over within 1 s and recovers the session", async ({
    server,
    context,
    openTabs,
  }) => {
    await context.addInitScript(withoutSharedWorker);
    server.io.on("connection", (socket) => socket.join("room"));
    const tabs = await openTabs(3, PAGE);
    const [id] = await connectAll(tabs, server.url, {}, ["news"]);
    const [leader, ...others] = tabs;
    expect(await hostsHub(leader)).toBe(true);
    for (const tab of others) await watchLifecycle(tab);
    server.io.to("room").emit("news", 1);
    for (const tab of others) await expect.poll(() => news(tab)).toEqual([1]);

    let recoveredAt = 0;
    server.io.on("connection", (socket) => {
      if (socket.recovered) recoveredAt = Date.now();
    });
    const closing = Date.now();
    await leader.close();
    // Sent while nobody holds the connection: the recovered session brings it.
    server.io.to("room").emit("news", 2);
    await waitUntil(() => recoveredAt > 0, "a recovered connection on the server", 5_000);
    expect(recoveredAt - closing).toBeLessThan(1_000);
    expect(server.engineConnectionsAccepted()).toBe(2);
    expect(server.engineConnectionsOpen()).toBe(1);

    for (const tab of others) {
      await expect.poll(() => lifecycle(tab).then((l) => l.map((e) => e.event))).toEqual(["disconnect", "connect"]);
      const [disconnect, connect] = await lifecycle(tab);
      expect(disconnect.reason).toBe("transport close");
      expect(connect).toMatchObject({ recovered: true, id });
      await expect.poll(() => news(tab)).toEqual([1, 2]);
    }
    const report = await diagnostics(others[1]);
    expect(report.mode).toBe("leader tab");
    expect(report.tabs).toHaveLength(2);
    expect((await Promise.all(others.map(hostsHub))).filter(Boolean)).toHaveLength(1);
  });

  test("without Web Locks too, each tab runs its own hub", async ({ server, context, openTabs }) => {
    await context.addInitScript(withoutSharedWorker);
    await context.addInitScript(withoutLocks);
    const tabs = await openTabs(3, PAGE);
    expect(await tabs[0].evaluate(() => "locks" in navigator)).toBe(false);
    const ids = await connectAll(tabs, server.url);
    expect(new Set(ids).size).toBe(3);
    expect(server.engineConnectionsAccepted()).toBe(3);
    const report = await diagnostics(tabs[0]);
    expect(report.mode).toBe("in-page");
    expect(report.why).toBe("SharedWorker is not available, and Web Locks or BroadcastChannel are not available");
    expect(report.tabs).toHaveLength(1);
  });
});

test("a worker script that does not load: the next mode, with one warning naming the URL", async ({
  server,
  openTabs,
}) => {
  const tabs = await openTabs(2, PAGE);
  const seen = tabs.map(warnings);
  const opts = { worker: "/no-such-worker.js" };
  const ids = await connectAll(tabs, server.url, opts);
  // The tabs still share one connection, through a leader tab.
  expect(new Set(ids).size).toBe(1);
  expect(server.engineConnectionsAccepted()).toBe(1);
  const report = await diagnostics(tabs[1], opts);
  expect(report.mode).toBe("leader tab");
  expect(report.why).toContain("/no-such-worker.js");
  // A second socket on the same options does not try (nor warn) again.
  server.io.of("/other");
  await tabs[0].evaluate((url) => window.harness.connect("other", `${url}/other`, { worker: "/no-such-worker.js" }), server.url);
  for (const tab of seen) {
    expect(tab).toHaveLength(1);
    expect(tab[0]).toContain("/no-such-worker.js");
  }
  expect(server.staticRequests.filter((p) => p === "/no-such-worker.js")).toHaveLength(2);
});

test("a worker script served with the wrong MIME type: the next mode", async ({ server, openTabs }) => {
  const [tab] = await openTabs(1, PAGE);
  const seen = warnings(tab);
  const opts = { worker: "/harness.html" };
  server.mount("/harness.html", `${ROOT}/e2e/pages/shared.html`);
  await connectAll([tab], server.url, opts);
  expect((await diagnostics(tab, opts)).mode).toBe("leader tab");
  expect(seen).toHaveLength(1);
  expect(seen[0]).toContain("/harness.html");
});

test("shared: false runs the hub in the page, whatever the browser offers", async ({ server, openTabs }) => {
  const tabs = await openTabs(2, PAGE);
  const ids = await connectAll(tabs, server.url, { shared: false });
  expect(new Set(ids).size).toBe(2);
  const report = await diagnostics(tabs[0], { shared: false });
  expect(report).toMatchObject({ mode: "in-page", why: "shared: false" });
});

test("io() does not throw when the environment refuses everything", async ({ server, context, openTabs }) => {
  // SharedWorker throws (as in an opaque origin), Web Locks refuse, BroadcastChannel is missing.
  await context.addInitScript(() => {
    (window as { SharedWorker?: unknown }).SharedWorker = function SharedWorker() {
      throw new DOMException("refused", "SecurityError");
    };
    const refuse = () => Promise.reject(new DOMException("refused", "SecurityError"));
    Object.defineProperty(Navigator.prototype, "locks", { get: () => ({ request: refuse, query: refuse }) });
    delete (window as { BroadcastChannel?: unknown }).BroadcastChannel;
  });
  const [tab] = await openTabs(1, PAGE);
  const [id] = await connectAll([tab], server.url);
  expect(id).toBeTruthy();
  expect((await diagnostics(tab)).mode).toBe("in-page");
});

test("a worker already started with other options (another build): the browser refuses, the tab falls back with one warning", async ({
  server,
  openTabs,
}) => {
  const [other, tab] = await openTabs(2, PAGE);
  const workerUrl = "/dist/socket.io-shared.worker.js";
  // Another build started the same script under the same name, without extendedLifetime.
  await other.evaluate(
    (url) =>
      new Promise<void>((resolve) => {
        const worker = new SharedWorker(url, { type: "module", name: "socket.io-shared@5" });
        (window as unknown as { otherWorker: SharedWorker }).otherWorker = worker;
        worker.port.onmessage = () => resolve();
      }),
    workerUrl,
  );
  const seen = warnings(tab);
  const opts = { worker: workerUrl };
  await connectAll([tab], server.url, opts);
  const report = await diagnostics(tab, opts);
  expect(report.mode).toBe("leader tab");
  expect(report.why).toContain(workerUrl);
  expect(seen).toHaveLength(1);
  expect(seen[0]).toContain(workerUrl);
});
