// A trust's desk accounts, for the timers benches: every ladder step asks who of them it reaches, so their number
// belongs in a bench of steps. None can sign in (no password); a third have a shift row, half of those on shift.
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database, ShiftsTable, UsersTable } from '../../server/store/schema';

/** Runs one seeding statement: on a connection of its own (the months before a restart) or on the hub's. */
export type Exec = (sql: string, params: unknown[]) => unknown;

/** Runs statements on the hub's own connection, as the hub would have written these rows. */
export function onHub(db: Kysely<Database>): Exec {
  return (text, params) => db.executeQuery(CompiledQuery.raw(text, params));
}

const ROLES = ['ward_nurse', 'ward_nurse', 'ward_nurse', 'pals_officer', 'outreach'] as const;

interface StaffAccounts {
  users: Insertable<UsersTable>[];
  shifts: Insertable<ShiftsTable>[];
}

/** `count` accounts in a trust's proportions of roles (a fifth outreach), one ward each, in the order made. */
function staffAccounts(count: number): StaffAccounts {
  const now = Date.now();
  const accounts: StaffAccounts = { users: [], shifts: [] };
  for (let index = 0; index < count; index += 1) {
    const id = randomUUID();
    accounts.users.push({ id, username: `staff${index}`, display_name: `Staff ${index}`, role: ROLES[index % ROLES.length]!, wards: JSON.stringify([`W${(index % 4) + 1}`]), password_hash: '!', created_at: now, disabled: 0 });
    if (index % 3 === 0) accounts.shifts.push({ user_id: id, on_shift: index % 2, changed_at: now, changed_by: id, ends_at: index % 2 === 1 ? now + 86_400_000 : null });
  }
  return accounts;
}

const USER = 'insert into users (id, username, display_name, role, wards, password_hash, created_at, disabled) values (?, ?, ?, ?, ?, ?, ?, ?)';
const SHIFT = 'insert into shifts (user_id, on_shift, changed_at, changed_by, ends_at) values (?, ?, ?, ?, ?)';

/** Writes the accounts one SQLite statement each, through `exec`. */
export async function seedStaff(exec: Exec, count: number): Promise<void> {
  const { users, shifts } = staffAccounts(count);
  for (const user of users) await exec(USER, [user.id, user.username, user.display_name, user.role, user.wards, user.password_hash, user.created_at, user.disabled]);
  for (const shift of shifts) await exec(SHIFT, [shift.user_id, shift.on_shift, shift.changed_at, shift.changed_by, shift.ends_at]);
}

/** Writes the accounts into a store of either kind, a few hundred rows a statement; returns their ids in order. */
export async function seedStaffIn(db: Kysely<Database>, count: number): Promise<string[]> {
  const { users, shifts } = staffAccounts(count);
  const CHUNK = 300;
  for (let start = 0; start < users.length; start += CHUNK) await db.insertInto('users').values(users.slice(start, start + CHUNK)).execute();
  for (let start = 0; start < shifts.length; start += CHUNK) await db.insertInto('shifts').values(shifts.slice(start, start + CHUNK)).execute();
  return users.map((user) => user.id);
}
