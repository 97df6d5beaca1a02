/**
 * What the hub needs from where it runs, injected so that the same hub runs in
 * a SharedWorker, in a page, or in Node tests (which have no Web Locks).
 */
import type { ParserModule } from "../src";
import type { HubMode } from "./protocol";
import type { SessionStore } from "./session-store";

/** The subset of `navigator.locks` the hub and the tabs use. */
export interface LockManagerLike {
  request(name: string, callback: () => unknown): Promise<unknown>;
  request(name: string, options: { signal?: AbortSignal; ifAvailable?: boolean }, callback: () => unknown): Promise<unknown>;
}

export interface HubEnv {
  /** How the hub runs and why (reported by `diagnostics()`). */
  mode: HubMode;
  /**
   * Calls `onGone` once the tab holding lock `lock` is gone (closed, reloaded,
   * crashed). Returns a disposer that stops watching.
   */
  watchTab(lock: string, onGone: () => void): () => void;
  /** Runs `fn` on a later task (a MessageChannel tick in browsers). */
  nextTask(fn: () => void): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /**
   * Codecs the hub may serve tabs' `parser` option with, by name (a tab's
   * codec cannot cross to the hub: worker/codecs.ts). Read on every new
   * Manager, so a live Map may grow. socket.io-parser needs no entry.
   */
  parsers?: ReadonlyMap<string, ParserModule>;
  /** Which hub this is: a hub restarted behind the same ports has a new one. Default: random. */
  epoch?: string;
  /** The lock this hub holds while it lives, told to tabs so they notice its death. */
  hubLock?: string;
  /** Where recovery sessions of shared sockets outlive this hub (absent: they do not). */
  sessions?: SessionStore;
  /**
   * Settles once `sessions` is there (IndexedDB opens while the first tabs
   * attach): the hub holds the tabs' ops until then, so that the first
   * namespace connect can resume a saved session.
   */
  ready?: Promise<unknown>;
  /** Messages queued + in flight to one tab before the hub detaches it. Default 20 000. */
  maxBacklog?: number;
  /** Batches sent to a tab and not yet acknowledged before the hub holds the next. Default 8. */
  maxInFlight?: number;
  /** How long a namespace socket outlives its last tab that died (reload grace). Default 1000 ms. */
  graceMs?: number;
  /** Server events held for a tab that re-attaches during the grace period. Default 1000. */
  maxHeld?: number;
  /** Log the hub's decisions even when no tab asks (`startHub({ debug: true })`). */
  debug?: boolean;
  /**
   * Where the hub writes its debug lines itself (default: `console.debug`);
   * they also go to the tabs that asked, unless the hub is in their page.
   */
  debugLog?: (line: string) => void;
}

/** A fresh hub epoch (random, short). */
export function newEpoch(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return typeof c?.randomUUID === "function" ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Watches tabs through Web Locks: the hub's request is granted when the tab lets go of its lock. */
export function lockWatcher(locks: LockManagerLike): HubEnv["watchTab"] {
  return (lock, onGone) => {
    const abort = new AbortController();
    locks
      .request(lock, { signal: abort.signal }, () => {
        onGone();
      })
      .catch(() => {
        // Aborted: the hub stopped watching this tab.
      });
    return () => abort.abort();
  };
}

/** A task-turn scheduler on a MessageChannel (a timer would be clamped/throttled). */
export function messageChannelTick(): (fn: () => void) => void {
  const channel = new MessageChannel();
  const queue: Array<() => void> = [];
  channel.port1.onmessage = () => {
    const fn = queue.shift();
    fn?.();
  };
  // Node only (tests, SSR): the tick alone must not keep the process alive.
  (channel.port1 as { unref?: () => void }).unref?.();
  (channel.port2 as { unref?: () => void }).unref?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

/** The environment of a hub in a browser (SharedWorker or page). */
export function browserEnv(mode: HubMode, overrides: Partial<HubEnv> = {}): HubEnv {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return {
    mode,
    watchTab: locks ? lockWatcher(locks) : () => () => {},
    nextTask: messageChannelTick(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    ...overrides,
  };
}
