/**
 * The Playwright `test` of the fault specs: the e2e fixtures (a real
 * socket.io server serving the pages, one browser context per test) with the
 * fault proxy in front of everything. Tabs load e2e/pages/faults-tab.html
 * through the proxy, so the page, its SharedWorker and the Socket.IO
 * connection share the proxy's origin, as an app behind a load balancer
 * does; a fault on the proxy is a fault on the network between the browser
 * and the server.
 */
import type { Page } from "@playwright/test";
import { test as base } from "../fixtures/test";
import { startFaultProxy, type FaultProxy } from "../../test/faults/proxy";
import { watchWorkerErrors, type WorkerErrors } from "./worker-errors";

export const FAULT_PAGE = "/faults-tab.html";

export interface FaultFixtures {
  /** The fault proxy in front of the test's server (pages and socket.io). */
  faultProxy: FaultProxy;
  /** Opens `count` tabs of the fault page through the proxy (several at once). */
  openFaultTabs(count: number): Promise<Page[]>;
  /** Uncaught errors (`pageerror`) of every tab opened by openFaultTabs, prefixed with the tab's index. */
  pageErrors: string[];
  /** Watches the SharedWorker of this context (call once a tab has connected); disposed after the test. */
  watchWorker(page: Page): Promise<WorkerErrors>;
}

export const test = base.extend<FaultFixtures>({
  faultProxy: async ({ server }, use) => {
    const proxy = await startFaultProxy({ port: Number(new URL(server.url).port) });
    await use(proxy);
    await proxy.close();
  },
  pageErrors: async ({}, use) => {
    await use([]);
  },
  openFaultTabs: async ({ context, faultProxy, pageErrors }, use, testInfo) => {
    let opened = 0;
    await use(async (count) => {
      const open = async () => {
        const index = opened++;
        const page = await context.newPage();
        page.on("pageerror", (err) => pageErrors.push(`tab ${index}: ${err.stack ?? err.message}`));
        page.on("console", (msg) => {
          if (msg.type() === "error") console.error(`[${testInfo.title} tab ${index} console.error] ${msg.text()}`);
        });
        await page.goto(faultProxy.url + FAULT_PAGE);
        return page;
      };
      return Promise.all(Array.from({ length: count }, open));
    });
  },
  watchWorker: async ({ browser, context }, use) => {
    const watchers: WorkerErrors[] = [];
    await use(async (page) => {
      const watcher = await watchWorkerErrors(browser, context, page);
      watchers.push(watcher);
      return watcher;
    });
    for (const watcher of watchers) await watcher.dispose();
  },
});

export { expect } from "@playwright/test";
