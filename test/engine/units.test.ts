// The pure parts of the engine, without a server: URL handling and the
// payload size arithmetic the maxPayload batching relies on.
import { encodePayload, type Packet } from "engine.io-parser";
import { describe, expect, it } from "vitest";
import { encodedLength, fittingCount, utf8Length } from "../../src/engine/batch";
import { parseHandshake } from "../../src/engine/handshake";
import { composeUrl, decodeQuery, normalisePath, parseUri, resolveAddress } from "../../src/engine/uri";

const payloadBytes = (packets: Packet[]) =>
  new Promise<number>((resolve) => encodePayload(packets, (p) => resolve(Buffer.byteLength(p))));

describe("uri", () => {
  it("parses http, https, ws, wss, bare host:port and IPv6", () => {
    expect(parseUri("http://a.test:81/x?q=1")).toEqual({ hostname: "a.test", secure: false, port: "81", query: "q=1" });
    expect(parseUri("https://a.test")).toMatchObject({ secure: true, port: "" });
    expect(parseUri("wss://a.test:9")).toMatchObject({ secure: true, port: "9" });
    expect(parseUri("ws://a.test")).toMatchObject({ secure: false });
    expect(parseUri("a.test:3000")).toMatchObject({ hostname: "a.test", port: "3000" });
    expect(parseUri("http://[::1]:8080")).toMatchObject({ hostname: "::1", port: "8080" });
    expect(parseUri("http://[bad")).toBeNull();
  });

  it("composes URLs, omitting default ports and bracketing IPv6", () => {
    const address = { hostname: "::1", secure: true, port: "443", path: "/socket.io/" };
    expect(composeUrl(address, "wss", { EIO: "4", "a b": "c&d" })).toBe("wss://[::1]/socket.io/?EIO=4&a%20b=c%26d");
    expect(composeUrl({ ...address, hostname: "h", port: "8443" }, "https", {})).toBe("https://h:8443/socket.io/");
  });

  it("keeps malformed escapes in a query instead of throwing", () => {
    expect(decodeQuery("a=%E0%A4%A&b=%41")).toEqual({ a: "%E0%A4%A", b: "A" });
  });

  it("normalises the path", () => {
    expect(normalisePath("/socket.io", true)).toBe("/socket.io/");
    expect(normalisePath("/socket.io/", false)).toBe("/socket.io");
    expect(normalisePath("custom", true)).toBe("/custom/");
  });

  it("defaults the port from the scheme and lets the URI query win", () => {
    const { address, query } = resolveAddress("https://h.test/?from=uri", { query: { from: "opts" } });
    expect(address).toEqual({ hostname: "h.test", secure: true, port: "443", path: "/engine.io/" });
    expect(query).toEqual({ from: "uri" });
    expect(resolveAddress(undefined, { hostname: "h", query: "x=1" })).toMatchObject({
      address: { hostname: "h", port: "80", secure: false },
      query: { x: "1" },
    });
  });
});

describe("payload size", () => {
  it("counts UTF-8 bytes exactly, surrogate pairs included", () => {
    for (const text of ["", "abc", "é", "€", "😀", "a😀é€", "\ud800x"]) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text));
    }
  });

  it("predicts the encoded payload length exactly", async () => {
    const packets: Packet[] = [
      { type: "message", data: "héllo 😀" },
      { type: "message", data: new Uint8Array([1, 2, 3, 4, 5]).buffer },
      { type: "message", data: new Uint8Array(7) },
      { type: "pong" },
      { type: "message", data: "" },
    ];
    const predicted = packets.reduce((sum, p) => sum + encodedLength(p), 0) + packets.length - 1;
    expect(predicted).toBe(await payloadBytes(packets));
  });

  it("takes the longest prefix within maxPayload, and at least one packet", async () => {
    const packets: Packet[] = Array.from({ length: 10 }, (_, i) => ({ type: "message", data: "x".repeat(10 + i) }));
    const count = fittingCount(packets, 100);
    expect(await payloadBytes(packets.slice(0, count))).toBeLessThanOrEqual(100);
    expect(await payloadBytes(packets.slice(0, count + 1))).toBeGreaterThan(100);
    expect(fittingCount([{ type: "message", data: "y".repeat(500) }, ...packets], 100)).toBe(1);
    expect(fittingCount(packets, 0)).toBe(10);
  });
});

describe("handshake validation", () => {
  it("accepts a real handshake and defaults the optional fields", () => {
    expect(parseHandshake('{"sid":"s","pingInterval":1,"pingTimeout":2}')).toEqual({
      sid: "s",
      upgrades: [],
      pingInterval: 1,
      pingTimeout: 2,
      maxPayload: 0,
    });
  });

  it("rejects what is not one", () => {
    for (const bad of [undefined, "null", '"s"', '{"sid":"","pingInterval":1,"pingTimeout":1}', '{"sid":"s","pingInterval":"1","pingTimeout":1}', '{"sid":"s","pingInterval":1,"pingTimeout":1,"maxPayload":-1}', '{"sid":"s","pingInterval":1,"pingTimeout":1,"upgrades":[1]}']) {
      expect(parseHandshake(bad)).toBeNull();
    }
  });
});
