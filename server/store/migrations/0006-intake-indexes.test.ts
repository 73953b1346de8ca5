import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryPlan, useMigratedStore } from '../../testing/sqlite-plan';

describe('migration 0006: the lookups of every inbound message', () => {
  const migrated = useMigratedStore();
  const plan = (query: ReturnType<typeof sql>) => queryPlan(migrated.store, query);

  it('finds the open case for a contact on a line newest first from its index, without sorting', async () => {
    const found = await plan(
      sql`select id, version from cases where contact_id = 'c' and line = '+447700900111' and status != 'resolved' order by opened_at desc limit 1`,
    );
    expect(found).toMatch(/USING INDEX cases_contact_line_opened \(contact_id=\? AND line=\?\)/);
    expect(found).not.toMatch(/TEMP B-TREE/);
  });

  it("reads the contact's last question from the messages that asked one, not the contact's whole history", async () => {
    const found = await plan(
      sql`select question from messages where contact_id = 'c' and direction = 'outbound' and question is not null order by created_at desc limit 1`,
    );
    expect(found).toMatch(/USING INDEX messages_contact_question/);
    expect(found).not.toMatch(/TEMP B-TREE/);
  });
});
