/**
 * What the engine needs from its host: timers and a clock. Everything else
 * (fetch, WebSocket, AbortController, Blob, URL) is read from `globalThis`
 * when used, so the core runs in a page, a worker, Node, Deno or Bun.
 */

/** Opaque timer handle: a number in browsers, an object in Node. */
export type TimerHandle = unknown;

/**
 * Timer functions the engine uses for its heartbeat and deferred work.
 * Inject them to run the engine on a scheduler of your own (tests, workers
 * with their own clock); by default they are the global ones.
 */
export interface EngineTimers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The global timers, bound so they can be called detached. */
export const defaultTimers: EngineTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const nativeSetTimeout = globalThis.setTimeout;
const nativeClearTimeout = globalThis.clearTimeout;

/**
 * The timers as they were when this module loaded, before a library such as
 * zone.js (Angular) could wrap them: the `useNativeTimers` option.
 */
export const nativeTimers: EngineTimers = {
  setTimeout: (fn, ms) => nativeSetTimeout.call(globalThis, fn, ms),
  clearTimeout: (handle) => nativeClearTimeout.call(globalThis, handle as ReturnType<typeof setTimeout>),
};

/** The timers the `useNativeTimers` option asks for. */
export function timersFor(opts: { useNativeTimers?: boolean }): EngineTimers {
  return opts.useNativeTimers ? nativeTimers : defaultTimers;
}

/**
 * Reports an exception thrown by a user's listener without letting it unwind
 * through the engine (which would leave it half-way through a state change).
 * Like an EventTarget, the error still surfaces as an uncaught error of the
 * host, so it is not silently lost.
 */
export function reportListenerError(err: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === "function") {
    report(err);
    return;
  }
  globalThis.setTimeout(() => {
    throw err;
  }, 0);
}
