/**
 * One tab's connection to its hub: the bridge, `io()`'s Manager cache and the
 * connection keys this tab already shares (a further Manager for one of them
 * is private, as in socket.io-client).
 */
import type { DefaultEventsMap, EventsMap } from "@socket.io/component-emitter";
import type { Diagnostics } from "../worker/protocol";
import { Bridge, type TabEnv } from "./bridge";
import { Manager, type ManagerOpts } from "./manager";
import type { Socket } from "./socket";
import type { SocketOptions } from "../src";
import { parseTabUrl } from "./url";
import { wireOptions } from "./options";

/** Everything `io()` accepts. */
export type IoOpts = ManagerOpts & Partial<SocketOptions>;

export class TabContext {
  readonly bridge: Bridge;
  /** Managers made by `io()`, by connection key. */
  readonly cache = new Map<string, Manager>();
  /** Connection keys this tab already has a shared Manager for. */
  readonly sharedKeys = new Set<string>();
  /** `Manager` bound to this tab. */
  readonly Manager: typeof Manager;

  constructor(env: TabEnv) {
    this.bridge = new Bridge(env);
    env.watchNetwork?.((online) => this.bridge.push({ op: "network", online }));
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
    const { key } = wireOptions(parsed.origin, options, parsed.query);
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
    return this.bridge.diagnostics();
  }
}
