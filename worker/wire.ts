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
 * - `EMITS`, ref, event, count, then count × (n, arg1..argn): a run of emits
 *   of one event on one socket, without ack or flags;
 * - `EMIT`, ref, ack, n, arg1..argn: an emit with an ack, without flags (args start with the event name);
 * - `EVENTS`, ref, event, count, then count × (n, arg1..argn): a run of
 *   socket events of one name without state, engine or ack;
 * - `ACK`, ref, id, n, arg1..argn: the server's answer to a tab's emit (no error).
 *
 * Runs, because each entry costs the clone on both sides: a burst of
 * `emit("fire", i)` is 2 entries per emit in a run, 6 one by one (the
 * event name was cloned again for each).
 */
import type { HubMessage, TabOp } from "./protocol";

const PLAIN = 0;
const EMIT = 1;
const ACK = 3;
const EMITS = 4;
const EVENTS = 5;

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

/** Appends one item of a run (`EMITS`/`EVENTS`): its arguments after the first (the event name). */
function pushRest(out: unknown[], args: readonly unknown[]): void {
  out.push(args.length - 1);
  for (let i = 1; i < args.length; i++) out.push(args[i]);
}

export function encodeOps(ops: readonly TabOp[]): unknown[] {
  const out: unknown[] = [];
  /** Where the count of the run in progress is, or -1. */
  let run = -1;
  for (const op of ops) {
    if (op.op !== "emit" || op.timeout !== undefined || op.retries !== undefined || op.volatile !== undefined || op.compress !== undefined || op.args.length === 0) {
      out.push(PLAIN, op);
      run = -1;
    } else if (op.ack !== undefined) {
      out.push(EMIT, op.ref, op.ack, op.args.length);
      for (const arg of op.args) out.push(arg);
      run = -1;
    } else {
      if (run >= 0 && out[run - 2] === op.ref && out[run - 1] === op.args[0]) (out[run] as number)++;
      else run = out.push(EMITS, op.ref, op.args[0], 1) - 1;
      pushRest(out, op.args);
    }
  }
  return out;
}

export function decodeOps(flat: readonly unknown[]): TabOp[] {
  const ops: TabOp[] = [];
  let i = 0;
  while (i < flat.length) {
    const tag = flat[i];
    if (tag === EMITS) {
      const ref = flat[i + 1] as number;
      const ev = flat[i + 2];
      const count = flat[i + 3] as number;
      i += 4;
      for (let k = 0; k < count; k++) {
        const n = flat[i] as number;
        const args = [ev];
        for (let j = i + 1; j <= i + n; j++) args.push(flat[j]);
        ops.push({ op: "emit", ref, args });
        i += 1 + n;
      }
    } else if (tag === EMIT) {
      const n = flat[i + 3] as number;
      ops.push({ op: "emit", ref: flat[i + 1] as number, args: flat.slice(i + 4, i + 4 + n), ack: flat[i + 2] as number });
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
  /** Where the count of the run in progress is, or -1. */
  let run = -1;
  for (const m of messages) {
    if (m.k === "socket" && m.ev !== undefined && m.args && m.ack === undefined && !m.state && !m.engine) {
      if (run >= 0 && out[run - 2] === m.ref && out[run - 1] === m.ev) (out[run] as number)++;
      else run = out.push(EVENTS, m.ref, m.ev, 1) - 1;
      out.push(m.args.length);
      for (const arg of m.args) out.push(arg);
      continue;
    }
    if (m.k === "ack" && m.error === undefined) {
      out.push(ACK, m.ref, m.id, m.args.length);
      for (const arg of m.args) out.push(arg);
    } else {
      out.push(PLAIN, m);
    }
    run = -1;
  }
  return out;
}

/** Calls `handle` with each message of a batch, in order. */
export function decodeMessages(flat: readonly unknown[], handle: (message: HubMessage) => void): void {
  let i = 0;
  while (i < flat.length) {
    const tag = flat[i];
    if (tag === EVENTS) {
      const ref = flat[i + 1] as number;
      const ev = flat[i + 2] as string;
      const count = flat[i + 3] as number;
      i += 4;
      for (let k = 0; k < count; k++) {
        const n = flat[i] as number;
        handle({ k: "socket", ref, ev, args: flat.slice(i + 1, i + 1 + n) });
        i += 1 + n;
      }
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
