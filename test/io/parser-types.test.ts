import { describe, expect, expectTypeOf, it } from "vitest";
import * as socketIoParser from "socket.io-parser";
import * as msgpackParser from "socket.io-msgpack-parser";
import { Manager, type ManagerOptions } from "../../src";
import { startServer } from "../helpers/server";

describe("the parser option takes codec modules as they are", () => {
  it("type-checks socket.io-parser and socket.io-msgpack-parser without a cast", () => {
    expectTypeOf(socketIoParser).toExtend<NonNullable<ManagerOptions["parser"]>>();
    expectTypeOf(msgpackParser).toExtend<NonNullable<ManagerOptions["parser"]>>();
  });

  it("accepts an encoder that returns a single payload instead of an array", async () => {
    const server = await startServer();
    try {
      // A codec wrapping socket.io-parser whose encode() returns its one string payload bare.
      class SingleEncoder {
        private readonly inner = new socketIoParser.Encoder();
        encode(packet: socketIoParser.Packet): unknown {
          const [only] = this.inner.encode(packet);
          return only;
        }
      }
      const parser = { Encoder: SingleEncoder, Decoder: socketIoParser.Decoder };
      const manager = new Manager(server.url, { parser, transports: ["websocket"] });
      const socket = manager.socket("/");
      server.io.on("connection", (remote) => remote.on("echo", (v: string, ack: (v: string) => void) => ack(v)));
      const answer = await socket.timeout(5_000).emitWithAck("echo", "plain text");
      expect(answer).toBe("plain text");
      socket.disconnect();
    } finally {
      await server.close();
    }
  });
});
