import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { supersedes } from './delivery-order';
import { parseWhatsAppWebhook, verifyWhatsAppHandshake, verifyWhatsAppSignature } from './whatsapp';
import type { DeliveryStatusState } from '../../shared/inbound';
import { metaWebhook as webhook } from '../testing/meta-webhook';

const APP_SECRET = 'a8d1f0c2e4b6a8d1f0c2e4b6a8d1f0c2';

function metaSignature(secret: string, body: Buffer): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

const contacts = [{ profile: { name: 'Sam Patel' }, wa_id: '447700900456' }];
const bytes = (json: unknown) => Buffer.from(JSON.stringify(json), 'utf8');

describe('verifyWhatsAppHandshake', () => {
  it('echoes the challenge only for our verify token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'ward-token', 'hub.challenge': '1158201444' };
    expect(verifyWhatsAppHandshake(query, 'ward-token')).toEqual({ ok: true, challenge: '1158201444' });
    expect(verifyWhatsAppHandshake(query, 'another-token')).toEqual({ ok: false });
    expect(verifyWhatsAppHandshake({ ...query, 'hub.mode': 'unsubscribe' }, 'ward-token')).toEqual({ ok: false });
    expect(verifyWhatsAppHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'ward-token' }, 'ward-token')).toEqual({ ok: false });
  });
});

describe('verifyWhatsAppSignature', () => {
  const body = bytes(webhook({ contacts, messages: [] }));

  it('accepts Meta\'s HMAC-SHA256 of the raw bytes, upper- or lower-case hex', () => {
    const signature = metaSignature(APP_SECRET, body);
    expect(verifyWhatsAppSignature({ appSecret: APP_SECRET, rawBody: body, signature })).toEqual({ ok: true });
    expect(verifyWhatsAppSignature({ appSecret: APP_SECRET, rawBody: body, signature: 'sha256=' + signature.slice(7).toUpperCase() })).toEqual({ ok: true });
  });

  it('checks the bytes as sent: re-serialised JSON with other spacing does not pass', () => {
    const spaced = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2), 'utf8');
    const signature = metaSignature(APP_SECRET, body);
    expect(verifyWhatsAppSignature({ appSecret: APP_SECRET, rawBody: spaced, signature })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('separates a missing header from a wrong or malformed one', () => {
    expect(verifyWhatsAppSignature({ appSecret: APP_SECRET, rawBody: body, signature: undefined })).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyWhatsAppSignature({ appSecret: APP_SECRET, rawBody: body, signature: metaSignature('other', body) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWhatsAppSignature({ appSecret: APP_SECRET, rawBody: body, signature: 'sha256=zz' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWhatsAppSignature({ appSecret: APP_SECRET, rawBody: body, signature: metaSignature(APP_SECRET, body).slice(7) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('never throws on arbitrary bytes and headers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.option(fc.string(), { nil: undefined }), (raw, signature) => {
        expect(verifyWhatsAppSignature({ appSecret: APP_SECRET, rawBody: Buffer.from(raw), signature }).ok).toBe(false);
      }),
    );
  });
});

describe('parseWhatsAppWebhook', () => {
  const common = { from: '447700900456', timestamp: '1749416383' };

  it('normalises a text message with the contact\'s profile name', () => {
    const outcome = parseWhatsAppWebhook(
      bytes(webhook({ contacts, messages: [{ ...common, id: 'wamid.TEXT1', type: 'text', text: { body: 'Is visiting open today?' } }] })),
    );
    expect(outcome).toEqual({
      ok: true,
      statuses: [],
      messages: [
        {
          provider: 'whatsapp',
          channel: 'whatsapp',
          providerMessageId: 'wamid.TEXT1',
          from: '+447700900456',
          to: '+447700900333',
          receivedAt: 1749416383000,
          kind: 'text',
          text: 'Is visiting open today?',
          contactName: 'Sam Patel',
        },
      ],
    });
  });

  it('reads template buttons, reply buttons and list rows as replies with their ids', () => {
    const outcome = parseWhatsAppWebhook(
      bytes(
        webhook({
          contacts,
          messages: [
            { ...common, id: 'wamid.B1', type: 'button', button: { payload: 'confirm-42', text: 'Confirm' }, context: { from: '447700900333', id: 'wamid.OUT1' } },
            { ...common, id: 'wamid.B2', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'stop', title: 'STOP' } } },
            {
              ...common,
              id: 'wamid.B3',
              type: 'interactive',
              interactive: { type: 'list_reply', list_reply: { id: 'ward-3', title: 'Ward 3', description: 'Cardiology' } },
            },
          ],
        }),
      ),
    );
    expect(outcome).toMatchObject({
      ok: true,
      messages: [
        { kind: 'button_reply', reply: { id: 'confirm-42', title: 'Confirm' }, text: 'Confirm', inReplyTo: 'wamid.OUT1' },
        { kind: 'button_reply', reply: { id: 'stop', title: 'STOP' }, keyword: 'STOP' },
        { kind: 'list_reply', reply: { id: 'ward-3', title: 'Ward 3' }, text: 'Ward 3' },
      ],
    });
  });

  it('keeps media as a placeholder naming its type, and locations as geo references', () => {
    const outcome = parseWhatsAppWebhook(
      bytes(
        webhook({
          contacts,
          messages: [
            { ...common, id: 'wamid.M1', type: 'image', image: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: 'x', caption: 'the rash' } },
            { ...common, id: 'wamid.M2', type: 'audio', audio: { id: '1003383421387256', mime_type: 'audio/ogg; codecs=opus', voice: true } },
            { ...common, id: 'wamid.L1', type: 'location', location: { latitude: 51.5074, longitude: -0.1278, name: 'Main entrance' } },
            { ...common, id: 'wamid.U1', type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] },
          ],
        }),
      ),
    );
    expect(outcome).toMatchObject({
      ok: true,
      messages: [
        { kind: 'media', media: [{ type: 'image', ref: '1479537139650973' }], text: 'the rash' },
        { kind: 'media', media: [{ type: 'audio', ref: '1003383421387256' }] },
        { kind: 'location', media: [{ type: 'location', ref: 'geo:51.5074,-0.1278' }], text: 'Main entrance' },
        { kind: 'other' },
      ],
    });
  });

  it('maps statuses, failures with their error code, and drops statuses it does not know', () => {
    const outcome = parseWhatsAppWebhook(
      bytes(
        webhook({
          statuses: [
            { id: 'wamid.OUT1', status: 'read', timestamp: '1749416500', recipient_id: '447700900456' },
            { id: 'wamid.OUT1', status: 'delivered', timestamp: '1749416450', recipient_id: '447700900456' },
            { id: 'wamid.OUT2', status: 'failed', timestamp: '1749416600', recipient_id: '447700900456', errors: [{ code: 131047, title: 'Re-engagement message' }] },
            { id: 'wamid.OUT3', status: 'failed', timestamp: '1749416601', recipient_id: '447700900456', errors: [{ code: 130429, title: 'Rate limit hit' }] },
            { id: 'wamid.OUT4', status: 'played', timestamp: '1749416602', recipient_id: '447700900456' },
          ],
        }),
      ),
    );
    expect(outcome).toEqual({
      ok: true,
      messages: [],
      statuses: [
        { provider: 'whatsapp', providerMessageId: 'wamid.OUT1', state: 'read', providerStatus: 'read', occurredAt: 1749416500000 },
        { provider: 'whatsapp', providerMessageId: 'wamid.OUT1', state: 'delivered', providerStatus: 'delivered', occurredAt: 1749416450000 },
        {
          provider: 'whatsapp',
          providerMessageId: 'wamid.OUT2',
          state: 'failed',
          providerStatus: 'failed',
          occurredAt: 1749416600000,
          errorCode: '131047',
          retryable: false,
          fallbackSuggested: true,
        },
        {
          provider: 'whatsapp',
          providerMessageId: 'wamid.OUT3',
          state: 'failed',
          providerStatus: 'failed',
          occurredAt: 1749416601000,
          errorCode: '130429',
          retryable: true,
          fallbackSuggested: true,
        },
      ],
    });
  });

  it('applied in arrival order, out-of-order statuses never move a message backwards', () => {
    // Meta sends read first and delivered later (or never): the record must end at read either way.
    const arrivals: DeliveryStatusState[][] = [
      ['sent', 'read', 'delivered'],
      ['read', 'sent'],
      ['delivered', 'failed'],
      ['failed', 'delivered'],
    ];
    const finals = arrivals.map((states) =>
      states.reduce<DeliveryStatusState | undefined>((current, next) => (supersedes(current, next) ? next : current), undefined),
    );
    expect(finals).toEqual(['read', 'read', 'delivered', 'delivered']);
  });

  it('ignores other webhook fields, and refuses bodies that are not a WhatsApp webhook', () => {
    const accountUpdate = {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] }],
    };
    expect(parseWhatsAppWebhook(bytes(accountUpdate))).toEqual({ ok: true, messages: [], statuses: [] });
    expect(parseWhatsAppWebhook(Buffer.from('{"object":"page","entry":[]}'))).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
    expect(parseWhatsAppWebhook(Buffer.from('not json'))).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
  });

  it('never throws on fuzzed bodies, raw or shaped like a webhook', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (raw) => {
        expect(typeof parseWhatsAppWebhook(Buffer.from(raw)).ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.constantFrom('from', 'id', 'timestamp', 'type', 'text', 'button', 'interactive', 'image', 'location', 'context'), fc.jsonValue())), (messages) => {
        expect(typeof parseWhatsAppWebhook(bytes(webhook({ contacts, messages }))).ok).toBe('boolean');
      }),
    );
  });
});
