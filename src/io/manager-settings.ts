import { Emitter } from "@socket.io/component-emitter";
import type { ManagerOptions } from "../options";
import type { ManagerReservedEvents } from "./manager-types";

/**
 * The reconnection settings of a Manager, with socket.io-client's accessors:
 * each is a getter without argument and a chainable setter with one. Kept
 * apart from the connection logic in manager.ts, which reads them.
 */
export abstract class ManagerSettings extends Emitter<{}, {}, ManagerReservedEvents> {
  protected _reconnection = true;
  protected _reconnectionAttempts = Infinity;
  protected _reconnectionDelay = 1000;
  protected _reconnectionDelayMax = 5000;
  protected _randomizationFactor = 0.5;
  protected _timeout: number | false = 20_000;

  /** Applies the options' values (socket.io-client's defaults where absent). */
  protected applySettings(opts: Partial<ManagerOptions>): void {
    this.reconnection(opts.reconnection !== false);
    this.reconnectionAttempts(opts.reconnectionAttempts || Infinity);
    this.reconnectionDelay(opts.reconnectionDelay || 1000);
    this.reconnectionDelayMax(opts.reconnectionDelayMax || 5000);
    this.randomizationFactor(opts.randomizationFactor ?? 0.5);
    this.timeout(opts.timeout == null ? 20_000 : opts.timeout);
  }

  /** `reconnection(false)` was called: a reconnection waiting for its delay stops. */
  protected abstract onReconnectionDisabled(): void;

  /** Whether to reconnect automatically. Getter without argument, setter (chainable) with one. */
  reconnection(): boolean;
  reconnection(v: boolean): this;
  reconnection(v?: boolean): this | boolean {
    if (v === undefined) return this._reconnection;
    this._reconnection = !!v;
    if (!v) this.onReconnectionDisabled();
    return this;
  }

  /** Attempts before `reconnect_failed`. */
  reconnectionAttempts(): number;
  reconnectionAttempts(v: number): this;
  reconnectionAttempts(v?: number): this | number {
    if (v === undefined) return this._reconnectionAttempts;
    this._reconnectionAttempts = v;
    return this;
  }

  /** Delay before the first reconnection attempt, in ms. */
  reconnectionDelay(): number;
  reconnectionDelay(v: number): this;
  reconnectionDelay(v?: number): this | number {
    if (v === undefined) return this._reconnectionDelay;
    this._reconnectionDelay = v;
    return this;
  }

  /** Jitter of the reconnection delay, 0 <= f <= 1. */
  randomizationFactor(): number;
  randomizationFactor(v: number): this;
  randomizationFactor(v?: number): this | number {
    if (v === undefined) return this._randomizationFactor;
    this._randomizationFactor = v;
    return this;
  }

  /** Upper bound of the reconnection delay, in ms. */
  reconnectionDelayMax(): number;
  reconnectionDelayMax(v: number): this;
  reconnectionDelayMax(v?: number): this | number {
    if (v === undefined) return this._reconnectionDelayMax;
    this._reconnectionDelayMax = v;
    return this;
  }

  /** Connection timeout in ms (`false`: none). */
  timeout(): number | false;
  timeout(v: number | false): this;
  timeout(v?: number | false): this | number | false {
    if (v === undefined) return this._timeout;
    this._timeout = v;
    return this;
  }
}
