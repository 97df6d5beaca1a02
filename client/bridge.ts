/**
 * The tab's end of the bridge: takes the tab's Web Lock, attaches to the hub,
 * sends the tab's ops as one Comlink call per microtask, and hands the hub's
 * batches to the Managers and Sockets they are about.
 */
import * as Comlink from "comlink";
import {
  BRIDGE_VERSION,
  TAB_LOCK_PREFIX,
  type AttachReply,
  type Diagnostics,
  type HubMessage,
  type HubPort,
  type TabOp,
} from "../worker/protocol";

/** The subset of `navigator.locks` a tab uses. */
export interface TabLocks {
  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
}

/** Where a tab finds its hub, injected (SharedWorker, in-page hub, tests). */
export interface TabEnv {
  /** Opens a channel to the hub. */
  connect(): Comlink.Endpoint | Promise<Comlink.Endpoint>;
  /** `navigator.locks` (absent: the hub cannot tell when this tab dies). */
  locks?: TabLocks;
  /** Subscribes to the browser's `online`/`offline` events. */
  watchNetwork?(onChange: (online: boolean) => void): void;
  /** This tab's id (default: random). */
  tabId?: string;
  /** How long a call to the hub may take before it fails. Default 10 s. */
  callTimeoutMs?: number;
}

/** A Manager or Socket of this tab, as the bridge sees it. */
export interface BridgeObject {
  receive(message: HubMessage): void;
  /** Pushes the ops that recreate this object on a fresh attachment. */
  replay(): void;
  /** The hub let go of this tab: behave as after a transport close. */
  detached(reason: string): void;
}

export class Bridge {
  readonly tabId: string;
  private ops: TabOp[] = [];
  private flushQueued = false;
  private remote: Comlink.Remote<HubPort> | undefined;
  private receiverPort: MessagePort | undefined;
  private endpoint: Comlink.Endpoint | undefined;
  private readonly objects = new Map<number, BridgeObject>();
  private nextRef = 0;
  private releaseLock: (() => void) | undefined;
  private failure: Error | undefined;
  /** Settles with the hub's first attach reply. */
  readonly ready: Promise<AttachReply>;
  private attachReply: Promise<AttachReply> | undefined;
  /** Counts attachments: a watch of an older hub is ignored. */
  private attachments = 0;

  constructor(private readonly env: TabEnv) {
    this.tabId = env.tabId ?? randomId();
    this.ready = this.start();
    this.ready.catch((err: Error) => {
      this.failure = err;
      console.warn("socket.io-shared: cannot reach the hub:", err);
    });
  }

  /** A fresh ref (tab-local id) for a Manager or Socket. */
  register(obj: BridgeObject): number {
    const ref = ++this.nextRef;
    this.objects.set(ref, obj);
    return ref;
  }

  /** Stops routing messages for `ref` to its object. */
  forget(ref: number): void {
    this.objects.delete(ref);
  }

  /** Queues an op; all ops of this task leave together on a microtask. */
  push(op: TabOp): void {
    this.ops.push(op);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  /** What the hub holds (a plain object); rejects if the hub does not answer. */
  diagnostics(): Promise<Diagnostics> {
    return this.withTimeout(this.ready.then(() => (this.remote as Comlink.Remote<HubPort>).diagnostics()));
  }

  /** Lets go of the hub: releases the lock (the hub frees this tab's state) and closes the channel. */
  dispose(): void {
    this.releaseLock?.();
    this.releaseLock = undefined;
    this.receiverPort?.close();
    (this.endpoint as MessagePort | undefined)?.close?.();
    this.failure ??= new Error("socket.io-shared: this tab's bridge was disposed");
  }

  private flush(): void {
    this.flushQueued = false;
    if (!this.attachReply || this.ops.length === 0 || this.failure) return;
    const batch = this.ops;
    this.ops = [];
    (this.remote as Comlink.Remote<HubPort>).send(batch).catch((err: Error) => {
      console.warn("socket.io-shared: the hub refused a batch:", err);
    });
  }

  private async start(): Promise<AttachReply> {
    // The lock first: a hub that saw no lock would take this live tab for dead.
    await this.takeLock();
    this.endpoint = await this.env.connect();
    this.remote = Comlink.wrap<HubPort>(this.endpoint);
    return this.attach();
  }

  private attach(): Promise<AttachReply> {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose((batch: HubMessage[]) => this.receive(batch), port1);
    this.receiverPort = port1;
    const reply = (this.remote as Comlink.Remote<HubPort>).attach(
      { tabId: this.tabId, lock: TAB_LOCK_PREFIX + this.tabId, bridge: BRIDGE_VERSION },
      Comlink.transfer(port2, [port2]) as unknown as MessagePort,
    );
    this.attachReply = this.withTimeout(reply);
    const generation = ++this.attachments;
    this.attachReply.then((answer) => this.watchHub(answer, generation), () => {});
    // Calls on one port are handled in order: ops may follow the attach at once.
    this.flush();
    return this.attachReply;
  }

  /** Waits for the hub's lock: granted means the hub died; start a new one and attach again. */
  private watchHub(reply: AttachReply, generation: number): void {
    const locks = this.env.locks;
    if (!reply.hubLock || !locks) return;
    void locks.request(reply.hubLock, async () => {
      // Let go at once (not awaiting), so that the other tabs and the next hub get the lock in turn.
      if (generation === this.attachments && !this.failure) void this.restartHub();
    });
  }

  private async restartHub(): Promise<void> {
    (this.endpoint as MessagePort | undefined)?.close?.();
    this.endpoint = await this.env.connect();
    this.remote = Comlink.wrap<HubPort>(this.endpoint);
    this.reattach("socket.io-shared: the shared worker stopped");
  }

  private takeLock(): Promise<void> {
    const locks = this.env.locks;
    if (!locks) return Promise.resolve();
    return new Promise<void>((granted, refused) => {
      locks
        .request(TAB_LOCK_PREFIX + this.tabId, () => {
          granted();
          return new Promise<void>((release) => (this.releaseLock = release));
        })
        .catch(refused);
    });
  }

  private receive(batch: HubMessage[]): void {
    for (const message of batch) {
      try {
        if (message.k === "detached") this.reattach(message.reason);
        else this.objects.get(message.ref)?.receive(message);
      } catch (err) {
        // A listener threw: report it like an uncaught error, and go on with the batch.
        setTimeout(() => {
          throw err;
        });
      }
    }
  }

  /** The hub let go of this tab (it fell behind, or died): attach again and recreate everything. */
  private reattach(reason: string): void {
    this.receiverPort?.close();
    this.attachReply = undefined;
    const later = this.ops;
    this.ops = [];
    for (const obj of this.objects.values()) obj.replay();
    this.ops.push(...later);
    this.attach().catch(() => {});
    for (const obj of this.objects.values()) obj.detached(reason);
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.env.callTimeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const timer = setTimeout(() => reject(new Error(`socket.io-shared: the hub did not answer within ${ms} ms`)), ms);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }
}

function randomId(): string {
  const c = globalThis.crypto;
  return typeof c?.randomUUID === "function" ? c.randomUUID() : Math.random().toString(36).slice(2) + Date.now().toString(36);
}
