// A store of each kind for a contract test that runs the same cases on both: SQLite in a temp dir, PostgreSQL in a
// fresh database (services.ts). `cleanup` closes the store and removes what was created for it.
import { systemClock } from '../clock';
import { openStore, type Store } from '../store/open-store';
import { removeDir, tempDataDir } from './hub-harness';
import { freshDatabase } from './services';

export interface TestStore {
  store: Store;
  cleanup(): Promise<void>;
}

export async function sqliteTestStore(): Promise<TestStore> {
  const dir = tempDataDir();
  const store = await openStore({ kind: 'sqlite', dataDir: dir }, systemClock);
  return {
    store,
    async cleanup() {
      await store.close();
      removeDir(dir);
    },
  };
}

export async function postgresTestStore(adminUrl: string): Promise<TestStore> {
  const database = await freshDatabase(adminUrl);
  const store = await openStore({ kind: 'postgres', url: database.url }, systemClock);
  return {
    store,
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
}
