/**
 * Churn and leaks (issue 7, point 7): 1000 tabs open and close around one
 * tab that stays, and 10,000 listeners come and go. The hub's state (tabs,
 * Managers, sockets, subscriptions, listeners, pending acks, backlog — the
 * counters of `diagnostics()`) returns to its baseline, and the server sees
 * one connection throughout.
 *
 * Each cycle is a real page of the test's browser context (newPage, load,
 * attach, close), 8 at a time. A page costs Chromium about 200 ms of CPU
 * (renderer and Playwright's set-up included), so this is the longest fault
 * test: about 2 minutes on 2 quiet cores (10 allowed). FAULTS_CHURN_TABS changes the number of
 * tab cycles (default 1000).
 */
import type { Page } from "@playwright/test";
import { test, expect } from "./faults/fixture";
import { FAULT_PAGE } from "./faults/fixture";
import { recordFigures } from "./faults/figures";
import { exactlyOnceInOrder, prefixed, sequenceStats } from "./faults/counting";
import { startBroadcaster } from "./faults/server-side";
import { connect, diagnostics, disconnectReasons, numbers, sleep, until } from "./faults/tabs";
import type { FaultsDiagnostics } from "./faults/page-types";

const TAB_CYCLES = Number(process.env.FAULTS_CHURN_TABS ?? 1_000);
const LISTENER_CYCLES = 10_000;
/** The one server-side disconnect allowed: the hub leaving the second namespace when its last tab went. */
const OTHER_LEFT = "/other client namespace disconnect";
/** Tabs open at once during the churn. */
const PARALLEL = 8;

test.use({ serverOptions: { io: { pingInterval: 5_000, pingTimeout: 5_000 } } });

/** Waits until the hub's counters equal `baseline` (the grace period of a namespace's last tab included). */
async function untilBaseline(anchor: Page, baseline: FaultsDiagnostics["counters"], what: string): Promise<FaultsDiagnostics> {
  let report = await diagnostics(anchor);
  await until(
    async () => {
      report = await diagnostics(anchor);
      return JSON.stringify(report.counters) === JSON.stringify(baseline);
    },
    `${what}: counters back to ${JSON.stringify(baseline)} (last: ${JSON.stringify(report.counters)})`,
    10_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last: ${JSON.stringify(report.counters)}`);
  });
  return report;
}

test(`${TAB_CYCLES} tab open/close cycles and ${LISTENER_CYCLES} listener add/remove cycles: the hub returns to its baseline, one connection throughout`, async ({
  server,
  faultProxy: proxy,
  context,
  openFaultTabs,
  pageErrors,
  watchWorker,
}) => {
  test.setTimeout(600_000);
  // The server answers "slow" emits late: tabs close with acks still pending.
  const serverDisconnects: string[] = [];
  server.io.of("/other").on("connection", (socket) => {
    socket.on("disconnect", (reason) => serverDisconnects.push(`${socket.nsp.name} ${reason}`));
  });
  server.io.on("connection", (socket) => {
    socket.on("disconnect", (reason) => serverDisconnects.push(`${socket.nsp.name} ${reason}`));
    socket.on("slow", (n: number, ack: (n: number) => void) => setTimeout(() => ack(n), 100));
    void socket.join("room");
  });
  const [anchor] = await openFaultTabs(1);
  const anchorId = await connect(anchor, "main", {}, ["tick"]);
  const worker = await watchWorker(anchor);
  const baseline = (await diagnostics(anchor)).counters;
  expect(baseline).toMatchObject({ tabs: 1, managers: 1, sockets: 1, subscriptions: 1, pendingAcks: 0, backlog: 0 });

  // Room events all along: the tab that stays must get every one, once, in order.
  const broadcaster = startBroadcaster(server.io, { room: "room", event: "tick", total: Number.MAX_SAFE_INTEGER, perTick: 1, everyMs: 20 });

  // Tabs come and go, PARALLEL at a time: each attaches, listens, joins the second namespace every other
  // time (and every tenth tab leaves it and joins it again in one task), emits with an ack the server
  // answers only after the tab has gone, and closes. No tab stays on the second namespace, so the hub
  // leaves it and joins it again all along: one tab's DISCONNECT meets another's CONNECT.
  const startedAt = Date.now();
  let next = 0;
  let peakTabs = 0;
  const connectFailures: string[] = [];
  const lane = async () => {
    while (next < TAB_CYCLES) {
      const i = next++;
      const page = await context.newPage();
      page.on("pageerror", (err) => pageErrors.push(`churn tab ${i}: ${err.message}`));
      await page.goto(proxy.url + FAULT_PAGE);
      await connect(page, "main", {}, ["tick"]).catch((err: Error) => connectFailures.push(`tab ${i} main: ${err.message}`));
      if (i % 2 === 1) {
        await connect(page, "other", { url: `${proxy.url}/other` }, ["tick"]).catch((err: Error) => connectFailures.push(`tab ${i} /other: ${err.message}`));
      }
      if (i % 10 === 3) await page.evaluate(() => window.faults.bounce("other"));
      await page.evaluate((n) => window.faults.emitAckedRange("main", "slow", n, n, 5_000), i);
      if (i % 50 === 0) peakTabs = Math.max(peakTabs, (await diagnostics(anchor)).counters.tabs);
      await page.close();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  const tabCyclesMs = Date.now() - startedAt;
  const afterTabs = await untilBaseline(anchor, baseline, "after the tab churn");

  // Listeners come and go in the tab that stays.
  const listenersStartedAt = Date.now();
  await anchor.evaluate((cycles) => window.faults.churnListeners("main", "churn", cycles, 100), LISTENER_CYCLES);
  const listenerCyclesMs = Date.now() - listenersStartedAt;
  const afterListeners = await untilBaseline(anchor, baseline, "after the listener churn");

  broadcaster.stop();
  const sent = broadcaster.sent();
  // The last one arrives (or the account below says what is missing).
  await until(async () => (await numbers(anchor, "main", "tick")).includes(sent), "the last room event").catch(() => {});
  await sleep(100);
  const ticks = await numbers(anchor, "main", "tick");
  const serverSockets = [...server.io.of("/").sockets.keys()];
  const otherLeft = serverDisconnects.filter((entry) => entry === OTHER_LEFT).length;

  await recordFigures("churn: tab open/close cycles and listener add/remove cycles", {
    file: "e2e/faults-churn.spec.ts",
    tabCycles: TAB_CYCLES,
    listenerCycles: LISTENER_CYCLES,
    tabCyclesMs,
    listenerCyclesMs,
    peakTabsAttached: peakTabs,
    connectFailures: connectFailures.length,
    baseline: JSON.stringify(baseline),
    afterTabs: JSON.stringify(afterTabs.counters),
    afterListeners: JSON.stringify(afterListeners.counters),
    serverConnections: server.engineConnectionsAccepted(),
    otherNamespaceLeft: otherLeft,
    serverDisconnects: JSON.stringify(serverDisconnects.filter((entry) => entry !== OTHER_LEFT)),
    anchorDisconnects: JSON.stringify(await disconnectReasons(anchor, "main")),
    ...prefixed("anchorRoomEvents", sequenceStats(sent, ticks)),
  });
  expect(connectFailures).toEqual([]);
  expect(peakTabs).toBeGreaterThan(1);
  expect(afterTabs.tabs.map((t) => t.id)).toHaveLength(1);
  // One Engine.IO connection from first to last, the same server socket for the tab that stayed.
  expect(server.engineConnectionsAccepted()).toBe(1);
  expect(server.engineConnectionsOpen()).toBe(1);
  expect(serverSockets).toEqual([anchorId]);
  expect(server.io.of("/other").sockets.size).toBe(0);
  expect(otherLeft).toBeGreaterThan(0);
  expect(serverDisconnects.filter((entry) => entry !== OTHER_LEFT)).toEqual([]);
  expect(exactlyOnceInOrder(sent, ticks)).toBeNull();
  expect(pageErrors).toEqual([]);
  expect(worker.exceptions).toEqual([]);
});
