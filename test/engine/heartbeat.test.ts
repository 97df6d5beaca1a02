import { afterEach, describe, expect, it } from "vitest";
import type { EngineTimers } from "../../src/engine/env";
import { once, sleep } from "../helpers/server";
import { openPacket, startRawEngineServer, type RawEngineServer } from "../helpers/raw-engine-server";
import { closed, connect, startEngineServer, waitFor, type EngineTestServer } from "./helpers";

/** Timers that never fire, like those of a suspended machine or a frozen tab. */
function suspendedTimers(): EngineTimers & { pending: number } {
  const timers = {
    pending: 0,
    setTimeout: () => {
      timers.pending++;
      return timers.pending;
    },
    clearTimeout: () => {},
  };
  return timers;
}

describe("heartbeat", () => {
  let server: EngineTestServer | undefined;
  let raw: RawEngineServer | undefined;
  afterEach(async () => {
    await server?.close();
    await raw?.close();
    server = undefined;
    raw = undefined;
  });

  for (const transport of ["polling", "websocket"]) {
    it(`answers server pings with pongs over ${transport} and stays open`, async () => {
      // A generous pingTimeout: a loaded machine may answer late, and that is not what this tests.
      server = await startEngineServer({ pingInterval: 60, pingTimeout: 2_000 });
      const engine = connect(server, { transports: [transport] });
      let pings = 0;
      engine.on("ping", () => pings++);
      const pongs: string[] = [];
      engine.on("packetCreate", (packet) => pongs.push(packet.type));
      const remote = await server.nextSocket();
      let serverHeartbeats = 0;
      remote.on("heartbeat", () => serverHeartbeats++);
      const closes: string[] = [];
      engine.on("close", (reason) => closes.push(reason));
      // The server sends its next ping only once the previous one got its
      // pong: four pings prove three pongs arrived. Waiting for them (rather
      // than for a fixed time) keeps the test right on a loaded machine.
      await waitFor(() => (pings >= 4 && serverHeartbeats >= 4) || closes.length > 0, 10_000);
      expect(closes).toEqual([]);
      expect(pings).toBeGreaterThanOrEqual(4);
      expect(pongs.filter((t) => t === "pong").length).toBe(pings);
      expect(serverHeartbeats).toBeGreaterThanOrEqual(4);
      expect(engine.readyState).toBe("open");
      expect(remote.readyState).toBe("open");
      expect(engine.hasPingExpired()).toBe(false);
      engine.close();
    });
  }

  it("closes with ping timeout when the server falls silent", async () => {
    raw = await startRawEngineServer({ polls: [openPacket({ pingInterval: 100, pingTimeout: 100 })] });
    const engine = connect(raw);
    const start = Date.now();
    await once(engine, "open");
    const [reason] = await closed(engine);
    expect(reason).toBe("ping timeout");
    expect(Date.now() - start).toBeGreaterThanOrEqual(190);
    expect(engine.readyState).toBe("closed");
  });

  it("closes with ping timeout over websocket too", async () => {
    raw = await startRawEngineServer({
      onWebSocket: (ws) => ws.send(openPacket({ pingInterval: 80, pingTimeout: 80 })),
    });
    const engine = connect(raw, { transports: ["websocket"] });
    await once(engine, "open");
    const [reason] = await closed(engine);
    expect(reason).toBe("ping timeout");
  });

  it("hasPingExpired() tells the truth by the wall clock when timers are suspended", async () => {
    raw = await startRawEngineServer({ polls: [openPacket({ pingInterval: 100, pingTimeout: 50 })] });
    const timers = suspendedTimers();
    const engine = connect(raw, { timers });
    await once(engine, "open");
    expect(engine.hasPingExpired()).toBe(false);
    await sleep(250);
    // The heartbeat timer never ran, yet the deadline has passed.
    expect(timers.pending).toBeGreaterThan(0);
    expect(engine.readyState).toBe("open");
    const close = closed(engine);
    expect(engine.hasPingExpired()).toBe(true);
    const [reason] = await close;
    expect(reason).toBe("ping timeout");
    expect(engine.hasPingExpired()).toBe(false);
  });

  it("counts any packet from the server as a sign of life", async () => {
    raw = await startRawEngineServer({
      onWebSocket: (ws) => {
        ws.send(openPacket({ pingInterval: 60, pingTimeout: 60 }));
        const chatter = setInterval(() => ws.send("4still here"), 30);
        ws.on("close", () => clearInterval(chatter));
      },
    });
    const engine = connect(raw, { transports: ["websocket"] });
    let reason: string | undefined;
    engine.on("close", (r) => (reason = r));
    await once(engine, "open");
    await sleep(400);
    expect(reason).toBeUndefined();
    expect(engine.hasPingExpired()).toBe(false);
    engine.close();
    expect(reason).toBe("forced close");
  });
});
