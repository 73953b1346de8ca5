// Version 11: the event log read by case. The log only had its seq (the primary key), which suits catch-up (events
// after a seq) but not "this case's events since then": alerts:mine (server/escalation/my-alerts.ts) restores a tray
// at every sign-in and reload by reading the events of the user's cases, and without an index that read walked the
// whole log — every message and alert the hub ever stored — on the event loop that serves webhooks and timers.
import type { Kysely, Migration } from 'kysely';

export function eventCaseIndexSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('events_case_at').on('events').columns(['case_id', 'at']).execute();
    },
  };
}
