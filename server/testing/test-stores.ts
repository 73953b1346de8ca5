// A store, or a hub, of each kind for a contract test that runs the same cases on both: SQLite in a temp dir,
// PostgreSQL in a fresh database (services.ts). `cleanup` and `stop` remove what was created for them.
import { systemClock } from '../clock';
import type { Hub, HubOptions } from '../hub';
import { openStore, type Store } from '../store/open-store';
import { removeDir, startHub, stopHub, tempDataDir, type DeskSet } from './hub-harness';
import { freshDatabase } from './services';

export type StoreKind = 'SQLite' | 'PostgreSQL';

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

export interface StoreHub {
  hub: Hub;
  /** Closes the desks and the hub, removes its data dir and drops its database, each even if one before failed. */
  stop(desks?: DeskSet): Promise<void>;
}

/** A test hub (hub-harness.ts `startHub`) on SQLite, or on a fresh PostgreSQL database at `postgresUrl`. */
export async function startHubOn(kind: StoreKind, postgresUrl: string | undefined, options: HubOptions = {}): Promise<StoreHub> {
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  if (kind === 'PostgreSQL') {
    if (postgresUrl === undefined) throw new Error('startHubOn: PostgreSQL is not reachable; skip the test instead');
    database = await freshDatabase(postgresUrl);
  }
  let hub: Hub;
  try {
    hub = await startHub({ ...options, ...(database === undefined ? {} : { databaseUrl: database.url }) });
  } catch (error) {
    await database?.drop();
    throw error;
  }
  return {
    hub,
    async stop(desks) {
      try {
        await stopHub(hub, desks);
      } finally {
        await database?.drop();
      }
    },
  };
}
