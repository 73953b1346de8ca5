// Carriers' delivery receipts for our outbound messages. Applied monotonically (channels/delivery-order.ts): a late
// `delivered` after `read`, or a duplicate, changes nothing; each change that sticks is one transaction with its event
// and audit row, so every desk shows the same tick marks. A failure Twilio explains as an opt-out (21610, reported in
// the callback rather than in the answer to the send) is also recorded as one, in the same transaction; a delivery that
// overturns a failure clears the failure's words but not the opt-out, which is consent and only START undoes. A WhatsApp
// failure another channel can get round puts the reply back in the outbox for SMS instead (outbox/sms-after-failure.ts).
// A failure nothing can get round marks the case "reply not delivered", and a delivery clears that mark
// (outbox/reply-undelivered.ts), in the receipt's transaction.
import type { DeliveryStatus } from '../../shared/inbound';
import { DeliveryStateSchema, isUndelivered } from '../../shared/domain';
import { undeliveredWords } from '../channels/carrier-error-words';
import { supersedes } from '../channels/delivery-order';
import { twilioOptOutRefusal } from '../channels/twilio';
import { carrierOptOutReason, recordCarrierOptOut } from '../consent/carrier-opt-out';
import { clearOnDelivery, markReplyUndelivered } from '../outbox/reply-undelivered';
import { queueSmsAfterFailure } from '../outbox/sms-after-failure';
import { appendAudit } from '../store/audit-log';
import { getCaseView, toMessageView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import type { Store } from '../store/open-store';
import type { WriteUnit } from '../store/write-queue';

export type ReceiptOutcome = 'applied' | 'superseded' | 'unknown_message';

export async function applyDeliveryStatus(store: Store, status: DeliveryStatus): Promise<ReceiptOutcome> {
  return store.writes.run((unit) => applyReceipt(unit, status));
}

/**
 * The same inside the caller's transaction, so that what the caller does with the outcome commits with it: a receipt
 * for a message not (yet) known is held in that transaction (outbox/early-receipts.ts), leaving no moment in which the
 * carrier's id could be recorded between finding the message unknown and holding the receipt.
 */
export async function applyReceipt(unit: WriteUnit, status: DeliveryStatus): Promise<ReceiptOutcome> {
  const message = await unit.trx
    .selectFrom('messages')
    .selectAll()
    .where('provider', '=', status.provider)
    .where('provider_message_id', '=', status.providerMessageId)
    .where('direction', '=', 'outbound')
    .executeTakeFirst();
  // A receipt for a message we have no record of: one that overtook the send's answer, or one for a message another
  // system sent on the same account. The caller decides; asking the carrier to retry it would never help.
  if (message === undefined) return 'unknown_message';
  const current = DeliveryStateSchema.parse(message.delivery_state ?? 'queued');
  const recorded = current === 'queued' || current === 'received' ? undefined : current;
  // A repeat, or a failure after a delivery, changes nothing — not even an opt-out it carries, so a callback Twilio
  // retries after the contact has opted back in with START cannot opt them out again.
  if (!supersedes(recorded, status.state)) return 'superseded';
  const optOutRefusal = twilioOptOutRefusal(status);
  if (optOutRefusal === undefined && (await queueSmsAfterFailure(unit, message, status))) return 'applied';
  const words = deliveryError(status, optOutRefusal);
  await unit.trx.updateTable('messages').set({ delivery_state: status.state, ...words }).where('id', '=', message.id).execute();
  // Before the view is read, so the delivery's event shows the case without the mark.
  if (status.state === 'delivered' || status.state === 'read') await clearOnDelivery(unit, message);
  const view = await getCaseView(unit.trx, message.case_id);
  await appendEvent(unit, { type: 'delivery.updated', actorId: null, case: view, message: toMessageView({ ...message, delivery_state: status.state, ...words }) });
  await appendAudit(unit, {
    actorType: 'carrier',
    actorId: status.provider,
    action: 'delivery.updated',
    caseId: message.case_id,
    detail: { messageId: message.id, from: current, to: status.state, providerStatus: status.providerStatus, errorCode: status.errorCode ?? null },
  });
  if (optOutRefusal !== undefined) {
    // Records nothing more when the contact is already opted out everywhere (by STOP, or a refusal of another send).
    await recordCarrierOptOut(unit, { contactId: message.contact_id ?? view.contactId, caseId: message.case_id, provider: status.provider, refusal: optOutRefusal, messageId: message.id });
  }
  if (isUndelivered(status.state)) await markReplyUndelivered(unit, message.id, words.delivery_error ?? undeliveredWords(status));
  return 'applied';
}

/**
 * What the receipt does to the message's words for staff. A failure Twilio explains as an opt-out says so, as the
 * outbox does for a send refused for the same reason; any other failure says what the carrier reported, in words
 * where its code is known (channels/carrier-error-words.ts). Any other state — a `delivered` or `read` that overturns
 * a failure (delivery-order.ts) — clears them: the message arrived, and must not show "Not delivered: …" beside it.
 */
function deliveryError(status: DeliveryStatus, optOutRefusal: string | undefined): { delivery_error: string | null } {
  if (optOutRefusal !== undefined) return { delivery_error: carrierOptOutReason('Not delivered', optOutRefusal) };
  return { delivery_error: isUndelivered(status.state) ? undeliveredWords(status) : null };
}
