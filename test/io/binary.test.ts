import { afterEach, describe, expect, it } from "vitest";
import { lookup as io } from "../../src/io/lookup";
import { once, startServer } from "../helpers/server";
import { Cleanup } from "./helpers";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The bytes of any binary value (ArrayBuffer, typed array, Node Buffer). */
function bytes(value: unknown): number[] {
  if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
  if (ArrayBuffer.isView(value)) return [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
  throw new Error(`not binary: ${Object.prototype.toString.call(value)}`);
}

const transportsMatrix: Array<[string, string[]]> = [
  ["polling", ["polling"]],
  ["websocket", ["websocket"]],
  ["polling upgraded to websocket", ["polling", "websocket"]],
];

describe.each(transportsMatrix)("binary over %s", (_label, transports) => {
  async function setup() {
    const server = cleanup.server(await startServer());
    const socket = cleanup.socket(io(server.url, { forceNew: true, transports, reconnection: false }));
    const remote = await new Promise<import("socket.io").Socket>((resolve) => server.io.once("connection", resolve));
    await once(socket, "connect");
    return { server, socket, remote };
  }

  it("client → server: ArrayBuffer, typed arrays, nested, with a binary ack back", async () => {
    const { socket, remote } = await setup();
    const got = new Promise<unknown[]>((resolve) =>
      remote.on("bin", (...args: unknown[]) => {
        const cb = args.pop() as (x: unknown) => void;
        cb({ echo: Buffer.from([9, 8, 7]) });
        resolve(args);
      }),
    );
    const ab = new Uint8Array([1, 2, 3]).buffer;
    const u8 = new Uint8Array([4, 5]);
    const f32 = new Float32Array([1.5]);
    const sub = new Uint8Array([0, 10, 11, 0]).subarray(1, 3);
    const ack = new Promise<{ echo: unknown }>((resolve) =>
      socket.emit("bin", ab, u8, { deep: [f32, { x: sub }], text: "t" }, resolve),
    );
    const [a, b, nested] = await got;
    expect(bytes(a)).toEqual([1, 2, 3]);
    expect(bytes(b)).toEqual([4, 5]);
    const n = nested as { deep: [unknown, { x: unknown }]; text: string };
    expect(bytes(n.deep[0])).toEqual(bytes(f32));
    expect(bytes(n.deep[1].x)).toEqual([10, 11]);
    expect(n.text).toBe("t");
    expect(bytes((await ack).echo)).toEqual([9, 8, 7]);
  });

  it("server → client: Buffers nested in objects and arrays, with a binary ack back", async () => {
    const { socket, remote } = await setup();
    const got = new Promise<unknown[]>((resolve) =>
      socket.on("bin", (...args: unknown[]) => {
        const cb = args.pop() as (...x: unknown[]) => void;
        cb(new Uint8Array([42]).buffer, [new Uint16Array([258])]);
        resolve(args);
      }),
    );
    const answer = new Promise<unknown[]>((resolve) =>
      remote.emit("bin", Buffer.from([1]), { list: [Buffer.from([2, 3]), "s"], n: 1 }, (...a: unknown[]) => resolve(a)),
    );
    const [a, nested] = await got;
    expect(bytes(a)).toEqual([1]);
    const n = nested as { list: [unknown, string]; n: number };
    expect(bytes(n.list[0])).toEqual([2, 3]);
    expect(n.list[1]).toBe("s");
    const [x, [y]] = (await answer) as [unknown, [unknown]];
    expect(bytes(x)).toEqual([42]);
    expect(bytes(y)).toEqual(bytes(new Uint16Array([258])));
  });

  it("client → server: Blob", async () => {
    const { socket, remote } = await setup();
    const got = new Promise<unknown>((resolve) => remote.on("blob", resolve));
    socket.emit("blob", new Blob([new Uint8Array([5, 6, 7])]));
    expect(bytes(await got)).toEqual([5, 6, 7]);
  });
});
