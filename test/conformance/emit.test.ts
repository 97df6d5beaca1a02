/**
 * Differential: what happens to emits — acks with timeouts, the send buffer,
 * volatile packets at each stage of a connection, retries.
 */
import { describe, it } from "vitest";
import { cuttableServer, expectDifference, expectSame } from "./runner";

const ackAll = (event: string, args: unknown[]) => `${event}:${JSON.stringify(args)}`;

describe("conformance: acks", () => {
  it("timeout(): error when the server does not answer, (null, answer) when it does", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        io.on("connection", (socket) => {
          socket.on("slow", () => {});
          socket.on("fast", (cb: (a: string) => void) => cb("quick"));
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/"));
        await rec.until("/ connect");
        socket.timeout(50).emit("slow", (err: Error | null, answer?: unknown) => rec.log(`slow ack ${err ? err.message : "ok"} ${String(answer)}`));
        await rec.until("slow ack");
        socket.timeout(5000).emit("fast", (err: Error | null, answer?: unknown) => rec.log(`fast ack ${err ? err.message : "ok"} ${String(answer)}`));
        await rec.until("fast ack");
        await socket
          .timeout(50)
          .emitWithAck("slow")
          .then(
            (answer) => rec.log(`emitWithAck resolved ${String(answer)}`),
            (err: Error) => rec.log(`emitWithAck rejected ${err.message}`),
          );
      },
    });
  });

  it("ackTimeout applies to every emit with an ack; a buffered emit that times out is never sent", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io, ["/"], ackAll),
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/", { ackTimeout: 250, autoConnect: false }));
        socket.emit("early", (err: Error | null) => rec.log(`early ack ${err ? err.message : "ok"}`));
        await rec.until("early ack");
        socket.connect();
        await rec.until("/ connect");
        socket.emit("later", (err: Error | null, answer?: unknown) => rec.log(`later ack ${err ? err.message : "ok"} ${String(answer)}`));
        await rec.until("later ack");
      },
    });
  });

  it("acks pending at a disconnection: error-first ones fail, plain ones are dropped, buffered ones stay", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        io.on("connection", (socket) => {
          socket.on("cut", () => socket.conn.close());
          socket.on("later", (cb: (a: string) => void) => cb("answered"));
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/", { transports: ["websocket"] }));
        await rec.until("/ connect");
        socket.emit("never", () => rec.log("plain ack called"));
        socket.timeout(5000).emit("never", (err: Error | null) => rec.log(`timeout ack ${err ? err.message : "ok"}`));
        socket.emitWithAck("never").catch((err: Error) => rec.log(`emitWithAck ${err.message}`));
        socket.emit("cut");
        await rec.until("/ disconnect");
        socket.emit("later", (answer: string) => rec.log(`buffered ack ${answer}`));
        await rec.until("buffered ack");
      },
    });
  });

  it("retries: at-least-once, in order, with the last error after the retries", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        const seen = new Map<string, number>();
        io.on("connection", (socket) => {
          socket.on("flaky", (name: string, cb: (a: string) => void) => {
            const count = (seen.get(name) ?? 0) + 1;
            seen.set(name, count);
            // Answers only the second attempt of each emit.
            if (count === 2) cb(`${name} ok`);
          });
          socket.on("never", () => {});
        });
      },
      run: async ({ io, rec }) => {
        // An ackTimeout well above a round trip, so that only unanswered attempts time out, even on a loaded machine.
        const socket = rec.watchSocket(io("/", { retries: 2, ackTimeout: 250 }));
        socket.emit("flaky", "a", (err: Error | null, answer?: string) => rec.log(`a ${err ? err.message : answer}`));
        socket.emit("flaky", "b", (err: Error | null, answer?: string) => rec.log(`b ${err ? err.message : answer}`));
        socket.emit("never", (err: Error | null) => rec.log(`never ${err ? err.message : "ok"}`));
        await rec.until("never ");
      },
    });
  });
});

describe("conformance: buffers and volatile", () => {
  it("emits made before the connection leave once connected, in order", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io, ["/"], ackAll),
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/"));
        socket.onAnyOutgoing((event: string) => rec.log(`outgoing ${event} [${rec.state(socket)}]`));
        for (let i = 1; i <= 3; i++) socket.emit("buffered", i, (answer: string) => rec.log(`ack ${answer}`));
        rec.log(`sendBuffer ${socket.sendBuffer.length}`);
        await rec.until("ack buffered:[3]");
        rec.log(`sendBuffer ${socket.sendBuffer.length}`);
      },
    });
  });

  it("emits made while disconnected leave after the reconnection, in order", async () => {
    await expectSame({
      setup: cuttableServer,
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/", { transports: ["websocket"] }));
        await rec.until("/ connect");
        socket.emit("cut");
        await rec.until("/ disconnect");
        socket.emit("while-down", 1);
        socket.emit("while-down", 2);
        await rec.untilServer("while-down 2");
      },
    });
  });

  // Differs by design. socket.io-client decides on `engine.transport.writable`
  // alone, and the WebSocket transport of a closed engine keeps `writable:
  // true`: a volatile emit made during the backoff wait is buffered and sent
  // after the reconnection, although its docs say a volatile packet is
  // dropped when the socket is not connected (and stale data is what
  // volatile is for avoiding). The core drops it: a closed engine's transport
  // is not writable.
  it("volatile: dropped before the engine opens and while disconnected, sent once connected", async () => {
    const common = {
      connected: [
        "/ connect [connected,active,id=#1]",
        '/ disconnect "transport close" {description:"websocket connection closed"} [disconnected,active]',
      ],
      server: ["/ connection #1 auth={}", '/ got v "connected"', "/ got cut", "/ disconnect #1 forced close", "/ connection #2 auth={}"],
    };
    await expectDifference(
      {
        setup: cuttableServer,
        run: async ({ io, rec }) => {
          const socket = rec.watchSocket(io("/", { transports: ["websocket"] }));
          socket.volatile.emit("v", "before open");
          await rec.until("/ connect");
          socket.volatile.emit("v", "connected");
          socket.emit("cut");
          await rec.until("/ disconnect");
          socket.volatile.emit("v", "disconnected");
          rec.log(`sendBuffer ${socket.sendBuffer.length}`);
          await rec.until(() => rec.count("/ connect ") === 2);
          socket.emit("marker");
          await rec.untilServer("got marker");
        },
      },
      {
        reference: {
          client: [...common.connected, "sendBuffer 1", "/ connect [connected,active,id=#2]"],
          server: [...common.server, '/ got v "disconnected"', "/ got marker"],
        },
        ours: {
          client: [...common.connected, "sendBuffer 0", "/ connect [connected,active,id=#2]"],
          server: [...common.server, "/ got marker"],
        },
      },
    );
  });

  it("volatile while the engine is open but the namespace is still connecting", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        // The CONNECT is answered late: the engine is open, the namespace not yet.
        io.use((_socket, next) => setTimeout(next, 500));
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/", { transports: ["websocket"] }));
        socket.io.on("open", () => {
          // Once the CONNECT packet has left, the transport is writable again.
          socket.io.engine.once("drain", () => {
            rec.log(`writable ${socket.io.engine.transport.writable}`);
            socket.volatile.emit("v", "connecting");
            rec.log(`emitted while connecting, sendBuffer ${socket.sendBuffer.length} [${rec.state(socket)}]`);
          });
        });
        await rec.until("/ connect");
        socket.emit("marker");
        await rec.untilServer("got marker");
      },
    });
  });

  it("volatile over polling while a POST is in flight is dropped", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/", { transports: ["polling"] }));
        await rec.until("/ connect");
        socket.emit("first");
        rec.log(`writable ${socket.io.engine.transport.writable}`);
        socket.volatile.emit("v", "during post");
        socket.emit("marker");
        await rec.untilServer("got marker");
      },
    });
  });

  it("compress(false) and reserved event names", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/"));
        await rec.until("/ connect");
        socket.compress(false).emit("uncompressed", 1);
        for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
          try {
            (socket.emit as (ev: string) => unknown)(name);
            rec.log(`${name} emitted`);
          } catch (err) {
            rec.log(`${name} threw ${(err as Error).message}`);
          }
        }
        socket.emit("marker");
        await rec.untilServer("got marker");
      },
    });
  });
});
