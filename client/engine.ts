/**
 * `manager.engine` in a tab: the state of the hub's Engine.IO connection
 * (`id`, `readyState`, `transport.name`) and its events, forwarded only while
 * this tab listens to them.
 */
import type { EngineStateData } from "../worker/protocol";
import { revive } from "./revive";
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

  constructor(private readonly onSubscribe: (event: string, on: boolean) => void) {
    super();
  }

  /** @internal */
  _apply(state: EngineStateData): void {
    this.id = state.id;
    this.readyState = state.readyState;
    this.transport.name = state.transport;
  }

  /** @internal */
  _emit(ev: string, args: unknown[]): void {
    (this.emitReserved as (ev: string, ...a: unknown[]) => this)(ev, ...args.map(revive));
  }

  /** @internal The events this mirror is subscribed to (replayed on re-attach). */
  _subscriptions(): string[] {
    return [...this.subscribed];
  }

  protected override listenersChanged(ev?: string): void {
    for (const name of ev === undefined ? [...this.subscribed] : [ev]) {
      const on = this.resync(name);
      if (on !== undefined) this.onSubscribe(name, on);
    }
  }
}
