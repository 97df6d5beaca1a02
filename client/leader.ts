/**
 * Leader-tab mode, for browsers without SharedWorker: the tabs of an origin
 * elect a leader over Web Locks; the leader hosts the hub in its page (loaded
 * on demand) and the others reach it over BroadcastChannel, with the same
 * bridge. When the leader closes, the next tab in the lock's queue takes
 * over at once, and every tab's bridge (watching the hub's lock) re-attaches.
 */
import {
  BRIDGE_VERSION,
  LEADER_CHANNEL,
  LEADER_LOCK,
  TAB_CHANNEL_PREFIX,
  type HubHello,
  type HubMode,
  type LeaderSignal,
} from "../worker/protocol";
import type { LockManagerLike } from "../worker/env";
import type { HubEndpoint } from "./bridge";
import { pageCodecs } from "./page-codecs";
import { channelEndpoint } from "../src/broadcast-endpoint";

/** This page's part in the election (one per page, whatever the options of its sockets). */
let election: Election | undefined;

/** A channel to the leader's hub: this page's own if it leads, else a BroadcastChannel to the leader. */
export function connectToLeader(locks: LockManagerLike, mode: HubMode): Promise<HubEndpoint> {
  election ??= new Election(locks, mode);
  return election.connect();
}

class Election {
  /** Settles once this tab leads: opens ports to its own hub. */
  private readonly won: Promise<() => MessagePort>;
  private leading = false;

  constructor(locks: LockManagerLike, mode: HubMode) {
    this.won = new Promise((resolve, reject) => {
      void locks.request(LEADER_LOCK, async () => {
        try {
          const { startLeader } = await import("../worker/page-host");
          resolve(await startLeader(mode, locks, pageCodecs));
          this.leading = true;
        } catch (err) {
          // No hub here after all: let the next tab lead.
          reject(err);
          return;
        }
        // Held for the page's life.
        await new Promise(() => {});
      });
    });
    this.won.catch(() => {});
  }

  connect(): Promise<HubEndpoint> {
    if (this.leading) return this.won.then((open) => open());
    return new Promise<HubEndpoint>((resolve, reject) => {
      const id = randomId();
      const channel = new BroadcastChannel(TAB_CHANNEL_PREFIX + id);
      const signals = new BroadcastChannel(LEADER_CHANNEL);
      let settled = false;
      const ask = () => signals.postMessage({ k: "serve-me", channel: id, bridge: BRIDGE_VERSION } satisfies LeaderSignal);
      const onSignal = (event: MessageEvent) => {
        const signal = event.data as LeaderSignal | null;
        // A new leader is there: ask it (the request may have gone out while nobody led).
        if (signal?.k === "leader" && signal.bridge === BRIDGE_VERSION) ask();
      };
      const onHello = (event: MessageEvent) => {
        const hello = event.data as HubHello | null;
        if (hello?.["socket.io-shared"] === "hub" && hello.bridge === BRIDGE_VERSION) finish({ ...channelEndpoint(channel), inline: true }, true);
      };
      const finish = (result: HubEndpoint | Error, viaChannel = false) => {
        if (settled) return;
        settled = true;
        signals.close();
        channel.removeEventListener("message", onHello);
        if (!viaChannel) channel.close();
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      signals.addEventListener("message", onSignal);
      channel.addEventListener("message", onHello);
      // Elected while waiting (the leader just left): use this page's own hub.
      this.won.then(
        (open) => finish(open()),
        (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
      );
      ask();
    });
  }
}

function randomId(): string {
  const c = globalThis.crypto;
  return typeof c?.randomUUID === "function" ? c.randomUUID() : Math.random().toString(36).slice(2) + Date.now().toString(36);
}
