// The proxy's own parsers: HTTP heads out of a byte stream, WebSocket frames.
import { describe, expect, it } from "vitest";
import { isWebSocketUpgrade, parseHead, RequestSniffer } from "./http-head";
import { encodeFrame, FrameSplitter, OPCODE, parseFrame, rewriteTextFrame } from "./ws-frames";

const bytes = (text: string) => Buffer.from(text, "latin1");

describe("http-head", () => {
  it("parses a request head and recognises a WebSocket upgrade", () => {
    const head = parseHead("GET /socket.io/?EIO=4 HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\nUpgrade: WebSocket");
    expect(head.method).toBe("GET");
    expect(head.target).toBe("/socket.io/?EIO=4");
    expect(head.headers.get("connection")).toBe("keep-alive, Upgrade");
    expect(isWebSocketUpgrade(head)).toBe(true);
    expect(isWebSocketUpgrade(parseHead("GET / HTTP/1.1\r\nHost: x"))).toBe(false);
    expect(isWebSocketUpgrade(parseHead("GET / HTTP/1.1\r\nUpgrade: h2c"))).toBe(false);
  });

  it("parses a response status", () => {
    expect(parseHead("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket").status).toBe(101);
  });

  it("follows keep-alive requests with bodies, byte by byte", () => {
    const stream =
      "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /c HTTP/1.1\r\n\r\n";
    const sniffer = new RequestSniffer();
    const segments = [...bytes(stream)].flatMap((byte) => sniffer.push(Buffer.from([byte])));
    const heads = segments.filter((s) => s.type === "head").map((s) => (s.type === "head" ? s.head.target : ""));
    expect(heads).toEqual(["/a", "/b", "/c"]);
    // nothing lost or duplicated on the way through
    expect(Buffer.concat(segments.map((s) => s.raw)).toString("latin1")).toBe(stream);
  });

  it("passes everything after an upgrade request through unread", () => {
    const sniffer = new RequestSniffer();
    const first = sniffer.push(bytes("GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\nGET /not-a-request HTTP/1.1\r\n\r\n"));
    expect(first.map((s) => s.type)).toEqual(["head", "data"]);
    expect(sniffer.passingThrough).toBe(true);
  });

  it("gives up on a stream without a head end", () => {
    const sniffer = new RequestSniffer();
    const junk = Buffer.alloc(70 * 1024, 0x41);
    const out = sniffer.push(junk);
    expect(sniffer.passingThrough).toBe(true);
    expect(Buffer.concat(out.map((s) => s.raw)).length).toBe(junk.length);
  });
});

describe("ws-frames", () => {
  const sizes = [0, 125, 126, 65_535, 65_536, 200_000];

  for (const size of sizes) {
    it(`splits and parses a ${size}-byte frame delivered in odd pieces`, () => {
      const payload = Buffer.alloc(size, 0x61);
      const raw = encodeFrame({ fin: true, rsv: 0, opcode: OPCODE.text, payload });
      const splitter = new FrameSplitter();
      const frames: Buffer[] = [];
      for (let at = 0; at < raw.length; at += 7_777) frames.push(...splitter.push(raw.subarray(at, at + 7_777)));
      expect(frames).toHaveLength(1);
      expect(splitter.buffered).toBe(0);
      const frame = parseFrame(frames[0]);
      expect(frame.payload.equals(payload)).toBe(true);
      expect(frame.opcode).toBe(OPCODE.text);
      expect(frame.fin).toBe(true);
    });
  }

  it("cuts several frames out of one chunk", () => {
    const a = encodeFrame({ fin: true, rsv: 0, opcode: OPCODE.text, payload: Buffer.from("40") });
    const b = encodeFrame({ fin: true, rsv: 0, opcode: OPCODE.binary, payload: Buffer.from([1, 2, 3]) });
    const c = encodeFrame({ fin: true, rsv: 0, opcode: OPCODE.ping, payload: Buffer.alloc(0) });
    const frames = new FrameSplitter().push(Buffer.concat([a, b, c, a.subarray(0, 1)]));
    expect(frames.map((f) => parseFrame(f).opcode)).toEqual([OPCODE.text, OPCODE.binary, OPCODE.ping]);
  });

  it("unmasks a masked frame", () => {
    const key = [1, 2, 3, 4];
    const payload = Buffer.from("hello");
    const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
    const raw = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, ...key]), masked]);
    const frame = parseFrame(raw);
    expect(frame.masked).toBe(true);
    expect(frame.payload.toString()).toBe("hello");
    // masked frames are never rewritten
    expect(rewriteTextFrame(raw, () => "x")).toBe(raw);
  });

  it("rewrites text frames only", () => {
    const text = encodeFrame({ fin: true, rsv: 0, opcode: OPCODE.text, payload: Buffer.from('42["a"]') });
    const binary = encodeFrame({ fin: true, rsv: 0, opcode: OPCODE.binary, payload: Buffer.from('42["a"]') });
    const compressed = encodeFrame({ fin: true, rsv: 4, opcode: OPCODE.text, payload: Buffer.from("zz") });
    const upper = (t: string) => t.toUpperCase();
    expect(parseFrame(rewriteTextFrame(text, upper)).payload.toString()).toBe('42["A"]');
    expect(rewriteTextFrame(binary, upper)).toBe(binary);
    expect(rewriteTextFrame(compressed, upper)).toBe(compressed);
    expect(rewriteTextFrame(text, () => null)).toBe(text);
    const invalid = parseFrame(rewriteTextFrame(text, () => new Uint8Array([0x34, 0xff, 0xfe])));
    expect([...invalid.payload]).toEqual([0x34, 0xff, 0xfe]);
  });
});
