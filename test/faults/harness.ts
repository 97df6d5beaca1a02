/**
 * What every fault scenario needs: a real socket.io server behind a fault
 * proxy, cleanup of whatever a test opened, polling waits, and counters of
 * uncaught exceptions and unhandled rejections.
 */
import type { ServerOptions } from "socket.io";
import type { Manager, Socket } from "../../src";
import { startServer, type TestServer } from "../helpers/server";
import { startFaultProxy, type FaultProxy } from "./proxy";

/** Resolves when `check()` holds (polled every 5 ms); rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5_000, label = "condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Counts what escapes to the process: vitest already fails a run on these,
 * the counters let a test assert 0 at the exact point it cares about.
 */
export function crashCounters(): { uncaught: unknown[]; unhandled: unknown[]; dispose(): void } {
  const uncaught: unknown[] = [];
  const unhandled: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUnhandled);
  return {
    uncaught,
    unhandled,
    dispose: () => {
      process.off("uncaughtException", onUncaught);
      process.off("unhandledRejection", onUnhandled);
    },
  };
}

/** Closes what a test opened: clients first, then proxies, then servers. */
export class FaultCleanup {
  private readonly sockets: Socket[] = [];
  private readonly managers: Manager[] = [];
  private readonly closers: Array<() => Promise<void>> = [];

  socket<T extends Socket>(socket: T): T {
    this.sockets.push(socket);
    return socket;
  }

  manager<T extends Manager>(manager: T): T {
    this.managers.push(manager);
    return manager;
  }

  /** Something with `close()` (proxy, server), closed after the clients, last added first. */
  closer<T extends { close(): Promise<void> }>(thing: T): T {
    this.closers.unshift(() => thing.close());
    return thing;
  }

  async run(): Promise<void> {
    for (const socket of this.sockets.splice(0)) {
      socket.io.reconnection(false);
      socket.disconnect();
    }
    for (const manager of this.managers.splice(0)) {
      manager.reconnection(false);
      manager._close();
    }
    for (const close of this.closers.splice(0)) await close();
  }
}

/** A real socket.io server and a fault proxy in front of it. */
export async function serverBehindProxy(
  cleanup: FaultCleanup,
  opts: Partial<ServerOptions> = {},
): Promise<{ server: TestServer; proxy: FaultProxy }> {
  const server = cleanup.closer(await startServer(opts));
  const proxy = cleanup.closer(await startFaultProxy({ port: server.port }));
  return { server, proxy };
}
