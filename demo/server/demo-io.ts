/**
 * The demo's socket.io server side: a chat, bursts of events, a button that
 * drops a connection, and the server's own view (connections, tabs, events
 * per second) pushed to every page.
 *
 * Every tab of a browser shares one server-side socket, so what should reach
 * all tabs is sent with `io.emit(...)`: `socket.broadcast` would skip the
 * sender's socket, and with it every tab that shares it.
 */
import type { Server, Socket } from "socket.io";
import type { ChatMessage, ClientToServerEvents, ConnectionView, ServerStats, ServerToClientEvents } from "../shared/events";
import { RateMeter } from "./rate";

export type DemoServer = Server<ClientToServerEvents, ServerToClientEvents>;
type DemoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const STATS_EVERY_MS = 500;
const HISTORY = 50;
const MAX_BURST = 100_000;
const MAX_TEXT = 500;

export interface DemoHandle {
  /** The latest stats (what the pages show). */
  stats(): ServerStats;
  stop(): void;
}

export function attachDemo(io: DemoServer): DemoHandle {
  const eventsIn = new RateMeter();
  const eventsOut = new RateMeter();
  /** Tabs per socket, as the tabs report them from `diagnostics()`. */
  const tabsOf = new Map<string, number>();
  /** Tab labels by the tab's id, so that a reconnecting tab keeps its name. */
  const labels = new Map<string, string>();
  const history: ChatMessage[] = [];
  /** Events of each tab-to-server burst received so far, by series id. */
  const upCounts = new Map<string, number>();
  let accepted = 0;
  let recovered = 0;
  let bursts = 0;
  let messages = 0;
  let latest: ServerStats = emptyStats();

  /** Sends to every socket, counting one delivery per socket. */
  const toAll = <E extends keyof ServerToClientEvents>(ev: E, ...args: Parameters<ServerToClientEvents[E]>) => {
    eventsOut.add(io.of("/").sockets.size);
    io.emit(ev, ...args);
  };

  io.engine.on("connection", () => accepted++);

  io.on("connection", (socket: DemoSocket) => {
    if (socket.recovered) recovered++;
    socket.onAny(() => eventsIn.add());
    socket.on("disconnect", () => tabsOf.delete(socket.id));

    socket.on("hello", (tabId, reply) => {
      let label = labels.get(tabId);
      if (!label) {
        label = `Tab ${labels.size + 1}`;
        labels.set(tabId, label);
      }
      reply(label);
    });

    socket.on("tabs", (count) => {
      if (Number.isInteger(count) && count >= 0) tabsOf.set(socket.id, count);
    });

    socket.on("chat", (from, text, reply) => {
      const message: ChatMessage = { id: ++messages, from: String(from).slice(0, 40), text: String(text).slice(0, MAX_TEXT), at: Date.now() };
      history.push(message);
      if (history.length > HISTORY) history.shift();
      reply({ id: message.id, at: message.at });
      toAll("chat", message);
    });

    socket.on("history", (reply) => reply(history.slice()));

    socket.on("burst", (count, reply) => {
      const total = Math.min(Math.max(Math.trunc(count) || 0, 1), MAX_BURST);
      const burst = ++bursts;
      const started = performance.now();
      for (let index = 0; index < total; index++) toAll("tick", burst, index, total);
      reply({ burst, ms: Math.round(performance.now() - started) });
    });

    // Counted per series: tabs that share this socket may send bursts at the same time.
    socket.on("up", (series) => {
      upCounts.set(series, (upCounts.get(series) ?? 0) + 1);
    });

    socket.on("upDone", (series, reply) => {
      reply(upCounts.get(series) ?? 0);
      upCounts.delete(series);
    });

    socket.on("drop", (from) => {
      toAll("dropped", String(from).slice(0, 40), shortId(engineId(socket)));
      // Closed on the next turn, so that the notice leaves first.
      setTimeout(() => socket.conn.close(), 50);
    });
  });

  const timer = setInterval(() => {
    latest = collect();
    toAll("stats", latest);
  }, STATS_EVERY_MS);

  function collect(): ServerStats {
    const list: ConnectionView[] = [];
    const byConnection = new Map<string, ConnectionView>();
    for (const socket of io.of("/").sockets.values()) {
      const id = engineId(socket);
      let view = byConnection.get(id);
      if (!view) {
        view = { id: shortId(id), transport: socket.conn.transport.name, tabs: 0 };
        byConnection.set(id, view);
        list.push(view);
      }
      view.tabs += tabsOf.get(socket.id) ?? 0;
    }
    return {
      connections: io.engine.clientsCount,
      tabs: list.reduce((sum, view) => sum + view.tabs, 0),
      eventsIn: eventsIn.perSecond(),
      eventsOut: eventsOut.perSecond(),
      accepted,
      recovered,
      list,
    };
  }

  return {
    stats: () => latest,
    stop: () => clearInterval(timer),
  };
}

function emptyStats(): ServerStats {
  return { connections: 0, tabs: 0, eventsIn: 0, eventsOut: 0, accepted: 0, recovered: 0, list: [] };
}

const shortId = (id: string) => id.slice(0, 8);

/**
 * The Engine.IO session id of a socket's connection: what a tab sees as
 * `socket.io.engine.id`. (engine.io's typings mark it private.)
 */
const engineId = (socket: DemoSocket): string => (socket.conn as unknown as { id: string }).id;
