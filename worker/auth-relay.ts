/**
 * A shared socket's `auth` function, which only a tab can run: the core asks
 * for credentials on every (re)connection; the hub asks one attached tab at a
 * time (the next one if that tab lets go first, never a dead one) and hands
 * the core the answer to its latest request.
 */
import type { SocketSub } from "./tab";

export type AuthCallback = (data: Record<string, unknown>) => void;

export class AuthRelay {
  private pending: { req: number; cb: AuthCallback; asked?: SocketSub } | undefined;

  constructor(
    private readonly nextId: () => number,
    private readonly subs: ReadonlySet<SocketSub>,
  ) {}

  /** The core asks for credentials. */
  ask(cb: AuthCallback): void {
    this.pending = { req: this.nextId(), cb };
    this.askNext();
  }

  /** A tab now wants the socket: ask it if the request waits for one. */
  tabJoined(): void {
    if (this.pending && !this.pending.asked) this.askNext();
  }

  /** `sub` let go of the socket: if it was asked, ask the next tab. */
  tabLeft(sub: SocketSub): void {
    if (this.pending?.asked !== sub) return;
    this.pending.asked = undefined;
    this.askNext();
  }

  /** A tab answered request `req`. */
  answer(req: number, data: Record<string, unknown> | undefined): void {
    const pending = this.pending;
    if (!pending || pending.req !== req) return;
    this.pending = undefined;
    pending.cb(data ?? {});
  }

  private askNext(): void {
    const pending = this.pending;
    if (!pending) return;
    for (const sub of this.subs) {
      if (!sub.wanted || !sub.live) continue;
      pending.asked = sub;
      sub.tab.send({ k: "auth", ref: sub.ref, req: pending.req });
      return;
    }
  }
}
