import { describe, expect, it } from "vitest";
import { parseUrl } from "../../src/url";
import { backoffDelay } from "../../src/backoff";

describe("parseUrl", () => {
  it("makes default ports explicit and takes the namespace from the pathname", () => {
    const u = parseUrl("http://Example.com/users?token=abc", "/socket.io");
    expect(u).toMatchObject({
      protocol: "http",
      secure: false,
      hostname: "example.com",
      port: "80",
      path: "/users",
      query: "token=abc",
      queryKey: { token: "abc" },
      id: "http://example.com:80/socket.io",
      origin: "http://example.com:80",
    });
    expect(parseUrl("https://example.com").port).toBe("443");
    expect(parseUrl("https://example.com").path).toBe("/");
    expect(parseUrl("wss://example.com:8443/a").secure).toBe(true);
    expect(parseUrl("wss://example.com").port).toBe("443");
    expect(parseUrl("ws://example.com").port).toBe("80");
    expect(parseUrl("ws://example.com").secure).toBe(false);
  });

  it("treats localhost:80 and localhost as the same Manager id", () => {
    expect(parseUrl("http://localhost:80/a", "/socket.io").id).toBe(parseUrl("http://localhost/b", "/socket.io").id);
    expect(parseUrl("http://localhost/a", "/socket.io").id).not.toBe(parseUrl("http://localhost/a", "/other").id);
  });

  it("handles IPv6, credentials, fragments and encoded queries", () => {
    const u = parseUrl("http://user:pw@[::1]:3000/nsp?a=1&b=x%20y&c#frag");
    expect(u.hostname).toBe("::1");
    expect(u.port).toBe("3000");
    expect(u.origin).toBe("http://[::1]:3000");
    expect(u.path).toBe("/nsp");
    expect(u.queryKey).toEqual({ a: "1", b: "x y", c: "" });
  });

  it("resolves relative URLs against a location", () => {
    const loc = { protocol: "https:", host: "app.test:8080" };
    expect(parseUrl(undefined, "", loc).origin).toBe("https://app.test:8080");
    expect(parseUrl("/admin", "", loc)).toMatchObject({ origin: "https://app.test:8080", path: "/admin" });
    expect(parseUrl("//other.test/x", "", loc)).toMatchObject({ origin: "https://other.test:443", path: "/x" });
    expect(parseUrl("other.test:81", "", loc).origin).toBe("https://other.test:81");
    expect(parseUrl("other.test", "", undefined).origin).toBe("https://other.test:443");
    expect(() => parseUrl(undefined, "", undefined)).toThrow(TypeError);
  });
});

describe("backoffDelay", () => {
  const policy = { min: 100, max: 1000, jitter: 0 };

  it("doubles from min and caps at max", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, 0.3))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(10_000, policy, 0.3)).toBe(1000);
    expect(backoffDelay(2, { ...policy, factor: 3 }, 0.5)).toBe(300);
  });

  it("spreads by ±jitter around the nominal delay, still capped", () => {
    const p = { min: 1000, max: 100_000, jitter: 0.5 };
    expect(backoffDelay(1, p, 0)).toBe(500);
    expect(backoffDelay(1, p, 0.5)).toBe(1000);
    expect(backoffDelay(1, p, 0.999)).toBe(1499);
    expect(backoffDelay(2, p, 0)).toBe(1000);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, p, Math.random());
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(6000);
    }
    expect(backoffDelay(20, { min: 1000, max: 5000, jitter: 0.5 }, 0.99)).toBe(5000);
  });

  it("ignores a jitter outside [0, 1]", () => {
    expect(backoffDelay(1, { min: 100, max: 1000, jitter: 2 }, 0)).toBe(100);
    expect(backoffDelay(1, { min: 100, max: 1000, jitter: -1 }, 0)).toBe(100);
  });
});
