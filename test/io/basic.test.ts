import { afterEach, describe, expect, it } from "vitest";
import { Manager } from "../../src/io/manager";
import { lookup as io } from "../../src/io/lookup";
import type { Socket } from "../../src/io/socket";
import { once, startServer, type TestServer } from "../helpers/server";

let server: TestServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server?.close();
  server = undefined;
});

function track<T extends Socket>(s: T): T {
  sockets.push(s as unknown as Socket);
  return s;
}

describe("connection", () => {
  it("connects to the main namespace and exchanges an event with an ack", async () => {
    server = await startServer();
    server.io.on("connection", (s) => {
      s.on("hello", (arg: string, cb: (a: string) => void) => cb(`got ${arg}`));
    });
    const socket = track(io(server.url, { forceNew: true }));
    expect(socket.id).toBeUndefined();
    expect(socket.connected).toBe(false);
    await once(socket, "connect");
    expect(socket.connected).toBe(true);
    expect(socket.disconnected).toBe(false);
    expect(socket.id).toMatch(/.+/);
    const answer = await new Promise((resolve) => socket.emit("hello", "world", resolve));
    expect(answer).toBe("got world");
  });

  it("multiplexes two namespaces over one engine connection", async () => {
    server = await startServer();
    const seen: string[] = [];
    server.io.of("/admin").on("connection", (s) => seen.push(`admin:${s.id}`));
    server.io.on("connection", (s) => seen.push(`main:${s.id}`));
    const manager = new Manager(server.url);
    const main = track(manager.socket("/"));
    const admin = track(manager.socket("/admin"));
    await Promise.all([once(main, "connect"), once(admin, "connect")]);
    expect(server.connectionsAccepted()).toBe(1);
    expect(seen).toHaveLength(2);
    expect(main.id).not.toBe(admin.id);
    expect(manager.socket("/admin")).toBe(admin);
  });
});
