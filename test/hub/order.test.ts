import { afterEach, describe, expect, it } from "vitest";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once } from "../helpers/server";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const N = 1000;

describe("order, counts and batching", () => {
  it(`${N} events from the server reach every tab in order, exactly once`, async () => {
    h = await harness();
    const tabs = [await h.tab(), await h.tab(), await h.tab()];
    const sockets = tabs.map((t) => t.io(h.server.url));
    const got = sockets.map(() => [] as number[]);
    sockets.forEach((s, i) => s.on("seq", (n: number) => got[i]!.push(n)));
    await Promise.all(sockets.map((s) => once(s, "connect")));
    for (let i = 0; i < N; i++) h.server.io.emit("seq", i);
    await waitFor(() => got.every((g) => g.length >= N), 5000, "all events");
    await settle(50);
    const expected = Array.from({ length: N }, (_, i) => i);
    for (const g of got) expect(g).toEqual(expected);
    // Coalesced: far fewer postMessages than events.
    const diag = await tabs[0]!.diagnostics();
    for (const tab of diag.tabs) expect(tab.batchesSent).toBeLessThan(N / 2);
  });

  it(`${N} emits from each of two tabs reach the server in order, exactly once; a burst is one bridge message`, async () => {
    h = await harness();
    const received = new Map<string, number[]>();
    h.server.io.on("connection", (s) =>
      s.on("seq", (who: string, n: number) => {
        const list = received.get(who) ?? [];
        list.push(n);
        received.set(who, list);
      }),
    );
    const a = await h.tab();
    const b = await h.tab();
    const sa = a.io(h.server.url);
    const sb = b.io(h.server.url);
    await Promise.all([once(sa, "connect"), once(sb, "connect")]);
    await settle(20);
    const batchesBefore = h.hub.tabs.get(a.tabId)!.batchesReceived;
    for (let i = 0; i < N; i++) sa.emit("seq", "a", i);
    for (let i = 0; i < N; i++) sb.emit("seq", "b", i);
    await settle(0);
    // One synchronous burst: one op batch, one postMessage.
    await waitFor(() => h.hub.tabs.get(a.tabId)!.opsReceived >= N, 3000, "the burst");
    expect(h.hub.tabs.get(a.tabId)!.batchesReceived - batchesBefore).toBe(1);
    await waitFor(() => (received.get("a")?.length ?? 0) >= N && (received.get("b")?.length ?? 0) >= N, 5000, "all emits");
    await settle(50);
    const expected = Array.from({ length: N }, (_, i) => i);
    expect(received.get("a")).toEqual(expected);
    expect(received.get("b")).toEqual(expected);
  });

  it("listener changes travel with emits: a listener added before an emit sees the answer to it", async () => {
    h = await harness();
    h.server.io.on("connection", (s) => s.on("ping-me", () => s.emit("pong", 1)));
    const a = await h.tab();
    const s = a.io(h.server.url);
    await once(s, "connect");
    const got: number[] = [];
    s.on("pong", (n: number) => got.push(n));
    s.emit("ping-me");
    await waitFor(() => got.length === 1);
    expect(got).toEqual([1]);
  });

  it("emits made before the hub answered are queued and sent once, in order", async () => {
    h = await harness();
    const received: number[] = [];
    h.server.io.on("connection", (s) => s.on("early", (n: number) => received.push(n)));
    const tab = await h.tab({ ready: false });
    const s = tab.io(h.server.url);
    for (let i = 0; i < 5; i++) s.emit("early", i);
    s.volatile.emit("early", 99);
    await once(s, "connect");
    await waitFor(() => received.length === 5);
    await settle(50);
    expect(received).toEqual([0, 1, 2, 3, 4]);
  });
});
