/**
 * Assertions shared by the fault specs: the promises of docs/reliability.md
 * stated once.
 */
import { expect } from "@playwright/test";
import { firstArrivals, range, sequenceStats } from "./counting";
import type { SettledAck } from "./page-types";

/**
 * Emits 1..`total` with `ackTimeout` + `retries`: at least once on the server
 * (duplicates are counted by the caller), first arrivals in order, and every
 * ack of every tab settled once with its answer.
 */
export function expectAckedEmitsAtLeastOnce(total: number, arrivals: number[][], acks: SettledAck[][]): void {
  for (const got of arrivals) {
    expect(sequenceStats(total, got).lost).toBe(0);
    expect(firstArrivals(got)).toEqual(range(1, total));
  }
  for (const tabAcks of acks) {
    expect(tabAcks.map(([n]) => n).sort((a, b) => a - b)).toEqual(range(1, total));
    for (const [n, err, reply] of tabAcks) expect({ n, err, reply }).toEqual({ n, err: null, reply: n });
  }
}
