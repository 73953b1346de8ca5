// Reports: time to acknowledge and resolve, SLAs met (per queue and priority), and the Martha's Rule
// monthly figures NHS England collects. Loaded on demand; nothing here is live.
import { makeAutoObservable, runInAction } from 'mobx';
import type { MeasureRow } from '../../../shared/protocol';
import { describeCommandError, describeTransportFailure } from '../format/command-error-words';
import { parseSimpleCsv, toCsv } from '../format/csv';
import { TransportError } from '../transport/transport';
import type { RootStore } from './root-store';

export interface QueueMeasure {
  queueId: string;
  queueName: string;
  cases: number;
  acknowledgeMinutes: number | null;
  resolveMinutes: number | null;
  acknowledgeSlaPercent: number | null;
  breaches: number;
}

const MINUTE = 60_000;

/** This month in London, as YYYY-MM. */
export function currentMonth(now: number): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone: 'Europe/London' }).format(now).slice(0, 7);
}

function weightedMedianMinutes(rows: readonly MeasureRow[], pick: (row: MeasureRow) => number | null): number | null {
  // Rows are per priority; a case-weighted mean of their medians is a fair single figure per queue.
  let weight = 0;
  let total = 0;
  for (const row of rows) {
    const value = pick(row);
    if (value === null) continue;
    weight += row.cases;
    total += value * row.cases;
  }
  return weight === 0 ? null : Math.round((total / weight / MINUTE) * 10) / 10;
}

export class ReportStore {
  rows: MeasureRow[] = [];
  from: number | null = null;
  to: number | null = null;
  month: string;
  marthaCsv: string | null = null;
  loading = false;
  error: string | null = null;

  constructor(private readonly root: RootStore) {
    this.month = currentMonth(root.clock.now);
    makeAutoObservable<this, 'root'>(this, { root: false }, { autoBind: true });
  }

  get byQueue(): QueueMeasure[] {
    const groups = new Map<string, MeasureRow[]>();
    for (const row of this.rows) groups.set(row.queueId, [...(groups.get(row.queueId) ?? []), row]);
    return [...groups.entries()].map(([queueId, rows]) => {
      const withSla = rows.filter((row) => row.acknowledgeSlaMet !== null);
      const slaCases = withSla.reduce((sum, row) => sum + row.cases, 0);
      return {
        queueId,
        queueName: this.root.directory.queueName(queueId),
        cases: rows.reduce((sum, row) => sum + row.cases, 0),
        acknowledgeMinutes: weightedMedianMinutes(rows, (row) => row.acknowledgeP50),
        resolveMinutes: weightedMedianMinutes(rows, (row) => row.resolveP50),
        acknowledgeSlaPercent:
          slaCases === 0 ? null : Math.round((withSla.reduce((sum, row) => sum + (row.acknowledgeSlaMet ?? 0) * row.cases, 0) / slaCases) * 100),
        breaches: rows.reduce((sum, row) => sum + row.breaches, 0),
      };
    });
  }

  get marthaFigures(): Record<string, string>[] {
    return this.marthaCsv === null ? [] : parseSimpleCsv(this.marthaCsv);
  }

  get measuresCsv(): string {
    return toCsv(
      ['queue', 'priority', 'cases', 'acknowledge_p50_min', 'acknowledge_p90_min', 'resolve_p50_min', 'resolve_p90_min', 'acknowledge_sla_met', 'resolve_sla_met', 'breaches'],
      this.rows.map((row) => [
        this.root.directory.queueName(row.queueId),
        row.priority,
        row.cases,
        ...[row.acknowledgeP50, row.acknowledgeP90, row.resolveP50, row.resolveP90].map((value) => (value === null ? null : Math.round(value / MINUTE))),
        row.acknowledgeSlaMet,
        row.resolveSlaMet,
        row.breaches,
      ]),
    );
  }

  setMonth(month: string): void {
    this.month = month;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    const canSeeMartha = ['outreach', 'admin'].includes(this.root.session.user?.role ?? '');
    try {
      const [measures, martha] = await Promise.all([
        this.root.transport.request('reports:measures', {}),
        canSeeMartha ? this.root.transport.request('reports:marthas-rule', { month: this.month }) : Promise.resolve(null),
      ]);
      runInAction(() => {
        this.loading = false;
        if (!measures.ok) {
          this.error = describeCommandError(measures.error);
          return;
        }
        this.rows = measures.rows;
        this.from = measures.from;
        this.to = measures.to;
        if (martha && !martha.ok) this.error = describeCommandError(martha.error);
        this.marthaCsv = martha?.ok ? martha.csv : null;
      });
    } catch (error) {
      runInAction(() => {
        this.loading = false;
        this.error = describeTransportFailure(error instanceof TransportError ? error.failure : 'timeout');
      });
    }
  }
}
