/**
 * Reconnection delays as a pure function of the attempt number, so the whole
 * policy is visible (and testable) in one place instead of in a stateful timer.
 */

/** The knobs of the exponential backoff, with the Manager's option names. */
export interface BackoffPolicy {
  /** Delay of the first attempt, in ms (`reconnectionDelay`). */
  min: number;
  /** Upper bound of any delay, in ms (`reconnectionDelayMax`). */
  max: number;
  /** Jitter, 0 <= f <= 1 (`randomizationFactor`). Values outside are treated as 0. */
  jitter: number;
  /** Growth per attempt. Default 2, as in socket.io-client. */
  factor?: number;
}

/**
 * The delay before reconnection attempt `attempt` (1 for the first one):
 * `min * factor^(attempt-1)`, moved by up to `±jitter` of itself according to
 * `random` (a number in [0, 1): 0 gives the shortest delay, 0.5 the nominal
 * one), then capped at `max`. Always an integer >= 0.
 *
 * @example
 * backoffDelay(3, { min: 1000, max: 5000, jitter: 0 }, 0.5) // 4000
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  const factor = policy.factor ?? 2;
  const nominal = policy.min * Math.pow(factor, Math.max(0, attempt - 1));
  const jitter = policy.jitter > 0 && policy.jitter <= 1 ? policy.jitter : 0;
  // Spread uniformly over [nominal·(1-jitter), nominal·(1+jitter)].
  const spread = nominal * jitter * (2 * random - 1);
  const delay = Math.min(nominal + spread, policy.max);
  return Number.isFinite(delay) ? Math.max(0, Math.floor(delay)) : Math.max(0, Math.floor(policy.max));
}
