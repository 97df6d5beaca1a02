/**
 * A socket.io server that listens to no client and only broadcasts through
 * the Redis Streams adapter: room events published by something other than
 * the nodes the tabs connect to (and that outlives them), as an app's
 * backend worker publishes them.
 */
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { Server } from "socket.io";

export interface ClusterEmitter {
  io: Server;
  close(): Promise<void>;
}

export async function startEmitter(redisUrl: string, maxDisconnectionDuration: number): Promise<ClusterEmitter> {
  const redis = createClient({ url: redisUrl });
  redis.on("error", () => {
    // Reconnects by itself; the tests stop Redis last.
  });
  await redis.connect();
  const io = new Server({ adapter: createAdapter(redis), connectionStateRecovery: { maxDisconnectionDuration } });
  return {
    io,
    close: async () => {
      io.of("/").adapter.close();
      await redis.quit().catch(() => {});
    },
  };
}
