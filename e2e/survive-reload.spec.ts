/**
 * Reloads (issue 4 point 3, DESIGN §3 and §5): the only tab reloads. The
 * worker outlives it (`extendedLifetime`), the hub keeps the socket for the
 * grace period and holds the events that arrive meanwhile; a reload slower
 * than that, or one during which the worker dies, resumes the session the
 * hub saved (IndexedDB) when the server enables connection-state recovery.
 */
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures/test";
import { waitUntil } from "./fixtures/server";
import { PAGE, browserCdp, connectAll, diagnostics, killSharedWorker, received, sharedWorkers } from "./survive-helpers";

const news = (tab: Page) => received(tab, "news").then((calls) => calls.map((args) => args[0]));

/** Reloads `tab`, holding its script back for `ms` once the old page is gone; `meanwhile` runs in that gap. */
async function slowReload(tab: Page, ms: number, meanwhile: () => void): Promise<void> {
  let held = false;
  await tab.route("**/dist/socket.io-shared.esm.js", async (route) => {
    held = true;
    await new Promise((r) => setTimeout(r, ms));
    await route.continue();
  });
  const reloading = tab.reload();
  await waitUntil(() => held, "the reloaded page to ask for the library");
  // The old page is gone (its document was replaced): the hub learns it through the tab's lock.
  await new Promise((r) => setTimeout(r, 150));
  meanwhile();
  await reloading;
  await tab.unroute("**/dist/socket.io-shared.esm.js");
}

test("reloading the only tab: same worker, same connection, no new handshake; events sent meanwhile arrive", async ({
  server,
  openTabs,
  browser,
}) => {
  const cdp = await browserCdp(browser);
  const [tab] = await openTabs(1, PAGE);
  // A grace period a loaded machine's reload fits in (the default, 1 s, is timed in sharing.spec.ts).
  const opts = { gracePeriod: 3000 };
  const [id] = await connectAll([tab], server.url, opts, ["news"]);
  const [worker] = await sharedWorkers(cdp);
  const { epoch } = await diagnostics(tab);
  const serverSocket = server.io.of("/").sockets.get(id)!;
  let disconnected = "";
  serverSocket.on("disconnect", (reason) => (disconnected = reason));

  await slowReload(tab, 400, () => {
    server.io.emit("news", "during the reload 1");
    server.io.emit("news", "during the reload 2");
  });
  const [afterReload] = await connectAll([tab], server.url, opts, ["news"]);

  expect(afterReload).toBe(id);
  expect(server.engineConnectionsAccepted()).toBe(1);
  expect(disconnected).toBe("");
  // extendedLifetime: the very same worker (CDP target) and hub (epoch).
  expect(await sharedWorkers(cdp)).toEqual([worker]);
  expect((await diagnostics(tab)).epoch).toBe(epoch);
  await expect.poll(() => news(tab)).toEqual(["during the reload 1", "during the reload 2"]);
  await cdp.detach();
});

test.describe("with connection-state recovery", () => {
  test.use({ serverOptions: { io: { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } } } });

  /** The only tab leaves (about:blank), `whileAway` runs, then it comes back; the room gets events meanwhile. */
  async function leaveAndComeBack(tab: Page, url: string, whileAway: () => Promise<void>) {
    await tab.goto("about:blank");
    await whileAway();
    await tab.goto(url);
  }

  test("the worker dies during the reload: the new worker resumes the saved session", async ({
    server,
    openTabs,
    browser,
  }) => {
    const cdp = await browserCdp(browser);
    server.io.on("connection", (socket) => socket.join("room"));
    const [tab] = await openTabs(1, PAGE);
    // This page listens to nothing: the session the hub saved is all a new worker can know.
    const [id] = await connectAll([tab], server.url);
    server.io.to("room").emit("news", 1);
    const serverSocket = server.io.of("/").sockets.get(id)!;
    let reason = "";
    serverSocket.on("disconnect", (r) => (reason = r));

    await leaveAndComeBack(tab, new URL(PAGE, server.url).href, async () => {
      await killSharedWorker(cdp);
      await waitUntil(() => reason !== "", "the server to see the worker's connection end");
      server.io.to("room").emit("news", 2);
      server.io.to("room").emit("news", 3);
    });
    // The worker's WebSocket ends with it: closed, or reset under load. Both keep the session.
    expect(["transport close", "transport error"]).toContain(reason);
    const [afterReload] = await connectAll([tab], server.url, {}, ["news"]);

    expect(afterReload).toBe(id);
    expect(await tab.evaluate(() => window.harness.sockets.get("main")!.recovered)).toBe(true);
    await expect.poll(() => news(tab)).toEqual([2, 3]);
    expect(server.engineConnectionsAccepted()).toBe(2);
    await cdp.detach();
  });

  test("a reload slower than the grace period resumes the session too", async ({ server, openTabs }) => {
    server.io.on("connection", (socket) => socket.join("room"));
    const [tab] = await openTabs(1, PAGE);
    const [id] = await connectAll([tab], server.url, {}, ["news"]);
    server.io.to("room").emit("news", 1);
    await expect.poll(() => news(tab)).toEqual([1]);
    let reason = "";
    server.io.of("/").sockets.get(id)!.on("disconnect", (r) => (reason = r));

    await leaveAndComeBack(tab, new URL(PAGE, server.url).href, async () => {
      // Default grace period: 1 s; then the hub closes the transport (the server keeps the session).
      await waitUntil(() => reason !== "", "the grace period to end", 3_000);
      server.io.to("room").emit("news", 2);
    });
    expect(reason).toBe("transport close");
    const [afterReload] = await connectAll([tab], server.url, {}, ["news"]);

    expect(afterReload).toBe(id);
    expect(await tab.evaluate(() => window.harness.sockets.get("main")!.recovered)).toBe(true);
    await expect.poll(() => news(tab)).toEqual([2]);
  });
});
