// Opens the store the configuration asks for (SQLite file by default, PostgreSQL when DATABASE_URL is set), brings its
// schema up to date and hands back one interface: the queries above this layer are written once for both.
import { closeSync, fdatasync, fdatasyncSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Clock } from '../clock';
import type { StoreDialect } from './dialect';
import { migrationProvider } from './migrations';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer';
import { WriteQueue, type Durability } from './write-queue';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** The only way to change data: group-committed transactions (see write-queue.ts). */
  readonly writes: WriteQueue;
  /** Where the SQLite file lives, for diagnostics; null on PostgreSQL. */
  readonly location: string;
  /**
   * Runs a large read and hands each row to `onRow` as an array of its selected columns, in select order, without an
   * object per row: the scheduler's rebuild reads 300,000 timers at start (bench/timers), and on SQLite stepping
   * better-sqlite3's raw iterator is about a third faster than building row objects. Resolves with the row count.
   */
  scanRows(query: CompiledQuery, onRow: (row: readonly unknown[]) => void): Promise<number>;
  close(): Promise<void>;
}

export type StoreLocation = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

export const SQLITE_FILE_NAME = 'clarion.sqlite';

export async function openStore(location: StoreLocation, clock: Clock): Promise<Store> {
  const { db, dialect, where, durable, checkpointer, scanRows } = location.kind === 'sqlite' ? openSqlite(location.dataDir) : openPostgres(location.url);
  try {
    await migrate(db, dialect);
  } catch (error) {
    await checkpointer?.stop();
    await db.destroy();
    throw error;
  }
  const writes = new WriteQueue(db, dialect, clock, durable === undefined ? {} : { durable });
  return {
    db,
    dialect,
    writes,
    location: where,
    scanRows,
    async close() {
      await writes.idle();
      durable?.close();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

type ScanRows = Store['scanRows'];

function openSqlite(dataDir: string): { db: Kysely<Database>; dialect: StoreDialect; where: string; durable: ReturnType<typeof walSync>; checkpointer: WalCheckpointer; scanRows: ScanRows } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SQLITE_FILE_NAME);
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  // Durability as with synchronous=FULL (the WAL is synced after every commit, before anyone is answered), but the
  // store does the sync itself (see walSync), so that the write queue can choose where: on the thread pool when writes
  // are waiting to be taken in, where FULL's fsync inside COMMIT blocked every webhook and desk for its whole duration
  // (bench/ingest: ~2 ms typical, tens of ms on a busy disk), and on the event loop when nobody is (write-queue.ts).
  // NORMAL still syncs around checkpoints, so only the per-commit sync moves.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // A store of months (100,000 cases, 300,000 timers) is larger than better-sqlite3's 16 MB page cache, and escalation
  // steps touch cases, alerts and timers at random: pages are read through a memory map instead of one read() each,
  // and 64 MB of them are kept (bench/timers, docs/escalation.md). The map is address space, not memory.
  database.pragma('mmap_size = 268435456');
  database.pragma('cache_size = -65536');
  // Checkpoints run on a worker thread, not inside the commit that fills the WAL (see wal-checkpointer.ts).
  const checkpointer = startWalCheckpointer(database, file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  // On Kysely's one connection, so no write transaction is open around the scan, as with any query.
  const scanRows: ScanRows = (query, onRow) =>
    db.connection().execute(async () => {
      let count = 0;
      for (const row of database.prepare(query.sql).raw(true).iterate(...query.parameters) as IterableIterator<unknown[]>) {
        onRow(row);
        count += 1;
      }
      return count;
    });
  return { db, dialect: 'sqlite', where: file, durable: walSync(file), checkpointer, scanRows };
}

/**
 * fdatasync of the WAL after a commit, which is what synchronous=FULL does inside COMMIT: on the event loop or on the
 * thread pool, as the write queue chooses (Durability). The file is opened on first use (SQLite creates it with the
 * first write) and its directory entry synced once, so a new WAL survives too.
 */
function walSync(file: string): Durability & { close(): void } {
  let fd: number | undefined;
  const walFd = (): number => {
    if (fd !== undefined) return fd;
    fd = openSync(`${file}-wal`, 'r');
    // Best effort: Windows cannot open a directory to sync it (NTFS journals the entry itself).
    try {
      const directory = openSync(dirname(file), 'r');
      try {
        fsyncSync(directory);
      } finally {
        closeSync(directory);
      }
    } catch {
      // see above
    }
    return fd;
  };
  const fdatasyncOffLoop = promisify(fdatasync);
  return {
    now: () => fdatasyncSync(walFd()),
    offLoop: () => fdatasyncOffLoop(walFd()),
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

function openPostgres(url: string): { db: Kysely<Database>; dialect: StoreDialect; where: string; durable?: undefined; checkpointer?: undefined; scanRows: ScanRows } {
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // pg builds row objects anyway; their values come in select order.
  const scanRows: ScanRows = async (query, onRow) => {
    const { rows } = await db.executeQuery<Record<string, unknown>>(query);
    for (const row of rows) onRow(Object.values(row));
    return rows.length;
  };
  return { db, dialect: 'postgres', where: where.toString(), scanRows };
}

async function migrate(db: Kysely<Database>, dialect: StoreDialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`[store] migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
