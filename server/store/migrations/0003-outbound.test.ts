import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../clock';
import { removeDir, tempDataDir } from '../../testing/hub-harness';
import { openStore, type Store } from '../open-store';

describe('migration 0003', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = tempDataDir();
    store = await openStore({ kind: 'sqlite', dataDir: dir }, systemClock);
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  async function plan(query: ReturnType<typeof sql>): Promise<string> {
    const rows = await sql<{ detail: string }>`explain query plan ${query}`.execute(store.db);
    return rows.rows.map((row) => row.detail).join(' | ');
  }

  it("finds the sender's due rows in all three due states from outbox_state_due", async () => {
    expect(await plan(sql`select id from outbox where state in ('pending', 'sending', 'awaiting_delivery') and next_attempt_at <= 5 order by next_attempt_at limit 50`)).toMatch(
      /USING INDEX outbox_state_due/,
    );
  });

  it('gives rows queued before it the kind of a staff reply', async () => {
    const columns = await sql<{ name: string; dflt_value: string | null }>`pragma table_info(outbox)`.execute(store.db);
    expect(columns.rows.find((column) => column.name === 'kind')?.dflt_value).toBe("'reply'");
  });
});
