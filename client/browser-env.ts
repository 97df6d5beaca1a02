/**
 * Where a tab of a real page finds its hub, best first (DESIGN §6):
 * 1. the origin's SharedWorker;
 * 2. else a leader tab's hub, shared over Web Locks + BroadcastChannel;
 * 3. else a hub inside this page (also what `shared: false` asks for).
 * A worker script that does not start (404, wrong MIME type, CSP, options
 * that differ from another tab's) sends this page to the next mode for good,
 * with one console warning naming the URL; `diagnostics()` says why.
 * Nothing here throws into `io()`: every failure means the next mode.
 */
import type { HubEndpoint, TabEnv } from "./bridge";
import type { LockManagerLike } from "../worker/env";
import type { HubMode } from "../worker/protocol";
import { connectToLeader } from "./leader";
import type { SharedOptions } from "./options";
import { DEFAULT_WORKER_FILE, startSharedWorker } from "./start-worker";
import { pageCodecs } from "./page-codecs";
import { pageDebugSetting } from "./debug-switch";

/** How long a worker may take to say hello before the tab uses the next mode. */
const WORKER_START_TIMEOUT_MS = 10_000;

/** Worker URLs this page already warned about (one warning each). */
const warned = new Set<string>();

export function browserTabEnv(opts: SharedOptions): TabEnv {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  let workerFailure: string | undefined;

  const connect = async (): Promise<HubEndpoint> => {
    if (opts.shared === false) return inPage("shared: false");
    if (typeof SharedWorker === "function" && workerFailure === undefined) {
      try {
        return await startSharedWorker(opts.worker, WORKER_START_TIMEOUT_MS);
      } catch (err) {
        const url = opts.worker ? String(opts.worker) : `${DEFAULT_WORKER_FILE} (beside the library)`;
        workerFailure = `the SharedWorker script ${url} failed: ${err instanceof Error ? err.message : String(err)}`;
        if (!warned.has(url)) {
          warned.add(url);
          console.warn(`socket.io-shared: ${workerFailure}; using the next mode (see diagnostics())`);
        }
      }
    }
    const why = workerFailure ?? "SharedWorker is not available";
    if (locks && typeof BroadcastChannel === "function" && (await locksWork(locks))) {
      try {
        return await connectToLeader(locks, { mode: "leader tab", why });
      } catch (err) {
        return inPage(`${why}, and no leader tab could host the hub (${String(err)})`);
      }
    }
    return inPage(`${why}, and Web Locks or BroadcastChannel are not available`);
  };

  return {
    connect,
    locks,
    debug: pageDebugSetting,
    watchNetwork: (onChange) => {
      if (typeof addEventListener !== "function") return;
      addEventListener("online", () => onChange(true));
      addEventListener("offline", () => onChange(false));
    },
  };
}

async function inPage(why: string): Promise<MessagePort> {
  const { connectInPage } = await import("../worker/page-host");
  const mode: HubMode = { mode: "in-page", why };
  return connectInPage(mode, pageCodecs);
}

/** Web Locks exist but may refuse (opaque origins: SecurityError). */
async function locksWork(locks: LockManagerLike): Promise<boolean> {
  try {
    await locks.request("socket.io-shared:probe", { ifAvailable: true }, () => undefined);
    return true;
  } catch {
    return false;
  }
}
