import { describe, expectTypeOf, it } from "vitest";
import { io, Manager, type Socket, type DisconnectReason, type ConnectError } from "../../src/index";

interface ServerToClientEvents {
  noArg: () => void;
  basicEmit: (a: number, b: string, c: Uint8Array) => void;
  withAck: (d: string, callback: (e: number) => void) => void;
}

interface ClientToServerEvents {
  hello: () => void;
  sum: (a: number, b: number, cb: (total: number) => void) => void;
}

// A socket that is never connected: these tests only type-check.
const typed: Socket<ServerToClientEvents, ClientToServerEvents> = io("http://127.0.0.1:1", {
  autoConnect: false,
});

describe("typed events", () => {
  it("types listeners from ListenEvents", () => {
    typed.on("basicEmit", (a, b, c) => {
      expectTypeOf(a).toEqualTypeOf<number>();
      expectTypeOf(b).toEqualTypeOf<string>();
      expectTypeOf(c).toEqualTypeOf<Uint8Array>();
    });
    typed.on("withAck", (d, cb) => {
      expectTypeOf(d).toEqualTypeOf<string>();
      expectTypeOf(cb).toEqualTypeOf<(e: number) => void>();
    });
    // @ts-expect-error unknown event
    typed.on("nope", () => {});
  });

  it("types reserved events", () => {
    typed.on("connect", () => {});
    typed.on("disconnect", (reason, description) => {
      expectTypeOf(reason).toEqualTypeOf<DisconnectReason>();
      expectTypeOf(description).not.toBeAny();
    });
    typed.on("connect_error", (err) => {
      expectTypeOf(err).toEqualTypeOf<ConnectError>();
    });
  });

  it("types emit and emitWithAck from EmitEvents", () => {
    typed.emit("hello");
    typed.emit("sum", 1, 2, (total) => expectTypeOf(total).toEqualTypeOf<number>());
    // @ts-expect-error wrong argument type
    typed.emit("sum", "1", 2, () => {});
    // @ts-expect-error unknown event
    typed.emit("nope");
    expectTypeOf(typed.emitWithAck("sum", 1, 2)).toEqualTypeOf<Promise<number>>();
  });

  it("timeout() makes acks error-first", () => {
    typed.timeout(100).emit("sum", 1, 2, (err, total) => {
      expectTypeOf(err).toEqualTypeOf<Error>();
      expectTypeOf(total).toEqualTypeOf<number>();
    });
  });

  it("untyped sockets accept anything; chainable modifiers keep the socket type", () => {
    const loose = io("http://127.0.0.1:1", { autoConnect: false });
    loose.emit("anything", 1, { a: 2 }, () => {});
    loose.on("whatever", (...args) => expectTypeOf(args).toEqualTypeOf<any[]>()); // eslint-disable-line @typescript-eslint/no-explicit-any
    expectTypeOf(typed.volatile).toEqualTypeOf(typed);
    expectTypeOf(typed.compress(false)).toEqualTypeOf(typed);
    expectTypeOf(loose.id).toEqualTypeOf<string | undefined>();
    expectTypeOf(loose.connected).toEqualTypeOf<boolean>();
  });

  it("Manager getter/setters: value without argument, this with one", () => {
    const manager = new Manager("http://127.0.0.1:1", { autoConnect: false });
    expectTypeOf(manager.reconnection()).toEqualTypeOf<boolean>();
    expectTypeOf(manager.reconnection(false)).toEqualTypeOf<Manager>();
    expectTypeOf(manager.timeout()).toEqualTypeOf<number | false>();
    expectTypeOf(manager.reconnectionDelay(5)).toEqualTypeOf<Manager>();
    expectTypeOf(manager.socket("/admin")).toMatchTypeOf<Socket>();
    manager.on("reconnect_attempt", (n) => expectTypeOf(n).toEqualTypeOf<number>());
    // @ts-expect-error not a Manager event
    manager.on("connect", () => {});
  });
});
