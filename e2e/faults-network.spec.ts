/**
 * Network faults between the browser and the server (issue 7, points 2–5),
 * with the fault proxy in front of everything: a cut, WebSocket upgrades
 * blocked, a black hole while every tab is frozen, and the browser going
 * offline. Several tabs share one connection through the SharedWorker; every
 * stream is numbered and counted.
 */
import type { Page } from "@playwright/test";
import type { Server } from "socket.io";
import { test, expect } from "./faults/fixture";
import { recordFigures } from "./faults/figures";
import { exactlyOnceInOrder, prefixed, range, streamsStats } from "./faults/counting";
import { joinRoomOnConnect, recordUpstream, startBroadcaster } from "./faults/server-side";
import { connectAll, count, disconnectReasons, lifecycle, numbers, socketState, sleep, until, untilEveryTabHas } from "./faults/tabs";

const FAST = { reconnectionDelay: 50, reconnectionDelayMax: 50, randomizationFactor: 0 };
const CUT_REASONS = ["transport close", "transport error"];
const RECOVERY = { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } };

const emitRange = (tab: Page, event: string, from: number, to: number) =>
  tab.evaluate((a) => window.faults.emitRange("main", a.event, a.from, a.to), { event, from, to });

/** The socket's connects after its first disconnect (each tab logs its own). */
async function reconnects(tab: Page) {
  const log = await lifecycle(tab, "main");
  const firstDrop = log.findIndex((e) => e.type === "disconnect");
  return firstDrop < 0 ? [] : log.slice(firstDrop).filter((e) => e.type === "connect");
}

test.describe("network cut", () => {
  test.use({ serverOptions: { io: { pingInterval: 500, pingTimeout: 500, ...RECOVERY } } });

  for (const transport of ["websocket", "polling"] as const) {
    test(`over ${transport}: transport close/error, reconnect, emits buffered meanwhile arrive once and in order, 0 room events lost`, async ({
      server,
      faultProxy: proxy,
      openFaultTabs,
      pageErrors,
      watchWorker,
    }) => {
      const TABS = 3;
      const TOTAL = 1_500;
      const events = range(0, TABS - 1).map((t) => `up${t}`);
      const room = joinRoomOnConnect(server.io, "room");
      const up = recordUpstream(server.io, events);
      const tabs = await openFaultTabs(TABS);
      await connectAll(tabs, "main", { ...FAST, transports: [transport] }, ["tick"]);
      const worker = await watchWorker(tabs[0]);
      const broadcaster = startBroadcaster(server.io, { room: "room", event: "tick", total: TOTAL, perTick: 3, everyMs: 2 });

      // Connected: 1..100 from every tab arrive.
      await Promise.all(tabs.map((tab, t) => emitRange(tab, events[t], 1, 100)));
      await until(() => events.every((e) => up.get(e)!.length >= 100), "the first 100 emits of every tab");
      await until(async () => (await count(tabs[0], "main", "tick")) >= 200, "room events before the cut");

      // The cut; new connections are refused for a while. Each tab emits
      // 101..150 from its disconnect listener (the earliest moment it can
      // buffer), and 151..200 once reconnection attempts have failed.
      await Promise.all(
        tabs.map((tab, t) => tab.evaluate((e) => window.faults.emitOnDisconnect("main", e, 101, 150), events[t])),
      );
      proxy.refuse(true);
      const cutAt = Date.now();
      expect(proxy.cut()).toBeGreaterThan(0);
      await until(async () => (await Promise.all(tabs.map((tab) => disconnectReasons(tab, "main")))).every((r) => r.length === 1), "disconnect in every tab");
      const reasons = (await Promise.all(tabs.map((tab) => disconnectReasons(tab, "main")))).map((r) => r[0]);
      const detectedMs = Math.max(...(await Promise.all(tabs.map(async (tab) => (await lifecycle(tab, "main")).find((e) => e.type === "disconnect")!.at)))) - cutAt;
      await until(async () => (await lifecycle(tabs[0], "main")).some((e) => e.type === "connect_error"), "a failed reconnection attempt");
      await Promise.all(tabs.map((tab, t) => emitRange(tab, events[t], 151, 200)));
      // Back only once the server noticed the cut (over polling it may only learn of it at its ping timeout).
      await until(() => server.io.of("/").sockets.size === 0, "the server to notice the cut");
      await sleep(100);
      const missedWhileAway = broadcaster.sent() - (await count(tabs[0], "main", "tick"));
      proxy.refuse(false);

      // Reconnected by itself; 201..250 from every tab; the broadcast ends.
      await until(async () => (await Promise.all(tabs.map((tab) => socketState(tab, "main")))).every((s) => s.connected), "reconnection");
      await Promise.all(tabs.map((tab, t) => emitRange(tab, events[t], 201, 250)));
      await broadcaster.done;
      await untilEveryTabHas(tabs, "main", "tick", TOTAL);
      await until(() => events.every((e) => up.get(e)!.length >= 250), "250 emits of every tab");
      // Anything duplicated or late would have arrived by now.
      await sleep(200);

      const ticks = await Promise.all(tabs.map((tab) => numbers(tab, "main", "tick")));
      const down = streamsStats(TOTAL, ticks);
      const upward = streamsStats(250, events.map((e) => up.get(e)!));
      const recovered = await Promise.all(tabs.map(async (tab) => (await reconnects(tab)).map((c) => c.type === "connect" && c.recovered)));
      await recordFigures(`network cut (${transport}, ${TABS} tabs, connectionStateRecovery)`, {
        file: "e2e/faults-network.spec.ts",
        ...prefixed("roomEvents", down),
        ...prefixed("emits", upward),
        roomEventsMissedWhileAway: missedWhileAway,
        emitsBufferedWhileDisconnected: 100 * TABS,
        disconnectReason: reasons[0],
        detectedMs,
        recovered: recovered.every((r) => r.length === 1 && r[0]),
        serverConnections: server.engineConnectionsAccepted(),
      });

      for (const reason of reasons) expect(CUT_REASONS).toContain(reason);
      expect(missedWhileAway).toBeGreaterThan(0);
      expect(recovered).toEqual(tabs.map(() => [true]));
      expect(room.recovered).toEqual([false, true]);
      for (const got of ticks) expect(exactlyOnceInOrder(TOTAL, got)).toBeNull();
      for (const e of events) expect(up.get(e)).toEqual(range(1, 250));
      expect(down).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
      expect(upward).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
      expect(pageErrors).toEqual([]);
      expect(worker.exceptions).toEqual([]);
    });
  }
});

/**
 * Numbered traffic both ways on socket "main" of every tab: the server emits
 * "down" 1..count to everyone, each tab emits "up<t>" 1..count with an ack.
 */
async function exchange(server: { io: Server }, up: Map<string, number[]>, tabs: Page[], countEach: number) {
  const events = tabs.map((_, t) => `up${t}`);
  for (const tab of tabs) await tab.evaluate(() => window.faults.listen("main", "down"));
  await Promise.all(
    tabs.map((tab, t) => tab.evaluate((a) => window.faults.emitAckedRange("main", a.event, 1, a.count, 5_000), { event: events[t], count: countEach })),
  );
  for (let n = 1; n <= countEach; n++) server.io.emit("down", n);
  await untilEveryTabHas(tabs, "main", "down", countEach);
  await until(async () => (await Promise.all(tabs.map((tab) => tab.evaluate(() => window.faults.settled("main").length)))).every((n) => n >= countEach), "every ack");
  await sleep(100);
  const acks = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.faults.settled("main"))));
  return {
    up: streamsStats(countEach, events.map((e) => up.get(e)!)),
    down: streamsStats(countEach, await Promise.all(tabs.map((tab) => numbers(tab, "main", "down")))),
    acksFailed: acks.flat().filter(([, err]) => err !== null).length,
    acksSettled: acks.flat().length,
  };
}

test.describe("WebSocket upgrades blocked", () => {
  for (const variant of ["default transports", "websocket first + tryAllTransports"] as const) {
    test(`${variant}: the shared connection works over polling`, async ({ server, faultProxy: proxy, openFaultTabs, pageErrors }) => {
      const websocketFirst = variant !== "default transports";
      const tabs = await openFaultTabs(2);
      const up = recordUpstream(server.io, tabs.map((_, t) => `up${t}`), true);
      proxy.blockWebSocketUpgrades(true);
      const opts = websocketFirst ? { ...FAST, transports: ["websocket", "polling"], tryAllTransports: true } : FAST;
      await connectAll(tabs, "main", opts);
      // The default connection probes an upgrade after the handshake: it must be refused and the session go on.
      await until(() => proxy.counters().upgradesBlocked >= 1, "an upgrade attempt");
      await sleep(300);
      const result = await exchange(server, up, tabs, 200);
      const states = await Promise.all(tabs.map((tab) => socketState(tab, "main")));
      const log = await lifecycle(tabs[0], "main");
      await recordFigures(`websocket blocked, ${variant} (2 tabs)`, {
        file: "e2e/faults-network.spec.ts",
        ...prefixed("emits", result.up),
        ...prefixed("serverEvents", result.down),
        acksSettled: result.acksSettled,
        acksFailed: result.acksFailed,
        upgradesBlocked: proxy.counters().upgradesBlocked,
        transport: states[0].transport ?? null,
        connectErrors: log.filter((e) => e.type === "connect_error").length,
      });
      for (const state of states) expect(state).toMatchObject({ connected: true, transport: "polling" });
      expect(log.filter((e) => e.type !== "connect")).toEqual([]);
      expect(server.engineConnectionsAccepted()).toBe(1);
      expect(result.up).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
      expect(result.down).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
      expect(result.acksFailed).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  }
});

test.describe("black hole, every tab frozen", () => {
  const PING_INTERVAL = 400;
  const PING_TIMEOUT = 400;
  /** Timer slack on a loaded 2-core machine. */
  const MARGIN = 400;
  const CONNECT_TIMEOUT = 500;
  test.use({ serverOptions: { io: { pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT, ...RECOVERY } } });

  for (const transport of ["websocket", "polling"] as const) {
    test(`over ${transport}: ping timeout within pingInterval + pingTimeout + margin, from the worker; reconnects when traffic flows`, async ({
      server,
      faultProxy: proxy,
      openFaultTabs,
      context,
      pageErrors,
      watchWorker,
    }) => {
      const tabs = await openFaultTabs(2);
      joinRoomOnConnect(server.io, "room");
      await connectAll(tabs, "main", { ...FAST, transports: [transport], timeout: CONNECT_TIMEOUT }, ["tick"]);
      const worker = await watchWorker(tabs[0]);
      // A ping went by (the heartbeat runs) and room events arrived (the session can be recovered).
      for (let n = 1; n <= 50; n++) server.io.to("room").emit("tick", n);
      await untilEveryTabHas(tabs, "main", "tick", 50);
      await sleep(PING_INTERVAL + 100);

      // Every tab frozen: no task of theirs runs (more than any hidden tab gets). Playwright keeps
      // pages visible and launches Chromium without background throttling, so freezing is how a
      // test takes every tab's main thread away. The heartbeat lives in the worker.
      const sessions = await Promise.all(tabs.map((tab) => context.newCDPSession(tab)));
      for (const cdp of sessions) await cdp.send("Page.setWebLifecycleState", { state: "frozen" });

      // The worker's first move after the hole opens is its reaction to the ping timeout:
      // closing the WebSocket (a close frame) or a new handshake. The tabs are frozen and the
      // server's pings are swallowed, so no other byte leaves the browser meanwhile.
      const before = proxy.counters();
      proxy.blackhole(true);
      const holeAt = Date.now();
      for (let n = 51; n <= 100; n++) server.io.to("room").emit("tick", n);
      await until(() => {
        const now = proxy.counters();
        return now.clientToServerBytes > before.clientToServerBytes || now.connectionsOpened > before.connectionsOpened;
      }, "the worker to react to the silence", PING_INTERVAL + PING_TIMEOUT + 5_000);
      const detectedMs = Date.now() - holeAt;
      // Attempts fall into the hole too, and time out.
      await sleep(CONNECT_TIMEOUT + 300);
      const attemptsIntoTheHole = proxy.counters().connectionsOpened - before.connectionsOpened;

      proxy.blackhole(false);
      const liftedAt = Date.now();
      for (const cdp of sessions) await cdp.send("Page.setWebLifecycleState", { state: "active" });
      await until(async () => (await Promise.all(tabs.map((tab) => socketState(tab, "main")))).every((s) => s.connected), "reconnection");
      const reconnectMs = Date.now() - liftedAt;
      // Traffic flows: what the server broadcast into the hole and after it reaches every tab.
      for (let n = 101; n <= 150; n++) server.io.to("room").emit("tick", n);
      await untilEveryTabHas(tabs, "main", "tick", 150);
      await sleep(100);
      const logs = await Promise.all(tabs.map((tab) => lifecycle(tab, "main")));
      const reasons = logs.map((log) => log.flatMap((e) => (e.type === "disconnect" ? [e.reason] : [])));
      const recovered = await Promise.all(tabs.map(async (tab) => (await reconnects(tab)).map((c) => c.type === "connect" && c.recovered)));
      const ticks = await Promise.all(tabs.map((tab) => numbers(tab, "main", "tick")));

      await recordFigures(`black hole, every tab frozen (${transport})`, {
        file: "e2e/faults-network.spec.ts",
        detectedMs,
        pingInterval: PING_INTERVAL,
        pingTimeout: PING_TIMEOUT,
        limitMs: PING_INTERVAL + PING_TIMEOUT + MARGIN,
        disconnectReason: reasons[0][0] ?? null,
        attemptsIntoTheHole,
        reconnectMsAfterLift: reconnectMs,
        ...prefixed("roomEvents", streamsStats(150, ticks)),
        roomEventsBroadcastIntoTheHole: 50,
        recovered: recovered.every((r) => r.length === 1 && r[0]),
      });
      expect(reasons, JSON.stringify(logs[0])).toEqual(tabs.map(() => ["ping timeout"]));
      expect(recovered).toEqual(tabs.map(() => [true]));
      for (const got of ticks) expect(exactlyOnceInOrder(150, got)).toBeNull();
      expect(detectedMs).toBeLessThanOrEqual(PING_INTERVAL + PING_TIMEOUT + MARGIN);
      // Not some other close: the silence lasted about pingTimeout at least.
      expect(detectedMs).toBeGreaterThanOrEqual(PING_TIMEOUT / 2);
      expect(pageErrors).toEqual([]);
      expect(worker.exceptions).toEqual([]);
    });
  }
});

test.describe("offline", () => {
  // A heartbeat far too slow to notice anything within the test, and a backoff that would wait 3 s.
  const PING = 5_000;
  const BACKOFF = 3_000;
  test.use({ serverOptions: { io: { pingInterval: PING, pingTimeout: PING, ...RECOVERY } } });

  test("a tab's offline event closes the shared transport at once; online reconnects at once", async ({
    server,
    faultProxy: proxy,
    openFaultTabs,
    context,
    pageErrors,
  }) => {
    const tabs = await openFaultTabs(2);
    const up = recordUpstream(server.io, ["up0"]);
    const room = joinRoomOnConnect(server.io, "room");
    await connectAll(tabs, "main", { reconnectionDelay: BACKOFF, reconnectionDelayMax: BACKOFF, randomizationFactor: 0 }, ["tick"]);
    await until(async () => (await socketState(tabs[0], "main")).transport === "websocket", "the upgrade");
    await emitRange(tabs[0], "up0", 1, 50);
    for (let n = 1; n <= 50; n++) server.io.to("room").emit("tick", n);

    // The network goes: the browser says so (Playwright fires `offline` in the pages) and
    // connections fail (the proxy refuses). The open connection is not touched: only the
    // offline event can close it this early.
    proxy.refuse(true);
    const offlineAt = Date.now();
    await context.setOffline(true);
    await until(async () => (await Promise.all(tabs.map((tab) => disconnectReasons(tab, "main")))).every((r) => r.length === 1), "disconnect", PING);
    const disconnects = await Promise.all(tabs.map(async (tab) => (await lifecycle(tab, "main")).find((e) => e.type === "disconnect")!));
    const closedMs = Math.max(...disconnects.map((e) => e.at)) - offlineAt;
    await emitRange(tabs[0], "up0", 51, 100);
    for (let n = 51; n <= 100; n++) server.io.to("room").emit("tick", n);
    await sleep(300);

    proxy.refuse(false);
    const onlineAt = Date.now();
    await context.setOffline(false);
    await until(async () => (await Promise.all(tabs.map((tab) => socketState(tab, "main")))).every((s) => s.connected), "reconnection", PING);
    const reconnectedMs = Date.now() - onlineAt;
    await untilEveryTabHas(tabs, "main", "tick", 100);
    await until(() => up.get("up0")!.length >= 100, "the emits");
    await sleep(100);
    const ticks = await Promise.all(tabs.map((tab) => numbers(tab, "main", "tick")));
    const connects = await Promise.all(tabs.map((tab) => reconnects(tab)));

    await recordFigures("offline then online (2 tabs)", {
      file: "e2e/faults-network.spec.ts",
      ...prefixed("roomEvents", streamsStats(100, ticks)),
      ...prefixed("emits", streamsStats(100, [up.get("up0")!])),
      closedMsAfterOffline: closedMs,
      reconnectedMsAfterOnline: reconnectedMs,
      heartbeatLimitMs: 2 * PING,
      backoffMs: BACKOFF,
      recovered: connects.every((c) => c.length === 1 && c[0].type === "connect" && c[0].recovered),
    });
    for (const e of disconnects) expect(e).toMatchObject({ reason: "transport close", description: "network connection lost" });
    // At once: long before a ping timeout (10 s here) could have noticed.
    expect(closedMs).toBeLessThan(1_000);
    // `online` tries at once, without waiting for the 3 s backoff.
    expect(reconnectedMs).toBeLessThan(BACKOFF - 1_000);
    expect(room.recovered).toEqual([false, true]);
    for (const got of ticks) expect(exactlyOnceInOrder(100, got)).toBeNull();
    expect(up.get("up0")).toEqual(range(1, 100));
    expect(pageErrors).toEqual([]);
  });
});
