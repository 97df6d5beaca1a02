/**
 * The bridge of a real page, loaded by client/index.ts with a dynamic import
 * as it runs (not awaited; the first `io()` or `diagnostics()` uses it):
 * Comlink, the worker start-up and the fallbacks stay out of the JavaScript
 * a page must load before `io()` works.
 */
import { Bridge } from "./bridge";
import { browserTabEnv } from "./browser-env";
import type { TabLink } from "./link";
import type { SharedOptions } from "./options";

export function startPageBridge(link: TabLink, opts: SharedOptions): Bridge {
  return new Bridge(link, browserTabEnv(opts));
}
