// What e2e/pages/faults-harness.js puts on `window` for the fault specs' page.evaluate() callbacks.
type FaultsLib = typeof import("../../client/index");
type FaultsDiagnostics = Awaited<ReturnType<FaultsLib["diagnostics"]>>;

/** One entry of a socket's lifecycle log. */
type LifecycleEntry =
  | { type: "connect"; at: number; id: string; recovered: boolean; transport?: string }
  | { type: "disconnect"; at: number; reason: string; description?: string }
  | { type: "connect_error"; at: number; message: string };

/** An acknowledged emit that settled: [n, error message or null, reply]. */
type SettledAck = [number, string | null, unknown];

/** What a fuzzed Manager saw (fuzzLane). */
interface FuzzReport {
  /** How each connection (or attempt) ended: a disconnect reason or "connect_error". */
  outcomes: string[];
  /** Plan indexes whose probe the tab acknowledged. */
  probes: number[];
  /** Events no case should have delivered. */
  unexpected: string[];
  reconnects: number;
  connected: boolean;
}

interface FaultsHarness {
  /** io(opts.url ?? the page's origin, opts) recording `events` as numbered streams; resolves with socket.id. */
  connect(key: string, opts?: Record<string, unknown>, events?: string[]): Promise<string>;
  listen(key: string, event: string): void;
  numbers(key: string, event: string): number[];
  count(key: string, event: string): number;
  lifecycle(key: string): LifecycleEntry[];
  emitRange(key: string, event: string, from: number, to: number): void;
  emitAckedRange(key: string, event: string, from: number, to: number, timeoutMs?: number): void;
  emitSteadily(key: string, event: string, from: number, to: number, everyMs: number, perTick: number, acked: boolean): Promise<void>;
  pulseStart(key: string, event: string, everyMs: number, timeoutMs: number): void;
  pulseStop(key: string): number;
  settled(key: string): SettledAck[];
  emitOnDisconnect(key: string, event: string, from: number, to: number): void;
  state(key: string): { id?: string; connected: boolean; active: boolean; recovered: boolean; transport?: string };
  churnListeners(key: string, event: string, cycles: number, perTurn: number): Promise<void>;
  fuzzLane(key: string, url: string, opts: Record<string, unknown>): void;
  fuzzReport(key: string): FuzzReport;
  fuzzStop(key: string): void;
  leave(key: string): void;
  bounce(key: string): void;
  block(ms: number): void;
  errors(): string[];
  diagnostics(): Promise<FaultsDiagnostics>;
}

declare global {
  interface Window {
    faults: FaultsHarness;
  }
}

export type { FaultsDiagnostics, FaultsHarness, FuzzReport, LifecycleEntry, SettledAck };
