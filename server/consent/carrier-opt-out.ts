// A carrier refusing a send because the recipient opted out with the carrier (Twilio 21610: they texted STOP to Twilio,
// which then blocks every send until START). Clarion may never have heard that STOP — it went to another number of the
// Messaging Service, or arrived while the hub was unreachable — so the refusal is the first it learns of it. It is
// recorded as Clarion's own opt-out, on every channel as a STOP keyword is (keyword-consent.ts), so staff see it and
// the next reply is refused before any carrier is called. A later START opts back in as usual.
import type { Channel, Provider } from '../../shared/domain';
import { appendAudit } from '../store/audit-log';
import { getCaseView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import type { WriteUnit } from '../store/write-queue';
import { recordConsentEverywhere } from './consent-records';

/**
 * What staff read on the message the carrier refused: whether it was refused at the send ('Not sent') or taken and
 * then reported failed ('Not delivered'), why, and that Clarion now holds the opt-out.
 */
export function carrierOptOutReason(stage: 'Not sent' | 'Not delivered', refusal: string): string {
  return `${stage}: the number has opted out with the carrier (${refusal}; they replied STOP to it). Clarion now records them as opted out of every channel.`;
}

export interface CarrierOptOut {
  contactId: string;
  caseId: string;
  provider: Provider;
  /** The carrier's answer in codes, for example "Twilio error 21610": it becomes the consent's source. */
  refusal: string;
  /** The message the carrier refused. */
  messageId: string;
}

/**
 * Runs inside the caller's transaction (the outbox's, or a status callback's when Twilio reports 21610 after taking the
 * send: intake/delivery-receipts.ts — either marking the message failed), so the failure and the opt-out that
 * explains it commit together or not at all. Returns the channels that changed: empty when the contact was already
 * opted out everywhere (a second refusal, from a send that raced the first), which then records nothing new.
 */
export async function recordCarrierOptOut(unit: WriteUnit, optOut: CarrierOptOut): Promise<Channel[]> {
  const source = `carrier ${optOut.provider} (${optOut.refusal})`;
  const changed = await recordConsentEverywhere(unit, optOut.contactId, 'opted_out', source);
  if (changed.length === 0) return changed;
  // The same audit action as a STOP keyword, so the case timeline and any report treat both alike; the source says how.
  await appendAudit(unit, {
    actorType: 'carrier',
    actorId: optOut.provider,
    action: 'consent.opted_out',
    caseId: optOut.caseId,
    detail: { contactId: optOut.contactId, channels: changed, source, messageId: optOut.messageId },
  });
  // Every desk showing the case reloads its consent panel on this event.
  await appendEvent(unit, { type: 'consent.changed', actorId: null, case: await getCaseView(unit.trx, optOut.caseId) });
  return changed;
}
