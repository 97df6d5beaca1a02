// Fuzzed server input (issue 7, point 6; DESIGN §7): well over 1000 generated
// malformed Engine.IO / Socket.IO frames reach the core over several lanes at
// once. Nothing may throw out of the core; each connection must end the way
// its closing case says ("parse error" for Socket.IO-level garbage,
// "transport error" for Engine.IO-level garbage, connect_error for a garbage
// handshake) after surviving the cases it must ignore; the Manager must
// reconnect every time; and a bystander Manager to another server in the
// same process keeps exchanging acknowledged messages throughout.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { io, type ManagerOptions } from "../../src";
import { startServer } from "../helpers/server";
import { recordFigures, writeFigures } from "./figures";
import { casesOf, generateFuzzCases, planConnections, type ConnectionPlan, type FuzzCase } from "./fuzz";
import { FuzzClient, mismatches } from "./fuzz-client";
import { serveServerChannel, servePollingChannel, serveWsChannel, type DriverLog } from "./fuzz-drivers";
import { crashCounters, FaultCleanup, waitFor } from "./harness";
import { sequenceStats } from "./sequence";

/** Replay a failure with FUZZ_SEED=<seed>; FUZZ_COUNT raises the number of cases. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_707);
const COUNT = Math.max(1_000, Number(process.env.FUZZ_COUNT ?? 1_200));
/** Every this many server-channel plans, one goes through the (slower) polling → WebSocket upgrade. */
const UPGRADE_EVERY = 25;
const RUN_BUDGET_MS = 50_000;

const cleanup = new FaultCleanup();
afterEach(() => cleanup.run());
afterAll(() => writeFigures());

function tally(cases: readonly FuzzCase[], key: (c: FuzzCase) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of cases) counts[key(c)] = (counts[key(c)] ?? 0) + 1;
  return counts;
}

/** One client under fire and what it is given. */
interface Lane {
  name: string;
  plans: ConnectionPlan[];
  client: FuzzClient;
  log: DriverLog;
}

describe("fuzzed server input", () => {
  it(`${COUNT} malformed frames (seed ${SEED}): no uncaught exception, each connection ends as it must and reconnects, a bystander keeps working`, async () => {
    const crashes = crashCounters();
    const startedAt = Date.now();
    const cases = generateFuzzCases(SEED, COUNT);

    // Socket.IO-level cases from a real server, split over three lanes (three clients).
    const sio = cleanup.closer(await startServer({ pingInterval: 60_000, pingTimeout: 60_000 }));
    const serverPlans = planConnections(casesOf(cases, "server"));
    const lanes: Lane[] = [];
    const serverLane = (name: string, opts: Partial<ManagerOptions>, pick: (i: number) => boolean, afterUpgrade = false) => {
      const plans = serverPlans.filter((_, i) => pick(i));
      const log = serveServerChannel(sio.io, plans, name, afterUpgrade);
      lanes.push({ name: `server/${name}`, plans, log, client: new FuzzClient(sio.url, { ...opts, query: { lane: name } }) });
    };
    const upgradeLane = (i: number) => i % UPGRADE_EVERY === 0;
    serverLane("polling", { transports: ["polling"] }, (i) => !upgradeLane(i) && i % 2 === 0);
    serverLane("websocket", { transports: ["websocket"] }, (i) => !upgradeLane(i) && i % 2 === 1);
    serverLane("upgrade", { transports: ["polling", "websocket"] }, upgradeLane, true);

    // Engine.IO-level (and wrapped Socket.IO-level) cases from scripted responders.
    const wsPlans = planConnections(casesOf(cases, "ws"));
    const ws = await serveWsChannel(wsPlans);
    cleanup.closer(ws.raw);
    lanes.push({ name: "raw/websocket", plans: wsPlans, log: ws.log, client: new FuzzClient(ws.raw.url, { transports: ["websocket"] }) });
    const pollPlans = planConnections(casesOf(cases, "polling"));
    const polling = await servePollingChannel(pollPlans);
    cleanup.closer(polling.raw);
    lanes.push({ name: "raw/polling", plans: pollPlans, log: polling.log, client: new FuzzClient(polling.raw.url, { transports: ["polling"] }) });

    // The bystander: another server, another Manager, acknowledged traffic all along.
    const quiet = cleanup.closer(await startServer());
    quiet.io.on("connection", (remote) => remote.on("echo", (n: number, ack: (n: number) => void) => ack(n)));
    const bystander = cleanup.socket(io(quiet.url, { forceNew: true }));
    await new Promise<void>((resolve) => bystander.once("connect", () => resolve()));
    const bystanderReasons: string[] = [];
    bystander.on("disconnect", (reason) => bystanderReasons.push(reason));
    const acked: number[] = [];
    const ackTimes: number[] = [];
    let bystanderSent = 0;
    const bystanderLoop = setInterval(() => {
      bystander.timeout(5_000).emit("echo", ++bystanderSent, (err: Error | null, n: number) => {
        if (err) return;
        acked.push(n);
        ackTimes.push(Date.now());
      });
    }, 5);

    try {
      for (const lane of lanes) {
        const done = () => lane.client.outcomes.length >= lane.plans.length && lane.client.connected;
        await waitFor(done, Math.max(1_000, RUN_BUDGET_MS - (Date.now() - startedAt)), `${lane.name}: ${lane.plans.length} connections`).catch((err: Error) => {
          const detail = mismatches(lane.name, lane.plans, lane.client).slice(0, 3);
          throw new Error(`${err.message}, got ${lane.client.outcomes.length}\n${JSON.stringify(detail, null, 2)}`);
        });
      }
    } finally {
      clearInterval(bystanderLoop);
      for (const lane of lanes) lane.client.close();
    }
    await waitFor(() => acked.length === bystanderSent, 5_000, "the bystander's last acks");
    const durationMs = Date.now() - startedAt;

    // Every connection ended as its closing case says, after surviving its ignored cases.
    const wrong = lanes.flatMap((lane) => mismatches(lane.name, lane.plans, lane.client));
    expect(wrong).toEqual([]);
    for (const lane of lanes) {
      expect({ lane: lane.name, stalled: lane.log.stalled }).toEqual({ lane: lane.name, stalled: [] });
      // Nothing a case carried reached the application.
      expect({ lane: lane.name, unexpected: lane.client.unexpected }).toEqual({ lane: lane.name, unexpected: [] });
      // Exactly one outcome per plan, and the Manager came back after each: every
      // successful open but the very first is a "reconnect" (failed handshakes
      // are retried within the same reconnection), the last one is the idle
      // connection after the plans (the wait above required it to be connected).
      expect(lane.client.outcomes).toHaveLength(lane.plans.length);
      const opens = lane.plans.filter((plan) => plan.closing.stage === "session").length + 1;
      const initialOpened = lane.plans[0].closing.stage === "session";
      expect({ lane: lane.name, reconnects: lane.client.reconnects }).toEqual({ lane: lane.name, reconnects: opens - (initialOpened ? 1 : 0) });
    }

    // The bystander never noticed.
    const stats = sequenceStats(bystanderSent, acked);
    const longestGapMs = Math.max(0, ...ackTimes.slice(1).map((t, i) => t - ackTimes[i]));
    expect(bystanderReasons).toEqual([]);
    expect(stats).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(bystander.connected).toBe(true);
    expect(longestGapMs).toBeLessThan(2_000);

    expect(crashes.uncaught).toEqual([]);
    expect(crashes.unhandled).toEqual([]);
    crashes.dispose();

    recordFigures("fuzzed server input", {
      file: "test/faults/fuzz.test.ts",
      seed: SEED,
      frames: cases.length,
      connections: lanes.reduce((sum, lane) => sum + lane.plans.length, 0),
      mismatches: wrong.length,
      uncaughtExceptions: crashes.uncaught.length,
      unhandledRejections: crashes.unhandled.length,
      durationMs,
      byLayer: JSON.stringify(tally(cases, (c) => c.layer)),
      byExpectation: JSON.stringify(tally(cases, (c) => c.expect)),
      byLane: JSON.stringify(Object.fromEntries(lanes.map((lane) => [lane.name, lane.plans.length]))),
    });
    recordFigures("fuzzed server input: bystander Manager", {
      file: "test/faults/fuzz.test.ts",
      ...stats,
      disconnects: bystanderReasons.length,
      longestGapMs,
    });
  }, 60_000);
});
