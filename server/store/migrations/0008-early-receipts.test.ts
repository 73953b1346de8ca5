import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryPlan, useMigratedStore } from '../../testing/sqlite-plan';

describe('migration 0008: receipts held until the send is recorded', () => {
  const migrated = useMigratedStore();
  const plan = (query: ReturnType<typeof sql>) => queryPlan(migrated.store, query);

  it("finds a carrier id's held receipts in arrival order from their index, without sorting", async () => {
    const found = await plan(sql`select id, receipt from early_receipts where provider = 'twilio' and provider_message_id = 'SM1' order by id`);
    expect(found).toMatch(/USING INDEX early_receipts_message \(provider=\? AND provider_message_id=\?\)/);
    expect(found).not.toMatch(/TEMP B-TREE/);
  });

  it('deletes receipts past their age by a range of the received_at index', async () => {
    expect(await plan(sql`delete from early_receipts where received_at < 5`)).toMatch(/USING (COVERING )?INDEX early_receipts_received \(received_at<\?\)/);
  });

  it('finds the oldest held receipt by its primary key: the first row read, with no sort', async () => {
    const found = await plan(sql`select provider, provider_message_id from early_receipts order by id limit 1`);
    expect(found).toBe('SCAN early_receipts');
  });

  it('numbers rows in the order they are inserted and refuses a receipt without its carrier id', async () => {
    for (const id of ['SM2', 'SM1']) {
      await migrated.store.db.insertInto('early_receipts').values({ provider: 'twilio', provider_message_id: id, receipt: '{}', received_at: 1 }).execute();
    }
    expect(await migrated.store.db.selectFrom('early_receipts').select(['id', 'provider_message_id']).orderBy('id').execute()).toEqual([
      { id: 1, provider_message_id: 'SM2' },
      { id: 2, provider_message_id: 'SM1' },
    ]);
    await expect(sql`insert into early_receipts (provider, receipt, received_at) values ('twilio', '{}', 1)`.execute(migrated.store.db)).rejects.toThrow(/NOT NULL/);
  });
});
