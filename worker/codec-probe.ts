/**
 * How a tab and a hub agree on a codec (the `parser` option) without sending
 * code: both encode the same probe packet with it, and the output names it.
 * Two codecs that encode the probe alike are taken for the same one; a codec
 * the hub does not have is refused loudly instead of replaced (a codec
 * mismatch would corrupt the traffic). No dependencies: the tab loads this.
 */
import type { ParserModule } from "../src";
import type { WireCodec } from "./protocol";

/** A Socket.IO EVENT with an ack id, a namespace and the JSON value kinds (no floats: encoders differ there). */
const probe = () => ({ type: 2, nsp: "/socket.io-shared", id: 7, data: ["codec-probe", 1, true, null, { a: ["b"] }] });

/** Known codecs' fingerprints (a codec module is probed once). */
const known = new WeakMap<object, string>();

/** What `parser` makes of the probe packet, as a string: its fingerprint. */
export function codecFingerprint(parser: ParserModule): string {
  let fingerprint = known.get(parser);
  if (fingerprint !== undefined) return fingerprint;
  try {
    const parts = new parser.Encoder().encode(probe()) as unknown[];
    fingerprint = parts.map(describePart).join("|");
  } catch (err) {
    fingerprint = `cannot encode: ${err instanceof Error ? err.message : String(err)}`;
  }
  known.set(parser, fingerprint);
  return fingerprint;
}

/** The `parser` option as it crosses to the hub. */
export function wireCodec(parser: ParserModule): WireCodec {
  const name = (parser as { name?: unknown }).name;
  const codec: WireCodec = { fingerprint: codecFingerprint(parser) };
  if (typeof name === "string" && name) codec.name = name;
  return codec;
}

function describePart(part: unknown): string {
  if (typeof part === "string") return `s:${part}`;
  const bytes =
    part instanceof ArrayBuffer ? new Uint8Array(part) : ArrayBuffer.isView(part) ? new Uint8Array(part.buffer, part.byteOffset, part.byteLength) : undefined;
  if (!bytes) return `?:${Object.prototype.toString.call(part)}`;
  let hex = "b:";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
