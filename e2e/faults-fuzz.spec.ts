/**
 * Fuzzed server input in the browser (issue 7, point 6; DESIGN §7): the
 * Node suite's generator (test/faults/fuzz*.ts, same seed, same cases) feeds
 * well over 1000 malformed Engine.IO / Socket.IO frames to Managers that live
 * in the SharedWorker, over six lanes at once:
 *   - a real socket.io server sends Socket.IO-level garbage (over polling,
 *     over WebSocket, and after an upgrade), reached through the fault proxy;
 *   - a scripted Engine.IO responder sends raw WebSocket messages and raw
 *     polling bodies (the latter through a forwarder that adds CORS headers).
 * Each connection must end as its closing case says ("parse error",
 * "transport error", or a failed attempt) after surviving the cases it must
 * ignore; every lane reconnects; a bystander Manager in the same worker keeps
 * exchanging acknowledged messages; nothing throws in a tab or in the worker
 * (the worker's exceptions are read over CDP, see e2e/faults/worker-errors.ts).
 *
 * FUZZ_SEED=<n> replays a run; FUZZ_COUNT=<n> (≥ 1000) changes its size.
 */
import type { Page } from "@playwright/test";
import { test, expect } from "./faults/fixture";
import { recordFigures } from "./faults/figures";
import { startCorsForwarder } from "./faults/cors-forwarder";
import { exactlyOnceInOrder, sequenceStats } from "./faults/counting";
import { connect, lifecycle, settled, tabErrors, until } from "./faults/tabs";
import type { FuzzReport } from "./faults/page-types";
import { casesOf, generateFuzzCases, planConnections, type ConnectionPlan, type FuzzCase } from "../test/faults/fuzz";
import { serveServerChannel, servePollingChannel, serveWsChannel, type DriverLog } from "../test/faults/fuzz-drivers";

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_707);
const COUNT = Math.max(1_000, Number(process.env.FUZZ_COUNT ?? 1_200));
/** Every this many server-channel plans, one goes through the (slower) polling → WebSocket upgrade. */
const UPGRADE_EVERY = 25;
/** Reconnect at once: the run makes hundreds of connections. */
const LANE_OPTIONS = { reconnectionDelay: 1, reconnectionDelayMax: 1, randomizationFactor: 0, timeout: 5_000 };

test.use({ serverOptions: { io: { pingInterval: 60_000, pingTimeout: 60_000 } } });

interface Lane {
  name: string;
  tab: Page;
  plans: ConnectionPlan[];
  log: DriverLog;
}

const report = (lane: Lane): Promise<FuzzReport> => lane.tab.evaluate((key) => window.faults.fuzzReport(key), lane.name);

const describeCase = (c: FuzzCase) => `#${c.id} ${c.layer}/${c.kind} (${c.note})`;

/** Connections that did not end as their plan says. */
function mismatches(lane: Lane, seen: FuzzReport) {
  const probes = new Set(seen.probes);
  return lane.plans.flatMap((plan, index) => {
    const observed = seen.outcomes[index] ?? "(nothing)";
    const probeAcked = probes.has(index);
    if (observed === plan.closing.expect && probeAcked === (plan.closing.stage === "session")) return [];
    return [{ lane: lane.name, connection: index, expected: plan.closing.expect, observed, probeAcked, closing: describeCase(plan.closing), ignored: plan.ignored.map(describeCase) }];
  });
}

test(`${COUNT} malformed frames (seed ${SEED}) into Managers of the SharedWorker: no uncaught exception anywhere, each connection ends as it must and reconnects, a bystander Manager keeps working`, async ({
  server,
  faultProxy: proxy,
  openFaultTabs,
  pageErrors,
  watchWorker,
}) => {
  test.setTimeout(180_000);
  const cases = generateFuzzCases(SEED, COUNT);
  const [serverTab, rawTab] = await openFaultTabs(2);
  const lanes: Lane[] = [];

  // Socket.IO-level cases from the real server, over four lanes.
  const serverPlans = planConnections(casesOf(cases, "server"));
  const upgradeLane = (i: number) => i % UPGRADE_EVERY === 0;
  const serverLanes: Array<[string, string[], (i: number) => boolean]> = [
    // Polling connections take the longest: two lanes share them.
    ["polling-a", ["polling"], (i) => !upgradeLane(i) && i % 4 === 0],
    ["polling-b", ["polling"], (i) => !upgradeLane(i) && i % 4 === 2],
    ["websocket", ["websocket"], (i) => !upgradeLane(i) && i % 2 === 1],
    ["upgrade", ["polling", "websocket"], upgradeLane],
  ];
  for (const [name, transports, pick] of serverLanes) {
    const plans = serverPlans.filter((_, i) => pick(i));
    const log = serveServerChannel(server.io, plans, name, name === "upgrade");
    lanes.push({ name: `server/${name}`, tab: serverTab, plans, log });
    await serverTab.evaluate((a) => window.faults.fuzzLane(a.key, a.url, a.opts), {
      key: `server/${name}`,
      url: proxy.url,
      opts: { ...LANE_OPTIONS, transports, query: { lane: name } },
    });
  }

  // Engine.IO-level (and wrapped Socket.IO-level) cases from the scripted responder.
  const wsPlans = planConnections(casesOf(cases, "ws"));
  const ws = await serveWsChannel(wsPlans);
  const pollPlans = planConnections(casesOf(cases, "polling"));
  const polling = await servePollingChannel(pollPlans);
  const cors = await startCorsForwarder({ port: polling.raw.port });
  try {
    lanes.push({ name: "raw/websocket", tab: rawTab, plans: wsPlans, log: ws.log });
    await rawTab.evaluate((a) => window.faults.fuzzLane("raw/websocket", a.url, a.opts), { url: ws.raw.url, opts: { ...LANE_OPTIONS, transports: ["websocket"] } });
    lanes.push({ name: "raw/polling", tab: rawTab, plans: pollPlans, log: polling.log });
    await rawTab.evaluate((a) => window.faults.fuzzLane("raw/polling", a.url, a.opts), { url: cors.url, opts: { ...LANE_OPTIONS, transports: ["polling"] } });

    // The bystander: another Manager of the same worker, acknowledged traffic all along.
    server.io.on("connection", (socket) => {
      if (socket.handshake.query.lane === "bystander") socket.on("echo", (n: number, ack: (n: number) => void) => ack(n));
    });
    await connect(rawTab, "bystander", { url: proxy.url, query: { lane: "bystander" } });
    const worker = await watchWorker(rawTab);
    const startedAt = Date.now();
    const laneMs: Record<string, number> = {};
    let bystanderSent = 0;
    await rawTab.evaluate(() => window.faults.pulseStart("bystander", "echo", 10, 10_000));

    try {
      await Promise.all(
        lanes.map(async (lane) => {
          await until(async () => {
            const seen = await report(lane);
            return seen.outcomes.length >= lane.plans.length && seen.connected;
          }, `${lane.name}: ${lane.plans.length} connections`, 150_000).catch(async (err: Error) => {
            const seen = await report(lane);
            throw new Error(`${err.message}, got ${seen.outcomes.length}\n${JSON.stringify(mismatches(lane, seen).slice(0, 3), null, 2)}`);
          });
          laneMs[lane.name] = Date.now() - startedAt;
        }),
      );
    } finally {
      bystanderSent = await rawTab.evaluate(() => window.faults.pulseStop("bystander"));
      for (const lane of lanes) await lane.tab.evaluate((key) => window.faults.fuzzStop(key), lane.name);
    }
    const durationMs = Date.now() - startedAt;
    await until(async () => (await settled(rawTab, "bystander")).length >= bystanderSent, "the bystander's last acks");

    const seen = await Promise.all(lanes.map(report));
    const wrong = lanes.flatMap((lane, i) => mismatches(lane, seen[i]));
    const acks = await settled(rawTab, "bystander");
    const acked = acks.filter(([, err]) => err === null).map(([n]) => n);
    const bystander = sequenceStats(bystanderSent, acked);
    const bystanderDrops = (await lifecycle(rawTab, "bystander")).filter((e) => e.type === "disconnect");
    const errorsInTabs = [...pageErrors, ...(await tabErrors(serverTab)), ...(await tabErrors(rawTab))];

    await recordFigures("fuzzed server input into the SharedWorker", {
      file: "e2e/faults-fuzz.spec.ts",
      seed: SEED,
      frames: cases.length,
      connections: lanes.reduce((sum, lane) => sum + lane.plans.length, 0),
      mismatches: wrong.length,
      uncaughtInTabs: errorsInTabs.length,
      uncaughtInWorker: worker.exceptions.length,
      durationMs,
      byLane: JSON.stringify(Object.fromEntries(lanes.map((lane) => [lane.name, lane.plans.length]))),
      msByLane: JSON.stringify(laneMs),
    });
    await recordFigures("fuzzed server input: bystander Manager in the same worker", {
      file: "e2e/faults-fuzz.spec.ts",
      ...bystander,
      disconnects: bystanderDrops.length,
    });

    expect(wrong).toEqual([]);
    lanes.forEach((lane, i) => {
      expect({ lane: lane.name, stalled: lane.log.stalled }).toEqual({ lane: lane.name, stalled: [] });
      expect({ lane: lane.name, unexpected: seen[i].unexpected }).toEqual({ lane: lane.name, unexpected: [] });
      expect(seen[i].outcomes).toHaveLength(lane.plans.length);
      // Back after each connection: every successful open but the first is a reconnect.
      const opens = lane.plans.filter((plan) => plan.closing.stage === "session").length + 1;
      const initialOpened = lane.plans[0].closing.stage === "session";
      expect({ lane: lane.name, reconnects: seen[i].reconnects }).toEqual({ lane: lane.name, reconnects: opens - (initialOpened ? 1 : 0) });
    });
    expect(bystanderDrops).toEqual([]);
    expect(exactlyOnceInOrder(bystanderSent, acked)).toBeNull();
    expect(errorsInTabs).toEqual([]);
    expect(worker.exceptions).toEqual([]);
  } finally {
    await cors.close();
    await polling.raw.close();
    await ws.raw.close();
  }
});
