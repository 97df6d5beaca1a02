import { afterEach, describe, expect, it } from "vitest";
import type { TransportView } from "../../src/engine/types";
import { once, sleep } from "../helpers/server";
import { openPacket, startRawEngineServer, type RawEngineServer } from "../helpers/raw-engine-server";
import {
  clientInbox,
  closed,
  connect,
  serverInbox,
  startEngineServer,
  waitFor,
  type EngineTestServer,
} from "./helpers";

describe("upgrade and transport choice", () => {
  let server: EngineTestServer | undefined;
  let raw: RawEngineServer | undefined;
  afterEach(async () => {
    await server?.close();
    await raw?.close();
    server = undefined;
    raw = undefined;
  });

  it("upgrades polling to websocket without losing or reordering a message", async () => {
    server = await startEngineServer();
    const engine = connect(server);
    const events: string[] = [];
    engine.on("upgrading", (t: TransportView) => events.push(`upgrading:${t.name}`));
    engine.on("upgrade", (t: TransportView) => events.push(`upgrade:${t.name}`));
    engine.on("upgradeError", (err) => events.push(`upgradeError:${err.message}`));
    const remote = await server.nextSocket();
    const received = serverInbox(remote);
    const inbox = clientInbox(engine);
    const serverUpgraded = once(remote, "upgrade");
    await once(engine, "open");
    expect(engine.transport.name).toBe("polling");
    // Keep both directions busy across the whole upgrade.
    let sent = 0;
    const pump = setInterval(() => {
      engine.write(`c${sent}`);
      remote.send(`s${sent}`);
      sent++;
    }, 2);
    await once(engine, "upgrade");
    await serverUpgraded;
    await sleep(30);
    clearInterval(pump);
    await waitFor(() => received.length === sent && inbox.length === sent);
    expect(received).toEqual(Array.from({ length: sent }, (_, i) => `c${i}`));
    expect(inbox).toEqual(Array.from({ length: sent }, (_, i) => `s${i}`));
    expect(events).toEqual(["upgrading:websocket", "upgrade:websocket"]);
    expect(engine.transport.name).toBe("websocket");
    expect(remote.transport.name).toBe("websocket");
    expect(sent).toBeGreaterThan(5);
    engine.close();
  });

  it("stays on polling with upgrade: false", async () => {
    server = await startEngineServer();
    const engine = connect(server, { upgrade: false });
    const remote = await server.nextSocket();
    await once(engine, "open");
    await sleep(200);
    expect(engine.transport.name).toBe("polling");
    expect(remote.transport.name).toBe("polling");
    expect(server.requests.some((r) => r.headers.upgrade === "websocket")).toBe(false);
    engine.close();
  });

  it("starts with the first transport listed", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket", "polling"] });
    await once(engine, "open");
    expect(engine.transport.name).toBe("websocket");
    expect(server.requests.every((r) => r.headers.upgrade === "websocket")).toBe(true);
    engine.close();
  });

  it("with tryAllTransports, falls back when the first transport cannot open", async () => {
    server = await startEngineServer({ transports: ["polling"] });
    const engine = connect(server, { transports: ["websocket", "polling"], tryAllTransports: true });
    let errors = 0;
    engine.on("error", () => errors++);
    const remote = await server.nextSocket();
    await once(engine, "open");
    expect(engine.transport.name).toBe("polling");
    expect(remote.transport.name).toBe("polling");
    expect(errors).toBe(0);
    engine.close();
  });

  it("without tryAllTransports, a transport that cannot open is a transport error", async () => {
    server = await startEngineServer({ transports: ["polling"] });
    const engine = connect(server, { transports: ["websocket", "polling"] });
    const error = once<[Error]>(engine, "error");
    const [reason] = await closed(engine);
    const [err] = await error;
    expect(reason).toBe("transport error");
    expect(err.message).toBe("websocket error");
    expect(engine.readyState).toBe("closed");
  });

  it("reports a failed probe as upgradeError and keeps polling", async () => {
    raw = await startRawEngineServer({
      polls: [openPacket({ upgrades: ["websocket"] }), "4still polling"],
      onWebSocket: (ws) => ws.on("message", () => ws.send("3not-the-probe")),
    });
    const engine = connect(raw, { path: "/engine.io" });
    const upgradeError = once<[Error & { transport?: string }]>(engine, "upgradeError");
    const message = once<[string]>(engine, "message");
    const [err] = await upgradeError;
    expect(err.message).toBe("probe error");
    expect(err.transport).toBe("websocket");
    expect((await message)[0]).toBe("still polling");
    expect(engine.transport.name).toBe("polling");
    expect(engine.readyState).toBe("open");
    const probe = raw.requests.find((r) => r.method === "UPGRADE");
    expect(probe?.url.searchParams.get("sid")).toBe("raw-sid");
    engine.close();
  });

  it("closing during an upgrade waits for it, then closes with forced close", async () => {
    server = await startEngineServer();
    const engine = connect(server);
    const remote = await server.nextSocket();
    engine.on("upgrading", () => engine.close());
    const upgrade = once(engine, "upgrade");
    const [reason] = await closed(engine);
    await upgrade;
    expect(reason).toBe("forced close");
    await waitFor(() => remote.readyState === "closed");
  });
});
