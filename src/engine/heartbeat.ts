/**
 * The client side of the Engine.IO heartbeat: the server pings every
 * `pingInterval` ms and allows `pingTimeout` ms for the answer, so a client
 * that heard nothing for `pingInterval + pingTimeout` ms knows the link is dead.
 *
 * The deadline is kept as wall-clock time, because timers lie: a throttled
 * tab or a machine waking from sleep fires them late, or not at all until
 * asked. Whether the deadline passed is a question of `Date.now()`, not of
 * whether the timer ran.
 */
import type { EngineTimers, TimerHandle } from "./env";

export class Heartbeat {
  private deadline = Infinity;
  private windowMs = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly timers: EngineTimers,
    private readonly onExpired: () => void,
  ) {}

  /** Starts (or restarts) watching with the handshake's values. */
  start(pingInterval: number, pingTimeout: number): void {
    this.windowMs = pingInterval + pingTimeout;
    this.alive();
    this.arm(this.windowMs);
  }

  /** The server was heard from: push the deadline back. Cheap, no timer churn. */
  alive(): void {
    if (this.windowMs > 0) this.deadline = Date.now() + this.windowMs;
  }

  /** True when the deadline has passed (always false before `start`). */
  expired(): boolean {
    return Date.now() > this.deadline;
  }

  stop(): void {
    this.deadline = Infinity;
    this.windowMs = 0;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => this.check(), ms);
  }

  /** The timer fired: either the deadline moved (re-arm for the rest) or it passed. */
  private check(): void {
    this.timer = undefined;
    if (this.windowMs === 0) return;
    const remaining = this.deadline - Date.now();
    if (remaining > 0) this.arm(remaining);
    else this.onExpired();
  }
}
