// What bench/pages/bench.js puts on `window` for bench/trial.ts's page.evaluate() calls.

/** One synchronous burst of fire-and-forget emits (bench.js `burst`). */
interface BurstTimes {
  /** The synchronous emit loop alone. */
  loopMs: number;
  /** The loop plus the microtasks it queued: until the next task starts. */
  mainThreadMs: number;
  /** Until the server said it had them all. */
  totalMs: number;
  /** Shared mode: Comlink `send` calls (bridge messages) the tab made during the burst, and the ops in them. */
  bridgeCalls: number;
  bridgeOps: number;
}

/** One tab's end of a fan-out: when it had every tick (ms on the shared clock: timeOrigin + now). */
interface FanoutDone {
  at: number;
  firstToLastMs: number;
}

interface BenchPage {
  mode: "direct" | "shared";
  crossOriginIsolated: boolean;
  connect(url: string, trial: string): Promise<number>;
  connectedAt: { start: number; end: number } | null;
  marks: { what: string; at: number }[];
  echo(count: number, warmup: number, bytes: number, binary: boolean): Promise<number[]>;
  burst(n: number): Promise<BurstTimes>;
  fanoutArm(n: number): Promise<void>;
  fanoutStart(n: number, tabs: number): number;
  fanoutDone(): Promise<FanoutDone>;
  hubTraffic(): Promise<{ mode: string; batches: number; messages: number } | null>;
}

declare global {
  interface Window {
    bench: BenchPage;
  }
}

export type { BenchPage, BurstTimes, FanoutDone };
