/**
 * Client side of the fuzz suite: a Manager of the core under test whose
 * namespace socket records, connection after connection, how each one ended,
 * which probes it acknowledged and any event it should never have delivered.
 */
import { Manager, type ManagerOptions } from "../../src";
import type { ConnectionPlan, FuzzCase, FuzzExpect } from "./fuzz";

/** Reconnect at once: the run makes hundreds of connections. */
export const FUZZ_CLIENT_OPTIONS: Partial<ManagerOptions> = {
  forceNew: true,
  reconnectionDelay: 1,
  reconnectionDelayMax: 1,
  randomizationFactor: 0,
  timeout: 5_000,
};

export class FuzzClient {
  readonly manager: Manager;
  /** How each connection (or connection attempt) ended, in order. */
  readonly outcomes: string[] = [];
  /** Plan indexes whose probe the client acknowledged. */
  readonly probes = new Set<number>();
  /** Events delivered to the application that no case should have produced. */
  readonly unexpected: unknown[][] = [];
  reconnects = 0;
  /** Set by close(): what happens after is not an outcome of the run. */
  private closing = false;

  constructor(url: string, opts: Partial<ManagerOptions>) {
    this.manager = new Manager(url, { ...FUZZ_CLIENT_OPTIONS, ...opts });
    const socket = this.manager.socket("/");
    socket.on("disconnect", (reason) => {
      if (!this.closing) this.outcomes.push(reason);
    });
    socket.on("connect_error", () => {
      if (!this.closing) this.outcomes.push("connect_error");
    });
    socket.on("probe", (index: number, ack: (index: number) => void) => {
      this.probes.add(index);
      ack(index);
    });
    socket.onAny((event: string, ...args: unknown[]) => {
      if (event !== "probe") this.unexpected.push([event, ...args.map(preview)]);
    });
    this.manager.on("reconnect", () => this.reconnects++);
  }

  get connected(): boolean {
    return this.manager.socket("/").connected;
  }

  close(): void {
    this.closing = true;
    this.manager.reconnection(false);
    this.manager._close();
  }
}

/** A short, printable picture of a frame or value. */
export function preview(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes ${Buffer.from(value.subarray(0, 24)).toString("hex")}>`;
  if (value instanceof ArrayBuffer) return preview(new Uint8Array(value));
  if (typeof value === "object" && value !== null && "kind" in value && "data" in value) {
    const frame = value as { kind: string; data: unknown };
    return `${frame.kind}:${preview(frame.data)}`;
  }
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${JSON.stringify(text.slice(0, 80))}…(${text.length})` : JSON.stringify(text);
}

export interface Mismatch {
  channel: string;
  connection: number;
  expected: FuzzExpect;
  observed: string;
  probeAcked: boolean;
  closing: string;
  ignored: string[];
}

const describeCase = (c: FuzzCase) =>
  `#${c.id} ${c.layer}/${c.kind} (${c.note}): ${(c.frames as unknown[]).map(preview).join(" + ")}`;

/** Compares what a client saw with the plans, connection by connection. */
export function mismatches(channel: string, plans: ConnectionPlan[], client: FuzzClient): Mismatch[] {
  const found: Mismatch[] = [];
  plans.forEach((plan, index) => {
    const observed = client.outcomes[index] ?? "(nothing)";
    const probeAcked = client.probes.has(index);
    const needsProbe = plan.closing.stage === "session";
    if (observed === plan.closing.expect && probeAcked === needsProbe) return;
    found.push({
      channel,
      connection: index,
      expected: plan.closing.expect,
      observed,
      probeAcked,
      closing: describeCase(plan.closing),
      ignored: plan.ignored.map(describeCase),
    });
  });
  return found;
}
