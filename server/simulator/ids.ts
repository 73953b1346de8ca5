// Message ids in the shapes each carrier issues, so the hub's parsers see what production sends.
import { randomBytes, randomUUID } from 'node:crypto';

/** Twilio SIDs: two letters and 32 hex digits (`SM…` for SMS, `MM…` with media). */
export function twilioSid(prefix: 'SM' | 'MM' | 'AC' | 'MG' = 'SM'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** WhatsApp ids are opaque `wamid.` + base64 of an internal structure. */
export function wamid(): string {
  return `wamid.${randomBytes(30).toString('base64')}`;
}

/** RBM user message ids, Pub/Sub message ids and Notify ids are all opaque; a UUID is the documented form for ours. */
export function opaqueId(): string {
  return randomUUID();
}

/** Pub/Sub message ids are decimal strings. */
export function pubsubMessageId(): string {
  return String(BigInt(`0x${randomBytes(7).toString('hex')}`));
}
