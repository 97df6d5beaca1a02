// What the e2e pages put on `window` for the specs' page.evaluate() callbacks.
type SharedEntry = typeof import("../client/index");
type TabSocket = ReturnType<SharedEntry["io"]>;

/** e2e/pages/harness.js: sockets by key, and what each one received. */
interface Harness {
  sockets: Map<string, TabSocket>;
  /** io(url, opts) listening to `events`, kept as `key`; resolves with socket.id once connected. */
  connect(key: string, url: string, opts?: Record<string, unknown>, events?: string[]): Promise<string>;
  /** Records every `event` of socket `key` from now on. */
  listen(key: string, event: string): void;
  /** Answers every `event` of socket `key` that asks for an ack with `reply`. */
  answer(key: string, event: string, reply: unknown): void;
  /** The arguments of each recorded `event` of socket `key` (binary as { bytes }). */
  received(key: string, event: string): unknown[][];
  state(key: string): { id?: string; connected: boolean; disconnected: boolean; active: boolean; transport?: string };
}

declare global {
  interface Window {
    /** dist/core.js (pages/core.html). */
    core: typeof import("../src/index");
    /** The shared entry, from whichever build the page loads. */
    lib: SharedEntry;
    /** The classic script's global (pages/classic.html). */
    io: SharedEntry["io"];
    harness: Harness;
  }
}

export {};
