// For tests that check how SQLite answers a query: a freshly migrated store in a temp dir, and its query plan in words.
import { sql, type RawBuilder } from 'kysely';
import { afterEach, beforeEach } from 'vitest';
import { systemClock } from '../clock';
import { openStore, type Store } from '../store/open-store';
import { removeDir, tempDataDir } from './hub-harness';

/** Opens a migrated SQLite store before each test and removes it after; read `.store` (and `.dataDir`) inside a test. */
export function useMigratedStore(): { readonly store: Store; readonly dataDir: string } {
  const holder: { store: Store; dataDir: string } = { store: undefined as unknown as Store, dataDir: '' };
  beforeEach(async () => {
    holder.dataDir = tempDataDir();
    holder.store = await openStore({ kind: 'sqlite', dataDir: holder.dataDir }, systemClock);
  });
  afterEach(async () => {
    await holder.store.close();
    removeDir(holder.dataDir);
  });
  return holder;
}

/** SQLite's `explain query plan` for the query, its steps joined with " | ". */
export async function queryPlan(store: Store, query: RawBuilder<unknown>): Promise<string> {
  const rows = await sql<{ detail: string }>`explain query plan ${query}`.execute(store.db);
  return rows.rows.map((row) => row.detail).join(' | ');
}
