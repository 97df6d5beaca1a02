/** What `diagnostics()` reports: a plain snapshot of the hub's registries. */
import type { Hub } from "./hub";
import { BRIDGE_VERSION, type Diagnostics, type ManagerDiagnostics } from "./protocol";

export function collectDiagnostics(hub: Hub): Diagnostics {
  const counters: Diagnostics["counters"] = {
    tabs: hub.tabs.size,
    managers: hub.managers.size,
    sockets: 0,
    subscriptions: 0,
    listeners: 0,
    pendingAcks: 0,
    serverAcks: 0,
    held: 0,
    backlog: 0,
    overflows: hub.overflows,
  };
  const tabs = [...hub.tabs.values()].map((tab) => {
    counters.backlog += tab.outbox.backlog;
    for (const tm of tab.managers.values()) counters.listeners += tm.listens.size + tm.engineListens.size;
    for (const sub of tab.sockets.values()) {
      counters.subscriptions++;
      counters.listeners += sub.listenerCount;
      counters.pendingAcks += sub.pendingAcks.size;
    }
    return {
      id: tab.id,
      backlog: tab.outbox.backlog,
      batchesSent: tab.outbox.batchesSent,
      messagesSent: tab.outbox.messagesSent,
      batchesReceived: tab.batchesReceived,
      opsReceived: tab.opsReceived,
      managers: tab.managers.size,
      sockets: tab.sockets.size,
    };
  });
  const managers: ManagerDiagnostics[] = [...hub.managers].map((entry) => ({
    origin: entry.spec.origin,
    key: entry.spec.key,
    private: entry.isPrivate,
    tabs: entry.tabs.size,
    readyState: entry.core._readyState,
    engine: entry.engineState(),
    sockets: [...entry.sockets.values()].map((shared) => {
      counters.sockets++;
      counters.serverAcks += shared.serverAckCount;
      counters.held += shared.heldCount;
      return {
        nsp: shared.nsp,
        id: shared.core.id,
        connected: shared.core.connected,
        tabs: shared.subs.size,
        attached: shared.attached,
        auth: shared.authKey === "ƒ" ? "function" : shared.authKey === "null" ? "none" : "static",
      };
    }),
  }));
  return { ...hub.env.mode, bridge: BRIDGE_VERSION, epoch: hub.epoch, tabs, managers, counters };
}
