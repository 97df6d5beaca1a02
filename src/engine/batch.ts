/**
 * How many buffered packets fit in one polling request. The server refuses a
 * POST body larger than its `maxPayload` (HTTP 413), so the client counts
 * the exact encoded size: one type character (or `b`) per packet, the UTF-8
 * bytes of text, the base64 length of binary, one separator between packets.
 */
import type { Packet } from "engine.io-parser";

/** Bytes `packet` takes in a polling payload. */
export function encodedLength(packet: Packet): number {
  const data: unknown = packet.data;
  if (data === undefined || data === null) return 1;
  if (typeof data === "string") return 1 + utf8Length(data);
  const size = binarySize(data);
  if (size !== null) return 1 + 4 * Math.ceil(size / 3);
  return 1 + utf8Length(String(data));
}

/**
 * The length of the longest prefix of `packets` whose payload stays within
 * `maxPayload` bytes; at least 1, since a lone oversized packet can only go
 * alone. `maxPayload` 0 means no limit.
 */
export function fittingCount(packets: readonly Packet[], maxPayload: number): number {
  if (!maxPayload || packets.length <= 1) return packets.length;
  let total = 0;
  for (let i = 0; i < packets.length; i++) {
    total += encodedLength(packets[i]) + (i > 0 ? 1 : 0);
    if (total > maxPayload) return Math.max(i, 1);
  }
  return packets.length;
}

function binarySize(data: unknown): number | null {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof Blob !== "undefined" && data instanceof Blob) return data.size;
  return null;
}

/** UTF-8 byte length without allocating (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    } else bytes += 3;
  }
  return bytes;
}
