import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock';
import { removeDir, tempDataDir } from '../testing/hub-harness';
import { openStore, SQLITE_FILE_NAME, type Store } from './open-store';
import { WriteQueue } from './write-queue';

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

  it('answers nobody and streams no event until the commit is durable (the WAL sync), and a failed sync fails the writes (the carrier is told 5xx and retries)', async () => {
    let release: () => void = () => {};
    let syncs = 0;
    const queue = new WriteQueue(store.db, 'sqlite', systemClock, {
      durable: () => {
        syncs += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    let answered = false;
    const write = queue.run(async ({ trx }) => trx.insertInto('patients').values(patient('d')).execute()).then(() => (answered = true));
    await vi.waitFor(() => expect(syncs).toBe(1));
    // Committed but not yet synced: nobody is answered, and a reader waits rather than see what a power cut could undo.
    let seen: string[] | undefined;
    const read = store.db.selectFrom('patients').select('id').execute().then((rows) => (seen = rows.map((row) => row.id)));
    // Another committer would have been answered by now; this one, and the reader, wait for the sync.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    expect(seen).toBeUndefined();
    release();
    await Promise.all([write, read]);
    expect(answered).toBe(true);
    expect(seen).toEqual(['d']);

    const failing = new WriteQueue(store.db, 'sqlite', systemClock, { durable: async () => Promise.reject(new Error('EIO: fdatasync failed')) });
    await expect(failing.run(async ({ trx }) => trx.insertInto('patients').values(patient('e')).execute())).rejects.toThrow(/fdatasync/);
  });

  it('opens SQLite with the per-commit sync moved off the event loop: NORMAL in the database, the WAL synced by the store', async () => {
    const [mode] = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db).then((result) => result.rows);
    // 1 = NORMAL: COMMIT itself does not fsync; the store's durable() does, before answering (see open-store.ts).
    expect(mode?.synchronous).toBe(1);
    await store.writes.run(async ({ trx }) => trx.insertInto('patients').values(patient('f')).execute());
    expect(existsSync(join(dir, `${SQLITE_FILE_NAME}-wal`))).toBe(true);
  });
});

