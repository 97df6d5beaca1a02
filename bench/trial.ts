/**
 * One trial: a fresh browser context (so a fresh SharedWorker), `tabs` tabs of
 * one library, and the measurements in a fixed order. Times come from the
 * pages (bench/pages/bench.js); CPU from /proc (bench/proc-cpu.ts) and from
 * the server process (bench/server.ts).
 */
import type { Browser, Page } from "@playwright/test";
import type { CpuSample } from "./proc-cpu";
import { cpuBetween } from "./proc-cpu";
import type { FanoutServerStats } from "./server";
import type { BenchServer } from "./server-handle";
import { median, percentile } from "./stats";
import type { BurstTimes } from "./globals";

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
  burst?: BurstTimes & { eventsPerSec: number; mainThreadUsPerEmit: number };
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
  browser: Browser;
  server: BenchServer;
  sampleBrowserCpu(): CpuSample;
}

let trials = 0;

async function openTab(env: TrialEnv, context: Awaited<ReturnType<Browser["newContext"]>>, mode: Mode, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (err) => errors.push(String(err.stack ?? err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  await page.goto(`${env.server.url}/?mode=${mode}`);
  await page.waitForFunction(() => window.bench !== undefined);
  if (!(await page.evaluate(() => window.bench.crossOriginIsolated))) {
    throw new Error("the bench page is not cross-origin isolated (COOP/COEP headers missing?)");
  }
  return page;
}

export async function runTrial(env: TrialEnv, mode: Mode, plan: TrialPlan): Promise<TrialResult> {
  const trial = `trial-${++trials}-${mode}`;
  const context = await env.browser.newContext();
  const errors: string[] = [];
  try {
    const pages: Page[] = [];
    const connectMs: number[] = [];
    for (let i = 0; i < plan.tabs; i++) {
      const page = await openTab(env, context, mode, errors);
      pages.push(page);
      connectMs.push(await page.evaluate(([url, t]) => window.bench.connect(url, t), [env.server.url, trial]));
    }
    const [first] = pages;
    const result: TrialResult = {
      mode,
      tabs: plan.tabs,
      connectColdMs: connectMs[0],
      connectWarmMs: median(connectMs.slice(1)),
    };

    if (plan.echoCount > 0) {
      const times = await first.evaluate(([n, w]) => window.bench.echo(n, w, 100, false), [plan.echoCount, plan.echoWarmup]);
      result.echo100 = { p50: percentile(times, 50), p99: percentile(times, 99) };
    }
    if (plan.binaryCount > 0) {
      const times = await first.evaluate(([n, w]) => window.bench.echo(n, w, 1024 * 1024, true), [plan.binaryCount, plan.binaryWarmup]);
      result.echo1MiB = { p50: percentile(times, 50) };
    }
    if (plan.burstEvents > 0) {
      const burst = await first.evaluate((n) => window.bench.burst(n), plan.burstEvents);
      result.burst = {
        ...burst,
        eventsPerSec: plan.burstEvents / (burst.totalMs / 1000),
        mainThreadUsPerEmit: (burst.mainThreadMs * 1000) / plan.burstEvents,
      };
    }
    if (plan.fanoutEvents > 0) result.fanout = await fanout(env, pages, trial, plan.fanoutEvents);
    if (mode === "shared") result.hubMode = (await first.evaluate(() => window.bench.hubTraffic()))?.mode;
    if (errors.length > 0) throw new Error(`errors in the pages:\n${errors.join("\n")}`);
    return result;
  } finally {
    await context.close();
  }
}

async function fanout(env: TrialEnv, pages: Page[], trial: string, n: number): Promise<NonNullable<TrialResult["fanout"]>> {
  const [first] = pages;
  await Promise.all(pages.map((page) => page.evaluate((count) => window.bench.fanoutArm(count), n)));
  const hubBefore = await first.evaluate(() => window.bench.hubTraffic());

  const cpuBefore = env.sampleBrowserCpu();
  const startedAt = await first.evaluate(([count, tabs]) => window.bench.fanoutStart(count, tabs), [n, pages.length]);
  const done = await Promise.all(pages.map((page) => page.evaluate(() => window.bench.fanoutDone())));
  const cpu = cpuBetween(cpuBefore, env.sampleBrowserCpu());

  const hubAfter = await first.evaluate(() => window.bench.hubTraffic());
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
