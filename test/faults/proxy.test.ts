// The fault proxy itself, against a plain HTTP + WebSocket server: each
// control does what it says, and nothing else changes the bytes.
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { sleep } from "../helpers/server";
import { rewriteWebSocketText, startFaultProxy, type FaultProxy } from "./proxy";

let http: Server;
let wss: WebSocketServer;
let proxy: FaultProxy;

beforeEach(async () => {
  http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`));
  });
  wss = new WebSocketServer({ server: http });
  // Echoes each message back as it came (text stays text, binary stays binary).
  wss.on("connection", (ws) => ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary })));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  proxy = await startFaultProxy({ port: (http.address() as AddressInfo).port });
});

afterEach(async () => {
  await proxy.close();
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

function openWs(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/`);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => ws.once("message", (data: Buffer, isBinary) => resolve({ data, isBinary })));
}

/** A raw TCP connection through the proxy that records what happens to it. */
function rawClient(): Promise<{ socket: Socket; ended: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(proxy.port, "127.0.0.1", () => resolve({ socket, ended }));
    const ended = new Promise<string>((done) => {
      socket.on("error", (err: NodeJS.ErrnoException) => done(err.code ?? "error"));
      socket.on("close", () => done("close"));
    });
  });
}

describe("fault proxy", () => {
  it("forwards HTTP both ways and counts connections and bytes", async () => {
    const res = await fetch(`${proxy.url}/path?q=1`, { method: "POST", body: "payload" });
    expect(await res.text()).toBe("POST /path?q=1 payload");
    const counters = proxy.counters();
    expect(counters.connectionsOpened).toBe(1);
    expect(counters.clientToServerBytes).toBeGreaterThan("POST /path?q=1 HTTP/1.1\r\n\r\npayload".length);
    expect(counters.serverToClientBytes).toBeGreaterThan("POST /path?q=1 payload".length);
    expect(counters.droppedBytes).toBe(0);
  });

  it("forwards WebSocket frames untouched, text and binary", async () => {
    const ws = await openWs();
    const big = "x".repeat(100_000);
    ws.send(big);
    expect((await nextMessage(ws)).data.toString()).toBe(big);
    ws.send(Buffer.from([0, 255, 1]));
    const echoed = await nextMessage(ws);
    expect(echoed.isBinary).toBe(true);
    expect([...echoed.data]).toEqual([0, 255, 1]);
    expect(proxy.counters().webSocketConnections).toBe(1);
    ws.terminate();
  });

  it("cut() resets every open connection", async () => {
    const a = await rawClient();
    const b = await openWs();
    const bClosed = new Promise((resolve) => b.once("close", resolve));
    await sleep(20);
    expect(proxy.cut()).toBe(2);
    expect(await a.ended).toBe("ECONNRESET");
    await bClosed;
    expect(proxy.counters().connectionsOpen).toBe(0);
    // the proxy itself still works
    expect((await fetch(`${proxy.url}/after`)).status).toBe(200);
  });

  it("refuse() closes new connections at once, and only while on", async () => {
    proxy.refuse(true);
    await expect(fetch(`${proxy.url}/`)).rejects.toThrow();
    expect(proxy.counters().connectionsRefused).toBeGreaterThan(0);
    proxy.refuse(false);
    expect((await fetch(`${proxy.url}/back`)).status).toBe(200);
  });

  it("blackhole() keeps connections open and silent, then resets the ones that lost bytes", async () => {
    const ws = await openWs();
    const idle = await rawClient();
    const messages: string[] = [];
    ws.on("message", (data: Buffer) => messages.push(data.toString()));
    proxy.blackhole(true);
    ws.send("into the void");
    const late = await rawClient(); // a new connection is accepted, then silent too
    late.socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let lateAnswered = false;
    late.socket.on("data", () => (lateAnswered = true));
    await sleep(150);
    expect(messages).toEqual([]);
    expect(lateAnswered).toBe(false);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(proxy.counters().droppedBytes).toBeGreaterThan(0);
    const wsClosed = new Promise((resolve) => ws.once("close", resolve));
    proxy.blackhole(false);
    await wsClosed;
    expect(await late.ended).toBe("ECONNRESET");
    // a connection that stayed idle through the black hole carries on
    idle.socket.write("GET /idle HTTP/1.1\r\nHost: x\r\n\r\n");
    const answer = await new Promise<string>((resolve) => idle.socket.once("data", (d: Buffer) => resolve(d.toString())));
    expect(answer).toContain("GET /idle");
    idle.socket.destroy();
  });

  it("blackhole() does not pass a client's close on to the server", async () => {
    const serverSide = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
    const ws = await openWs();
    const remote = await serverSide;
    let remoteClosed = false;
    remote.on("close", () => (remoteClosed = true));
    proxy.blackhole(true);
    ws.terminate();
    await sleep(100);
    expect(remoteClosed).toBe(false);
    proxy.blackhole(false);
    await sleep(50);
    expect(remoteClosed).toBe(true);
  });

  it("blockWebSocketUpgrades() answers upgrades with 400 and lets polling through", async () => {
    proxy.blockWebSocketUpgrades(true);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("error", () => {});
    });
    expect(status).toBe(400);
    expect(await (await fetch(`${proxy.url}/poll`)).text()).toBe("GET /poll ");
    expect(proxy.counters().upgradesBlocked).toBe(1);
    proxy.blockWebSocketUpgrades(false);
    const ws = await openWs();
    ws.terminate();
  });

  it("corrupt() rewrites server text frames, including large ones", async () => {
    const ws = await openWs();
    proxy.corrupt(rewriteWebSocketText((text) => (text.startsWith("hit") ? text.toUpperCase() : null)));
    ws.send("hit me");
    expect((await nextMessage(ws)).data.toString()).toBe("HIT ME");
    ws.send("miss");
    expect((await nextMessage(ws)).data.toString()).toBe("miss");
    const big = "hit" + "y".repeat(300_000);
    ws.send(big);
    expect((await nextMessage(ws)).data.toString()).toBe(big.toUpperCase());
    ws.send(Buffer.from("hit binary"));
    expect((await nextMessage(ws)).data.toString()).toBe("hit binary");
    expect(proxy.counters().corruptedChunks).toBe(2);
    ws.terminate();
  });

  it("corrupt() sees polling responses as http chunks, and can drop them", async () => {
    const seen: string[] = [];
    proxy.corrupt((chunk, info) => {
      seen.push(info.protocol);
      return chunk.toString("latin1").replace("GET /x", "GET /y");
    });
    expect(await (await fetch(`${proxy.url}/x`)).text()).toBe("GET /y ");
    expect(seen.every((p) => p === "http")).toBe(true);
    proxy.corrupt(() => null);
    const silent = fetch(`${proxy.url}/z`, { signal: AbortSignal.timeout(200) });
    await expect(silent).rejects.toThrow();
  });
});
