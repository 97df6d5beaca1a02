/**
 * What one tab reaches over its Comlink endpoint. One object per connecting
 * port: it remembers which tab attached through it.
 */
import * as Comlink from "comlink";
import type { Hub } from "./hub";
import type { AttachRequest, HubPort } from "./protocol";
import type { ReceiverEndpoint } from "./tab";

export interface ServeOptions {
  /**
   * The tab's receiver when it passes no port: where ports cannot travel (a
   * BroadcastChannel), the hub calls the tab back on the endpoint it serves.
   */
  inlineReceiver?: () => ReceiverEndpoint;
  /** Called on every attach through this endpoint (the leader host watches the tab). */
  onAttach?: (req: AttachRequest) => void;
}

export function createPortApi(hub: Hub, opts: ServeOptions = {}): HubPort {
  let tab: ReturnType<Hub["attach"]> | undefined;
  return {
    attach(req, receiver) {
      const endpoint = receiver ?? opts.inlineReceiver?.();
      if (!endpoint) throw new Error("socket.io-shared: attach needs the port of the tab's receiver");
      tab = hub.attach(req, endpoint);
      opts.onAttach?.(req);
      return hub.attachReply();
    },
    send(ops) {
      // Ops of a detached attachment (or of a tab this hub never saw: it restarted behind
      // the same port) are not applied; `false` tells the tab to send them again once attached.
      if (!tab || tab.detached) return false;
      hub.apply(tab, ops);
      return true;
    },
    diagnostics() {
      return hub.diagnostics();
    },
  };
}

/** Serves `hub` to the tab at the other end of `port`, and says hello (which hub this is). */
export function servePort(hub: Hub, port: Comlink.Endpoint, opts: ServeOptions = {}): void {
  Comlink.expose(createPortApi(hub, opts), port);
  port.postMessage(hub.hello());
}
