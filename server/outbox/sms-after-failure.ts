// A WhatsApp message the carrier took and then reported failed (the number left WhatsApp, Meta's 24-hour window closed
// before ours did, a rate limit) goes again by SMS, as a send WhatsApp refused at once does (outbox-sender.ts): the
// family still gets the reply, by the channel that reaches every phone. Done in the receipt's own transaction, so the
// failure and the SMS queued in its place commit together, and a receipt Meta repeats finds nothing left to do.
import type { DeliveryStatus } from '../../shared/inbound';
import { undeliveredCause } from '../channels/carrier-error-words';
import { appendAudit } from '../store/audit-log';
import { getCaseView, toMessageView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import type { MessageRow } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';

/**
 * Queues the SMS when the receipt is a failure the carrier says another channel may get round, for the WhatsApp send
 * the outbox made last; false (nothing changed) otherwise. Consent for SMS is checked when the SMS is sent, as always.
 */
export async function queueSmsAfterFailure(unit: WriteUnit, message: MessageRow, status: DeliveryStatus): Promise<boolean> {
  if (status.state !== 'failed' || status.fallbackSuggested !== true) return false;
  const row = await unit.trx
    .selectFrom('outbox')
    .select(['id', 'case_id'])
    .where('message_id', '=', message.id)
    .where('state', '=', 'sent')
    .where('send_channel', '=', 'whatsapp')
    .where('provider_message_id', '=', status.providerMessageId)
    .executeTakeFirst();
  if (row === undefined) return false;

  const words = `Not delivered by WhatsApp: ${undeliveredCause(status)}. Sending it by SMS instead.`;
  await unit.trx
    .updateTable('outbox')
    .set({ state: 'pending', next_attempt_at: unit.now, fallback_from: 'whatsapp', send_channel: null, provider: null, provider_message_id: null, last_error: words, updated_at: unit.now })
    .where('id', '=', row.id)
    .execute();
  // The SMS's receipts start from the beginning; the failed WhatsApp id no longer names this message.
  const requeued = { ...message, delivery_state: 'queued', provider: null, provider_message_id: null, delivery_error: words };
  await unit.trx
    .updateTable('messages')
    .set({ delivery_state: 'queued', provider: null, provider_message_id: null, delivery_error: words })
    .where('id', '=', message.id)
    .execute();
  await appendEvent(unit, { type: 'delivery.updated', actorId: null, case: await getCaseView(unit.trx, row.case_id), message: toMessageView(requeued) });
  await appendAudit(unit, {
    actorType: 'carrier',
    actorId: status.provider,
    action: 'reply.fallback',
    caseId: row.case_id,
    detail: { messageId: message.id, outboxId: row.id, from: 'whatsapp', to: 'sms', providerMessageId: status.providerMessageId, providerStatus: status.providerStatus, errorCode: status.errorCode ?? null },
  });
  return true;
}
