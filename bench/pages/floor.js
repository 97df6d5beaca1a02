// The platform's floor under each latency metric, without Socket.IO or the bridge:
// a postMessage round trip tab ↔ SharedWorker, and a plain WebSocket echo (the
// server's /raw-echo) in this page, in the SharedWorker, and from this page
// through the SharedWorker. Each returns the round trips in ms.

const worker = new SharedWorker("/floor-worker.js", { name: `floor-${Math.random()}` });
const port = worker.port;
let pending = null;
port.onmessage = (event) => pending?.(event.data);
const ask = (message, transfer = []) =>
  new Promise((resolve) => {
    pending = resolve;
    port.postMessage(message, transfer);
  });

const wsUrl = `ws://${location.host}/raw-echo`;

async function timed(count, warmup, once) {
  const times = [];
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    await once();
    if (i >= warmup) times.push(performance.now() - t0);
  }
  return times;
}

function payloadOf(bytes, binary) {
  return binary ? new ArrayBuffer(bytes) : "x".repeat(bytes);
}

window.floor = {
  /** Round trips of a small message to the SharedWorker and back. */
  postMessage: (count, warmup) => timed(count, warmup, () => ask({ op: "ping" })),

  /** A plain WebSocket echo from this page. */
  async pageWebSocket(count, warmup, bytes, binary) {
    const ws = new WebSocket(wsUrl);
    ws.binaryType = "arraybuffer";
    await new Promise((resolve) => (ws.onopen = resolve));
    let answer = null;
    ws.onmessage = () => answer?.();
    const payload = payloadOf(bytes, binary);
    const times = await timed(count, warmup, () => new Promise((resolve) => ((answer = resolve), ws.send(payload))));
    ws.close();
    return times;
  },

  /** ms until a SharedWorker's plain WebSocket has received `n` small frames the server sends at once. */
  workerFlood: (n) => ask({ op: "ws-flood", url: wsUrl, n }),

  /** The same, in `tabs` plain WebSockets of this page at once (the direct mode's sockets, without Socket.IO). */
  async pageFlood(n, tabs) {
    const sockets = await Promise.all(
      Array.from({ length: tabs }, async () => {
        const ws = new WebSocket(wsUrl);
        await new Promise((resolve) => (ws.onopen = resolve));
        return ws;
      }),
    );
    const t0 = performance.now();
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise((resolve) => {
            let count = 0;
            ws.onmessage = () => ++count === n && resolve();
            ws.send(`flood ${n}`);
          }),
      ),
    );
    const ms = performance.now() - t0;
    for (const ws of sockets) ws.close();
    return ms;
  },

  /** The same echo, run and timed inside the SharedWorker. */
  workerWebSocket: (count, warmup, bytes, binary) => ask({ op: "ws-bench", url: wsUrl, count, warmup, bytes, binary }),

  /** From this page, through the SharedWorker's WebSocket and back: the floor of the shared echo. */
  async viaWorker(count, warmup, bytes, binary) {
    await ask({ op: "ws-open", url: wsUrl });
    return timed(count, warmup, () => {
      const payload = payloadOf(bytes, binary);
      return ask({ op: "ws-relay", payload }, binary ? [payload] : []);
    });
  },
};
document.title = "floor ready";
