/**
 * The bench's tables: medians per mode and the paired ratio shared/direct for
 * each metric of issue 6, with the target to read it against (targets are for
 * reading: nothing here fails a run).
 */
import type { FloorResult } from "./floor";
import type { Sizes } from "./sizes";
import { median, pairedRatio } from "./stats";
import type { TrialPlan, TrialResult } from "./trial";

export interface Row {
  id: string;
  metric: string;
  unit: string;
  direct: number;
  shared: number;
  /** Median of the per-pair ratios shared/direct (sizes: the plain ratio). */
  ratio: number;
  /** The same ratio for the platform alone, no library (bench/floor.ts): how far the target is reachable here. */
  floor: number;
  target: string;
  /** Whether the target is met; undefined when it cannot be judged. */
  met?: boolean;
}

interface TrialMetric {
  id: string;
  metric: (plan: TrialPlan) => string;
  unit: string;
  value(result: TrialResult): number | undefined;
  /**
   * The platform floor of this metric: [direct's, shared's] (no library), or
   * for connecting: [direct's measured time, shared's platform minimum].
   */
  floor?(f: FloorResult, direct: TrialResult | undefined): [number, number] | undefined;
  target: string;
  met(ratio: number, shared: number): boolean;
}

const n = (count: number) => count.toLocaleString("en-US");

const TRIAL_METRICS: TrialMetric[] = [
  {
    id: "1",
    metric: () => "echo 100 B + ack, p50",
    unit: "ms",
    value: (r) => r.echo100?.p50,
    floor: (f) => [f.echo100.page.p50, f.echo100.viaWorker.p50],
    target: "≤ 1.25×",
    met: (ratio) => ratio <= 1.25,
  },
  {
    id: "1",
    metric: () => "echo 100 B + ack, p99",
    unit: "ms",
    value: (r) => r.echo100?.p99,
    floor: (f) => [f.echo100.page.p99, f.echo100.viaWorker.p99],
    target: "≤ 1.3×",
    met: (ratio) => ratio <= 1.3,
  },
  {
    id: "2",
    metric: (p) => `${n(p.burstEvents)} emits, until the server has all`,
    unit: "events/s",
    value: (r) => r.burst?.eventsPerSec,
    target: "≥ 2×",
    met: (ratio) => ratio >= 2,
  },
  {
    id: "2b",
    metric: () => "tab main-thread time per emit (+ microtasks)",
    unit: "µs",
    value: (r) => r.burst?.mainThreadUsPerEmit,
    target: "≤ 0.6 µs",
    met: (_ratio, shared) => shared <= 0.6,
  },
  {
    id: "3",
    metric: (p) => `fan-out ${n(p.fanoutEvents)} → ${p.tabs} tabs, per tab`,
    unit: "events/s",
    value: (r) => r.fanout?.eventsPerSecPerTab,
    // Rates: the inverse of the times.
    floor: (f) => (f.flood ? [1 / f.flood.pageMs, 1 / f.flood.workerMs] : undefined),
    target: "≥ 8×",
    met: (ratio) => ratio >= 8,
  },
  {
    id: "3",
    metric: () => "fan-out: browser CPU",
    unit: "ms",
    value: (r) => r.fanout?.browserCpuMs,
    target: "≤ 0.15×",
    met: (ratio) => ratio <= 0.15,
  },
  {
    id: "3b",
    metric: () => "fan-out: server bytes sent",
    unit: "KiB",
    value: (r) => (r.fanout ? r.fanout.server.bytes / 1024 : undefined),
    target: "≤ 0.25×",
    met: (ratio) => ratio <= 0.25,
  },
  {
    id: "3b",
    metric: () => "fan-out: server CPU",
    unit: "ms",
    value: (r) => r.fanout?.server.cpuMs,
    target: "≤ 0.25×",
    met: (ratio) => ratio <= 0.25,
  },
  {
    id: "4",
    metric: () => "io() → connect, another tab holds it",
    unit: "ms",
    value: (r) => (r.tabs > 1 ? r.connectWarmMs : undefined),
    // Joining the running worker and hearing from it, against direct's whole connect (its
    // Socket.IO handshake included): shared needs no more than that, direct no less.
    floor: (f, d) => (d && d.tabs > 1 ? [d.connectWarmMs, f.connect.workerWarm] : undefined),
    target: "≤ 0.35×",
    met: (ratio) => ratio <= 0.35,
  },
  {
    id: "4",
    metric: () => "io() → connect, first tab (cold worker)",
    unit: "ms",
    value: (r) => r.connectColdMs,
    // Starting a worker and opening its WebSocket (no Socket.IO), against direct's whole
    // connect: shared also needs the Socket.IO handshake on top, so this is a lower bound.
    floor: (f, d) => (d ? [d.connectColdMs, f.connect.workerCold] : undefined),
    target: "≤ 2×",
    met: (ratio) => ratio <= 2,
  },
  {
    id: "5",
    metric: () => "1 MiB ArrayBuffer echo + ack, p50",
    unit: "ms",
    value: (r) => r.echo1MiB?.p50,
    floor: (f) => (f.echo1MiB ? [f.echo1MiB.page, f.echo1MiB.viaWorker] : undefined),
    target: "≤ 0.4×",
    met: (ratio) => ratio <= 0.4,
  },
];

const values = <T>(results: T[], get: (r: T) => number | undefined) => results.map((r) => get(r) ?? NaN);

/** One row per metric, from trials paired by index (direct[i], shared[i] and floors[i] ran back to back). */
export function summarize(plan: TrialPlan, direct: TrialResult[], shared: TrialResult[], floors: FloorResult[], sizes?: Sizes): Row[] {
  const rows: Row[] = TRIAL_METRICS.map((m) => {
    const a = values(direct, m.value);
    const b = values(shared, m.value);
    const floor = floors.map((f, i) => m.floor?.(f, direct[i]) ?? [NaN, NaN]);
    const row: Row = {
      id: m.id,
      metric: m.metric(plan),
      unit: m.unit,
      direct: median(a.filter(Number.isFinite)),
      shared: median(b.filter(Number.isFinite)),
      ratio: pairedRatio(a, b),
      floor: pairedRatio(
        floor.map(([d]) => d),
        floor.map(([, sh]) => sh),
      ),
      target: m.target,
    };
    if (Number.isFinite(row.ratio)) row.met = m.met(row.ratio, row.shared);
    return row;
  });
  if (sizes) {
    const tab: Row = {
      id: "6",
      metric: "JS a tab loads eagerly, min+gzip",
      unit: "KiB",
      direct: sizes.directTab / 1024,
      shared: sizes.sharedTab / 1024,
      ratio: sizes.sharedTab / sizes.directTab,
      floor: NaN,
      target: "≤ 4 KiB",
    };
    tab.met = tab.shared <= 4;
    const worker: Row = {
      id: "6",
      metric: "worker script, min+gzip",
      unit: "KiB",
      direct: NaN,
      shared: sizes.worker / 1024,
      ratio: NaN,
      floor: NaN,
      target: "≤ 16 KiB",
    };
    worker.met = worker.shared <= 16;
    rows.push(tab, worker);
  }
  return rows;
}

/** A number for a table: about three significant digits, thousands separated. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const ratioText = (ratio: number) => (Number.isFinite(ratio) ? `${fmt(ratio)}×` : "—");

/** A Markdown table (so that a run's output can be pasted into RESULTS.md). */
export function markdownTable(header: string[], lines: string[][]): string {
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [row(header), row(header.map(() => "---")), ...lines.map(row)].join("\n");
}

export function resultsTable(rows: Row[]): string {
  return markdownTable(
    ["#", "metric", "unit", "direct", "shared", "shared/direct", "target", "met", "floor"],
    rows.map((r) => [
      r.id,
      r.metric,
      r.unit,
      fmt(r.direct),
      fmt(r.shared),
      ratioText(r.ratio),
      r.target,
      r.met === undefined ? "" : r.met ? "yes" : "**no**",
      ratioText(r.floor),
    ]),
  );
}

const range = (xs: number[]) => (xs.length > 1 ? `, range ${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}` : "");

/** The batching at work, from the shared trials: hub messages per bridge message, each way. */
export function bridgeLines(shared: TrialResult[]): string[] {
  const toHub = shared.filter((r) => r.burst && r.burst.bridgeCalls > 0).map((r) => r.burst!.bridgeOps / r.burst!.bridgeCalls);
  const toTabs = shared.filter((r) => r.fanout?.hubBatches).map((r) => r.fanout!.hubMessages! / r.fanout!.hubBatches!);
  const calls = values(shared, (r) => r.burst?.bridgeCalls).filter(Number.isFinite);
  const batches = values(shared, (r) => (r.fanout?.hubBatches ?? NaN) / r.tabs).filter(Number.isFinite);
  return [
    `events per bridge message, tab → worker (the emit burst): ${fmt(median(toHub))} (${fmt(median(calls))} messages for the burst${range(calls)})`,
    `events per bridge message, worker → tab (the fan-out): ${fmt(median(toTabs))}${range(toTabs)} (${fmt(median(batches))} messages per tab${range(batches)})`,
  ];
}

/** Where the burst's time went: the tab's part, and the server's (its first to last `fire`). */
export function burstLine(direct: TrialResult[], shared: TrialResult[]): string {
  const part = (rs: TrialResult[]) =>
    `tab's loop + flush ${fmt(median(values(rs, (r) => r.burst?.mainThreadMs)))} ms, ` +
    `server's first → last event ${fmt(median(values(rs, (r) => r.burst?.server.firstToLastMs)))} ms ` +
    `(CPU ${fmt(median(values(rs, (r) => r.burst?.server.cpuMs)))} ms)`;
  return `emit burst, medians: direct: ${part(direct)}; shared: ${part(shared)}`;
}

/** The floor measurements, medians over the repetitions. */
export function floorLines(floors: FloorResult | FloorResult[]): string[] {
  const all = Array.isArray(floors) ? floors : [floors];
  const m = (get: (f: FloorResult) => number | undefined) => fmt(median(values(all, get)));
  return [
    `postMessage round trip tab ↔ SharedWorker: p50 ${m((f) => f.postMessage)} ms`,
    `WebSocket echo 100 B, p50 (p99): in a page ${m((f) => f.echo100.page.p50)} (${m((f) => f.echo100.page.p99)}) ms, ` +
      `in a SharedWorker ${m((f) => f.echo100.worker.p50)} (${m((f) => f.echo100.worker.p99)}) ms, ` +
      `page → SharedWorker's socket → page ${m((f) => f.echo100.viaWorker.p50)} (${m((f) => f.echo100.viaWorker.p99)}) ms`,
    `WebSocket echo 1 MiB, p50: in a page ${m((f) => f.echo1MiB?.page)} ms, in a SharedWorker ${m((f) => f.echo1MiB?.worker)} ms, ` +
      `page → SharedWorker's socket → page ${m((f) => f.echo1MiB?.viaWorker)} ms`,
    `small frames sent at once by the server: to one SharedWorker socket ${m((f) => f.flood?.workerMs)} ms, ` +
      `to one socket in each of the tabs ${m((f) => f.flood?.pageMs)} ms`,
    `connecting without Socket.IO, fresh pages: a WebSocket opened in the page ${m((f) => f.connect.pageCold)} ms ` +
      `(in a second page ${m((f) => f.connect.pageWarm)} ms); a new SharedWorker started with its WebSocket open ` +
      `${m((f) => f.connect.workerCold)} ms; a page joining that worker and hearing from it ${m((f) => f.connect.workerWarm)} ms`,
  ];
}

export interface ScalingPoint {
  tabs: number;
  direct: TrialResult[];
  shared: TrialResult[];
}

/** Latency and fan-out throughput from 1 to N tabs. */
export function scalingTable(points: ScalingPoint[]): string {
  return markdownTable(
    ["tabs", "echo p50 direct (ms)", "shared", "ratio", "fan-out per tab direct (events/s)", "shared", "ratio", "server connections direct / shared"],
    points.map((p) => {
      const echo = (rs: TrialResult[]) => values(rs, (r) => r.echo100?.p50);
      const rate = (rs: TrialResult[]) => values(rs, (r) => r.fanout?.eventsPerSecPerTab);
      const conns = (rs: TrialResult[]) => fmt(median(values(rs, (r) => r.fanout?.server.connections)));
      return [
        String(p.tabs),
        fmt(median(echo(p.direct))),
        fmt(median(echo(p.shared))),
        ratioText(pairedRatio(echo(p.direct), echo(p.shared))),
        fmt(median(rate(p.direct))),
        fmt(median(rate(p.shared))),
        ratioText(pairedRatio(rate(p.direct), rate(p.shared))),
        `${conns(p.direct)} / ${conns(p.shared)}`,
      ];
    }),
  );
}
