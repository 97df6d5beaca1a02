/**
 * `npm run bench`: socket.io-client's own bundle in each tab ("direct") against
 * socket.io-shared ("shared"), in one run, trials interleaved (direct, shared,
 * direct, shared, ...), each in a fresh browser context. Prints the results
 * table, the batching figures and the 1-to-N tabs table, and writes the JSON.
 *
 * Options (after `npm run bench --`):
 *   --reps <n>           pairs of trials with 4 tabs (default 5)
 *   --scaling <list>     tab counts for the scaling table (default 1,2,4,8; "" for none)
 *   --scaling-reps <n>   pairs per tab count (default 2)
 *   --dist <dir>         the built library (default dist/)
 *   --out <file>         the JSON (default bench/results/latest.json)
 *   --smoke              one short pair with 2 tabs, no scaling: checks that everything runs
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { browserCpuSampler, launchBrowser } from "./browser";
import { runFloor, type FloorResult } from "./floor";
import { bridgeLines, burstLine, floorLines, resultsTable, scalingTable, summarize, type Row, type ScalingPoint } from "./report";
import { startBenchServer } from "./server-handle";
import { TabDriver } from "./tabs";
import { measureSizes, type MinGzipSize, type Sizes } from "./sizes";
import { runTrial, type Mode, type TrialEnv, type TrialPlan, type TrialResult } from "./trial";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const FULL: TrialPlan = {
  tabs: 4,
  echoWarmup: 200,
  echoCount: 2000,
  binaryWarmup: 3,
  binaryCount: 15,
  burstEvents: 20_000,
  fanoutEvents: 20_000,
};
const SCALING: Omit<TrialPlan, "tabs"> = { ...FULL, echoWarmup: 100, echoCount: 500, binaryCount: 0, burstEvents: 0 };
const SMOKE: TrialPlan = {
  tabs: 2,
  echoWarmup: 10,
  echoCount: 50,
  binaryWarmup: 1,
  binaryCount: 2,
  burstEvents: 2_000,
  fanoutEvents: 2_000,
};
const MODES: Mode[] = ["direct", "shared"];

export interface BenchOutput {
  date: string;
  machine: { cpus: number; cpuModel: string; chromium: string; node: string; platform: string; loadAverage: { start: number; end?: number } };
  plan: TrialPlan;
  reps: number;
  rows: Row[];
  bridge: string[];
  burst: string;
  sizes: Sizes;
  trials: TrialResult[];
  floors: FloorResult[];
  scaling: { tabs: number; direct: TrialResult[]; shared: TrialResult[] }[];
}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      reps: { type: "string", default: "5" },
      scaling: { type: "string", default: "1,2,4,8" },
      "scaling-reps": { type: "string", default: "2" },
      dist: { type: "string", default: path.join(ROOT, "dist") },
      out: { type: "string", default: path.join(ROOT, "bench/results/latest.json") },
      smoke: { type: "boolean", default: false },
    },
  });
  const smoke = values.smoke;
  return {
    smoke,
    reps: smoke ? 1 : Number(values.reps),
    scaling: smoke ? [] : values.scaling.split(",").filter(Boolean).map(Number),
    scalingReps: Number(values["scaling-reps"]),
    dist: path.resolve(values.dist),
    out: path.resolve(values.out),
    plan: smoke ? SMOKE : FULL,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** `reps` pairs of trials, direct then shared (then the floor, if asked), back to back. */
async function pairs(env: TrialEnv, plan: TrialPlan, reps: number, label: string, withFloor = false) {
  const byMode: Record<Mode, TrialResult[]> = { direct: [], shared: [] };
  const floors: FloorResult[] = [];
  const timed = async <T>(what: string, rep: number, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await run();
    log(`  ${label} ${rep + 1}/${reps} ${what.padEnd(6)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  };
  for (let rep = 0; rep < reps; rep++) {
    for (const mode of MODES) byMode[mode].push(await timed(mode, rep, () => runTrial(env, mode, plan)));
    if (withFloor) floors.push(await timed("floor", rep, () => runFloor(env.tabs, env.server.url, plan)));
  }
  return { ...byMode, floors };
}

/** Runs the bench; `minGzipSize` is scripts/sizes.js's (bench/run.mjs passes it in). */
export async function main(argv: string[], minGzipSize: MinGzipSize): Promise<BenchOutput> {
  const opts = options(argv);
  const server = await startBenchServer(opts.dist);
  const { browser, port } = await launchBrowser();
  const tabs = await TabDriver.connect(port);
  try {
    const env: TrialEnv = { tabs, server, sampleBrowserCpu: browserCpuSampler([server.pid]) };
    const machine: BenchOutput["machine"] = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      chromium: browser.version(),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      // The 1-minute load average: other work on the machine makes every figure noisier.
      loadAverage: { start: os.loadavg()[0] },
    };
    const machineLine = `machine: ${machine.cpus} CPUs (${machine.cpuModel}), Chromium ${machine.chromium}, Node ${machine.node}, ${machine.platform}`;
    log(machineLine);

    // A first pair off the record: the browser, the server and their JITs warm up.
    if (!opts.smoke) await pairs(env, { ...SCALING, tabs: 2, echoCount: 100, fanoutEvents: 2_000 }, 1, "warm-up");
    const main = await pairs(env, opts.plan, opts.reps, `${opts.plan.tabs} tabs`, true);
    const scaling: ScalingPoint[] = [];
    for (const tabs of opts.scaling) {
      const { direct, shared } = await pairs(env, { ...SCALING, tabs }, opts.scalingReps, `scaling ${tabs} tabs`);
      scaling.push({ tabs, direct, shared });
    }

    const sizes = await measureSizes(minGzipSize, opts.dist, await server.staticRequests());
    const rows = summarize(opts.plan, main.direct, main.shared, main.floors, sizes);
    const bridge = bridgeLines(main.shared);
    const output: BenchOutput = {
      date: new Date().toISOString(),
      machine,
      plan: opts.plan,
      reps: opts.reps,
      rows,
      bridge,
      burst: burstLine(main.direct, main.shared),
      sizes,
      trials: [...main.direct, ...main.shared],
      floors: main.floors,
      scaling,
    };

    machine.loadAverage.end = os.loadavg()[0];
    const load = `load average ${machine.loadAverage.start.toFixed(1)} at the start, ${machine.loadAverage.end.toFixed(1)} at the end`;
    const hubModes = [...new Set(main.shared.map((r) => r.hubMode))].join(", ");
    const report = [
      `${output.date.slice(0, 10)}  ${machineLine}; ${load}`,
      `${opts.reps} pairs (direct, shared) with ${opts.plan.tabs} tabs, medians; ratio = median of per-pair shared/direct; hub: ${hubModes}`,
      "",
      resultsTable(rows),
      "",
      "floor = the same ratio for the platform alone, no Socket.IO (bench/floor.ts), medians:",
      ...floorLines(main.floors),
      "",
      ...bridge,
      output.burst,
      `shared tab loads: ${sizes.sharedTabFiles.join(", ")}`,
    ];
    if (scaling.length > 0) {
      report.push("", `1 to ${Math.max(...opts.scaling)} tabs (${opts.scalingReps} pairs each, medians):`, "", scalingTable(scaling));
    }
    console.log(`\n${report.join("\n")}`);
    mkdirSync(path.dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, JSON.stringify(output, null, 2));
    // The same report as Markdown, beside the JSON (RESULTS.md is a copy of one).
    writeFileSync(opts.out.replace(/\.json$/, "") + ".md", report.map((line) => (line.startsWith("|") || line === "" ? line : `${line}  `)).join("\n") + "\n");
    console.log(`\nwrote ${path.relative(process.cwd(), opts.out)}`);
    return output;
  } finally {
    tabs.close();
    await browser.close();
    await server.close();
  }
}
