/**
 * Short calls into the fault page's recorder (e2e/pages/faults-harness.js)
 * from the specs, and waits that poll it.
 */
import type { Page } from "@playwright/test";
import type { FaultsDiagnostics, LifecycleEntry, SettledAck } from "./page-types";

/** Connects socket `key` in `tab` (io(opts) through the page's origin unless opts.url), recording `events`. */
export function connect(tab: Page, key: string, opts: Record<string, unknown> = {}, events: string[] = []): Promise<string> {
  return tab.evaluate((a) => window.faults.connect(a.key, a.opts, a.events), { key, opts, events });
}

/** Connects socket `key` in every tab, one after the other (the first makes the connection). */
export async function connectAll(tabs: Page[], key: string, opts: Record<string, unknown> = {}, events: string[] = []): Promise<string[]> {
  const ids: string[] = [];
  for (const tab of tabs) ids.push(await connect(tab, key, opts, events));
  return ids;
}

export const numbers = (tab: Page, key: string, event: string): Promise<number[]> =>
  tab.evaluate((a) => window.faults.numbers(a.key, a.event), { key, event });

export const count = (tab: Page, key: string, event: string): Promise<number> =>
  tab.evaluate((a) => window.faults.count(a.key, a.event), { key, event });

export const lifecycle = (tab: Page, key: string): Promise<LifecycleEntry[]> =>
  tab.evaluate((k) => window.faults.lifecycle(k), key);

export const settled = (tab: Page, key: string): Promise<SettledAck[]> => tab.evaluate((k) => window.faults.settled(k), key);

export const socketState = (tab: Page, key: string) => tab.evaluate((k) => window.faults.state(k), key);

export const diagnostics = (tab: Page): Promise<FaultsDiagnostics> => tab.evaluate(() => window.faults.diagnostics());

export const tabErrors = (tab: Page): Promise<string[]> => tab.evaluate(() => window.faults.errors());

/** Disconnect reasons of socket `key`, in order. */
export async function disconnectReasons(tab: Page, key: string): Promise<string[]> {
  return (await lifecycle(tab, key)).flatMap((e) => (e.type === "disconnect" ? [e.reason] : []));
}

/** Polls `check` every 25 ms until it holds; throws with `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until every tab counted `total` arrivals of `event` on socket `key`. */
export async function untilEveryTabHas(tabs: Page[], key: string, event: string, total: number, timeoutMs = 15_000): Promise<void> {
  await until(
    async () => (await Promise.all(tabs.map((tab) => count(tab, key, event)))).every((n) => n >= total),
    `${total} "${event}" in every tab`,
    timeoutMs,
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
