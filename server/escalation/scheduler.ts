// Invariant 4: the timers live in the store; this is only a cache of "what is due next". One min-heap, one armed
// setTimeout for the earliest entry, rebuilt from the store at start. Firing claims the row by compare-and-set inside
// a write transaction, so whoever fires second (another hub, a stale heap entry, a retry) changes nothing.
// Entries are never removed when a timer is cancelled or replaced: the claim finds it no longer pending and stops.
import { Histogram, type Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/open-store';
import type { TimerRow } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';
import { prepareQuery } from '../store/prepared-query';
import { DeadlineHeap } from './min-heap';

/** Runs in the claiming transaction, after the claim: whatever the timer means (alert event, next step, …). */
export type FireTimer = (unit: WriteUnit, timer: TimerRow) => Promise<void>;

/**
 * The compare-and-set claim, one statement per id on purpose: with `id in (…) and state = 'pending'` SQLite's
 * planner, lacking statistics, walked the (state, due_at) index over every pending timer — 150 ms a chunk at 300,000
 * timers. Compiled once (server/store/prepared-query.ts): it runs for every timer that fires.
 */
const claimTimer = prepareQuery((db, p: { id: string; now: number }) =>
  db.updateTable('timers').set({ state: 'fired', fired_at: p.now }).where('id', '=', p.id).where('state', '=', 'pending').returningAll(),
);

/** Most timers claimed and fired in one transaction. */
const CLAIM_CHUNK = 200;

/** setTimeout cannot wait longer than this (about 24.8 days); a later deadline re-arms on waking. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  fire: FireTimer;
  log: Logger;
  registry?: Registry;
  /**
   * Arm a real timer for the next deadline. Tests that drive a ManualClock may leave it on: a timer due "now" then
   * fires by itself, exactly as in production; later ones wait for `advanceTo`.
   * @default true
   */
  arm?: boolean;
  /**
   * How often to look in the store for pending timers that are overdue and that no heap fired: timers another hub
   * scheduled before it stopped (several hubs on one PostgreSQL store), so that its ladders carry on here.
   * 0 turns it off. @default 5000
   */
  rescanIntervalMs?: number;
  /** How overdue a pending timer must be before a rescan takes it over. @default 15000 */
  rescanGraceMs?: number;
}

export class DeadlineScheduler {
  private readonly heap = new DeadlineHeap();
  private timer: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private stopped = true;
  /** The batch of firings being committed; at most one at a time (see `drain`). */
  private draining: Promise<void> | undefined;
  /**
   * The one drain that runs after the current one, for everyone who asked while it ran: what they wait for may have
   * come due after its last look at the heap. A chain per caller, as before, put every waiting caller back in line after
   * each drain and let one go: k callers cost k drains and about k²/2 promises. bench/timers/step-cost, whose walk asks
   * once a step while the armed timer asks too, spent a quarter of its time collecting them.
   */
  private followUp: Promise<void> | undefined;
  private readonly runFollowUp = (): Promise<void> => {
    this.followUp = undefined;
    return this.advanceTo();
  };
  readonly lateness: Histogram;
  private readonly lastFire: { claimed: number; skipped: number } = { claimed: 0, skipped: 0 };

  constructor(private readonly options: SchedulerOptions) {
    this.lateness = new Histogram({
      name: 'clarion_timer_lateness_seconds',
      help: 'How late a deadline or escalation step fired: commit time minus due time (injected clock)',
      // Finer around 10 ms, the target bench/timers holds a burst's p99 to (docs/escalation.md).
      buckets: [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.05, 0.1, 0.5, 1, 5, 60],
      registers: options.registry === undefined ? [] : [options.registry],
    });
  }

  get size(): number {
    return this.heap.size;
  }

  /** Claimed and skipped (already fired or cancelled elsewhere) counts since start, for tests and diagnostics. */
  get counts(): { claimed: number; skipped: number } {
    return { ...this.lastFire };
  }

  /** Loads every pending timer from the store. Due ones fire as soon as the armed timer runs (or `advanceTo`). */
  async start(): Promise<void> {
    const { store } = this.options;
    const ids: string[] = [];
    const dues: number[] = [];
    // Straight into the heap's two columns, with no object per timer (open-store.ts, scanRows).
    await store.scanRows(store.db.selectFrom('timers').select(['id', 'due_at']).where('state', '=', 'pending').compile(), ([id, due]) => {
      if (typeof id !== 'string' || !Number.isSafeInteger(Number(due))) throw new Error(`[escalation] a pending timer row is not (id, due_at): ${JSON.stringify([id, due])}`);
      ids.push(id);
      dues.push(Number(due));
    });
    this.heap.fill(ids, dues);
    this.stopped = false;
    this.arm();
    const interval = this.options.rescanIntervalMs ?? 5_000;
    if (interval > 0 && this.rescanTimer === undefined) {
      this.rescanTimer = setInterval(() => void this.rescan().catch((error: unknown) => this.options.log.error({ err: error }, '[escalation] rescan failed')), interval);
      this.rescanTimer.unref();
    }
  }

  /**
   * Takes over pending timers that are overdue by more than the grace period. A hub fires its own timers on time, so
   * such a timer is one this heap never held — another hub's, which stopped — and without this its ladder would stall
   * until a restart. A timer both hubs fire is claimed once (compare-and-set), so an overlap costs one skipped claim.
   */
  async rescan(): Promise<number> {
    if (this.stopped || this.draining !== undefined) return 0;
    const { store, clock, log } = this.options;
    const cutoff = clock.now() - (this.options.rescanGraceMs ?? 15_000);
    const rows = await store.db.selectFrom('timers').select(['id', 'due_at']).where('state', '=', 'pending').where('due_at', '<=', cutoff).orderBy('due_at').limit(1_000).execute();
    if (rows.length === 0 || this.stopped) return 0;
    log.warn({ timers: rows.length }, '[escalation] taking over overdue timers no heap fired (another hub stopped?)');
    for (const row of rows) this.heap.push(row.id, row.due_at);
    await this.advanceTo();
    return rows.length;
  }

  /** Tells the cache about a timer row written in a transaction that may not have committed yet (harmless if it never does). */
  schedule(id: string, dueAt: number): void {
    this.heap.push(id, dueAt);
    if (!this.stopped && dueAt < this.armedFor) this.arm();
  }

  /**
   * Fires everything due at the clock's time and resolves when it is committed, including what those firings
   * schedule that is already due (a restart that missed several steps). Tests call this after moving a ManualClock.
   */
  advanceTo(): Promise<void> {
    if (this.draining !== undefined) return (this.followUp ??= this.draining.then(this.runFollowUp, this.runFollowUp));
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      this.arm();
    });
    return this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    if (this.rescanTimer !== undefined) clearInterval(this.rescanTimer);
    this.rescanTimer = undefined;
    await this.draining;
  }

  /**
   * One batch at a time, each taking everything due by the time the previous one committed. better-sqlite3 runs a
   * transaction to its commit without yielding, so firings handed over one by one would each get their own fsync;
   * handed over together, the write queue commits them in one (group commit).
   */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const now = this.options.clock.now();
      const due: string[] = [];
      while ((this.heap.peekDue() ?? Infinity) <= now) due.push(this.heap.pop()!.id);
      if (due.length === 0) return;
      const chunks: string[][] = [];
      for (let index = 0; index < due.length; index += CLAIM_CHUNK) chunks.push(due.slice(index, index + CLAIM_CHUNK));
      await Promise.all(chunks.map((chunk) => (chunk.length === 1 ? this.fireOne(chunk[0]!) : this.fireChunk(chunk))));
    }
  }

  /**
   * Claims a chunk of due timers and fires them in one transaction (no savepoint per timer). If any
   * of them fails, the whole chunk rolls back — claims included — and each is fired on its own, so one bad timer
   * cannot hold the others back.
   */
  private async fireChunk(ids: string[]): Promise<void> {
    const { store, clock, fire, log } = this.options;
    let claimed: TimerRow[];
    try {
      claimed = await store.writes.run(async (unit) => {
        const rows: TimerRow[] = [];
        for (const id of ids) {
          const row = await claimTimer.first(unit, { id, now: unit.now });
          if (row === undefined) continue;
          await fire(unit, row);
          rows.push(row);
        }
        return rows;
      });
    } catch (error) {
      log.warn({ err: error, timers: ids.length }, '[escalation] a batch of timers failed; firing them one by one');
      await Promise.all(ids.map((id) => this.fireOne(id)));
      return;
    }
    this.lastFire.claimed += claimed.length;
    this.lastFire.skipped += ids.length - claimed.length;
    const now = clock.now();
    for (const row of claimed) this.lateness.observe(Math.max(0, now - row.due_at) / 1000);
  }

  private async fireOne(id: string): Promise<void> {
    const { store, clock, fire, log } = this.options;
    try {
      const claimed = await store.writes.run(async (unit) => {
        const row = await claimTimer.first(unit, { id, now: unit.now });
        if (row === undefined) return undefined;
        await fire(unit, row);
        return row;
      });
      if (claimed === undefined) {
        this.lastFire.skipped += 1;
        return;
      }
      this.lastFire.claimed += 1;
      this.lateness.observe(Math.max(0, clock.now() - claimed.due_at) / 1000);
    } catch (error) {
      // Not lost: the row is still pending, and the next start (or a retry a little later) fires it.
      log.error({ err: error, timerId: id }, '[escalation] timer failed to fire; retrying in 5 s');
      if (!this.stopped) this.heap.push(id, clock.now() + 5_000);
    }
  }

  private arm(): void {
    if (this.stopped || this.options.arm === false) return;
    const next = this.heap.peekDue();
    if (next === undefined) return this.disarm();
    if (this.timer !== undefined && next >= this.armedFor) return;
    this.disarm();
    this.armedFor = next;
    const delay = Math.min(Math.max(0, next - this.options.clock.now()), MAX_TIMEOUT_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedFor = Infinity;
      void this.advanceTo();
    }, delay);
    // The hub's sockets keep the process alive; a pending deadline alone should not.
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }
}
