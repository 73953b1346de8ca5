// Opens the store the configuration asks for (SQLite file by default, PostgreSQL when DATABASE_URL is set), brings its
// schema up to date and hands back one interface: the queries above this layer are written once for both.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Clock } from '../clock';
import type { StoreDialect } from './dialect';
import { migrationProvider } from './migrations';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';
import { WriteQueue } from './write-queue';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** The only way to change data: group-committed transactions (see write-queue.ts). */
  readonly writes: WriteQueue;
  /** Where the SQLite file lives, for diagnostics; null on PostgreSQL. */
  readonly location: string;
  close(): Promise<void>;
}

export type StoreLocation = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

export const SQLITE_FILE_NAME = 'clarion.sqlite';

export async function openStore(location: StoreLocation, clock: Clock): Promise<Store> {
  const { db, dialect, where } = location.kind === 'sqlite' ? openSqlite(location.dataDir) : openPostgres(location.url);
  try {
    await migrate(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const writes = new WriteQueue(db, dialect, clock);
  return {
    db,
    dialect,
    writes,
    location: where,
    async close() {
      await writes.idle();
      await db.destroy();
    },
  };
}

function openSqlite(dataDir: string): { db: Kysely<Database>; dialect: StoreDialect; where: string } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SQLITE_FILE_NAME);
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  // FULL: a commit survives the power cord. Group commit (write-queue.ts) is what makes that affordable.
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }), dialect: 'sqlite', where: file };
}

function openPostgres(url: string): { db: Kysely<Database> ; dialect: StoreDialect; where: string } {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // int8 columns hold epoch milliseconds, well inside Number's exact range.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
    },
  });
  const where = new URL(url);
  where.password = where.password ? '***' : '';
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres', where: where.toString() };
}

async function migrate(db: Kysely<Database>, dialect: StoreDialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`[store] migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
