/**
 * `manager.engine` in a tab: the state of the hub's Engine.IO connection
 * (`id`, `readyState`, `transport.name`) and its events, forwarded only while
 * this tab listens to them. The hub's messages update it (client/inbound.ts).
 */
import { TrackedEmitter } from "./tracked-emitter";

/** Events of the engine mirror, as socket.io-client's engine emits them. */
export interface EngineMirrorEvents {
  upgrade: (transport: { name: string }) => void;
  packet: (packet: { type: string; data?: unknown }) => void;
  packetCreate: (packet: { type: string; data?: unknown }) => void;
  drain: () => void;
  close: (reason: string, description?: unknown) => void;
}

export class EngineMirror extends TrackedEmitter<{}, {}, EngineMirrorEvents> {
  /** Engine.IO session id while open. */
  id: string | undefined;
  /** `opening`, `open`, `closing` or `closed`. */
  readyState = "closed";
  /** The transport in use (`polling`, `websocket`). */
  readonly transport: { name: string | undefined } = { name: undefined };

  readonly #onSubscribe: (event: string, on: boolean) => void;

  constructor(onSubscribe: (event: string, on: boolean) => void) {
    super();
    this.#onSubscribe = onSubscribe;
  }

  protected subscribe(ev: string, on: boolean): void {
    this.#onSubscribe(ev, on);
  }
}
