/**
 * The hub in the leader tab, where there is no SharedWorker: the other tabs
 * of the origin ask for it on {@link LEADER_CHANNEL}, and each gets a
 * BroadcastChannel of its own (ports cannot travel over BroadcastChannel).
 * A tab calls the hub and the hub calls the tab back on that one channel:
 * Comlink ignores the messages that are not calls to it or replies to its own
 * calls, so the two directions share it. Same hub, same protocol as the
 * SharedWorker's.
 */
import { servePort } from "./api";
import type { HubEnv } from "./env";
import type { Hub } from "./hub";
import { BRIDGE_VERSION, LEADER_CHANNEL, TAB_CHANNEL_PREFIX, type LeaderSignal } from "./protocol";
import type { ReceiverEndpoint } from "./tab";
import { channelEndpoint } from "../src/broadcast-endpoint";

/** A tab that asked and never attached (it died first) loses its channel after this long. */
const ATTACH_DEADLINE_MS = 30_000;

/** Serves `hub` to the tabs that ask on the leader channel, and announces it. */
export function hostLeader(hub: Hub, watchTab: HubEnv["watchTab"]): void {
  const signals = new BroadcastChannel(LEADER_CHANNEL);
  const served = new Map<string, ReceiverEndpoint>();
  signals.onmessage = (event: MessageEvent) => {
    const signal = event.data as LeaderSignal | null;
    if (signal?.k !== "serve-me" || signal.bridge !== BRIDGE_VERSION || typeof signal.channel !== "string") return;
    const known = served.get(signal.channel);
    // Asked twice (its first request crossed our announcement): say hello again.
    if (known) return known.postMessage(hub.hello());
    const id = signal.channel;
    const endpoint = channelEndpoint(new BroadcastChannel(TAB_CHANNEL_PREFIX + id));
    served.set(id, endpoint);
    const close = () => {
      served.delete(id);
      endpoint.close();
    };
    let unwatch: () => void = () => {};
    const deadline = setTimeout(close, ATTACH_DEADLINE_MS);
    servePort(hub, endpoint, {
      inlineReceiver: () => channelView(endpoint),
      onAttach: (req) => {
        clearTimeout(deadline);
        unwatch();
        unwatch = watchTab(req.lock, close);
      },
    });
  };
  // Tabs that asked before this hub was ready ask again.
  const announce: LeaderSignal = { k: "leader", epoch: hub.epoch, bridge: BRIDGE_VERSION };
  signals.postMessage(announce);
}

/**
 * One attachment's view of a tab's channel: closing it removes only the
 * listeners it added, so that the tab can attach again on the same channel.
 */
function channelView(channel: ReceiverEndpoint): ReceiverEndpoint {
  const listeners = new Set<EventListenerOrEventListenerObject>();
  return {
    postMessage: (message) => channel.postMessage(message),
    addEventListener: (type, listener) => {
      listeners.add(listener);
      channel.addEventListener(type, listener);
    },
    removeEventListener: (type, listener) => {
      listeners.delete(listener);
      channel.removeEventListener(type, listener);
    },
    close: () => {
      for (const listener of listeners) channel.removeEventListener("message", listener);
      listeners.clear();
    },
  };
}
