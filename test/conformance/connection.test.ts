/**
 * Differential: connecting, emitting with acks, and the three ways a
 * connection ends (server, client, transport).
 */
import { describe, it } from "vitest";
import { cuttableServer, expectSame } from "./runner";

describe("conformance: connection", () => {
  it("connect, emit, ack, emitWithAck, send", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io, ["/"], (event, args) => `${event}:${JSON.stringify(args)}`),
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/"));
        rec.log(`created [${rec.state(socket)}]`);
        await rec.until("/ connect");
        socket.emit("hello", "world", { n: 1 }, (answer: unknown) => rec.log(`ack ${String(answer)} [${rec.state(socket)}]`));
        await rec.until("ack ");
        rec.log(`emitWithAck ${String(await socket.emitWithAck("question", 42))}`);
        socket.send("a message");
        await rec.untilServer("got message");
      },
    }, {
      client: [
        "created [disconnected,active]",
        "manager open",
        "/ connect [connected,active,id=#1]",
        'ack hello:["world",{"n":1}] [connected,active,id=#1]',
        "emitWithAck question:[42]",
      ],
      server: [
        "/ connection #1 auth={}",
        '/ got hello "world" {"n":1} +ack',
        "/ got question 42 +ack",
        '/ got message "a message"',
      ],
    });
  });

  it("server disconnect: no reconnection, then a manual connect()", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        io.on("connection", (socket) => socket.on("kick", () => socket.disconnect()));
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/"));
        await rec.until("/ connect");
        socket.emit("kick");
        await rec.until("/ disconnect");
        rec.log(`after [${rec.state(socket)}]`);
        socket.connect();
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });

  it("client disconnect: io client disconnect, and the Manager closes the transport", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/"));
        await rec.until("/ connect");
        socket.disconnect();
        rec.log(`after [${rec.state(socket)}] engine=${socket.io.engine.readyState}`);
        await rec.untilServer("/ disconnect #1");
      },
    });
  });

  it("transport closed by the server: reconnects with reconnect_attempt / reconnect", async () => {
    await expectSame({
      setup: cuttableServer,
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"] }));
        await rec.until("/ connect");
        socket.emit("cut");
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });
});

describe("conformance: connection failures", () => {
  it("transport closed by the server over polling", async () => {
    await expectSame({
      setup: cuttableServer,
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { transports: ["polling"] }));
        await rec.until("/ connect");
        socket.emit("cut");
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });

  it("connect_error with the middleware's message and data; the socket becomes inactive", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        io.use((socket, next) => {
          const err = new Error("not authorized") as Error & { data: unknown };
          err.data = { reason: "token expired", code: 42 };
          next(err);
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { auth: { token: "old" } }));
        await rec.until("/ connect_error");
        // The Manager closes its transport once no socket is active.
        await rec.until("manager close");
        rec.log(`engine ${socket.io.engine.readyState}`);
      },
    });
  });

  it("connect_error 'timeout' when the handshake does not complete in time", async () => {
    await expectSame({
      server: { allowRequest: () => {} },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { timeout: 100, reconnectionAttempts: 1 }));
        await rec.until("reconnect_failed");
      },
    });
  });

  it("connect_error 'Invalid namespace' for a namespace the server does not have", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io, ["/"]),
      run: async ({ manager, rec }) => {
        const m = rec.watchManager(manager());
        const main = rec.watchSocket(m.socket("/"));
        const missing = rec.watchSocket(m.socket("/missing"));
        await rec.until("/missing connect_error");
        await rec.until("/ connect");
        rec.log(`main [${rec.state(main)}] missing [${rec.state(missing)}] engine=${m.engine.readyState}`);
      },
    });
  });
});
