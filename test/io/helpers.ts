import type { TestServer } from "../helpers/server";
import type { Manager } from "../../src/io/manager";
import type { Socket } from "../../src/io/socket";

/** Records, in order, the events of several emitters as `"name"` or `"name:arg"`. */
export function record(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  emitter: { on(ev: string, fn: (...args: any[]) => void): unknown },
  events: string[],
  log: string[] = [],
  prefix = "",
): string[] {
  for (const event of events) {
    emitter.on(event, (...args: unknown[]) => {
      const first = args[0];
      const shown =
        first === undefined ? "" : `:${first instanceof Error ? first.message : typeof first === "object" ? "obj" : String(first)}`;
      log.push(`${prefix}${event}${shown}`);
    });
  }
  return log;
}

/** Resolves when `predicate()` holds (polled), rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, label = "condition"): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Closes sockets and managers a test opened, then the servers. */
export class Cleanup {
  private readonly sockets: Socket[] = [];
  private readonly managers: Manager[] = [];
  private readonly servers: TestServer[] = [];

  socket<T>(s: T): T {
    this.sockets.push(s as unknown as Socket);
    return s;
  }

  manager<T>(m: T): T {
    this.managers.push(m as unknown as Manager);
    return m;
  }

  server<T extends TestServer>(s: T): T {
    this.servers.push(s);
    return s;
  }

  async run(): Promise<void> {
    for (const s of this.sockets.splice(0)) s.disconnect();
    for (const m of this.managers.splice(0)) {
      m.reconnection(false);
      m._close();
    }
    for (const s of this.servers.splice(0)) await s.close();
  }
}
