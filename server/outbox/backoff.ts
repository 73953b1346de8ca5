// When to try a failed send again: exponential back-off with jitter, so a carrier outage is not met by every hub
// retrying every row in the same instant when it comes back ("full jitter" over the upper half of the window).
export interface BackoffPolicy {
  /** Delay before the second attempt. @default 5_000 */
  baseMs: number;
  /** No wait is longer than this. @default 600_000 */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 600_000 };

/**
 * Delay after the `attempt`-th failed attempt (1-based). `random` is in [0, 1); the delay is between half and all of
 * base·2^(attempt−1), capped at maxMs.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
