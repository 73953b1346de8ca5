// Reply: the message and its outbox entry are written with the staff action, in one transaction (invariant 7), so a
// reply the desk saw accepted is never lost; the outbox sender delivers it afterwards. A contact who has opted out is
// refused here with words staff can act on, and nothing is written.
import { ChannelSchema } from '../../shared/domain';
import { REPLY_TEMPLATES } from '../../shared/reply-intent';
import type { CommandResult, ReplyCommand } from '../../shared/protocol';
import { optedOutChannels } from '../consent/consent-records';
import { candidateChannels } from '../outbox/channel-choice';
import { queueOutbound } from '../outbox/queue-outbound';
import { noCarrierRefusal } from '../outbox/sending-reach';
import { toMessageView } from '../store/case-views';
import { changeCase, failure, resolvedAlready, staleVersion, type CommandContext } from './command-context';

export async function reply(context: CommandContext, command: ReplyCommand): Promise<CommandResult> {
  const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current, unit, user } = context;
  const template = command.templateId === undefined ? undefined : REPLY_TEMPLATES.find((candidate) => candidate.id === command.templateId);
  if (command.templateId !== undefined && template === undefined) return failure('invalid', `There is no reply template called ${command.templateId}.`);
  if (await optedOutOfEveryChannel(context)) {
    return failure('forbidden', 'Not sent: this contact has opted out of messages (they replied STOP). They can opt back in by replying START; until then, contact them another way.');
  }
  const carrierless = await refuseWithoutCarrier(context);
  if (carrierless !== undefined) return carrierless;
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

/**
 * Refused only when no channel the reply could go by is left: a contact who unsubscribed from RCS alone (in Google
 * Messages) still gets it by SMS, which the sender chooses when it reads consent again at send time.
 */
async function optedOutOfEveryChannel(context: CommandContext): Promise<boolean> {
  const { current, unit } = context;
  const optedOut = await optedOutChannels(unit.trx, current.contactId);
  if (optedOut.length === 0) return false;
  const contact = await unit.trx.selectFrom('contacts').select('preferred_channel').where('id', '=', current.contactId).executeTakeFirst();
  const preferred = ChannelSchema.nullable().parse(contact?.preferred_channel ?? null);
  return candidateChannels(current.channel, preferred).every((channel) => optedOut.includes(channel));
}

/**
 * No carrier here for any channel the reply could go by: refused now, nothing queued, rather than a reply that waits
 * Queued for ever while staff believe the family was answered (H6). The words say what to do instead.
 */
async function refuseWithoutCarrier(context: CommandContext): Promise<CommandResult | undefined> {
  const { reach, current, unit } = context;
  if (reach === undefined) return undefined;
  const contact = await unit.trx.selectFrom('contacts').select('preferred_channel').where('id', '=', current.contactId).executeTakeFirst();
  const preferred = ChannelSchema.nullable().parse(contact?.preferred_channel ?? null);
  const refusal = noCarrierRefusal(reach, current.channel, preferred);
  // 'forbidden', as for a contact who opted out: the desk shows the hub's words, not "try again in a moment".
  return refusal === undefined ? undefined : failure('forbidden', refusal);
}
