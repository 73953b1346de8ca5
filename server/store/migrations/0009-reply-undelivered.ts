// Version 9: replies that never reach the family (docs/channels.md, "Replies not delivered"). The case keeps a mark
// until a later reply is delivered or staff dismiss it, and an SMS or WhatsApp send the carrier took carries the time by
// which a delivery report must have come. Both live in the store, so a restart neither loses a mark nor a deadline.
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

export function replyUndeliveredSchema(dialect: StoreDialect): Migration {
  const epoch = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      /** The ReplyUndelivered as JSON (shared/domain.ts), validated when read; null when there is none. */
      await db.schema.alterTable('cases').addColumn('reply_undelivered', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('confirm_by', epoch).execute();
      // The sender looks for sends whose report is overdue on every poll: a range over this, nulls never read.
      await db.schema.createIndex('outbox_confirm_by').on('outbox').column('confirm_by').execute();
    },
  };
}
