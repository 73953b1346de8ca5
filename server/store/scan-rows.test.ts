// Store.scanRows, the rebuild's read of every pending timer: rows as arrays in select order, on both stores, and on
// SQLite only between write transactions, as every other query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgres } from '../testing/services';
import { postgresTestStore, sqliteTestStore, type TestStore } from '../testing/test-stores';
import type { Store } from './open-store';

const user = (id: string, username: string, disabled: number) => ({ id, username, display_name: `User ${id}`, role: 'admin', wards: '[]', password_hash: 'x', created_at: 1, disabled });

function contract(open: () => Promise<TestStore>) {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, cleanup } = await open());
    await store.db.insertInto('users').values([user('u1', 'ann', 0), user('u2', 'bob', 1), user('u3', 'cat', 0)]).execute();
  });
  afterAll(async () => cleanup?.());

  it('hands over each row as its selected columns, in select order, with the query’s values bound', async () => {
    const rows: (readonly unknown[])[] = [];
    const query = store.db.selectFrom('users').select(['username', 'id', 'created_at']).where('disabled', '=', 0).orderBy('id').compile();
    const count = await store.scanRows(query, (row) => rows.push([...row]));
    expect(count).toBe(2);
    expect(rows).toEqual([
      ['ann', 'u1', 1],
      ['cat', 'u3', 1],
    ]);
  });

  it('passes on an error thrown for a row, and the store stays usable', async () => {
    const query = store.db.selectFrom('users').select('id').compile();
    await expect(
      store.scanRows(query, () => {
        throw new Error('not a user row');
      }),
    ).rejects.toThrow('not a user row');
    expect(await store.db.selectFrom('users').select('id').where('id', '=', 'u1').executeTakeFirst()).toEqual({ id: 'u1' });
  });
}

describe('scanRows on SQLite', () => {
  contract(sqliteTestStore);

  it('waits for a write transaction in progress, then sees what it committed', async () => {
    const { store, cleanup } = await sqliteTestStore();
    try {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const write = store.writes.run(async ({ trx }) => {
        await trx.insertInto('users').values(user('u9', 'zed', 0)).execute();
        await gate;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const seen: unknown[] = [];
      let done = false;
      const scan = store.scanRows(store.db.selectFrom('users').select('username').compile(), ([username]) => seen.push(username)).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(done).toBe(false);
      release();
      await Promise.all([write, scan]);
      expect(seen).toEqual(['zed']);
    } finally {
      await cleanup();
    }
  });
});

const pg = await postgres();
describe.skipIf(pg.url === undefined)('scanRows on PostgreSQL', () => {
  contract(() => postgresTestStore(pg.url!));
});
