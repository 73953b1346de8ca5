// Internal note: staff-only text on the case's thread, never sent to the patient. Allowed on resolved cases too (a
// late handover note belongs with the record), and not version-checked: a note cannot contradict a newer change.
import type { CommandResult, NoteCommand } from '../../shared/protocol';
import { toMessageView } from '../store/case-views';
import { newMessageId } from '../store/message-id';
import type { MessageRow } from '../store/schema';
import { changeCase, type CommandContext } from './command-context';

export async function note(context: CommandContext, command: NoteCommand): Promise<CommandResult> {
  const { current, unit, user } = context;
  const row: MessageRow = {
    id: newMessageId(),
    case_id: current.id,
    contact_id: null,
    direction: 'note',
    channel: null,
    provider: null,
    provider_message_id: null,
    body: command.body,
    intent: null,
    delivery_state: null,
    author_id: user.id,
    created_at: unit.now,
  };
  await unit.trx.insertInto('messages').values(row).execute();
  return changeCase(context, {
    set: {},
    event: 'note.added',
    audit: { action: 'note.added', detail: { messageId: row.id, length: command.body.length } },
    message: toMessageView(row),
  });
}
