/**
 * Type helpers for typed sockets (`Socket<ListenEvents, EmitEvents>`), with
 * socket.io-client's names so that user code written against it compiles.
 */
import type { EventNames, EventParams, EventsMap } from "@socket.io/component-emitter";

export type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "@socket.io/component-emitter";

/** Prepends an `Error` to the parameters of every function in tuple `T`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PrependTimeoutError<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer Params) => infer Result ? (err: Error, ...args: Params) => Result : T[K];
};

/**
 * The events of `E` with error-first acknowledgements: what `timeout(ms)`
 * turns a socket's emit events into (the ack then gets an Error first).
 */
export type DecorateAcknowledgements<E> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result ? (...args: PrependTimeoutError<Params>) => Result : E[K];
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Last<T extends any[]> = T extends [...infer _Head, infer L] ? L : any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AllButLast<T extends any[]> = T extends [...infer Head, infer _L] ? Head : any[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FirstArg<T> = T extends (arg: infer Param) => infer _Result ? Param : any;

/** What `emitWithAck(ev, ...)` resolves with: the first argument of the event's ack. */
export type AckResult<E extends EventsMap, Ev extends EventNames<E>> = FirstArg<Last<EventParams<E, Ev>>>;
