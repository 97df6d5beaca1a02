/**
 * A fault-injecting TCP proxy on 127.0.0.1, between a client (the core in
 * Node, or a browser) and a real server. It forwards bytes untouched until a
 * test asks for a fault: cut every connection, refuse new ones, black-hole
 * traffic, block WebSocket upgrades, or corrupt what the server sends.
 *
 * @example
 * const proxy = await startFaultProxy({ port: server.port });
 * const socket = io(proxy.url, { forceNew: true });
 * proxy.cut(); // every open connection is reset
 */
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { Link, type ChunkInfo, type Corrupter, type MutableCounters } from "./link";
import { rewriteTextFrame, type TextRewrite } from "./ws-frames";

export type { ChunkInfo, Corrupter } from "./link";
export type { TextRewrite } from "./ws-frames";

/** A snapshot of what went through the proxy. */
export interface FaultProxyCounters extends MutableCounters {
  /** Connections open right now. */
  connectionsOpen: number;
}

export interface FaultProxy {
  /** The port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Resets every open connection (both sides); returns how many. */
  cut(): number;
  /** While on, each new connection is reset as soon as it is accepted. */
  refuse(on: boolean): void;
  /**
   * While on, connections (open and new) stay open but every byte is dropped,
   * both ways, and closes are not passed on. When it lifts, connections that
   * lost bytes or lost a side are reset; idle ones carry on.
   */
  blackhole(on: boolean): void;
  /** While on, HTTP requests with `Upgrade: websocket` get a 400 and are closed; other requests pass. */
  blockWebSocketUpgrades(on: boolean): void;
  /** Installs (or with `null` removes) a rewriter of server→client bytes. */
  corrupt(fn: Corrupter | null): void;
  counters(): FaultProxyCounters;
  /** Stops listening and resets every connection. */
  close(): Promise<void>;
}

/**
 * A corrupter that rewrites the payload of unmasked server→client text frames
 * (Engine.IO packets over WebSocket) and leaves everything else alone.
 *
 * @example
 * proxy.corrupt(rewriteWebSocketText((text) => (text.startsWith("42") ? "42[broken" : null)));
 */
export function rewriteWebSocketText(rewrite: TextRewrite): Corrupter {
  return (chunk, info) => (info.protocol === "websocket" ? rewriteTextFrame(chunk, rewrite) : chunk);
}

/** Starts a proxy to `target` (host defaults to 127.0.0.1). */
export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  const links = new Set<Link>();
  const counters: MutableCounters = {
    connectionsOpened: 0,
    connectionsRefused: 0,
    webSocketConnections: 0,
    upgradesBlocked: 0,
    clientToServerBytes: 0,
    serverToClientBytes: 0,
    droppedBytes: 0,
    corruptedChunks: 0,
  };
  let refusing = false;
  let blackholed = false;
  let blockingUpgrades = false;
  let corrupter: Corrupter | null = null;
  let nextId = 1;

  const env = {
    target: { host: target.host ?? "127.0.0.1", port: target.port },
    counters,
    blackholed: () => blackholed,
    upgradesBlocked: () => blockingUpgrades,
    corrupter: () => corrupter,
    onClosed: (link: Link) => links.delete(link),
  };

  const server = createServer((client: Socket) => {
    counters.connectionsOpened++;
    const id = nextId++;
    if (refusing) {
      counters.connectionsRefused++;
      client.on("error", () => {});
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    links.add(new Link(id, client, env));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const cutAll = () => {
    const open = [...links];
    for (const link of open) link.cut();
    return open.length;
  };

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    cut: cutAll,
    refuse: (on) => {
      refusing = on;
    },
    blackhole: (on) => {
      const lifted = blackholed && !on;
      blackholed = on;
      if (lifted) for (const link of [...links]) link.afterBlackhole();
    },
    blockWebSocketUpgrades: (on) => {
      blockingUpgrades = on;
    },
    corrupt: (fn) => {
      corrupter = fn;
    },
    counters: () => ({ ...counters, connectionsOpen: links.size }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        cutAll();
      }),
  };
}
