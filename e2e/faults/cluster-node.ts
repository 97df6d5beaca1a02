/**
 * One socket.io node of the multi-node fault tests, run in its own process
 * (e2e/faults/cluster-node-process.mjs): the e2e server (pages + socket.io)
 * with the Redis Streams adapter and connectionStateRecovery, so that a
 * session persisted by one node can be restored by another.
 *
 * Behaviour: a socket that connects afresh joins "room" (a recovered one is
 * in it already); "up<t>" events are acknowledged with their number. The
 * node tells its parent (IPC) when it listens, each socket's connection
 * (recovered or not), each "up" arrival, and the numbers of the "tick"
 * events it wrote to its sockets (missed ones replayed on recovery
 * included), so that a test tells duplicates the server sent from
 * duplicates the client made. On SIGTERM it shuts down the way a node
 * leaving a cluster does: io.close() (its sockets' sessions go to Redis),
 * then exits.
 */
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { startE2EServer } from "../fixtures/server";

/** What a node tells its parent. */
export type NodeMessage =
  | { type: "ready"; url: string }
  | { type: "connection"; id: string; recovered: boolean }
  | { type: "up"; event: string; n: number }
  | { type: "ticks-sent"; numbers: number[] };

export interface NodeOptions {
  redisUrl: string;
  pingInterval: number;
  pingTimeout: number;
  maxDisconnectionDuration: number;
}

export async function runNode(options: NodeOptions): Promise<void> {
  const tell = (message: NodeMessage) => process.send?.(message);
  const redis = createClient({ url: options.redisUrl });
  redis.on("error", () => {
    // Reconnects by itself; the tests stop Redis last.
  });
  await redis.connect();
  const server = await startE2EServer({
    io: {
      adapter: createAdapter(redis),
      pingInterval: options.pingInterval,
      pingTimeout: options.pingTimeout,
      connectionStateRecovery: { maxDisconnectionDuration: options.maxDisconnectionDuration },
    },
  });
  let ticksSent: number[] = [];
  const flushTicks = () => {
    if (ticksSent.length > 0) tell({ type: "ticks-sent", numbers: ticksSent });
    ticksSent = [];
  };
  const flusher = setInterval(flushTicks, 20);
  // From the Engine.IO connection on: a recovered socket's missed events are written before "connection".
  server.io.engine.on("connection", (conn: { on(event: "packetCreate", fn: (packet: { data?: unknown }) => void): void }) => {
    conn.on("packetCreate", (packet) => {
      const tick = typeof packet.data === "string" ? /^2\["tick",(\d+)/.exec(packet.data) : null;
      if (tick) ticksSent.push(Number(tick[1]));
    });
  });
  server.io.on("connection", (socket) => {
    tell({ type: "connection", id: socket.id, recovered: socket.recovered });
    if (!socket.recovered) void socket.join("room");
    socket.onAny((event: string, n: unknown, ack?: unknown) => {
      if (!event.startsWith("up") || typeof n !== "number") return;
      tell({ type: "up", event, n });
      if (typeof ack === "function") ack(n);
    });
  });
  process.once("SIGTERM", () => {
    void (async () => {
      await server.close();
      clearInterval(flusher);
      flushTicks();
      // Let the sessions persisted by close() reach Redis before leaving.
      await redis.quit().catch(() => {});
      process.exit(0);
    })();
  });
  tell({ type: "ready", url: server.url });
}
