// Version 6: indexes shaped for the two lookups every inbound message makes (measured in bench/README.md).
// - "the open case for this contact on this line": ordered by opened_at inside (contact, line), so the newest case is
//   the first row read, with no sort; it replaces (contact, line, status), which nothing else used.
// - "the question this contact was last asked": a partial index over only the messages that asked one. The old
//   (contact, created_at) index walked every message of the contact, newest first, until it met a question — for a
//   contact who writes often and is rarely asked anything, that is the contact's whole history, on every message.
import { sql, type Kysely, type Migration } from 'kysely';

export function intakeIndexesSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('cases_contact_line_opened').on('cases').columns(['contact_id', 'line', 'opened_at']).execute();
      await db.schema.dropIndex('cases_contact_line_status').execute();
      await db.schema.createIndex('messages_contact_question').on('messages').columns(['contact_id', 'created_at']).where(sql.ref('question'), 'is not', null).execute();
    },
  };
}
