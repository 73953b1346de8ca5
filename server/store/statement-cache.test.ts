import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type Generated } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache';

describe('withStatementCache', () => {
  it('reuses the statement for the same SQL, evicts the least recently used beyond capacity, and keeps results right', async () => {
    const raw = new Database(':memory:');
    const cached = withStatementCache(raw, 2);
    expect(cached.prepare('select 1 as one')).toBe(cached.prepare('select 1 as one'));
    cached.prepare('select 2 as two');
    cached.prepare('select 1 as one');
    cached.prepare('select 3 as three');
    expect(cached.cached).toBe(2);
    // 'select 2' was least recently used and is gone: a fresh statement comes back.
    const two = cached.prepare('select 2 as two');
    expect(cached.prepare('select 2 as two')).toBe(two);

    const db = new Kysely<{ notes: { id: Generated<number>; body: string; extra?: string | null } }>({ dialect: new SqliteDialect({ database: withStatementCache(new Database(':memory:')) }) });
    await db.schema.createTable('notes').addColumn('id', 'integer', (column) => column.primaryKey()).addColumn('body', 'text').execute();
    for (const body of ['a', 'b', 'c']) await db.insertInto('notes').values({ body }).execute();
    // The same statement, run with different parameters, answers each call with its own rows.
    expect((await db.selectFrom('notes').select('body').where('body', '=', 'b').execute()).map((row) => row.body)).toEqual(['b']);
    expect((await db.selectFrom('notes').select('body').where('body', '=', 'c').execute()).map((row) => row.body)).toEqual(['c']);
    expect(await db.selectFrom('notes').selectAll().where('body', '=', 'a').execute()).toEqual([{ id: 1, body: 'a' }]);
    await db.schema.alterTable('notes').addColumn('extra', 'text').execute();
    // The same SQL after a schema change: SQLite re-prepares the cached statement itself and sees the new column.
    expect(await db.selectFrom('notes').selectAll().where('body', '=', 'a').execute()).toEqual([{ id: 1, body: 'a', extra: null }]);
    await db.destroy();
    raw.close();
  });
});
