// Internal note: staff-only text on the case's thread, never sent to the patient. Allowed on resolved cases too (a
// late handover note belongs with the record), and not version-checked: a note cannot contradict a newer change.
import type { CommandResult, NoteCommand } from '../../shared/protocol';
import { toMessageView } from '../store/case-views';
import { changeCase, type CommandContext } from './command-context';
import { storeInternalNote } from './internal-note';

export async function note(context: CommandContext, command: NoteCommand): Promise<CommandResult> {
  const row = await storeInternalNote(context, command.body);
  return changeCase(context, {
    set: {},
    event: 'note.added',
    audit: { action: 'note.added', detail: { messageId: row.id, length: command.body.length } },
    message: toMessageView(row),
  });
}
