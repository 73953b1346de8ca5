import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNotifyInbound, parseNotifyStatus, verifyNotifyBearer } from './notify';

const TOKEN = 'notify-callback-token-0123456789';
const bytes = (json: unknown) => Buffer.from(JSON.stringify(json), 'utf8');

describe('verifyNotifyBearer', () => {
  it('accepts only the bearer token we set in Notify', () => {
    expect(verifyNotifyBearer({ authorization: `Bearer ${TOKEN}`, callbackToken: TOKEN })).toEqual({ ok: true });
    expect(verifyNotifyBearer({ authorization: `Bearer ${TOKEN}x`, callbackToken: TOKEN })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyNotifyBearer({ authorization: undefined, callbackToken: TOKEN })).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyNotifyBearer({ authorization: `Basic ${TOKEN}`, callbackToken: TOKEN })).toEqual({ ok: false, reason: 'missing_signature' });
  });
});

describe('parseNotifyInbound', () => {
  const received = {
    id: 'a4a5d2b0-6f4c-4bf0-8b9a-8d6a3c1a2b3c',
    source_number: '447700900456',
    destination_number: '07700900222',
    message: 'Who do I speak to about my mum\'s discharge?',
    date_received: '2026-11-27T09:30:15.123456Z',
  };

  it('normalises both numbers: the source without its plus, the destination in national form', () => {
    expect(parseNotifyInbound(bytes(received))).toEqual({
      ok: true,
      statuses: [],
      messages: [
        {
          provider: 'notify',
          channel: 'sms',
          providerMessageId: received.id,
          from: '+447700900456',
          to: '+447700900222',
          receivedAt: Date.UTC(2026, 10, 27, 9, 30, 15, 123),
          kind: 'text',
          text: received.message,
        },
      ],
    });
  });

  it('reads a timestamp without a zone as UTC, and marks keywords', () => {
    const outcome = parseNotifyInbound(bytes({ ...received, message: 'HELP', date_received: '2026-06-01T12:00:00.000000' }));
    expect(outcome).toMatchObject({ ok: true, messages: [{ receivedAt: Date.UTC(2026, 5, 1, 12), keyword: 'HELP' }] });
  });

  it('refuses a body without the fields, or with a number that is not one', () => {
    expect(parseNotifyInbound(bytes({ id: 'x' }))).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
    expect(parseNotifyInbound(bytes({ ...received, destination_number: 'GOVUK' }))).toMatchObject({ ok: false, error: { code: 'invalid_field' } });
  });
});

describe('parseNotifyStatus', () => {
  const receipt = {
    id: '740e5834-3a29-46b4-9a6f-16142fde533a',
    reference: 'outbox-01J9Z',
    to: '07700900456',
    status: 'delivered',
    created_at: '2026-11-27T09:30:00.000000Z',
    completed_at: '2026-11-27T09:30:07.000000Z',
    sent_at: '2026-11-27T09:30:01.000000Z',
    notification_type: 'sms',
    template_id: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
    template_version: 1,
  };

  it('maps a delivery receipt, timed when Notify completed it', () => {
    expect(parseNotifyStatus(bytes(receipt))).toEqual({
      ok: true,
      messages: [],
      statuses: [
        {
          provider: 'notify',
          providerMessageId: receipt.id,
          state: 'delivered',
          providerStatus: 'delivered',
          occurredAt: Date.UTC(2026, 10, 27, 9, 30, 7),
        },
      ],
    });
  });

  it.each([
    ['permanent-failure', false],
    ['temporary-failure', true],
    ['technical-failure', true],
  ])('marks %s as failed, retryable %s, with no fallback below SMS', (status, retryable) => {
    expect(parseNotifyStatus(bytes({ ...receipt, status, completed_at: null }))).toMatchObject({
      ok: true,
      statuses: [{ state: 'failed', providerStatus: status, retryable, fallbackSuggested: false, occurredAt: Date.UTC(2026, 10, 27, 9, 30, 1) }],
    });
  });

  it('refuses an unknown status and bodies that are not receipts', () => {
    expect(parseNotifyStatus(bytes({ ...receipt, status: 'vanished' }))).toMatchObject({ ok: false, error: { code: 'invalid_field' } });
    expect(parseNotifyStatus(Buffer.from('[]'))).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
  });

  it('never throws on fuzzed bodies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (raw) => {
        expect(typeof parseNotifyInbound(Buffer.from(raw)).ok).toBe('boolean');
        expect(typeof parseNotifyStatus(Buffer.from(raw)).ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('id', 'source_number', 'destination_number', 'message', 'date_received', 'status', 'created_at', 'completed_at'), fc.jsonValue()),
        (body) => {
          expect(typeof parseNotifyInbound(bytes(body)).ok).toBe('boolean');
          expect(typeof parseNotifyStatus(bytes(body)).ok).toBe('boolean');
        },
      ),
    );
  });
});
