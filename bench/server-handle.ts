/**
 * The bench's end of its server: forks bench/server-process.mjs and talks to
 * it over the IPC channel.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BurstServerStats, FanoutServerStats, ServerCommand, ServerReply, ServerRequest, TimedRequest } from "./server";

export interface BenchServer {
  /** `http://127.0.0.1:<port>`: the pages and socket.io. */
  url: string;
  /** The server's process id (left out of the browser's CPU). */
  pid: number;
  burstStats(trial: string): Promise<BurstServerStats>;
  fanoutStats(trial: string): Promise<FanoutServerStats>;
  /** Paths of the static files served so far, in order. */
  staticRequests(): Promise<string[]>;
  /** The requests (HTTP and WebSocket upgrades) since the last call, with their arrival times. */
  timeline(): Promise<TimedRequest[]>;
  close(): Promise<void>;
}

export async function startBenchServer(distDir: string): Promise<BenchServer> {
  const script = fileURLToPath(new URL("./server-process.mjs", import.meta.url));
  const child: ChildProcess = fork(script, [distDir], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextId = 0;
  let exited: Error | undefined;

  const url = await new Promise<string>((resolve, reject) => {
    child.on("message", (message: ServerReply) => {
      if ("ready" in message) return resolve(message.ready);
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) call?.reject(new Error(message.error));
      else call?.resolve(message.result);
    });
    child.on("exit", (code) => {
      exited = new Error(`bench server exited (code ${code})`);
      for (const call of pending.values()) call.reject(exited);
      pending.clear();
      reject(exited);
    });
  });

  const call = <T>(command: ServerRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const message: ServerCommand = { ...command, id };
      child.send(message);
    });

  return {
    url,
    pid: child.pid as number,
    burstStats: (trial) => call<BurstServerStats>({ cmd: "burst", trial }),
    fanoutStats: (trial) => call<FanoutServerStats>({ cmd: "fanout", trial }),
    staticRequests: () => call<string[]>({ cmd: "requests" }),
    timeline: () => call<TimedRequest[]>({ cmd: "timeline" }),
    close: async () => {
      if (exited) return;
      await call<null>({ cmd: "close" }).catch(() => {});
    },
  };
}
