/**
 * The bench's server, run in a child process of its own (bench/server-process.mjs)
 * so that `process.cpuUsage()` counts the server alone: a real socket.io 4.8
 * server and the static files the bench pages load, on one origin, with
 * COOP/COEP headers (pages are cross-origin isolated: 5 µs `performance.now()`).
 *
 * Every socket joins the room named by its `auth.trial`, so a trial's
 * broadcasts reach only its own tabs, however the library shares connections.
 * The parent talks to it over the IPC channel (see {@link ServerCommand}).
 */
import type { Socket as NetSocket } from "node:net";
import path from "node:path";
import type { Socket } from "socket.io";
import { WebSocketServer } from "ws";
import { ROOT, startE2EServer } from "../e2e/fixtures/server";

/** What the server measured over one fan-out: from `fanout:start` to the last tab's `fanout:got`. */
export interface FanoutServerStats {
  /** Bytes written to the WebSocket TCP connections (frames + headers) in the window. */
  bytes: number;
  /** CPU time of the server process in the window (user + system). */
  cpuMs: number;
  /** Socket.IO sockets in the trial's room, one per connection here (direct: one per tab; shared: one). */
  connections: number;
  /** Wall time of the synchronous broadcast loop. */
  loopMs: number;
}

/** A request the server saw, on the epoch clock in ms (Node's timeOrigin + now, like the pages'). */
export interface TimedRequest {
  at: number;
  path: string;
  upgrade: boolean;
}

/** What the server measured over one burst of emits: from `fire:arm` to the last `fire`. */
export interface BurstServerStats {
  /** CPU time of the server process (user + system). */
  cpuMs: number;
  /** From the first `fire` the server handled to the last. */
  firstToLastMs: number;
}

export type ServerRequest = { cmd: "burst"; trial: string } | { cmd: "fanout"; trial: string } | { cmd: "requests" } | { cmd: "timeline" } | { cmd: "close" };
export type ServerCommand = ServerRequest & { id: number };
export type ServerReply = { id: number; result?: unknown; error?: string } | { ready: string };

interface FanoutWindow {
  tabs: number;
  got: number;
  bytes0: number;
  cpu0: NodeJS.CpuUsage;
  stats?: FanoutServerStats;
  loopMs: number;
}

export async function runServer(distDir: string): Promise<void> {
  const server = await startE2EServer({
    crossOriginIsolated: true,
    mounts: {
      "/": path.join(ROOT, "bench/pages"),
      "/dist/": distDir,
      "/vendor/socket.io.esm.min.js": path.join(ROOT, "node_modules/socket.io-client/dist/socket.io.esm.min.js"),
    },
    // 1 MiB messages exceed socket.io's default limit (1 MB).
    io: { maxHttpBufferSize: 4 * 1024 * 1024, pingInterval: 60_000, pingTimeout: 60_000 },
  });
  const { io } = server;

  // Bytes on the wire: every upgraded (WebSocket) TCP connection, closed ones included.
  const wsSockets = new Set<NetSocket>();
  io.httpServer.on("upgrade", (_req, socket: NetSocket) => wsSockets.add(socket));
  const bytesWritten = () => [...wsSockets].reduce((sum, s) => sum + s.bytesWritten, 0);

  // When each request arrived (bench/profile.ts lays the cold start out with it).
  const timeline: TimedRequest[] = [];
  const note = (url: string | undefined, upgrade: boolean) =>
    timeline.push({ at: performance.timeOrigin + performance.now(), path: new URL(url ?? "/", "http://x").pathname, upgrade });
  io.httpServer.prependListener("request", (req) => note(req.url, false));
  io.httpServer.prependListener("upgrade", (req) => note(req.url, true));

  // A plain WebSocket echo, no Socket.IO: the floor the profile compares against (bench/pages/floor.js).
  const rawEcho = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  io.httpServer.on("upgrade", (req, socket: NetSocket, head: Buffer) => {
    if (req.url !== "/raw-echo") return;
    rawEcho.handleUpgrade(req, socket, head, (ws) =>
      ws.on("message", (data, isBinary) => {
        // "flood <n>": n small frames, shaped like Socket.IO events, as fast as the server writes them.
        const flood = !isBinary && /^flood (\d+)$/.exec(String(data));
        if (!flood) return ws.send(data, { binary: isBinary });
        for (let i = 0; i < Number(flood[1]); i++) ws.send(`42["tick",${i}]`);
      }),
    );
  });

  const fires = new Map<string, { expected: number; count: number; cpu0: NodeJS.CpuUsage; first: number; stats?: BurstServerStats }>();
  const fanouts = new Map<string, FanoutWindow>();

  io.on("connection", (socket: Socket) => {
    const trial = String((socket.handshake.auth as { trial?: unknown }).trial ?? "none");
    void socket.join(trial);
    socket.on("echo", (payload: unknown, ack: (reply: unknown) => void) => ack(payload));
    socket.on("fire:arm", (expected: number, ack: () => void) => {
      fires.set(trial, { expected, count: 0, cpu0: process.cpuUsage(), first: 0 });
      ack();
    });
    socket.on("fire", () => {
      const fire = fires.get(trial);
      if (!fire) return;
      if (fire.count === 0) fire.first = performance.now();
      if (++fire.count !== fire.expected) return;
      const cpu = process.cpuUsage(fire.cpu0);
      fire.stats = { cpuMs: (cpu.user + cpu.system) / 1000, firstToLastMs: performance.now() - fire.first };
      socket.emit("fire:done", fire.count);
    });
    socket.on("fanout:start", ({ n, tabs }: { n: number; tabs: number }) => {
      const window: FanoutWindow = { tabs, got: 0, bytes0: bytesWritten(), cpu0: process.cpuUsage(), loopMs: 0 };
      fanouts.set(trial, window);
      const t0 = performance.now();
      const room = io.to(trial);
      for (let i = 0; i < n; i++) room.emit("tick", i);
      window.loopMs = performance.now() - t0;
    });
    socket.on("fanout:got", () => {
      const window = fanouts.get(trial);
      if (!window || ++window.got !== window.tabs) return;
      const cpu = process.cpuUsage(window.cpu0);
      window.stats = {
        bytes: bytesWritten() - window.bytes0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        connections: io.sockets.adapter.rooms.get(trial)?.size ?? 0,
        loopMs: window.loopMs,
      };
    });
  });

  const reply = (message: ServerReply) => process.send?.(message);
  process.on("message", (message: ServerCommand) => {
    switch (message.cmd) {
      case "burst": {
        const stats = fires.get(message.trial)?.stats;
        fires.delete(message.trial);
        reply(stats ? { id: message.id, result: stats } : { id: message.id, error: `no complete burst for ${message.trial}` });
        break;
      }
      case "fanout":
        // The last tab's `fanout:got` may still be on its way.
        void waitFor(() => fanouts.get(message.trial)?.stats, 10_000).then((stats) => {
          fanouts.delete(message.trial);
          reply(stats ? { id: message.id, result: stats } : { id: message.id, error: `no complete fan-out for ${message.trial}` });
        });
        break;
      case "requests":
        reply({ id: message.id, result: server.staticRequests });
        break;
      case "timeline":
        reply({ id: message.id, result: timeline.splice(0) });
        break;
      case "close":
        void server.close().then(() => {
          reply({ id: message.id, result: null });
          process.exit(0);
        });
        break;
    }
  });
  // The parent went away without saying goodbye: do not outlive it.
  process.on("disconnect", () => process.exit(0));
  reply({ ready: server.url });
}

/** Polls `get` until it returns a value, or `undefined` after `timeoutMs`. */
async function waitFor<T>(get: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let value = get(); ; value = get()) {
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
