/**
 * What the hub's messages do to a tab's Managers and Sockets, and what
 * recreates them on a fresh attachment. Loaded with the bridge: the Manager
 * and Socket classes (in the JavaScript a page loads eagerly) only make ops,
 * and nothing reaches them from the hub before the bridge is there. Hence
 * the `@internal` members used here.
 */
import type { HubMessage, SocketStateData, TabOp } from "../worker/protocol";
import { toCloneable } from "./cloneable";
import type { EmitOp, PendingEmits } from "./pending-emits";
import type { Linked } from "./link";
import { Manager } from "./manager";
import { revive } from "./revive";
import { LIFECYCLE, Socket } from "./socket";
import { Emitter } from "@socket.io/component-emitter";

type LooseEmit = (this: unknown, ...eventAndArgs: unknown[]) => unknown;

/** Calls the listeners of `eventAndArgs[0]` on `target` (what the Emitter's protected `emitReserved` does). */
const dispatch = (target: object, eventAndArgs: unknown[]): void => {
  (Emitter.prototype.emit as unknown as LooseEmit).apply(target, eventAndArgs);
};

/** Applies one message of the hub to the object it is about. */
export function receive(obj: Linked, message: HubMessage): void {
  if (obj instanceof Socket) receiveSocket(obj, message);
  else if (message.k === "manager" || message.k === "engine") receiveManager(obj, message);
}

/** Pushes the ops that recreate `obj` on a fresh attachment (`hubDied`: and what the hub held). */
export function replay(obj: Linked, hubDied: boolean): void {
  obj._announce();
  if (obj instanceof Manager) {
    for (const name of obj._changed) obj._push({ op: "manager-set", ref: obj._ref, name, value: obj._settings[name] });
    for (const event of obj.engine._subscribed) obj._push({ op: "listen", target: "engine", ref: obj._ref, event, on: true });
    if (obj._openRequested) obj._push({ op: "manager-open", ref: obj._ref });
    return;
  }
  if (!obj._wanted) return;
  obj._push({ op: "connect", ref: obj._ref });
  // What the dead hub held for the connection (made while disconnected, or waiting for retries).
  if (hubDied) for (const op of obj._pending.held) obj._push(op);
}

/**
 * The hub let go of this tab: behave as after a transport close. `resent`:
 * emits sent again to the next hub; `unanswered`: emits the hub may still
 * apply. The acks of both stay pending.
 */
export function detached(obj: Linked, reason: string, resent: readonly TabOp[], unanswered: readonly TabOp[]): void {
  if (obj instanceof Manager) {
    obj.engine.readyState = "closed";
    return;
  }
  const mine = resent.filter((op): op is EmitOp => op.op === "emit" && op.ref === obj._ref);
  // The emits sent again are what the new hub holds until it connects.
  obj._pending.held = mine;
  if (obj.connected) {
    obj.connected = false;
    obj.id = undefined;
    dispatch(obj, ["disconnect", "transport close", { description: reason }]);
  }
  // The hub forgot this tab's pending acks; those of emits that may still leave stay.
  obj._pending.fail(true, new Set([...mine, ...unanswered]));
}

function receiveManager(manager: Manager, message: Extract<HubMessage, { k: "manager" | "engine" }>): void {
  if (message.engine) applyEngine(manager, message.engine);
  if (message.ev === undefined) return;
  const args = (message.args ?? []).map(revive);
  dispatch(message.k === "engine" ? manager.engine : manager, [message.ev, ...args]);
}

function applyEngine(manager: Manager, state: NonNullable<Extract<HubMessage, { k: "manager" }>["engine"]>): void {
  const engine = manager.engine;
  engine.id = state.id;
  engine.readyState = state.readyState;
  engine.transport.name = state.transport;
}

function receiveSocket(socket: Socket, message: HubMessage): void {
  if (message.k === "ack") return settle(socket._pending, message.id, message.args, message.error);
  if (message.k === "auth") return runAuth(socket, message.req);
  // Not wanted: what the hub sent before it saw this tab's disconnect() is stale.
  if (message.k !== "socket" || !socket._wanted) return;
  if (message.engine) applyEngine(socket.io, message.engine);
  if (message.state) applyState(socket, message.state);
  if (message.ev === undefined) return;
  const args = message.args ?? [];
  if (LIFECYCLE.has(message.ev)) {
    const pending = socket._pending;
    // What the hub held while disconnected left before the `connect` event (retries stay until answered).
    if (message.ev === "connect") {
      pending.held = pending.held.filter((op) => op.retries !== undefined && op.ack !== undefined && pending.acks.has(op.ack));
    }
    dispatch(socket, [message.ev, ...args.map(revive)]);
    if (message.ev === "disconnect") {
      // Still active: the hub settles error-first acks itself; refused: nobody will.
      pending.fail(!socket._wanted);
      if (!socket._wanted) pending.held = [];
    }
    return;
  }
  // With connection state recovery the server appends each event's offset: keep the session
  // current, so that a future hub (after a worker restart) can resume it.
  const last = args[args.length - 1];
  const recovery = socket._recovery;
  if (recovery && typeof last === "string") socket._recovery = { pid: recovery.pid, offset: last };
  const all: unknown[] = [message.ev, ...args];
  if (message.ack !== undefined) all.push(ackFor(socket, message.ack));
  socket._anyIn.call(socket, all);
  dispatch(socket, all);
}

/** The server answered emit `id` (or the hub gave up: `error`). */
function settle(pending: PendingEmits, id: number, args: unknown[], error: string | undefined): void {
  const ack = pending.acks.get(id);
  if (!ack) return;
  pending.acks.delete(id);
  if (ack.op.retries) pending.held = pending.held.filter((op) => op !== ack.op);
  if (error !== undefined) {
    if (ack.errorFirst) ack.fn(new Error(error));
  } else if (ack.errorFirst) {
    ack.fn(null, ...args);
  } else {
    ack.fn(...args);
  }
}

function applyState(socket: Socket, state: SocketStateData): void {
  socket.connected = state.connected;
  socket.id = state.connected ? state.id : undefined;
  socket.recovered = state.recovered;
  if (state.recovery) socket._recovery = state.recovery;
  if (!state.active) socket._wanted = false;
}

/** The callback a listener calls to answer the server's ack request; the first call answers. */
function ackFor(socket: Socket, id: number): (...args: unknown[]) => void {
  let sent = false;
  return (...args) => {
    if (sent) return;
    sent = true;
    socket._push({ op: "ack-reply", ref: socket._ref, id, args: toCloneable(args, "ack argument") });
  };
}

function runAuth(socket: Socket, req: number): void {
  const auth = socket.auth;
  if (typeof auth !== "function") return;
  let answered = false;
  auth((data) => {
    if (answered) return;
    answered = true;
    socket._push({ op: "auth-reply", ref: socket._ref, req, data: data && toCloneable(data, "auth") });
  });
}
