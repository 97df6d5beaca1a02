/**
 * Malformed Engine.IO input: WebSocket messages and polling bodies that a
 * broken or hostile server could send, during the handshake or mid-session.
 * Socket.IO-level cases (fuzz-socket.ts) are wrapped into the same wire
 * forms, so the raw responders carry both layers.
 */
import type { Prng } from "./prng";
import type { SioChunk, SocketDraft } from "./fuzz-socket";

/** One WebSocket message as the raw responder sends it. `invalid-text` is a text frame whose bytes are not UTF-8. */
export type WsMessage =
  | { kind: "text"; data: string }
  | { kind: "binary"; data: Uint8Array }
  | { kind: "invalid-text"; data: Uint8Array };

/** One polling GET's response body. */
export type PollBody = string | Uint8Array;

export type EngineExpect = "transport error" | "parse error" | "ignored" | "connect_error";

export interface EngineDraft<F> {
  kind: string;
  layer: "engine" | "socket";
  expect: EngineExpect;
  frames: F[];
  note: string;
}

const SEP = "\x1e";
/** Engine.IO packet type characters that do not exist ("b" is base64 binary). */
const UNKNOWN_TYPES = "789acdefxyzX!#%&*:;=?@^_~é☃ ";
const IDLE_PACKETS = ["6", "6ignored", "3", "3probe", "5", "5junk", "2", "2probe"];
/** Byte sequences that are not UTF-8: lone/overlong/surrogate/out-of-range/truncated. */
const INVALID_UTF8: number[][] = [
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xc3, 0x28],
  [0xe2, 0x28, 0xa1],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
];

const ascii = (r: Prng, max: number) => r.string(r.int(0, max), "abcdefghijklmnopqrstuvwxyz0123456789[]{}\":,");
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const invalidBytes = (r: Prng) => new Uint8Array(r.pick(INVALID_UTF8));

/** A valid handshake object to break one field of. */
function handshakeObject(r: Prng): Record<string, unknown> {
  return { sid: `fz${r.int(0, 1e6)}`, upgrades: [], pingInterval: 10_000, pingTimeout: 10_000, maxPayload: 1_000_000 };
}

/** Text that is not an acceptable Engine.IO v4 handshake. */
function garbageHandshake(r: Prng): { text: string; note: string } {
  const valid = handshakeObject(r);
  const field = r.pick(["sid", "pingInterval", "pingTimeout", "upgrades", "maxPayload", "whole", "type"]);
  const broken: Record<string, unknown> = { ...valid };
  switch (field) {
    case "sid":
      broken.sid = r.pick([undefined, 7, "", null, ["a"], { id: "a" }]);
      break;
    case "pingInterval":
    case "pingTimeout":
      broken[field] = r.pick([undefined, "100", -5, null, true, [100]]);
      break;
    case "upgrades":
      broken.upgrades = r.pick(["websocket", [1], [null], {}, true]);
      break;
    case "maxPayload":
      broken.maxPayload = r.pick(["big", -1, null, true]);
      break;
    case "whole": {
      const json = JSON.stringify(valid);
      const text = r.pick([`0${json.slice(0, r.int(1, json.length - 1))}`, "0[1,2]", '0"sid"', "0null", "0", `0${json}junk`]);
      return { text, note: `whole: ${text.slice(0, 40)}` };
    }
    default: {
      const text = r.pick(["4hello", "6", "3", "2", "5", "", `X${JSON.stringify(valid)}`, `40${JSON.stringify(valid)}`]);
      return { text, note: `first packet "${text.slice(0, 20)}"` };
    }
  }
  if (field === "pingTimeout" && broken.pingTimeout === "100") {
    // 1e400 is valid JSON that parses as Infinity: not a duration either.
    return { text: `0${JSON.stringify(broken).replace('"pingTimeout":"100"', '"pingTimeout":1e400')}`, note: "pingTimeout: 1e400" };
  }
  return { text: `0${JSON.stringify(broken)}`, note: `${field}: ${JSON.stringify(broken[field]) ?? "missing"}` };
}

/** A garbage handshake over WebSocket. */
export function wsHandshakeCase(r: Prng): EngineDraft<WsMessage> {
  const roll = r.int(0, 9);
  if (roll === 0) return { kind: "garbage handshake", layer: "engine", expect: "connect_error", frames: [{ kind: "binary", data: r.bytes(r.int(0, 16)) }], note: "binary frame" };
  if (roll === 1) return { kind: "garbage handshake", layer: "engine", expect: "connect_error", frames: [{ kind: "invalid-text", data: concat(utf8("0"), invalidBytes(r)) }], note: "non-UTF-8" };
  const { text, note } = garbageHandshake(r);
  return { kind: "garbage handshake", layer: "engine", expect: "connect_error", frames: [{ kind: "text", data: text }], note };
}

/** A garbage handshake over polling (the first GET's body). */
export function pollHandshakeCase(r: Prng): EngineDraft<PollBody> {
  if (r.int(0, 9) === 0) return { kind: "garbage handshake", layer: "engine", expect: "connect_error", frames: [concat(invalidBytes(r), utf8(JSON.stringify(handshakeObject(r))))], note: "non-UTF-8" };
  const { text, note } = garbageHandshake(r);
  return { kind: "garbage handshake", layer: "engine", expect: "connect_error", frames: [text], note };
}

/** Mid-session Engine.IO garbage over WebSocket. */
export function wsSessionCase(r: Prng): EngineDraft<WsMessage> {
  const text = (data: string): WsMessage => ({ kind: "text", data });
  switch (r.int(0, 9)) {
    case 0:
    case 1: {
      const type = r.pick([...UNKNOWN_TYPES]);
      return { kind: "unknown packet type", layer: "engine", expect: "transport error", frames: [text(type + ascii(r, 30))], note: `type "${type}"` };
    }
    case 2:
      return { kind: "empty frame", layer: "engine", expect: "transport error", frames: [text("")], note: "zero-length text frame" };
    case 3:
    case 4: {
      const bytes = concat(utf8(r.pick(["4", "6", "42", ""])), invalidBytes(r), utf8(ascii(r, 10)));
      return { kind: "non-UTF-8", layer: "engine", expect: "transport error", frames: [{ kind: "invalid-text", data: bytes }], note: `bytes ${Buffer.from(bytes).toString("hex").slice(0, 24)}` };
    }
    case 5:
      return { kind: "empty message", layer: "socket", expect: "parse error", frames: [text("4")], note: "message packet without data" };
    case 6:
      return { kind: "base64 garbage", layer: "engine", expect: "parse error", frames: [text(`b${r.string(r.int(0, 20), "!*%$#@abcXYZ=+/")}`)], note: "decodes to a stray attachment" };
    case 7: {
      const size = r.int(256 * 1024, 1024 * 1024);
      return { kind: "oversized", layer: "engine", expect: "transport error", frames: [text(`X${"y".repeat(size)}`)], note: `${size} bytes, unknown type` };
    }
    default: {
      const packet = r.chance(0.3) ? `0${r.pick(["{bad", JSON.stringify(handshakeObject(r)), "[]"])}` : r.pick(IDLE_PACKETS);
      return { kind: packet.startsWith("0") ? "stray handshake" : "idle packet", layer: "engine", expect: "ignored", frames: [text(packet)], note: `"${packet.slice(0, 20)}"` };
    }
  }
}

/** Mid-session Engine.IO garbage over polling: each frame is one GET's body. */
export function pollSessionCase(r: Prng): EngineDraft<PollBody> {
  const prefix = () => Array.from({ length: r.int(0, 2) }, () => r.pick(IDLE_PACKETS)).map((p) => p + SEP).join("");
  switch (r.int(0, 9)) {
    case 0:
    case 1: {
      const type = r.pick([...UNKNOWN_TYPES]);
      return { kind: "unknown packet type", layer: "engine", expect: "transport error", frames: [`${prefix()}${type}${ascii(r, 30)}`], note: `type "${type}"` };
    }
    case 2: {
      const body = r.pick(["", SEP, `6${SEP}`, `${SEP}6`, `6${SEP}${SEP}6`, `3${SEP}${SEP}`]);
      return { kind: "empty packet in payload", layer: "engine", expect: "transport error", frames: [body], note: JSON.stringify(body) };
    }
    case 3:
      return { kind: "non-UTF-8", layer: "engine", expect: "transport error", frames: [concat(invalidBytes(r), utf8(ascii(r, 10)))], note: "invalid bytes where the packet type is" };
    case 4:
      return { kind: "non-UTF-8", layer: "socket", expect: "parse error", frames: [concat(utf8("4"), invalidBytes(r), utf8(ascii(r, 10)))], note: "invalid bytes where the Socket.IO type is" };
    case 5:
      return { kind: "empty message", layer: "socket", expect: "parse error", frames: [`${prefix()}4`], note: "message packet without data" };
    case 6:
      return { kind: "base64 garbage", layer: "engine", expect: "parse error", frames: [`b${r.string(r.int(0, 20), "!*%$#@abcXYZ=+/")}`], note: "decodes to a stray attachment" };
    case 7: {
      const size = r.int(256 * 1024, 1024 * 1024);
      return { kind: "oversized", layer: "engine", expect: "transport error", frames: [`${prefix()}X${"y".repeat(size)}`], note: `${size} bytes, unknown type` };
    }
    default: {
      const packets = Array.from({ length: r.int(1, 4) }, () => (r.chance(0.2) ? `0${JSON.stringify(handshakeObject(r))}` : r.pick(IDLE_PACKETS)));
      return { kind: "idle packets", layer: "engine", expect: "ignored", frames: [packets.join(SEP)], note: JSON.stringify(packets).slice(0, 60) };
    }
  }
}

/** A Socket.IO-level case as WebSocket messages (one Engine.IO message each). */
export function socketOverWs(draft: SocketDraft): EngineDraft<WsMessage> {
  const frames = draft.chunks.map((chunk: SioChunk): WsMessage => (typeof chunk === "string" ? { kind: "text", data: `4${chunk}` } : { kind: "binary", data: chunk }));
  return { kind: draft.kind, layer: "socket", expect: draft.expect, frames, note: draft.note };
}

/** A Socket.IO-level case as one polling body (binary base64-encoded, as a server does). */
export function socketOverPolling(draft: SocketDraft): EngineDraft<PollBody> {
  const packets = draft.chunks.map((chunk) => (typeof chunk === "string" ? `4${chunk}` : `b${Buffer.from(chunk).toString("base64")}`));
  return { kind: draft.kind, layer: "socket", expect: draft.expect, frames: [packets.join(SEP)], note: draft.note };
}
