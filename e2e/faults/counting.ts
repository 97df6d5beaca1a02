/**
 * Sums of sequence statistics over several streams (one per tab, or one per
 * tab's emits), for the figures of a scenario.
 */
import { sequenceStats, type SequenceStats } from "../../test/faults/sequence";

export { range, sequenceStats, type SequenceStats } from "../../test/faults/sequence";

/** The sum of each field over `all`. */
export function sumStats(all: SequenceStats[]): SequenceStats {
  const total: SequenceStats = { sent: 0, received: 0, lost: 0, duplicated: 0, reordered: 0 };
  for (const stats of all) {
    total.sent += stats.sent;
    total.received += stats.received;
    total.lost += stats.lost;
    total.duplicated += stats.duplicated;
    total.reordered += stats.reordered;
  }
  return total;
}

/** Statistics of several streams that each should carry 1..`sent`. */
export function streamsStats(sent: number, streams: number[][]): SequenceStats {
  return sumStats(streams.map((received) => sequenceStats(sent, received)));
}

/** The figures of a stream, prefixed (`up.lost`, ...) to tell two directions apart in one record. */
export function prefixed(prefix: string, stats: SequenceStats): Record<string, number> {
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [`${prefix}${k[0].toUpperCase()}${k.slice(1)}`, v]));
}

/** Each number's first arrival, in arrival order (what at-least-once delivery makes of a stream). */
export function firstArrivals(received: readonly number[]): number[] {
  const seen = new Set<number>();
  return received.filter((n) => !seen.has(n) && seen.add(n));
}

/**
 * `null` when `received` is exactly 1..`sent` in order, else a short account
 * of what differs (a diff of thousands of numbers helps nobody).
 */
export function exactlyOnceInOrder(sent: number, received: readonly number[]): string | null {
  const firstWrong = received.findIndex((n, i) => n !== i + 1);
  if (firstWrong < 0 && received.length === sent) return null;
  const stats = sequenceStats(sent, received);
  const at = firstWrong < 0 ? received.length : firstWrong;
  return `${JSON.stringify(stats)}; first difference at position ${at}: got ${JSON.stringify(received.slice(at, at + 5))}, expected ${at + 1}`;
}
