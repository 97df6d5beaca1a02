/**
 * Several "tabs" and one hub in one realm (Comlink's same_window style): each
 * tab has its own MessageChannel to the hub, and Web Locks are simulated so a
 * test can make a tab die the way a browser reports it (its lock is freed).
 */
import type * as Comlink from "comlink";
import { Hub } from "../../worker/hub";
import { servePort } from "../../worker/api";
import { lockWatcher, type HubEnv, type LockManagerLike } from "../../worker/env";
import { TAB_LOCK_PREFIX } from "../../worker/protocol";
import { createTab, type Tab } from "../../client/tab";
import { startServer, type TestServer } from "../helpers/server";
import type { ServerOptions } from "socket.io";

type LockCallback = () => unknown;

/** Exclusive Web Locks in one realm, plus `kill()`: the browser freeing a dead tab's lock. */
export class FakeLocks implements LockManagerLike {
  private readonly holders = new Map<string, () => void>();
  private readonly queues = new Map<string, Array<() => void>>();

  request(name: string, callback: LockCallback): Promise<unknown>;
  request(name: string, options: { signal?: AbortSignal }, callback: LockCallback): Promise<unknown>;
  request(name: string, a: LockCallback | { signal?: AbortSignal }, b?: LockCallback): Promise<unknown> {
    const callback = typeof a === "function" ? a : (b as LockCallback);
    const signal = typeof a === "function" ? undefined : a.signal;
    return new Promise((resolve, reject) => {
      const grant = () => {
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          this.holders.delete(name);
          this.grantNext(name);
        };
        this.holders.set(name, release);
        Promise.resolve()
          .then(callback)
          .then(
            (value) => {
              release();
              resolve(value);
            },
            (err: unknown) => {
              release();
              reject(err);
            },
          );
      };
      if (!this.holders.has(name)) return grant();
      const queue = this.queues.get(name) ?? [];
      queue.push(grant);
      this.queues.set(name, queue);
      signal?.addEventListener("abort", () => {
        const index = queue.indexOf(grant);
        if (index === -1) return;
        queue.splice(index, 1);
        reject(new Error("AbortError"));
      });
    });
  }

  /** The tab holding `name` died: its lock goes to the next in line. */
  kill(name: string): void {
    this.holders.get(name)?.();
  }

  /** Requests still waiting for locks whose name starts with `prefix`. */
  waitingFor(prefix: string): number {
    let n = 0;
    for (const [name, queue] of this.queues) if (name.startsWith(prefix)) n += queue.length;
    return n;
  }

  private grantNext(name: string): void {
    const queue = this.queues.get(name);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.queues.delete(name);
    next?.();
  }
}

/**
 * The hub's end of a tab's channel, as a worker script sees its port: when
 * the script dies and runs again (WebKit), the listeners of the old one go
 * and the new one listens on the same port.
 */
class HubSideEndpoint implements Comlink.Endpoint {
  private listeners: Array<[string, EventListenerOrEventListenerObject]> = [];

  constructor(readonly port: MessagePort) {}

  postMessage(message: unknown, transfer?: Transferable[]): void {
    this.port.postMessage(message, transfer ?? []);
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    this.listeners.push([type, listener]);
    this.port.addEventListener(type as "message", listener as (event: MessageEvent) => void);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    this.listeners = this.listeners.filter(([t, l]) => t !== type || l !== listener);
    this.port.removeEventListener(type as "message", listener as (event: MessageEvent) => void);
  }

  start(): void {
    this.port.start();
  }

  /** The script that listened here is gone. */
  reset(): void {
    for (const [type, listener] of this.listeners.splice(0)) {
      this.port.removeEventListener(type as "message", listener as (event: MessageEvent) => void);
    }
  }
}

export interface TestTab extends Tab {
  /** Messages this tab posted on its endpoint to the hub (attach and other Comlink calls; op batches go on its data port). */
  posted(): number;
  /** Makes the tab die (closed, crashed): the hub learns it through the lock. */
  kill(): void;
}

export interface Harness {
  server: TestServer;
  /** The hub the tabs talk to now. */
  readonly hub: Hub;
  locks: FakeLocks;
  /** A new tab; `debug`: its debug switch, as `localStorage.debug` would hold it. */
  tab(opts?: { ready?: boolean; debug?: string }): Promise<TestTab>;
  /** The worker dies (its connections and lock go with it) and the next `connect()` reaches a new hub. */
  killHub(): void;
  /**
   * The worker dies and its script runs again behind the same ports (WebKit):
   * a new hub, with a new epoch, serves the tabs' existing channels. Its lock
   * stays held, so that only the new epoch tells the tabs.
   */
  restartHubSilently(): void;
  close(): Promise<void>;
}

export const HUB_LOCK_PREFIX = "test-hub-lock#";

export async function harness(
  serverOpts: Partial<ServerOptions> = {},
  env: Partial<HubEnv> = {},
): Promise<Harness> {
  const server = await startServer({ pingInterval: 2000, pingTimeout: 2000, ...serverOpts });
  const locks = new FakeLocks();
  let releaseHubLock = () => {};
  let hubs = 0;
  const makeHub = () => {
    const hubLock = HUB_LOCK_PREFIX + ++hubs;
    void locks.request(hubLock, () => new Promise<void>((release) => (releaseHubLock = release)));
    return new Hub({
      mode: { mode: "SharedWorker", why: "test" },
      watchTab: lockWatcher(locks),
      nextTask: (fn) => setImmediate(fn),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      graceMs: 0,
      hubLock,
      ...env,
    });
  };
  let hub = makeHub();
  let hubPorts: HubSideEndpoint[] = [];
  const tabs: TestTab[] = [];
  const ports: MessagePort[] = [];
  let count = 0;
  return {
    server,
    get hub() {
      return hub;
    },
    locks,
    async tab({ ready = true, debug }: { ready?: boolean; debug?: string } = {}) {
      let posted = 0;
      const connect = () => {
        const { port1, port2 } = new MessageChannel();
        ports.push(port1, port2);
        const endpoint = new HubSideEndpoint(port1);
        hubPorts.push(endpoint);
        servePort(hub, endpoint);
        const post = port2.postMessage.bind(port2) as (...args: unknown[]) => void;
        (port2 as unknown as { postMessage: (...args: unknown[]) => void }).postMessage = (...args) => {
          posted++;
          post(...args);
        };
        return port2;
      };
      const tabId = `tab-${++count}`;
      const tab = createTab({ connect, locks, tabId, callTimeoutMs: 3000, debug });
      const testTab: TestTab = {
        ...tab,
        posted: () => posted,
        kill: () => locks.kill(TAB_LOCK_PREFIX + tabId),
      };
      tabs.push(testTab);
      if (ready) await tab.diagnostics();
      return testTab;
    },
    killHub() {
      const dead = hub;
      for (const endpoint of hubPorts) endpoint.port.close();
      hubPorts = [];
      for (const entry of [...dead.managers]) entry.destroy();
      const release = releaseHubLock;
      hub = makeHub();
      release();
    },
    restartHubSilently() {
      const dead = hub;
      for (const entry of [...dead.managers]) entry.destroy();
      // The dead script's listeners go with it, those on the tabs' data ports too.
      for (const tab of dead.tabs.values()) tab.stopListening();
      hub = makeHub();
      for (const endpoint of hubPorts) {
        endpoint.reset();
        servePort(hub, endpoint);
      }
    },
    async close() {
      for (const tab of tabs) tab.dispose();
      for (const port of ports) port.close();
      await server.close();
    },
  };
}

/** Resolves once `check()` is true; fails after `ms`. */
export async function waitFor(check: () => boolean, ms = 3000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending messages settle (a few task turns). */
export async function settle(ms = 30): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
