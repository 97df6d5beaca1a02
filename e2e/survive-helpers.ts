/**
 * Helpers of the survive-*.spec.ts files (issue 4): the SharedWorker as the
 * Chrome DevTools Protocol sees it (list, close), page lifecycle (freeze),
 * and short calls into the pages' harness (e2e/pages/harness.js).
 */
import type { Browser, CDPSession, Page } from "@playwright/test";

export const PAGE = "/shared.html";
export const WORKER_FILE = "socket.io-shared.worker.js";

export interface WorkerTarget {
  targetId: string;
  url: string;
}

/** The browser's SharedWorkers running our worker script (CDP `Target.getTargets`, type `shared_worker`). */
export async function sharedWorkers(cdp: CDPSession): Promise<WorkerTarget[]> {
  const { targetInfos } = await cdp.send("Target.getTargets");
  return targetInfos
    .filter((t) => t.type === "shared_worker" && t.url.includes(WORKER_FILE))
    .map((t) => ({ targetId: t.targetId, url: t.url }));
}

/** Closes the SharedWorker (as if it crashed): returns its target id. */
export async function killSharedWorker(cdp: CDPSession): Promise<string> {
  const workers = await sharedWorkers(cdp);
  if (workers.length !== 1) throw new Error(`expected one shared worker, found ${workers.length}`);
  await cdp.send("Target.closeTarget", { targetId: workers[0].targetId });
  return workers[0].targetId;
}

export function browserCdp(browser: Browser): Promise<CDPSession> {
  return browser.newBrowserCDPSession();
}

/** Connects socket "main" in each tab in turn, recording `events`; returns each tab's socket.id. */
export async function connectAll(tabs: Page[], url: string, opts: Record<string, unknown> = {}, events: string[] = []) {
  const ids: string[] = [];
  for (const tab of tabs) {
    ids.push(await tab.evaluate((a) => window.harness.connect("main", a.url, a.opts, a.events), { url, opts, events }));
  }
  return ids;
}

export const received = (tab: Page, event: string) =>
  tab.evaluate((e) => window.harness.received("main", e), event);

export const state = (tab: Page) => tab.evaluate(() => window.harness.state("main"));

export const diagnostics = (tab: Page, opts: Record<string, unknown> = {}) =>
  tab.evaluate((o) => window.lib.diagnostics(o), opts);

/**
 * Records, in the page, when socket "main" next sees `disconnect` and
 * `connect` (Date.now(), the clock the test runner shares) and what it
 * recovered; read with {@link lifecycle}.
 */
export function watchLifecycle(tab: Page) {
  return tab.evaluate(() => {
    const socket = window.harness.sockets.get("main")!;
    const w = window as unknown as { lifecycle: Array<{ event: string; at: number; reason?: string; recovered?: boolean; id?: string }> };
    w.lifecycle = [];
    socket.on("disconnect", (reason) => w.lifecycle.push({ event: "disconnect", at: Date.now(), reason }));
    socket.on("connect", () =>
      w.lifecycle.push({ event: "connect", at: Date.now(), recovered: socket.recovered, id: socket.id }),
    );
  });
}

export const lifecycle = (tab: Page) =>
  tab.evaluate(
    () =>
      (window as unknown as { lifecycle: Array<{ event: string; at: number; reason?: string; recovered?: boolean; id?: string }> })
        .lifecycle,
  );

/** Whether this page loaded the in-page hub (it hosts a hub: leader tab or in-page). */
export const hostsHub = (tab: Page) =>
  tab.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.includes("page-host")));

const lifecycleSessions = new WeakMap<Page, CDPSession>();

/**
 * Page Lifecycle through CDP: `frozen` stops the page's tasks and timers;
 * `active` resumes them. The session stays open while the page is frozen.
 */
export async function setLifecycle(tab: Page, state: "frozen" | "active"): Promise<void> {
  let cdp = lifecycleSessions.get(tab);
  if (!cdp) {
    cdp = await tab.context().newCDPSession(tab);
    lifecycleSessions.set(tab, cdp);
  }
  await cdp.send("Page.setWebLifecycleState", { state });
}
