// The hub's write path during one phase of a bench, from its own /metrics (clarion_write_*, docs/architecture.md):
// two scrapes, and the difference between them. Percentiles are bucket bounds ("p99 ≤ 10 ms"), which is what a
// Prometheus histogram can say; they tell a slow disk (sync) from a busy event loop (transaction).
import { parsePrometheusText } from '../server/testing/prometheus-text';

/** One scrape of the Prometheus text format: each series line's name and labels, and its value. */
export type Scrape = Map<string, number>;

export function parseMetrics(text: string): Scrape {
  return parsePrometheusText(text, 'clarion_write_');
}

export interface WritePhase {
  commits: number;
  writesPerCommit: number;
  /** Bucket bounds in ms. */
  transaction: { p50: number; p99: number };
  sync: { p50: number; p99: number };
  write: { p50: number; p99: number };
}

function grew(before: Scrape, after: Scrape, key: string): number {
  return (after.get(key) ?? 0) - (before.get(key) ?? 0);
}

/** The smallest bucket bound under which a share `p` of the phase's observations of `histogram` fell, in ms. */
export function bound(before: Scrape, after: Scrape, histogram: string, p: number): number {
  const total = grew(before, after, `${histogram}_count`);
  const buckets = [...after.keys()]
    .map((key) => ({ key, le: /^(\w+)_bucket\{le="([^"]+)"\}$/.exec(key) }))
    .filter((entry) => entry.le?.[1] === histogram)
    .map((entry) => ({ le: Number(entry.le![2]), count: grew(before, after, entry.key) }))
    .sort((a, b) => a.le - b.le);
  const found = buckets.find((bucket) => bucket.count >= p * total);
  return total === 0 || found === undefined ? Number.NaN : found.le * 1000;
}

export function writePhase(before: Scrape, after: Scrape): WritePhase {
  const commits = grew(before, after, 'clarion_write_transaction_seconds_count');
  const pair = (histogram: string) => ({ p50: bound(before, after, histogram, 0.5), p99: bound(before, after, histogram, 0.99) });
  return {
    commits,
    writesPerCommit: grew(before, after, 'clarion_write_batch_size_sum') / commits,
    transaction: pair('clarion_write_transaction_seconds'),
    sync: pair('clarion_write_sync_seconds'),
    write: pair('clarion_write_seconds'),
  };
}

export function describeWritePhase(phase: WritePhase): string {
  const ms = ({ p50, p99 }: { p50: number; p99: number }) => `p50 ≤ ${p50} ms, p99 ≤ ${p99} ms`;
  return [
    `${phase.commits} commits, ${phase.writesPerCommit.toFixed(1)} writes each on average`,
    `  transaction (event loop busy): ${ms(phase.transaction)}`,
    `  WAL sync (disk):               ${ms(phase.sync)}`,
    `  write queued → durable:        ${ms(phase.write)}`,
  ].join('\n');
}
