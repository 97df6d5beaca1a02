/**
 * WebSocket frames (RFC 6455 §5.2) of the server→client direction, for the
 * fault proxy: cut a byte stream into whole frames, and rewrite the payload
 * of text frames. Server frames are unmasked; masked frames are understood
 * too but never rewritten.
 */

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** A parsed frame. `payload` is unmasked. */
export interface WsFrame {
  fin: boolean;
  /** RSV1..3 as a 3-bit number (RSV1 = 4: permessage-deflate). */
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/** Where a frame's payload starts and how long the whole frame is, or null while the header is incomplete. */
function measure(buf: Buffer): { headerLength: number; frameLength: number } | null {
  if (buf.length < 2) return null;
  const masked = (buf[1] & 0x80) !== 0;
  const len7 = buf[1] & 0x7f;
  let headerLength = 2;
  let payloadLength = len7;
  if (len7 === 126) {
    if (buf.length < 4) return null;
    payloadLength = buf.readUInt16BE(2);
    headerLength = 4;
  } else if (len7 === 127) {
    if (buf.length < 10) return null;
    // Beyond 2^53 the frame can never complete; a Number keeps the arithmetic simple.
    payloadLength = Number(buf.readBigUInt64BE(2));
    headerLength = 10;
  }
  if (masked) headerLength += 4;
  return { headerLength, frameLength: headerLength + payloadLength };
}

/** Parses one complete frame (exactly one: `raw` is what {@link FrameSplitter} returned). */
export function parseFrame(raw: Buffer): WsFrame {
  const size = measure(raw);
  if (!size || size.frameLength !== raw.length) throw new Error("not exactly one WebSocket frame");
  const masked = (raw[1] & 0x80) !== 0;
  let payload = raw.subarray(size.headerLength);
  if (masked) {
    const key = raw.subarray(size.headerLength - 4, size.headerLength);
    payload = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]));
  }
  return { fin: (raw[0] & 0x80) !== 0, rsv: (raw[0] >> 4) & 0x7, opcode: raw[0] & 0x0f, masked, payload };
}

/** Encodes an unmasked frame (what a server sends). */
export function encodeFrame(frame: Omit<WsFrame, "masked">): Buffer {
  const { payload } = frame;
  const first = (frame.fin ? 0x80 : 0) | ((frame.rsv & 0x7) << 4) | (frame.opcode & 0x0f);
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([first, payload.length]);
  } else if (payload.length < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Cuts a byte stream into whole frames, holding partial ones until they complete. */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** The frames completed by `chunk`, each as its raw bytes. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      const size = measure(this.pending);
      if (!size || this.pending.length < size.frameLength) break;
      frames.push(this.pending.subarray(0, size.frameLength));
      this.pending = this.pending.subarray(size.frameLength);
    }
    return frames;
  }

  /** Bytes of a frame not yet complete. */
  get buffered(): number {
    return this.pending.length;
  }
}

/**
 * What a text rewrite returns: new payload text, raw payload bytes (which
 * need not be valid UTF-8), or `null` to leave the frame as it was.
 */
export type TextRewrite = (text: string) => string | Uint8Array | null;

/**
 * Rewrites the payload of one raw frame if it is a complete, unmasked,
 * uncompressed text frame; any other frame comes back unchanged.
 */
export function rewriteTextFrame(raw: Buffer, rewrite: TextRewrite): Buffer {
  const frame = parseFrame(raw);
  if (!frame.fin || frame.rsv !== 0 || frame.opcode !== OPCODE.text || frame.masked) return raw;
  const replaced = rewrite(frame.payload.toString("utf8"));
  if (replaced === null) return raw;
  const payload = typeof replaced === "string" ? Buffer.from(replaced, "utf8") : Buffer.from(replaced);
  return encodeFrame({ fin: true, rsv: 0, opcode: OPCODE.text, payload });
}
