// How many failed logins are written to the audit chain. Each audited failure is a row in the hash chain and an item in
// the write queue, so whoever can reach /api/login could otherwise grow the chain and load the queue at will. The login
// throttle (login-throttle.ts) slows guessing per name and per address, but an address's count grows only after a
// failure (so staff behind one proxy can sign in together), and many names or many addresses each get their free
// tries: it does not bound how many failures reach this point. This budget is decided synchronously at the moment a
// failure is known, so it holds under any concurrency. The rest are counted on
// /metrics (`clarion_login_failures_total`, and `clarion_login_failures_unaudited_total` by the bound that stopped
// them). A successful login is always audited (`session.opened`), whatever this budget says.
import type { Clock } from '../clock';

export type LoginFailureReason = 'unknown_user' | 'wrong_password' | 'disabled';

export type AuditBound = 'username' | 'address' | 'hub';

export interface FailedLoginAuditLimits {
  /**
   * Audited failures per username (case-folded) per window. Above what the throttle lets one username try in a
   * window one attempt at a time (5, then one per lock of 30 s doubling: about 10 in 15 minutes), so a nurse
   * mistyping is always audited. The throttle now counts a name before its password is checked, so this bound is the
   * second line for a name, should the throttle be set looser. @default 20
   */
  perUsername?: number;
  /** Audited failures per source address per window; reasoned as for a username. @default 20 */
  perAddress?: number;
  /** Audited failures for the whole hub per window: many addresses and names together cannot flood it. @default 1000 */
  total?: number;
  /** The window, as long as the throttle's memory of failures. @default 15 minutes */
  windowMs?: number;
}

interface Window {
  startedAt: number;
  count: number;
}

export class FailedLoginAuditBudget {
  private readonly windows = new Map<string, Window>();
  private readonly perUsername: number;
  private readonly perAddress: number;
  private readonly total: number;
  private readonly windowMs: number;

  constructor(private readonly clock: Clock, limits: FailedLoginAuditLimits = {}) {
    this.perUsername = limits.perUsername ?? 20;
    this.perAddress = limits.perAddress ?? 20;
    this.total = limits.total ?? 1000;
    this.windowMs = limits.windowMs ?? 15 * 60_000;
  }

  /**
   * Takes one audited failure from every budget it falls under, or from none: `null` when it may be audited, else the
   * first bound that is spent. A refused failure uses nothing, so flooding one name does not spend another's.
   */
  take(username: string, address: string): AuditBound | null {
    const now = this.clock.now();
    const keyed: Array<[AuditBound, string, number]> = [
      ['hub', 'hub', this.total],
      ['username', `user:${username.toLowerCase()}`, this.perUsername],
      ['address', `address:${address}`, this.perAddress],
    ];
    for (const [bound, key, limit] of keyed) {
      if ((this.current(key, now)?.count ?? 0) >= limit) return bound;
    }
    for (const [, key] of keyed) {
      const window = this.current(key, now) ?? { startedAt: now, count: 0 };
      window.count += 1;
      this.windows.set(key, window);
    }
    // Only admitted failures create windows: two per failure, at most 2 × total failures in any window's span (the hub's
    // own window restarts within it), so live windows stay under 4 × total + 1 and older ones are dropped here.
    if (this.windows.size > 4 * this.total + 1) this.prune(now);
    return null;
  }

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window !== undefined && now - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private prune(now: number): void {
    for (const key of [...this.windows.keys()]) this.current(key, now);
  }
}
