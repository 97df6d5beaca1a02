/**
 * The data plane of the bridge: op batches (tab → hub) and message batches
 * (hub → tab) as one-way postMessages on the tab's own port, in a flat
 * encoding.
 *
 * Why flat: the structured clone costs per object and per property. Posting
 * 20,000 small emits measured 13–20 ms as `{op, ref, args}` objects and
 * 1.4–4.2 ms as one flat array. The common cases (an emit, a socket event, an
 * ack) are laid out as numbers and their arguments inline; anything else
 * travels as its object, behind a tag.
 *
 * Layout, one entry after another in one array:
 * - `PLAIN`, value: any op or message, as its object;
 * - `EMIT`, ref, ack (-1: none), n, arg1..argn: an emit without flags (args start with the event name);
 * - `EVENT`, ref, n, arg1..argn: a socket event without state, engine or ack (args start with the event name);
 * - `ACK`, ref, id, n, arg1..argn: the server's answer to a tab's emit (no error).
 */
import type { HubMessage, TabOp } from "./protocol";

const PLAIN = 0;
const EMIT = 1;
const EVENT = 2;
const ACK = 3;

/** Tab → hub: ops batch `seq` (numbered by the tab); it holds them until the hub says it applied them. */
export interface OpsPost {
  sio: "ops";
  seq: number;
  ops: unknown[];
}

/** Tab → hub: the tab handled every batch up to `upTo` (cumulative). */
export interface AckPost {
  sio: "ack";
  upTo: number;
}

/**
 * Hub → tab: message batch `seq`. `applied`: the last ops batch of this tab
 * the hub applied (cumulative). `ack`: acknowledge at once (the hub's window
 * is half used); otherwise the tab acknowledges when it goes idle.
 */
export interface BatchPost {
  sio: "batch";
  seq: number;
  applied: number;
  ack: boolean;
  messages: unknown[];
}

/** Hub → tab: the ops batches the hub applied, when no batch carried the news. */
export interface AppliedPost {
  sio: "applied";
  upTo: number;
}

export type TabPost = OpsPost | AckPost;
export type HubPost = BatchPost | AppliedPost;

/** Whether a message on a shared endpoint belongs to the data plane (not to Comlink). */
export function isDataPost(data: unknown): data is TabPost | HubPost {
  return typeof data === "object" && data !== null && typeof (data as { sio?: unknown }).sio === "string";
}

export function encodeOps(ops: readonly TabOp[]): unknown[] {
  const out: unknown[] = [];
  for (const op of ops) {
    if (
      op.op === "emit" &&
      op.timeout === undefined &&
      op.retries === undefined &&
      op.volatile === undefined &&
      op.compress === undefined
    ) {
      out.push(EMIT, op.ref, op.ack ?? -1, op.args.length);
      for (const arg of op.args) out.push(arg);
    } else {
      out.push(PLAIN, op);
    }
  }
  return out;
}

export function decodeOps(flat: readonly unknown[]): TabOp[] {
  const ops: TabOp[] = [];
  let i = 0;
  while (i < flat.length) {
    const tag = flat[i];
    if (tag === EMIT) {
      const ref = flat[i + 1] as number;
      const ack = flat[i + 2] as number;
      const n = flat[i + 3] as number;
      const args = flat.slice(i + 4, i + 4 + n);
      ops.push(ack === -1 ? { op: "emit", ref, args } : { op: "emit", ref, args, ack });
      i += 4 + n;
    } else {
      ops.push(flat[i + 1] as TabOp);
      i += 2;
    }
  }
  return ops;
}

export function encodeMessages(messages: readonly HubMessage[]): unknown[] {
  const out: unknown[] = [];
  for (const m of messages) {
    if (m.k === "socket" && m.ev !== undefined && m.args && m.ack === undefined && !m.state && !m.engine) {
      out.push(EVENT, m.ref, m.args.length + 1, m.ev);
      for (const arg of m.args) out.push(arg);
    } else if (m.k === "ack" && m.error === undefined) {
      out.push(ACK, m.ref, m.id, m.args.length);
      for (const arg of m.args) out.push(arg);
    } else {
      out.push(PLAIN, m);
    }
  }
  return out;
}

/** Calls `handle` with each message of a batch, in order. */
export function decodeMessages(flat: readonly unknown[], handle: (message: HubMessage) => void): void {
  let i = 0;
  while (i < flat.length) {
    const tag = flat[i];
    if (tag === EVENT) {
      const n = flat[i + 2] as number;
      const ev = flat[i + 3] as string;
      handle({ k: "socket", ref: flat[i + 1] as number, ev, args: flat.slice(i + 4, i + 3 + n) });
      i += 3 + n;
    } else if (tag === ACK) {
      const n = flat[i + 3] as number;
      handle({ k: "ack", ref: flat[i + 1] as number, id: flat[i + 2] as number, args: flat.slice(i + 4, i + 4 + n) });
      i += 4 + n;
    } else {
      handle(flat[i + 1] as HubMessage);
      i += 2;
    }
  }
}
