import { afterEach, describe, expect, it } from "vitest";
import * as msgpackParser from "socket.io-msgpack-parser";
import { lookup as io } from "../../src/io/lookup";
import type { ParserModule } from "../../src/io/parser";
import { once, startServer } from "../helpers/server";
import { Cleanup } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

// socket.io-msgpack-parser's typings declare `encode()` as returning one ArrayBuffer; it returns an array.
const parser = msgpackParser as unknown as ParserModule;

describe("custom parser: socket.io-msgpack-parser on both ends", () => {
  it.each([["polling"], ["websocket"]])("connects, emits, acks, binary and connect_error over %s", async (transport) => {
    const server = cleanup.server(await startServer({ parser: msgpackParser }));
    server.io.of("/private").use((_s, next) => next(Object.assign(new Error("nope"), { data: { why: 1 } })));
    server.io.on("connection", (s) => {
      s.on("echo", (value: unknown, cb: (v: unknown) => void) => cb(value));
      s.emit("welcome", { bin: Buffer.from([1, 2]) });
    });
    const socket = cleanup.socket(io(server.url, { forceNew: true, parser, transports: [transport], reconnection: false }));
    const [welcome] = await once<[{ bin: Uint8Array }]>(socket, "welcome");
    expect([...welcome.bin]).toEqual([1, 2]);
    await expect(socket.emitWithAck("echo", { n: 1, list: ["a", true, null] })).resolves.toEqual({
      n: 1,
      list: ["a", true, null],
    });
    const privateSocket = cleanup.socket(socket.io.socket("/private"));
    const [err] = await once<[Error & { data?: unknown }]>(privateSocket, "connect_error");
    expect(err.message).toBe("nope");
    expect(err.data).toEqual({ why: 1 });
  });

  it("a malformed msgpack packet is a parse error", async () => {
    const server = cleanup.server(await startServer({ parser: msgpackParser }));
    const remote = new Promise<import("socket.io").Socket>((resolve) => server.io.once("connection", resolve));
    const socket = cleanup.socket(io(server.url, { forceNew: true, parser, transports: ["websocket"], reconnection: false }));
    await once(socket, "connect");
    (await remote).conn.send(Buffer.from([0xc1])); // 0xc1 is never used in msgpack
    const [reason] = await once<[string]>(socket, "disconnect");
    expect(reason).toBe("parse error");
  });
});
