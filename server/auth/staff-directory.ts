// Staff accounts: creating them, finding them, and the view of them desks receive (never the password hash).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RoleSchema, UserViewSchema, type UserView } from '../../shared/domain';
import { appendAudit } from '../store/audit-log';
import type { Store } from '../store/open-store';
import type { UserRow } from '../store/schema';
import { hashPassword } from './passwords';

export const NewStaffSchema = z
  .object({
    username: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{2,64}$/, 'usernames are 2–64 letters, digits, dot, dash or underscore'),
    displayName: z.string().trim().min(1).max(100),
    password: z.string().min(10, 'passwords need at least 10 characters').max(1024),
    role: RoleSchema,
    wards: z.array(z.string().min(1).max(16)).default([]),
  })
  .refine((staff) => staff.role !== 'ward_nurse' || staff.wards.length > 0, { message: 'a ward nurse needs at least one --ward', path: ['wards'] });
export type NewStaff = z.input<typeof NewStaffSchema>;

export function toUserView(row: UserRow): UserView {
  return UserViewSchema.parse({ id: row.id, username: row.username, displayName: row.display_name, role: row.role, wards: JSON.parse(row.wards) });
}

export async function createStaff(store: Store, input: NewStaff, createdBy: string | null = null): Promise<UserView> {
  const staff = NewStaffSchema.parse(input);
  const passwordHash = await hashPassword(staff.password);
  return store.writes.run(async (unit) => {
    const existing = await unit.trx.selectFrom('users').select('id').where('username', '=', staff.username).executeTakeFirst();
    if (existing !== undefined) throw new Error(`a user called ${staff.username} already exists`);
    const row: UserRow = {
      id: randomUUID(),
      username: staff.username,
      display_name: staff.displayName,
      role: staff.role,
      wards: JSON.stringify(staff.wards),
      password_hash: passwordHash,
      created_at: unit.now,
      disabled: 0,
    };
    await unit.trx.insertInto('users').values(row).execute();
    await appendAudit(unit, {
      actorType: createdBy === null ? 'system' : 'user',
      actorId: createdBy,
      action: 'user.created',
      caseId: null,
      detail: { userId: row.id, username: row.username, role: row.role, wards: staff.wards },
    });
    return toUserView(row);
  });
}

export async function findStaffByUsername(store: Store, username: string): Promise<UserRow | undefined> {
  return store.db.selectFrom('users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
}

export async function findStaff(store: Store, id: string): Promise<UserView | undefined> {
  const row = await store.db.selectFrom('users').selectAll().where('id', '=', id).where('disabled', '=', 0).executeTakeFirst();
  return row === undefined ? undefined : toUserView(row);
}

export async function listStaff(store: Store): Promise<UserView[]> {
  const rows = await store.db.selectFrom('users').selectAll().where('disabled', '=', 0).orderBy('display_name').execute();
  return rows.map(toUserView);
}

export async function countStaff(store: Store): Promise<number> {
  const row = await store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}
