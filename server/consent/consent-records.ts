// Consent per contact and channel, with where it came from and when (the consents table). A STOP on any channel opts
// the contact out of every channel: a patient who says stop means stop, not "stop on this app".
import type { Kysely, Transaction } from 'kysely';
import { ChannelSchema, type Channel } from '../../shared/domain';
import type { Database } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';

type Reader = Kysely<Database> | Transaction<Database>;

export const CONSENT_CHANNELS: readonly Channel[] = ChannelSchema.options;

export type ConsentStatus = 'opted_in' | 'opted_out';

/** The channels this contact has opted out of. No row means never asked to stop: messages may be sent. */
export async function optedOutChannels(db: Reader, contactId: string): Promise<Channel[]> {
  const rows = await db.selectFrom('consents').select('channel').where('contact_id', '=', contactId).where('status', '=', 'opted_out').execute();
  return rows.map((row) => ChannelSchema.parse(row.channel));
}

/** Sets every channel to `status`; returns the channels whose status actually changed (empty: a repeat). */
export function recordConsentEverywhere(unit: WriteUnit, contactId: string, status: ConsentStatus, source: string): Promise<Channel[]> {
  return recordConsent(unit, contactId, CONSENT_CHANNELS, status, source);
}

/**
 * Sets the given channels to `status`, for a change that concerns only some (an unsubscribe in Google Messages is from
 * RCS alone); returns the channels whose status actually changed. `at` is when it happened, if not now.
 */
export async function recordConsent(unit: WriteUnit, contactId: string, channels: readonly Channel[], status: ConsentStatus, source: string, at: number = unit.now): Promise<Channel[]> {
  const current = await unit.trx.selectFrom('consents').select(['channel', 'status']).where('contact_id', '=', contactId).execute();
  const statusOf = new Map(current.map((row) => [row.channel, row.status]));
  // A contact with no record counts as opted in, so a START from them changes nothing.
  const changed = channels.filter((channel) => (statusOf.get(channel) ?? 'opted_in') !== status);
  for (const channel of changed) {
    await unit.trx
      .insertInto('consents')
      .values({ contact_id: contactId, channel, status, source, changed_at: at })
      .onConflict((conflict) => conflict.columns(['contact_id', 'channel']).doUpdateSet({ status, source, changed_at: at }))
      .execute();
  }
  return changed;
}
