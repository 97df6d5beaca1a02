/**
 * One trial: a fresh browser context (so a fresh SharedWorker), `tabs` tabs of
 * one library, and the measurements in a fixed order. Times come from the
 * pages (bench/pages/bench.js); CPU from /proc (bench/proc-cpu.ts) and from
 * the server process (bench/server.ts).
 */
import type { CpuSample } from "./proc-cpu";
import { cpuBetween } from "./proc-cpu";
import type { BurstServerStats, FanoutServerStats } from "./server";
import type { BenchServer } from "./server-handle";
import { median, percentile } from "./stats";
import type { BurstTimes } from "./globals";
import type { Tab, TabDriver, TabGroup } from "./tabs";

export type Mode = "direct" | "shared";

/** How much of each measurement a trial does; 0 skips it. */
export interface TrialPlan {
  tabs: number;
  echoWarmup: number;
  echoCount: number;
  binaryWarmup: number;
  binaryCount: number;
  burstEvents: number;
  fanoutEvents: number;
}

export interface TrialResult {
  mode: Mode;
  tabs: number;
  /** io() → connect in the first tab (shared: the worker starts cold). */
  connectColdMs: number;
  /** io() → connect in the later tabs (median; shared: another tab holds the connection). */
  connectWarmMs: number;
  echo100?: { p50: number; p99: number };
  echo1MiB?: { p50: number };
  burst?: BurstTimes & { eventsPerSec: number; mainThreadUsPerEmit: number; server: BurstServerStats };
  fanout?: {
    /** Events per second each tab got, until the last tab had all. */
    eventsPerSecPerTab: number;
    /** Median over tabs of first → last tick. */
    firstToLastMs: number;
    browserCpuMs: number;
    browserCpuByKind: Record<string, number>;
    server: FanoutServerStats;
    /** Shared mode: hub messages and bridge messages (batches) to the tabs during the fan-out. */
    hubMessages?: number;
    hubBatches?: number;
  };
  hubMode?: string;
}

export interface TrialEnv {
  tabs: TabDriver;
  server: BenchServer;
  sampleBrowserCpu(): CpuSample;
}

let trials = 0;

async function openTab(env: TrialEnv, group: TabGroup, mode: Mode): Promise<Tab> {
  const tab = await group.openTab(`${env.server.url}/?mode=${mode}`);
  if (!(await tab.evaluate<boolean>("window.bench.crossOriginIsolated"))) {
    throw new Error("the bench page is not cross-origin isolated (COOP/COEP headers missing?)");
  }
  return tab;
}

export async function runTrial(env: TrialEnv, mode: Mode, plan: TrialPlan): Promise<TrialResult> {
  const trial = `trial-${++trials}-${mode}`;
  const group = await env.tabs.newContext();
  try {
    const pages: Tab[] = [];
    const connectMs: number[] = [];
    for (let i = 0; i < plan.tabs; i++) {
      const page = await openTab(env, group, mode);
      pages.push(page);
      connectMs.push(await page.call("connect", env.server.url, trial));
    }
    const [first] = pages;
    const result: TrialResult = {
      mode,
      tabs: plan.tabs,
      connectColdMs: connectMs[0],
      connectWarmMs: median(connectMs.slice(1)),
    };

    if (plan.echoCount > 0) {
      const times = await first.call("echo", plan.echoCount, plan.echoWarmup, 100, false);
      result.echo100 = { p50: percentile(times, 50), p99: percentile(times, 99) };
    }
    if (plan.binaryCount > 0) {
      const times = await first.call("echo", plan.binaryCount, plan.binaryWarmup, 1024 * 1024, true);
      result.echo1MiB = { p50: percentile(times, 50) };
    }
    if (plan.burstEvents > 0) {
      const burst = await first.call("burst", plan.burstEvents);
      result.burst = {
        ...burst,
        eventsPerSec: plan.burstEvents / (burst.totalMs / 1000),
        mainThreadUsPerEmit: (burst.mainThreadMs * 1000) / plan.burstEvents,
        server: await env.server.burstStats(trial),
      };
    }
    if (plan.fanoutEvents > 0) result.fanout = await fanout(env, pages, trial, plan.fanoutEvents);
    if (mode === "shared") result.hubMode = (await first.call("hubTraffic"))?.mode;
    if (group.errors.length > 0) throw new Error(`errors in the pages:\n${group.errors.join("\n")}`);
    return result;
  } finally {
    await group.close();
  }
}

async function fanout(env: TrialEnv, pages: Tab[], trial: string, n: number): Promise<NonNullable<TrialResult["fanout"]>> {
  const [first] = pages;
  await Promise.all(pages.map((page) => page.call("fanoutArm", n)));
  const hubBefore = await first.call("hubTraffic");

  const cpuBefore = env.sampleBrowserCpu();
  const startedAt = await first.call("fanoutStart", n, pages.length);
  const done = await Promise.all(pages.map((page) => page.call("fanoutDone")));
  const cpu = cpuBetween(cpuBefore, env.sampleBrowserCpu());

  const hubAfter = await first.call("hubTraffic");
  const lastAt = Math.max(...done.map((tab) => tab.at));
  return {
    eventsPerSecPerTab: n / ((lastAt - startedAt) / 1000),
    firstToLastMs: median(done.map((tab) => tab.firstToLastMs)),
    browserCpuMs: cpu.totalMs,
    browserCpuByKind: cpu.byKind,
    server: await env.server.fanoutStats(trial),
    ...(hubBefore && hubAfter
      ? { hubMessages: hubAfter.messages - hubBefore.messages, hubBatches: hubAfter.batches - hubBefore.batches }
      : {}),
  };
}
