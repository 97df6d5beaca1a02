/**
 * Message endpoints for the bridge: a BroadcastChannel as one, shared by the
 * two ends of leader-tab mode (client/leader.ts in the tabs,
 * worker/leader-host.ts in the leader), and listeners that skip traffic not
 * meant for them (also worker/api.ts). Not part of the Socket.IO core: it lives here because
 * `client/` may import small helpers from `src/` and not from `worker/`.
 */

/** What the bridge needs of a channel (Comlink's `Endpoint`, plus `close`). */
export interface ChannelEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void;
  close(): void;
}

/** What {@link filteredListeners} needs of a port or channel. */
interface ListenerTarget {
  addEventListener(type: string, listener: EventListener): void;
  removeEventListener(type: string, listener: EventListener): void;
}

/**
 * `addEventListener`/`removeEventListener` for `target` whose listeners never
 * hear a message for which `drop(data)` holds: for a Comlink side of an
 * endpoint that also carries other traffic.
 */
export function filteredListeners(
  target: ListenerTarget,
  drop: (data: unknown) => boolean,
): Pick<ChannelEndpoint, "addEventListener" | "removeEventListener"> {
  const wrapped = new Map<EventListenerOrEventListenerObject, EventListener>();
  return {
    addEventListener: (type, listener) => {
      const filtered = (event: Event) => {
        if (drop((event as MessageEvent).data)) return;
        if (typeof listener === "function") listener(event);
        else listener.handleEvent(event);
      };
      wrapped.set(listener, filtered);
      target.addEventListener(type, filtered);
    },
    removeEventListener: (type, listener) => {
      const filtered = wrapped.get(listener);
      if (!filtered) return;
      wrapped.delete(listener);
      target.removeEventListener(type, filtered);
    },
  };
}

const isRelease = (data: unknown) => (data as { type?: unknown } | null)?.type === "RELEASE";

/**
 * Wraps `channel`. Comlink posts RELEASE when a proxy is garbage-collected;
 * on a channel that several attachments of a tab use in turn, that would
 * unhook the live one, so RELEASE never reaches a listener here. Posting on a
 * channel closed meanwhile (the other side moved on) is not an error.
 */
export function channelEndpoint(channel: BroadcastChannel): ChannelEndpoint {
  return {
    postMessage: (message) => {
      try {
        channel.postMessage(message);
      } catch {
        // Closed: this end uses another channel now, or the other end is gone.
      }
    },
    ...filteredListeners(channel, isRelease),
    close: () => channel.close(),
  };
}
