/**
 * The core on its own (dist/core.js) in a real Chromium page, against a real
 * socket.io server: it runs in a browser, not only in Node.
 */
import { test, expect } from "./fixtures/test";
import { waitUntil } from "./fixtures/server";

interface ServerObservations {
  uploads: { bytes: number[]; transport: string }[];
}

/** Server side of the exchange: echoes with acks, takes uploads, sends binary on demand. */
function serveExchange(io: import("socket.io").Server): ServerObservations {
  const seen: ServerObservations = { uploads: [] };
  io.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: (reply: unknown) => void) => {
      ack({ echoed: value, transport: socket.conn.transport.name });
    });
    socket.on("upload", (data: Buffer, ack: (length: number) => void) => {
      seen.uploads.push({ bytes: [...data], transport: socket.conn.transport.name });
      ack(data.length);
    });
    socket.on("want-binary", () => {
      socket.emit("binary", Buffer.from([1, 2, 3, 250]), { nested: [Buffer.from([9, 8])] });
    });
  });
  return seen;
}

/** Runs in the page: connects, exchanges events, acks and binary, reports what it saw. */
async function exchangeInPage({ url, transports }: { url: string; transports: string[] }) {
  const { io } = window.core;
  const socket = io(url, { transports, reconnection: false });
  const transportsSeen: string[] = [];
  socket.io.on("open", () => {
    transportsSeen.push(socket.io.engine.transport.name);
    socket.io.engine.on("upgrade", (transport: { name: string }) => transportsSeen.push(transport.name));
  });
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", () => resolve());
    socket.on("connect_error", (err: Error) => reject(err));
  });
  const id = socket.id;
  const last = transports[transports.length - 1];
  if (socket.io.engine.transport.name !== last) {
    await new Promise<void>((resolve) => socket.io.engine.once("upgrade", () => resolve()));
  }

  const ackReply: unknown = await socket.emitWithAck("echo", { hello: "world" });
  const callbackReply = await new Promise<unknown>((resolve) => socket.emit("echo", 42, resolve));
  const uploaded: unknown = await socket.emitWithAck("upload", new Blob([new Uint8Array([5, 6, 7])]));
  const uploadedBuffer: unknown = await socket.emitWithAck("upload", new Uint8Array([4, 2]).buffer);

  const binary = new Promise<[unknown, unknown]>((resolve) => socket.once("binary", (a, b) => resolve([a, b])));
  socket.emit("want-binary");
  const [buffer, holder] = await binary;
  const nested = (holder as { nested: unknown[] }).nested[0];
  socket.disconnect();
  return {
    id,
    transportsSeen,
    ackReply,
    callbackReply,
    uploaded,
    uploadedBuffer,
    receivedArrayBuffer: buffer instanceof ArrayBuffer,
    receivedBytes: buffer instanceof ArrayBuffer ? [...new Uint8Array(buffer)] : null,
    nestedBytes: nested instanceof ArrayBuffer ? [...new Uint8Array(nested)] : null,
  };
}

const cases = [
  { name: "polling, then upgrade to WebSocket", transports: ["polling", "websocket"], expected: ["polling", "websocket"] },
  { name: "polling only", transports: ["polling"], expected: ["polling"] },
  { name: "WebSocket only", transports: ["websocket"], expected: ["websocket"] },
];

for (const { name, transports, expected } of cases) {
  test(`core in a page, ${name}: acks, Blob and ArrayBuffer both ways`, async ({ server, openTabs }) => {
    const seen = serveExchange(server.io);
    const [page] = await openTabs(1, "/core.html");
    await expect(page).toHaveTitle("core ready");

    const result = await page.evaluate(exchangeInPage, { url: server.url, transports });

    const final = expected[expected.length - 1];
    expect(result.id).toEqual(expect.any(String));
    expect(result.transportsSeen).toEqual(expected);
    expect(result.ackReply).toEqual({ echoed: { hello: "world" }, transport: final });
    expect(result.callbackReply).toEqual({ echoed: 42, transport: final });
    expect(result.uploaded).toBe(3);
    expect(result.uploadedBuffer).toBe(2);
    expect(result.receivedArrayBuffer).toBe(true);
    expect(result.receivedBytes).toEqual([1, 2, 3, 250]);
    expect(result.nestedBytes).toEqual([9, 8]);
    // The server got the bytes, over the transport the client ended on.
    expect(seen.uploads).toEqual([
      { bytes: [5, 6, 7], transport: final },
      { bytes: [4, 2], transport: final },
    ]);
    expect(server.engineConnectionsAccepted()).toBe(1);
    await waitUntil(() => server.engineConnectionsOpen() === 0, "the server to see the client disconnect");
  });
}
