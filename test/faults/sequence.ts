/**
 * Exact accounting of numbered streams: every message of a fault scenario
 * carries a sequence number, so loss, duplication and reordering are counted,
 * not guessed.
 */

export interface SequenceStats {
  /** How many distinct numbers were sent. */
  sent: number;
  /** How many messages arrived (duplicates included). */
  received: number;
  /** Sent numbers that never arrived. */
  lost: number;
  /** Arrivals beyond the first of the same number. */
  duplicated: number;
  /** Arrivals whose number is lower than the one before. */
  reordered: number;
}

/** Compares what arrived with what was sent (`sent`: a count meaning 1..n, or the numbers). */
export function sequenceStats(sent: number | readonly number[], received: readonly number[]): SequenceStats {
  const expected = typeof sent === "number" ? Array.from({ length: sent }, (_, i) => i + 1) : sent;
  const seen = new Map<number, number>();
  for (const n of received) seen.set(n, (seen.get(n) ?? 0) + 1);
  let duplicated = 0;
  for (const count of seen.values()) duplicated += count - 1;
  let reordered = 0;
  for (let i = 1; i < received.length; i++) if (received[i] < received[i - 1]) reordered++;
  return {
    sent: expected.length,
    received: received.length,
    lost: expected.filter((n) => !seen.has(n)).length,
    duplicated,
    reordered,
  };
}

/** The numbers from `from` to `to`, both included. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
