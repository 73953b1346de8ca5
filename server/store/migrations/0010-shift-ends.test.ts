// Migration 0010 on a store at version 9 holding shifts from before shifts had an end.
import Database from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from './index';

const HOUR = 3_600_000;

describe('migration 0010: shifts end', () => {
  it('gives a shift already on the end of a default long shift from when it began, and leaves off-shift rows without one', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider('sqlite') });
      expect((await migrator.migrateTo('0009-reply-undelivered')).error).toBeUndefined();
      await sql`insert into users (id, username, display_name, role, wards, password_hash, disabled, created_at) values ('u1', 'sam', 'Sam', 'outreach', '[]', 'x', 0, 0), ('u2', 'kim', 'Kim', 'outreach', '[]', 'x', 0, 0)`.execute(db);
      await sql`insert into shifts (user_id, on_shift, changed_at, changed_by) values ('u1', 1, ${10 * HOUR}, 'u1'), ('u2', 0, ${11 * HOUR}, 'u2')`.execute(db);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await sql<{ user_id: string; on_shift: number; ends_at: number | null }>`select user_id, on_shift, ends_at from shifts order by user_id`.execute(db);
      expect(rows.rows).toEqual([
        { user_id: 'u1', on_shift: 1, ends_at: 10 * HOUR + 12.5 * HOUR },
        { user_id: 'u2', on_shift: 0, ends_at: null },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
