/**
 * What one tab reaches over its Comlink endpoint. One object per connecting
 * port: it remembers which tab attached through it.
 */
import * as Comlink from "comlink";
import type { Hub } from "./hub";
import type { HubPort } from "./protocol";
import type { TabEntry } from "./tab";

export function createPortApi(hub: Hub): HubPort {
  let tab: TabEntry | undefined;
  return {
    attach(req, receiver) {
      tab = hub.attach(req, receiver);
      return hub.attachReply();
    },
    send(ops) {
      // Ops of a detached attachment are dropped until the tab attaches again.
      if (tab && !tab.detached) hub.apply(tab, ops);
    },
    diagnostics() {
      return hub.diagnostics();
    },
  };
}

/** Serves `hub` to the tab at the other end of `port`. */
export function servePort(hub: Hub, port: Comlink.Endpoint): void {
  Comlink.expose(createPortApi(hub), port);
}
