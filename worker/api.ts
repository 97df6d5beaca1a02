/**
 * What one tab reaches over its Comlink endpoint. One object per connecting
 * port: it remembers which tab attached through it.
 */
import * as Comlink from "comlink";
import type { Hub } from "./hub";
import type { AttachRequest, HubPort } from "./protocol";
import type { ReceiverEndpoint } from "./tab";
import { isDataPost } from "./wire";
import { filteredListeners } from "../src/broadcast-endpoint";

export interface ServeOptions {
  /**
   * The tab's receiver when it passes no port: where ports cannot travel (a
   * BroadcastChannel), the hub calls the tab back on the endpoint it serves.
   */
  inlineReceiver?: () => ReceiverEndpoint;
  /** Called on every attach through this endpoint (the leader host watches the tab). */
  onAttach?: (req: AttachRequest) => void;
  /**
   * The reply waits for this (the hub's own lock): a tab watches the hub's
   * lock once it has the reply, and would take a hub that does not hold it
   * yet for dead. The hub serves the tab meanwhile.
   */
  replyAfter?: Promise<unknown>;
}

export function createPortApi(hub: Hub, opts: ServeOptions = {}): HubPort {
  return {
    attach(req, receiver) {
      const endpoint = receiver ?? opts.inlineReceiver?.();
      if (!endpoint) throw new Error("socket.io-shared: attach needs the port of the tab's receiver");
      hub.attach(req, endpoint);
      opts.onAttach?.(req);
      const reply = hub.attachReply();
      return opts.replyAfter ? opts.replyAfter.then(() => reply) : reply;
    },
    diagnostics() {
      return hub.diagnostics();
    },
  };
}

/** Serves `hub` to the tab at the other end of `port`, and says hello (which hub this is). */
export function servePort(hub: Hub, port: Comlink.Endpoint, opts: ServeOptions = {}): void {
  Comlink.expose(createPortApi(hub, opts), controlPlane(port));
  port.postMessage(hub.hello());
}

/**
 * The endpoint as Comlink sees it: without the data plane's posts, which share
 * it where ports cannot travel (Comlink would answer each with a RETURN).
 */
function controlPlane(port: Comlink.Endpoint): Comlink.Endpoint {
  return {
    postMessage: (message, transfer) => port.postMessage(message, transfer),
    ...filteredListeners(port, isDataPost),
    start: port.start && (() => port.start?.()),
  };
}
