/**
 * The tab ⇄ worker bridge across real tabs (DESIGN §4, issue 3 points 3, 4
 * and 6): state already right inside listeners, order and counts under load,
 * binary kept binary, errors whole, non-cloneable arguments refused in the tab.
 */
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures/test";
import { waitUntil } from "./fixtures/server";

const PAGE = "/shared.html";

const connect = (tab: Page, url: string, opts: Record<string, unknown> = {}, events: string[] = []) =>
  tab.evaluate((a) => window.harness.connect("main", a.url, a.opts, a.events), { url, opts, events });

const received = (tab: Page, event: string) => tab.evaluate((e) => window.harness.received("main", e), event);

test("socket state is already right inside the connect listener, in every tab, late tabs included", async ({
  server,
  openTabs,
}) => {
  const tabs = await openTabs(3, PAGE);
  const id = await connect(tabs[0], server.url);
  for (const tab of tabs.slice(1)) await connect(tab, server.url);
  const [late] = await openTabs(1, PAGE);
  await connect(late, server.url);

  for (const tab of [...tabs, late]) {
    const [[seen]] = await received(tab, "connect");
    expect(seen).toMatchObject({ id, connected: true, disconnected: false, active: true });
    expect(seen).toHaveProperty("transport", expect.any(String));
  }
});

test("1000 events server → tabs and 1000 emits tab → server: in order, exactly once, in every tab", async ({
  server,
  openTabs,
}) => {
  const COUNT = 1000;
  const upstream = new Map<number, number[]>();
  server.io.on("connection", (socket) => {
    socket.on("up", (tab: number, i: number) => {
      if (!upstream.has(tab)) upstream.set(tab, []);
      upstream.get(tab)!.push(i);
    });
  });
  const tabs = await openTabs(3, PAGE);
  for (const tab of tabs) await connect(tab, server.url, {}, ["seq"]);

  for (let i = 0; i < COUNT; i++) server.io.emit("seq", i);
  const expected = Array.from({ length: COUNT }, (_, i) => [i]);
  for (const tab of tabs) await expect.poll(() => received(tab, "seq"), { timeout: 10_000 }).toEqual(expected);

  await Promise.all(
    tabs.map((tab, t) =>
      tab.evaluate(
        (a) => {
          const socket = window.harness.sockets.get("main")!;
          for (let i = 0; i < a.count; i++) socket.emit("up", a.t, i);
        },
        { t, count: COUNT },
      ),
    ),
  );
  const inOrder = Array.from({ length: COUNT }, (_, i) => i);
  await waitUntil(() => [0, 1, 2].every((t) => (upstream.get(t)?.length ?? 0) >= COUNT), "1000 emits from each tab");
  await new Promise((r) => setTimeout(r, 200));
  for (const t of [0, 1, 2]) expect(upstream.get(t)).toEqual(inOrder);
});

test("binary stays binary: tab → server, in acks, server → tab", async ({ server, openTabs }) => {
  server.io.on("connection", (socket) => {
    socket.on("upload", (data: { bytes: Buffer; blob: Buffer }, ack: (reply: unknown) => void) => {
      ack({ bytes: [...data.bytes], blob: [...data.blob], back: Buffer.from([7, 7]) });
    });
  });
  const [tab] = await openTabs(1, PAGE);
  await connect(tab, server.url);
  const reply = await tab.evaluate(async () => {
    const socket = window.harness.sockets.get("main")!;
    const answer = (await socket.emitWithAck("upload", {
      bytes: new Uint8Array([1, 2, 3]),
      blob: new Blob([new Uint8Array([4, 5])]),
    })) as { bytes: number[]; blob: number[]; back: unknown };
    return { ...answer, back: answer.back instanceof ArrayBuffer ? [...new Uint8Array(answer.back)] : "not binary" };
  });
  expect(reply).toEqual({ bytes: [1, 2, 3], blob: [4, 5], back: [7, 7] });
});

test("connect_error crosses the bridge whole: message and data", async ({ server, openTabs }) => {
  server.io.of("/private").use((_socket, next) => {
    next(Object.assign(new Error("not allowed"), { data: { code: 403, reason: "no token" } }));
  });
  const tabs = await openTabs(2, PAGE);
  for (const tab of tabs) {
    const outcome = await tab.evaluate(
      (url) => window.harness.connect("main", url).then(() => "connected", (err: Error) => err.message),
      `${server.url}/private`,
    );
    expect(outcome).toBe("not allowed");
    expect(await received(tab, "connect_error")).toEqual([
      [{ message: "not allowed", data: { code: 403, reason: "no token" } }],
    ]);
  }
});

test("an argument that cannot be cloned throws in the calling tab, and nothing is sent", async ({
  server,
  openTabs,
}) => {
  const seen: string[] = [];
  server.io.on("connection", (socket) => socket.onAny((event: string) => seen.push(event)));
  const [tab] = await openTabs(1, PAGE);
  await connect(tab, server.url);
  const outcome = await tab.evaluate(() => {
    const socket = window.harness.sockets.get("main")!;
    const attempt = (args: unknown[]) => {
      try {
        socket.emit("bad", ...args);
        return "sent";
      } catch (err) {
        return `threw ${(err as Error).name}`;
      }
    };
    const results = [attempt([{ run() {} }]), attempt([document.body]), attempt([() => {}, "not last"])];
    socket.emit("good");
    return results;
  });
  expect(outcome).toEqual(Array(3).fill(expect.stringMatching(/^threw/)));
  await waitUntil(() => seen.includes("good"), "the good emit");
  expect(seen).toEqual(["good"]);
});
