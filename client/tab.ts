/**
 * A tab's public API bound to one hub connection, with its bridge loaded at
 * once (no dynamic import): tests make several in one realm, one per
 * simulated tab. The page's entry point (client/index.ts) loads the bridge lazily.
 */
import type { Diagnostics } from "../worker/protocol";
import { Bridge, type TabEnv } from "./bridge";
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

export function createTab(env: TabEnv & { tabId: string }): Tab {
  const context = new TabContext((link) => new Bridge(link, env));
  return {
    io: context.io.bind(context) as TabContext["io"],
    Manager: context.Manager,
    Socket,
    tabId: env.tabId,
    diagnostics: () => context.diagnostics(),
    dispose: () => context.link.dispose(),
  };
}
