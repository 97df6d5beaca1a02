/**
 * Differential: the order in which listeners hear incoming and outgoing
 * events, and events that arrive around a connection change.
 */
import { describe, it } from "vitest";
import { expect } from "vitest";
import { openPacket } from "../helpers/raw-engine-server";
import { expectSame, runRawBoth } from "./runner";

describe("conformance: listeners", () => {
  it("onAny / prependAny / offAny / on: call order and removal", async () => {
    await expectSame({
      setup: (io) => {
        io.on("connection", (socket) => {
          socket.on("go", () => {
            socket.emit("first", 1);
            socket.emit("second", 2);
            socket.emit("done");
          });
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/"));
        const any1 = (event: string, ...args: unknown[]) => rec.log(`any1 ${event} ${JSON.stringify(args)}`);
        const any2 = (event: string) => rec.log(`any2 ${event}`);
        socket.on("first", (n: number) => rec.log(`on first ${n}`));
        socket.onAny(any1);
        socket.prependAny(any2);
        socket.on("second", () => {
          rec.log("on second");
          socket.offAny(any1);
        });
        socket.on("done", () => rec.log(`done, listenersAny ${socket.listenersAny().length}`));
        await rec.until("/ connect");
        socket.emit("go");
        await rec.until("done");
      },
    });
  });

  it("onAnyOutgoing / prependAnyOutgoing: fired when a packet leaves, not when it is buffered", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/"));
        const out1 = (event: string, ...args: unknown[]) => rec.log(`out1 ${event} ${JSON.stringify(args.map((a) => (typeof a === "function" ? "fn" : a)))}`);
        socket.onAnyOutgoing(out1);
        socket.prependAnyOutgoing((event: string) => rec.log(`out0 ${event}`));
        socket.emit("buffered", "x", () => {});
        rec.log("emitted while connecting");
        await rec.until("/ connect");
        socket.emit("live", 1);
        socket.offAnyOutgoing(out1);
        socket.emit("after-off");
        rec.log(`listenersAnyOutgoing ${socket.listenersAnyOutgoing().length}`);
        socket.offAnyOutgoing();
        socket.emit("after-off-all");
        rec.log(`listenersAnyOutgoing ${socket.listenersAnyOutgoing().length}`);
        await rec.untilServer("after-off-all");
      },
    });
  });

  it("a listener added in the connect handler hears what the server emits on connection", async () => {
    await expectSame({
      setup: (io) => {
        io.on("connection", (socket) => {
          socket.emit("welcome", "hi");
          socket.emit("welcome", "again");
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/"));
        socket.once("connect", () => socket.on("welcome", (text: string) => rec.log(`welcome ${text} [${rec.state(socket)}]`)));
        await rec.until("welcome again");
      },
    });
  });

  it("server acks: the client's callback answers once", async () => {
    await expectSame({
      setup: (io, rec) => {
        io.on("connection", (socket) => {
          socket.emit("ask", "q", (answer: unknown) => rec.serverLog(`answer ${JSON.stringify(answer)}`));
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/"));
        socket.on("ask", (q: string, cb: (a: string) => void) => {
          rec.log(`ask ${q}`);
          cb("first");
          cb("second");
        });
        await rec.untilServer("answer");
        await new Promise((r) => setTimeout(r, 50));
      },
    });
  });

  it("an event sent just before the server closes the transport is heard before the disconnect", async () => {
    await expectSame({
      setup: (io) => {
        io.on("connection", (socket) => {
          socket.on("bye", () => {
            socket.emit("last", "words");
            socket.conn.close();
          });
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/", { transports: ["polling"] }));
        socket.on("last", (text: string) => rec.log(`last ${text} [${rec.state(socket)}]`));
        await rec.until("/ connect");
        socket.emit("bye");
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });

  // Differs by design. When an event and the close of the transport come in
  // one polling payload, socket.io-client defers the event to a tick while
  // the close is handled at once: the socket is disconnected by then, so the
  // event lands in the receive buffer, after `disconnect` (and is emitted
  // only after a reconnection, before `connect`). The core dispatches each
  // packet as it is decoded: the event is heard first, in server order.
  it("an event and a close in one polling payload", async () => {
    const logs = await runRawBoth(
      () => ({
        polls: [openPacket({ sid: "s1" }), '40{"sid":"nsp-id"}', '42["last","words"]\x1e1'],
      }),
      async ({ kit, rec, url }) => {
        const socket = rec.watchSocket(kit.io(url, { forceNew: true, transports: ["polling"], reconnection: false }));
        socket.on("last", (text: string) => rec.log(`last ${text} [${rec.state(socket)}]`));
        await rec.until("/ disconnect");
        await new Promise((r) => setTimeout(r, 50));
        rec.log(`receiveBuffer ${socket.receiveBuffer.length}`);
        socket.disconnect();
      },
    );
    const connect = "/ connect [connected,active,id=#1]";
    const disconnect = '/ disconnect "transport close" {description:"transport closed by the server"} [disconnected,active]';
    expect(logs.reference).toEqual([connect, disconnect, "receiveBuffer 1"]);
    expect(logs.ours).toEqual([connect, "last words [connected,active,id=#1]", disconnect, "receiveBuffer 0"]);
  });
});
