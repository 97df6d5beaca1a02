/**
 * Beyond one server (issue 7, point 10): socket.io nodes in their own
 * processes share the Redis Streams adapter (a real redis-server from
 * Debian), behind a loopback balancer of ours (sticky sessions for polling,
 * WebSocket upgrades piped, new sessions to the first node up). Room events
 * come from a publisher that is not a node the tabs use, through Redis.
 *
 * - The node holding the connection leaves (SIGTERM: it closes its sockets,
 *   their sessions go to Redis): the tabs reconnect to the other node and
 *   recover the session; 0 room events lost. Each node reports the room
 *   events it wrote: the adapter (0.3.1) sometimes writes a few twice where
 *   its replay of missed events meets its live stream; the test counts
 *   those and requires that the client adds no duplicate of its own.
 * - A node process restarts (SIGTERM, then a new process behind the same
 *   balancer URL): the tabs recover on the new process (a process restart
 *   with sessions outside the process: compare e2e/faults-restart.spec.ts).
 * - The limit: a node that is killed (SIGKILL) saves nothing; the tabs
 *   reconnect to the other node without recovery, `recovered` says so, and
 *   the events of the gap are lost (counted), never duplicated or reordered.
 */
import type { Page } from "@playwright/test";
import { test, expect, FAULT_PAGE } from "./faults/fixture";
import { startBalancer, type Balancer } from "./faults/balancer";
import { startNode, type ClusterNode } from "./faults/cluster";
import { startEmitter, type ClusterEmitter } from "./faults/cluster-emitter";
import { expectAckedEmitsAtLeastOnce } from "./faults/expectations";
import { recordFigures } from "./faults/figures";
import { exactlyOnceInOrder, firstArrivals, prefixed, range, sequenceStats, streamsStats } from "./faults/counting";
import { startRedis, type RedisServer } from "./faults/redis-server";
import { startBroadcaster } from "./faults/server-side";
import { connectAll, count, lifecycle, numbers, settled, sleep, socketState, until } from "./faults/tabs";

const NODE_OPTIONS = { pingInterval: 1_000, pingTimeout: 1_000, maxDisconnectionDuration: 10_000 };
const TAB_OPTIONS = { reconnectionDelay: 100, reconnectionDelayMax: 100, randomizationFactor: 0, ackTimeout: 500, retries: 20 };
const TABS = 2;
const TOTAL = 1_500;
const EMITS = 200;

/** Everything one test starts, stopped in reverse order. */
class Cluster {
  redis?: RedisServer;
  nodes: ClusterNode[] = [];
  balancer?: Balancer;
  emitter?: ClusterEmitter;

  async start(names: string[]): Promise<void> {
    this.redis = await startRedis();
    const redisUrl = this.redis.url;
    this.nodes = await Promise.all(names.map((name) => startNode(name, { ...NODE_OPTIONS, redisUrl })));
    this.balancer = await startBalancer(this.nodes.map((node) => ({ name: node.name, port: node.port })));
    this.emitter = await startEmitter(redisUrl, NODE_OPTIONS.maxDisconnectionDuration);
  }

  async addNode(name: string): Promise<ClusterNode> {
    const node = await startNode(name, { ...NODE_OPTIONS, redisUrl: this.redis!.url });
    this.nodes.push(node);
    this.balancer!.add({ name, port: node.port });
    return node;
  }

  /** Numbers of `event` that reached any node, in arrival order per node, nodes in start order. */
  arrivals(event: string): number[] {
    return this.nodes.flatMap((node) => node.arrivals.get(event) ?? []);
  }

  async stop(): Promise<void> {
    await this.emitter?.close();
    await this.balancer?.close();
    for (const node of this.nodes) await node.kill();
    await this.redis?.stop();
  }
}

test.describe.configure({ timeout: 90_000 });

/** Opens the tabs through the balancer; each connects socket "main" recording "tick". */
async function openTabs(context: import("@playwright/test").BrowserContext, url: string, pageErrors: string[]): Promise<Page[]> {
  const tabs = await Promise.all(
    range(0, TABS - 1).map(async (t) => {
      const page = await context.newPage();
      page.on("pageerror", (err) => pageErrors.push(`tab ${t}: ${err.message}`));
      await page.goto(url + FAULT_PAGE);
      return page;
    }),
  );
  await connectAll(tabs, "main", TAB_OPTIONS, ["tick"]);
  await until(async () => (await socketState(tabs[0], "main")).transport === "websocket", "the upgrade");
  return tabs;
}

/**
 * Runs the room broadcast and every tab's acked emits, applies `fault` mid-stream,
 * and returns what arrived where.
 */
async function underTraffic(cluster: Cluster, tabs: Page[], fault: () => Promise<void>) {
  const events = range(0, TABS - 1).map((t) => `up${t}`);
  const broadcaster = startBroadcaster(cluster.emitter!.io, { room: "room", event: "tick", total: TOTAL, perTick: 2, everyMs: 4 });
  const emitting = Promise.all(
    tabs.map((tab, t) => tab.evaluate((a) => window.faults.emitSteadily("main", a.event, 1, a.total, 10, 1, true), { event: events[t], total: EMITS })),
  );
  await until(async () => (await count(tabs[0], "main", "tick")) >= 300, "room events before the fault");
  const faultAt = Date.now();
  await fault();
  const faultMs = Date.now() - faultAt;
  await broadcaster.done;
  await emitting;
  await until(async () => (await Promise.all(tabs.map((tab) => settled(tab, "main")))).every((s) => s.length >= EMITS), "every ack", 30_000);
  return { events, faultMs };
}

async function reconnectsOf(tab: Page) {
  const log = await lifecycle(tab, "main");
  const drop = log.findIndex((e) => e.type === "disconnect");
  return drop < 0 ? [] : log.slice(drop).filter((e) => e.type === "connect");
}

for (const variant of ["failover", "restart"] as const) {
  const title =
    variant === "failover"
      ? "the node holding the connection leaves: tabs reconnect to the other node and recover — 0 room events lost; acked emits 0 lost"
      : "the only node's process restarts behind the balancer: tabs recover on the new process — 0 room events lost; acked emits 0 lost";
  test(title, async ({ context, pageErrors, watchWorker }) => {
    const cluster = new Cluster();
    try {
      await cluster.start(variant === "failover" ? ["A", "B"] : ["A"]);
      const tabs = await openTabs(context, cluster.balancer!.url, pageErrors);
      const worker = await watchWorker(tabs[0]);
      const [nodeA] = cluster.nodes;
      expect(nodeA.connections).toHaveLength(1);

      const { events, faultMs } = await underTraffic(cluster, tabs, async () => {
        await nodeA.terminate();
        if (variant === "restart") await cluster.addNode("A'");
      });
      const successor = cluster.nodes[1];
      await until(async () => (await Promise.all(tabs.map((tab) => numbers(tab, "main", "tick")))).every((got) => got.includes(TOTAL)), "the last room event in every tab", 30_000);
      await sleep(300);

      const ticks = await Promise.all(tabs.map((tab) => numbers(tab, "main", "tick")));
      const acks = await Promise.all(tabs.map((tab) => settled(tab, "main")));
      const arrivals = events.map((e) => cluster.arrivals(e));
      const reconnects = await Promise.all(tabs.map(reconnectsOf));
      // What the successor wrote twice (its replay of missed events and its live stream overlapping),
      // as opposed to what a client would have duplicated.
      const successorDuplicates = sequenceStats(TOTAL, successor.ticksSent).duplicated;
      await recordFigures(`redis streams adapter: ${variant === "failover" ? "node leaves, failover to the other node" : "node process restarts"} (${TABS} tabs)`, {
        file: "e2e/faults-redis.spec.ts",
        ...prefixed("roomEvents", streamsStats(TOTAL, ticks)),
        ...prefixed("emits", streamsStats(EMITS, arrivals)),
        acksSettled: acks.flat().length,
        acksFailed: acks.flat().filter(([, err]) => err !== null).length,
        roomEventsTheServerSentTwice: successorDuplicates,
        faultMs,
        recovered: reconnects.every((r) => r.length === 1 && r[0].type === "connect" && r[0].recovered),
        successorConnections: JSON.stringify(successor.connections.map((c) => (c.recovered ? "recovered" : "new"))),
      });

      expect(successor.connections).toEqual([expect.objectContaining({ recovered: true })]);
      for (const r of reconnects) expect(r).toEqual([expect.objectContaining({ type: "connect", recovered: true })]);
      // Every room event arrived, first arrivals in order; the only duplicates are those the server sent
      // (the adapter's known race, see docs/reliability.md) — none made on the client's side.
      for (const got of ticks) {
        // Seen once (an event missing in the restart variant, passed on retry): say whether any node wrote it.
        const missing = range(1, TOTAL).filter((n) => !got.includes(n));
        const writtenBy = (n: number) => cluster.nodes.filter((node) => node.ticksSent.includes(n)).map((node) => node.name);
        expect(firstArrivals(got), `missing ${JSON.stringify(missing.map((n) => ({ n, writtenBy: writtenBy(n) })))}`).toEqual(range(1, TOTAL));
        expect(sequenceStats(TOTAL, got).duplicated).toBe(successorDuplicates);
        if (successorDuplicates === 0) expect(exactlyOnceInOrder(TOTAL, got)).toBeNull();
      }
      expectAckedEmitsAtLeastOnce(EMITS, arrivals, acks);
      expect(pageErrors).toEqual([]);
      expect(worker.exceptions).toEqual([]);
    } finally {
      await cluster.stop();
    }
  });
}

test("the limit: a node killed outright (SIGKILL) saved no session — tabs reconnect to the other node unrecovered, say so, and lose only the gap", async ({
  context,
  pageErrors,
}) => {
  const cluster = new Cluster();
  try {
    await cluster.start(["A", "B"]);
    const tabs = await openTabs(context, cluster.balancer!.url, pageErrors);
    const [nodeA, nodeB] = cluster.nodes;
    const { events } = await underTraffic(cluster, tabs, () => nodeA.kill());
    // The last events reach every tab (those of the gap never will).
    await until(async () => (await Promise.all(tabs.map((tab) => numbers(tab, "main", "tick")))).every((got) => got.includes(TOTAL)), "the last room event");
    await sleep(300);

    const ticks = await Promise.all(tabs.map((tab) => numbers(tab, "main", "tick")));
    const reconnects = await Promise.all(tabs.map(reconnectsOf));
    const down = streamsStats(TOTAL, ticks);
    const arrivals = events.map((e) => cluster.arrivals(e));
    await recordFigures(`redis streams adapter: node killed (SIGKILL), failover without a saved session (${TABS} tabs)`, {
      file: "e2e/faults-redis.spec.ts",
      ...prefixed("roomEvents", down),
      ...prefixed("emits", streamsStats(EMITS, arrivals)),
      recovered: reconnects.every((r) => r.length === 1 && r[0].type === "connect" && r[0].recovered),
    });
    expect(nodeB.connections).toEqual([expect.objectContaining({ recovered: false })]);
    for (const r of reconnects) expect(r).toEqual([expect.objectContaining({ type: "connect", recovered: false })]);
    // What arrived is in order and once; the gap is lost (counted above), the rest flows again.
    expect(down).toMatchObject({ duplicated: 0, reordered: 0 });
    for (const got of ticks) expect(got[got.length - 1]).toBe(TOTAL);
    // Acked emits with retries are at-least-once even here: none lost.
    for (const got of arrivals) expect(sequenceStats(EMITS, got).lost).toBe(0);
    expect(pageErrors).toEqual([]);
  } finally {
    await cluster.stop();
  }
});
