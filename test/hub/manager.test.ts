import { afterEach, describe, expect, it } from "vitest";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once } from "../helpers/server";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

function dropTransport(): void {
  for (const s of h.server.io.of("/").sockets.values()) s.conn.close();
}

describe("Managers across tabs", () => {
  it("Manager events reach the tabs that listen: close, reconnect_attempt, reconnect", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url, { reconnectionDelay: 20, randomizationFactor: 0 });
    const sb = b.io(h.server.url, { reconnectionDelay: 20, randomizationFactor: 0 });
    const seen: string[] = [];
    sa.io.on("close", (reason) => seen.push(`close:${reason}`));
    sa.io.on("reconnect_attempt", (n) => seen.push(`attempt:${n}`));
    sa.io.on("reconnect", (n) => seen.push(`reconnect:${n}`));
    const bSeen: string[] = [];
    sb.on("disconnect", (r) => bSeen.push(`disconnect:${r}`));
    sb.on("connect", () => bSeen.push("connect"));
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    bSeen.length = 0;
    dropTransport();
    await waitFor(() => seen.includes("reconnect:1") && bSeen.length === 2, 3000, "the reconnection");
    expect(seen).toEqual(["close:transport close", "attempt:1", "reconnect:1"]);
    expect(bSeen).toEqual(["disconnect:transport close", "connect"]);
    expect(sb.id).toBe(sa.id);
  });

  it("settings are shared by every tab on the Manager: reconnection(false) in one tab stops both", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url, { reconnectionDelay: 20 });
    const sb = b.io(h.server.url, { reconnectionDelay: 20 });
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    expect(sb.io.reconnection()).toBe(true);
    sa.io.reconnection(false);
    expect(sa.io.reconnection()).toBe(false);
    await settle(30);
    dropTransport();
    await once(sb, "disconnect");
    await settle(200);
    expect(sa.connected || sb.connected).toBe(false);
    expect(h.server.connectionsAccepted()).toBe(1);
  });

  it("open(cb) with autoConnect: false opens the connection and calls back", async () => {
    h = await harness();
    const a = await h.tab();
    const manager = new a.Manager(h.server.url, { autoConnect: false });
    await settle(30);
    expect(h.server.connectionsAccepted()).toBe(0);
    const err = await new Promise<Error | undefined>((resolve) => manager.open(resolve));
    expect(err).toBeUndefined();
    expect(manager.engine.readyState).toBe("open");
    expect(h.server.connectionsAccepted()).toBe(1);
    const socket = manager.socket("/");
    expect(socket.connected).toBe(false);
    socket.connect();
    await once(socket, "connect");
    expect(h.server.connectionsAccepted()).toBe(1);
  });

  it("engine packets cross only while a tab listens to them", async () => {
    h = await harness();
    const a = await h.tab();
    const s = a.io(h.server.url, { transports: ["websocket"] });
    await once(s, "connect");
    await settle(20);
    const diagBefore = (await a.diagnostics()).tabs[0]!.messagesSent;
    s.emit("hello");
    await settle(60);
    expect((await a.diagnostics()).tabs[0]!.messagesSent).toBe(diagBefore);
    const created: unknown[] = [];
    s.io.engine.on("packetCreate", (p) => created.push(p));
    await settle(20);
    s.emit("hello", 1);
    await waitFor(() => created.length >= 1);
    expect(created[0]).toMatchObject({ type: "message" });
  });
});
