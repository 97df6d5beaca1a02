/**
 * An Emitter that notices when an event gains its first listener or loses its
 * last one, so that a tab tells the hub which events to send it (tabs that do
 * not listen get nothing). `once` goes through `on`/`off`, so it is covered.
 */
import { Emitter, type EventsMap } from "@socket.io/component-emitter";

type Fn = (...args: never[]) => unknown;
type LooseOn = (ev: string, fn: Fn) => unknown;
type LooseOff = (ev?: string, fn?: Fn) => unknown;

const baseOn = Emitter.prototype.on as unknown as LooseOn;
const baseOff = Emitter.prototype.off as unknown as LooseOff;

export abstract class TrackedEmitter<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ReservedEvents extends EventsMap,
> extends Emitter<ListenEvents, EmitEvents, ReservedEvents> {
  /** @internal Names the hub currently sends this object (replayed on a fresh attachment). */
  readonly _subscribed = new Set<string>();

  /** Tells the hub to start (`on`) or stop sending the events named `ev`. */
  protected abstract subscribe(ev: string, on: boolean): void;

  /** Events that always arrive (state changes): no subscription needed. */
  protected alwaysDelivered(_ev: string): boolean {
    return false;
  }

  /** @internal Whether `ev` (none: every subscribed event) has listeners may have changed. */
  _listenersChanged(ev?: string): void {
    for (const name of ev === undefined ? [...this._subscribed] : [ev]) {
      const want = (this as unknown as Emitter<EventsMap, EventsMap>).hasListeners(name);
      if (this.alwaysDelivered(name) || want === this._subscribed.has(name)) continue;
      if (want) this._subscribed.add(name);
      else this._subscribed.delete(name);
      this.subscribe(name, want);
    }
  }
}

// The Emitter's aliases point at its own functions: route them all through
// two wrappers so that every way of adding or removing a listener is seen.
function on(this: TrackedEmitter<EventsMap, EventsMap, EventsMap>, ev: string, fn: Fn) {
  baseOn.call(this, ev, fn);
  this._listenersChanged(ev);
  return this;
}
// `off()`, `off(ev)` and `off(ev, fn)` differ by argument count: pass them on as given.
function off(this: TrackedEmitter<EventsMap, EventsMap, EventsMap>, ...args: [ev?: string, fn?: Fn]) {
  baseOff.apply(this, args);
  this._listenersChanged(args[0]);
  return this;
}
const proto = TrackedEmitter.prototype as unknown as Record<string, unknown>;
proto.on = proto.addEventListener = on;
proto.off = proto.removeListener = proto.removeAllListeners = proto.removeEventListener = off;
