/**
 * A BroadcastChannel as a message endpoint for the bridge, shared by the two
 * ends of leader-tab mode (client/leader.ts in the tabs, worker/leader-host.ts
 * in the leader). Not part of the Socket.IO core: it lives here because
 * `client/` may import small helpers from `src/` and not from `worker/`.
 */

/** What the bridge needs of a channel (Comlink's `Endpoint`, plus `close`). */
export interface ChannelEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void;
  close(): void;
}

/**
 * Wraps `channel`. Comlink posts RELEASE when a proxy is garbage-collected;
 * on a channel that several attachments of a tab use in turn, that would
 * unhook the live one, so RELEASE never reaches a listener here. Posting on a
 * channel closed meanwhile (the other side moved on) is not an error.
 */
export function channelEndpoint(channel: BroadcastChannel): ChannelEndpoint {
  const wrapped = new Map<EventListenerOrEventListenerObject, EventListener>();
  return {
    postMessage: (message) => {
      try {
        channel.postMessage(message);
      } catch {
        // Closed: this end uses another channel now, or the other end is gone.
      }
    },
    addEventListener: (type, listener) => {
      const filtered = (event: Event) => {
        if (((event as MessageEvent).data as { type?: unknown } | null)?.type === "RELEASE") return;
        if (typeof listener === "function") listener(event);
        else listener.handleEvent(event);
      };
      wrapped.set(listener, filtered);
      channel.addEventListener(type, filtered);
    },
    removeEventListener: (type, listener) => {
      const filtered = wrapped.get(listener);
      if (!filtered) return;
      wrapped.delete(listener);
      channel.removeEventListener(type, filtered);
    },
    close: () => channel.close(),
  };
}
