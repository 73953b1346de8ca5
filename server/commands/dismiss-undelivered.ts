// Staff have dealt with a reply that did not reach the family another way ("Phoned the family"): the case's mark is
// cleared, what they did goes on the thread as an internal note, and the audit names who and which reply — one
// transaction. Allowed on resolved cases, where the mark matters most. The mark named must be the one on the case, so
// a newer failure that arrived while the user was typing is not dismissed with the old one.
import type { CommandResult, DismissUndeliveredCommand } from '../../shared/protocol';
import { toMessageView } from '../store/case-views';
import { changeCase, failure, staleVersion, type CommandContext } from './command-context';
import { storeInternalNote } from './internal-note';

export async function dismiss_undelivered(context: CommandContext, command: DismissUndeliveredCommand): Promise<CommandResult> {
  const refused = staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current } = context;
  const mark = current.replyUndelivered ?? null;
  if (mark === null) return failure('invalid', 'No reply on this case is marked as not delivered.');
  if (mark.messageId !== command.messageId) {
    return failure('conflict', 'Another reply on this case has since not been delivered. The latest is now shown.', { case: current });
  }
  const note = await storeInternalNote(context, command.note);
  return changeCase(context, {
    set: { reply_undelivered: null },
    event: 'reply.undelivered_dismissed',
    audit: { action: 'reply_undelivered.dismissed', detail: { messageId: mark.messageId, channel: mark.channel, reason: mark.reason, noteId: note.id, noteLength: command.note.length } },
    message: toMessageView(note),
  });
}
