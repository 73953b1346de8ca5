// Version 3: what the outbox sender and structured replies need beyond version 1 (docs/channels.md, "Outbound").
// A landed migration is never edited: later needs get a new file.
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

export function outboundSchema(dialect: StoreDialect): Migration {
  const epoch = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      // What the row is: a staff reply (consent re-checked at send time) or the one answer to a STOP/START/HELP keyword,
      // which carriers expect even to a number that has just opted out.
      await db.schema.alterTable('outbox').addColumn('kind', 'text', (c) => c.notNull().defaultTo('reply')).execute();
      // The channel the sender chose and, after an RCS fallback, the channel it fell back from.
      await db.schema.alterTable('outbox').addColumn('send_channel', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('fallback_from', 'text').execute();
      // When an RCS message counts as "not delivered in time" and is revoked for SMS.
      await db.schema.alterTable('outbox').addColumn('deliver_by', epoch).execute();
      // The question asked (template id + options, JSON), so intake can read the contact's next answer against it.
      await db.schema.alterTable('messages').addColumn('question', 'text').execute();
      // Why a message could not be delivered, in words staff can act on.
      await db.schema.alterTable('messages').addColumn('delivery_error', 'text').execute();
      // Intake asks "what was this contact last asked?" for every inbound message.
      await db.schema.createIndex('messages_contact_created').on('messages').columns(['contact_id', 'created_at']).execute();
    },
  };
}
