// The bench's page: loads one library (?mode=direct | shared), opens one socket,
// and runs the measurements that bench/trial.ts asks for. Every time is taken
// here, in the tab, with performance.now(). Its type is in bench/globals.d.ts.

const mode = new URLSearchParams(location.search).get("mode");

// What happens between io() and `connect`, on the shared clock (bench/profile.ts prints it):
// when the tab's Web Locks are granted, when it constructs the SharedWorker, the worker's first message.
const marks = [];
const mark = (what) => marks.push({ what, at: performance.timeOrigin + performance.now() });
if (mode === "shared") {
  const request = navigator.locks.request.bind(navigator.locks);
  navigator.locks.request = (name, ...rest) => {
    const callback = rest.pop();
    return request(name, ...rest, (lock) => (mark(`lock granted (${name.split(/[:@#]/).slice(0, 2).join(":")})`), callback(lock)));
  };
  const NativeSharedWorker = window.SharedWorker;
  window.SharedWorker = function SharedWorker(...args) {
    mark("new SharedWorker()");
    const worker = new NativeSharedWorker(...args);
    worker.port.addEventListener("message", () => mark("first message from the worker"), { once: true });
    return worker;
  };
}

const lib = await import(mode === "shared" ? "/dist/socket.io-shared.esm.js" : "/vendor/socket.io.esm.min.js");

/** Resolves at the start of the next task: every microtask queued before has run. */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  });
}

/** What the hub received from the tabs, by its diagnostics() (bridge messages and the ops in them). */
async function hubReceived() {
  if (mode !== "shared") return null;
  const { tabs } = await lib.diagnostics();
  return {
    calls: tabs.reduce((sum, tab) => sum + tab.batchesReceived, 0),
    ops: tabs.reduce((sum, tab) => sum + tab.opsReceived, 0),
  };
}

const ack = (socket, event, ...args) => new Promise((resolve) => socket.emit(event, ...args, resolve));

let socket;
let fanout;

window.bench = {
  mode,
  crossOriginIsolated: globalThis.crossOriginIsolated,

  /** Marks of the tab's start-up (shared mode), on the shared clock. */
  marks,

  /** The last connect's io() call and `connect` event, on the shared clock (timeOrigin + now). */
  connectedAt: null,

  /** io() → connect, in ms. */
  async connect(url, trial) {
    const t0 = performance.now();
    socket = lib.io(url, { transports: ["websocket"], auth: { trial } });
    const t1 = await new Promise((resolve, reject) => {
      socket.once("connect", () => resolve(performance.now()));
      socket.once("connect_error", reject);
    });
    window.bench.connectedAt = { start: performance.timeOrigin + t0, end: performance.timeOrigin + t1 };
    return t1 - t0;
  },

  /** `count` sequential echoes of `bytes` (a string, or an ArrayBuffer if `binary`) with ack, after `warmup`; each round trip in ms. */
  async echo(count, warmup, bytes, binary) {
    const payload = binary ? new ArrayBuffer(bytes) : "x".repeat(bytes);
    const times = [];
    for (let i = 0; i < warmup + count; i++) {
      const t0 = performance.now();
      const reply = await ack(socket, "echo", payload);
      const t1 = performance.now();
      const size = binary ? reply.byteLength : reply.length;
      if (size !== bytes) throw new Error(`echo returned ${size} bytes, sent ${bytes}`);
      if (i >= warmup) times.push(t1 - t0);
    }
    return times;
  },

  /** `n` fire-and-forget emits in one synchronous loop, until the server has them all. */
  async burst(n) {
    await ack(socket, "fire:arm", n);
    const hubBefore = await hubReceived();
    const done = new Promise((resolve) => socket.once("fire:done", () => resolve(performance.now())));
    const flushed = nextTask();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) socket.emit("fire", i);
    const loopEnd = performance.now();
    const taskEnd = await flushed;
    const end = await done;
    const hubAfter = await hubReceived();
    const sent = hubBefore && hubAfter ? { calls: hubAfter.calls - hubBefore.calls, ops: hubAfter.ops - hubBefore.ops } : { calls: 0, ops: 0 };
    return { loopMs: loopEnd - t0, mainThreadMs: taskEnd - t0, totalMs: end - t0, bridgeCalls: sent.calls, bridgeOps: sent.ops };
  },

  /** Listens to `tick` until `n` arrive; resolves once the listener is known where the events come from. */
  async fanoutArm(n) {
    let count = 0;
    let first = 0;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const onTick = () => {
      if (count === 0) first = performance.now();
      if (++count !== n) return;
      const last = performance.now();
      socket.off("tick", onTick);
      socket.emit("fanout:got");
      resolve({ at: performance.timeOrigin + last, firstToLastMs: last - first });
    };
    socket.on("tick", onTick);
    fanout = done;
    // The listener travels in order with emits: once this echo is answered, the hub has it.
    await ack(socket, "echo", "");
  },

  /** Asks the server to broadcast `n` ticks to this trial's tabs; the start, on the shared clock (ms). */
  fanoutStart(n, tabs) {
    const at = performance.timeOrigin + performance.now();
    socket.emit("fanout:start", { n, tabs });
    return at;
  },

  /** When this tab had all `n` ticks, on the shared clock. */
  fanoutDone() {
    return fanout;
  },

  /** What the hub sent the tabs so far (shared mode only): bridge messages and the hub messages in them. */
  async hubTraffic() {
    if (mode !== "shared") return null;
    const d = await lib.diagnostics();
    return {
      mode: d.mode,
      batches: d.tabs.reduce((sum, tab) => sum + tab.batchesSent, 0),
      messages: d.tabs.reduce((sum, tab) => sum + tab.messagesSent, 0),
    };
  },
};
document.title = "bench ready";
