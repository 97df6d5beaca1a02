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
 * - `EMITS`, ref, event, n, count, then count × (arg1..argn): a run of emits
 *   of one event with n arguments on one socket, without ack or flags;
 * - `EMIT`, ref, ack, n, arg1..argn: an emit with an ack, without flags (args start with the event name);
 * - `EVENTS`, ref, event, n, count, then count × (arg1..argn): a run of
 *   socket events of one name with n arguments, without state, engine or ack;
 * - `ACK`, ref, id, n, arg1..argn: the server's answer to a tab's emit (no error).
 *
 * Runs, because each entry costs the clone on both sides: a burst of
 * `emit("fire", i)` is 1 entry per emit in a run, 6 one by one (the event
 * name was cloned again for each).
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

/** An emit that travels as numbers and arguments: no flags (those go as the op's object). */
function isFlatEmit(op: TabOp): op is Extract<TabOp, { op: "emit" }> {
  return (
    op.op === "emit" &&
    op.timeout === undefined &&
    op.retries === undefined &&
    op.volatile === undefined &&
    op.compress === undefined &&
    op.args.length > 0
  );
}

// The encoders write by index into one growing array (a tab's first burst runs them cold:
// 20,000 emits took 3 ms this way against 5–6 ms with push() in Node 20).

/**
 * Encodes ops one by one as they come (the tab's queue: an emit leaves no
 * object alive until the batch is posted, only its arguments in the array).
 */
export class OpsEncoder {
  private out: unknown[] = [];
  private n = 0;
  /** Where the count of the run in progress is (-1: none), and what it is a run of. */
  private run = -1;
  private runRef = 0;
  private runEv: unknown;
  private runArity = 0;

  get empty(): boolean {
    return this.n === 0;
  }

  /** Appends `op`; `whole`: as its object, whatever it is (the receiver gets that very object back from {@link decodeOps}). */
  push(op: TabOp, whole = false): void {
    const out = this.out;
    if (whole || !isFlatEmit(op)) {
      out[this.n++] = PLAIN;
      out[this.n++] = op;
      this.run = -1;
      return;
    }
    const args = op.args;
    let n = this.n;
    if (op.ack !== undefined) {
      out[n++] = EMIT;
      out[n++] = op.ref;
      out[n++] = op.ack;
      out[n++] = args.length;
      for (let i = 0; i < args.length; i++) out[n++] = args[i];
      this.n = n;
      this.run = -1;
      return;
    }
    const run = this.run;
    if (run >= 0 && this.runRef === op.ref && this.runEv === args[0] && this.runArity === args.length - 1) {
      (out[run] as number)++;
    } else {
      out[n++] = EMITS;
      out[n++] = this.runRef = op.ref;
      out[n++] = this.runEv = args[0];
      out[n++] = this.runArity = args.length - 1;
      this.run = n;
      out[n++] = 1;
    }
    for (let i = 1; i < args.length; i++) out[n++] = args[i];
    this.n = n;
  }

  /** The encoded ops, removed. */
  take(): unknown[] {
    const out = this.out;
    this.out = [];
    this.n = 0;
    this.run = -1;
    return out;
  }
}

export function encodeOps(ops: readonly TabOp[]): unknown[] {
  const encoder = new OpsEncoder();
  for (let k = 0; k < ops.length; k++) encoder.push(ops[k] as TabOp);
  return encoder.take();
}

export function decodeOps(flat: readonly unknown[]): TabOp[] {
  const ops: TabOp[] = [];
  let i = 0;
  while (i < flat.length) {
    const tag = flat[i];
    if (tag === EMITS) {
      const ref = flat[i + 1] as number;
      const ev = flat[i + 2];
      const n = flat[i + 3] as number;
      const count = flat[i + 4] as number;
      i += 5;
      for (let k = 0; k < count; k++) {
        const args = [ev];
        for (let j = i; j < i + n; j++) args.push(flat[j]);
        ops.push({ op: "emit", ref, args });
        i += n;
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
  let n = 0;
  /** Where the count of the run in progress is (-1: none), and what it is a run of. */
  let run = -1;
  let runRef = 0;
  let runEv: unknown;
  let runArity = 0;
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k] as HubMessage;
    if (m.k === "socket" && m.ev !== undefined && m.args && m.ack === undefined && !m.state && !m.engine) {
      const args = m.args;
      if (run >= 0 && runRef === m.ref && runEv === m.ev && runArity === args.length) {
        (out[run] as number)++;
      } else {
        out[n++] = EVENTS;
        out[n++] = runRef = m.ref;
        out[n++] = runEv = m.ev;
        out[n++] = runArity = args.length;
        run = n;
        out[n++] = 1;
      }
      for (let i = 0; i < args.length; i++) out[n++] = args[i];
      continue;
    }
    run = -1;
    if (m.k === "ack" && m.error === undefined) {
      out[n++] = ACK;
      out[n++] = m.ref;
      out[n++] = m.id;
      out[n++] = m.args.length;
      for (let i = 0; i < m.args.length; i++) out[n++] = m.args[i];
    } else {
      out[n++] = PLAIN;
      out[n++] = m;
    }
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
      const n = flat[i + 3] as number;
      const count = flat[i + 4] as number;
      i += 5;
      for (let k = 0; k < count; k++) {
        handle({ k: "socket", ref, ev, args: flat.slice(i, i + n) });
        i += n;
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
