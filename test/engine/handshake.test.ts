import { afterEach, describe, expect, it } from "vitest";
import type { Handshake } from "../../src/engine/types";
import { once } from "../helpers/server";
import { connect, startEngineServer, type EngineTestServer } from "./helpers";

describe("engine handshake", () => {
  let server: EngineTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  for (const transports of [["polling"], ["websocket"]]) {
    it(`reads the server's handshake over ${transports[0]}`, async () => {
      server = await startEngineServer({ pingInterval: 1234, pingTimeout: 567, maxHttpBufferSize: 4321 });
      // The server names the session; the client must read that name.
      server.io.engine.generateId = () => `sid-of-${transports[0]}`;
      const engine = connect(server, { transports });
      const serverSocket = server.nextSocket();
      const handshakeEvent = once<[Handshake]>(engine, "handshake");
      const openEvent = once(engine, "open");
      const [handshake] = await handshakeEvent;
      await openEvent;
      const remote = await serverSocket;
      expect(engine.readyState).toBe("open");
      expect(engine.id).toBe(`sid-of-${transports[0]}`);
      expect(handshake.sid).toBe(engine.id);
      expect(engine.pingInterval).toBe(1234);
      expect(engine.pingTimeout).toBe(567);
      expect(engine.maxPayload).toBe(4321);
      expect(handshake).toMatchObject({ pingInterval: 1234, pingTimeout: 567, maxPayload: 4321 });
      expect(handshake.upgrades).toEqual(transports[0] === "polling" ? ["websocket"] : []);
      expect(engine.transport.name).toBe(transports[0]);
      expect(engine.transport.writable).toBe(true);
      expect(remote.transport.name).toBe(transports[0]);
      engine.close();
    });
  }

  it("only lists upgrades the client allows", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    const [handshake] = await once<[Handshake]>(engine, "handshake");
    expect(handshake.upgrades).toEqual(["websocket"]);
    expect(engine.upgrades).toEqual([]);
    engine.close();
  });

  it("accepts hostname/port/secure options instead of a URI", async () => {
    server = await startEngineServer();
    const { Engine } = await import("../../src/engine/engine");
    const engine = new Engine({ hostname: "127.0.0.1", port: server.port, secure: false, path: "/socket.io" });
    await once(engine, "open");
    expect(engine.id).toEqual(expect.any(String));
    engine.close();
  });

  it("accepts a ws:// URI", async () => {
    server = await startEngineServer();
    const engine = connect({ url: server.url.replace("http://", "ws://") }, { transports: ["websocket"] });
    await once(engine, "open");
    expect(engine.transport.name).toBe("websocket");
    engine.close();
  });
});
