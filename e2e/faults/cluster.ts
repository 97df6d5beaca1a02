/**
 * The parent's side of the multi-node fault tests: forks socket.io nodes
 * (e2e/faults/cluster-node.ts, one process each), follows what they report,
 * stops them by PID — gracefully (SIGTERM: the node closes its sockets and
 * their sessions go to Redis) or abruptly (SIGKILL: nothing is saved).
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { NodeMessage, NodeOptions } from "./cluster-node";

const SCRIPT = fileURLToPath(new URL("./cluster-node-process.mjs", import.meta.url));

export interface ClusterNode {
  name: string;
  pid: number;
  url: string;
  port: number;
  /** Each socket that connected to this node, in order. */
  connections: Array<{ id: string; recovered: boolean }>;
  /** Numbers of the "tick" events this node wrote to its sockets, in order (reported every 20 ms). */
  ticksSent: number[];
  /** Numbers of each "up<t>" event that reached this node, in arrival order. */
  arrivals: Map<string, number[]>;
  /** SIGTERM, then waits for the exit. */
  terminate(): Promise<void>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  readonly alive: boolean;
}

export async function startNode(name: string, options: NodeOptions): Promise<ClusterNode> {
  const child: ChildProcess = fork(SCRIPT, [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const connections: ClusterNode["connections"] = [];
  const arrivals = new Map<string, number[]>();
  const ticksSent: number[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${name} did not start within 30 s`)), 30_000);
    child.on("message", (message: NodeMessage) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message.type === "connection") {
        connections.push({ id: message.id, recovered: message.recovered });
      } else if (message.type === "ticks-sent") {
        ticksSent.push(...message.numbers);
      } else if (message.type === "up") {
        if (!arrivals.has(message.event)) arrivals.set(message.event, []);
        arrivals.get(message.event)!.push(message.n);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`node ${name} exited (${code}) before it was ready`));
    });
  });
  const pid = child.pid!;
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async (signal: NodeJS.Signals) => {
    if (alive()) process.kill(pid, signal);
    await exited;
  };
  return {
    name,
    pid,
    url,
    port: Number(new URL(url).port),
    connections,
    ticksSent,
    arrivals,
    terminate: () => stop("SIGTERM"),
    kill: () => stop("SIGKILL"),
    get alive() {
      return alive();
    },
  };
}
