import { afterEach, describe, expect, it } from "vitest";
import { once } from "../helpers/server";
import { clientInbox, connect, serverInbox, startEngineServer, waitFor, type EngineTestServer } from "./helpers";

describe("websocket transport", () => {
  let server: EngineTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("opens on WebSocket alone, without any polling request", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"] });
    const remote = await server.nextSocket();
    await once(engine, "open");
    expect(engine.transport.name).toBe("websocket");
    expect(remote.transport.name).toBe("websocket");
    expect(server.requests.every((r) => r.headers.upgrade === "websocket")).toBe(true);
    engine.close();
  });

  it("sends and receives text and binary, in order", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"] });
    engine.binaryType = "arraybuffer";
    const remote = await server.nextSocket();
    const received = serverInbox(remote);
    const inbox = clientInbox(engine);
    await once(engine, "open");
    engine.write("one");
    engine.write(new Uint8Array([1, 2, 3]).buffer);
    engine.write(new Blob([new Uint8Array([4, 5])]));
    engine.write(new Uint8Array([6, 7, 8]).subarray(1));
    engine.write("five");
    remote.send("a");
    remote.send(Buffer.from([9, 9]));
    await waitFor(() => received.length === 5 && inbox.length === 2);
    expect(received[0]).toBe("one");
    expect([...(received[1] as Buffer)]).toEqual([1, 2, 3]);
    expect([...(received[2] as Buffer)]).toEqual([4, 5]);
    expect([...(received[3] as Buffer)]).toEqual([7, 8]);
    expect(received[4]).toBe("five");
    expect(inbox[0]).toBe("a");
    expect(inbox[1]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(inbox[1] as ArrayBuffer)]).toEqual([9, 9]);
    engine.close();
  });

  it("hands binary over as Buffer when binaryType is nodebuffer", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"] });
    engine.binaryType = "nodebuffer";
    const remote = await server.nextSocket();
    remote.send(Buffer.from([3, 4]));
    const [data] = await once<[unknown]>(engine, "message");
    expect(Buffer.isBuffer(data)).toBe(true);
    expect([...(data as Buffer)]).toEqual([3, 4]);
    engine.close();
  });

  it("sends binary as base64 text frames with forceBase64", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"], forceBase64: true });
    const remote = await server.nextSocket();
    const received = serverInbox(remote);
    await once(engine, "open");
    engine.write(new Uint8Array([1, 2, 3]).buffer);
    engine.write(new Blob([new Uint8Array([4])]));
    engine.write("after");
    await waitFor(() => received.length === 3);
    expect([...(received[0] as Buffer)]).toEqual([1, 2, 3]);
    expect([...(received[1] as Buffer)]).toEqual([4]);
    expect(received[2]).toBe("after");
    const upgradeRequest = server.requests.find((r) => r.headers.upgrade === "websocket");
    expect(new URL(upgradeRequest?.url ?? "", "http://x").searchParams.get("b64")).toBe("1");
    engine.close();
  });

  it("offers the protocols option to the server", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"], protocols: ["chat-v1"] });
    await once(engine, "open");
    const upgradeRequest = server.requests.find((r) => r.headers.upgrade === "websocket");
    expect(upgradeRequest?.headers["sec-websocket-protocol"]).toBe("chat-v1");
    engine.close();
  });

  it("sends data that is neither text nor binary as its text", async () => {
    server = await startEngineServer();
    const engine = connect(server, { transports: ["websocket"] });
    const remote = await server.nextSocket();
    const received = serverInbox(remote);
    await once(engine, "open");
    engine.write(42 as unknown as string);
    engine.write(Symbol("x") as unknown as string);
    engine.write({ a: 1 } as unknown as string);
    engine.write("still fine");
    await waitFor(() => received.length === 4);
    expect(received).toEqual(["42", "Symbol(x)", "[object Object]", "still fine"]);
    engine.close();
  });
});
