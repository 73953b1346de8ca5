import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgres } from '../testing/services';
import { postgresTestStore, sqliteTestStore, type TestStore } from '../testing/test-stores';
import type { Store } from './open-store';
import { prepareInsert, prepareQuery, type QueryTarget } from './prepared-query';

const findPolicy = prepareQuery((db, p: { queueId: string }) => db.selectFrom('queue_policies').select(['queue_id', 'policy']).where('queue_id', '=', p.queueId).limit(1));
const setPolicy = prepareQuery((db, p: { queueId: string; policy: string; expected: string }) =>
  db.updateTable('queue_policies').set({ policy: p.policy }).where('queue_id', '=', p.queueId).where('policy', '=', p.expected).returning(['queue_id', 'policy']),
);

const addPolicy = prepareInsert('queue_policies', ['queue_id', 'policy', 'updated_at', 'updated_by']);

async function withUser(store: Store): Promise<string> {
  await store.db.insertInto('users').values({ id: 'u1', username: 'admin', display_name: 'Admin', role: 'admin', wards: '[]', password_hash: 'x', created_at: 1, disabled: 0 }).execute();
  return 'u1';
}

function contract(open: () => Promise<TestStore>) {
  let store: Store;
  let cleanup: () => Promise<void>;
  let target: QueryTarget;

  beforeAll(async () => {
    ({ store, cleanup } = await open());
    target = { trx: store.db, dialect: store.dialect };
    const userId = await withUser(store);
    await store.db
      .insertInto('queue_policies')
      .values([
        { queue_id: 'outreach', policy: 'A', updated_at: 1, updated_by: userId },
        { queue_id: 'pals', policy: 'B', updated_at: 1, updated_by: userId },
      ])
      .execute();
  });
  afterAll(async () => cleanup?.());

  it('runs one compiled statement with each call’s own values, and keeps the constants the builder fixed', async () => {
    expect(await findPolicy.first(target, { queueId: 'outreach' })).toEqual({ queue_id: 'outreach', policy: 'A' });
    expect(await findPolicy.all(target, { queueId: 'pals' })).toEqual([{ queue_id: 'pals', policy: 'B' }]);
    expect(await findPolicy.first(target, { queueId: 'nowhere' })).toBeUndefined();
  });

  it('binds values by name, whatever order the SQL needs them in, and reports what a statement changed', async () => {
    const missed = await setPolicy.execute(target, { expected: 'stale', policy: 'C', queueId: 'outreach' });
    expect(missed.rows).toEqual([]);
    const applied = await setPolicy.all(target, { expected: 'A', policy: 'C', queueId: 'outreach' });
    expect(applied).toEqual([{ queue_id: 'outreach', policy: 'C' }]);
    expect(await findPolicy.first(target, { queueId: 'pals' })).toEqual({ queue_id: 'pals', policy: 'B' });
  });

  it('inserts a row by its named columns', async () => {
    await addPolicy.execute(target, { queue_id: 'ward-W1', policy: 'D', updated_at: 2, updated_by: 'u1' });
    expect(await findPolicy.first(target, { queueId: 'ward-W1' })).toEqual({ queue_id: 'ward-W1', policy: 'D' });
    await expect(addPolicy.execute(target, { queue_id: 'ward-W1', policy: 'E', updated_at: 3, updated_by: 'u1' })).rejects.toThrow(/unique|duplicate/i);
  });

  it('refuses a missing value instead of binding it as NULL', async () => {
    await expect(findPolicy.first(target, {} as { queueId: string })).rejects.toThrow(/no value for "queueId"/);
  });
}

describe('prepared queries on SQLite', () => {
  contract(sqliteTestStore);
});

const pg = await postgres();
describe.skipIf(pg.url === undefined)('prepared queries on PostgreSQL', () => {
  contract(() => postgresTestStore(pg.url!));
});
