// Slows password guessing: after a few failures for one username (or from one address) further attempts are refused
// for a while, doubling each time. Kept in memory: a hub restart forgives, which is acceptable for a desk login.
import type { Clock } from '../clock';

export interface ThrottleOptions {
  /** Failures allowed before the lock starts. @default 5 */
  freeAttempts?: number;
  /** First lock length; doubles with every further failure. @default 30_000 */
  baseLockMs?: number;
  /** Longest lock. @default 15 minutes */
  maxLockMs?: number;
  /** Failures older than this are forgotten. @default 15 minutes */
  windowMs?: number;
}

interface Record {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly records = new Map<string, Record>();
  private readonly freeAttempts: number;
  private readonly baseLockMs: number;
  private readonly maxLockMs: number;
  private readonly windowMs: number;

  constructor(private readonly clock: Clock, options: ThrottleOptions = {}) {
    this.freeAttempts = options.freeAttempts ?? 5;
    this.baseLockMs = options.baseLockMs ?? 30_000;
    this.maxLockMs = options.maxLockMs ?? 15 * 60_000;
    this.windowMs = options.windowMs ?? 15 * 60_000;
  }

  /** Milliseconds to wait before any of these keys may try again; 0 when free. */
  retryAfter(keys: readonly string[]): number {
    const now = this.clock.now();
    return Math.max(0, ...keys.map((key) => (this.current(key, now)?.lockedUntil ?? 0) - now));
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.clock.now();
    for (const key of keys) {
      const record = this.current(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
      record.failures += 1;
      record.lastFailureAt = now;
      const excess = record.failures - this.freeAttempts;
      if (excess >= 0) record.lockedUntil = now + Math.min(this.maxLockMs, this.baseLockMs * 2 ** excess);
      this.records.set(key, record);
    }
    if (this.records.size > 10_000) this.prune(now);
  }

  recordSuccess(keys: readonly string[]): void {
    for (const key of keys) this.records.delete(key);
  }

  private current(key: string, now: number): Record | undefined {
    const record = this.records.get(key);
    if (record !== undefined && now - record.lastFailureAt > this.windowMs && now >= record.lockedUntil) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  private prune(now: number): void {
    for (const key of [...this.records.keys()]) this.current(key, now);
  }
}
