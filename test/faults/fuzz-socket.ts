/**
 * Malformed Socket.IO packets (the layer above Engine.IO): what a broken or
 * hostile server could put inside Engine.IO messages. Each generator builds
 * one case by construction; {@link socketOutcome} checks the label against
 * socket.io-parser's own decoder, and a case whose label does not hold is
 * drawn again.
 */
import { Decoder, PacketType } from "socket.io-parser";
import type { Prng } from "./prng";

/** One Engine.IO message's payload: Socket.IO text, or a binary attachment. */
export type SioChunk = string | Uint8Array;

export type SocketExpect = "parse error" | "ignored";

export interface SocketDraft {
  kind: string;
  expect: SocketExpect;
  chunks: SioChunk[];
  note: string;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** Printable junk, without digits, "/" or separators, so it cannot read as an id, a namespace or a frame boundary. */
const JUNK = "!#$%&'()*+.:;<=>?@[]^_`{|}~ ,\"\\-abcxyzé☃";
/** Packet type characters socket.io-parser does not know. */
const UNKNOWN_TYPES = "789abcdefxyzABCXYZ!#$%&()*+.:;<=>?@[]^_`{|}~é☃";
const RESERVED = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

/** A namespace the client under test never joins. */
const otherNamespace = (r: Prng) => `/fz-${r.string(r.int(1, 8), LETTERS)}`;
const eventName = (r: Prng) => `ev${r.string(r.int(0, 6), LETTERS)}`;

function randomValue(r: Prng, depth = 0): unknown {
  switch (r.int(0, depth > 2 ? 3 : 5)) {
    case 0:
      return r.string(r.int(0, 12), LETTERS + JUNK);
    case 1:
      return r.int(-1000, 1_000_000);
    case 2:
      return r.pick([true, false, null]);
    case 3:
      return r.next();
    case 4:
      return Array.from({ length: r.int(0, 4) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(0, 4) }, () => [eventName(r), randomValue(r, depth + 1)]));
  }
}

const eventJson = (r: Prng) => JSON.stringify([eventName(r), ...Array.from({ length: r.int(0, 3) }, () => randomValue(r))]);
const placeholder = (num: unknown) => ({ _placeholder: true, num });

/** Breaks valid JSON so that JSON.parse throws (drawn again until it does). */
function breakJson(r: Prng, json: string): string {
  for (;;) {
    const at = r.int(1, Math.max(1, json.length - 1));
    let broken: string;
    switch (r.int(0, 6)) {
      case 0:
        broken = json.slice(0, at);
        break;
      case 1:
        broken = json.slice(0, at) + r.pick([..."{}[]:,\"'"]) + json.slice(at);
        break;
      case 2:
        broken = json.replace(/"/, "'");
        break;
      case 3:
        broken = `${json.slice(0, -1)},${json.slice(-1)}`;
        break;
      case 4:
        broken = `${json}${r.string(r.int(1, 4), JUNK)}`;
        break;
      case 5:
        broken = json.replace(/\d+/, r.pick(["NaN", "undefined", "0x1F", "Infinity", "01"]));
        break;
      default:
        broken = json.slice(0, at) + r.string(r.int(1, 3), JUNK) + json.slice(at);
    }
    try {
      JSON.parse(broken);
    } catch {
      if (/^[^0-9/]/.test(broken)) return broken;
    }
  }
}

/** JSON values that parse but are never a valid payload of `type`; none starts with a digit. */
function wrongShape(r: Prng, type: PacketType): string {
  const byType: Record<number, unknown[]> = {
    [PacketType.CONNECT]: [[], "sid", null, true, -1, [{ sid: "x" }]],
    [PacketType.DISCONNECT]: [{}, [], "bye", null, false],
    [PacketType.EVENT]: [{}, [], [null], [true], [{}], [[eventName(r)]], [r.pick(RESERVED)], "event", null, -5],
    [PacketType.ACK]: [{}, "ack", null, true, -1],
    [PacketType.CONNECT_ERROR]: [[], null, true, -1, [{ message: "x" }]],
  };
  return JSON.stringify(r.pick(byType[type]));
}

/** What socket.io-parser makes of the chunks, in order: throws, still waits for attachments, or decodes. */
export function socketOutcome(chunks: readonly SioChunk[]): { threw: boolean; pending: boolean; decoded: Array<{ type: number; nsp: string }> } {
  const decoder = new Decoder();
  const decoded: Array<{ type: number; nsp: string }> = [];
  decoder.on("decoded", (packet: { type: number; nsp: string }) => decoded.push(packet));
  let reconstructing = false;
  try {
    for (const chunk of chunks) {
      decoder.add(typeof chunk === "string" ? chunk : Buffer.from(chunk));
      reconstructing = (decoder as unknown as { reconstructor: unknown }).reconstructor != null;
    }
  } catch {
    return { threw: true, pending: false, decoded };
  } finally {
    decoder.destroy();
  }
  return { threw: false, pending: reconstructing, decoded };
}

/** A case is "ignored" when it decodes completely and nothing of it is for the client's namespace (or it acks nothing known). */
function holds(draft: SocketDraft): boolean {
  const outcome = socketOutcome(draft.chunks);
  if (draft.expect === "parse error") return outcome.threw;
  return (
    !outcome.threw &&
    !outcome.pending &&
    outcome.decoded.every((p) => p.nsp !== "/" || p.type === PacketType.ACK || p.type === PacketType.BINARY_ACK)
  );
}

type Generator = (r: Prng) => SocketDraft;

const generators: Record<string, { weight: number; make: Generator }> = {
  "unknown packet type": {
    weight: 10,
    make: (r) => {
      const type = r.pick([...UNKNOWN_TYPES]);
      return { kind: "unknown packet type", expect: "parse error", chunks: [type + eventJson(r)], note: `type "${type}"` };
    },
  },
  "broken JSON": {
    weight: 16,
    make: (r) => {
      const type = r.pick([PacketType.CONNECT, PacketType.DISCONNECT, PacketType.EVENT, PacketType.ACK, PacketType.CONNECT_ERROR]);
      const nsp = r.chance(0.3) ? `${otherNamespace(r)},` : "";
      const id = type === PacketType.EVENT || type === PacketType.ACK ? (r.chance(0.5) ? String(r.int(0, 9999)) : "") : "";
      const body = type === PacketType.EVENT || type === PacketType.ACK ? eventJson(r) : JSON.stringify({ message: eventName(r) });
      return { kind: "broken JSON", expect: "parse error", chunks: [`${type}${nsp}${id}${breakJson(r, body)}`], note: `type ${type}` };
    },
  },
  "wrong payload shape": {
    weight: 10,
    make: (r) => {
      const type = r.pick([PacketType.CONNECT, PacketType.DISCONNECT, PacketType.EVENT, PacketType.ACK, PacketType.CONNECT_ERROR]);
      return { kind: "wrong payload shape", expect: "parse error", chunks: [`${type}${wrongShape(r, type)}`], note: `type ${type}` };
    },
  },
  "illegal attachment count": {
    weight: 8,
    make: (r) => {
      const type = r.pick(["5", "6"]);
      const count = r.pick(["0", "-1", "1.5", "x", "", "11", "9999", "NaN", "Infinity"]);
      const dash = r.chance(0.85) ? "-" : "";
      const json = JSON.stringify([eventName(r), placeholder(0)]);
      return { kind: "illegal attachment count", expect: "parse error", chunks: [`${type}${count}${dash}${json}`], note: `count "${count}"${dash ? "" : ", no dash"}` };
    },
  },
  "attachment index out of range": {
    weight: 6,
    make: (r) => {
      const n = r.int(1, 3);
      const bad = r.pick([n, n + 5, -1, "0", 0.5, null]);
      const json = JSON.stringify([eventName(r), ...Array.from({ length: n - 1 }, (_, i) => placeholder(i)), placeholder(bad)]);
      const binaries = Array.from({ length: n }, () => r.bytes(r.int(0, 16)));
      return { kind: "attachment index out of range", expect: "parse error", chunks: [`5${n}-${json}`, ...binaries], note: `num ${JSON.stringify(bad)} of ${n}` };
    },
  },
  "attachments that never come": {
    weight: 8,
    make: (r) => {
      const n = r.int(1, 10);
      const json = JSON.stringify([eventName(r), ...Array.from({ length: n }, (_, i) => placeholder(i))]);
      const arrive = r.int(0, n - 1);
      const binaries = Array.from({ length: arrive }, () => r.bytes(r.int(0, 8)));
      // The next text packet finds the decoder still waiting: that is the error.
      const next = r.chance(0.5) ? `2${eventJson(r)}` : `5${n}-${json}`;
      return { kind: "attachments that never come", expect: "parse error", chunks: [`5${n}-${json}`, ...binaries, next], note: `${arrive} of ${n} arrived` };
    },
  },
  "more attachments than announced": {
    weight: 5,
    make: (r) => {
      const json = JSON.stringify([eventName(r), placeholder(0)]);
      return {
        kind: "more attachments than announced",
        expect: "parse error",
        chunks: [`51-${otherNamespace(r)},${json}`, r.bytes(4), r.bytes(r.int(0, 4))],
        note: "1 announced, 2 sent",
      };
    },
  },
  "stray attachment": {
    weight: 6,
    make: (r) => ({ kind: "stray attachment", expect: "parse error", chunks: [r.bytes(r.int(0, 64))], note: "binary with no packet announcing it" }),
  },
  truncated: {
    weight: 12,
    make: (r) => {
      const binary = r.chance(0.3);
      const full = binary ? `52-[${JSON.stringify(eventName(r))},${JSON.stringify(placeholder(0))},${JSON.stringify(placeholder(1))}]` : `2${r.chance(0.3) ? r.int(0, 99) : ""}${eventJson(r)}`;
      const cut = r.int(1, full.length - 1);
      return { kind: "truncated", expect: "parse error", chunks: [full.slice(0, cut)], note: `${cut} of ${full.length} characters` };
    },
  },
  oversized: {
    weight: 2,
    make: (r) => {
      const size = r.int(256 * 1024, 2 * 1024 * 1024);
      const filler = "x".repeat(size);
      if (r.chance(0.5)) return { kind: "oversized", expect: "parse error", chunks: [`2["${filler}`], note: `${size} bytes, unterminated` };
      return { kind: "oversized", expect: "ignored", chunks: [`2${otherNamespace(r)},["big","${filler}"]`], note: `${size} bytes to another namespace` };
    },
  },
  "invalid namespace": {
    weight: 12,
    make: (r) => {
      const nsp = otherNamespace(r);
      const chunks: SioChunk[] = [
        r.pick([
          `2${nsp},${eventJson(r)}`,
          `2${nsp},${r.int(0, 99)}${eventJson(r)}`,
          `0${nsp},{"sid":"x"}`,
          `1${nsp},`,
          `4${nsp},{"message":"nope"}`,
          `3${nsp},7[]`,
          // never terminated: the whole rest reads as the namespace
          `2${nsp}${eventJson(r)}`,
          `2${nsp}`,
        ]),
      ];
      if (r.chance(0.2)) chunks.splice(0, 1, `51-${nsp},${JSON.stringify([eventName(r), placeholder(0)])}`, r.bytes(3));
      return { kind: "invalid namespace", expect: "ignored", chunks, note: `namespace ${nsp}` };
    },
  },
  "unknown ack id": {
    weight: 5,
    make: (r) => {
      const id = r.int(10_000, 2 ** 40);
      const chunks: SioChunk[] = r.chance(0.7) ? [`3${id}${JSON.stringify([randomValue(r)])}`] : [`61-${id}[${JSON.stringify(placeholder(0))}]`, r.bytes(2)];
      return { kind: "unknown ack id", expect: "ignored", chunks, note: `id ${id}` };
    },
  },
};

const totalWeight = Object.values(generators).reduce((sum, g) => sum + g.weight, 0);

/** One Socket.IO-level case whose label holds against socket.io-parser. */
export function socketCase(r: Prng, expect?: SocketExpect): SocketDraft {
  for (;;) {
    let pick = r.next() * totalWeight;
    const entry = Object.values(generators).find((g) => (pick -= g.weight) < 0) ?? generators.truncated;
    const draft = entry.make(r);
    if (expect !== undefined && draft.expect !== expect) continue;
    if (holds(draft)) return draft;
  }
}
