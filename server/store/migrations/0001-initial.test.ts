import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../clock';
import { removeDir, tempDataDir } from '../../testing/hub-harness';
import { openStore, type Store } from '../open-store';

describe('migration 0001', () => {
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

  it('finds a carrier redelivery by its unique (provider, provider message id) index', async () => {
    expect(await plan(sql`select id from messages where provider = 'twilio' and provider_message_id = 'SM1'`)).toMatch(/USING INDEX messages_provider_id/);
  });

  it("lists a queue's active cases and the outbox's due work from their indexes", async () => {
    expect(await plan(sql`select id from cases where queue_id in ('outreach') and status != 'resolved'`)).toMatch(/USING INDEX cases_queue_status/);
    expect(await plan(sql`select id from outbox where state = 'pending' and next_attempt_at <= 5`)).toMatch(/USING INDEX outbox_state_due/);
  });

  it('pages the event log by its primary key', async () => {
    expect(await plan(sql`select payload from events where seq > 10 order by seq limit 100`)).toMatch(/USING INTEGER PRIMARY KEY|USING PRIMARY KEY/);
  });

  it('makes tables STRICT, so a wrong type is refused rather than stored', async () => {
    await expect(
      sql`insert into sessions (token_hash, user_id, created_at, expires_at) values ('t', 'u', 'yesterday', 1)`.execute(store.db),
    ).rejects.toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('is applied once: reopening the same file migrates nothing and keeps the data', async () => {
    await sql`insert into patients (id, nhs_number, name, ward, created_at) values ('p1', '9434765919', 'Test Patient', 'W1', 1)`.execute(store.db);
    await store.close();
    store = await openStore({ kind: 'sqlite', dataDir: dir }, systemClock);
    const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db);
    expect(migrations.rows.map((row) => row.name)).toContain('0001-initial');
    expect(await store.db.selectFrom('patients').select('name').execute()).toEqual([{ name: 'Test Patient' }]);
  });
});
