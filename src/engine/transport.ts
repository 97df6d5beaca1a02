/**
 * The transport template: the base owns the state and the events, a
 * subclass (polling, websocket) only opens, closes and writes.
 *
 * A transport never throws out of its callbacks: every failure becomes an
 * `error` event, and once closed it ignores whatever its I/O still reports.
 */
import { Emitter } from "@socket.io/component-emitter";
import { decodePacket, type BinaryType, type Packet, type RawData } from "engine.io-parser";
import type { DisconnectDescription } from "../reasons";
import type { EngineTimers } from "./env";
import { TransportError } from "./errors";
import type { TransportView } from "./types";
import type { QueryParams, ServerAddress } from "./uri";

export type TransportState = "idle" | "opening" | "open" | "pausing" | "paused" | "closed";

/** The options a transport reads. */
export interface TransportOptions {
  timestampRequests?: boolean;
  timestampParam: string;
  withCredentials: boolean;
  extraHeaders?: Record<string, string>;
  forceBase64: boolean;
  protocols?: string | string[];
  /** ms before a polling request is given up (XHR's `timeout`); 0 or absent: none. */
  requestTimeout?: number;
}

/** Everything a transport is built from. */
export interface TransportContext {
  address: ServerAddress;
  /** User query plus EIO, transport and (once known) sid. */
  query: QueryParams;
  options: TransportOptions;
  timers: EngineTimers;
  /** How binary messages are handed over, read at each message (users may change it). */
  binaryType(): BinaryType;
}

export interface TransportEvents {
  open: () => void;
  packet: (packet: Packet) => void;
  drain: () => void;
  error: (err: TransportError) => void;
  close: (details?: DisconnectDescription) => void;
}

export abstract class Transport
  extends Emitter<Record<never, never>, Record<never, never>, TransportEvents>
  implements TransportView
{
  abstract readonly name: string;
  readyState: TransportState = "idle";
  /** True when a batch can be handed to `send`. */
  writable = false;
  readonly query: QueryParams;
  protected readonly supportsBinary: boolean;

  constructor(protected readonly ctx: TransportContext) {
    super();
    this.query = { ...ctx.query };
    this.supportsBinary = !ctx.options.forceBase64;
  }

  /** Starts connecting. Failures, even synchronous ones, arrive as `error` events. */
  open(): this {
    this.readyState = "opening";
    try {
      this.doOpen();
    } catch (err) {
      this.ctx.timers.setTimeout(() => this.onError("transport open error", err), 0);
    }
    return this;
  }

  /** Closes the transport, telling the server when the protocol allows it. */
  close(): this {
    if (this.isLive()) {
      this.doClose();
      this.onClose();
    }
    return this;
  }

  /** Drops the transport without a word to the server (it was replaced by an upgrade). */
  discard(): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.writable = false;
    this.doDiscard();
  }

  /** Hands a batch of packets to the wire; `drain` follows when it has left. */
  send(packets: Packet[]): void {
    if (this.readyState === "open") this.write(packets);
  }

  /** Stops receiving and writing, then calls `onPause` (used during an upgrade). */
  pause(onPause: () => void): void {
    this.readyState = "paused";
    onPause();
  }

  /** Undoes `pause` when the upgrade it was for failed. */
  resume(): void {
    if (this.readyState === "pausing" || this.readyState === "paused") this.readyState = "open";
  }

  /** Records the session id once the handshake names it. */
  setSid(sid: string): void {
    this.query.sid = sid;
  }

  protected isLive(): boolean {
    return this.readyState !== "idle" && this.readyState !== "closed";
  }

  protected abstract doOpen(): void;
  protected abstract doClose(): void;
  /** Releases the I/O of a discarded transport; no events follow. */
  protected abstract doDiscard(): void;
  protected abstract write(packets: Packet[]): void;

  protected onOpen(): void {
    if (this.readyState !== "opening") return;
    this.readyState = "open";
    this.writable = true;
    this.emitReserved("open");
  }

  /** One frame from the wire: decoded, then handled as a packet. */
  protected onData(data: RawData): void {
    let packet: Packet;
    try {
      packet = decodePacket(data, this.ctx.binaryType());
    } catch {
      // The parser reports bad frames as an error packet; keep that contract.
      packet = { type: "error", data: "parser error" };
    }
    this.onPacket(packet);
  }

  protected onPacket(packet: Packet): void {
    if (this.readyState === "closed") return;
    this.emitReserved("packet", packet);
  }

  protected onError(reason: string, description: unknown, context?: unknown): void {
    if (this.readyState === "closed") return;
    this.emitReserved("error", new TransportError(reason, description, context));
  }

  protected onClose(details?: DisconnectDescription): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.writable = false;
    this.emitReserved("close", details);
  }
}

/** The packets of a batch with any Blob read into an ArrayBuffer (needed for base64). */
export function readBlobs(packets: Packet[]): Packet[] | Promise<Packet[]> {
  const hasBlob = packets.some((p) => isBlob(p.data));
  if (!hasBlob) return packets;
  return Promise.all(
    packets.map(async (p) => (isBlob(p.data) ? { ...p, data: await p.data.arrayBuffer() } : p)),
  );
}

export function isBlob(data: unknown): data is Blob {
  return typeof Blob !== "undefined" && data instanceof Blob;
}
