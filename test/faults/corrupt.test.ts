// Corrupted frames on the wire between a real socket.io server and the core:
// the fault proxy rewrites one server→client frame of a live session. The
// client must close that connection ("parse error" for a broken Socket.IO
// packet, "transport error" for bytes that are not even UTF-8), reconnect,
// and — with connectionStateRecovery — get the damaged event again: 0 lost.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { io } from "../../src";
import { once } from "../helpers/server";
import { recordFigures, writeFigures } from "./figures";
import { crashCounters, FaultCleanup, serverBehindProxy, waitFor } from "./harness";
import { rewriteWebSocketText, type Corrupter } from "./proxy";
import { range, sequenceStats } from "./sequence";

const cleanup = new FaultCleanup();
afterEach(() => cleanup.run());
afterAll(() => writeFigures());

const TOTAL = 300;
/** The event whose frame gets damaged (once). Each event has a second argument, so its number is followed by ",". */
const VICTIM = 120;
const victimMarker = `["tick",${VICTIM},`;

interface Variant {
  name: string;
  transport: "websocket" | "polling";
  reason: string;
  corrupter: (done: () => void) => Corrupter;
}

const VARIANTS: Variant[] = [
  {
    name: "broken Socket.IO packet over websocket",
    transport: "websocket",
    reason: "parse error",
    corrupter: (done) =>
      rewriteWebSocketText((text) => {
        if (!text.includes(victimMarker)) return null;
        done();
        return text.slice(0, text.indexOf(victimMarker) + victimMarker.length);
      }),
  },
  {
    name: "non-UTF-8 text frame over websocket",
    transport: "websocket",
    reason: "transport error",
    corrupter: (done) =>
      rewriteWebSocketText((text) => {
        if (!text.includes(victimMarker)) return null;
        done();
        return new Uint8Array([0x34, 0x32, 0xff, 0xfe, 0xc0, 0xaf]);
      }),
  },
  {
    name: "broken Socket.IO packet in a polling response",
    transport: "polling",
    reason: "parse error",
    // Same length, so the response's Content-Length still holds: "42[" becomes "4X[".
    corrupter: (done) => (chunk, info) => {
      const text = chunk.toString("latin1");
      const at = text.indexOf(`42${victimMarker}`);
      if (info.protocol !== "http" || at === -1) return chunk;
      done();
      return Buffer.from(`${text.slice(0, at)}4X${text.slice(at + 2)}`, "latin1");
    },
  },
];

describe("corrupted frames from a real server", () => {
  for (const variant of VARIANTS) {
    it(`${variant.name}: ${variant.reason}, reconnect, recovered, 0 events lost`, async () => {
      const crashes = crashCounters();
      const { server, proxy } = await serverBehindProxy(cleanup, {
        connectionStateRecovery: { maxDisconnectionDuration: 10_000 },
      });
      server.io.on("connection", (remote) => {
        if (!remote.recovered) remote.join("room");
      });
      const socket = cleanup.socket(
        io(proxy.url, { forceNew: true, transports: [variant.transport], reconnectionDelay: 50, reconnectionDelayMax: 50, randomizationFactor: 0 }),
      );
      const got: number[] = [];
      socket.on("tick", (n: number) => got.push(n));
      const reasons: string[] = [];
      socket.on("disconnect", (reason) => reasons.push(reason));
      await once(socket, "connect");

      // One frame only: once it fired, everything passes untouched (the replay included).
      let corrupted = 0;
      const damageOnce = variant.corrupter(() => corrupted++);
      proxy.corrupt((chunk, info) => (corrupted > 0 ? chunk : damageOnce(chunk, info)));
      let seq = 0;
      const broadcaster = setInterval(() => {
        for (let i = 0; i < 3 && seq < TOTAL; i++) server.io.to("room").emit("tick", ++seq, "payload");
        if (seq >= TOTAL) clearInterval(broadcaster);
      }, 2);
      await waitFor(() => reasons.length === 1, 5_000, "the damaged frame to close the connection");
      await once(socket, "connect");
      const recovered = socket.recovered;
      await waitFor(() => got.includes(TOTAL), 5_000, `event ${TOTAL}`);
      await new Promise((r) => setTimeout(r, 50));

      const stats = sequenceStats(TOTAL, got);
      recordFigures(`corrupted frame: ${variant.name}`, {
        file: "test/faults/corrupt.test.ts",
        ...stats,
        corruptedFrames: corrupted,
        disconnectReason: reasons[0],
        recovered,
      });
      expect(corrupted).toBe(1);
      expect(reasons).toEqual([variant.reason]);
      expect(recovered).toBe(true);
      expect(got).toEqual(range(1, TOTAL));
      expect(crashes.uncaught).toEqual([]);
      expect(crashes.unhandled).toEqual([]);
      crashes.dispose();
    });
  }
});
