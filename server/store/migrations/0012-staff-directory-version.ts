// Version 12: a token that changes whenever the staff directory does, so the escalation engine can keep the directory
// in memory and read one row per transaction instead of every user. Reading every user (and their shift) on every
// commit that fired a ladder step made a step's cost grow with the trust's staff: with 1,500 accounts, bench/timers'
// p50 went from 4 ms to 43 ms (docs/escalation.md, ninth session).
// The token is set by triggers, not by the code that writes users and shifts, so no writer can forget it: an admin's
// SQL, another hub on the same PostgreSQL, a tool. It is random rather than a counter: a counter bumped in a
// transaction that rolls back is bumped again to the same value by the next one, and a cache filled inside the first
// would pass for the second's.
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

const TABLES = ['users', 'shifts'] as const;

export function staffDirectoryVersionSchema(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        await sql`create table staff_directory_version (id integer primary key check (id = 1), token text not null) strict`.execute(db);
        await sql`insert into staff_directory_version (id, token) values (1, lower(hex(randomblob(16))))`.execute(db);
        // SQLite has only row-level triggers: a statement touching many rows changes the token once per row.
        for (const table of TABLES) {
          for (const change of ['insert', 'update', 'delete'] as const) {
            await sql
              .raw(
                `create trigger ${table}_${change}_staff_directory after ${change} on ${table} begin update staff_directory_version set token = lower(hex(randomblob(16))) where id = 1; end`,
              )
              .execute(db);
          }
        }
        return;
      }
      await sql`create table staff_directory_version (id integer primary key check (id = 1), token text not null)`.execute(db);
      await sql`insert into staff_directory_version (id, token) values (1, gen_random_uuid()::text)`.execute(db);
      await sql`
        create function staff_directory_changed() returns trigger language plpgsql as $$
        begin
          update staff_directory_version set token = gen_random_uuid()::text where id = 1;
          return null;
        end
        $$`.execute(db);
      for (const table of TABLES) {
        await sql.raw(`create trigger ${table}_staff_directory after insert or update or delete on ${table} for each statement execute function staff_directory_changed()`).execute(db);
      }
    },
  };
}
