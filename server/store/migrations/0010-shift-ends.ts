// Version 10: a shift has an end (docs/escalation.md, "Shifts"). Before this, "on shift" lasted until the person said
// otherwise, so a forgotten sign-off kept a nurse who had gone home the target of every `on_shift` ladder step.
// Rows already on shift get the end a default long shift would have had from when they went on (changed_at + 12.5 h):
// someone mid-shift at the upgrade stays on until then, and anyone on shift for longer is off at once — their
// `on_shift` steps then find nobody and go upward as nobody-reachable, which is the safe way to be wrong.
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

const BACKFILL_MS = 750 * 60_000;

export function shiftEndsSchema(dialect: StoreDialect): Migration {
  const epoch = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      /** Epoch ms, hub clock. Null only when off shift. */
      await db.schema.alterTable('shifts').addColumn('ends_at', epoch).execute();
      await sql`update shifts set ends_at = changed_at + ${BACKFILL_MS} where on_shift = 1`.execute(db);
    },
  };
}
