/**
 * Deterministic generation of malformed server input for the fuzz suite:
 * `generateFuzzCases(seed, count)` gives the same cases for the same seed.
 * Each case says which layer it attacks (Engine.IO or Socket.IO), how it
 * travels (channel), when (handshake or mid-session), and what the client
 * must do: close with "parse error" / "transport error", fail the attempt
 * (`connect_error`), or ignore it and carry on.
 *
 * Channels:
 * - `server`: Socket.IO-level chunks a real socket.io server sends with
 *   `socket.conn.send()` (over its own Engine.IO framing);
 * - `ws`: raw WebSocket messages from a scripted Engine.IO responder;
 * - `polling`: raw polling response bodies from the same responder.
 */
import { Prng } from "./prng";
import { socketCase, type SioChunk } from "./fuzz-socket";
import {
  pollHandshakeCase,
  pollSessionCase,
  socketOverPolling,
  socketOverWs,
  wsHandshakeCase,
  wsSessionCase,
  type EngineDraft,
  type EngineExpect,
  type PollBody,
  type WsMessage,
} from "./fuzz-engine";

export type { SioChunk } from "./fuzz-socket";
export type { PollBody, WsMessage } from "./fuzz-engine";

export type FuzzLayer = "engine" | "socket";
export type FuzzExpect = EngineExpect;
export type FuzzStage = "handshake" | "session";

interface CaseInfo {
  /** Position in the generated list, from 0. */
  id: number;
  layer: FuzzLayer;
  kind: string;
  stage: FuzzStage;
  expect: FuzzExpect;
  /** What exactly is wrong, for a human reading a failure. */
  note: string;
}

export type FuzzCase =
  | (CaseInfo & { channel: "server"; frames: SioChunk[] })
  | (CaseInfo & { channel: "ws"; frames: WsMessage[] })
  | (CaseInfo & { channel: "polling"; frames: PollBody[] });

export type FuzzChannel = FuzzCase["channel"];
export type CaseOf<C extends FuzzChannel> = Extract<FuzzCase, { channel: C }>;

/** Share of the cases each channel gets, and within a raw channel, of handshake and Socket.IO-level cases. */
const CHANNEL_SHARE: Record<FuzzChannel, number> = { server: 0.5, ws: 0.27, polling: 0.23 };
const HANDSHAKE_SHARE = 0.15;
const SOCKET_SHARE_ON_RAW = 0.3;

function rawCase<F>(
  r: Prng,
  handshake: (r: Prng) => EngineDraft<F>,
  session: (r: Prng) => EngineDraft<F>,
  wrap: (draft: ReturnType<typeof socketCase>) => EngineDraft<F>,
): EngineDraft<F> & { stage: FuzzStage } {
  const roll = r.next();
  if (roll < HANDSHAKE_SHARE) return { ...handshake(r), stage: "handshake" };
  if (roll < HANDSHAKE_SHARE + SOCKET_SHARE_ON_RAW) return { ...wrap(socketCase(r)), stage: "session" };
  return { ...session(r), stage: "session" };
}

/** `count` malformed inputs, the same ones for the same seed. */
export function generateFuzzCases(seed: number, count: number): FuzzCase[] {
  const r = new Prng(seed);
  const cases: FuzzCase[] = [];
  for (let id = 0; id < count; id++) {
    const roll = r.next();
    if (roll < CHANNEL_SHARE.server) {
      const draft = socketCase(r);
      cases.push({ id, channel: "server", layer: "socket", stage: "session", kind: draft.kind, expect: draft.expect, note: draft.note, frames: draft.chunks });
    } else if (roll < CHANNEL_SHARE.server + CHANNEL_SHARE.ws) {
      cases.push({ id, channel: "ws", ...rawCase(r, wsHandshakeCase, wsSessionCase, socketOverWs) });
    } else {
      cases.push({ id, channel: "polling", ...rawCase(r, pollHandshakeCase, pollSessionCase, socketOverPolling) });
    }
  }
  return cases;
}

/**
 * What one connection of a channel is given: cases the client must ignore
 * (sent first; the connection must survive them), then one case that ends
 * the connection (or, at the handshake stage, the attempt).
 */
export interface ConnectionPlan<C extends FuzzCase = FuzzCase> {
  ignored: C[];
  closing: C;
}

/**
 * Groups a channel's cases into connections: each "ignored" case rides along
 * with the next case that closes. Trailing ignored cases join the last
 * mid-session connection.
 */
export function planConnections<C extends FuzzCase>(cases: readonly C[]): Array<ConnectionPlan<C>> {
  const plans: Array<ConnectionPlan<C>> = [];
  let waiting: C[] = [];
  for (const fuzzCase of cases) {
    if (fuzzCase.expect === "ignored") {
      waiting.push(fuzzCase);
    } else if (fuzzCase.stage === "handshake") {
      plans.push({ ignored: [], closing: fuzzCase });
    } else {
      plans.push({ ignored: waiting, closing: fuzzCase });
      waiting = [];
    }
  }
  if (waiting.length > 0) {
    const last = [...plans].reverse().find((plan) => plan.closing.stage === "session");
    if (!last) throw new Error("ignored cases with no connection to carry them");
    last.ignored.push(...waiting);
  }
  return plans;
}

/** The cases of one channel. */
export function casesOf<C extends FuzzChannel>(cases: readonly FuzzCase[], channel: C): Array<CaseOf<C>> {
  return cases.filter((c): c is CaseOf<C> => c.channel === channel);
}
