// The fuzz generator itself: deterministic, large enough, covering every kind
// of malformed input issue 7 lists, and labelled right — checked here against
// the reference parsers (engine.io-parser, socket.io-parser), independently
// of the core under test.
import { createHash } from "node:crypto";
import { decodePacket, decodePayload } from "engine.io-parser";
import { describe, expect, it } from "vitest";
import { casesOf, generateFuzzCases, planConnections, type FuzzCase } from "./fuzz";
import { socketOutcome } from "./fuzz-socket";
import { Prng } from "./prng";

const SEED = 20_260_707;
const cases = generateFuzzCases(SEED, 1_200);

/** Engine.IO packet types that leave a session as it is. */
const IGNORABLE = new Set(["noop", "pong", "upgrade", "ping", "open"]);
const SEP = "\x1e";
const lenient = new TextDecoder("utf-8");
const strict = new TextDecoder("utf-8", { fatal: true });

/** A fingerprint of cases, frames included, without building one huge string. */
function digest(list: readonly FuzzCase[]): string {
  const hash = createHash("sha256");
  for (const c of list) {
    hash.update(JSON.stringify([c.id, c.channel, c.layer, c.stage, c.kind, c.expect, c.note]));
    for (const frame of c.frames as unknown[]) {
      const wrapped = typeof frame === "object" && frame !== null && "data" in frame ? (frame as { kind: string; data: unknown }) : null;
      const data = wrapped ? wrapped.data : frame;
      if (wrapped) hash.update(wrapped.kind);
      hash.update(typeof data === "string" ? `s${data}` : Buffer.from(data as Uint8Array));
    }
  }
  return hash.digest("hex");
}

/** The Socket.IO chunks carried by a raw case's Engine.IO message packets, if every packet is a message. */
function messagesOf(packets: Array<{ type: string; data?: unknown }>): Array<string | Uint8Array> | null {
  if (!packets.every((p) => p.type === "message")) return null;
  return packets.map((p) => (typeof p.data === "string" ? p.data : new Uint8Array(p.data as ArrayBuffer)));
}

/** What a case does to a session, according to the reference parsers. */
function referenceOutcome(c: FuzzCase): string {
  if (c.channel === "server") {
    const outcome = socketOutcome(c.frames);
    return outcome.threw ? "parse error" : "ignored";
  }
  let packets: Array<{ type: string; data?: unknown }>;
  if (c.channel === "ws") {
    for (const frame of c.frames) {
      if (frame.kind === "invalid-text") {
        expect(() => strict.decode(frame.data)).toThrow();
        return "transport error";
      }
    }
    packets = c.frames.map((frame) => (frame.kind === "text" ? decodePacket(frame.data, "arraybuffer") : { type: "message", data: frame.data.buffer }));
  } else {
    const text = c.frames.map((body) => (typeof body === "string" ? body : lenient.decode(body))).join(SEP);
    packets = decodePayload(text, "arraybuffer");
  }
  const firstBad = packets.findIndex((p) => !IGNORABLE.has(p.type));
  if (firstBad === -1) return "ignored";
  if (packets[firstBad].type === "error") return "transport error";
  // From the first message on, the rest is Socket.IO's business.
  const chunks = messagesOf(packets.slice(firstBad));
  if (chunks === null) return "mixed";
  const outcome = socketOutcome(chunks);
  return outcome.threw ? "parse error" : outcome.pending ? "pending" : "ignored";
}

describe("fuzz generator", () => {
  it("is deterministic: same seed, same cases; another seed, other cases", () => {
    expect(digest(generateFuzzCases(SEED, 1_200))).toBe(digest(cases));
    expect(digest(generateFuzzCases(SEED + 1, 200))).not.toBe(digest(cases.slice(0, 200)));
  });

  it("the PRNG is seeded and spreads", () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const draws = Array.from({ length: 1_000 }, () => a.next());
    expect(draws).toEqual(Array.from({ length: 1_000 }, () => b.next()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const buckets = new Array<number>(10).fill(0);
    for (const d of draws) buckets[Math.floor(d * 10)]++;
    for (const count of buckets) expect(count).toBeGreaterThan(60);
  });

  it("makes at least 1000 cases, each tagged with its layer, covering every kind of issue 7", () => {
    expect(cases.length).toBeGreaterThanOrEqual(1_000);
    for (const c of cases) {
      expect(["engine", "socket"]).toContain(c.layer);
      expect(["parse error", "transport error", "ignored", "connect_error"]).toContain(c.expect);
      expect(c.frames.length).toBeGreaterThan(0);
    }
    const kinds = new Set(cases.map((c) => c.kind));
    for (const kind of [
      "unknown packet type",
      "broken JSON",
      "illegal attachment count",
      "attachment index out of range",
      "more attachments than announced",
      "attachments that never come",
      "oversized",
      "truncated",
      "invalid namespace",
      "garbage handshake",
      "non-UTF-8",
    ]) {
      expect(kinds).toContain(kind);
    }
    const layers = new Set(cases.map((c) => `${c.layer}:${c.channel}`));
    expect(layers).toEqual(new Set(["socket:server", "socket:ws", "socket:polling", "engine:ws", "engine:polling"]));
  });

  it("labels every mid-session case as the reference parsers read it", () => {
    const wrong = cases
      .filter((c) => c.stage === "session")
      .map((c) => ({ id: c.id, kind: c.kind, expect: c.expect, reference: referenceOutcome(c) }))
      .filter((c) => c.reference !== c.expect);
    expect(wrong).toEqual([]);
  });

  it("handshake cases are never a valid open packet", () => {
    for (const c of cases.filter((c) => c.stage === "handshake")) {
      expect(c.expect).toBe("connect_error");
      const frame = c.frames[0];
      const text = typeof frame === "string" ? frame : frame instanceof Uint8Array ? lenient.decode(frame) : frame.kind === "text" ? frame.data : null;
      if (text === null || !text.startsWith("0")) continue;
      // An acceptable handshake needs a JSON object with a string sid and finite, non-negative ping values.
      let valid = false;
      try {
        const value = JSON.parse(text.slice(1)) as Record<string, unknown>;
        valid =
          typeof value?.sid === "string" &&
          value.sid !== "" &&
          [value.pingInterval, value.pingTimeout].every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0) &&
          (value.upgrades === undefined || (Array.isArray(value.upgrades) && value.upgrades.every((u) => typeof u === "string"))) &&
          (value.maxPayload === undefined || (typeof value.maxPayload === "number" && value.maxPayload >= 0));
      } catch {
        valid = false;
      }
      expect({ id: c.id, valid }).toEqual({ id: c.id, valid: false });
    }
  });

  it("plans one connection per closing case, ignored cases riding along", () => {
    for (const channel of ["server", "ws", "polling"] as const) {
      const own = casesOf(cases, channel);
      const plans = planConnections(own);
      expect(plans.length).toBe(own.filter((c) => c.expect !== "ignored").length);
      expect(plans.flatMap((p) => [...p.ignored, p.closing]).length).toBe(own.length);
      for (const plan of plans) {
        expect(plan.closing.expect).not.toBe("ignored");
        if (plan.closing.stage === "handshake") expect(plan.ignored).toEqual([]);
      }
    }
  });
});
