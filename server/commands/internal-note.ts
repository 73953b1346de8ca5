// A staff-only line on a case's thread, never sent to the patient: what `note` adds, and what staff say they did
// instead when they dismiss a reply that was not delivered. The caller records the case change and the audit.
import { newSortableId } from '../store/sortable-id';
import type { MessageRow } from '../store/schema';
import type { CommandContext } from './command-context';

export async function storeInternalNote({ current, unit, user }: CommandContext, body: string): Promise<MessageRow> {
  const row: MessageRow = {
    id: newSortableId(),
    case_id: current.id,
    contact_id: null,
    direction: 'note',
    channel: null,
    provider: null,
    provider_message_id: null,
    body,
    intent: null,
    delivery_state: null,
    author_id: user.id,
    created_at: unit.now,
  };
  await unit.trx.insertInto('messages').values(row).execute();
  return row;
}
