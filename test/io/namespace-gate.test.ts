import { describe, expect, it } from "vitest";
import type { EngineTimers } from "../../src/engine/env";
import { MAX_SETTLE_MS, NamespaceGate, WEBSOCKET_SETTLE_MS } from "../../src/io/namespace-gate";

// The gate's timing rules on a hand-driven clock (its effect on a real server
// is tested in namespace-bounce.test.ts).

class ManualClock implements EngineTimers {
  now = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.now) continue;
      this.timers.delete(id);
      timer.fn();
    }
  }
}

function setup() {
  const clock = new ManualClock();
  const gate = new NamespaceGate(clock, () => clock.now);
  const connects: number[] = [];
  const leave = (transport = "websocket") => gate.disconnecting("/a")(transport);
  const join = () => gate.whenOpen("/a", () => connects.push(clock.now));
  const handshake = (ms: number) => {
    gate.connecting("/a");
    clock.advance(ms);
    gate.answered("/a", true);
  };
  return { clock, gate, connects, leave, join, handshake };
}

describe("NamespaceGate", () => {
  it("over WebSocket, a CONNECT waits WEBSOCKET_SETTLE_MS after the DISCONNECT left", () => {
    const { clock, connects, leave, join } = setup();
    leave();
    join();
    clock.advance(WEBSOCKET_SETTLE_MS - 1);
    expect(connects).toEqual([]);
    clock.advance(1);
    expect(connects).toEqual([WEBSOCKET_SETTLE_MS]);
  });

  it("over polling, a CONNECT goes once the DISCONNECT left (the next POST is another read)", () => {
    const { connects, leave, join } = setup();
    leave("polling");
    join();
    expect(connects).toEqual([0]);
  });

  it("slow handshakes stretch the wait, up to MAX_SETTLE_MS", () => {
    const { clock, gate, connects, leave, join, handshake } = setup();
    handshake(200);
    expect(gate.websocketSettleMs()).toBe(600);
    const start = clock.now;
    leave();
    join();
    clock.advance(599);
    expect(connects).toEqual([]);
    clock.advance(1);
    expect(connects).toEqual([start + 600]);
    handshake(5_000);
    expect(gate.websocketSettleMs()).toBe(MAX_SETTLE_MS);
  });

  it("a new connection forgets the handshake times", () => {
    const { gate, handshake } = setup();
    handshake(300);
    gate.reset();
    expect(gate.websocketSettleMs()).toBe(WEBSOCKET_SETTLE_MS);
  });

  it("an abandoned CONNECT holds the next one until its answer and the DISCONNECT after it", () => {
    const { clock, gate, connects, join } = setup();
    gate.connecting("/a");
    expect(gate.abandon("/a")).toBe(true);
    join();
    clock.advance(1_000);
    expect(connects).toEqual([]);
    // Accepted: the caller writes the DISCONNECT, and the CONNECT waits for it to settle.
    expect(gate.answered("/a", true)).toBe(true);
    const sent = gate.disconnecting("/a");
    clock.advance(50);
    expect(connects).toEqual([]);
    sent("websocket");
    clock.advance(gate.websocketSettleMs());
    expect(connects).toHaveLength(1);
  });
});
