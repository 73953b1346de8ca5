import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../shared/inbound';
import type { ParseOutcome } from './carrier-events';
import { twilioErrorWords, undeliveredWords, whatsappErrorWords } from './carrier-error-words';
import { parseNotifyStatus } from './notify';
import { decodeTwilioForm, parseTwilioStatus } from './twilio';
import { parseWhatsAppWebhook } from './whatsapp';
import { metaWebhookBytes } from '../testing/meta-webhook';

const NOW = Date.parse('2026-11-28T09:30:00Z');

function onlyStatus(outcome: ParseOutcome): DeliveryStatus {
  if (!outcome.ok) throw new Error(`not parsed: ${outcome.error.detail}`);
  const [status] = outcome.statuses;
  if (status === undefined || outcome.statuses.length !== 1) throw new Error('expected exactly one status');
  return status;
}

/** A Twilio status callback as Twilio posts it (form fields; CHANNELS.md). */
function twilioCallback(fields: Record<string, string>): DeliveryStatus {
  const form = new URLSearchParams({
    AccountSid: `AC${'5e'.repeat(16)}`,
    MessageSid: `SM${'a1'.repeat(16)}`,
    From: '+447700900111',
    To: '+447700900456',
    ApiVersion: '2010-04-01',
    ...fields,
  });
  return onlyStatus(parseTwilioStatus(decodeTwilioForm(form.toString()), NOW));
}

/** A Meta WhatsApp Cloud API status webhook with one failed status and its errors[]. */
function whatsappFailed(errors: { code: number; title: string }[]): DeliveryStatus {
  const statuses = [{ id: 'wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQ0Y', status: 'failed', timestamp: '1764322200', recipient_id: '447700900456', errors }];
  return onlyStatus(parseWhatsAppWebhook(metaWebhookBytes({ statuses })));
}

/** A GOV.UK Notify delivery receipt callback (CHANNELS.md). */
function notifyReceipt(status: string): DeliveryStatus {
  const body = {
    id: '740e5834-3a29-46b4-9a6f-16142fde533a',
    reference: 'clarion-outbox-1',
    to: '07700900456',
    status,
    created_at: '2026-11-28T09:29:00.000000Z',
    completed_at: '2026-11-28T09:30:00.000000Z',
    sent_at: '2026-11-28T09:29:01.000000Z',
    notification_type: 'sms',
    template_id: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
    template_version: 1,
  };
  return onlyStatus(parseNotifyStatus(Buffer.from(JSON.stringify(body))));
}

describe('what staff read when a carrier reports a message undelivered', () => {
  it.each([
    ['30003', 'Not delivered: the phone is switched off, has no signal or cannot take texts (Twilio error 30003).'],
    ['30005', 'Not delivered: the number does not exist or is no longer in service (Twilio error 30005).'],
    ['30006', 'Not delivered: the number is a landline or cannot receive texts (Twilio error 30006).'],
    ['30007', 'Not delivered: the mobile network filtered it out as unwanted (Twilio error 30007).'],
    // A code the table does not know keeps the code alone: a guessed meaning would mislead.
    ['30410', 'Not delivered: Twilio error 30410.'],
  ])('Twilio undelivered with ErrorCode %s', (code, words) => {
    expect(undeliveredWords(twilioCallback({ MessageStatus: 'undelivered', ErrorCode: code }))).toBe(words);
  });

  it('Twilio failed with no ErrorCode says the carrier gave no reason', () => {
    expect(undeliveredWords(twilioCallback({ MessageStatus: 'failed' }))).toBe('Not delivered: Twilio reported it failed and gave no reason.');
  });

  it('WhatsApp via Twilio outside the 24-hour window (63016)', () => {
    expect(undeliveredWords(twilioCallback({ MessageStatus: 'failed', ErrorCode: '63016', From: 'whatsapp:+447700900111', To: 'whatsapp:+447700900456' }))).toBe(
      'Not delivered: more than 24 hours since the contact last wrote on WhatsApp: only an approved template can reach them (Twilio error 63016).',
    );
  });

  it.each([
    [131047, 'Re-engagement message', 'Not delivered: more than 24 hours since the contact last wrote on WhatsApp: only an approved template can reach them (WhatsApp error 131047).'],
    [131026, 'Message undeliverable', 'Not delivered: the phone cannot receive it: not on WhatsApp, an old app, or WhatsApp terms not accepted (WhatsApp error 131026).'],
    [131049, 'This message was not delivered to maintain healthy ecosystem engagement.', 'Not delivered: WhatsApp held it back to limit how many business messages the contact gets (WhatsApp error 131049).'],
    [135000, 'Generic user error', 'Not delivered: WhatsApp error 135000.'],
  ])('WhatsApp Cloud API failed with error %i', (code, title, words) => {
    expect(undeliveredWords(whatsappFailed([{ code, title }]))).toBe(words);
  });

  it('WhatsApp failed with no errors[] says the carrier gave no reason', () => {
    expect(undeliveredWords(whatsappFailed([]))).toBe('Not delivered: WhatsApp reported it failed and gave no reason.');
  });

  it.each([
    ['permanent-failure', 'Not delivered: the number may be wrong, or the mobile network refused it (GOV.UK Notify: permanent-failure).'],
    ['temporary-failure', 'Not delivered: the phone was switched off or out of signal, or its inbox was full, until Notify gave up (GOV.UK Notify: temporary-failure).'],
    ['technical-failure', 'Not delivered: a fault between GOV.UK Notify and the mobile network; it was not sent (GOV.UK Notify: technical-failure).'],
  ])('GOV.UK Notify %s', (status, words) => {
    expect(undeliveredWords(notifyReceipt(status))).toBe(words);
  });
});

describe('a refused send in staff words', () => {
  it('names what Twilio refused, and keeps the code', () => {
    expect(twilioErrorWords(21211)).toBe('the number is not a valid phone number (Twilio error 21211)');
    expect(twilioErrorWords(20429)).toBe('Twilio error 20429');
  });

  it('leaves 21610 as the bare code: an opt-out is worded where it is recorded as one, and the code is its consent source', () => {
    expect(twilioErrorWords(21610)).toBe('Twilio error 21610');
  });

  it('names what WhatsApp refused, and keeps the code', () => {
    expect(whatsappErrorWords(131056)).toBe('too many messages to this number in a short time (WhatsApp error 131056)');
    expect(whatsappErrorWords(190)).toBe('WhatsApp error 190');
  });
});
