/**
 * `node bench/profile.mjs [--mode shared|direct] [--tabs 4] [--top 12]`: where
 * the time goes. Builds the library unminified (function names survive) into
 * bench/results/profile-dist, opens the tabs as a trial does, then runs each
 * measurement of the bench once under V8's sampling profiler — in the first
 * tab, and in the SharedWorker (reached over the remote debugging port) — and
 * prints the functions with the most self time. It also lays out the cold
 * start on one clock: the tab's io() call, the server seeing the worker script
 * request and the WebSocket upgrade, the tab's `connect`. `--connect <n>` prints
 * only those timelines, for `n` fresh contexts, with no profiler attached (the
 * first trial's worker is otherwise paused at start while its profiler starts);
 * `--dist <dir>` uses that build instead of an unminified one.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "vite";
import { launchBrowser } from "./browser";
import { CdpConnection, listTargets } from "./cdp";
import { hotFunctions, type CpuProfile } from "./cpu-profile";
import { runFloor } from "./floor";
import { floorLines, fmt } from "./report";
import { startBenchServer, type BenchServer } from "./server-handle";
import { TabDriver, type Tab } from "./tabs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLING_US = 100;

/** Profiler.* on one target, through Playwright (a page) or our own connection (the worker). */
interface Profiled {
  label: string;
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
}

async function buildUnminified(outDir: string): Promise<void> {
  // Vite's module runner that loaded this file set NODE_ENV=development, which would pick
  // the packages' development builds (socket.io-parser with `debug`): build what ships.
  process.env.NODE_ENV = "production";
  for (const mode of ["worker", "esm"]) {
    await build({
      mode,
      logLevel: "warn",
      build: { outDir, emptyOutDir: false, minify: false, rolldownOptions: { output: { minify: false } } },
    });
  }
}

async function profiled<T>(targets: Profiled[], title: string, top: number, run: () => Promise<T>): Promise<T> {
  for (const target of targets) {
    await target.send("Profiler.enable");
    await target.send("Profiler.setSamplingInterval", { interval: SAMPLING_US });
    await target.send("Profiler.start");
  }
  const result = await run();
  console.log(`\n## ${title}`);
  for (const target of targets) await printProfile(target, top);
  return result;
}

async function floor(driver: TabDriver, url: string, tabs: number, events: number): Promise<void> {
  const f = await runFloor(driver, url, { tabs, echoWarmup: 100, echoCount: 1000, binaryWarmup: 3, binaryCount: 20, burstEvents: 0, fanoutEvents: events });
  console.log("\n## floor (no library)");
  console.log(floorLines(f).join("\n"));
}

/**
 * Profiles the next SharedWorker from its first line: the browser pauses it
 * at start (auto-attach), the profiler starts, then it runs. Returns the
 * session to stop the profiler with.
 */
function profileNextWorker(browser: CdpConnection): Promise<Profiled> {
  return new Promise((resolve) => {
    browser.on("Target.attachedToTarget", (params) => {
      const sessionId = params.sessionId as string;
      const type = (params.targetInfo as { type: string }).type;
      void (async () => {
        if (type === "shared_worker") {
          await browser.send("Profiler.enable", {}, sessionId);
          await browser.send("Profiler.setSamplingInterval", { interval: SAMPLING_US }, sessionId);
          await browser.send("Profiler.start", {}, sessionId);
          resolve({ label: "SharedWorker (start)", send: (method, p) => browser.send(method, p, sessionId) });
        }
        await browser.send("Runtime.runIfWaitingForDebugger", {}, sessionId);
      })();
    });
    void browser.send("Target.setAutoAttach", {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: true,
      filter: [{ type: "shared_worker", exclude: false }, { exclude: true }],
    });
  });
}

async function printProfile(target: Profiled, top: number): Promise<void> {
  const { profile } = (await target.send("Profiler.stop")) as { profile: CpuProfile };
  const { busyMs, functions } = hotFunctions(profile, top);
  console.log(`\n${target.label}: ${fmt(busyMs)} ms busy`);
  for (const f of functions) console.log(`  ${fmt(f.selfMs).padStart(8)} ms ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}`);
}

const viaTab = (label: string, tab: Tab): Profiled => ({ label, send: (method, params) => tab.cdp.send(method, params) });

export async function profile(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      mode: { type: "string", default: "shared" },
      tabs: { type: "string", default: "4" },
      top: { type: "string", default: "12" },
      events: { type: "string", default: "20000" },
      connect: { type: "string" },
      dist: { type: "string" },
    },
  });
  const mode = values.mode === "direct" ? "direct" : "shared";
  const tabs = Number(values.tabs);
  const top = Number(values.top);
  const events = Number(values.events);
  const dist = values.dist ? path.resolve(values.dist) : path.join(ROOT, "bench/results/profile-dist");
  if (!values.dist) await buildUnminified(dist);
  if (values.connect !== undefined) return connectTimelines(dist, mode, tabs, Number(values.connect));

  const server = await startBenchServer(dist);
  const { browser, port } = await launchBrowser();
  const driver = await TabDriver.connect(port);
  let workerCdp: CdpConnection | undefined;
  try {
    await floor(driver, server.url, tabs, events);
    const group = await driver.newContext();
    const pages: Tab[] = [];
    const trial = `profile-${mode}`;
    const workerStart = mode === "shared" ? profileNextWorker(driver.browser) : undefined;
    console.log("\n## io() → connect, on one clock (ms after io())");
    for (let i = 0; i < tabs; i++) {
      const page = await group.openTab(`${server.url}/?mode=${mode}`);
      console.log(await connectTimeline(server, page, i, trial));
      pages.push(page);
      if (i === 0 && workerStart) await printProfile(await workerStart, top);
    }

    const targets: Profiled[] = [viaTab("tab 0", pages[0])];
    const fanoutTargets = [...targets];
    if (tabs > 1) fanoutTargets.push(viaTab("tab 1", pages[1]));
    if (mode === "shared") {
      const worker = (await listTargets(port)).find((t) => t.type === "shared_worker");
      if (!worker) throw new Error("no shared_worker target on the debugging port");
      const cdp = await CdpConnection.open(worker.webSocketDebuggerUrl);
      workerCdp = cdp;
      const w: Profiled = { label: "SharedWorker", send: (method, params) => cdp.send(method, params) };
      targets.push(w);
      fanoutTargets.push(w);
    }
    const [first] = pages;

    await profiled(targets, "1: echo 100 B + ack × 1000", top, () => first.call("echo", 1000, 0, 100, false));
    const burst = await profiled(targets, `2: ${events} emits`, top, () => first.call("burst", events));
    console.log(`\n(burst: loop ${fmt(burst.loopMs)} ms, + microtasks ${fmt(burst.mainThreadMs)} ms, server has all ${fmt(burst.totalMs)} ms)`);
    await Promise.all(pages.map((page) => page.call("fanoutArm", events)));
    await profiled(fanoutTargets, `3: fan-out ${events} → ${tabs} tabs`, top, async () => {
      const start = await first.call("fanoutStart", events, tabs);
      const done = await Promise.all(pages.map((page) => page.call("fanoutDone")));
      console.log(`\n(fan-out: last tab done after ${fmt(Math.max(...done.map((d) => d.at)) - start)} ms)`);
    });
    await profiled(targets, "5: 1 MiB echo × 10", top, () => first.call("echo", 10, 0, 1024 * 1024, true));
    if (group.errors.length > 0) console.error(`errors in the pages:\n${group.errors.join("\n")}`);
    await group.close();
  } finally {
    workerCdp?.close();
    driver.close();
    await browser.close();
    await server.close();
  }
}

/** Connects `page` and lays out its io() → connect on one clock: the tab's marks and what the server saw. */
async function connectTimeline(server: BenchServer, page: Tab, i: number, trial: string, since = false): Promise<string> {
  if (!since) await server.timeline();
  const ms = await page.call("connect", server.url, trial);
  const at = await page.evaluate<{ start: number; end: number }>("window.bench.connectedAt");
  const marks = await page.evaluate<{ what: string; at: number }[]>("window.bench.marks");
  const seen = (await server.timeline()).map((r) => ({ what: `server: ${r.upgrade ? "upgrade" : "GET"} ${r.path}`, at: r.at }));
  const steps = [...marks.filter((m) => since || m.at >= at.start), ...seen, { what: "connect", at: at.end }].sort((a, b) => a.at - b.at);
  return `tab ${i}: io() → connect ${fmt(ms)} ms: ${steps.map((step) => `+${fmt(step.at - at.start)} ${step.what}`).join(", ")}`;
}

/**
 * `--connect <n>`: only the io() → connect timelines, in `n` fresh contexts,
 * nothing profiled (the worker runs unpaused); what happened before io() (the
 * page's own loading) shows as negative times.
 */
async function connectTimelines(dist: string, mode: "shared" | "direct", tabs: number, contexts: number): Promise<void> {
  const server = await startBenchServer(dist);
  const { browser, port } = await launchBrowser();
  const driver = await TabDriver.connect(port);
  try {
    for (let c = 0; c < contexts; c++) {
      const group = await driver.newContext();
      console.log(`\n## context ${c + 1}: io() → connect, on one clock (ms after io())`);
      for (let i = 0; i < tabs; i++) {
        await server.timeline();
        const page = await group.openTab(`${server.url}/?mode=${mode}`);
        console.log(await connectTimeline(server, page, i, `timeline-${c}-${mode}`, true));
      }
      if (group.errors.length > 0) console.error(`errors in the pages:\n${group.errors.join("\n")}`);
      await group.close();
    }
  } finally {
    driver.close();
    await browser.close();
    await server.close();
  }
}
