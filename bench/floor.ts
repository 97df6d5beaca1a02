/**
 * The platform's floor under the latency and fan-out metrics, without any
 * Socket.IO code (bench/pages/floor.js against the server's /raw-echo): what
 * a WebSocket costs in a page, in a SharedWorker, and from a page through a
 * SharedWorker. Its shared/direct ratios say how far each target is reachable
 * on this machine at all.
 */
import { percentile } from "./stats";
import type { TabDriver } from "./tabs";
import type { TrialPlan } from "./trial";

interface Spread {
  p50: number;
  p99: number;
}

export interface FloorResult {
  /** postMessage round trip tab ↔ SharedWorker, p50 (ms). */
  postMessage: number;
  /** 100 B WebSocket echo: in the page (direct's floor), in the SharedWorker, page → worker's socket → page (shared's floor). */
  echo100: { page: Spread; worker: Spread; viaWorker: Spread };
  /** 1 MiB binary echo, p50 (ms). */
  echo1MiB?: { page: number; worker: number; viaWorker: number };
  /** ms until `fanoutEvents` small frames sent at once have arrived: in one SharedWorker's socket; in one socket per tab, `tabs` tabs (until the last has all). */
  flood?: { workerMs: number; pageMs: number };
  /**
   * Connecting without Socket.IO, each in a fresh page (ms): a plain WebSocket
   * opened in the page; a new SharedWorker started and its WebSocket open (cold);
   * a page joining that running worker and hearing from it (warm).
   */
  connect: { pageCold: number; workerCold: number; pageWarm: number; workerWarm: number };
}

const spread = (times: number[]): Spread => ({ p50: percentile(times, 50), p99: percentile(times, 99) });

export async function runFloor(driver: TabDriver, url: string, plan: TrialPlan): Promise<FloorResult> {
  const group = await driver.newContext();
  try {
    const openFloorTab = () => group.openTab(`${url}/floor.html`, `typeof window.floor === "object"`);
    const tab = await openFloorTab();
    const times = (expression: string) => tab.evaluate<number[]>(`window.floor.${expression}`);
    // First, while the context is fresh, as a trial's first tab.
    const name = `floor-connect-${Math.random()}`;
    const pageCold = await tab.evaluate<number>("window.floor.pageOpen()");
    const workerCold = await tab.evaluate<number>(`window.floor.workerOpen(${JSON.stringify(name)})`);
    const second = await openFloorTab();
    const workerWarm = await second.evaluate<number>(`window.floor.workerOpen(${JSON.stringify(name)})`);
    const pageWarm = await second.evaluate<number>("window.floor.pageOpen()");
    const echo = (fn: string, count: number, warmup: number, bytes: number, binary: boolean) =>
      times(`${fn}(${count}, ${warmup}, ${bytes}, ${binary})`);

    const result: FloorResult = {
      postMessage: percentile(await times(`postMessage(${plan.echoCount}, ${plan.echoWarmup})`), 50),
      echo100: {
        page: spread(await echo("pageWebSocket", plan.echoCount, plan.echoWarmup, 100, false)),
        worker: spread(await echo("workerWebSocket", plan.echoCount, plan.echoWarmup, 100, false)),
        viaWorker: spread(await echo("viaWorker", plan.echoCount, plan.echoWarmup, 100, false)),
      },
      connect: { pageCold, workerCold, pageWarm, workerWarm },
    };
    if (plan.binaryCount > 0) {
      const p50 = async (fn: string) => percentile(await echo(fn, plan.binaryCount, plan.binaryWarmup, 1024 * 1024, true), 50);
      result.echo1MiB = { page: await p50("pageWebSocket"), worker: await p50("workerWebSocket"), viaWorker: await p50("viaWorker") };
    }
    if (plan.fanoutEvents > 0) {
      const workerMs = await tab.evaluate<number>(`window.floor.workerFlood(${plan.fanoutEvents})`);
      // One plain socket per tab, as many tabs as the trials have, flooded at once.
      const tabs = [tab];
      while (tabs.length < plan.tabs) tabs.push(await openFloorTab());
      await Promise.all(tabs.map((t) => t.evaluate("window.floor.openFlood()")));
      const spans = await Promise.all(tabs.map((t) => t.evaluate<{ start: number; end: number }>(`window.floor.pageFlood(${plan.fanoutEvents})`)));
      result.flood = { workerMs, pageMs: Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start)) };
    }
    if (group.errors.length > 0) throw new Error(`errors in the floor page:\n${group.errors.join("\n")}`);
    return result;
  } finally {
    await group.close();
  }
}
