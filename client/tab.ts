/**
 * A tab's public API bound to one hub connection. The page's entry point makes
 * one on first use; tests make several in one realm (one per simulated tab).
 */
import type { Diagnostics } from "../worker/protocol";
import type { TabEnv } from "./bridge";
import { TabContext } from "./context";
import type { Manager } from "./manager";
import { Socket } from "./socket";

export interface Tab {
  /** `io()` of this tab. */
  io: TabContext["io"];
  /** `Manager` of this tab. */
  Manager: typeof Manager;
  Socket: typeof Socket;
  tabId: string;
  diagnostics(): Promise<Diagnostics>;
  /** Leaves the hub as a closing tab would (releases the tab's lock, closes its ports). */
  dispose(): void;
}

export function createTab(env: TabEnv): Tab {
  const context = new TabContext(env);
  return {
    io: context.io.bind(context) as TabContext["io"],
    Manager: context.Manager,
    Socket,
    tabId: context.bridge.tabId,
    diagnostics: () => context.diagnostics(),
    dispose: () => context.bridge.dispose(),
  };
}
