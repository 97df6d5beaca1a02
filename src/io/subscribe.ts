import type { Emitter } from "@socket.io/component-emitter";
import { defaultTimers, type EngineTimers } from "../engine/env";

/** A disposer: undoes one subscription (or one timer). Safe to call twice. */
export type Disposer = () => void;

/** Anything with `on`/`off` in the component-emitter style (engine, decoder, Manager). */
export interface Subscribable {
  // The listener type is left open: each emitter types its own events.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, fn: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off?(event?: string, fn?: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  removeListener?(event: string, fn: (...args: any[]) => void): unknown;
}

/** A typed component-emitter (engine, Manager): its event maps do not matter here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEmitter = Emitter<any, any, any>;

/** Subscribes `fn` to `event` and returns the disposer that removes it. */
export function on<A extends unknown[]>(
  emitter: Subscribable | AnyEmitter,
  event: string,
  fn: (...args: A) => void,
): Disposer {
  const target = emitter as Subscribable;
  const listener = fn as (...args: unknown[]) => void;
  target.on(event, listener);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    if (target.off) target.off(event, listener);
    else target.removeListener?.(event, listener);
  };
}

/** Starts a timer and returns the disposer that clears it. */
export function after(ms: number, fn: () => void, timers: EngineTimers = defaultTimers): Disposer {
  const timer = timers.setTimeout(fn, ms);
  return () => timers.clearTimeout(timer);
}

/** Runs every disposer of `list` and empties it. */
export function disposeAll(list: Disposer[]): void {
  for (const dispose of list.splice(0)) dispose();
}
