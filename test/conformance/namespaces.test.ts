/**
 * Differential: several namespaces on one Manager, connection-state recovery.
 */
import { describe, it } from "vitest";
import { expectSame } from "./runner";

describe("conformance: multiplexing", () => {
  it("two namespaces on one Manager; disconnecting one keeps the other; the last closes the transport", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io, ["/", "/admin"]),
      run: async ({ manager, rec }) => {
        const m = rec.watchManager(manager());
        const main = rec.watchSocket(m.socket("/"));
        const admin = rec.watchSocket(m.socket("/admin", { auth: { role: "admin" } }));
        await rec.until("/ connect");
        await rec.until("/admin connect");
        rec.log(`same engine ${main.io === admin.io} ids differ ${main.id !== admin.id}`);
        admin.disconnect();
        rec.log(`after admin.disconnect engine=${m.engine.readyState} [${rec.state(main)}]`);
        main.emit("still-here");
        await rec.untilServer("still-here");
        main.disconnect();
        rec.log(`after main.disconnect engine=${m.engine.readyState}`);
        await rec.untilServer("/ disconnect");
      },
    });
  });

  it("io() reuses the Manager per origin, and makes a new one for a namespace already in use", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io, ["/", "/chat"]),
      run: async ({ kit, rec, url }) => {
        const a = rec.watchSocket(kit.io(`${url}/`, { reconnectionDelay: 20 }), "a");
        const b = rec.watchSocket(kit.io(`${url}/chat`), "b");
        rec.log(`a,b share ${a.io === b.io}`);
        await rec.until("a connect");
        await rec.until("b connect");
        const c = rec.watchSocket(kit.io(`${url}/`), "c");
        rec.log(`a,c share ${a.io === c.io}`);
        await rec.until("c connect");
        for (const s of [a, b, c]) s.disconnect();
      },
    });
  });
});

describe("conformance: connection-state recovery", () => {
  it("recovers after a transport close: same id, missed events replayed, recovered = true", async () => {
    await expectSame({
      server: { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } },
      setup: (io, rec) => {
        rec.watchServer(io);
        io.on("connection", (socket) => {
          socket.join("room");
          socket.on("cut", () => {
            socket.conn.close();
            // Broadcast once the transport is closing: never on the wire, replayed on recovery.
            io.to("room").emit("missed", 1);
          });
          socket.on("tick", () => io.to("room").emit("tick", "t"));
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/", { transports: ["websocket"], reconnectionDelay: 150, reconnectionDelayMax: 150 }));
        socket.on("tick", (...args: unknown[]) => rec.log(`tick ${args.length} args`));
        socket.on("missed", (n: number) => rec.log(`missed ${n} [${rec.state(socket)}]`));
        await rec.until("/ connect");
        socket.emit("tick");
        await rec.until("tick");
        socket.emit("cut");
        await rec.until(() => rec.count("/ connect ") === 2);
        await rec.until("missed");
      },
    });
  });
});
