// What a broken or hostile server can send. socket.io-client closes with
// "transport error" on malformed Engine.IO frames; so does this engine, and
// nothing it receives may throw out of it (vitest fails a file on any
// uncaught exception or unhandled rejection).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Engine } from "../../src/engine/engine";
import { once, sleep } from "../helpers/server";
import { openPacket, startRawEngineServer, type RawEngineServer, type RawEngineScript } from "../helpers/raw-engine-server";
import { clientInbox, closed, connect } from "./helpers";

const SEP = "\x1e";

describe("malformed input from the server", () => {
  let raw: RawEngineServer | undefined;
  afterEach(async () => {
    vi.unstubAllGlobals();
    await raw?.close();
    raw = undefined;
  });

  async function run(script: RawEngineScript, transports = ["polling"]) {
    raw = await startRawEngineServer(script);
    const engine = connect(raw, { transports });
    const errors: Error[] = [];
    engine.on("error", (err) => errors.push(err));
    const inbox = clientInbox(engine);
    const [reason, description] = await closed(engine);
    return { engine, reason, description, errors, inbox };
  }

  const badHandshakes: Record<string, string> = {
    "not JSON": "0{not json",
    "JSON but not an object": "0[1,2]",
    "no sid": '0{"pingInterval":100,"pingTimeout":100}',
    "sid of the wrong type": '0{"sid":7,"pingInterval":100,"pingTimeout":100}',
    "no ping values": '0{"sid":"abc"}',
    "negative ping interval": '0{"sid":"abc","pingInterval":-5,"pingTimeout":100}',
    "upgrades not a list": '0{"sid":"abc","pingInterval":100,"pingTimeout":100,"upgrades":"websocket"}',
    "an empty open packet": "0",
    "a message instead of a handshake": "4hello",
    "an unknown packet type": "9whatever",
    "an empty body": "",
    "a truncated payload": `0{"sid":"a${SEP}`,
  };

  for (const [name, body] of Object.entries(badHandshakes)) {
    it(`closes with transport error on a handshake with ${name} (polling)`, async () => {
      const { reason, errors, engine } = await run({ polls: [body] });
      expect(reason).toBe("transport error");
      expect(errors).toHaveLength(1);
      expect(engine.readyState).toBe("closed");
    });
  }

  it("closes with transport error on a garbage handshake over websocket", async () => {
    const { reason, errors } = await run({ onWebSocket: (ws) => ws.send('0{"sid":') }, ["websocket"]);
    expect(reason).toBe("transport error");
    expect(errors[0].message).toBe("invalid handshake");
  });

  it("closes with transport error on a binary frame instead of a handshake", async () => {
    const { reason } = await run({ onWebSocket: (ws) => ws.send(Buffer.from([0, 1, 2])) }, ["websocket"]);
    expect(reason).toBe("transport error");
  });

  it("delivers the packets before a broken one in a payload, then closes", async () => {
    const { reason, inbox, errors } = await run({
      polls: [openPacket(), ["4first", "4second", "Xbroken", "4never"].join(SEP)],
    });
    expect(inbox).toEqual(["first", "second"]);
    expect(reason).toBe("transport error");
    expect(errors[0].message).toBe("server error");
    expect((errors[0] as Error & { code?: unknown }).code).toBe("parser error");
  });

  it("closes on an empty packet inside a payload", async () => {
    const { reason, inbox } = await run({ polls: [openPacket(), `4a${SEP}${SEP}4b`] });
    expect(inbox).toEqual(["a"]);
    expect(reason).toBe("transport error");
  });

  it("closes on an unknown packet type over websocket", async () => {
    const { reason, inbox } = await run(
      {
        onWebSocket: (ws) => {
          ws.send(openPacket());
          ws.send("4ok");
          ws.send("7what");
          ws.send("4never");
        },
      },
      ["websocket"],
    );
    expect(inbox).toEqual(["ok"]);
    expect(reason).toBe("transport error");
  });

  it("closes on an empty websocket frame", async () => {
    const { reason } = await run({ onWebSocket: (ws) => (ws.send(openPacket()), ws.send("")) }, ["websocket"]);
    expect(reason).toBe("transport error");
  });

  it("survives base64 garbage in a binary packet", async () => {
    raw = await startRawEngineServer({ polls: [openPacket(), `b!!!*${SEP}4after`] });
    const engine = connect(raw, { transports: ["polling"] });
    engine.binaryType = "arraybuffer";
    const inbox = clientInbox(engine);
    await once(engine, "open");
    await once(engine, "message");
    await sleep(20);
    expect(inbox.length).toBe(2);
    expect(inbox[0]).toBeInstanceOf(ArrayBuffer);
    expect(inbox[1]).toBe("after");
    engine.close();
  });

  it("closes with transport error when a poll gets an HTTP error", async () => {
    const { reason, errors } = await run({
      polls: [openPacket(), { status: 400, body: '{"code":1,"message":"Session ID unknown"}' }],
    });
    expect(reason).toBe("transport error");
    expect(errors[0].message).toBe("xhr poll error");
    expect((errors[0] as Error & { description?: unknown }).description).toBe(400);
  });

  it("ignores a stray handshake mid-session", async () => {
    raw = await startRawEngineServer({ polls: [openPacket({ sid: "first" }), openPacket({ sid: "second" }), "4after"] });
    const engine = connect(raw, { transports: ["polling"] });
    const inbox = clientInbox(engine);
    await once(engine, "open");
    await once(engine, "message");
    expect(inbox).toEqual(["after"]);
    expect(engine.id).toBe("first");
    expect(engine.readyState).toBe("open");
    engine.close();
  });

  it("closes with transport error when a POST is refused", async () => {
    raw = await startRawEngineServer({ polls: [openPacket()], onPost: () => ({ status: 400, body: "bad" }) });
    const engine = connect(raw, { transports: ["polling"] });
    await once(engine, "open");
    const error = once<[Error & { description?: unknown }]>(engine, "error");
    const close = closed(engine);
    engine.write("hello");
    const [err] = await error;
    expect(err.message).toBe("xhr post error");
    expect(err.description).toBe(400);
    expect((await close)[0]).toBe("transport error");
  });

  it("a listener that throws is reported, and the engine carries on", async () => {
    const reported: unknown[] = [];
    vi.stubGlobal("reportError", (err: unknown) => reported.push(err));
    raw = await startRawEngineServer({ polls: [openPacket(), "4one", "4two"] });
    const engine: Engine = connect(raw, { transports: ["polling"] });
    engine.on("message", () => {
      throw new Error("listener bug");
    });
    const inbox = clientInbox(engine);
    await once(engine, "open");
    await sleep(50);
    expect(inbox).toEqual(["one", "two"]);
    expect(reported.map((e) => (e as Error).message)).toEqual(["listener bug", "listener bug"]);
    expect(engine.readyState).toBe("open");
    engine.close();
  });
});
