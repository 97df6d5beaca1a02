/**
 * The tab's end of the bridge (loaded lazily; client/link.ts is the eager
 * half the Managers and Sockets talk to): takes the tab's Web Lock, attaches
 * to the hub (Comlink), posts the link's ops as one numbered batch per
 * microtask on its data port (worker/wire.ts), and hands the hub's batches to
 * the Managers and Sockets they are about, acknowledging them cumulatively.
 *
 * When the hub dies (its lock is released) or restarts behind the same port
 * (it says hello with a new epoch), the bridge reaches the next hub and
 * attaches again: every Manager and Socket replays what recreates it, and the
 * emits the old hub never applied (or held while disconnected) are sent again.
 */
import * as Comlink from "comlink";
import {
  BRIDGE_VERSION,
  TAB_LOCK_PREFIX,
  type AttachReply,
  type AttachRequest,
  type Diagnostics,
  type HubHello,
  type HubMessage,
  type HubPort,
  type TabOp,
} from "../worker/protocol";
import { decodeMessages, isDataPost, type AckPost, type HubPost, type OpsPost } from "../worker/wire";
import { detached, receive, replay } from "./inbound";
import { debugEnabled } from "./debug-switch";
import { InFlight } from "./in-flight";
import { OpQueue } from "./op-queue";
import type { BridgeCore, QueuedOp, TabLink } from "./link";
import { managerOp } from "./options";

/** The subset of `navigator.locks` a tab uses. */
export interface TabLocks {
  request(name: string, callback: () => Promise<unknown> | void): Promise<unknown>;
}

/** A channel to the hub. */
export interface HubEndpoint extends Comlink.Endpoint {
  close?(): void;
  /**
   * The hub calls this tab back on this same endpoint (a BroadcastChannel
   * cannot carry a port); otherwise the tab sends it a port for that.
   */
  inline?: boolean;
}

/** Where a tab finds its hub, injected (SharedWorker, leader tab, in-page hub, tests). */
export interface TabEnv {
  /** Opens a channel to the hub (called again when the hub died). */
  connect(): HubEndpoint | Promise<HubEndpoint>;
  /** `navigator.locks` (absent: the hub cannot tell when this tab dies). */
  locks?: TabLocks;
  /** Subscribes to the browser's `online`/`offline` events. */
  watchNetwork?(onChange: (online: boolean) => void): void;
  /** This tab's id (default: random). */
  tabId?: string;
  /** How long a call to the hub may take before it fails. Default 10 s. */
  callTimeoutMs?: number;
  /**
   * The debug switch, as `localStorage.debug` would hold it (client/debug-switch.ts),
   * or how to read it: it is read once the hub is being reached (a page's first
   * `localStorage` read took 1–5 ms here, not to be spent before that).
   */
  debug?: string | (() => string | undefined);
}

/** `disconnect` descriptions: why the hub went away. */
const HUB_DIED = "socket.io-shared: the hub stopped (its SharedWorker or leader tab is gone)";
const HUB_RESTARTED = "socket.io-shared: the hub restarted behind the same port";
/** A batch the hub did not ask to be acknowledged at once is acknowledged after this long (ms). */
const IDLE_ACK_MS = 10;

/** The tab's end of its data plane: its own port, or a view of a shared channel. */
interface DataPort {
  postMessage(message: unknown): void;
  close(): void;
}

export class Bridge implements BridgeCore {
  readonly tabId: string;
  private remote: Comlink.Remote<HubPort> | undefined;
  private receiver: DataPort | undefined;
  /** Number of the last op batch posted (grows across attachments). */
  private opsSeq = 0;
  /** The last hub batch handled, and the last one acknowledged, in this attachment. */
  private handled = 0;
  private acked = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private endpoint: HubEndpoint | undefined;
  private releaseLock: (() => void) | undefined;
  private failure: Error | undefined;
  /** Settles with the hub's first attach reply. */
  readonly ready: Promise<AttachReply>;
  private attachReply: Promise<AttachReply> | undefined;
  /** Counts attachments: a watch or a batch of an older one is ignored. */
  private attachments = 0;
  /** The epoch of the hub this tab attached to. */
  private epoch: string | undefined;
  /** Reaching a new hub: other signs of the old one's death are ignored meanwhile. */
  private restarting = false;
  private readonly inFlight = new InFlight();
  /** The tab's ops from the moment this bridge is loaded (the link's queue before). */
  readonly queue: OpQueue;
  /** Each Manager's `manager` op, made once (its replays keep its shared or private decision). */
  private readonly managerOps = new Map<number, Extract<TabOp, { op: "manager" }>>();
  /** Connection keys this tab already has a shared Manager for. */
  private readonly sharedKeys = new Set<string>();
  /** Whether the hub sends this tab its debug log (`socket.io-shared:hub`). */
  private readonly hubDebug: boolean;
  /** This bridge's own debug log (`socket.io-shared:tab`), if on. */
  private readonly trace: ((line: string) => void) | undefined;

  constructor(
    private readonly link: TabLink,
    private readonly env: TabEnv,
  ) {
    this.tabId = env.tabId ?? randomId();
    this.queue = new OpQueue(link, (op) => this.wire(op));
    this.ready = this.start();
    const debug = typeof env.debug === "function" ? env.debug() : env.debug;
    this.hubDebug = debugEnabled("socket.io-shared:hub", debug);
    if (debugEnabled("socket.io-shared:tab", debug)) this.trace = (line) => console.debug(`socket.io-shared:tab ${line}`);
    env.watchNetwork?.((online) => link.push({ op: "network", online }));
    this.ready.catch((err: Error) => {
      this.failure = err;
      console.warn("socket.io-shared: cannot reach the hub:", err);
    });
  }

  /** What the hub holds (a plain object); rejects if the hub does not answer. */
  diagnostics(): Promise<Diagnostics> {
    return this.withTimeout(this.ready.then(() => (this.remote as Comlink.Remote<HubPort>).diagnostics()));
  }

  /** Lets go of the hub: releases the lock (the hub frees this tab's state) and closes the channel. */
  dispose(): void {
    this.releaseLock?.();
    this.releaseLock = undefined;
    clearTimeout(this.ackTimer);
    this.receiver?.close();
    this.endpoint?.close?.();
    this.failure ??= new Error("socket.io-shared: this tab's bridge was disposed");
  }

  /** Posts the link's queued ops as one message, once attached (one way: the hub says later what it applied). */
  flush(): void {
    if (this.link.pending) for (const op of this.link.take()) this.queue.push(op);
    if (!this.attachReply || !this.receiver || !this.queue.pending || this.failure) return;
    const ops = this.queue.takeEncoded();
    const seq = ++this.opsSeq;
    this.inFlight.add(seq, ops);
    const post: OpsPost = { sio: "ops", seq, ops };
    try {
      this.receiver.postMessage(post);
    } catch (err) {
      this.inFlight.drop(seq);
      console.warn("socket.io-shared: a batch could not be posted to the hub:", err);
    }
  }

  /** An op in its wire form: a Manager draft becomes its `manager` op (made once). */
  private wire(op: QueuedOp): TabOp {
    if (op.op !== "manager-draft") return op;
    let made = this.managerOps.get(op.ref);
    if (!made) this.managerOps.set(op.ref, (made = managerOp(op, this.sharedKeys)));
    return made;
  }

  /** Every op queued so far, as objects, removed from the queues. */
  private takeQueued(): TabOp[] {
    for (const op of this.link.take()) this.queue.push(op);
    return this.queue.take();
  }

  private async start(): Promise<AttachReply> {
    // The worker starts first, then the lock request (a tab's first one took 2–30 ms) while
    // it starts; the attach waits for both: a hub that watched before the lock was held
    // would take this live tab for dead.
    const [endpoint] = await Promise.all([this.env.connect(), this.takeLock()]);
    this.use(endpoint);
    return this.attach();
  }

  /** Talks to the hub through `endpoint` from now on, and listens for its hello. */
  private use(endpoint: HubEndpoint): void {
    this.endpoint = endpoint;
    this.remote = Comlink.wrap<HubPort>(endpoint);
    endpoint.addEventListener("message", (event) => {
      const hello = (event as MessageEvent).data as HubHello | null;
      if (hello?.["socket.io-shared"] !== "hub" || endpoint !== this.endpoint) return;
      // Another hub behind the same port: the old one died and the script ran again.
      if (this.epoch === undefined || hello.epoch === this.epoch || this.restarting) return;
      this.trace?.("the hub restarted behind the same port: attaching again");
      this.reattach(HUB_RESTARTED, true);
    });
  }

  private attach(): Promise<AttachReply> {
    const remote = this.remote as Comlink.Remote<HubPort>;
    const req: AttachRequest = { tabId: this.tabId, lock: TAB_LOCK_PREFIX + this.tabId, bridge: BRIDGE_VERSION };
    if (this.hubDebug) req.debug = true;
    const generation = ++this.attachments;
    this.handled = 0;
    this.acked = 0;
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    const onData = (event: Event) => {
      const data = (event as MessageEvent).data as unknown;
      if (isDataPost(data) && generation === this.attachments) this.onHubPost(data as HubPost);
    };
    let reply: Promise<AttachReply>;
    if (this.endpoint?.inline) {
      const view = endpointView(this.endpoint);
      view.addEventListener("message", onData);
      this.receiver = view;
      reply = remote.attach(req);
    } else {
      const { port1, port2 } = new MessageChannel();
      port1.addEventListener("message", onData);
      port1.start();
      this.receiver = port1;
      reply = remote.attach(req, Comlink.transfer(port2, [port2]) as unknown as MessagePort);
    }
    this.attachReply = this.withTimeout(reply);
    this.attachReply.then((answer) => {
      if (generation !== this.attachments) return;
      this.trace?.(`tab ${this.tabId} attached to the hub: ${answer.mode} (${answer.why}), epoch ${answer.epoch}`);
      this.epoch = answer.epoch;
      this.watchHub(answer, generation);
    }, () => {});
    // The hub listens on the data port as it attaches: ops may follow the attach at once (they wait in the port).
    this.flush();
    return this.attachReply;
  }

  /** Waits for the hub's lock: granted means the hub died; reach the next one and attach again. */
  private watchHub(reply: AttachReply, generation: number): void {
    const locks = this.env.locks;
    if (!reply.hubLock || !locks) return;
    void locks.request(reply.hubLock, () => {
      // Let go at once (not awaiting), so that the other tabs get the lock in turn.
      if (generation !== this.attachments || this.failure || this.restarting) return;
      this.trace?.("the hub is gone (its lock was released): reaching a new one");
      void this.restartHub();
    });
  }

  private async restartHub(): Promise<void> {
    this.restarting = true;
    const old = this.endpoint;
    try {
      // Meanwhile, answers the dead hub sent before it died still arrive on the old endpoint.
      this.use(await this.env.connect());
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      console.warn("socket.io-shared: cannot reach a new hub:", err);
      for (const obj of this.link.objects.values()) detached(obj, HUB_DIED, [], []);
      return;
    } finally {
      this.restarting = false;
    }
    old?.close?.();
    this.reattach(HUB_DIED, true);
  }

  private takeLock(): Promise<void> {
    const locks = this.env.locks;
    if (!locks) return Promise.resolve();
    return new Promise<void>((granted) => {
      locks
        .request(TAB_LOCK_PREFIX + this.tabId, () => {
          granted();
          return new Promise<void>((release) => (this.releaseLock = release));
        })
        // Refused (an opaque origin): go on without; only an in-page hub works there anyway.
        .catch(() => granted());
    });
  }

  /** A post of the hub's data plane: a batch of messages, or news of the ops it applied. */
  private onHubPost(post: HubPost): void {
    if (post.sio === "applied") return this.inFlight.applied(post.upTo);
    if (post.sio !== "batch") return;
    this.inFlight.applied(post.applied);
    const generation = this.attachments;
    decodeMessages(post.messages, (message) => this.receive(message));
    // The hub let go of this tab in this batch: the acknowledgement would be for the old attachment.
    if (generation !== this.attachments) return;
    this.handled = post.seq;
    if (post.ack) this.ack();
    else this.ackTimer ??= setTimeout(() => this.ack(), IDLE_ACK_MS);
  }

  /** Tells the hub every batch up to the last one was handled (one message for many batches). */
  private ack(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.handled === this.acked || !this.receiver) return;
    this.acked = this.handled;
    const post: AckPost = { sio: "ack", upTo: this.handled };
    this.receiver.postMessage(post);
  }

  private receive(message: HubMessage): void {
    try {
      if (message.k === "log") {
        console.debug(`socket.io-shared:hub ${message.line}`);
      } else if (message.k === "detached") {
        this.trace?.(`the hub let go of this tab: ${message.reason}`);
        // It applied nothing after the news that came with this notice.
        this.inFlight.refuseRest();
        this.reattach(message.reason, false);
      } else {
        const obj = this.link.objects.get(message.ref);
        if (obj) receive(obj, message);
      }
    } catch (err) {
      // A listener threw: report it like an uncaught error, and go on with the batch.
      setTimeout(() => {
        throw err;
      });
    }
  }

  /**
   * Attaches again and recreates everything: the hub let go of this tab
   * (it fell behind), or a new hub took over (`hubDied`): then what the old
   * one never applied or held in memory is sent again.
   */
  private reattach(reason: string, hubDied: boolean): void {
    this.receiver?.close();
    this.attachReply = undefined;
    const link = this.link;
    // Everything queued from here on travels whole: replay and resend compare ops by identity.
    this.queue.replaying = true;
    const later = this.takeQueued();
    for (const obj of link.objects.values()) replay(obj, hubDied);
    const replayed = new Set(this.takeQueued());
    const resent: TabOp[] = [...replayed].filter((op): op is TabOp => op.op === "emit");
    const unsent = this.inFlight
      .takeUnsent(hubDied)
      .filter((op) => op.op === "emit" && !replayed.has(op) && link.objects.has(op.ref));
    resent.push(...unsent);
    for (const op of [...replayed, ...unsent, ...later]) link.push(op);
    this.queue.replaying = false;
    this.attach().catch(() => {});
    const unanswered = this.inFlight.unanswered();
    for (const obj of link.objects.values()) detached(obj, reason, resent, unanswered);
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

/**
 * One attachment's view of a shared endpoint: closing it removes only the
 * listeners it added, so that the tab can attach again on the same channel.
 */
function endpointView(endpoint: HubEndpoint): Comlink.Endpoint & { close(): void } {
  const listeners = new Set<EventListenerOrEventListenerObject>();
  return {
    postMessage: (message, transfer) => endpoint.postMessage(message, transfer),
    addEventListener: (type, listener) => {
      listeners.add(listener);
      endpoint.addEventListener(type, listener);
    },
    removeEventListener: (type, listener) => {
      listeners.delete(listener);
      endpoint.removeEventListener(type, listener);
    },
    close: () => {
      for (const listener of listeners) endpoint.removeEventListener("message", listener);
      listeners.clear();
    },
  };
}

function randomId(): string {
  const c = globalThis.crypto;
  return typeof c?.randomUUID === "function" ? c.randomUUID() : Math.random().toString(36).slice(2) + Date.now().toString(36);
}
