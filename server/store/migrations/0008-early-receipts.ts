// Version 8: receipts that overtook the send (server/outbox/early-receipts.ts), held in the store instead of in memory.
// A carrier is answered 2xx for a receipt only once it is here (invariant 1), so a restart no longer loses one — least
// of all a `failed`, which is the last receipt the carrier sends and may carry an opt-out (Twilio 21610).
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

export function earlyReceiptsSchema(dialect: StoreDialect): Migration {
  const epoch = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const builder = db.schema.createTable('early_receipts');
      await (dialect === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder)
        // Numbered as inserted, which is arrival order: every insert is a write, and writes are serialised (SQLite has
        // one writer; on PostgreSQL every write transaction takes the same advisory lock first, write-queue.ts).
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('provider_message_id', 'text', (c) => c.notNull())
        /** The DeliveryStatus as JSON (shared/inbound.ts), validated again when read. */
        .addColumn('receipt', 'text', (c) => c.notNull())
        .addColumn('received_at', epoch, (c) => c.notNull())
        .execute();
      // The sender asks "is anything held for the id I just recorded?" after every send.
      await db.schema.createIndex('early_receipts_message').on('early_receipts').columns(['provider', 'provider_message_id']).execute();
      // Receipts past their age are deleted by a range over this.
      await db.schema.createIndex('early_receipts_received').on('early_receipts').column('received_at').execute();
    },
  };
}
