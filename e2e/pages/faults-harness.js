// In-page recorder of the fault suite (e2e/faults-*.spec.ts). Every stream
// carries sequence numbers: the recorder keeps, per socket and event, the
// numbers that arrived (first argument), in arrival order, so that the specs
// count loss, duplication and reordering exactly. It also logs the socket's
// lifecycle (connect / disconnect / connect_error) with timestamps, and what
// each acknowledged emit settled with. Its type is in e2e/faults/page-types.d.ts.

/** @param {object} lib the shared entry (`io`, `diagnostics`) */
export function install(lib) {
  const sockets = new Map();
  /** `${key} ${event}` → numbers, in arrival order */
  const streams = new Map();
  /** key → lifecycle entries */
  const lifecycles = new Map();
  /** key → acknowledged emits that settled: [n, error message or null, reply] */
  const settled = new Map();
  const errors = [];
  /** key → a running pulseStart */
  const pulses = new Map();
  /** key → a fuzzed Manager's record (fuzzLane) */
  const fuzzLanes = new Map();
  addEventListener("error", (event) => errors.push(String(event.message)));
  addEventListener("unhandledrejection", (event) => errors.push(`unhandled rejection: ${describeError(event.reason)}`));

  const stream = (key, event) => {
    const name = `${key} ${event}`;
    if (!streams.has(name)) streams.set(name, []);
    return streams.get(name);
  };
  const lifecycle = (key) => {
    if (!lifecycles.has(key)) lifecycles.set(key, []);
    return lifecycles.get(key);
  };
  const socketOf = (key) => {
    const socket = sockets.get(key);
    if (!socket) throw new Error(`no socket "${key}" in this tab`);
    return socket;
  };

  function record(key, event) {
    const numbers = stream(key, event);
    return (n) => numbers.push(n);
  }

  window.lib = lib;
  window.faults = {
    connect(key, opts = {}, events = []) {
      const { url, ...rest } = opts;
      const socket = url ? lib.io(url, rest) : lib.io(rest);
      sockets.set(key, socket);
      const log = lifecycle(key);
      for (const event of events) socket.on(event, record(key, event));
      socket.on("connect", () =>
        log.push({ type: "connect", at: Date.now(), id: socket.id, recovered: socket.recovered, transport: socket.io.engine?.transport?.name }),
      );
      socket.on("disconnect", (reason, details) =>
        log.push({ type: "disconnect", at: Date.now(), reason, description: describeDetails(details) }),
      );
      socket.on("connect_error", (err) => log.push({ type: "connect_error", at: Date.now(), message: err.message }));
      return new Promise((resolve, reject) => {
        socket.once("connect", () => resolve(socket.id));
        if (!opts.keepTrying) socket.once("connect_error", (err) => reject(new Error(err.message)));
      });
    },
    listen(key, event) {
      socketOf(key).on(event, record(key, event));
    },
    numbers(key, event) {
      return stream(key, event).slice();
    },
    count(key, event) {
      return stream(key, event).length;
    },
    lifecycle(key) {
      return lifecycle(key).slice();
    },
    /** Emits `event` with n = from..to (no ack). */
    emitRange(key, event, from, to) {
      const socket = socketOf(key);
      for (let n = from; n <= to; n++) socket.emit(event, n);
    },
    /**
     * Emits `event` with n = from..to, each waiting for an ack (error-first
     * when the socket has ackTimeout/retries, or with `timeoutMs`).
     */
    emitAckedRange(key, event, from, to, timeoutMs) {
      const socket = socketOf(key);
      const done = settled.get(key) ?? [];
      settled.set(key, done);
      for (let n = from; n <= to; n++) {
        const target = timeoutMs === undefined ? socket : socket.timeout(timeoutMs);
        target.emit(event, n, (err, reply) => done.push([n, err ? describeError(err) : null, reply]));
      }
    },
    /** A steady stream: `perTick` emits every `everyMs` (acked when `acked`), numbered from..to. */
    emitSteadily(key, event, from, to, everyMs, perTick, acked) {
      let n = from;
      return new Promise((resolve) => {
        const timer = setInterval(() => {
          const last = Math.min(to, n + perTick - 1);
          if (acked) window.faults.emitAckedRange(key, event, n, last);
          else window.faults.emitRange(key, event, n, last);
          n = last + 1;
          if (n > to) {
            clearInterval(timer);
            resolve();
          }
        }, everyMs);
      });
    },
    /** Emits `event` with an ack (timeout `timeoutMs`), numbered from 1, every `everyMs` until pulseStop. */
    pulseStart(key, event, everyMs, timeoutMs) {
      let n = 0;
      pulses.set(key, {
        timer: setInterval(() => window.faults.emitAckedRange(key, event, ++n, n, timeoutMs), everyMs),
        sent: () => n,
      });
    },
    /** Stops the pulse of socket `key`; returns how many it emitted. */
    pulseStop(key) {
      const pulse = pulses.get(key);
      clearInterval(pulse.timer);
      return pulse.sent();
    },
    settled(key) {
      return (settled.get(key) ?? []).slice();
    },
    /** Emits on disconnect: `event` with from..to, from inside the first disconnect listener call. */
    emitOnDisconnect(key, event, from, to) {
      socketOf(key).once("disconnect", () => window.faults.emitRange(key, event, from, to));
    },
    state(key) {
      const socket = socketOf(key);
      return {
        id: socket.id,
        connected: socket.connected,
        active: socket.active,
        recovered: socket.recovered,
        transport: socket.io.engine?.transport?.name,
      };
    },
    /** Adds and removes `cycles` listeners on `event`, `perTurn` per task turn; resolves when done. */
    async churnListeners(key, event, cycles, perTurn) {
      const socket = socketOf(key);
      for (let done = 0; done < cycles; ) {
        const batch = Math.min(perTurn, cycles - done);
        const fns = [];
        for (let i = 0; i < batch; i++) {
          const fn = () => {};
          fns.push(fn);
          socket.on(event, fn);
        }
        for (const fn of fns) socket.off(event, fn);
        const any = () => {};
        socket.onAny(any);
        socket.offAny(any);
        done += batch;
        await new Promise((r) => setTimeout(r, 0));
      }
    },
    /**
     * A Manager under fuzzed input (e2e/faults-fuzz.spec.ts): records how
     * each connection ends ("connect_error" for a failed attempt), acks the
     * driver's "probe" events, and keeps any other event it receives (none
     * should arrive).
     */
    fuzzLane(key, url, opts) {
      const manager = new lib.Manager(url, opts);
      const socket = manager.socket("/");
      const lane = { outcomes: [], probes: [], unexpected: [], reconnects: 0, closing: false, socket, manager };
      fuzzLanes.set(key, lane);
      socket.on("disconnect", (reason) => lane.closing || lane.outcomes.push(reason));
      socket.on("connect_error", () => lane.closing || lane.outcomes.push("connect_error"));
      socket.on("probe", (index, ack) => {
        lane.probes.push(index);
        if (typeof ack === "function") ack(index);
      });
      socket.onAny((event, ...args) => {
        if (event !== "probe") lane.unexpected.push(JSON.stringify([event, ...args]).slice(0, 200));
      });
      manager.on("reconnect", () => lane.reconnects++);
      socket.connect();
    },
    fuzzReport(key) {
      const lane = fuzzLanes.get(key);
      return {
        outcomes: lane.outcomes.slice(),
        probes: lane.probes.slice(),
        unexpected: lane.unexpected.slice(),
        reconnects: lane.reconnects,
        connected: lane.socket.connected,
      };
    },
    fuzzStop(key) {
      const lane = fuzzLanes.get(key);
      lane.closing = true;
      lane.manager.reconnection(false);
      lane.socket.disconnect();
    },
    /** disconnect() of socket `key`. */
    leave(key) {
      socketOf(key).disconnect();
    },
    /** disconnect() then connect() of socket `key`, in one task. */
    bounce(key) {
      const socket = socketOf(key);
      socket.disconnect();
      socket.connect();
    },
    /** Blocks this tab's main thread for `ms`. */
    block(ms) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // busy: nothing else runs in this tab meanwhile
      }
    },
    errors() {
      return errors.slice();
    },
    diagnostics() {
      return lib.diagnostics();
    },
  };
  document.title = "faults ready";
}

function describeError(err) {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A disconnect's details as plain data (a description may be an Error or a close event). */
function describeDetails(details) {
  if (details === undefined) return undefined;
  if (details instanceof Error) return details.message;
  if (typeof details === "object" && details !== null) {
    const description = details.description;
    return description instanceof Error ? description.message : String(description ?? details.message ?? "");
  }
  return String(details);
}
