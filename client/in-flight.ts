/**
 * The op batches a tab sent to the hub that may still need sending: batches
 * not answered yet (lost if the hub dies), and batches a hub refused because
 * the tab was not attached to it (it restarted behind the same port, or let
 * go of the tab). Only their emits are sent again: everything else is
 * recreated by the objects' replay on the next attachment.
 */
import type { TabOp } from "../worker/protocol";

export class InFlight {
  /** Unanswered batches, with the attachment they were sent under. */
  private readonly pending = new Map<TabOp[], number>();
  private refused: TabOp[][] = [];

  add(batch: TabOp[], attachment: number): void {
    this.pending.set(batch, attachment);
  }

  /**
   * The hub answered `batch`. Returns the emits to send now: those of a
   * batch refused by a hub this tab has attached to again since (`current`
   * false). A batch refused under the current attachment waits for the next one.
   */
  answered(batch: TabOp[], applied: boolean, current: boolean): TabOp[] {
    // Already taken by a re-attach after the hub died: sent again there.
    if (!this.pending.delete(batch) || applied) return [];
    if (current) {
      this.refused.push(batch);
      return [];
    }
    return batch.filter((op) => op.op === "emit");
  }

  /** Emits of batches still unanswered (their answer may yet come). */
  unanswered(): TabOp[] {
    return [...this.pending.keys()].flat().filter((op) => op.op === "emit");
  }

  /**
   * At a re-attach, the ops to send again, in order: refused batches, and,
   * when the hub died, the batches it never answered.
   */
  takeUnsent(hubDied: boolean): TabOp[] {
    const out = this.refused.flat();
    this.refused = [];
    if (hubDied) {
      for (const batch of this.pending.keys()) out.push(...batch);
      this.pending.clear();
    }
    return out;
  }
}
