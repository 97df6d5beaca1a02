// `npm start`: the core of socket.io-shared (`socket.io-shared/core`, built into
// dist/core.js) used from Node.js against a socket.io server started right here
// on 127.0.0.1. It connects, upgrades from HTTP long-polling to WebSocket,
// exchanges a few events, acknowledgements and binary, prints each step, and
// exits.
//
// Options (environment): PORT (default: a free one), KEEP_RUNNING=1 to leave the
// server up after the exchange, so that other clients can connect to it.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { WebSocket } from "ws";
import { io } from "socket.io-shared/core";

// Node 20 has no global WebSocket; the core uses the global one, as in a browser.
globalThis.WebSocket ??= WebSocket;

const log = (who, message) => console.log(`${who.padEnd(6)} ${message}`);

// ---- the server ----------------------------------------------------------
const http = createServer();
const server = new Server(http);
server.on("connection", (socket) => {
  log("server", `socket ${socket.id} connected over ${socket.conn.transport.name}`);
  socket.conn.once("upgrade", (transport) => log("server", `transport upgraded to ${transport.name}`));
  socket.on("hello", (name, ack) => ack(`hello, ${name}!`));
  socket.on("sum", (numbers, ack) => ack(numbers.reduce((a, b) => a + b, 0)));
  socket.on("bytes", (data, ack) => {
    log("server", `received ${data.length} bytes: [${[...data].join(", ")}]`);
    ack(Buffer.from([...data].reverse()));
  });
  socket.on("start ticking", (count) => {
    let ticks = 0;
    const timer = setInterval(() => {
      socket.emit("tick", ++ticks);
      if (ticks === count) clearInterval(timer);
    }, 300);
    socket.on("disconnect", () => clearInterval(timer));
  });
  socket.on("disconnect", (reason) => log("server", `socket ${socket.id} disconnected: ${reason}`));
});
await new Promise((resolve) => http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", resolve));
const url = `http://127.0.0.1:${http.address().port}`;
log("server", `socket.io server listening on ${url}`);

// ---- the client (the core) -------------------------------------------------
const giveUp = setTimeout(() => {
  console.error("client did not finish in 10 s: something is wrong");
  process.exit(1);
}, 10_000);

const socket = io(url);
socket.io.on("open", () => {
  log("client", `Engine.IO open over ${socket.io.engine.transport.name}`);
  socket.io.engine.on("upgrade", (transport) => log("client", `upgraded to ${transport.name}`));
});
socket.on("connect_error", (err) => log("client", `connect_error: ${err.message}`));
socket.on("disconnect", (reason) => log("client", `disconnect: ${reason}`));

await new Promise((resolve) => socket.once("connect", resolve));
log("client", `connected: id ${socket.id}`);

log("client", `hello → ${await socket.emitWithAck("hello", "Node.js")}`);
const sum = await new Promise((resolve) => socket.emit("sum", [1, 2, 3, 4], resolve));
log("client", `sum of 1..4 → ${sum}`);
const reversed = await socket.emitWithAck("bytes", new Uint8Array([1, 2, 3]));
log("client", `bytes reversed by the server → [${[...new Uint8Array(reversed)].join(", ")}]`);

await new Promise((resolve) => {
  socket.on("tick", (n) => {
    log("client", `tick ${n} from the server (transport: ${socket.io.engine.transport.name})`);
    if (n === 3) resolve();
  });
  socket.emit("start ticking", 3);
});

socket.disconnect();
// Let the server see the client leave before the server shuts down.
while (server.engine.clientsCount > 0) await new Promise((resolve) => setTimeout(resolve, 10));
clearTimeout(giveUp);
if (process.env.KEEP_RUNNING) {
  log("server", `still listening on ${url} (KEEP_RUNNING is set); Ctrl+C to stop`);
} else {
  await new Promise((resolve) => server.close(resolve));
  log("server", "closed; done");
}
