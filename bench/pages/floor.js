// The platform's floor under each latency metric, without Socket.IO or the bridge:
// a postMessage round trip tab ↔ SharedWorker, and a plain WebSocket echo (the
// server's /raw-echo) in this page, in the SharedWorker, and from this page
// through the SharedWorker. Each returns the round trips in ms.

// Started on first use: the tabs that only flood (pageFlood) need none.
let port = null;
let pending = null;
const ask = (message, transfer = []) =>
  new Promise((resolve) => {
    if (!port) {
      port = new SharedWorker("/floor-worker.js", { name: `floor-${Math.random()}` }).port;
      port.onmessage = (event) => pending?.(event.data);
    }
    pending = resolve;
    port.postMessage(message, transfer);
  });

const wsUrl = `ws://${location.host}/raw-echo`;
let floodSocket = null;

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

  /** ms to open a plain WebSocket in this page (direct's connect without Socket.IO's handshake). */
  async pageOpen() {
    const t0 = performance.now();
    const ws = new WebSocket(wsUrl);
    await new Promise((resolve) => (ws.onopen = resolve));
    const ms = performance.now() - t0;
    ws.close();
    return ms;
  },

  /**
   * ms until the SharedWorker `name` (a new name: it starts; a running one: this page joins it)
   * has its plain WebSocket open and says so: shared's connect without Socket.IO or the library.
   */
  workerOpen(name) {
    const t0 = performance.now();
    const worker = new SharedWorker("/floor-worker.js", { name });
    return new Promise((resolve) => {
      worker.port.onmessage = () => resolve(performance.now() - t0);
      worker.port.postMessage({ op: "ws-open", url: wsUrl });
    });
  },

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

  /** Opens this page's plain WebSocket for pageFlood (one per tab: the direct mode's socket, without Socket.IO). */
  async openFlood() {
    floodSocket = new WebSocket(wsUrl);
    await new Promise((resolve) => (floodSocket.onopen = resolve));
  },

  /** Asks for `n` frames on this page's socket; resolves with the time until the last (ms on the shared clock). */
  pageFlood(n) {
    const start = performance.timeOrigin + performance.now();
    return new Promise((resolve) => {
      let count = 0;
      floodSocket.onmessage = () => {
        if (++count !== n) return;
        floodSocket.close();
        resolve({ start, end: performance.timeOrigin + performance.now() });
      };
      floodSocket.send(`flood ${n}`);
    });
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
