// Garbage in the upgrade probe: the server offers "websocket", the client
// probes with "2probe", and the probe WebSocket answers anything but
// "3probe". The upgrade must fail quietly (upgradeError) and the session
// must carry on over polling, with nothing thrown.
import { afterEach, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { Manager } from "../../src";
import { openPacket, startRawEngineServer, type RawEngineServer } from "../helpers/raw-engine-server";
import { crashCounters, waitFor } from "./harness";

const PROBE_ANSWERS: Array<[string, (ws: WebSocket) => void]> = [
  ["a truncated pong", (ws) => ws.send("3prob")],
  ["an unknown packet type", (ws) => ws.send("Xprobe")],
  ["an empty frame", (ws) => ws.send("")],
  ["a binary frame", (ws) => ws.send(Buffer.from([3, 1, 2]))],
  ["a non-UTF-8 text frame", (ws) => ws.send(Buffer.from([0x33, 0xff, 0xfe]), { binary: false })],
  ["a message instead of the pong", (ws) => ws.send('42["hijack"]')],
  ["a garbage handshake", (ws) => ws.send('0{"sid":')],
  ["a close of the WebSocket", (ws) => ws.close()],
  ["a reset of the WebSocket", (ws) => ws.terminate()],
];

let raw: RawEngineServer | undefined;
let manager: Manager | undefined;
afterEach(async () => {
  manager?.reconnection(false);
  manager?._close();
  await raw?.close();
  raw = manager = undefined;
});

describe("garbage answer to the upgrade probe", () => {
  for (const [name, answer] of PROBE_ANSWERS) {
    it(`${name}: upgradeError, the session carries on over polling`, async () => {
      const crashes = crashCounters();
      let tick = 0;
      raw = await startRawEngineServer({
        onPoll: (req) => {
          if (!req.url.searchParams.get("sid")) return openPacket({ sid: "probe-me", upgrades: ["websocket"] });
          if (tick++ === 0) return '40{"sid":"s1"}';
          // The session keeps talking over polling: one event per poll.
          return new Promise((resolve) => setTimeout(() => resolve(`42["tick",${tick}]`), 20));
        },
        onWebSocket: (ws) =>
          ws.on("message", (data) => {
            if (String(data) === "2probe") answer(ws);
          }),
      });
      manager = new Manager(raw.url, { reconnection: false });
      const socket = manager.socket("/");
      const upgradeErrors: string[] = [];
      const events: unknown[][] = [];
      const reasons: string[] = [];
      let upgraded = false;
      manager.on("open", () => {
        manager?.engine.on("upgradeError", (err) => upgradeErrors.push(err.message));
        manager?.engine.on("upgrade", () => (upgraded = true));
      });
      socket.on("disconnect", (reason) => reasons.push(reason));
      socket.onAny((...args) => events.push(args));
      await waitFor(() => upgradeErrors.length === 1, 5_000, "upgradeError");
      const ticksAtFailure = events.length;
      await waitFor(() => events.length >= ticksAtFailure + 3, 5_000, "ticks after the failed upgrade");

      expect(upgraded).toBe(false);
      expect(manager.engine.transport.name).toBe("polling");
      expect(socket.connected).toBe(true);
      expect(reasons).toEqual([]);
      // Only the session's own events: nothing from the probe socket leaked in.
      expect(events.every(([event]) => event === "tick")).toBe(true);
      expect(crashes.uncaught).toEqual([]);
      expect(crashes.unhandled).toEqual([]);
      crashes.dispose();
    });
  }
});
