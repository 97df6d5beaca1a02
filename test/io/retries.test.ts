import { afterEach, describe, expect, it } from "vitest";
import { lookup as io } from "../../src/io/lookup";
import { RetryQueue, type ErrorFirstAck } from "../../src/io/retry-queue";
import { once, startServer } from "../helpers/server";
import { Cleanup, waitFor } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const fast = { forceNew: true, reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0 };

describe("retries (against a real server)", () => {
  it("delivers at least once, in order, one in flight at a time", async () => {
    const server = cleanup.server(await startServer());
    const seen = new Set<number>();
    const log: string[] = [];
    server.io.on("connection", (s) => {
      s.on("job", (n: number, cb: (r: string) => void) => {
        if (!seen.has(n)) {
          seen.add(n); // ignore the first attempt
          log.push(`ignored ${n}`);
          return;
        }
        log.push(`acked ${n}`);
        cb(`done ${n}`);
      });
    });
    const socket = cleanup.socket(io(server.url, { ...fast, ackTimeout: 50, retries: 3 }));
    const results: unknown[] = [];
    for (const n of [1, 2, 3]) socket.emit("job", n, (...args: unknown[]) => results.push(args));
    await waitFor(() => results.length === 3, 5000, "three acks");
    expect(log).toEqual(["ignored 1", "acked 1", "ignored 2", "acked 2", "ignored 3", "acked 3"]);
    expect(results).toEqual([
      [null, "done 1"],
      [null, "done 2"],
      [null, "done 3"],
    ]);
  });

  it("fails with the last error once the retries are exhausted, then goes on with the next emit", async () => {
    const server = cleanup.server(await startServer());
    const attempts: string[] = [];
    server.io.on("connection", (s) => {
      s.on("never", () => attempts.push("never"));
      s.on("ok", (cb: () => void) => {
        attempts.push("ok");
        cb();
      });
    });
    const socket = cleanup.socket(io(server.url, { ...fast, ackTimeout: 30, retries: 2 }));
    const failed = socket.emitWithAck("never").catch((e: Error) => e.message);
    const ok = socket.emitWithAck("ok");
    await expect(failed).resolves.toBe("operation has timed out");
    await expect(ok).resolves.toBeUndefined();
    expect(attempts).toEqual(["never", "never", "never", "ok"]);
  });

  it("resends the emit in flight after a reconnection", async () => {
    const server = cleanup.server(await startServer());
    let first = true;
    const received: number[] = [];
    server.io.on("connection", (s) => {
      s.on("job", (n: number, cb: (r: number) => void) => {
        received.push(n);
        if (first) {
          first = false;
          s.conn.close(); // the connection drops before the ack leaves
          return;
        }
        cb(n * 2);
      });
    });
    const socket = cleanup.socket(io(server.url, { ...fast, retries: 5 }));
    await once(socket, "connect");
    await expect(socket.emitWithAck("job", 21)).resolves.toBe(42);
    expect(received).toEqual([21, 21]);
  });

  it("volatile emits bypass the queue", async () => {
    const server = cleanup.server(await startServer());
    const received: string[] = [];
    server.io.on("connection", (s) => {
      s.onAny((ev: string) => received.push(ev));
      s.on("first", (cb: () => void) => setTimeout(cb, 100));
      s.on("second", (cb: () => void) => cb());
    });
    const socket = cleanup.socket(io(server.url, { ...fast, ackTimeout: 1000, retries: 2, transports: ["websocket"] }));
    await once(socket, "connect");
    const done = Promise.all([socket.emitWithAck("first"), socket.emitWithAck("second")]);
    await waitFor(() => received.length === 1); // "first" is in flight; the transport is writable again
    socket.volatile.emit("volatile");
    await done;
    expect(received).toEqual(["first", "volatile", "second"]);
  });
});

describe("RetryQueue on its own", () => {
  function harness(retries: number) {
    const sent: Array<{ args: readonly unknown[]; done: ErrorFirstAck }> = [];
    let connected = true;
    const queue = new RetryQueue<undefined>(
      { canSend: () => connected, send: (args, _flags, done) => sent.push({ args, done }) },
      { retries },
    );
    return { queue, sent, setConnected: (v: boolean) => (connected = v) };
  }

  it("sends one at a time and settles in order", () => {
    const { queue, sent } = harness(1);
    const acks: unknown[] = [];
    queue.push(["a"], undefined, (...r) => acks.push(r));
    queue.push(["b"], undefined, (...r) => acks.push(r));
    expect(sent.map((s) => s.args[0])).toEqual(["a"]);
    sent[0]!.done(new Error("timeout"));
    expect(sent.map((s) => s.args[0])).toEqual(["a", "a"]);
    sent[1]!.done(null, "A");
    expect(sent.map((s) => s.args[0])).toEqual(["a", "a", "b"]);
    sent[2]!.done(new Error("t1"));
    sent[3]!.done(new Error("t2"));
    expect(acks).toEqual([[null, "A"], [new Error("t2")]]);
    expect(queue.length).toBe(0);
  });

  it("waits while it cannot send, resends the head on flush(true), ignores stale outcomes", () => {
    const { queue, sent, setConnected } = harness(5);
    const acks: unknown[] = [];
    setConnected(false);
    queue.push(["a"], undefined, (...r) => acks.push(r));
    expect(sent).toHaveLength(0);
    setConnected(true);
    queue.flush();
    expect(sent).toHaveLength(1);
    queue.flush(true); // reconnection: the first attempt may be lost
    expect(sent).toHaveLength(2);
    sent[0]!.done(new Error("stale")); // error of a superseded attempt: ignored
    expect(sent).toHaveLength(2);
    sent[0]!.done(null, "late"); // a second call of the same done: ignored
    sent[1]!.done(null, "ok");
    expect(acks).toEqual([[null, "ok"]]);
  });

  it("clear(error) settles everything queued", () => {
    const { queue } = harness(1);
    const acks: unknown[] = [];
    queue.push(["a"], undefined, (err) => acks.push(err?.message));
    queue.push(["b"], undefined, (err) => acks.push(err?.message));
    queue.clear(new Error("tab closed"));
    expect(acks).toEqual(["tab closed", "tab closed"]);
    expect(queue.length).toBe(0);
  });
});
