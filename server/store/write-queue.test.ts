import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import { removeDir, tempDataDir } from '../testing/hub-harness';
import { openStore, SQLITE_FILE_NAME, type Store } from './open-store';

const patient = (id: string) => ({ id, nhs_number: null, name: `Patient ${id}`, ward: null, created_at: 1 });

describe('group commit', () => {
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

  it('commits writes issued together, and rolls back only the one that failed', async () => {
    const results = await Promise.allSettled([
      store.writes.run(async ({ trx }) => trx.insertInto('patients').values(patient('a')).execute()),
      store.writes.run(async ({ trx }) => {
        await trx.insertInto('patients').values(patient('b')).execute();
        throw new Error('this one fails after writing');
      }),
      store.writes.run(async ({ trx }) => trx.insertInto('patients').values(patient('c')).execute()),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await store.db.selectFrom('patients').select('id').orderBy('id').execute();
    expect(stored.map((row) => row.id)).toEqual(['a', 'c']);
  });

  it('answers nobody before the commit: a write that cannot commit is rejected and leaves nothing', async () => {
    // Another connection holds the write lock past the busy timeout, as a stuck disk or a rogue process would.
    const blocker = new Database(join(dir, SQLITE_FILE_NAME));
    blocker.pragma('busy_timeout = 0');
    blocker.exec('begin immediate');
    await sql`pragma busy_timeout = 50`.execute(store.db);
    await expect(store.writes.run(async ({ trx }) => trx.insertInto('patients').values(patient('x')).execute())).rejects.toThrow(/locked|busy/i);
    blocker.exec('rollback');
    blocker.close();
    expect(await store.db.selectFrom('patients').selectAll().execute()).toEqual([]);
  });
});
