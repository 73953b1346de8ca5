import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryPlan, useMigratedStore } from '../../testing/sqlite-plan';

describe('migration 0003', () => {
  const migrated = useMigratedStore();
  const plan = (query: ReturnType<typeof sql>) => queryPlan(migrated.store, query);

  it("finds the sender's due rows in all three due states from outbox_state_due", async () => {
    expect(await plan(sql`select id from outbox where state in ('pending', 'sending', 'awaiting_delivery') and next_attempt_at <= 5 order by next_attempt_at limit 50`)).toMatch(
      /USING INDEX outbox_state_due/,
    );
  });

  it('gives rows queued before it the kind of a staff reply', async () => {
    const columns = await sql<{ name: string; dflt_value: string | null }>`pragma table_info(outbox)`.execute(migrated.store.db);
    expect(columns.rows.find((column) => column.name === 'kind')?.dflt_value).toBe("'reply'");
  });
});
