/**
 * Differential: the Manager's reconnection loop, its settings, and sockets
 * caught by a close at every stage of connecting.
 */
import { describe, it } from "vitest";
import { cuttableServer, expectDifference, expectSame } from "./runner";

describe("conformance: reconnection", () => {
  it("server gone: reconnect_attempt / error / reconnect_error until reconnect_failed", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ io, rec, stopServer }) => {
        const socket = rec.watchSocketAndManager(io("/", { transports: ["polling"], reconnectionAttempts: 2 }));
        await rec.until("/ connect");
        await stopServer();
        await rec.until("reconnect_failed");
        rec.log(`after [${rec.state(socket)}]`);
      },
    });
  });

  it("server back after failed attempts: reconnect with the attempt number", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ io, rec, stopServer, restartServer }) => {
        // Delays long enough for the server to be back before the third attempt, even on a loaded machine.
        const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"], reconnectionDelay: 200, reconnectionDelayMax: 1_000 }));
        await rec.until("/ connect");
        await stopServer();
        await rec.until("reconnect_error");
        await rec.until("reconnect_attempt 2");
        await rec.until(() => rec.count("manager reconnect_error") === 2);
        await restartServer();
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });

  it("auth function called on every attempt", async () => {
    await expectSame({
      setup: cuttableServer,
      run: async ({ io, rec }) => {
        let calls = 0;
        const socket = io("/", {
          transports: ["websocket"],
          auth: (cb) => {
            calls++;
            rec.log(`auth called ${calls} [${rec.state(socket)}]`);
            setTimeout(() => cb({ attempt: calls }), 5);
          },
        });
        rec.watchSocket(socket);
        rec.watchManager(socket.io);
        await rec.until("/ connect");
        socket.emit("cut");
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });

  it("reconnection(false) after a transport close: no attempt", async () => {
    await expectSame({
      setup: cuttableServer,
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"] }));
        await rec.until("/ connect");
        socket.io.reconnection(false);
        socket.emit("cut");
        await rec.until("/ disconnect");
        await new Promise((r) => setTimeout(r, 100));
        rec.log(`after [${rec.state(socket)}] reconnection=${socket.io.reconnection()}`);
        // A manual connect() still works.
        socket.connect();
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });

  // Differs by design. socket.io-client's reconnection(false) only sets
  // `skipReconnect`: the pending timer fires and returns early, leaving
  // `_reconnecting` true for good, so a later `socket.connect()` never opens
  // (the socket stays active and never connects: a hang). The core cancels
  // the wait, and `connect()` opens again.
  it("reconnection(false) during the backoff wait cancels it; connect() opens again", async () => {
    const common = [
      "manager open",
      "/ connect [connected,active,id=#1]",
      '/ disconnect "transport close" {description:"websocket connection closed"} [disconnected,active]',
      'manager close "transport close" {description:"websocket connection closed"}',
      "after [disconnected,active]",
    ];
    const server = ["/ connection #1 auth={}", "/ got cut", "/ disconnect #1 forced close"];
    await expectDifference(
      {
        setup: cuttableServer,
        run: async ({ io, rec }) => {
          const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"], reconnectionDelay: 300, reconnectionDelayMax: 300 }));
          await rec.until("/ connect");
          socket.emit("cut");
          await rec.until("manager close");
          socket.io.reconnection(false);
          await new Promise((r) => setTimeout(r, 400));
          rec.log(`after [${rec.state(socket)}]`);
          socket.io.reconnection(true);
          socket.connect();
          // socket.io-client never connects again: give it time to prove it.
          await Promise.race([rec.until(() => rec.count("/ connect ") === 2), new Promise((r) => setTimeout(r, 800))]);
          rec.log(`after connect() [${rec.state(socket)}]`);
        },
      },
      {
        reference: { client: [...common, "after connect() [disconnected,active]"], server },
        ours: {
          client: [...common, "manager open", "/ connect [connected,active,id=#2]", "after connect() [connected,active,id=#2]"],
          server: [...server, "/ connection #2 auth={}"],
        },
      },
    );
  });

  // Differs by design. socket.io-client's open() during the backoff wait
  // opens a new engine beside the pending attempt and leaves
  // `_reconnecting` true for good: that connection works, but the next
  // transport close is never followed by a reconnection (a hang). The core
  // makes the pending attempt now, with its events, and stays able to
  // reconnect.
  it("manager.open() during the backoff wait", async () => {
    const connected = [
      "manager open",
      "/ connect [connected,active,id=#1]",
      '/ disconnect "transport close" {description:"websocket connection closed"} [disconnected,active]',
      'manager close "transport close" {description:"websocket connection closed"}',
    ];
    const secondCut = [
      '/ disconnect "transport close" {description:"websocket connection closed"} [disconnected,active]',
      'manager close "transport close" {description:"websocket connection closed"}',
    ];
    const server = ["/ connection #1 auth={}", "/ got cut", "/ disconnect #1 forced close", "/ connection #2 auth={}", "/ got cut", "/ disconnect #2 forced close"];
    await expectDifference(
      {
        setup: cuttableServer,
        run: async ({ io, rec }) => {
          const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"], reconnectionDelay: 300, reconnectionDelayMax: 300 }));
          await rec.until("/ connect");
          socket.emit("cut");
          await rec.until("manager close");
          socket.io.open();
          await rec.until(() => rec.count("/ connect ") === 2);
          rec.log(`reconnecting=${socket.io._reconnecting}`);
          socket.emit("cut");
          await rec.until(() => rec.count("manager close") === 2);
          // socket.io-client never reconnects now: give it time to prove it.
          await Promise.race([rec.until(() => rec.count("/ connect ") === 3), new Promise((r) => setTimeout(r, 1_000))]);
          rec.log(`after the second cut [${rec.state(socket)}]`);
        },
      },
      {
        reference: {
          client: [...connected, "manager open", "/ connect [connected,active,id=#2]", "reconnecting=true", ...secondCut, "after the second cut [disconnected,active]"],
          server,
        },
        ours: {
          client: [
            ...connected,
            "manager reconnect_attempt 1",
            "manager open",
            "manager reconnect 1",
            "/ connect [connected,active,id=#2]",
            "reconnecting=false",
            ...secondCut,
            "manager reconnect_attempt 1",
            "manager open",
            "manager reconnect 1",
            "/ connect [connected,active,id=#3]",
            "after the second cut [connected,active,id=#3]",
          ],
          server: [...server, "/ connection #3 auth={}"],
        },
      },
    );
  });

  it("during the backoff wait: connect() waits, a new namespace waits, a buffered emit times out, disconnect() stops it", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io, ["/", "/b"]);
        io.on("connection", (socket) => socket.on("cut", () => socket.conn.close()));
      },
      run: async ({ manager, rec }) => {
        const m = rec.watchManager(manager({ transports: ["websocket"], reconnectionDelay: 300, reconnectionDelayMax: 300 }));
        const socket = rec.watchSocket(m.socket("/"));
        await rec.until("/ connect");
        socket.emit("cut");
        await rec.until("manager close");
        socket.connect();
        rec.log(`after connect() [${rec.state(socket)}]`);
        const b = rec.watchSocket(m.socket("/b"));
        rec.log(`b [${rec.state(b)}]`);
        socket.timeout(100).emit("x", (err: Error) => rec.log(`ack ${err?.message}`));
        await rec.until("ack");
        await rec.until("/b connect");
        await rec.until(() => rec.count("/ connect ") === 2);
        b.disconnect();
        socket.emit("cut");
        await rec.until(() => rec.count("manager close") === 2);
        socket.disconnect();
        rec.log(`after disconnect() [${rec.state(socket)}] reconnecting=${m._reconnecting}`);
        // Nothing may follow: no attempt after disconnect().
        await new Promise((r) => setTimeout(r, 500));
      },
    });
  });

  it("transport closed before the namespace CONNECT is answered", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        let first = true;
        io.use((socket, next) => {
          if (first) {
            first = false;
            socket.conn.close();
            return;
          }
          next();
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"] }));
        await rec.until("/ connect ");
      },
    });
  });

  it("autoConnect: false, then manager.open(cb) and socket.connect()", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ manager, rec }) => {
        const m = rec.watchManager(manager({ autoConnect: false }));
        const socket = rec.watchSocket(m.socket("/"));
        rec.log(`created [${rec.state(socket)}]`);
        await new Promise<void>((resolve) =>
          m.open((err?: Error) => {
            rec.log(`open cb ${err ? err.message : "ok"} [${rec.state(socket)}]`);
            resolve();
          }),
        );
        socket.connect();
        rec.log(`connect() [${rec.state(socket)}]`);
        await rec.until("/ connect");
      },
    });
  });

  it("manager.open(cb) to a server that is down: cb gets the error, no reconnection", async () => {
    await expectSame({
      run: async ({ manager, rec, stopServer }) => {
        await stopServer();
        const m = rec.watchManager(manager({ autoConnect: false }));
        const socket = rec.watchSocket(m.socket("/"));
        await new Promise<void>((resolve) =>
          m.open((err?: Error) => {
            rec.log(`open cb ${err ? err.message : "ok"} [${rec.state(socket)}]`);
            resolve();
          }),
        );
        await new Promise((r) => setTimeout(r, 150));
      },
    });
  });

  it("backoff: each attempt waits at least reconnectionDelay·2^(n-1), capped at reconnectionDelayMax", async () => {
    await expectSame({
      run: async ({ io, rec, stopServer }) => {
        await stopServer();
        const socket = io("/", { reconnectionDelay: 40, reconnectionDelayMax: 160, randomizationFactor: 0, reconnectionAttempts: 5 });
        let last = Date.now();
        const expected = [40, 80, 160, 160, 160];
        socket.io.on("reconnect_attempt", (attempt: number) => {
          const now = Date.now();
          // A timer never fires early; how late it fires depends on the machine's load.
          rec.log(`attempt ${attempt} waited >= ${expected[attempt - 1]}: ${now - last >= expected[attempt - 1]! - 2}`);
          last = now;
        });
        socket.io.on("reconnect_error", () => (last = Date.now()));
        socket.io.on("error", () => (last = Date.now()));
        socket.io.on("reconnect_failed", () => rec.log("reconnect_failed"));
        await rec.until("reconnect_failed");
      },
    });
  });

  it("ping timeout: the server falls silent, the client closes and reconnects", async () => {
    await expectSame({
      server: { pingInterval: 200, pingTimeout: 200 },
      setup: (io, rec) => {
        rec.watchServer(io);
        io.on("connection", (socket) => {
          socket.on("hush", () => {
            // The server's own heartbeat timers, stopped: it neither pings nor times out.
            const conn = socket.conn as unknown as { pingIntervalTimer: NodeJS.Timeout; pingTimeoutTimer: NodeJS.Timeout };
            clearTimeout(conn.pingIntervalTimer);
            clearTimeout(conn.pingTimeoutTimer);
          });
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"] }));
        await rec.until("/ connect");
        socket.emit("hush");
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });
});
