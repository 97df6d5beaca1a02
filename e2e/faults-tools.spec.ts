/**
 * The fault suite's own tools, in the browser: the watcher of SharedWorker
 * exceptions must see what it exists to see (else "0 uncaught exceptions in
 * the worker" would prove nothing), and the pages really go through the proxy.
 */
import { test, expect } from "./faults/fixture";
import { connect, until } from "./faults/tabs";

test("the worker watcher sees an exception and an unhandled rejection thrown in the SharedWorker; tabs go through the proxy", async ({
  faultProxy: proxy,
  openFaultTabs,
  pageErrors,
  watchWorker,
}) => {
  const [tab] = await openFaultTabs(1);
  await connect(tab, "main");
  const worker = await watchWorker(tab);
  expect(await worker.evaluate("typeof SharedWorkerGlobalScope")).toBe("function");
  await worker.evaluate("setTimeout(() => { throw new Error('thrown in the worker') }); Promise.reject(new Error('rejected in the worker')); 0");
  await until(() => worker.exceptions.length >= 2, "the worker's exceptions");
  expect(worker.exceptions.join("\n")).toMatch(/thrown in the worker[\s\S]*rejected in the worker/);

  await tab.evaluate(() => setTimeout(() => { throw new Error("thrown in the tab"); }));
  await until(() => pageErrors.length >= 1, "the tab's error");
  expect(pageErrors[0]).toMatch(/thrown in the tab/);

  // The page, its worker and its connection all came through the proxy.
  expect(new URL(tab.url()).port).toBe(String(proxy.port));
  const before = proxy.counters().webSocketConnections;
  await connect(tab, "second", { forceNew: true, transports: ["websocket"] });
  expect(proxy.counters().webSocketConnections).toBe(before + 1);
});
