/**
 * What a conformance scenario observes, as comparable text: one line per
 * event, with the socket's state at that moment. Ids (socket ids, session
 * ids) are replaced by `#1`, `#2`... in order of first sight, so two runs
 * compare equal when the same id shows up in the same places.
 */
import type { Server, Socket as ServerSocket } from "socket.io";
import type { Manager, Socket } from "../../src/index";

type Listener = (...args: unknown[]) => void;
interface Listenable {
  on(event: string, fn: Listener): unknown;
}

export class Recorder {
  /** What the client saw, in order. */
  readonly client: string[] = [];
  /** What the server saw, in order (kept apart: its order against the client's is a race). */
  readonly server: string[] = [];
  private readonly ids = new Map<string, string>();
  private readonly waiters = new Set<() => void>();

  /** A stable token for an id: the same id gets the same token within one run. */
  id(value: unknown): string {
    if (typeof value !== "string") return String(value);
    let token = this.ids.get(value);
    if (!token) {
      token = `#${this.ids.size + 1}`;
      this.ids.set(value, token);
    }
    return token;
  }

  /** Adds a line to the client's log. */
  log(line: string): void {
    this.client.push(line);
    this.wake();
  }

  /** Adds a line to the server's log. */
  serverLog(line: string): void {
    this.server.push(line);
    this.wake();
  }

  /** The user-visible state of a socket: connected, active, id, recovered. */
  state(socket: Socket): string {
    const flags = [socket.connected ? "connected" : "disconnected", socket.active ? "active" : "inactive"];
    if (socket.connected !== !socket.disconnected) flags.push("connected!=!disconnected");
    if (socket.id !== undefined) flags.push(`id=${this.id(socket.id)}`);
    if (socket.recovered) flags.push("recovered");
    return flags.join(",");
  }

  /** Logs a socket's reserved events with its state at each. */
  watchSocket(socket: Socket, label = socket.nsp): Socket {
    const target = socket as unknown as Listenable;
    for (const event of ["connect", "connect_error", "disconnect"]) {
      target.on(event, (...args: unknown[]) => this.log(`${label} ${event}${showArgs(args)} [${this.state(socket)}]`));
    }
    return socket;
  }

  /** Logs a socket's reserved events and its Manager's events. */
  watchSocketAndManager(socket: Socket): Socket {
    this.watchSocket(socket);
    this.watchManager(socket.io);
    return socket;
  }

  /** Logs a Manager's events (`ping` only when asked: its timing is the server's). */
  watchManager(manager: Manager, label = "manager", events = MANAGER_EVENTS): Manager {
    const target = manager as unknown as Listenable;
    for (const event of events) target.on(event, (...args: unknown[]) => this.log(`${label} ${event}${showArgs(args)}`));
    return manager;
  }

  /** Logs, on the server, connections (with auth), events (answered with `ack` when given) and disconnections. */
  watchServer(io: Server, nsps: string[] = ["/"], ack?: (event: string, args: unknown[]) => unknown): void {
    for (const name of nsps) {
      io.of(name).on("connection", (socket: ServerSocket) => {
        this.serverLog(`${name} connection ${this.id(socket.id)} auth=${this.showAuth(socket.handshake.auth)}${socket.recovered ? " recovered" : ""}`);
        socket.onAny((event: string, ...args: unknown[]) => {
          const last = args[args.length - 1];
          const callback = typeof last === "function" ? (args.pop() as Listener) : undefined;
          this.serverLog(`${name} got ${event}${showArgs(args)}${callback ? " +ack" : ""}`);
          if (callback && ack) callback(ack(event, args));
        });
        socket.on("disconnect", (reason: string) => this.serverLog(`${name} disconnect ${this.id(socket.id)} ${reason}`));
      });
    }
  }

  /** The CONNECT payload, with the recovery session's pid as a token and its offset hidden. */
  private showAuth(auth: Record<string, unknown>): string {
    if (typeof auth.pid !== "string") return show(auth);
    return show({ ...auth, pid: this.id(auth.pid), offset: typeof auth.offset });
  }

  /** Resolves once `predicate` holds over the client log (checked on every new line). */
  until(predicate: string | RegExp | ((log: string[]) => boolean), timeoutMs = 8_000): Promise<void> {
    return this.waitOn(this.client, predicate, timeoutMs);
  }

  /** Resolves once `predicate` holds over the server log. */
  untilServer(predicate: string | RegExp | ((log: string[]) => boolean), timeoutMs = 8_000): Promise<void> {
    return this.waitOn(this.server, predicate, timeoutMs);
  }

  /** How many client lines start with `prefix`. */
  count(prefix: string): number {
    return this.client.filter((line) => line.startsWith(prefix)).length;
  }

  private waitOn(log: string[], predicate: string | RegExp | ((log: string[]) => boolean), timeoutMs: number): Promise<void> {
    const test =
      typeof predicate === "function"
        ? () => predicate(log)
        : () => log.some((line) => (typeof predicate === "string" ? line.includes(predicate) : predicate.test(line)));
    return new Promise<void>((resolve, reject) => {
      if (test()) return resolve();
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${String(predicate)}\nclient:\n  ${this.client.join("\n  ")}\nserver:\n  ${this.server.join("\n  ")}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

export const MANAGER_EVENTS = ["open", "error", "close", "reconnect_attempt", "reconnect_error", "reconnect", "reconnect_failed"];

/** ` arg1 arg2`, each shown by {@link show}; nothing for no arguments. */
export function showArgs(args: unknown[]): string {
  return args.length === 0 ? "" : ` ${args.map(show).join(" ")}`;
}

/**
 * A value as text: errors by class-independent fields (message, data, type,
 * description's text), binary by its bytes, the rest as JSON.
 */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "fn";
  if (value instanceof Error) {
    const extra = value as Error & { data?: unknown; type?: unknown; description?: unknown };
    const parts = [`Error(${JSON.stringify(value.message)}`];
    if (extra.data !== undefined) parts.push(`data=${show(extra.data)}`);
    if (typeof extra.type === "string") parts.push(`type=${extra.type}`);
    return `${parts.join(" ")})`;
  }
  if (value instanceof ArrayBuffer) return `bytes[${[...new Uint8Array(value)].join(",")}]`;
  if (ArrayBuffer.isView(value)) return `bytes[${[...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)].join(",")}]`;
  if (typeof value === "object" && value !== null && "description" in value) {
    // A close description: `{ description, context }` (context is an event or a request: not comparable).
    const description = (value as { description: unknown }).description;
    return `{description:${show(description)}}`;
  }
  return JSON.stringify(value) ?? String(value);
}
