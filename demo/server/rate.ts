/** Counts events and tells how many arrived over the last second. */
export class RateMeter {
  private total = 0;
  /** (time, total) samples, oldest first, spanning at most the window. */
  private readonly samples: Array<[number, number]> = [];

  constructor(
    private readonly windowMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  add(count = 1): void {
    this.total += count;
  }

  get count(): number {
    return this.total;
  }

  /** Events per second over the last window (call it regularly: each call is a sample). */
  perSecond(): number {
    const now = this.now();
    this.samples.push([now, this.total]);
    while (this.samples.length > 1 && now - (this.samples[1]?.[0] ?? now) >= this.windowMs) this.samples.shift();
    const [since, before] = this.samples[0] ?? [now, this.total];
    const elapsed = now - since;
    if (elapsed <= 0) return 0;
    return Math.round(((this.total - before) * 1000) / elapsed);
  }
}
