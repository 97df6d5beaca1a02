/**
 * Hidden and frozen tabs (issue 4 point 4, DESIGN §5): the timers that keep
 * the connection alive (heartbeat, reconnection backoff) run in the worker,
 * so the connection lives on, and comes back after a drop, while no tab runs
 * a single timer.
 *
 * How the tabs are stopped: headless Chromium shows every page as visible, and
 * there the CDP Page Lifecycle `frozen` state changes nothing (measured), so
 * the pages' clock is paused too (Playwright's clock, which reaches pages and
 * not workers): no timer of any tab fires, as in a tab that Chrome froze or
 * throttled for minutes. The same test with `shared: false` (the hub in the
 * page) fails: its ping and backoff timers stop with the page's.
 */
import { test, expect } from "./fixtures/test";
import { waitUntil } from "./fixtures/server";
import { PAGE, connectAll, lifecycle, setLifecycle, watchLifecycle } from "./survive-helpers";

const PING_INTERVAL = 300;

test.use({ serverOptions: { io: { pingInterval: PING_INTERVAL, pingTimeout: 300 } } });

test("every tab frozen: the heartbeat goes on, and the connection comes back by itself after a server-side drop", async ({
  server,
  context,
  openTabs,
}) => {
  await context.clock.install();
  const tabs = await openTabs(2, PAGE);
  const [id] = await connectAll(tabs, server.url, { reconnectionDelay: 100, reconnectionDelayMax: 100 });
  for (const tab of tabs) {
    await watchLifecycle(tab);
    // A page timer, to show that a frozen page really runs nothing.
    await tab.evaluate(() => {
      const w = window as unknown as { ticks: number };
      w.ticks = 0;
      setInterval(() => w.ticks++, 50);
    });
  }
  const serverSocket = server.io.of("/").sockets.get(id)!;
  let reason = "";
  serverSocket.on("disconnect", (r) => (reason = r));
  let pongs = 0;
  serverSocket.conn.on("heartbeat", () => pongs++);
  const ticks = () => Promise.all(tabs.map((tab) => tab.evaluate(() => (window as unknown as { ticks: number }).ticks)));

  await tabs[0].waitForTimeout(200);
  const ticksBefore = await ticks();
  expect(ticksBefore.every((n) => n > 0)).toBe(true);
  for (const tab of tabs) await setLifecycle(tab, "frozen");
  await context.clock.pauseAt(Date.now() + 1000);
  // Ten ping intervals: without the worker's pongs the server would close after one interval + timeout.
  await new Promise((r) => setTimeout(r, PING_INTERVAL * 10));
  expect(reason).toBe("");
  expect(pongs).toBeGreaterThanOrEqual(8);
  expect(serverSocket.connected).toBe(true);

  // The server drops the connection: the worker's backoff timer reconnects, with every tab still frozen.
  serverSocket.conn.close();
  await waitUntil(() => server.engineConnectionsAccepted() === 2, "a new connection while every tab is frozen", 5_000);
  await waitUntil(() => server.io.of("/").sockets.size === 1, "the namespace socket to come back", 5_000);
  const [newSocket] = server.io.of("/").sockets.values();
  expect(newSocket.id).not.toBe(id);

  for (const tab of tabs) await setLifecycle(tab, "active");
  await context.clock.resume();
  // Nothing ran in the pages for the seconds they were frozen (a 50 ms timer would have ticked 60+ times).
  const ticksAfter = await ticks();
  expect(ticksAfter.every((n, i) => n - ticksBefore[i] < 20)).toBe(true);
  for (const tab of tabs) {
    await expect.poll(() => lifecycle(tab).then((l) => l.map((e) => e.event))).toEqual(["disconnect", "connect"]);
    const [disconnect, connect] = await lifecycle(tab);
    expect(disconnect.reason).toBe("transport close");
    expect(connect.id).toBe(newSocket.id);
  }
});
