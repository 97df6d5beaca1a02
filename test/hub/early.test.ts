/**
 * A hub whose saved sessions are still loading (a cold SharedWorker opening
 * IndexedDB): the connection a tab asks for opens at once, and its namespace
 * CONNECT waits for the sessions, so that it still resumes the saved one.
 */
import { afterEach, expect, it } from "vitest";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once } from "../helpers/server";
import { MemorySessionStore } from "../../worker/session-store";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

it("the connection opens while the sessions load; the namespace connects after, resuming the saved session", async () => {
  let ready: Promise<void> = Promise.resolve();
  const env = { graceMs: 5000, sessions: new MemorySessionStore() };
  // Read at each hub's making (the harness spreads it): the next hub gets the pending one.
  Object.defineProperty(env, "ready", { enumerable: true, get: () => ready });
  h = await harness({ connectionStateRecovery: { maxDisconnectionDuration: 10_000 } }, env);
  h.server.io.on("connection", (socket) => socket.join("room"));
  const a = await h.tab();
  const sa = a.io(h.server.url);
  await once(sa, "connect");
  const id = sa.id;
  // The hub sees an event: its saved session has an offset to resume from.
  h.server.io.to("room").emit("n", 0);
  await settle(50);
  a.dispose();
  await waitFor(() => h.hub.tabs.size === 0, 2000, "the tab to go");
  const serverSocket = [...h.server.io.of("/").sockets.values()][0]!;
  const gone = once(serverSocket, "disconnect");
  let load = () => {};
  ready = new Promise<void>((resolve) => (load = resolve));
  h.killHub();
  await gone;
  h.server.io.to("room").emit("n", 1);

  const b = await h.tab();
  const sb = b.io(h.server.url);
  const got: number[] = [];
  sb.on("n", (n: number) => got.push(n));
  // The handshake is done while the sessions load; the namespace waits.
  await waitFor(() => h.server.connectionsAccepted() === 2, 2000, "the second connection");
  await settle(50);
  expect(h.server.io.of("/").sockets.size).toBe(0);
  expect(sb.connected).toBe(false);

  load();
  await once(sb, "connect");
  expect(sb.recovered).toBe(true);
  expect(sb.id).toBe(id);
  await waitFor(() => got.length === 1, 2000, "the missed event");
  expect(got).toEqual([1]);
});
