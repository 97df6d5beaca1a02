// WebSocket blocked (issue 7, point 3): a proxy that answers every WebSocket
// upgrade with 400, as some corporate proxies do. The connection must work
// over polling, and `transports: ["websocket", "polling"]` with
// `tryAllTransports` must fall back to polling.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { io, type Socket } from "../../src";
import type { TestServer } from "../helpers/server";
import { once, sleep } from "../helpers/server";
import { recordFigures, writeFigures } from "./figures";
import { FaultCleanup, serverBehindProxy, waitFor } from "./harness";
import { range, sequenceStats, type SequenceStats } from "./sequence";

const cleanup = new FaultCleanup();
afterEach(() => cleanup.run());
afterAll(() => writeFigures());

const FAST = { forceNew: true, reconnectionDelay: 30, reconnectionDelayMax: 30, randomizationFactor: 0 };

/** The server side of {@link exchange}: acks each "up" and echoes it back as "down". Returns what it got. */
function serveExchange(server: TestServer): number[] {
  const up: number[] = [];
  server.io.on("connection", (remote) =>
    remote.on("up", (n: number, ack: (n: number) => void) => {
      up.push(n);
      ack(n);
      remote.emit("down", n);
    }),
  );
  return up;
}

/** Numbered traffic both ways: the client emits 1..count. Returns what each side got. */
async function exchange(up: number[], socket: Socket, count: number) {
  const down: number[] = [];
  const acked: number[] = [];
  socket.on("down", (n: number) => down.push(n));
  for (const n of range(1, count)) socket.emit("up", n, (echo: number) => acked.push(echo));
  await waitFor(() => down.length >= count && acked.length >= count, 5_000, "the exchange");
  await sleep(50);
  return { up: sequenceStats(count, up), down: sequenceStats(count, down), acked: sequenceStats(count, acked) };
}

type ExchangeResult = Awaited<ReturnType<typeof exchange>>;

/** Records the figures of one scenario's exchange for docs/reliability.md. */
function recordExchange(title: string, result: ExchangeResult, upgradesBlocked: number, socket: Socket): void {
  recordFigures(title, {
    file: "test/faults/websocket-blocked.test.ts",
    ...result.up,
    serverToClientReceived: result.down.received,
    serverToClientLost: result.down.lost,
    acksReceived: result.acked.received,
    upgradesBlocked,
    transport: socket.io.engine.transport.name,
  });
}

function expectPerfect(...all: SequenceStats[]): void {
  for (const stats of all) expect(stats).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
}

describe("WebSocket upgrades blocked", () => {
  it("polling first (the default): the connection stays on polling and works", async () => {
    const { server, proxy } = await serverBehindProxy(cleanup);
    const up = serveExchange(server);
    proxy.blockWebSocketUpgrades(true);
    const socket = cleanup.socket(io(proxy.url, FAST));
    const upgradeErrors: Error[] = [];
    // The probe starts right after the handshake: listen from the engine's "open" on.
    socket.io.on("open", () => socket.io.engine.on("upgradeError", (err) => upgradeErrors.push(err)));
    await once(socket, "connect");
    await waitFor(() => proxy.counters().upgradesBlocked >= 1, 5_000, "the upgrade attempt");
    await waitFor(() => upgradeErrors.length >= 1, 5_000, "upgradeError");
    const result = await exchange(up, socket, 200);
    expect(socket.io.engine.transport.name).toBe("polling");
    expect(socket.connected).toBe(true);
    expectPerfect(result.up, result.down, result.acked);
    recordExchange("websocket blocked, default transports (stays on polling)", result, proxy.counters().upgradesBlocked, socket);
  });

  it('transports ["websocket", "polling"] + tryAllTransports: falls back to polling', async () => {
    const { server, proxy } = await serverBehindProxy(cleanup);
    const up = serveExchange(server);
    proxy.blockWebSocketUpgrades(true);
    const socket = cleanup.socket(io(proxy.url, { ...FAST, transports: ["websocket", "polling"], tryAllTransports: true }));
    const errors: string[] = [];
    socket.on("connect_error", (err) => errors.push(err.message));
    await once(socket, "connect");
    expect(errors).toEqual([]);
    expect(socket.io.engine.transport.name).toBe("polling");
    expect(proxy.counters().upgradesBlocked).toBe(1);
    const result = await exchange(up, socket, 200);
    expectPerfect(result.up, result.down, result.acked);
    expect(socket.io.engine.transport.name).toBe("polling");
    recordExchange("websocket blocked, websocket first + tryAllTransports (falls back to polling)", result, proxy.counters().upgradesBlocked, socket);
  });

  it('transports ["websocket", "polling"] without tryAllTransports: connect_error, then WebSocket once unblocked', async () => {
    const { server, proxy } = await serverBehindProxy(cleanup);
    const up = serveExchange(server);
    proxy.blockWebSocketUpgrades(true);
    const socket = cleanup.socket(io(proxy.url, { ...FAST, transports: ["websocket", "polling"] }));
    const [err] = await once<[Error]>(socket, "connect_error");
    expect(err).toBeInstanceOf(Error);
    expect(socket.connected).toBe(false);
    expect(server.connectionsAccepted()).toBe(0);
    proxy.blockWebSocketUpgrades(false);
    await once(socket, "connect");
    expect(socket.io.engine.transport.name).toBe("websocket");
    const result = await exchange(up, socket, 50);
    expectPerfect(result.up, result.down, result.acked);
  });
});
