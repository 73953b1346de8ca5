// Version 7: `cases.next_step_at` goes. The ladder's next step lives in `timers` (its due time, state and claim), which
// is what the scheduler reads; the copy on the case row was written by every ladder step and read by nothing, and each
// step paid a statement and a page of the cases table for it (bench/timers, docs/escalation.md).
import type { Kysely, Migration } from 'kysely';

export function dropNextStepAtSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('cases').dropColumn('next_step_at').execute();
    },
  };
}
