import { afterEach, describe, expect, it } from "vitest";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once } from "../helpers/server";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("sharing one connection between tabs", () => {
  it("two tabs: one Engine.IO connection, one server socket, the same socket.id", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    expect(h.server.connectionsAccepted()).toBe(1);
    expect(h.server.io.of("/").sockets.size).toBe(1);
    expect(sa.id).toBeTruthy();
    expect(sb.id).toBe(sa.id);
    expect(sa.connected && sb.connected).toBe(true);
    const diag = await a.diagnostics();
    expect(diag.managers).toHaveLength(1);
    expect(diag.managers[0]!.sockets[0]).toMatchObject({ nsp: "/", id: sa.id, connected: true, tabs: 2 });
  });

  it("a tab that comes later gets a connect snapshot without a new handshake", async () => {
    h = await harness();
    const a = await h.tab();
    const sa = a.io(h.server.url);
    await once(sa, "connect");
    const b = await h.tab();
    const sb = b.io(h.server.url);
    let idInListener: string | undefined;
    let connectedInListener = false;
    sb.on("connect", () => {
      idInListener = sb.id;
      connectedInListener = sb.connected;
    });
    await once(sb, "connect");
    expect(idInListener).toBe(sa.id);
    expect(connectedInListener).toBe(true);
    expect(h.server.connectionsAccepted()).toBe(1);
  });

  it("disconnect() in one tab leaves the other connected; the last one disconnects on the server", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    const serverSocket = [...h.server.io.of("/").sockets.values()][0]!;
    const reasons: string[] = [];
    sa.on("disconnect", (reason) => reasons.push(reason));
    sa.disconnect();
    expect(reasons).toEqual(["io client disconnect"]);
    expect(sa.connected).toBe(false);
    expect(sa.id).toBeUndefined();
    await settle(100);
    expect(serverSocket.connected).toBe(true);
    expect(sb.connected).toBe(true);
    const gone = once(serverSocket, "disconnect");
    sb.disconnect();
    const [reason] = await gone;
    expect(reason).toBe("client namespace disconnect");
    await waitFor(() => h.server.io.engine.clientsCount === 0, 3000, "the engine to close");
  });

  it("a tab reconnecting after disconnect() sees connect again on the same shared socket", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    sa.disconnect();
    sa.connect();
    await once(sa, "connect");
    expect(sa.id).toBe(sb.id);
    expect(h.server.connectionsAccepted()).toBe(1);
  });

  it("two namespaces from two tabs share one Engine.IO connection", async () => {
    h = await harness();
    h.server.io.of("/chat");
    const a = await h.tab();
    const b = await h.tab();
    const root = a.io(h.server.url);
    const chat = b.io(`${h.server.url}/chat`);
    await Promise.all([once(root, "connect"), once(chat, "connect")]);
    expect(h.server.connectionsAccepted()).toBe(1);
    expect(h.server.io.of("/chat").sockets.size).toBe(1);
    expect(h.server.io.of("/").sockets.size).toBe(1);
  });

  it("different auth: separate server sockets, each with its own handshake.auth", async () => {
    h = await harness();
    const seen: unknown[] = [];
    h.server.io.on("connection", (s) => seen.push(s.handshake.auth));
    const a = await h.tab();
    const b = await h.tab();
    const c = await h.tab();
    const sa = a.io(h.server.url, { auth: { token: "a", n: 1 } });
    const sb = b.io(h.server.url, { auth: { token: "b" } });
    // Same payload, other key order: shares with tab a.
    const sc = c.io(h.server.url, { auth: { n: 1, token: "a" } });
    await Promise.all([once(sa, "connect"), once(sb, "connect"), once(sc, "connect")]);
    expect(sa.id).not.toBe(sb.id);
    expect(sc.id).toBe(sa.id);
    expect(h.server.io.of("/").sockets.size).toBe(2);
    expect(seen).toEqual(expect.arrayContaining([{ token: "a", n: 1 }, { token: "b" }]));
    expect(seen).toHaveLength(2);
  });

  it("forceNew, multiplex: false and a second io() for the same namespace get a private Manager", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const shared = a.io(h.server.url);
    const second = a.io(h.server.url);
    const forced = a.io(h.server.url, { forceNew: true });
    const unplexed = a.io(h.server.url, { multiplex: false });
    const other = b.io(h.server.url);
    await Promise.all([shared, second, forced, unplexed, other].map((s) => once(s, "connect")));
    expect(second.io).not.toBe(shared.io);
    expect(other.id).toBe(shared.id);
    const ids = new Set([shared.id, second.id, forced.id, unplexed.id]);
    expect(ids.size).toBe(4);
    expect(h.server.connectionsAccepted()).toBe(4);
    const diag = await a.diagnostics();
    expect(diag.managers.filter((m) => m.private)).toHaveLength(3);
  });

  it("a second new Manager for the same connection in one tab is private; in another tab it is shared", async () => {
    h = await harness();
    const a = await h.tab();
    const b = await h.tab();
    const m1 = new a.Manager(h.server.url);
    const m2 = new a.Manager(h.server.url);
    const m3 = new b.Manager(h.server.url);
    const s1 = m1.socket("/");
    const s2 = m2.socket("/");
    const s3 = m3.socket("/");
    await Promise.all([s1, s2, s3].map((s) => once(s, "connect")));
    expect(s3.id).toBe(s1.id);
    expect(s2.id).not.toBe(s1.id);
    expect(h.server.connectionsAccepted()).toBe(2);
  });
});
