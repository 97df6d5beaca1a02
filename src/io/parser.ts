/**
 * The codec interface of socket.io-parser. Any module with the same shape
 * (socket.io-msgpack-parser, a user's own) can be passed as the `parser` option.
 */
import type { Packet as SioPacket } from "socket.io-parser";

export type { SioPacket };

/** Turns one Socket.IO packet into one or more Engine.IO payloads. */
export interface Encoder {
  encode(packet: SioPacket): Array<string | ArrayBuffer | ArrayBufferView | Blob> | unknown[];
}

/** Assembles payloads into Socket.IO packets, emitted as `decoded`. */
export interface Decoder {
  add(chunk: unknown): void;
  destroy(): void;
  on(event: "decoded", fn: (packet: SioPacket) => void): unknown;
  off?(event?: string, fn?: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, fn: (...args: unknown[]) => void): unknown;
}

/** A codec module: socket.io-parser's own exports have this shape. */
export interface ParserModule {
  Encoder: new () => Encoder;
  Decoder: new () => Decoder;
  protocol?: number;
}
