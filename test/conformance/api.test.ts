/**
 * Differential: the rest of the public surface — Manager settings, the
 * engine as users reach it, io()'s options, binary, bad input, and the
 * places where the core deliberately differs.
 */
import { describe, it } from "vitest";
import { expectDifference, expectSame } from "./runner";

describe("conformance: API surface", () => {
  it("exports, io.protocol, Manager getters and setters", async () => {
    await expectSame({
      run: async ({ kit, rec, manager }) => {
        const io = kit.io as unknown as Record<string, unknown>;
        rec.log(`protocol ${kit.protocol} io.connect ${io.connect === kit.io} io.io ${io.io === kit.io} io.Manager ${io.Manager === kit.Manager}`);
        const m = manager({ autoConnect: false });
        rec.log(`defaults ${[m.reconnection(), m.reconnectionAttempts(), m.reconnectionDelay(), m.reconnectionDelayMax(), m.randomizationFactor(), m.timeout()].join(",")}`);
        const chained = m.reconnection(false).reconnectionAttempts(3).reconnectionDelay(10).reconnectionDelayMax(20).randomizationFactor(0.1).timeout(500);
        rec.log(`chained ${chained === m}`);
        rec.log(`set ${[m.reconnection(), m.reconnectionAttempts(), m.reconnectionDelay(), m.reconnectionDelayMax(), m.randomizationFactor(), m.timeout()].join(",")}`);
        const other = manager({ autoConnect: false, reconnection: false, reconnectionAttempts: 0, randomizationFactor: 0, timeout: false });
        rec.log(`from options ${[other.reconnection(), other.reconnectionAttempts(), other.randomizationFactor(), other.timeout()].join(",")}`);
      },
    });
  });

  it("on / once / off / listeners / hasListeners", async () => {
    await expectSame({
      run: async ({ io, rec }) => {
        const socket = io("/", { autoConnect: false });
        const a = () => rec.log("a");
        const b = () => rec.log("b");
        socket.on("x", a);
        socket.once("x", b);
        rec.log(`listeners ${socket.listeners("x").length} has ${socket.hasListeners("x")} ${socket.hasListeners("y")}`);
        socket.off("x", a);
        rec.log(`after off(x, a) ${socket.listeners("x").length}`);
        socket.on("y", a);
        socket.off("x");
        rec.log(`after off(x) ${socket.listeners("x").length} ${socket.listeners("y").length}`);
        socket.off();
        rec.log(`after off() ${socket.listeners("y").length} has ${socket.hasListeners("y")}`);
        rec.log(`chainable ${socket.on("z", a) === socket && socket.off("z", a) === socket}`);
      },
    });
  });

  it("the engine as users see it: id, readyState, transport name, upgrade, ping, close", async () => {
    await expectSame({
      server: { pingInterval: 100, pingTimeout: 1000 },
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ io, rec }) => {
        // Not watched: whether the namespace CONNECT is answered before or
        // after the upgrade is a race (the docs: "in most cases" polling).
        const socket = io("/");
        socket.io.on("open", () => {
          const engine = socket.io.engine;
          rec.log(`engine open id=${rec.id(engine.id)} state=${engine.readyState} transport=${engine.transport.name}`);
          engine.once("upgrade", () => {
            rec.log(`engine upgrade transport=${engine.transport.name}`);
            // The first ping after the upgrade (before it, a ping and the probe race).
            socket.io.once("ping", () => rec.log("manager ping"));
          });
          engine.on("close", (reason: string) => rec.log(`engine close ${reason} id=${String(engine.id)} state=${engine.readyState}`));
        });
        await rec.until("engine upgrade");
        await rec.until("manager ping");
        await new Promise<void>((resolve) => (socket.connected ? resolve() : socket.once("connect", () => resolve())));
        socket.disconnect();
        await rec.until("engine close");
      },
    });
  });

  it("engine events around an emit: packetCreate, packet, drain (over WebSocket)", async () => {
    await expectSame({
      setup: (io) => io.on("connection", (socket) => socket.on("echo", (v: unknown, cb: (v: unknown) => void) => cb(v))),
      run: async ({ io, rec }) => {
        const socket = io("/", { transports: ["websocket"] });
        const engine = () => socket.io.engine;
        socket.io.on("open", () => {
          const e = engine();
          const shown = (p: { type: string; data?: unknown }) =>
            p.type === "message" ? `message ${String(p.data).replace(/"sid":"([^"]+)"/, (_, sid: string) => `"sid":"${rec.id(sid)}"`)}` : p.type;
          e.on("packetCreate", (p: { type: string; data?: unknown }) => rec.log(`packetCreate ${shown(p)}`));
          e.on("packet", (p: { type: string; data?: unknown }) => p.type !== "ping" && rec.log(`packet ${shown(p)}`));
          e.on("drain", () => rec.log("drain"));
        });
        await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
        await socket.emitWithAck("echo", 1);
        socket.disconnect();
        await new Promise((r) => setTimeout(r, 20));
      },
    });
  });

  it("a namespace added to an open Manager connects at once; connect() on a connected socket changes nothing", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io, ["/", "/late"]),
      run: async ({ manager, rec }) => {
        const m = rec.watchManager(manager());
        const main = rec.watchSocket(m.socket("/"));
        await rec.until("/ connect");
        main.connect();
        main.open();
        const late = rec.watchSocket(m.socket("/late"));
        rec.log(`same socket again ${m.socket("/late") === late}`);
        await rec.until("/late connect");
      },
    });
  });

  it("disconnect() while connecting: no disconnect event, the Manager closes", async () => {
    await expectSame({
      setup: (io, rec) => rec.watchServer(io),
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"] }));
        socket.disconnect();
        rec.log(`after [${rec.state(socket)}]`);
        await new Promise((r) => setTimeout(r, 100));
      },
    });
  });

  it("reconnect by hand after 'io server disconnect', as the docs show", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        let kicked = false;
        io.on("connection", (socket) => {
          if (!kicked) {
            kicked = true;
            socket.disconnect();
          }
        });
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocket(io("/"));
        socket.on("disconnect", (reason: string) => {
          if (reason === "io server disconnect") socket.connect();
        });
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });

  it("forceNew, 'force new connection' and multiplex: false make new Managers", async () => {
    await expectSame({
      run: async ({ kit, rec, url }) => {
        const opts = { autoConnect: false };
        const base = kit.io(`${url}/x`, opts);
        const shared = kit.io(`${url}/y`, opts);
        const forced = kit.io(`${url}/z`, { ...opts, forceNew: true });
        const legacy = kit.io(`${url}/w`, { ...opts, "force new connection": true } as never);
        const unplexed = kit.io(`${url}/v`, { ...opts, multiplex: false });
        rec.log(`shared ${base.io === shared.io} forced ${base.io === forced.io} legacy ${base.io === legacy.io} multiplex:false ${base.io === unplexed.io}`);
      },
    });
  });

  for (const transport of ["polling", "websocket"] as const) {
    it(`binary in both directions, in events and acks, over ${transport}`, async () => {
      await expectSame({
        setup: (io, rec) => {
          rec.watchServer(io);
          io.on("connection", (socket) => {
            socket.on("echo", (data: unknown, cb: (d: unknown) => void) => cb({ back: data, extra: Buffer.from([9, 8]) }));
            socket.emit("push", Buffer.from([1, 2, 3]), { nested: [new Uint8Array([4, 5])] });
          });
        },
        run: async ({ io, rec }) => {
          const socket = rec.watchSocket(io("/", { transports: [transport] }));
          socket.on("push", (buf: Uint8Array, obj: { nested: Uint8Array[] }) => rec.log(`push ${bytes(buf)} ${bytes(obj.nested[0]!)}`));
          await rec.until("push");
          const answer = (await socket.emitWithAck("echo", new Uint8Array([7, 7]).buffer)) as { back: Uint8Array; extra: Uint8Array };
          rec.log(`echo ${bytes(answer.back)} ${bytes(answer.extra)}`);
        },
      });
    });
  }

  it("a packet that cannot be decoded closes with 'parse error' and reconnects", async () => {
    await expectSame({
      setup: (io, rec) => {
        rec.watchServer(io);
        io.on("connection", (socket) => socket.on("garble", () => socket.conn.write("9 not a socket.io packet")));
      },
      run: async ({ io, rec }) => {
        const socket = rec.watchSocketAndManager(io("/", { transports: ["websocket"] }));
        await rec.until("/ connect");
        socket.emit("garble");
        await rec.until(() => rec.count("/ connect ") === 2);
      },
    });
  });

  it("the URL's query, percent-encoded or with '+', reaches the server as written, also on reconnection", async () => {
    await expectSame({
      setup: (io, rec) => {
        io.on("connection", (socket) => {
          const { token, plus } = socket.handshake.query;
          rec.serverLog(`query token=${JSON.stringify(token)} plus=${JSON.stringify(plus)}`);
          socket.on("cut", () => socket.conn.close());
        });
      },
      run: async ({ kit, rec, url }) => {
        const socket = rec.watchSocket(kit.io(`${url}/?token=a%20b%26c&plus=a+b`, { forceNew: true, transports: ["websocket"], reconnectionDelay: 20, randomizationFactor: 0 }));
        await rec.until("/ connect");
        socket.emit("cut");
        await rec.until(() => rec.count("/ connect ") === 2);
        socket.disconnect();
      },
    });
  });
});

describe("conformance: deliberate differences", () => {
  // The client API page documents `io.protocol`; socket.io-client 4.8 has
  // only the named export `protocol`. The core has both.
  it("io.protocol", async () => {
    await expectDifference(
      { run: async ({ kit, rec }) => rec.log(`io.protocol ${String((kit.io as unknown as { protocol?: number }).protocol)}`) },
      { reference: { client: ["io.protocol undefined"] }, ours: { client: ["io.protocol 5"] } },
    );
  });

  // socket.io-client returns at once from open(cb) when the Manager is
  // already open or opening (`~"opening".indexOf("open")`): the callback is
  // never called, so `new Promise((r) => manager.open(r))` hangs. The core
  // calls it at once when open, and with the outcome of the attempt in
  // progress when opening.
  it("open(cb) on a Manager already opening or open", async () => {
    await expectDifference(
      {
        run: async ({ manager, rec }) => {
          const m = manager();
          m.open((err?: Error) => rec.log(`cb while opening ${err ? err.message : "ok"}`));
          await new Promise<void>((resolve) => m.once("open", resolve));
          m.open((err?: Error) => rec.log(`cb while open ${err ? err.message : "ok"}`));
          await new Promise((r) => setTimeout(r, 50));
        },
      },
      {
        reference: { client: [] },
        ours: { client: ["cb while opening ok", "cb while open ok"] },
      },
    );
  });

  // socket.io-client hands the engine the URL with its query, and the
  // engine lets a query in the URL replace the `query` option: given both,
  // the option is silently dropped. The core sends both; where a key is in
  // both, the URL's value wins, as it would in socket.io-client.
  it("a query in the URL and the query option", async () => {
    const scenario = {
      setup: (io: import("socket.io").Server, rec: import("./recorder").Recorder) =>
        io.on("connection", (socket) => {
          const { a, b, c } = socket.handshake.query;
          rec.serverLog(`a=${String(a)} b=${String(b)} c=${String(c)}`);
        }),
      run: async ({ kit, rec, url }: import("./runner").ScenarioContext) => {
        const socket = kit.io(`${url}/?a=url&b=url`, { forceNew: true, query: { b: "option", c: "option" } });
        await new Promise((resolve) => socket.once("connect", () => resolve(undefined)));
        rec.log("connected");
        socket.disconnect();
      },
    };
    await expectDifference(scenario, {
      reference: { server: ["a=url b=url c=undefined"] },
      ours: { server: ["a=url b=url c=option"] },
    });
  });

  // With `retries` but no `ackTimeout`, socket.io-client's queue reads the
  // first argument of the server's answer as an error: a truthy answer makes
  // it retry an emit that was delivered, then hand the answer to the user as
  // an error. The core's user ack is error-first in every case.
  it("retries without ackTimeout: the answer is not mistaken for an error", async () => {
    await expectDifference(
      {
        setup: (io, rec) => {
          rec.watchServer(io);
          io.on("connection", (socket) => socket.on("get", (cb: (v: string) => void) => cb("value")));
        },
        run: async ({ io, rec }) => {
          const socket = io("/", { retries: 1 });
          socket.emit("get", (err: unknown, value?: unknown) => rec.log(`ack err=${String(err)} value=${String(value)}`));
          await rec.until("ack");
        },
      },
      {
        reference: {
          client: ["ack err=value value=undefined"],
          server: ["/ connection #1 auth={}", "/ got get +ack", "/ got get +ack"],
        },
        ours: { client: ["ack err=null value=value"], server: ["/ connection #1 auth={}", "/ got get +ack"] },
      },
    );
  });

});

function bytes(data: ArrayBuffer | ArrayBufferView): string {
  const view = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return `[${[...view].join(",")}]`;
}
