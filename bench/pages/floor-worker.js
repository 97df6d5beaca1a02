// The SharedWorker of floor.js: answers pings, and runs or relays a plain WebSocket echo.
let ws = null;
let onAnswer = null;

async function openSocket(url) {
  if (ws) return;
  ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  await new Promise((resolve) => (ws.onopen = resolve));
  ws.onmessage = (event) => onAnswer?.(event.data);
}

const roundTrip = (payload) =>
  new Promise((resolve) => {
    onAnswer = resolve;
    ws.send(payload);
  });

onconnect = (event) => {
  const port = event.ports[0];
  port.onmessage = async ({ data }) => {
    switch (data.op) {
      case "ping":
        port.postMessage(null);
        break;
      case "ws-open":
        await openSocket(data.url);
        port.postMessage(null);
        break;
      case "ws-relay": {
        const reply = await roundTrip(data.payload);
        port.postMessage(reply, reply instanceof ArrayBuffer ? [reply] : []);
        break;
      }
      case "ws-flood": {
        await openSocket(data.url);
        let count = 0;
        const t0 = performance.now();
        const done = new Promise((resolve) => (onAnswer = () => ++count === data.n && resolve()));
        ws.send(`flood ${data.n}`);
        await done;
        port.postMessage(performance.now() - t0);
        break;
      }
      case "ws-bench": {
        await openSocket(data.url);
        const payload = data.binary ? new ArrayBuffer(data.bytes) : "x".repeat(data.bytes);
        const times = [];
        for (let i = 0; i < data.warmup + data.count; i++) {
          const t0 = performance.now();
          await roundTrip(payload);
          if (i >= data.warmup) times.push(performance.now() - t0);
        }
        port.postMessage(times);
        break;
      }
    }
  };
};
