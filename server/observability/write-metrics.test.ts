// The store's write path on /metrics, from a real hub on a real SQLite file: how long each write waited, each group
// commit's transaction, its size, and the WAL sync — the figures that tell a slow disk from a busy hub.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { inbound, LINES, startHub, stopHub } from '../testing/hub-harness';
import { parsePrometheusText } from '../testing/prometheus-text';

async function scrape(hub: Hub): Promise<Map<string, number>> {
  return parsePrometheusText(await (await fetch(`${hub.url}/metrics`)).text(), 'clarion_write_');
}

describe('write metrics', () => {
  let hub: Hub;

  beforeEach(async () => {
    hub = await startHub({ clock: new ManualClock(Date.UTC(2026, 5, 10, 9)) });
  });

  afterEach(() => stopHub(hub));

  it('counts every write, every commit and its WAL sync, and how many writes shared each commit', async () => {
    const before = await scrape(hub);
    const messages = Array.from({ length: 6 }, (_, index) => inbound(`+4477009005${String(index).padStart(2, '0')}`, LINES.ward, `message ${index}`));
    await Promise.all(messages.map((message) => hub.receive(message)));
    const after = await scrape(hub);
    const grew = (name: string) => (after.get(name) ?? NaN) - (before.get(name) ?? 0);

    const writes = grew('clarion_write_seconds_count');
    const commits = grew('clarion_write_transaction_seconds_count');
    expect(writes).toBeGreaterThanOrEqual(messages.length);
    expect(commits).toBeGreaterThanOrEqual(1);
    // Group commit: fewer commits than writes, and the batch sizes add up to the writes.
    expect(commits).toBeLessThan(writes);
    expect(grew('clarion_write_batch_size_sum')).toBe(writes);
    // SQLite: every commit that stored something was synced once.
    expect(grew('clarion_write_sync_seconds_count')).toBe(commits);
    expect(grew('clarion_write_seconds_sum')).toBeGreaterThanOrEqual(grew('clarion_write_sync_seconds_sum'));
  });
});
