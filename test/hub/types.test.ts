/** Type tests of the tab API (checked by `tsc`; the runtime part only constructs nothing). */
import { describe, expectTypeOf, it } from "vitest";
import type { Socket, Manager } from "../../client";

interface ServerToClient {
  news: (text: string, n: number) => void;
  ask: (q: string, ack: (answer: boolean) => void) => void;
}
interface ClientToServer {
  hello: (name: string) => void;
  double: (n: number, ack: (r: number) => void) => void;
}

describe("typed events", () => {
  it("types listeners, emits and acks like socket.io-client", () => {
    const check = (socket: Socket<ServerToClient, ClientToServer>) => {
      socket.on("news", (text, n) => {
        expectTypeOf(text).toEqualTypeOf<string>();
        expectTypeOf(n).toEqualTypeOf<number>();
      });
      socket.on("connect_error", (err) => expectTypeOf(err.message).toEqualTypeOf<string>());
      socket.on("disconnect", (reason) => expectTypeOf(reason).toMatchTypeOf<string>());
      socket.emit("hello", "me");
      socket.emit("double", 2, (r) => expectTypeOf(r).toEqualTypeOf<number>());
      socket.timeout(10).emit("double", 2, (err, r) => {
        expectTypeOf(err).toEqualTypeOf<Error>();
        expectTypeOf(r).toEqualTypeOf<number>();
      });
      expectTypeOf(socket.emitWithAck("double", 2)).toEqualTypeOf<Promise<number>>();
      // @ts-expect-error: unknown event
      socket.emit("nope");
      // @ts-expect-error: wrong argument type
      socket.emit("hello", 1);
      expectTypeOf(socket.id).toEqualTypeOf<string | undefined>();
      expectTypeOf(socket.io).toEqualTypeOf<Manager<ServerToClient, ClientToServer>>();
      expectTypeOf(socket.io.engine.transport.name).toEqualTypeOf<string | undefined>();
    };
    expectTypeOf(check).toBeFunction();
  });
});
