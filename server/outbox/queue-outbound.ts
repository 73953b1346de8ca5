// The one way an outbound message is queued: the message row and its outbox row, written in the caller's transaction
// (invariant 7), so whatever queued it — a staff reply or the answer to a STOP — commits or rolls back with it.
import { randomUUID } from 'node:crypto';
import type { Channel } from '../../shared/domain';
import type { AskedQuestion } from '../../shared/reply-intent';
import { newSortableId } from '../store/sortable-id';
import type { MessageRow } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';

/** `reply`: consent is re-checked when sent. `keyword_answer`: the single answer to STOP/START/HELP, sent regardless. */
export type OutboxKind = 'reply' | 'keyword_answer';

export interface OutboundToQueue {
  caseId: string;
  contactId: string;
  /** The conversation's channel; the sender may choose another (docs/channels.md, "Outbound"). */
  channel: Channel;
  to: string;
  body: string;
  kind: OutboxKind;
  authorId: string | null;
  question?: Omit<AskedQuestion, 'sentAt'>;
}

export async function queueOutbound(unit: WriteUnit, outbound: OutboundToQueue): Promise<MessageRow> {
  const { trx, now } = unit;
  const message: MessageRow = {
    id: newSortableId(),
    case_id: outbound.caseId,
    contact_id: outbound.contactId,
    direction: 'outbound',
    channel: outbound.channel,
    provider: null,
    provider_message_id: null,
    body: outbound.body,
    intent: null,
    delivery_state: 'queued',
    author_id: outbound.authorId,
    created_at: now,
  };
  const question: AskedQuestion | undefined = outbound.question === undefined ? undefined : { ...outbound.question, sentAt: now };
  await trx
    .insertInto('messages')
    .values({ ...message, question: question === undefined ? null : JSON.stringify(question) })
    .execute();
  await trx
    .insertInto('outbox')
    .values({
      // A UUID on purpose: RBM takes it as the messageId (repeats are ignored) and Notify echoes it as the reference.
      id: randomUUID(),
      message_id: message.id,
      case_id: outbound.caseId,
      contact_id: outbound.contactId,
      channel: outbound.channel,
      to_address: outbound.to,
      body: outbound.body,
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      provider: null,
      provider_message_id: null,
      last_error: null,
      created_at: now,
      updated_at: now,
      kind: outbound.kind,
    })
    .execute();
  return message;
}
