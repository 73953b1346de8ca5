// Reply: the message and its outbox entry are written with the staff action, in one transaction (invariant 7), so a
// reply the desk saw accepted is never lost; the outbox sender delivers it afterwards.
import { randomUUID } from 'node:crypto';
import type { CommandResult, ReplyCommand } from '../../shared/protocol';
import { toMessageView } from '../store/case-views';
import type { MessageRow } from '../store/schema';
import { changeCase, resolvedAlready, staleVersion, type CommandContext } from './command-context';

export async function reply(context: CommandContext, command: ReplyCommand): Promise<CommandResult> {
  const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current, unit, user } = context;
  const message: MessageRow = {
    id: randomUUID(),
    case_id: current.id,
    contact_id: current.contactId,
    direction: 'outbound',
    channel: current.channel,
    provider: null,
    provider_message_id: null,
    body: command.body,
    intent: null,
    delivery_state: 'queued',
    author_id: user.id,
    created_at: unit.now,
  };
  await unit.trx.insertInto('messages').values(message).execute();
  await unit.trx
    .insertInto('outbox')
    .values({
      id: randomUUID(),
      message_id: message.id,
      case_id: current.id,
      contact_id: current.contactId,
      channel: current.channel,
      to_address: current.contactPhone,
      body: command.body,
      state: 'pending',
      attempts: 0,
      next_attempt_at: unit.now,
      provider: null,
      provider_message_id: null,
      last_error: null,
      created_at: unit.now,
      updated_at: unit.now,
    })
    .execute();
  return changeCase(context, {
    set: { assignee_id: current.assigneeId ?? user.id },
    event: 'reply.queued',
    audit: { action: 'reply.queued', detail: { messageId: message.id, channel: current.channel, length: command.body.length } },
    message: toMessageView(message),
  });
}
