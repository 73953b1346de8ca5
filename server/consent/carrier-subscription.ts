// A contact unsubscribing from (or subscribing again to) one channel at the carrier: RBM's UNSUBSCRIBE and SUBSCRIBE
// user events, sent when they tap Unsubscribe or Subscribe in Google Messages. Only that channel changes. They left the
// hospital's RCS conversation in their messaging app; they did not ask the hospital to stop everything, and replies may
// still reach them by SMS. (Google Messages also posts a STOP or START text for them, which intake applies as the
// keyword it is, on every channel: docs/channels.md, "Consent".) Nothing is sent to confirm it: on RCS they have just
// said they want no more, and on any other channel they said nothing.
import type { SubscriptionChange } from '../../shared/inbound';
import { appendAudit } from '../store/audit-log';
import { getCaseView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import type { Store } from '../store/open-store';
import type { WriteUnit } from '../store/write-queue';
import { recordConsent } from './consent-records';

export type SubscriptionOutcome =
  /** Recorded, audited, and shown on the contact's open cases. */
  | 'applied'
  /** The channel was already in that state (a repeat, or the keyword text got there first). */
  | 'unchanged'
  /** Sent before the consent now on record was recorded: a late redelivery must not undo a newer choice. */
  | 'stale'
  /** No contact has this number: Clarion has never written to them or heard from them. */
  | 'unknown_contact';

/**
 * How the consent row and the audit say where it came from. Not in the "carrier twilio (Twilio error 21610)" form: the
 * desk reads that form as a STOP the carrier reported by refusing a send, which this is not.
 */
export function subscriptionSource(change: Pick<SubscriptionChange, 'provider' | 'change'>): string {
  const what = change.change === 'unsubscribed' ? 'user unsubscribed in Google Messages' : 'user subscribed again in Google Messages';
  return `carrier ${change.provider}: ${what}`;
}

/** Resolves after the commit (the webhook answers 200 only then), or rejects so the carrier sends it again. */
export function applySubscriptionChange(store: Store, change: SubscriptionChange): Promise<SubscriptionOutcome> {
  return store.writes.run((unit) => applyIn(unit, change));
}

async function applyIn(unit: WriteUnit, change: SubscriptionChange): Promise<SubscriptionOutcome> {
  const { trx } = unit;
  const contact = await trx.selectFrom('contacts').select('id').where('phone', '=', change.from).executeTakeFirst();
  if (contact === undefined) return 'unknown_contact';
  const onRecord = await trx
    .selectFrom('consents')
    .select('changed_at')
    .where('contact_id', '=', contact.id)
    .where('channel', '=', change.channel)
    .executeTakeFirst();
  // Google retries for up to a week: an UNSUBSCRIBE delivered again after a later SUBSCRIBE (or a START) stays undone.
  if (onRecord !== undefined && change.occurredAt < onRecord.changed_at) return 'stale';

  const status = change.change === 'unsubscribed' ? 'opted_out' : 'opted_in';
  const source = subscriptionSource(change);
  // Dated when the user did it, by the carrier's clock: a redelivery of the same event is then never newer than it.
  const changed = await recordConsent(unit, contact.id, [change.channel], status, source, change.occurredAt);
  if (changed.length === 0) return 'unchanged';

  const cases = await trx
    .selectFrom('cases')
    .select(['id', 'status'])
    .where('contact_id', '=', contact.id)
    .orderBy('last_message_at', 'desc')
    .execute();
  // Same action as STOP and START and Twilio's 21610, so timelines and reports treat them alike; the source says how.
  await appendAudit(unit, {
    actorType: 'carrier',
    actorId: change.provider,
    action: `consent.${status}`,
    caseId: cases[0]?.id ?? null,
    detail: { contactId: contact.id, channels: changed, source, eventId: change.providerEventId, occurredAt: change.occurredAt },
  });
  // Every desk showing one of their open cases reloads its consent panel on this event.
  for (const open of cases.filter((row) => row.status !== 'resolved')) {
    await appendEvent(unit, { type: 'consent.changed', actorId: null, case: await getCaseView(trx, open.id) });
  }
  return 'applied';
}
