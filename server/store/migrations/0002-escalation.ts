// Version 2: the escalation engine's data (invariant 4, "timers are data"). Deadlines themselves sit on the case row
// (version 1); what is added here is what fires them and who was told.
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

export function escalationSchema(dialect: StoreDialect): Migration {
  const epoch = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const table = (name: string) => {
        const builder = db.schema.createTable(name);
        return dialect === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;
      };

      // One row per thing that must happen at a time. Claimed by compare-and-set on `state`, so a second
      // scheduler (another hub, or this one after a restart mid-fire) finds it already fired and does nothing.
      await table('timers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('due_at', epoch, (c) => c.notNull())
        /** Ladder step index (kind = step), else 0. */
        .addColumn('step', 'integer', (c) => c.notNull())
        /** JSON: which deadline, which fraction, which ladder cycle. */
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', epoch, (c) => c.notNull())
        .addColumn('fired_at', epoch)
        .execute();
      // The scheduler rebuilds its heap from "every pending timer" at start.
      await db.schema.createIndex('timers_state_due').on('timers').columns(['state', 'due_at']).execute();
      // Acknowledge and resolve cancel a case's pending timers.
      await db.schema.createIndex('timers_case_state').on('timers').columns(['case_id', 'state']).execute();

      // The current alert of a case: its state and the ladder snapshotted when it started (a later policy edit
      // changes only new alerts).
      await table('case_alerts')
        .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
        .addColumn('queue_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('episode', 'integer', (c) => c.notNull())
        .addColumn('ladder', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('cycle', 'integer', (c) => c.notNull())
        .addColumn('started_at', epoch, (c) => c.notNull())
        .addColumn('silenced_until', epoch)
        .addColumn('updated_at', epoch, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_alerts_state_queue').on('case_alerts').columns(['state', 'queue_id']).execute();

      // Who each alert reached, for "alerts waiting for me" counts and the record of who was told what, when.
      await table('alert_notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('episode', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('at', epoch, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_notifications_user').on('alert_notifications').columns(['user_id', 'case_id']).execute();

      // Who is on shift. Presence (a connected desk) is live state in the hub, not stored.
      await table('shifts')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
        .addColumn('on_shift', 'integer', (c) => c.notNull())
        .addColumn('changed_at', epoch, (c) => c.notNull())
        .addColumn('changed_by', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
