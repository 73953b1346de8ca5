// The staff directory's token (migration 0012) on both stores: changed by every kind of write to users and shifts,
// whoever makes it, and by nothing else; a write that rolls back leaves it as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgres } from '../../testing/services';
import { postgresTestStore, sqliteTestStore, type TestStore } from '../../testing/test-stores';

const pgService = await postgres();

describe.each(['SQLite', 'PostgreSQL'] as const)('migration 0012: the staff directory token (%s)', (storeName) => {
  const skip = storeName === 'PostgreSQL' && pgService.url === undefined;

  describe.skipIf(skip)('on a migrated store', () => {
    let test: TestStore;

    beforeEach(async () => {
      test = storeName === 'SQLite' ? await sqliteTestStore() : await postgresTestStore(pgService.url!);
    });

    afterEach(() => test.cleanup());

    const token = async () => (await test.store.db.selectFrom('staff_directory_version').select('token').executeTakeFirstOrThrow()).token;

    it('changes with every insert, update and delete of a user or a shift, to a value it never had', async () => {
      const { db } = test.store;
      const seen = [await token()];
      const changes: [string, () => Promise<unknown>][] = [
        ['insert a user', () => db.insertInto('users').values({ id: 'u1', username: 'ana', display_name: 'Ana', role: 'outreach', wards: '[]', password_hash: 'x', created_at: 1, disabled: 0 }).execute()],
        ['update a user', () => db.updateTable('users').set({ disabled: 1 }).where('id', '=', 'u1').execute()],
        ['insert a shift', () => db.insertInto('shifts').values({ user_id: 'u1', on_shift: 1, changed_at: 2, changed_by: 'u1', ends_at: 3 }).execute()],
        ['update a shift', () => db.updateTable('shifts').set({ on_shift: 0, ends_at: null }).where('user_id', '=', 'u1').execute()],
        ['delete a shift', () => db.deleteFrom('shifts').where('user_id', '=', 'u1').execute()],
        ['delete a user', () => db.deleteFrom('users').where('id', '=', 'u1').execute()],
      ];
      for (const [what, change] of changes) {
        await change();
        const now = await token();
        expect(seen, what).not.toContain(now);
        seen.push(now);
      }
    });

    it('is left alone by writes to other tables, and by a write to users that rolls back', async () => {
      const { db } = test.store;
      const before = await token();
      await db.insertInto('patients').values({ id: 'p1', nhs_number: null, name: 'Pat', ward: 'W1', created_at: 1 }).execute();
      expect(await token()).toBe(before);
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('users').values({ id: 'u2', username: 'bo', display_name: 'Bo', role: 'admin', wards: '[]', password_hash: 'x', created_at: 1, disabled: 0 }).execute();
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await token()).toBe(before);
    });
  });
});
