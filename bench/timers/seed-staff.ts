// A trust's desk accounts, for the timers benches: every ladder step asks who of them it reaches, so their number
// belongs in a bench of steps. None can sign in (no password); a third have a shift row, half of those on shift.
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../server/store/schema';

/** Runs one seeding statement: on a connection of its own (the months before a restart) or on the hub's. */
export type Exec = (sql: string, params: unknown[]) => unknown;

/** Runs statements on the hub's own connection, as the hub would have written these rows. */
export function onHub(db: Kysely<Database>): Exec {
  return (text, params) => db.executeQuery(CompiledQuery.raw(text, params));
}

const ROLES = ['ward_nurse', 'ward_nurse', 'ward_nurse', 'pals_officer', 'outreach'] as const;
const USER = "insert into users (id, username, display_name, role, wards, password_hash, created_at, disabled) values (?, ?, ?, ?, ?, '!', ?, 0)";
const SHIFT = 'insert into shifts (user_id, on_shift, changed_at, changed_by, ends_at) values (?, ?, ?, ?, ?)';

export async function seedStaff(exec: Exec, count: number): Promise<void> {
  const now = Date.now();
  for (let index = 0; index < count; index += 1) {
    const id = randomUUID();
    await exec(USER, [id, `staff${index}`, `Staff ${index}`, ROLES[index % ROLES.length], JSON.stringify([`W${(index % 4) + 1}`]), now]);
    if (index % 3 === 0) await exec(SHIFT, [id, index % 2, now, id, index % 2 === 1 ? now + 86_400_000 : null]);
  }
}
