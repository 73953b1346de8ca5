import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryPlan, useMigratedStore } from '../../testing/sqlite-plan';

describe('migration 0011: the event log read by case', () => {
  const migrated = useMigratedStore();

  it("reads a user's cases' recent events (alerts:mine) from the index, not by walking the whole log", async () => {
    const found = await queryPlan(migrated.store, sql`select seq, case_id, at, payload from events where case_id in ('a', 'b') and at >= 0`);
    expect(found).toMatch(/USING INDEX events_case_at \(case_id=\? AND at>\?\)/);
    expect(found).not.toMatch(/^SCAN events/);
  });
});
