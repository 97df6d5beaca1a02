import { afterEach, describe, expect, it } from "vitest";
import { once } from "../helpers/server";
import { closed, connect, serverInbox, startEngineServer, waitFor, type EngineTestServer } from "./helpers";

describe("closing", () => {
  let server: EngineTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  for (const transport of ["polling", "websocket"]) {
    it(`reports "transport close" when the server closes the session (${transport})`, async () => {
      server = await startEngineServer();
      const engine = connect(server, { transports: [transport] });
      const remote = await server.nextSocket();
      await once(engine, "open");
      const close = closed(engine);
      remote.close();
      const [reason] = await close;
      expect(reason).toBe("transport close");
      expect(engine.readyState).toBe("closed");
      expect(engine.id).toBeNull();
    });

    it(`close() reports "forced close" and ends the server session cleanly (${transport})`, async () => {
      server = await startEngineServer();
      const engine = connect(server, { transports: [transport] });
      const remote = await server.nextSocket();
      const serverClose = once<[string]>(remote, "close");
      await once(engine, "open");
      const close = closed(engine);
      expect(engine.close()).toBe(engine);
      const [reason] = await close;
      expect(reason).toBe("forced close");
      expect((await serverClose)[0]).toBe("transport close");
    });

    it(`close() first writes what is buffered (${transport})`, async () => {
      server = await startEngineServer();
      const engine = connect(server, { transports: [transport] });
      const remote = await server.nextSocket();
      const received = serverInbox(remote);
      await once(engine, "open");
      for (let i = 0; i < 20; i++) engine.write(`m${i}`);
      engine.close();
      // Closing: nothing new is accepted.
      engine.write("too late");
      await closed(engine);
      await waitFor(() => received.length === 20);
      expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    });
  }

  it("a dropped WebSocket connection is a transport close", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"] });
    await server.nextSocket();
    await once(engine, "open");
    const close = closed(engine);
    server.dropConnections();
    const [reason] = await close;
    expect(reason).toBe("transport close");
  });

  it("a polling request that fails is a transport error", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    await server.nextSocket();
    await once(engine, "open");
    const error = once<[Error & { type?: string }]>(engine, "error");
    const close = closed(engine);
    server.dropConnections();
    const [reason] = await close;
    const [err] = await error;
    expect(reason).toBe("transport error");
    expect(err.type).toBe("TransportError");
    expect(err.message).toBe("xhr poll error");
  });

  it("close() while opening closes at once", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    let opened = false;
    engine.on("open", () => (opened = true));
    const close = closed(engine);
    engine.close();
    const [reason] = await close;
    expect(reason).toBe("forced close");
    expect(opened).toBe(false);
  });

  it("a server that is down gives error then transport error", async () => {
    server = await startEngineServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const engine = connect({ url }, { transports: ["polling"] });
    const error = once<[Error]>(engine, "error");
    const [reason] = await closed(engine);
    expect(reason).toBe("transport error");
    expect((await error)[0].message).toBe("xhr poll error");
  });

  it("handleOffline() closes at once with transport close", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"] });
    await once(engine, "open");
    const close = closed(engine);
    engine.handleOffline();
    const [reason, description] = await close;
    expect(reason).toBe("transport close");
    expect(description).toEqual({ description: "network connection lost" });
  });

  it("close() while a WebSocket is still connecting", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"] });
    const events: string[] = [];
    for (const name of ["open", "error", "packet"] as const) engine.on(name, () => events.push(name));
    const close = closed(engine);
    engine.close();
    expect((await close)[0]).toBe("forced close");
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([]);
  });

  it("emits nothing after close, even when the server keeps talking", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    const remote = await server.nextSocket();
    await once(engine, "open");
    let after = 0;
    engine.on("close", () => {
      engine.on("packet", () => after++);
      engine.on("message", () => after++);
    });
    engine.close();
    remote.send("late");
    await new Promise((r) => setTimeout(r, 50));
    expect(after).toBe(0);
    expect(engine.hasPingExpired()).toBe(false);
  });
});
