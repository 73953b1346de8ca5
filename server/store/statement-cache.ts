// Kysely's SQLite driver prepares every query afresh; preparing (parse + plan) cost the hub about a tenth
// of its CPU under load (bench/ingest profile). Handing it a database whose prepare() reuses statements
// for the same SQL removes that. Bounded, because SQL text varies (IN lists of different lengths).
// Reuse is safe: better-sqlite3 runs all()/run() synchronously and Kysely holds one connection per query.
import type { Database as BetterSqliteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export function withStatementCache(database: BetterSqliteDatabase, capacity = 512): SqliteDatabase & { readonly cached: number } {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string) {
      const held = statements.get(sql);
      if (held !== undefined) {
        // Most recently used last, so the first entry is the one to evict.
        statements.delete(sql);
        statements.set(sql, held);
        return held;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
      return statement;
    },
    get cached() {
      return statements.size;
    },
  };
}
