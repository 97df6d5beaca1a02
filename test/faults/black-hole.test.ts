// Black hole (issue 7, point 4): the connection stays open but nothing gets
// through, either way, and nobody is told. The client must see "ping
// timeout" within pingInterval + pingTimeout (plus a small margin), keep
// trying while the hole lasts, and reconnect once traffic flows again.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { io } from "../../src";
import { once } from "../helpers/server";
import { recordFigures, writeFigures } from "./figures";
import { crashCounters, FaultCleanup, serverBehindProxy, waitFor } from "./harness";
import { range, sequenceStats } from "./sequence";

const cleanup = new FaultCleanup();
afterEach(() => cleanup.run());
afterAll(() => writeFigures());

const PING_INTERVAL = 200;
const PING_TIMEOUT = 200;
/** Timer slack on a busy 2-core machine. */
const MARGIN = 300;
/** The Manager's connect timeout: attempts into the hole give up after this. */
const CONNECT_TIMEOUT = 400;

describe("black hole", () => {
  for (const transport of ["websocket", "polling"] as const) {
    it(`over ${transport}: ping timeout in time, reconnect when traffic flows, only the emits into the silence are lost`, async () => {
      const crashes = crashCounters();
      const { server, proxy } = await serverBehindProxy(cleanup, {
        pingInterval: PING_INTERVAL,
        pingTimeout: PING_TIMEOUT,
      });
      const received: number[] = [];
      server.io.on("connection", (remote) => remote.on("n", (n: number) => received.push(n)));
      const socket = cleanup.socket(
        io(proxy.url, {
          forceNew: true,
          transports: [transport],
          reconnectionDelay: 50,
          reconnectionDelayMax: 50,
          randomizationFactor: 0,
          timeout: CONNECT_TIMEOUT,
        }),
      );
      await once(socket, "connect");
      await once(socket.io, "ping");

      // A steady stream of numbered emits, whatever the connection is doing.
      let sent = 0;
      let sentAtDisconnect = -1;
      const stream = setInterval(() => socket.emit("n", ++sent), 10);
      await waitFor(() => received.length >= 10, 5_000, "traffic");

      const reasons: string[] = [];
      const connectErrors: string[] = [];
      socket.on("disconnect", (reason) => {
        reasons.push(reason);
        sentAtDisconnect = sent;
      });
      socket.on("connect_error", (err) => connectErrors.push(err.message));
      const deliveredBefore = Math.max(...received);
      proxy.blackhole(true);
      const holeAt = Date.now();
      await waitFor(() => reasons.length === 1, PING_INTERVAL + PING_TIMEOUT + 2_000, "disconnect");
      const detectedMs = Date.now() - holeAt;
      expect(reasons[0]).toBe("ping timeout");
      expect(detectedMs).toBeLessThanOrEqual(PING_INTERVAL + PING_TIMEOUT + MARGIN);
      // Not a close of some other kind: the silence lasted about pingTimeout at
      // least (the last ping may have come up to a pingInterval, plus the
      // server's timer slack, before the hole opened).
      expect(detectedMs).toBeGreaterThanOrEqual(PING_TIMEOUT / 2);

      // Reconnection attempts fall into the hole too and time out.
      await waitFor(() => connectErrors.length >= 1, CONNECT_TIMEOUT + 2_000, "an attempt into the hole");
      expect(socket.connected).toBe(false);
      proxy.blackhole(false);
      const liftedAt = Date.now();
      await once(socket, "connect", 5_000);
      const reconnectMs = Date.now() - liftedAt;
      await waitFor(() => received.length > 0 && Math.max(...received) > sent - 5, 5_000, "traffic after the hole");
      clearInterval(stream);
      await waitFor(() => received.includes(sent), 5_000, "the last emit");
      await new Promise((r) => setTimeout(r, 50));

      const stats = sequenceStats(sent, received);
      const lostNumbers = range(1, sent).filter((n) => !received.includes(n));
      recordFigures(`black hole (${transport})`, {
        file: "test/faults/black-hole.test.ts",
        ...stats,
        sentIntoTheSilence: sentAtDisconnect - deliveredBefore,
        detectedMs,
        pingInterval: PING_INTERVAL,
        pingTimeout: PING_TIMEOUT,
        attemptsIntoTheHole: connectErrors.length,
        reconnectMsAfterLift: reconnectMs,
      });
      // At most once without acks: what was written into the silence, before
      // the client knew, may be gone; nothing else is, nothing arrives twice.
      for (const n of lostNumbers) {
        expect(n).toBeGreaterThan(deliveredBefore);
        expect(n).toBeLessThanOrEqual(sentAtDisconnect);
      }
      expect(stats).toMatchObject({ duplicated: 0, reordered: 0 });
      // Emits made while disconnected were buffered and all arrived.
      expect(received.filter((n) => n > sentAtDisconnect)).toEqual(range(sentAtDisconnect + 1, sent));
      expect(crashes.uncaught).toEqual([]);
      expect(crashes.unhandled).toEqual([]);
      crashes.dispose();
    });
  }
});
