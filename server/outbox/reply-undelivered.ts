// The "reply not delivered" mark (H6, docs/channels.md "Replies not delivered"). A reply that will not reach the family
// — failed with no channel left, or taken by the carrier and never reported delivered in time — marks its case, in the
// transaction that learnt it, with one alert event: every desk that sees the queue gets the case with the mark, and the
// reply's author gets it addressed to them. The mark stays, on resolved cases too, until a reply on the case written no
// earlier than the marked one is delivered, or staff dismiss it (server/commands/dismiss-undelivered.ts).
import { ChannelSchema, type ReplyUndelivered } from '../../shared/domain';
import { appendAlertEvent } from '../escalation/alert-events';
import { appendAudit } from '../store/audit-log';
import { getCaseView, readReplyUndelivered } from '../store/case-views';
import type { WriteUnit } from '../store/write-queue';

/** Longest reason kept on the mark; carrier words are short, this only bounds a surprise. */
const MAX_REASON = 1000;

/**
 * Marks the case of an outbound message as having a reply that did not reach the family; false when the message is
 * not one staff are waiting on (the single answer to STOP/START/HELP, which nobody wrote or reads).
 */
export async function markReplyUndelivered(unit: WriteUnit, messageId: string, reason: string): Promise<boolean> {
  const message = await unit.trx.selectFrom('messages').select(['id', 'case_id', 'channel', 'author_id', 'direction']).where('id', '=', messageId).executeTakeFirst();
  if (message === undefined || message.direction !== 'outbound') return false;
  const outbox = await unit.trx.selectFrom('outbox').select('kind').where('message_id', '=', messageId).executeTakeFirst();
  if (outbox?.kind === 'keyword_answer') return false;
  const mark: ReplyUndelivered = {
    messageId,
    channel: ChannelSchema.nullable().parse(message.channel),
    reason: reason.slice(0, MAX_REASON),
    authorId: message.author_id,
    at: unit.now,
  };
  await unit.trx
    .updateTable('cases')
    // A new version: the case itself changed, and desks replace their copy only with a newer one (docs/protocol.md).
    .set((eb) => ({ reply_undelivered: JSON.stringify(mark), version: eb('version', '+', 1), updated_at: unit.now }))
    .where('id', '=', message.case_id)
    .execute();
  const view = await getCaseView(unit.trx, message.case_id);
  await appendAlertEvent(unit, {
    type: 'reply.undelivered',
    case: view,
    // Addressed to the author, so their desk says it to them; every desk in the queue's scope gets the event and mark.
    alert: { kind: 'reply_undelivered', level: 0, cycle: 0, targets: mark.authorId === null ? [] : [mark.authorId] },
    actor: { type: 'system', id: null },
    detail: { messageId, channel: mark.channel, reason: mark.reason },
  });
  return true;
}

/**
 * A delivered (or read) outbound message clears its case's mark when it is the marked reply (a late receipt) or was
 * written after it: the family has now had a reply. Call before the delivery's event is built, so that event carries
 * the case without the mark. Returns the mark cleared, if any.
 */
export async function clearOnDelivery(unit: WriteUnit, delivered: { id: string; case_id: string; created_at: number }): Promise<ReplyUndelivered | undefined> {
  const row = await unit.trx.selectFrom('cases').select('reply_undelivered').where('id', '=', delivered.case_id).executeTakeFirst();
  const mark = readReplyUndelivered(row?.reply_undelivered ?? null);
  if (mark === null) return undefined;
  if (mark.messageId !== delivered.id) {
    const marked = await unit.trx.selectFrom('messages').select(['id', 'created_at']).where('id', '=', mark.messageId).executeTakeFirst();
    // Thread order is (created_at, id); ids sort in creation order within one millisecond (store/sortable-id.ts).
    if (marked !== undefined && (delivered.created_at < marked.created_at || (delivered.created_at === marked.created_at && delivered.id < marked.id))) return undefined;
  }
  await unit.trx
    .updateTable('cases')
    .set((eb) => ({ reply_undelivered: null, version: eb('version', '+', 1), updated_at: unit.now }))
    .where('id', '=', delivered.case_id)
    .execute();
  await appendAudit(unit, {
    actorType: 'system',
    actorId: 'outbox',
    action: 'reply_undelivered.cleared',
    caseId: delivered.case_id,
    detail: { messageId: mark.messageId, deliveredMessageId: delivered.id },
  });
  return mark;
}
