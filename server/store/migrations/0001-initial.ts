// Version 1: the whole first schema. Later versions get their own file; a landed migration is never edited.
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

export function initialSchema(dialect: StoreDialect): Migration {
  // SQLite STRICT tables accept only INTEGER/TEXT/…; PostgreSQL needs int8 for epoch milliseconds.
  const epoch = dialect === 'postgres' ? 'bigint' : 'integer';

  return {
    async up(db: Kysely<unknown>) {
      const table = (name: string) => {
        const builder = db.schema.createTable(name);
        return dialect === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;
      };

      await table('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('wards', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', epoch, (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await table('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', epoch, (c) => c.notNull())
        .addColumn('expires_at', epoch, (c) => c.notNull())
        .execute();

      await table('patients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('nhs_number', 'text', (c) => c.unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('ward', 'text')
        .addColumn('created_at', epoch, (c) => c.notNull())
        .execute();

      await table('contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('phone', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('patient_id', 'text', (c) => c.references('patients.id'))
        .addColumn('relation', 'text', (c) => c.notNull())
        .addColumn('preferred_channel', 'text')
        .addColumn('whatsapp_id', 'text')
        .addColumn('last_inbound_at', epoch)
        .addColumn('last_inbound_channel', 'text')
        .addColumn('created_at', epoch, (c) => c.notNull())
        .execute();

      await table('consents')
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('changed_at', epoch, (c) => c.notNull())
        .addPrimaryKeyConstraint('consents_pk', ['contact_id', 'channel'])
        .execute();

      await table('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ref', 'integer', (c) => c.notNull().unique())
        .addColumn('line', 'text', (c) => c.notNull())
        .addColumn('line_purpose', 'text', (c) => c.notNull())
        .addColumn('queue_id', 'text', (c) => c.notNull())
        .addColumn('ward', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
        .addColumn('patient_id', 'text', (c) => c.references('patients.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('opened_at', epoch, (c) => c.notNull())
        .addColumn('updated_at', epoch, (c) => c.notNull())
        .addColumn('last_message_at', epoch, (c) => c.notNull())
        .addColumn('last_message_preview', 'text', (c) => c.notNull())
        .addColumn('acknowledged_at', epoch)
        .addColumn('acknowledged_by', 'text')
        .addColumn('resolved_at', epoch)
        .addColumn('resolved_by', 'text')
        .addColumn('outcome', 'text')
        .addColumn('ack_due_at', epoch)
        .addColumn('respond_due_at', epoch)
        .addColumn('resolve_due_at', epoch)
        .addColumn('next_step_at', epoch)
        .execute();
      // Intake asks "is there an open case for this contact on this line?" for every inbound message.
      await db.schema.createIndex('cases_contact_line_status').on('cases').columns(['contact_id', 'line', 'status']).execute();
      // Bootstrap lists the open cases of the queues a desk sees.
      await db.schema.createIndex('cases_queue_status').on('cases').columns(['queue_id', 'status']).execute();

      await table('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('channel', 'text')
        .addColumn('provider', 'text')
        .addColumn('provider_message_id', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('intent', 'text')
        .addColumn('delivery_state', 'text')
        .addColumn('author_id', 'text')
        .addColumn('created_at', epoch, (c) => c.notNull())
        .execute();
      // Invariant 1: a carrier's retry of the same message is stored once. NULLs (notes, queued replies) stay distinct.
      await db.schema
        .createIndex('messages_provider_id')
        .unique()
        .on('messages')
        .columns(['provider', 'provider_message_id'])
        .execute();
      await db.schema.createIndex('messages_case_created').on('messages').columns(['case_id', 'created_at']).execute();

      await table('events')
        .addColumn('seq', epoch, (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', epoch, (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('queue_id', 'text', (c) => c.notNull())
        .addColumn('prev_queue_id', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();

      await table('audit')
        .addColumn('id', epoch, (c) => c.primaryKey())
        .addColumn('at', epoch, (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_case').on('audit').columns(['case_id', 'id']).execute();

      await table('commands')
        .addColumn('command_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('at', epoch, (c) => c.notNull())
        .execute();

      await table('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', epoch, (c) => c.notNull())
        .addColumn('provider', 'text')
        .addColumn('provider_message_id', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', epoch, (c) => c.notNull())
        .addColumn('updated_at', epoch, (c) => c.notNull())
        .execute();
      // The sender polls "what is due now?".
      await db.schema.createIndex('outbox_state_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
    },
  };
}
