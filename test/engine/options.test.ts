import { afterEach, describe, expect, it, vi } from "vitest";
import { Engine } from "../../src/engine/engine";
import { once } from "../helpers/server";
import { connect, startEngineServer, type EngineTestServer } from "./helpers";

const params = (url: string | undefined) => new URL(url ?? "", "http://x").searchParams;
const pathOf = (url: string | undefined) => new URL(url ?? "", "http://x").pathname;

describe("request options, as the server sees them", () => {
  let server: EngineTestServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.close();
    server = undefined;
  });

  it("merges an object query with EIO, transport and sid on every request", async () => {
    server = await startEngineServer();
    const engine = connect(server, { query: { token: "a b&c", n: 42, flag: true } });
    await once(engine, "upgrade");
    const urls = server.requests.map((r) => r.url);
    expect(urls.length).toBeGreaterThan(2);
    for (const url of urls) {
      expect(params(url).get("token")).toBe("a b&c");
      expect(params(url).get("n")).toBe("42");
      expect(params(url).get("flag")).toBe("true");
      expect(params(url).get("EIO")).toBe("4");
    }
    expect(params(urls[0]).get("transport")).toBe("polling");
    expect(params(urls[0]).get("sid")).toBeNull();
    expect(params(urls.at(-1)).get("sid")).toBe(engine.id);
    expect(urls.some((u) => params(u).get("transport") === "websocket")).toBe(true);
    engine.close();
  });

  it("accepts the query as a string, and in the URI", async () => {
    server = await startEngineServer();
    const fromOption = connect(server, { transports: ["polling"], query: "x=1&y=%C3%A9" });
    await once(fromOption, "open");
    expect(params(server.requests[0].url).get("x")).toBe("1");
    expect(params(server.requests[0].url).get("y")).toBe("é");
    fromOption.close();
    const fromUri = new Engine(`${server.url}/?z=9`, { path: "/socket.io", transports: ["websocket"] });
    await once(fromUri, "open");
    expect(params(server.requests.at(-1)?.url).get("z")).toBe("9");
    fromUri.close();
  });

  it("uses path, with a trailing slash unless addTrailingSlash is false", async () => {
    server = await startEngineServer({ path: "/custom", addTrailingSlash: false });
    const engine = new Engine(server.url, { path: "/custom", addTrailingSlash: false, transports: ["polling"] });
    await once(engine, "open");
    expect(server.requests.map((r) => pathOf(r.url))).toContain("/custom");
    engine.close();
    await server.close();

    server = await startEngineServer({ path: "/custom" });
    const slashed = new Engine(server.url, { path: "/custom", transports: ["polling"] });
    await once(slashed, "open");
    expect(pathOf(server.requests[0].url)).toBe("/custom/");
    slashed.close();
  });

  it("defaults the path to /engine.io/", async () => {
    server = await startEngineServer({ path: "/engine.io" });
    const engine = new Engine(server.url, { transports: ["polling"] });
    await once(engine, "open");
    expect(pathOf(server.requests[0].url)).toBe("/engine.io/");
    engine.close();
  });

  it("busts caches on polling by default, on websocket only with timestampRequests", async () => {
    server = await startEngineServer();
    const engine = connect(server);
    await once(engine, "upgrade");
    const polls = server.requests.filter((r) => params(r.url).get("transport") === "polling");
    const ws = server.requests.filter((r) => params(r.url).get("transport") === "websocket");
    expect(polls.every((r) => params(r.url).get("t"))).toBe(true);
    expect(new Set(polls.map((r) => params(r.url).get("t"))).size).toBe(polls.length);
    expect(ws.every((r) => params(r.url).get("t") === null)).toBe(true);
    engine.close();
  });

  it("names the timestamp with timestampParam, and drops it with timestampRequests: false", async () => {
    server = await startEngineServer();
    const stamped = connect(server, { timestampRequests: true, timestampParam: "ts" });
    await once(stamped, "upgrade");
    expect(server.requests.every((r) => params(r.url).get("ts"))).toBe(true);
    expect(server.requests.every((r) => params(r.url).get("t") === null)).toBe(true);
    stamped.close();
    server.requests.length = 0;
    const plain = connect(server, { timestampRequests: false, transports: ["polling"] });
    await once(plain, "open");
    expect(server.requests.every((r) => params(r.url).get("t") === null)).toBe(true);
    plain.close();
  });

  it("sends extraHeaders on polling requests", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"], extraHeaders: { "x-app-token": "secret" } });
    const remote = await server.nextSocket();
    await once(engine, "open");
    engine.write("with a POST");
    await once(remote, "message");
    const methods = new Set(server.requests.map((r) => r.method));
    expect(methods).toEqual(new Set(["GET", "POST"]));
    for (const request of server.requests) expect(request.headers["x-app-token"]).toBe("secret");
    engine.close();
  });

  it("sends content-type text/plain on POSTs", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    const remote = await server.nextSocket();
    await once(engine, "open");
    engine.write("x");
    await once(remote, "message");
    const post = server.requests.find((r) => r.method === "POST");
    expect(post?.headers["content-type"]).toBe("text/plain;charset=UTF-8");
    engine.close();
  });

  for (const withCredentials of [true, false]) {
    it(`asks fetch for credentials "${withCredentials ? "include" : "same-origin"}" with withCredentials: ${withCredentials}`, async () => {
      server = await startEngineServer();
      // Node's fetch keeps no cookies, so watch what the engine asks of it (the requests still go to the real server).
      const fetchSpy = vi.spyOn(globalThis, "fetch");
      const engine = connect(server, { transports: ["polling"], withCredentials });
      const remote = await server.nextSocket();
      await once(engine, "open");
      engine.write("post");
      await once(remote, "message");
      const calls = fetchSpy.mock.calls.filter(([url]) => String(url).startsWith(server?.url ?? "-"));
      expect(calls.length).toBeGreaterThanOrEqual(2);
      for (const [, init] of calls) expect(init?.credentials).toBe(withCredentials ? "include" : "same-origin");
      engine.close();
    });
  }

  it("reports an error and closes when no listed transport is supported", async () => {
    const engine = new Engine("http://127.0.0.1:9", { transports: ["webtransport"] });
    const error = once<[Error]>(engine, "error");
    const close = once<[string]>(engine, "close");
    expect((await error)[0].message).toBe("No transports available");
    expect((await close)[0]).toBe("transport error");
  });
});
