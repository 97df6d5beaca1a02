import { afterEach, describe, expect, it } from "vitest";
import { Manager } from "../../src/io/manager";
import { WEBSOCKET_SETTLE_MS } from "../../src/io/namespace-gate";
import { once, sleep, startServer } from "../helpers/server";
import { Cleanup, waitFor } from "./helpers";

// socket.io 4.8 acts on a namespace DISCONNECT one tick late; a CONNECT for the
// same namespace in the same read makes it close the whole connection
// ("invalid state"). socket.io-client 4.8 sends both in one write and loses
// every namespace; the core holds the CONNECT until the server has read the
// DISCONNECT (src/io/namespace-gate.ts).

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const fast = { reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0 };

for (const transport of ["websocket", "polling"] as const) {
  describe(`namespace bounce over ${transport}`, () => {
    it("leaving and joining a namespace in one task keeps the connection and the other namespaces", async () => {
      const server = cleanup.server(await startServer());
      server.io.of("/other");
      const serverReasons: string[] = [];
      server.io.of("/").on("connection", (s) => s.on("disconnect", (r) => serverReasons.push(`/ ${r}`)));
      server.io.of("/other").on("connection", (s) => s.on("disconnect", (r) => serverReasons.push(`/other ${r}`)));
      const manager = cleanup.manager(new Manager(server.url, { ...fast, transports: [transport] }));
      const root = manager.socket("/");
      const other = manager.socket("/other");
      await Promise.all([once(root, "connect"), once(other, "connect")]);
      const rootId = root.id;
      const firstOtherId = other.id;
      const closes: string[] = [];
      manager.on("close", (reason) => closes.push(reason));

      for (let round = 0; round < 3; round++) {
        other.disconnect();
        other.connect();
        await once(other, "connect");
      }
      await sleep(transport === "websocket" ? WEBSOCKET_SETTLE_MS : 50);

      expect(closes).toEqual([]);
      expect(serverReasons).toEqual([
        "/other client namespace disconnect",
        "/other client namespace disconnect",
        "/other client namespace disconnect",
      ]);
      expect(root.connected && root.id).toBe(rootId);
      expect(other.id).not.toBe(firstOtherId);
      expect(server.connectionsAccepted()).toBe(1);
      // The namespace still works both ways after the bounces.
      server.io.of("/other").on("connection", (s) => s.on("ping-me", (ack: (v: string) => void) => ack("pong")));
      other.disconnect().connect();
      await once(other, "connect");
      await expect(other.timeout(2_000).emitWithAck("ping-me")).resolves.toBe("pong");
    });

    it("leaving while the CONNECT is in flight ends the server's socket; joining again keeps the connection", async () => {
      const server = cleanup.server(await startServer());
      const serverReasons: string[] = [];
      server.io.of("/").on("connection", (s) => s.on("disconnect", (r) => serverReasons.push(`/ ${r}`)));
      server.io.of("/other").on("connection", (s) => s.on("disconnect", (r) => serverReasons.push(`/other ${r}`)));
      const manager = cleanup.manager(new Manager(server.url, { ...fast, transports: [transport] }));
      const root = manager.socket("/");
      await once(root, "connect");
      const closes: string[] = [];
      manager.on("close", (reason) => closes.push(reason));
      const other = manager.socket("/other");
      const heard: string[] = [];
      other.on("connect", () => heard.push("connect"));
      other.disconnect();
      // The server made the socket, and is told to end it once it answered.
      await waitFor(() => serverReasons.length === 1, 2_000, "the server's socket to end");
      expect(server.io.of("/other").sockets.size).toBe(0);
      expect(heard).toEqual([]);
      other.connect();
      await once(other, "connect");
      // Both in one task: the second CONNECT waits for the answer to the first and for its DISCONNECT.
      other.disconnect();
      other.connect();
      await once(other, "connect");
      await sleep(transport === "websocket" ? WEBSOCKET_SETTLE_MS : 50);
      expect(closes).toEqual([]);
      expect(serverReasons).toEqual(["/other client namespace disconnect", "/other client namespace disconnect"]);
      expect(server.io.of("/other").sockets.size).toBe(1);
      expect(root.connected).toBe(true);
      expect(server.connectionsAccepted()).toBe(1);
    });

    it("leaving while a refused CONNECT is in flight: the refusal is not heard, joining again is refused again", async () => {
      const server = cleanup.server(await startServer());
      server.io.of("/locked").use((_socket, next) => next(new Error("locked")));
      const manager = cleanup.manager(new Manager(server.url, { ...fast, transports: [transport] }));
      const root = manager.socket("/");
      await once(root, "connect");
      const locked = manager.socket("/locked");
      const errors: string[] = [];
      locked.on("connect_error", (err) => errors.push(err.message));
      locked.disconnect();
      await sleep(100);
      expect(errors).toEqual([]);
      locked.connect();
      await once(locked, "connect_error");
      expect(errors).toEqual(["locked"]);
      expect(root.connected).toBe(true);
    });

    it("a CONNECT for another namespace is not held by a DISCONNECT", async () => {
      const server = cleanup.server(await startServer());
      server.io.of("/a");
      server.io.of("/b");
      const manager = cleanup.manager(new Manager(server.url, { ...fast, transports: [transport] }));
      const root = manager.socket("/");
      const a = manager.socket("/a");
      await Promise.all([once(root, "connect"), once(a, "connect")]);
      const written: string[] = [];
      manager.engine.on("packetCreate", (packet) => written.push(String(packet.data)));
      a.disconnect();
      const b = manager.socket("/b");
      // Written at once, in the same task as /a's DISCONNECT: only /a would have to wait.
      expect(written).toEqual(["1/a,", "0/b,"]);
      await once(b, "connect");
    });
  });
}
