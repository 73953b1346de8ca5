// The outbox on /metrics, read from the store at each scrape: what IT needs to see a carrier failing before a ward
// does. A backlog that grows, a due row that gets old, or failures that climb mean families are not being answered.
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';
import type { OutboxState } from './outbox-sender';

/** The states a row waits in; `sent` and `failed` are where rows end. */
const WAITING: readonly OutboxState[] = ['pending', 'sending', 'awaiting_delivery'];
const DAY_MS = 24 * 60 * 60 * 1000;

interface OutboxFigures {
  waiting: Map<string, number>;
  /** Created time of the oldest waiting row; null when nothing waits. */
  oldestCreatedAt: number | null;
  failedLastDay: number;
}

async function readFigures(db: Kysely<Database>, now: number): Promise<OutboxFigures> {
  // Both reads stay inside the (state, next_attempt_at) index's small ranges: the table keeps every reply ever sent.
  const waiting = await db
    .selectFrom('outbox')
    .select(['state', (eb) => eb.fn.countAll<number>().as('rows'), (eb) => eb.fn.min<number>('created_at').as('oldest')])
    .where('state', 'in', WAITING)
    .groupBy('state')
    .execute();
  const failed = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('rows'))
    .where('state', '=', 'failed')
    .where('updated_at', '>=', now - DAY_MS)
    .executeTakeFirstOrThrow();
  const oldest = waiting.reduce<number | null>((min, row) => (min === null || Number(row.oldest) < min ? Number(row.oldest) : min), null);
  return { waiting: new Map(waiting.map((row) => [row.state, Number(row.rows)])), oldestCreatedAt: oldest, failedLastDay: Number(failed.rows) };
}

export function registerOutboxMetrics(registry: Registry, db: Kysely<Database>, clock: Clock): void {
  // One store read per scrape, shared by the gauges below: a read is reused for one second of the hub's clock.
  let latest: { at: number; figures: Promise<OutboxFigures> } | undefined;
  const figures = (): Promise<OutboxFigures> => {
    const now = clock.now();
    if (latest === undefined || now - latest.at >= 1_000 || now < latest.at) latest = { at: now, figures: readFigures(db, now) };
    return latest.figures;
  };
  new Gauge({
    name: 'clarion_outbox_waiting',
    help: 'Outbound messages not yet handed to a carrier for good, by outbox state (pending, sending, awaiting_delivery)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const { waiting } = await figures();
      for (const state of WAITING) this.set({ state }, waiting.get(state) ?? 0);
    },
  });
  new Gauge({
    name: 'clarion_outbox_oldest_waiting_seconds',
    help: 'Age of the oldest outbound message still waiting in the outbox (0 when none waits)',
    registers: [registry],
    async collect() {
      const { oldestCreatedAt } = await figures();
      this.set(oldestCreatedAt === null ? 0 : Math.max(0, (clock.now() - oldestCreatedAt) / 1000));
    },
  });
  new Gauge({
    name: 'clarion_outbox_failed_24h',
    help: 'Outbound messages the outbox gave up on in the last 24 hours (refused, or retries exhausted)',
    registers: [registry],
    async collect() {
      this.set((await figures()).failedLastDay);
    },
  });
}
