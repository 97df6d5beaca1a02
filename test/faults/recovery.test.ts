// Network cut with the server's connectionStateRecovery on (issue 7, point 2):
// the server keeps broadcasting numbered room events through the cut and the
// client must see every one of them exactly once, in order, with
// `recovered === true` after the reconnection.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { io } from "../../src";
import { once } from "../helpers/server";
import { recordFigures, writeFigures } from "./figures";
import { crashCounters, FaultCleanup, serverBehindProxy, waitFor } from "./harness";
import { range, sequenceStats, type SequenceStats } from "./sequence";

const cleanup = new FaultCleanup();
afterEach(() => cleanup.run());
afterAll(() => writeFigures());

const TOTAL = 1_500;
/** Events per tick of the server's broadcaster (one tick every 2 ms). */
const BURST = 3;

interface Outcome {
  stats: SequenceStats;
  got: number[];
  recovered: boolean;
  recoveredOnServer: boolean[];
  reason: string;
  missedWhileAway: number;
}

/**
 * Connects, lets the broadcaster run, cuts, keeps the client out (until the
 * server noticed the cut, when `waitForServer`), lets it back, and counts.
 *
 * Over WebSocket the server sees the reset at once. Over polling it may have
 * no request open at the moment of the cut, and then only learns of it at its
 * ping timeout, as with a real network cut.
 */
async function cutUnderBroadcast(
  transport: "websocket" | "polling",
  waitForServer: boolean,
  ping = 150,
): Promise<Outcome> {
  const { server, proxy } = await serverBehindProxy(cleanup, {
    pingInterval: ping,
    pingTimeout: ping,
    connectionStateRecovery: { maxDisconnectionDuration: 10_000 },
  });
  const recoveredOnServer: boolean[] = [];
  server.io.on("connection", (remote) => {
    recoveredOnServer.push(remote.recovered);
    if (!remote.recovered) remote.join("room");
  });
  const socket = cleanup.socket(
    io(proxy.url, {
      forceNew: true,
      transports: [transport],
      reconnectionDelay: 20,
      reconnectionDelayMax: 20,
      randomizationFactor: 0,
    }),
  );
  const got: number[] = [];
  socket.on("tick", (n: number) => got.push(n));
  await once(socket, "connect");
  expect(socket.recovered).toBe(false);

  // The broadcaster runs on its own timer, blind to the client's state.
  let seq = 0;
  const broadcaster = setInterval(() => {
    for (let i = 0; i < BURST && seq < TOTAL; i++) server.io.to("room").emit("tick", ++seq);
    if (seq >= TOTAL) clearInterval(broadcaster);
  }, 2);

  await waitFor(() => got.length >= 200, 5_000, "events before the cut");
  const reasons: string[] = [];
  socket.on("disconnect", (reason) => reasons.push(reason));
  proxy.refuse(true);
  proxy.cut();
  await waitFor(() => reasons.length === 1, 5_000, "disconnect");
  // Keep the client out for a while: events pile up on the server meanwhile.
  await new Promise((r) => setTimeout(r, 100));
  if (waitForServer) await waitFor(() => server.io.of("/").sockets.size === 0, 5_000, "the server to notice the cut");
  const missedWhileAway = seq - got.length;
  proxy.refuse(false);
  await once(socket, "connect");
  const recovered = socket.recovered;
  await waitFor(() => seq >= TOTAL && got.includes(TOTAL), 10_000, `event ${TOTAL}`);
  // Anything duplicated or late would have arrived by now.
  await new Promise((r) => setTimeout(r, 100));
  return { stats: sequenceStats(TOTAL, got), got, recovered, recoveredOnServer, reason: reasons[0], missedWhileAway };
}

describe("network cut with connection state recovery", () => {
  for (const transport of ["websocket", "polling"] as const) {
    it(`over ${transport}: 0 room events lost or duplicated, recovered === true`, async () => {
      const crashes = crashCounters();
      const outcome = await cutUnderBroadcast(transport, true);
      recordFigures(`network cut with connectionStateRecovery (${transport})`, {
        file: "test/faults/recovery.test.ts",
        ...outcome.stats,
        missedWhileAway: outcome.missedWhileAway,
        recovered: outcome.recovered,
        disconnectReason: outcome.reason,
      });
      expect(["transport close", "transport error"]).toContain(outcome.reason);
      expect(outcome.missedWhileAway).toBeGreaterThan(0);
      expect(outcome.recovered).toBe(true);
      // First a fresh session, then only recoveries: a loaded machine may add a
      // ping timeout of its own, and that one must recover too.
      expect(outcome.recoveredOnServer[0]).toBe(false);
      expect(outcome.recoveredOnServer.length).toBeGreaterThanOrEqual(2);
      expect(outcome.recoveredOnServer.slice(1)).not.toContain(false);
      expect(outcome.stats).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
      expect(outcome.got).toEqual(range(1, TOTAL));
      expect(crashes.uncaught).toEqual([]);
      expect(crashes.unhandled).toEqual([]);
      crashes.dispose();
    });
  }

  // The limit of the protocol, measured: back before the server noticed the
  // cut, the client cannot resume (the server still holds the old session,
  // socket.io-client fares the same). The promise that holds: the client is
  // never told `recovered` when events were lost, and nothing arrives twice
  // or out of order.
  it("over polling, back before the server noticed: recovered tells the truth", async () => {
    // A ping timeout far beyond the client's absence.
    const outcome = await cutUnderBroadcast("polling", false, 2_000);
    recordFigures("network cut with connectionStateRecovery (polling, client back before the server noticed)", {
      file: "test/faults/recovery.test.ts",
      ...outcome.stats,
      missedWhileAway: outcome.missedWhileAway,
      recovered: outcome.recovered,
      disconnectReason: outcome.reason,
    });
    expect(outcome.recovered).toBe(outcome.recoveredOnServer[1]);
    if (outcome.recovered) expect(outcome.stats.lost).toBe(0);
    else expect(outcome.stats.lost).toBeGreaterThan(0);
    expect(outcome.stats).toMatchObject({ duplicated: 0, reordered: 0 });
  });
});
