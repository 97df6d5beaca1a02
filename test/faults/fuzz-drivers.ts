/**
 * Server sides of the fuzz suite: each serves a channel's connection plans,
 * one plan per connection the client makes, in order. A plan's ignored cases
 * go first, then a "probe" event the client must acknowledge (proof that the
 * connection survived them), then the case that should close it. A watchdog
 * ends a connection the client failed to close, so that one wrong reaction
 * shows up as a mismatch instead of stalling the run.
 */
import type { Server, Socket as ServerSocket } from "socket.io";
import type { WebSocket } from "ws";
import { openPacket, startRawEngineServer, type RawEngineServer, type RawRequest } from "../helpers/raw-engine-server";
import type { CaseOf, ConnectionPlan, PollBody, SioChunk, WsMessage } from "./fuzz";

/** How long a connection may outlive its closing case (or wait for its probe ack). */
export const WATCHDOG_MS = 3_000;
const SEP = "\x1e";
/** A handshake that lets the session idle (no ping timeout during a run). */
const calmHandshake = (sid: string) => openPacket({ sid, pingInterval: 60_000, pingTimeout: 60_000 });
const connectPacket = (index: number) => `40{"sid":"fz-${index}"}`;
const probePacket = (index: number) => `421["probe",${index}]`;
const isProbeAck = (packet: string) => packet.startsWith("431[");

/** What a driver saw, per plan index. */
export interface DriverLog {
  /** Plans whose connection the watchdog had to end. */
  stalled: number[];
  /** Connections made beyond the last plan (they are left idle). */
  extraConnections: number;
}

const newLog = (): DriverLog => ({ stalled: [], extraConnections: 0 });

/**
 * Serves Socket.IO-level cases from a real socket.io server to the client
 * whose handshake query says `lane=<lane>` (several clients share the
 * server). With `afterUpgrade`, each plan waits for the connection to be
 * upgraded to WebSocket first.
 */
export function serveServerChannel(
  io: Server,
  plans: Array<ConnectionPlan<CaseOf<"server">>>,
  lane: string,
  afterUpgrade = false,
): DriverLog {
  const log = newLog();
  let next = 0;
  const send = (remote: ServerSocket, frames: SioChunk[]) => {
    for (const frame of frames) remote.conn.send(typeof frame === "string" ? frame : Buffer.from(frame));
  };
  io.on("connection", (remote) => {
    if (remote.handshake.query.lane !== lane) return;
    const index = next++;
    const plan = plans[index];
    if (!plan) {
      log.extraConnections++;
      return;
    }
    const watchdog = () => {
      const timer = setTimeout(() => {
        log.stalled.push(index);
        remote.conn.close();
      }, WATCHDOG_MS);
      remote.conn.once("close", () => clearTimeout(timer));
    };
    const start = () => {
      for (const fuzzCase of plan.ignored) send(remote, fuzzCase.frames);
      remote.timeout(WATCHDOG_MS).emit("probe", index, (err: Error | null) => {
        if (err) {
          if (remote.connected) log.stalled.push(index);
          remote.conn.close();
          return;
        }
        send(remote, plan.closing.frames);
        watchdog();
      });
    };
    if (afterUpgrade && remote.conn.transport.name !== "websocket") remote.conn.once("upgrade", start);
    else start();
  });
  return log;
}

function sendWs(ws: WebSocket, messages: WsMessage[]): void {
  for (const message of messages) {
    if (message.kind === "text") ws.send(message.data);
    else ws.send(Buffer.from(message.data), { binary: message.kind === "binary" });
  }
}

/** Serves raw WebSocket plans from a scripted Engine.IO responder. */
export async function serveWsChannel(plans: Array<ConnectionPlan<CaseOf<"ws">>>): Promise<{ raw: RawEngineServer; log: DriverLog }> {
  const log = newLog();
  let next = 0;
  const raw = await startRawEngineServer({
    onWebSocket: (ws) => {
      const index = next++;
      const plan = plans[index];
      const watchdog = () => {
        const timer = setTimeout(() => {
          log.stalled.push(index);
          ws.terminate();
        }, WATCHDOG_MS);
        ws.once("close", () => clearTimeout(timer));
      };
      if (!plan) {
        log.extraConnections++;
        ws.send(calmHandshake(`idle-${index}`));
        ws.send(connectPacket(index));
        return;
      }
      if (plan.closing.stage === "handshake") {
        sendWs(ws, plan.closing.frames);
        watchdog();
        return;
      }
      ws.send(calmHandshake(`fz-${index}`));
      ws.send(connectPacket(index));
      for (const fuzzCase of plan.ignored) sendWs(ws, fuzzCase.frames);
      ws.send(probePacket(index));
      ws.on("message", (data, isBinary) => {
        if (isBinary || !isProbeAck(String(data))) return;
        sendWs(ws, plan.closing.frames);
        watchdog();
      });
      watchdog();
    },
  });
  return { raw, log };
}

/** One polling session of the responder: bodies queued for its GETs. */
class PollSession {
  private readonly queue: PollBody[] = [];
  private waiting: ((body: PollBody) => void) | null = null;

  push(...bodies: PollBody[]): void {
    this.queue.push(...bodies);
    this.flush();
  }

  /** The next body, now or once one is queued. */
  next(): PollBody | Promise<PollBody> {
    const body = this.queue.shift();
    if (body !== undefined) return body;
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private flush(): void {
    const waiting = this.waiting;
    const body = waiting ? this.queue.shift() : undefined;
    if (!waiting || body === undefined) return;
    this.waiting = null;
    waiting(body);
  }
}

/** Serves raw polling plans from a scripted Engine.IO responder. */
export async function servePollingChannel(plans: Array<ConnectionPlan<CaseOf<"polling">>>): Promise<{ raw: RawEngineServer; log: DriverLog }> {
  const log = newLog();
  const sessions = new Map<string, { index: number; session: PollSession; closingSent: boolean }>();
  // Sessions are never removed: a run makes a few hundred, each a few bytes.
  let next = 0;
  const onPoll = (req: RawRequest) => {
    const sid = req.url.searchParams.get("sid");
    if (sid === null) {
      const index = next++;
      const plan = plans[index];
      if (plan?.closing.stage === "handshake") return plan.closing.frames[0];
      const session = new PollSession();
      session.push(connectPacket(index));
      if (!plan) log.extraConnections++;
      else session.push(...plan.ignored.flatMap((c) => c.frames), probePacket(index));
      sessions.set(`fz-${index}`, { index, session, closingSent: false });
      return calmHandshake(`fz-${index}`);
    }
    return sessions.get(sid)?.session.next();
  };
  const onPostRequest = (req: RawRequest) => {
    const entry = sessions.get(req.url.searchParams.get("sid") ?? "");
    const plan = entry && plans[entry.index];
    if (!entry || !plan || entry.closingSent || !req.body.split(SEP).some(isProbeAck)) return;
    entry.closingSent = true;
    entry.session.push(...plan.closing.frames);
    // The client makes one connection at a time: if it has not come back with
    // a new handshake by now, it survived its closing case. Tell it to go ("1": close).
    setTimeout(() => {
      if (next !== entry.index + 1) return;
      log.stalled.push(entry.index);
      entry.session.push("1");
    }, WATCHDOG_MS).unref();
  };
  const raw = await startRawEngineServer({ onPoll, onPostRequest });
  return { raw, log };
}
