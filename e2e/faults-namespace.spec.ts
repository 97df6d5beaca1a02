/**
 * Namespace churn on the shared connection. socket.io 4.8 acts on a namespace
 * DISCONNECT one tick late; a CONNECT for the same namespace that reaches it in
 * the same read is taken for a duplicate and the server closes the whole
 * connection, every tab's every namespace ("invalid state"). The core holds such
 * a CONNECT until the server has read the DISCONNECT (src/io/namespace-gate.ts).
 */
import type { Page } from "@playwright/test";
import { test, expect } from "./faults/fixture";
import { connect, lifecycle, sleep, until } from "./faults/tabs";

/** What the server saw leave, as "namespace reason". */
function watchServerDisconnects(io: import("socket.io").Server): string[] {
  const reasons: string[] = [];
  io.on("connection", (s) => s.on("disconnect", (r) => reasons.push(`${s.nsp.name} ${r}`)));
  io.of("/other").on("connection", (s) => s.on("disconnect", (r) => reasons.push(`${s.nsp.name} ${r}`)));
  return reasons;
}

async function onlyConnected(tab: Page, key: string): Promise<void> {
  expect((await lifecycle(tab, key)).map((e) => e.type)).toEqual(["connect"]);
}

test("a tab leaves a namespace and joins it again in one task: the other tabs' connection stays", async ({ server, faultProxy, openFaultTabs }) => {
  const reasons = watchServerDisconnects(server.io);
  const [tabA, tabB] = await openFaultTabs(2);
  await connect(tabA, "main");
  await connect(tabB, "other", { url: `${faultProxy.url}/other` });
  for (let round = 0; round < 3; round++) {
    await tabB.evaluate(() => window.faults.bounce("other"));
    await until(async () => (await lifecycle(tabB, "other")).filter((e) => e.type === "connect").length === round + 2, "tab B connected again");
  }
  await sleep(300);
  expect(reasons).toEqual(Array(3).fill("/other client namespace disconnect"));
  await onlyConnected(tabA, "main");
  expect(server.engineConnectionsAccepted()).toBe(1);
});

test("one tab leaves a namespace as another joins it: the joining tab connects, nothing else moves", async ({ server, faultProxy, openFaultTabs }) => {
  const reasons = watchServerDisconnects(server.io);
  const [tabA, tabB, tabC] = await openFaultTabs(3);
  await connect(tabA, "main");
  await connect(tabB, "other", { url: `${faultProxy.url}/other` });
  // Tab B's disconnect reaches the hub, and tab C's io() a few milliseconds later.
  await tabB.evaluate(() => window.faults.leave("other"));
  const joined = await connect(tabC, "other", { url: `${faultProxy.url}/other` }, ["hello"]);
  await sleep(300);
  expect(joined).toEqual(expect.any(String));
  expect(reasons).toEqual(["/other client namespace disconnect"]);
  await onlyConnected(tabA, "main");
  await onlyConnected(tabC, "other");
  // The namespace the hub joined again carries events to the tab that joined.
  server.io.of("/other").emit("hello", 1);
  await until(() => tabC.evaluate(() => window.faults.count("other", "hello")).then((n) => n === 1), "the event on /other");
  expect(server.engineConnectionsAccepted()).toBe(1);
});
