/** Where a tab of a real page finds its hub: the SharedWorker, or a hub inside the page. */
import type { TabEnv, TabLocks } from "./bridge";
import type { SharedOptions } from "./options";
import { startSharedWorker } from "./start-worker";

export function browserTabEnv(opts: SharedOptions): TabEnv {
  const nav = (globalThis as { navigator?: { locks?: TabLocks } }).navigator;
  return {
    connect: () => {
      if (opts.shared === false) return inPage("in-page", "shared: false");
      // Issue 4 adds the leader-tab mode between these two.
      if (typeof SharedWorker === "undefined") return inPage("in-page", "SharedWorker is not available");
      return startSharedWorker(opts.worker);
    },
    locks: nav?.locks,
    watchNetwork: (onChange) => {
      if (typeof addEventListener !== "function") return;
      addEventListener("online", () => onChange(true));
      addEventListener("offline", () => onChange(false));
    },
  };
}

async function inPage(mode: "in-page", why: string): Promise<MessagePort> {
  const { connectInPage } = await import("../worker/page-host");
  return connectInPage({ mode, why });
}
