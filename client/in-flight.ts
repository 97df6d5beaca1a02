/**
 * The op batches a tab posted to the hub that may still need sending: batches
 * the hub has not said it applied (lost if the hub dies), and batches a hub
 * will never apply because it let go of the tab first. Only their emits are
 * sent again: everything else is recreated by the objects' replay on the
 * next attachment. Batches are kept encoded, as posted (worker/wire.ts):
 * decoding gives back the very objects of the ops that travelled whole.
 */
import type { TabOp } from "../worker/protocol";
import { decodeOps } from "../worker/wire";

export class InFlight {
  /** Batches not known to be applied, by number (ascending: numbers only grow). */
  private readonly pending = new Map<number, unknown[]>();
  private refused: unknown[][] = [];

  add(seq: number, batch: unknown[]): void {
    this.pending.set(seq, batch);
  }

  /** The hub applied every batch up to `upTo` (the news is cumulative). */
  applied(upTo: number): void {
    for (const seq of this.pending.keys()) {
      if (seq > upTo) break;
      this.pending.delete(seq);
    }
  }

  /** A batch that could not be posted at all. */
  drop(seq: number): void {
    this.pending.delete(seq);
  }

  /**
   * The hub let go of this tab: it applied nothing after the news that came
   * with its notice, so what is still pending waits for the next attachment.
   */
  refuseRest(): void {
    for (const batch of this.pending.values()) this.refused.push(batch);
    this.pending.clear();
  }

  /** Emits of batches still pending (the hub may have applied them). */
  unanswered(): TabOp[] {
    return [...this.pending.values()].flatMap(decodeOps).filter((op) => op.op === "emit");
  }

  /**
   * At a re-attach, the ops to send again, in order: refused batches, and,
   * when the hub died, the batches it never said it applied.
   */
  takeUnsent(hubDied: boolean): TabOp[] {
    const out = this.refused.flatMap(decodeOps);
    this.refused = [];
    if (hubDied) {
      for (const batch of this.pending.values()) out.push(...decodeOps(batch));
      this.pending.clear();
    }
    return out;
  }
}
