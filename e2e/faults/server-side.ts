/**
 * The server's side of the fault scenarios, on a socket.io `Server` in the
 * test's process: numbered room broadcasts that run on their own timer, blind
 * to the clients' state, and records of the numbered emits tabs send up.
 */
import type { Server, Socket } from "socket.io";

export interface Broadcaster {
  /** How many numbers were emitted so far (1..sent). */
  sent(): number;
  /** Resolves once `total` were emitted. */
  done: Promise<void>;
  stop(): void;
}

/** Emits `event` with n = 1..total to `room`, `perTick` at a time every `everyMs`. */
export function startBroadcaster(io: Server, opts: { room: string; event: string; total: number; perTick: number; everyMs: number }): Broadcaster {
  let n = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      for (let i = 0; i < opts.perTick && n < opts.total; i++) io.to(opts.room).emit(opts.event, ++n);
      if (n >= opts.total) {
        clearInterval(timer);
        resolve();
      }
    }, opts.everyMs);
  });
  return { sent: () => n, done, stop: () => clearInterval(timer) };
}

/**
 * Puts every socket that connects afresh into `room` (a recovered one is
 * already in it) and records, connection after connection, whether the
 * server recovered it.
 */
export function joinRoomOnConnect(io: Server, room: string): { recovered: boolean[] } {
  const recovered: boolean[] = [];
  io.on("connection", (socket) => {
    recovered.push(socket.recovered);
    if (!socket.recovered) void socket.join(room);
  });
  return { recovered };
}

/**
 * Records the numbers each of `events` carries up (first argument), per event,
 * in arrival order; with `ack`, answers each with its number.
 */
export function recordUpstream(io: Server, events: string[], ack = false): Map<string, number[]> {
  const arrivals = new Map(events.map((event) => [event, [] as number[]]));
  io.on("connection", (socket: Socket) => {
    for (const event of events) {
      socket.on(event, (n: number, reply?: (n: number) => void) => {
        arrivals.get(event)!.push(n);
        if (ack && typeof reply === "function") reply(n);
      });
    }
  });
  return arrivals;
}
