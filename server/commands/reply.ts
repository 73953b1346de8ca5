// Reply: the message and its outbox entry are written with the staff action, in one transaction (invariant 7), so a
// reply the desk saw accepted is never lost; the outbox sender delivers it afterwards. A contact who has opted out is
// refused here with words staff can act on, and nothing is written.
import { REPLY_TEMPLATES } from '../../shared/reply-intent';
import type { CommandResult, ReplyCommand } from '../../shared/protocol';
import { optedOutChannels } from '../consent/consent-records';
import { queueOutbound } from '../outbox/queue-outbound';
import { toMessageView } from '../store/case-views';
import { changeCase, failure, resolvedAlready, staleVersion, type CommandContext } from './command-context';

export async function reply(context: CommandContext, command: ReplyCommand): Promise<CommandResult> {
  const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current, unit, user } = context;
  const template = command.templateId === undefined ? undefined : REPLY_TEMPLATES.find((candidate) => candidate.id === command.templateId);
  if (command.templateId !== undefined && template === undefined) return failure('invalid', `There is no reply template called ${command.templateId}.`);
  if ((await optedOutChannels(unit.trx, current.contactId)).includes(current.channel)) {
    return failure('forbidden', 'Not sent: this contact has opted out of messages (they replied STOP). They can opt back in by replying START; until then, contact them another way.');
  }
  const message = await queueOutbound(unit, {
    caseId: current.id,
    contactId: current.contactId,
    channel: current.channel,
    to: current.contactPhone,
    body: command.body,
    kind: 'reply',
    authorId: user.id,
    // A template with no options is one-way: there is nothing to read the next message against.
    ...(template !== undefined && template.options.length > 0 ? { question: { templateId: template.id, options: template.options } } : {}),
  });
  const result = await changeCase(context, {
    set: { assignee_id: current.assigneeId ?? user.id },
    event: 'reply.queued',
    audit: {
      action: 'reply.queued',
      detail: { messageId: message.id, channel: current.channel, length: command.body.length, templateId: command.templateId ?? null },
    },
    message: toMessageView(message),
  });
  // The desk matches delivery reports to this reply by the id; the ledger stores the answer with it for replays.
  return result.ok ? { ...result, messageId: message.id } : result;
}
