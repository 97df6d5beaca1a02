/**
 * The codec interface of socket.io-parser. Any module with the same shape
 * (socket.io-msgpack-parser, a user's own) can be passed as the `parser` option.
 *
 * The shape is deliberately loose: codec packages type their emitters and
 * return values in their own ways (socket.io-parser's Decoder has typed
 * `on` overloads, socket.io-msgpack-parser declares `encode` as returning an
 * ArrayBuffer although it returns an array), and a user must be able to pass
 * them as they are, without a cast. The Manager checks at run time what it
 * relies on.
 */
import type { Packet as SioPacket } from "socket.io-parser";

export type { SioPacket };

/** Turns one Socket.IO packet into Engine.IO payloads: an array of them (or one). */
export interface Encoder {
  encode(packet: SioPacket): unknown;
}

/** Assembles payloads into Socket.IO packets, emitted as `decoded`. */
export interface Decoder {
  add(chunk: unknown): void;
  destroy(): void;
  // `any`: the listener's parameter is whatever the codec declares its packets to be.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: "decoded", fn: (packet: any) => void): unknown;
}

/** A codec module: socket.io-parser's own exports have this shape. */
export interface ParserModule {
  Encoder: new () => Encoder;
  Decoder: new () => Decoder;
  protocol?: number;
}
