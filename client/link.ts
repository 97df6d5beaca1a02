/**
 * The eager half of a tab's bridge: where the tab's Managers and Sockets
 * register and queue their ops. The other half (client/bridge.ts: Comlink,
 * worker start-up, leader election, re-attach) is loaded with a dynamic
 * import, so that the JavaScript a page loads before `io()` returns stays
 * small. Ops queued before it loads leave first, in order, exactly as ops
 * made before the hub answers always did.
 */
import type { EventsMap } from "@socket.io/component-emitter";
import type { Diagnostics, TabOp } from "../worker/protocol";
import type { Manager, ManagerOpts } from "./manager";
import type { Socket } from "./socket";

/** A Manager or Socket of this tab (client/inbound.ts applies the hub's messages to it). */
export type Linked = Manager<EventsMap, EventsMap> | Socket<EventsMap, EventsMap>;

/**
 * A Manager's creation op as the Manager queues it: its options as given.
 * The bridge makes it a `manager` op (plain options, connection key, shared
 * or private) when it sends it; that code (client/options.ts) loads with it.
 */
export interface ManagerDraft {
  op: "manager-draft";
  ref: number;
  /** `protocol://host:port` of the server. */
  origin: string;
  /** The query of the URL given to `io()` / `new Manager()`. */
  urlQuery: Record<string, string>;
  opts: ManagerOpts;
}

/** What the link queues: ops, and Manager drafts. */
export type QueuedOp = TabOp | ManagerDraft;

/** What the loaded bridge does for the link. */
export interface BridgeCore {
  /** Where ops go once it is loaded (before: the link's own queue, which it takes). */
  queue?: { push(op: QueuedOp): void };
  /** Sends the queued ops (if attached). */
  flush(): void;
  diagnostics(): Promise<Diagnostics>;
  dispose(): void;
}

/** Loads (or makes) the bridge of a link. */
export type BridgeLoader = (link: TabLink) => BridgeCore | Promise<BridgeCore>;

export class TabLink {
  /** Managers and Sockets of this tab, by ref. */
  readonly objects = new Map<number, Linked>();
  #ops: QueuedOp[] = [];
  #nextRef = 0;
  #flushQueued = false;
  #core: BridgeCore | undefined;
  readonly #loaded: Promise<BridgeCore>;

  constructor(load: BridgeLoader) {
    this.#loaded = Promise.resolve(this).then(load);
    this.#loaded.then(
      (core) => {
        this.#core = core;
        core.flush();
      },
      (err: unknown) => console.warn("socket.io-shared: cannot load the bridge:", err),
    );
  }

  /** A fresh ref (tab-local id) for a Manager or Socket. */
  register(obj: Linked): number {
    const ref = ++this.#nextRef;
    this.objects.set(ref, obj);
    return ref;
  }

  /** Stops routing messages for `ref` to its object. */
  forget(ref: number): void {
    this.objects.delete(ref);
  }

  /** Queues an op; all ops of this task leave together on a microtask. */
  push(op: QueuedOp): void {
    (this.#core?.queue ?? this.#ops).push(op);
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.#core?.flush();
    });
  }

  /** The ops queued before the bridge took over, removed (the bridge sends them). */
  take(): QueuedOp[] {
    const ops = this.#ops;
    this.#ops = [];
    return ops;
  }

  /** Whether ops wait to be sent. */
  get pending(): boolean {
    return this.#ops.length > 0;
  }

  diagnostics(): Promise<Diagnostics> {
    return this.#loaded.then((core) => core.diagnostics());
  }

  /** Leaves the hub as a closing tab would. */
  dispose(): void {
    void this.#loaded.then((core) => core.dispose(), () => {});
  }
}
