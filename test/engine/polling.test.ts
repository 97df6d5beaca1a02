import { afterEach, describe, expect, it } from "vitest";
import { once } from "../helpers/server";
import { clientInbox, connect, serverInbox, startEngineServer, waitFor, type EngineTestServer } from "./helpers";

describe("polling transport", () => {
  let server: EngineTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("sends and receives text, in order, both ways", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    const remote = await server.nextSocket();
    const received = serverInbox(remote);
    const inbox = clientInbox(engine);
    await once(engine, "open");
    for (let i = 0; i < 5; i++) engine.write(`to server ${i} é€😀`);
    for (let i = 0; i < 5; i++) remote.send(`to client ${i}`);
    await waitFor(() => received.length === 5 && inbox.length === 5);
    expect(received).toEqual([0, 1, 2, 3, 4].map((i) => `to server ${i} é€😀`));
    expect(inbox).toEqual([0, 1, 2, 3, 4].map((i) => `to client ${i}`));
    expect(remote.transport.name).toBe("polling");
    engine.close();
  });

  for (const forceBase64 of [false, true]) {
    it(`carries binary both ways (forceBase64: ${forceBase64})`, async () => {
      server = await startEngineServer();
      const engine = connect(server, { transports: ["polling"], forceBase64 });
      // What a browser or worker gets (Node's default is Buffer, tested below).
      engine.binaryType = "arraybuffer";
      const remote = await server.nextSocket();
      const received = serverInbox(remote);
      const inbox = clientInbox(engine);
      await once(engine, "open");
      engine.write(new Uint8Array([1, 2, 3, 255]).buffer);
      engine.write(new Uint16Array([513, 65535]));
      engine.write(new Blob([new Uint8Array([9, 8, 7])]));
      remote.send(Buffer.from([4, 5, 6, 0]));
      await waitFor(() => received.length === 3 && inbox.length === 1);
      expect(received.map((b) => [...(b as Buffer)])).toEqual([[1, 2, 3, 255], [1, 2, 255, 255], [9, 8, 7]]);
      expect(inbox[0]).toBeInstanceOf(ArrayBuffer);
      expect([...new Uint8Array(inbox[0] as ArrayBuffer)]).toEqual([4, 5, 6, 0]);
      // Polling payloads are text: binary always travels as base64 "b" packets.
      const posts = server.requests.filter((r) => r.method === "POST");
      expect(posts.length).toBeGreaterThan(0);
      const handshakeGet = server.requests.find((r) => r.method === "GET");
      expect(new URL(handshakeGet?.url ?? "", "http://x").searchParams.get("b64")).toBe(forceBase64 ? "1" : null);
      engine.close();
    });
  }

  it("hands binary over as Buffer by default where Buffer exists, as socket.io-client does in Node", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    expect(engine.binaryType).toBe("nodebuffer");
    const remote = await server.nextSocket();
    remote.send(Buffer.from([1, 2]));
    const [data] = await once<[unknown]>(engine, "message");
    expect(Buffer.isBuffer(data)).toBe(true);
    expect([...(data as Buffer)]).toEqual([1, 2]);
    engine.close();
  });

  it("splits writes into POSTs within the server's maxPayload, losing none", async () => {
    const maxHttpBufferSize = 1000;
    server = await startEngineServer({ maxHttpBufferSize });
    const bodies: number[] = [];
    server.http.prependListener("request", (req) => {
      if (req.method !== "POST") return;
      let size = 0;
      req.on("data", (chunk: Buffer) => (size += chunk.length));
      req.on("end", () => bodies.push(size));
    });
    const engine = connect(server, { transports: ["polling"] });
    const remote = await server.nextSocket();
    const received = serverInbox(remote);
    await once(engine, "open");
    expect(engine.maxPayload).toBe(maxHttpBufferSize);
    const sent: string[] = [];
    for (let i = 0; i < 60; i++) {
      // Multi-byte characters: the limit is in bytes, not string length.
      const message = `${i}:${"é".repeat(20 + (i % 7) * 10)}`;
      sent.push(message);
      engine.write(message);
    }
    engine.write(new Uint8Array(300));
    await waitFor(() => received.length === 61);
    expect(received.slice(0, 60)).toEqual(sent);
    expect((received[60] as Buffer).length).toBe(300);
    expect(bodies.length).toBeGreaterThan(5);
    for (const size of bodies) expect(size).toBeLessThanOrEqual(maxHttpBufferSize);
    expect(engine.readyState).toBe("open");
    engine.close();
  });

  it("emits packetCreate, flush and drain for writes, and runs write callbacks", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    const created: string[] = [];
    engine.on("packetCreate", (packet) => created.push(`${packet.type}:${String(packet.data ?? "")}`));
    let flushes = 0;
    engine.on("flush", () => flushes++);
    const written: string[] = [];
    // Buffered while opening, flushed after the handshake.
    engine.write("early", () => written.push("early"));
    engine.send("second", { compress: false }, () => written.push("second"));
    const remote = await server.nextSocket();
    const received = serverInbox(remote);
    await once(engine, "drain");
    await waitFor(() => received.length === 2);
    expect(received).toEqual(["early", "second"]);
    expect(created).toEqual(["message:early", "message:second"]);
    expect(written).toEqual(["early", "second"]);
    expect(flushes).toBeGreaterThan(0);
    engine.close();
  });

  it("passes every received packet to packet listeners", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["polling"] });
    const types: string[] = [];
    engine.on("packet", (packet) => types.push(packet.type));
    const remote = await server.nextSocket();
    await once(engine, "open");
    remote.send("x");
    await once(engine, "message");
    expect(types).toEqual(["open", "message"]);
    engine.close();
  });
});
