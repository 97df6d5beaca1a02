/** A catch-all listener: receives the event name, then the event's arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyListener = (...args: any[]) => void;

/**
 * The list behind one `onAny`/`prependAny`/`offAny`/`listenersAny` family.
 * Calls run on a snapshot, so a listener that removes itself does not make
 * the next one skip.
 */
export class AnyListeners {
  private list: AnyListener[] = [];

  add(fn: AnyListener): void {
    this.list.push(fn);
  }

  prepend(fn: AnyListener): void {
    this.list.unshift(fn);
  }

  /** Removes the first occurrence of `fn`, or every listener without `fn`. */
  remove(fn?: AnyListener): void {
    if (!fn) {
      this.list = [];
      return;
    }
    const index = this.list.indexOf(fn);
    if (index !== -1) this.list.splice(index, 1);
  }

  /** The listeners, in call order (a copy). */
  snapshot(): AnyListener[] {
    return this.list.slice();
  }

  get size(): number {
    return this.list.length;
  }

  call(thisArg: unknown, args: readonly unknown[]): void {
    if (this.list.length === 0) return;
    for (const fn of this.list.slice()) fn.apply(thisArg, args as unknown[]);
  }
}
