/**
 * Server restart mid-stream (issue 7, point 1), with connectionStateRecovery.
 *
 * What restarts here is the server's listener, not its process: the HTTP
 * server closes (every connection is dropped, new ones are refused — ECONNREFUSED
 * at the proxy, a reset for the browser), stays down a while, and listens
 * again on the same port. The socket.io `Server` instance, and with it the
 * in-memory adapter that keeps recovery sessions, survives: that is the only
 * kind of restart after which a single node with the default adapter can
 * recover sessions at all. A restart of the process itself recovers only
 * when sessions live outside it: e2e/faults-redis.spec.ts restarts a process
 * whose sessions are in Redis.
 */
import type { Page } from "@playwright/test";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect } from "./faults/fixture";
import { expectAckedEmitsAtLeastOnce } from "./faults/expectations";
import { recordFigures } from "./faults/figures";
import { OpenSockets } from "./faults/open-sockets";
import { exactlyOnceInOrder, prefixed, range, streamsStats } from "./faults/counting";
import { joinRoomOnConnect, recordUpstream, startBroadcaster } from "./faults/server-side";
import { connectAll, count, lifecycle, numbers, settled, sleep, until, untilEveryTabHas } from "./faults/tabs";

test.use({
  serverOptions: { io: { pingInterval: 1_000, pingTimeout: 1_000, connectionStateRecovery: { maxDisconnectionDuration: 10_000 } } },
});

/**
 * A listener that can be restarted: `restart(downMs)` stops listening, drops
 * every open connection (upgraded WebSockets included, as when a process
 * dies), waits `downMs` and listens again on the same port.
 */
function restartable(http: HttpServer): { restart(downMs: number): Promise<void> } {
  const open = new OpenSockets(http);
  return {
    async restart(downMs) {
      const { port, address } = http.address() as AddressInfo;
      await open.closeAll();
      await sleep(downMs);
      await new Promise<void>((resolve) => http.listen(port, address, resolve));
    },
  };
}

const reconnectsOf = async (tab: Page) => {
  const log = await lifecycle(tab, "main");
  return log.slice(log.findIndex((e) => e.type === "disconnect")).filter((e) => e.type === "connect");
};

test("listener restart mid-stream: room events 0 lost, 0 duplicated, in order in every tab; acked emits with retries 0 lost, every ack settles", async ({
  server,
  openFaultTabs,
  pageErrors,
  watchWorker,
}) => {
  test.setTimeout(60_000);
  const TABS = 3;
  const TOTAL = 2_000;
  const EMITS = 300;
  const events = range(0, TABS - 1).map((t) => `up${t}`);
  const listener = restartable(server.io.httpServer as HttpServer);
  const room = joinRoomOnConnect(server.io, "room");
  const up = recordUpstream(server.io, events, true);
  const tabs = await openFaultTabs(TABS);
  // Every tab's own emits are acknowledged, retried after 300 ms without an answer.
  await connectAll(tabs, "main", { reconnectionDelay: 100, reconnectionDelayMax: 100, randomizationFactor: 0, ackTimeout: 300, retries: 30 }, ["tick"]);
  const worker = await watchWorker(tabs[0]);

  const broadcaster = startBroadcaster(server.io, { room: "room", event: "tick", total: TOTAL, perTick: 2, everyMs: 2 });
  const emitting = Promise.all(
    tabs.map((tab, t) => tab.evaluate((a) => window.faults.emitSteadily("main", a.event, 1, a.total, 5, 1, true), { event: events[t], total: EMITS })),
  );
  await until(async () => (await count(tabs[0], "main", "tick")) >= 400, "room events before the restart");
  await until(() => events.every((e) => up.get(e)!.length >= 20), "emits before the restart");

  const downAt = Date.now();
  await listener.restart(500);
  const upAt = Date.now();

  await emitting;
  await broadcaster.done;
  await untilEveryTabHas(tabs, "main", "tick", TOTAL, 20_000);
  await until(async () => (await Promise.all(tabs.map((tab) => settled(tab, "main")))).every((s) => s.length >= EMITS), "every ack", 20_000);
  // Anything duplicated or late would have arrived by now.
  await sleep(300);

  const ticks = await Promise.all(tabs.map((tab) => numbers(tab, "main", "tick")));
  const acks = await Promise.all(tabs.map((tab) => settled(tab, "main")));
  const arrivals = events.map((e) => up.get(e)!);
  const down = streamsStats(TOTAL, ticks);
  const upward = streamsStats(EMITS, arrivals);
  const reconnects = await Promise.all(tabs.map(reconnectsOf));
  const reasons = await Promise.all(tabs.map(async (tab) => (await lifecycle(tab, "main")).flatMap((e) => (e.type === "disconnect" ? [e.reason] : []))));
  await recordFigures(`listener restart mid-stream (${TABS} tabs, connectionStateRecovery, ackTimeout + retries)`, {
    file: "e2e/faults-restart.spec.ts",
    ...prefixed("roomEvents", down),
    ...prefixed("emits", upward),
    acksSettled: acks.flat().length,
    acksFailed: acks.flat().filter(([, err]) => err !== null).length,
    downMs: upAt - downAt,
    disconnectReason: reasons[0][0] ?? null,
    recovered: reconnects.every((r) => r.length === 1 && r[0].type === "connect" && r[0].recovered),
    serverConnections: server.engineConnectionsAccepted(),
  });

  // Server → tabs: exactly once, in order, everywhere; the session was recovered.
  for (const got of ticks) expect(exactlyOnceInOrder(TOTAL, got)).toBeNull();
  expect(down).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
  expect(room.recovered).toEqual([false, true]);
  for (const r of reconnects) expect(r).toEqual([expect.objectContaining({ type: "connect", recovered: true })]);
  for (const r of reasons) expect(r).toHaveLength(1);
  // Tabs → server: at least once (duplicates are counted above), first arrivals in order, every ack settled with its answer.
  expectAckedEmitsAtLeastOnce(EMITS, arrivals, acks);
  expect(pageErrors).toEqual([]);
  expect(worker.exceptions).toEqual([]);
});
