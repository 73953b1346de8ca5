import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock';
import { removeDir, tempDataDir } from '../testing/hub-harness';
import { openStore, SQLITE_FILE_NAME, type Store } from './open-store';
import { startWalCheckpointer } from './wal-checkpointer';

const PAGE = 4096;

describe('WAL checkpoints on a worker thread', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = tempDataDir();
    store = await openStore({ kind: 'sqlite', dataDir: dir }, systemClock);
    await sql`create table scratch (id integer primary key, payload blob not null)`.execute(store.db);
  });

  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  /** About one page per row: `transactions` commits of 50 pages each, on the hub's own connection. */
  async function writePages(transactions: number): Promise<void> {
    for (let index = 0; index < transactions; index += 1) {
      await sql`insert into scratch (payload) select randomblob(4000) from (with recursive n(i) as (select 1 union all select i + 1 from n where i < 50) select i from n)`.execute(store.db);
    }
  }

  const walBytes = () => statSync(join(dir, `${SQLITE_FILE_NAME}-wal`)).size;

  it("keeps the WAL bounded although the hub's own connection never checkpoints", async () => {
    const [setting] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db)).rows;
    expect(setting?.wal_autocheckpoint).toBe(0);

    // 1,500 pages, past SQLite's 1,000-page default; then time for the worker to copy them back.
    await writePages(30);
    expect(walBytes()).toBeGreaterThan(1_400 * PAGE);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Once every frame is back in the database file, the next writer starts the WAL from its beginning: 1,500 more
    // pages reuse the same space. Nobody checkpointing, the WAL would hold all 3,000.
    await writePages(30);
    expect(walBytes()).toBeLessThan(2_000 * PAGE);
    const [rows] = (await sql<{ rows: number }>`select count(*) as rows from scratch`.execute(store.db)).rows;
    expect(rows?.rows).toBe(3_000);
  });
});

describe('closing', () => {
  it('lets a process that opened and closed the store finish its top-level await and exit 0', async () => {
    // The worker is unreferenced while it runs; closing must wait for it, or such a process exits mid-await (code 13).
    const dir = tempDataDir();
    const modules = (file: string) => fileURLToPath(new URL(file, import.meta.url));
    const script = `
      import { openStore } from ${JSON.stringify(modules('./open-store.ts'))};
      import { systemClock } from ${JSON.stringify(modules('../clock.ts'))};
      const store = await openStore({ kind: 'sqlite', dataDir: ${JSON.stringify(dir)} }, systemClock);
      await store.close();
      console.log('closed');
    `;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000 });
      expect(stdout.trim()).toBe('closed');
    } finally {
      removeDir(dir);
    }
  });
});

describe('when the checkpointer cannot run', () => {
  it('hands checkpoints back to the connection, so the WAL cannot grow without bound', async () => {
    const dir = tempDataDir();
    const database = new Database(join(dir, 'own.sqlite'));
    try {
      database.pragma('journal_mode = WAL');
      // The worker opens a file that does not exist (fileMustExist), fails, and exits.
      startWalCheckpointer(database, join(dir, 'missing.sqlite'), 10);
      expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      await vi.waitFor(() => expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(1000), { timeout: 5_000 });
    } finally {
      database.close();
      removeDir(dir);
    }
  });

  it('stops cleanly and leaves the connection as it set it', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'own.sqlite');
    const database = new Database(file);
    try {
      database.pragma('journal_mode = WAL');
      const checkpointer = startWalCheckpointer(database, file, 10);
      await checkpointer.stop();
      await checkpointer.stop();
      expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    } finally {
      database.close();
      removeDir(dir);
    }
  });
});
