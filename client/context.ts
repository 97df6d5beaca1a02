/**
 * One tab's connection to its hub: the link to the bridge, and `io()`'s
 * Manager cache (by server and path, as socket.io-client's).
 */
import type { DefaultEventsMap, EventsMap } from "@socket.io/component-emitter";
import type { Diagnostics } from "../worker/protocol";
import { TabLink, type BridgeLoader } from "./link";
import { Manager, type ManagerOpts } from "./manager";
import type { Socket } from "./socket";
import type { SocketOptions } from "../src";
import { parseTabUrl } from "./url";

/** Everything `io()` accepts. */
export type IoOpts = ManagerOpts & Partial<SocketOptions>;

export class TabContext {
  readonly link: TabLink;
  /** Managers made by `io()`, by server origin and path. */
  readonly cache = new Map<string, Manager>();
  /** `Manager` bound to this tab. */
  readonly Manager: typeof Manager;

  constructor(loadBridge: BridgeLoader) {
    this.link = new TabLink(loadBridge);
    const tab = this;
    this.Manager = class TabManager<L extends EventsMap = DefaultEventsMap, E extends EventsMap = L> extends Manager<L, E> {
      static override _tab: TabContext | undefined = tab;
    };
  }

  /** `io(url, opts)` of this tab, with socket.io-client's caching rules. */
  io<L extends EventsMap = DefaultEventsMap, E extends EventsMap = L>(uri?: string | IoOpts, opts?: IoOpts): Socket<L, E> {
    if (uri && typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    const options: IoOpts = { ...opts };
    const parsed = parseTabUrl(uri as string | undefined);
    const key = parsed.origin + (options.path || "/socket.io");
    const cached = this.cache.get(key);
    const legacy = (options as { "force new connection"?: boolean })["force new connection"];
    const fresh = options.forceNew || legacy || options.multiplex === false || cached?.nsps.has(parsed.nsp);
    let manager: Manager;
    if (fresh) {
      manager = new this.Manager(parsed.source, { ...options, forceNew: true });
    } else {
      manager = cached ?? new this.Manager(parsed.source, options);
      this.cache.set(key, manager);
    }
    return manager.socket(parsed.nsp, options) as unknown as Socket<L, E>;
  }

  diagnostics(): Promise<Diagnostics> {
    return this.link.diagnostics();
  }
}
