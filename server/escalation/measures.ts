// What leaders track (DOMAIN.md): time to acknowledge and to resolve by queue and priority (p50, p90), the share of
// deadlines met, and breaches — for the desk's reports view (socket `reports:measures`) and for /metrics.
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import { PrioritySchema, type Priority } from '../../shared/domain';
import type { MeasureRow } from '../../shared/protocol';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

const THIRTY_DAYS_MS = 30 * 86_400_000;

/** Nearest-rank percentile; null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Group {
  queueId: string;
  priority: Priority;
  cases: number;
  acknowledge: number[];
  resolve: number[];
  ackDeadlines: number;
  ackMet: number;
  resolveDeadlines: number;
  resolveMet: number;
  breaches: number;
}

/**
 * Cases opened in [from, to). Time to acknowledge is to the first acknowledgement (a later un-acknowledge does not
 * undo that the call was seen); an open case past its deadline counts as missed, one not yet due is left out.
 */
export async function computeMeasures(db: Kysely<Database>, from: number, to: number, now: number): Promise<MeasureRow[]> {
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'queue_id', 'priority', 'opened_at', 'resolved_at', 'ack_due_at', 'resolve_due_at'])
    .where('opened_at', '>=', from)
    .where('opened_at', '<', to)
    .execute();
  if (cases.length === 0) return [];
  const acknowledgements = await db
    .selectFrom('events')
    .innerJoin('cases', 'cases.id', 'events.case_id')
    .select(['events.case_id', (eb) => eb.fn.min('events.at').as('first')])
    .where('events.type', '=', 'case.acknowledged')
    .where('cases.opened_at', '>=', from)
    .where('cases.opened_at', '<', to)
    .groupBy('events.case_id')
    .execute();
  const breaches = await db
    .selectFrom('events')
    .innerJoin('cases', 'cases.id', 'events.case_id')
    .select(['events.case_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('events.type', '=', 'alert.breach')
    .where('cases.opened_at', '>=', from)
    .where('cases.opened_at', '<', to)
    .groupBy('events.case_id')
    .execute();
  const firstAck = new Map(acknowledgements.map((row) => [row.case_id, Number(row.first)]));
  const breachCount = new Map(breaches.map((row) => [row.case_id, Number(row.count)]));
  const groups = new Map<string, Group>();
  for (const row of cases) {
    const priority = PrioritySchema.parse(row.priority);
    const key = `${row.queue_id}\u0000${priority}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { queueId: row.queue_id, priority, cases: 0, acknowledge: [], resolve: [], ackDeadlines: 0, ackMet: 0, resolveDeadlines: 0, resolveMet: 0, breaches: 0 };
      groups.set(key, group);
    }
    group.cases += 1;
    group.breaches += breachCount.get(row.id) ?? 0;
    const acknowledgedAt = firstAck.get(row.id);
    if (acknowledgedAt !== undefined) group.acknowledge.push(acknowledgedAt - row.opened_at);
    if (row.resolved_at !== null) group.resolve.push(row.resolved_at - row.opened_at);
    if (row.ack_due_at !== null && (acknowledgedAt !== undefined || now >= row.ack_due_at)) {
      group.ackDeadlines += 1;
      if (acknowledgedAt !== undefined && acknowledgedAt <= row.ack_due_at) group.ackMet += 1;
    }
    if (row.resolve_due_at !== null && (row.resolved_at !== null || now >= row.resolve_due_at)) {
      group.resolveDeadlines += 1;
      if (row.resolved_at !== null && row.resolved_at <= row.resolve_due_at) group.resolveMet += 1;
    }
  }
  return [...groups.values()]
    .sort((a, b) => a.queueId.localeCompare(b.queueId) || a.priority - b.priority)
    .map((group) => ({
      queueId: group.queueId,
      priority: group.priority,
      cases: group.cases,
      acknowledgeP50: percentile(group.acknowledge, 50),
      acknowledgeP90: percentile(group.acknowledge, 90),
      resolveP50: percentile(group.resolve, 50),
      resolveP90: percentile(group.resolve, 90),
      acknowledgeSlaMet: group.ackDeadlines === 0 ? null : group.ackMet / group.ackDeadlines,
      resolveSlaMet: group.resolveDeadlines === 0 ? null : group.resolveMet / group.resolveDeadlines,
      breaches: group.breaches,
    }));
}

export function defaultWindow(now: number): { from: number; to: number } {
  return { from: now - THIRTY_DAYS_MS, to: now + 1 };
}

/** The same measures on /metrics, computed from the store at each scrape over the last 30 days. */
export function registerMeasureMetrics(registry: Registry, db: Kysely<Database>, clock: Clock): void {
  const labelNames = ['queue', 'priority'] as const;
  let latest: Promise<MeasureRow[]> | undefined;
  // One store read per scrape, shared by the three gauges below.
  const rows = () => (latest ??= computeMeasures(db, defaultWindow(clock.now()).from, defaultWindow(clock.now()).to, clock.now()).finally(() => setImmediate(() => (latest = undefined))));
  new Gauge({
    name: 'clarion_case_seconds',
    help: 'Time to acknowledge and to resolve, p50 and p90, for cases opened in the last 30 days',
    labelNames: ['measure', 'quantile', ...labelNames],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await rows()) {
        const labels = { queue: row.queueId, priority: String(row.priority) };
        const pairs: [string, string, number | null][] = [
          ['acknowledge', '0.5', row.acknowledgeP50],
          ['acknowledge', '0.9', row.acknowledgeP90],
          ['resolve', '0.5', row.resolveP50],
          ['resolve', '0.9', row.resolveP90],
        ];
        for (const [measure, quantile, value] of pairs) if (value !== null) this.set({ ...labels, measure, quantile }, value / 1000);
      }
    },
  });
  new Gauge({
    name: 'clarion_sla_met_ratio',
    help: 'Share of acknowledge and resolve deadlines met, cases opened in the last 30 days',
    labelNames: ['deadline', ...labelNames],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await rows()) {
        const labels = { queue: row.queueId, priority: String(row.priority) };
        if (row.acknowledgeSlaMet !== null) this.set({ ...labels, deadline: 'acknowledge' }, row.acknowledgeSlaMet);
        if (row.resolveSlaMet !== null) this.set({ ...labels, deadline: 'resolve' }, row.resolveSlaMet);
      }
    },
  });
  new Gauge({
    name: 'clarion_sla_breaches',
    help: 'Deadline breaches (acknowledge, first response, resolve), cases opened in the last 30 days',
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await rows()) this.set({ queue: row.queueId, priority: String(row.priority) }, row.breaches);
    },
  });
}
