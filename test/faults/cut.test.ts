// Network cut (issue 7, point 2): every connection is reset under a connected
// client. The client sees "transport close" or "transport error", reconnects
// on its own, and what it emitted while disconnected reaches the server once
// and in order. Every emit is numbered and counted on the server.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { io, type Socket } from "../../src";
import { once } from "../helpers/server";
import { recordFigures, writeFigures } from "./figures";
import { crashCounters, FaultCleanup, serverBehindProxy, waitFor } from "./harness";
import { range, sequenceStats } from "./sequence";

const cleanup = new FaultCleanup();
afterEach(() => cleanup.run());
afterAll(() => writeFigures());

const FAST_RECONNECT = { reconnectionDelay: 30, reconnectionDelayMax: 30, randomizationFactor: 0 };
const CUT_REASONS = ["transport close", "transport error"];

/** Waits until the engine runs on `name` (the upgrade to WebSocket is done). */
async function onTransport(socket: Socket, name: string): Promise<void> {
  await waitFor(() => socket.io.engine?.transport?.name === name && socket.connected, 5_000, `transport ${name}`);
}

describe("network cut", () => {
  for (const transport of ["websocket", "polling"] as const) {
    it(`over ${transport}: transport close/error, reconnect, emits buffered meanwhile arrive once and in order`, async () => {
      const crashes = crashCounters();
      const { server, proxy } = await serverBehindProxy(cleanup, { pingInterval: 1_000, pingTimeout: 1_000 });
      const received: number[] = [];
      server.io.on("connection", (remote) => remote.on("n", (n: number) => received.push(n)));
      const socket = cleanup.socket(
        io(proxy.url, {
          forceNew: true,
          ...FAST_RECONNECT,
          transports: transport === "polling" ? ["polling"] : ["polling", "websocket"],
        }),
      );
      await once(socket, "connect");
      await onTransport(socket, transport);

      // Phase 1, connected: 1..100 arrive before the cut.
      for (const n of range(1, 100)) socket.emit("n", n);
      await waitFor(() => received.length === 100, 5_000, "the first 100 emits");

      // Phase 2, the cut. New connections are refused for a while, so the
      // client stays disconnected long enough to buffer emits and fail a few
      // reconnection attempts.
      const reasons: string[] = [];
      const connectErrors: string[] = [];
      socket.on("disconnect", (reason) => {
        reasons.push(reason);
        // emitted from the disconnect listener itself: the earliest possible buffering
        for (const n of range(101, 150)) socket.emit("n", n);
      });
      socket.on("connect_error", (err) => connectErrors.push(err.message));
      proxy.refuse(true);
      const cutAt = Date.now();
      expect(proxy.cut()).toBeGreaterThan(0);
      await waitFor(() => reasons.length === 1, 5_000, "disconnect");
      const detectedMs = Date.now() - cutAt;
      expect(CUT_REASONS).toContain(reasons[0]);
      expect(socket.connected).toBe(false);
      expect(socket.active).toBe(true);
      await waitFor(() => connectErrors.length >= 2, 5_000, "failed reconnection attempts");
      for (const n of range(151, 200)) socket.emit("n", n);

      // Phase 3, the network is back: the Manager reconnects by itself.
      const reconnected = once<[number]>(socket.io, "reconnect");
      proxy.refuse(false);
      const [attempts] = await reconnected;
      await waitFor(() => socket.connected, 5_000, "connect");
      for (const n of range(201, 250)) socket.emit("n", n);
      await waitFor(() => received.length >= 250, 5_000, "all 250 emits");
      // Anything duplicated would have arrived by now.
      await new Promise((r) => setTimeout(r, 100));

      const stats = sequenceStats(250, received);
      recordFigures(`network cut (${transport})`, {
        file: "test/faults/cut.test.ts",
        ...stats,
        bufferedWhileDisconnected: 100,
        disconnectReason: reasons[0],
        detectedMs,
        reconnectAttempts: attempts,
        serverConnections: server.connectionsAccepted(),
      });
      expect(received).toEqual(range(1, 250));
      expect(stats).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
      expect(reasons).toHaveLength(1);
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(crashes.uncaught).toEqual([]);
      expect(crashes.unhandled).toEqual([]);
      crashes.dispose();
    });
  }

  it("emits with ackTimeout + retries through a cut: 0 lost, every ack settles, duplicates counted", async () => {
    const { server, proxy } = await serverBehindProxy(cleanup, { pingInterval: 1_000, pingTimeout: 1_000 });
    const arrivals: number[] = [];
    server.io.on("connection", (remote) =>
      remote.on("r", (n: number, ack: (answer: number) => void) => {
        arrivals.push(n);
        ack(n);
      }),
    );
    const socket = cleanup.socket(
      io(proxy.url, { forceNew: true, transports: ["websocket"], ...FAST_RECONNECT, ackTimeout: 150, retries: 50 }),
    );
    await once(socket, "connect");
    const TOTAL = 300;
    const settled = new Map<number, { err: Error | null; answer?: number }>();
    let sent = 0;
    // A steady stream: one emit every 2 ms, whatever the connection is doing.
    const stream = setInterval(() => {
      if (sent >= TOTAL) return clearInterval(stream);
      const n = ++sent;
      socket.emit("r", n, (err: Error | null, answer?: number) => settled.set(n, { err, answer }));
    }, 2);
    await waitFor(() => arrivals.length >= 60, 5_000, "the stream to start");
    proxy.refuse(true);
    proxy.cut();
    await once(socket, "disconnect");
    await new Promise((r) => setTimeout(r, 150));
    proxy.refuse(false);
    await waitFor(() => settled.size === TOTAL, 15_000, "every ack");

    const firstArrivals = arrivals.filter((n, i) => arrivals.indexOf(n) === i);
    const stats = sequenceStats(TOTAL, arrivals);
    recordFigures("network cut, emits with ackTimeout + retries (websocket)", {
      file: "test/faults/cut.test.ts",
      ...stats,
      acksSettled: settled.size,
      acksFailed: [...settled.values()].filter((s) => s.err).length,
    });
    expect(stats.lost).toBe(0);
    expect(firstArrivals).toEqual(range(1, TOTAL));
    for (const [n, outcome] of settled) expect(outcome).toEqual({ err: null, answer: n });
  });
});
