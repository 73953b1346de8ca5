// Timers that should have fired and have not: the one sign that escalation has stalled (a hub down or stuck, a timer
// that fails every time it fires). Read from the store, so every hub reports the same truth, on /healthz and /metrics.
// A timer is overdue once it is OVERDUE_GRACE_MS late: well past the 5 s retry and the 15 s takeover of another hub's
// timers (scheduler.ts), so a busy second does not count.
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

export const OVERDUE_GRACE_MS = 60_000;

export interface OverdueTimers {
  count: number;
  /** How late the most overdue one is, in seconds; 0 when none is overdue. */
  oldestSeconds: number;
}

export async function readOverdueTimers(db: Kysely<Database>, now: number): Promise<OverdueTimers> {
  // Within the (state, due_at) index: only pending timers already past the grace are read.
  const row = await db
    .selectFrom('timers')
    .select([(eb) => eb.fn.countAll<number>().as('overdue'), (eb) => eb.fn.min<number>('due_at').as('oldest')])
    .where('state', '=', 'pending')
    .where('due_at', '<', now - OVERDUE_GRACE_MS)
    .executeTakeFirstOrThrow();
  const count = Number(row.overdue);
  return { count, oldestSeconds: count === 0 || row.oldest === null ? 0 : Math.round((now - Number(row.oldest)) / 1000) };
}

export function registerOverdueTimerMetrics(registry: Registry, db: Kysely<Database>, clock: Clock): void {
  let latest: { at: number; figures: Promise<OverdueTimers> } | undefined;
  const figures = (): Promise<OverdueTimers> => {
    const now = clock.now();
    if (latest === undefined || now - latest.at >= 1_000 || now < latest.at) latest = { at: now, figures: readOverdueTimers(db, now) };
    return latest.figures;
  };
  new Gauge({
    name: 'clarion_timers_overdue',
    help: `Deadlines and ladder steps more than ${OVERDUE_GRACE_MS / 1000} s past due and still not fired (escalation has stalled)`,
    registers: [registry],
    async collect() {
      this.set((await figures()).count);
    },
  });
  new Gauge({
    name: 'clarion_timers_oldest_overdue_seconds',
    help: 'How late the most overdue unfired deadline or ladder step is (0 when none is overdue)',
    registers: [registry],
    async collect() {
      this.set((await figures()).oldestSeconds);
    },
  });
}
