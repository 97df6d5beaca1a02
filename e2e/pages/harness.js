// In-page test harness for the pages that load the shared entry (any build):
// opens sockets by key and records what each one receives, so that the specs'
// page.evaluate() calls stay short. Its type is in e2e/globals.d.ts.

/**
 * @param {object} lib what the build exports: at least `io` (and `diagnostics`)
 * @param {string} label shown in the title once ready ("<label> ready")
 */
export function install(lib, label) {
  const sockets = new Map();
  const log = [];
  const record = (key, event, args) => log.push({ key, event, args: args.map(describe) });

  window.lib = lib;
  window.harness = {
    sockets,
    log,
    connect(key, url, opts = {}, events = []) {
      const socket = lib.io(url, opts);
      sockets.set(key, socket);
      for (const event of events) socket.on(event, (...args) => record(key, event, args));
      // State as seen inside the listener: it must already be right there.
      socket.on("connect", () => record(key, "connect", [stateOf(socket)]));
      socket.on("disconnect", (...args) => record(key, "disconnect", args));
      socket.on("connect_error", (err) => record(key, "connect_error", [{ message: err.message, data: err.data }]));
      return new Promise((resolve, reject) => {
        socket.once("connect", () => resolve(socket.id));
        socket.once("connect_error", reject);
      });
    },
    listen(key, event) {
      sockets.get(key).on(event, (...args) => record(key, event, args));
    },
    answer(key, event, reply) {
      sockets.get(key).on(event, (...args) => {
        const ack = args[args.length - 1];
        if (typeof ack === "function") ack(reply);
      });
    },
    received(key, event) {
      return log.filter((entry) => entry.key === key && entry.event === event).map((entry) => entry.args);
    },
    state(key) {
      return stateOf(sockets.get(key));
    },
  };
  document.title = `${label} ready`;
}

function stateOf(socket) {
  return {
    id: socket.id,
    connected: socket.connected,
    disconnected: socket.disconnected,
    active: socket.active,
    transport: socket.io.engine ? socket.io.engine.transport.name : undefined,
  };
}

/** What page.evaluate can carry back: binary as { bytes: [...] }. */
function describe(value) {
  if (value instanceof ArrayBuffer) return { bytes: [...new Uint8Array(value)] };
  if (ArrayBuffer.isView(value)) return { bytes: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] };
  if (Array.isArray(value)) return value.map(describe);
  if (value && typeof value === "object" && !(value instanceof Error)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v)]));
  }
  if (value instanceof Error) return { error: value.message };
  return value;
}
