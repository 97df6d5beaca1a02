/**
 * The bridge's flat encoding (worker/wire.ts): what goes in comes out, in
 * order, and runs of one event on one socket cost one entry per argument.
 */
import { describe, expect, it } from "vitest";
import { decodeMessages, decodeOps, encodeMessages, encodeOps } from "../../worker/wire";
import type { HubMessage, TabOp } from "../../worker/protocol";

describe("tab → hub ops", () => {
  it("decode to the ops encoded, in order: runs, acks, flags, other ops", () => {
    const ops: TabOp[] = [
      { op: "emit", ref: 1, args: ["fire", 0] },
      { op: "emit", ref: 1, args: ["fire", 1, { a: [2] }] },
      { op: "emit", ref: 1, args: ["fire"] },
      { op: "emit", ref: 2, args: ["fire", 3] },
      { op: "emit", ref: 2, args: ["other", new Uint8Array([4])] },
      { op: "emit", ref: 2, args: ["other", 5], ack: 7 },
      { op: "emit", ref: 2, args: ["other", 6] },
      { op: "emit", ref: 2, args: ["other", 7], volatile: true },
      { op: "connect", ref: 2 },
      { op: "emit", ref: 2, args: ["other", 8] },
    ];
    expect(decodeOps(encodeOps(ops))).toEqual(ops);
  });

  it("a burst of one event on one socket is one run: one entry per argument", () => {
    const ops: TabOp[] = Array.from({ length: 100 }, (_, i) => ({ op: "emit", ref: 3, args: ["fire", i] }));
    const flat = encodeOps(ops);
    expect(flat.length).toBe(5 + 100);
    expect(decodeOps(flat)).toEqual(ops);
  });
});

describe("hub → tab messages", () => {
  it("decode to the messages encoded, in order: runs, acks, messages with state", () => {
    const messages: HubMessage[] = [
      { k: "socket", ref: 1, ev: "tick", args: [0] },
      { k: "socket", ref: 1, ev: "tick", args: [1, "x"] },
      { k: "socket", ref: 1, ev: "tick", args: [] },
      { k: "socket", ref: 2, ev: "tick", args: [2] },
      { k: "ack", ref: 2, id: 4, args: ["answer"] },
      { k: "socket", ref: 2, ev: "tick", args: [3] },
      { k: "socket", ref: 2, ev: "connect", state: { connected: true, active: true, recovered: false, id: "a" } },
      { k: "socket", ref: 2, ev: "news", args: [new ArrayBuffer(2)] },
    ];
    const out: HubMessage[] = [];
    decodeMessages(encodeMessages(messages), (m) => out.push(m));
    expect(out).toEqual(messages);
  });

  it("a fan-out of one event is one run: one entry per argument", () => {
    const messages: HubMessage[] = Array.from({ length: 50 }, (_, i) => ({ k: "socket", ref: 1, ev: "tick", args: [i] }));
    const flat = encodeMessages(messages);
    expect(flat.length).toBe(5 + 50);
    const out: HubMessage[] = [];
    decodeMessages(flat, (m) => out.push(m));
    expect(out).toEqual(messages);
  });
});
