/**
 * The engine's outgoing queue: packets wait here while the engine is not
 * open, while a transport is busy, and during an upgrade. The head batch
 * stays queued until the transport reports it written (`drain`), so nothing
 * is lost if the connection closes in between (listeners of `close` can
 * still see it).
 */
import type { Packet } from "engine.io-parser";
import { fittingCount } from "./batch";

export class WriteBuffer {
  private packets: Packet[] = [];
  private callbacks: Array<(() => void) | undefined> = [];
  /** How many packets at the head the transport is writing. */
  private inFlight = 0;

  get length(): number {
    return this.packets.length;
  }

  /** True while a batch is being written. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  push(packet: Packet, onFlush?: () => void): void {
    this.packets.push(packet);
    this.callbacks.push(onFlush);
  }

  /**
   * Marks the head batch as being written and returns it with its write
   * callbacks. `maxPayload` (0: no limit) bounds the batch's polling payload.
   */
  take(maxPayload: number): { packets: Packet[]; callbacks: Array<() => void> } {
    const count = fittingCount(this.packets, maxPayload);
    this.inFlight = count;
    const callbacks = this.callbacks.slice(0, count).filter((cb): cb is () => void => cb !== undefined);
    return { packets: this.packets.slice(0, count), callbacks };
  }

  /** The batch in flight was written: drops it. Returns how many packets still wait. */
  settle(): number {
    this.packets.splice(0, this.inFlight);
    this.callbacks.splice(0, this.inFlight);
    this.inFlight = 0;
    return this.packets.length;
  }

  clear(): void {
    this.packets = [];
    this.callbacks = [];
    this.inFlight = 0;
  }
}
