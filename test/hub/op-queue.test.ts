/**
 * The tab's op queue (client/op-queue.ts): ops come back in order, and every
 * op the tab may look for again (replay and resend compare by identity)
 * comes back as the very same object; only the emits nothing else refers to
 * are kept as their arguments.
 */
import { describe, expect, it } from "vitest";
import { TabContext } from "../../client/context";
import type { BridgeCore, TabLink } from "../../client/link";
import { OpQueue } from "../../client/op-queue";
import type { Socket } from "../../client/socket";
import type { TabOp } from "../../worker/protocol";

type EmitOp = Extract<TabOp, { op: "emit" }>;

/** A tab whose bridge never loads: its link and one socket, marked connected or not. */
function tabWithSocket(connected: boolean): { link: TabLink; socket: Socket; queue: OpQueue } {
  const never: BridgeCore = { flush() {}, diagnostics: () => Promise.reject(new Error("none")), dispose() {} };
  const context = new TabContext(() => never);
  const socket = context.io("http://localhost:1", { autoConnect: false }) as unknown as Socket;
  socket.connected = connected;
  const made = context.link;
  return { link: made, socket, queue: new OpQueue(made, (op) => op as TabOp) };
}

const emit = (socket: Socket, args: unknown[], ack?: number): EmitOp =>
  ack === undefined ? { op: "emit", ref: socket._ref, args } : { op: "emit", ref: socket._ref, args, ack };

describe("the tab's op queue", () => {
  it("gives back the ops in order; emits of a connected socket without ack as copies, everything else as itself", () => {
    const { socket, queue } = tabWithSocket(true);
    const plain = [emit(socket, ["fire", 1]), emit(socket, ["fire", 2])];
    const acked = emit(socket, ["ask", 3], 0);
    const connect: TabOp = { op: "connect", ref: socket._ref };
    const flagged: EmitOp = { ...emit(socket, ["fire", 4]), volatile: true };
    const ops: TabOp[] = [plain[0]!, connect, plain[1]!, acked, flagged];
    for (const op of ops) queue.push(op);
    expect(queue.pending).toBe(true);
    const back = queue.take();
    expect(back).toEqual(ops);
    expect(queue.pending).toBe(false);
    expect(back[0]).not.toBe(plain[0]);
    expect(back[2]).not.toBe(plain[1]);
    expect(back[1]).toBe(connect);
    expect(back[3]).toBe(acked);
    expect(back[4]).toBe(flagged);
  });

  it("emits of a socket that is not connected (its socket holds them) and emits pushed while replaying come back as themselves", () => {
    const offline = tabWithSocket(false);
    const held = emit(offline.socket, ["fire", 1]);
    offline.queue.push(held);
    expect(offline.queue.take()[0]).toBe(held);

    const online = tabWithSocket(true);
    const replayed = emit(online.socket, ["fire", 2]);
    online.queue.replaying = true;
    online.queue.push(replayed);
    online.queue.replaying = false;
    expect(online.queue.take()[0]).toBe(replayed);
  });

  it("a burst of one event is encoded as one run: one entry per argument", () => {
    const { socket, queue } = tabWithSocket(true);
    for (let i = 0; i < 1000; i++) queue.push(emit(socket, ["fire", i]));
    const encoded = queue.takeEncoded();
    expect(encoded.length).toBe(5 + 1000);
    expect(queue.pending).toBe(false);
  });
});
