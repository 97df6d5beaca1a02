import { afterEach, describe, expect, it } from "vitest";
import ioDefault, { connect, io, Manager, protocol, Socket } from "../../src/index";
import { once, startServer } from "../helpers/server";
import { Cleanup } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe("io() lookup", () => {
  it("exports io as default, io.connect, connect, io.protocol === 5", () => {
    expect(ioDefault).toBe(io);
    expect(io.connect).toBe(io);
    expect(connect).toBe(io);
    expect(io.protocol).toBe(5);
    expect(protocol).toBe(5);
    expect(io.Manager).toBe(Manager);
    expect(io.Socket).toBe(Socket);
  });

  it("shares one Manager per origin across namespaces; the namespace comes from the URL path", async () => {
    const server = cleanup.server(await startServer());
    server.io.of("/users");
    const main = cleanup.socket(io(server.url));
    const users = cleanup.socket(io(`${server.url}/users`));
    expect(users.io).toBe(main.io);
    expect(users.nsp).toBe("/users");
    expect(main.nsp).toBe("/");
    await Promise.all([once(main, "connect"), once(users, "connect")]);
    expect(server.connectionsAccepted()).toBe(1);
  });

  it("makes a new Manager for a namespace it already has, for forceNew and for multiplex: false", async () => {
    const server = cleanup.server(await startServer());
    const a = cleanup.socket(io(server.url));
    const b = cleanup.socket(io(server.url));
    expect(b.io).not.toBe(a.io);
    expect(b).not.toBe(a);
    server.io.of("/x");
    const c = cleanup.socket(io(`${server.url}/x`, { forceNew: true }));
    const d = cleanup.socket(io(`${server.url}/x`, { multiplex: false }));
    expect(c.io).not.toBe(a.io);
    expect(d.io).not.toBe(a.io);
    expect(d.io).not.toBe(c.io);
    const e = cleanup.socket(io(`${server.url}/x`));
    expect(e.io).toBe(a.io); // /x is new for the cached Manager
    await Promise.all([a, b, c, d, e].map((s) => once(s, "connect")));
    expect(server.connectionsAccepted()).toBe(4);
  });

  it("passes the URL's query, or opts.query, and opts.path to the server", async () => {
    const server = cleanup.server(await startServer({ path: "/custom/" }));
    const queries: Array<Record<string, unknown>> = [];
    server.io.on("connection", (s) => queries.push(s.handshake.query));
    const a = cleanup.socket(io(`${server.url}?token=a%20b&x=1`, { path: "/custom/", forceNew: true }));
    await once(a, "connect");
    const b = cleanup.socket(io(server.url, { path: "/custom/", forceNew: true, query: { token: "q" } }));
    await once(b, "connect");
    expect(queries[0]).toMatchObject({ token: "a b", x: "1" });
    expect(queries[1]).toMatchObject({ token: "q" });
  });

  it("defaults to globalThis.location when no URL is given", async () => {
    const server = cleanup.server(await startServer());
    const g = globalThis as { location?: unknown };
    const saved = g.location;
    g.location = { protocol: "http:", host: `127.0.0.1:${server.port}` };
    try {
      const socket = cleanup.socket(io({ forceNew: true }));
      await once(socket, "connect");
      const admin = cleanup.socket(io("/", { forceNew: true }));
      await once(admin, "connect");
    } finally {
      g.location = saved;
    }
  });

  it("new Manager(url, opts).socket(nsp, { auth }) is what io(url/nsp, opts) does", async () => {
    const server = cleanup.server(await startServer());
    const auths: unknown[] = [];
    server.io.of("/my-namespace").on("connection", (s) => auths.push(s.handshake.auth));
    const manager = cleanup.manager(new Manager(server.url, { reconnectionDelayMax: 10000 }));
    const socket = cleanup.socket(manager.socket("/my-namespace", { auth: { token: "123" } }));
    await once(socket, "connect");
    expect(auths).toEqual([{ token: "123" }]);
    expect(manager.reconnectionDelayMax()).toBe(10000);
  });
});
