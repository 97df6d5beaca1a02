/**
 * The catch-all listener families of a socket: `onAny`/`prependAny`/`offAny`/
 * `listenersAny` for incoming events and the `...Outgoing` ones for emits.
 */
import { Emitter, type EventsMap } from "@socket.io/component-emitter";
import { AnyListeners, type AnyListener } from "./any-listeners";

export abstract class CatchAllEmitter<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ReservedEvents extends EventsMap,
> extends Emitter<ListenEvents, EmitEvents, ReservedEvents> {
  /** Listeners of every incoming event, called before the event's own listeners. */
  protected readonly anyIncoming = new AnyListeners();
  /** Listeners of every outgoing event, called when the packet leaves (not when buffered). */
  protected readonly anyOutgoing = new AnyListeners();

  /** Adds a listener called with `(event, ...args)` for every incoming event. */
  onAny(listener: AnyListener): this {
    this.anyIncoming.add(listener);
    return this;
  }

  /** Like {@link Socket.onAny}, but called before the other catch-all listeners. */
  prependAny(listener: AnyListener): this {
    this.anyIncoming.prepend(listener);
    return this;
  }

  /** Removes a catch-all listener, or all of them without argument. */
  offAny(listener?: AnyListener): this {
    this.anyIncoming.remove(listener);
    return this;
  }

  /** The catch-all listeners. */
  listenersAny(): AnyListener[] {
    return this.anyIncoming.snapshot();
  }

  /** Adds a listener called with `(event, ...args)` for every outgoing event (acks excluded). */
  onAnyOutgoing(listener: AnyListener): this {
    this.anyOutgoing.add(listener);
    return this;
  }

  /** Like {@link Socket.onAnyOutgoing}, but called before the other outgoing listeners. */
  prependAnyOutgoing(listener: AnyListener): this {
    this.anyOutgoing.prepend(listener);
    return this;
  }

  /** Removes an outgoing catch-all listener, or all of them without argument. */
  offAnyOutgoing(listener?: AnyListener): this {
    this.anyOutgoing.remove(listener);
    return this;
  }

  /** The outgoing catch-all listeners. */
  listenersAnyOutgoing(): AnyListener[] {
    return this.anyOutgoing.snapshot();
  }
}
