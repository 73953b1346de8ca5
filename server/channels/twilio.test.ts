import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTwilioForm, parseTwilioInbound, parseTwilioStatus, twilioOptOutRefusal, verifyTwilioSignature, type TwilioParams } from './twilio';

const AUTH_TOKEN = '12345678901234567890123456789012';
const NOW = Date.UTC(2026, 10, 27, 9, 30);
const SID = 'SM' + 'a1'.repeat(16);

/** Twilio's algorithm as its docs state it, written here without the SDK so the two can disagree. */
function twilioSignature(token: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value ?? ''];
    for (const item of values) data += name + item;
  }
  return createHmac('sha1', token).update(Buffer.from(data, 'utf8')).digest('base64');
}

const inboundSms: TwilioParams = {
  ToCountry: 'GB',
  SmsMessageSid: SID,
  NumMedia: '0',
  SmsSid: SID,
  SmsStatus: 'received',
  Body: 'My dad is more confused today',
  To: '+447700900111',
  NumSegments: '1',
  MessageSid: SID,
  AccountSid: 'AC' + '0f'.repeat(16),
  From: '+447700900456',
  ApiVersion: '2010-04-01',
};

describe('verifyTwilioSignature', () => {
  const url = 'https://clarion.example.nhs.uk/webhooks/twilio';

  it('accepts the signature Twilio computes over URL and sorted parameters', () => {
    const signature = twilioSignature(AUTH_TOKEN, url, inboundSms);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: inboundSms, signature })).toEqual({ ok: true });
  });

  it('rejects a signature made with another token, or over a changed body', () => {
    const signature = twilioSignature('another-token-another-token-1234', url, inboundSms);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: inboundSms, signature })).toEqual({ ok: false, reason: 'bad_signature' });
    const good = twilioSignature(AUTH_TOKEN, url, inboundSms);
    const tampered = { ...inboundSms, Body: 'My dad is fine' };
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: tampered, signature: good })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('reports a missing header separately from a wrong one', () => {
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: inboundSms, signature: undefined })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it.each([
    ['https://clarion.example.nhs.uk:443/webhooks/twilio', 'https://clarion.example.nhs.uk/webhooks/twilio'],
    ['https://clarion.example.nhs.uk/webhooks/twilio', 'https://clarion.example.nhs.uk:443/webhooks/twilio'],
    ['http://clarion.test:80/webhooks/twilio?line=martha', 'http://clarion.test/webhooks/twilio?line=martha'],
    ['http://clarion.test/webhooks/twilio?line=martha', 'http://clarion.test:80/webhooks/twilio?line=martha'],
  ])('accepts a signature over %s when the hub knows the URL as %s', (signedUrl, knownUrl) => {
    const signature = twilioSignature(AUTH_TOKEN, signedUrl, inboundSms);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: knownUrl, params: inboundSms, signature })).toEqual({ ok: true });
  });

  it('does not accept a signature over a different path or query', () => {
    const signature = twilioSignature(AUTH_TOKEN, 'https://clarion.example.nhs.uk/webhooks/twilio?line=pals', inboundSms);
    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, url: 'https://clarion.example.nhs.uk/webhooks/twilio?line=martha', params: inboundSms, signature }),
    ).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('signs repeated parameters as Twilio does (de-duplicated, sorted)', () => {
    const params = decodeTwilioForm('Body=hi&MediaUrl0=b&MediaUrl0=a&MediaUrl0=b&MessageSid=' + SID);
    expect(params.MediaUrl0).toEqual(['b', 'a', 'b']);
    const signature = twilioSignature(AUTH_TOKEN, url, { Body: 'hi', MediaUrl0: ['a', 'b'], MessageSid: SID });
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params, signature })).toEqual({ ok: true });
  });

  it('never throws, whatever the URL, parameters or header', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.string()), fc.option(fc.string(), { nil: undefined }), (anyUrl, params, signature) => {
        const outcome = verifyTwilioSignature({ authToken: AUTH_TOKEN, url: anyUrl, params, signature });
        expect(outcome.ok).toBe(false);
      }),
    );
  });
});

describe('parseTwilioInbound', () => {
  it('normalises an SMS', () => {
    expect(parseTwilioInbound(inboundSms, NOW)).toEqual({
      ok: true,
      statuses: [],
      messages: [
        {
          provider: 'twilio',
          channel: 'sms',
          providerMessageId: SID,
          from: '+447700900456',
          to: '+447700900111',
          receivedAt: NOW,
          kind: 'text',
          text: 'My dad is more confused today',
        },
      ],
    });
  });

  it('marks an exact opt-out word, but not a sentence containing one', () => {
    const stop = parseTwilioInbound({ ...inboundSms, Body: ' stop ' }, NOW);
    expect(stop.ok && stop.messages[0]?.keyword).toBe('STOP');
    const sentence = parseTwilioInbound({ ...inboundSms, Body: 'STOP PLEASE' }, NOW);
    expect(sentence.ok && sentence.messages[0]?.keyword).toBeUndefined();
  });

  it('recognises WhatsApp via Twilio, its profile name and a quick-reply button', () => {
    const outcome = parseTwilioInbound(
      {
        ...inboundSms,
        From: 'whatsapp:+447700900456',
        To: 'whatsapp:+447700900333',
        Body: 'Yes',
        ProfileName: 'Sam',
        WaId: '447700900456',
        ButtonText: 'Yes',
        ButtonPayload: 'confirm-appointment-42',
        OriginalRepliedMessageSid: 'MM' + 'b2'.repeat(16),
      },
      NOW,
    );
    expect(outcome).toMatchObject({
      ok: true,
      messages: [
        {
          channel: 'whatsapp',
          from: '+447700900456',
          to: '+447700900333',
          kind: 'button_reply',
          text: 'Yes',
          reply: { id: 'confirm-appointment-42', title: 'Yes' },
          contactName: 'Sam',
          inReplyTo: 'MM' + 'b2'.repeat(16),
        },
      ],
    });
  });

  it('lists media as placeholders with their types', () => {
    const outcome = parseTwilioInbound(
      {
        ...inboundSms,
        MessageSid: 'MM' + 'c3'.repeat(16),
        Body: '',
        NumMedia: '2',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2',
        MediaContentType1: 'audio/ogg',
      },
      NOW,
    );
    expect(outcome).toMatchObject({
      ok: true,
      messages: [
        {
          kind: 'media',
          media: [
            { type: 'image/jpeg', ref: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1' },
            { type: 'audio/ogg', ref: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2' },
          ],
        },
      ],
    });
    expect(outcome.ok && outcome.messages[0]?.text).toBeUndefined();
  });

  it('refuses a media count without its URL, and a sender that is no phone number', () => {
    expect(parseTwilioInbound({ ...inboundSms, NumMedia: '1' }, NOW)).toMatchObject({ ok: false, error: { code: 'invalid_field' } });
    expect(parseTwilioInbound({ ...inboundSms, From: 'messenger:12345' }, NOW)).toMatchObject({ ok: false, error: { code: 'invalid_field' } });
    expect(parseTwilioInbound({ ...inboundSms, MessageSid: 'short' }, NOW)).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
  });

  it('never throws on arbitrary form fields', () => {
    const field = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('MessageSid', 'From', 'To', 'Body', 'NumMedia', 'MediaUrl0', 'ButtonText', 'Latitude', 'Longitude', 'x'), field),
        (params) => {
          const outcome = parseTwilioInbound(params, NOW);
          expect(typeof outcome.ok).toBe('boolean');
        },
      ),
    );
  });
});

describe('parseTwilioStatus', () => {
  const callback = (fields: TwilioParams) =>
    parseTwilioStatus({ MessageSid: SID, AccountSid: 'AC' + '0f'.repeat(16), From: '+447700900111', To: '+447700900456', ...fields }, NOW);

  it.each([
    ['queued', 'accepted'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['undelivered', 'failed'],
    ['canceled', 'failed'],
  ])('maps %s to %s', (messageStatus, state) => {
    expect(callback({ MessageStatus: messageStatus })).toMatchObject({ ok: true, statuses: [{ providerMessageId: SID, state, providerStatus: messageStatus }] });
  });

  it('reads an empty ErrorCode as no error, rather than refusing the callback', () => {
    // Refused (4xx), a status callback is not sent again: the message's state would be lost for a blank field.
    const outcome = callback({ MessageStatus: 'delivered', ErrorCode: '' });
    expect(outcome).toMatchObject({ ok: true, statuses: [{ state: 'delivered' }] });
    expect(outcome.ok && outcome.statuses[0]).not.toHaveProperty('errorCode');
  });

  it('says a handset that was off may be retried, and that SMS has nowhere to fall back to', () => {
    expect(callback({ MessageStatus: 'undelivered', ErrorCode: '30003' })).toMatchObject({
      statuses: [{ state: 'failed', errorCode: '30003', retryable: true, fallbackSuggested: false }],
    });
  });

  it('suggests SMS when WhatsApp fails, but never for a recipient who opted out', () => {
    expect(callback({ MessageStatus: 'failed', ErrorCode: '63016', To: 'whatsapp:+447700900456' })).toMatchObject({
      statuses: [{ retryable: false, fallbackSuggested: true }],
    });
    expect(callback({ MessageStatus: 'failed', ErrorCode: '21610', To: 'whatsapp:+447700900456' })).toMatchObject({
      statuses: [{ retryable: false, fallbackSuggested: false }],
    });
  });

  it('names an opted-out failure (21610) as the send path does, and nothing else', () => {
    const refusal = (fields: TwilioParams) => {
      const outcome = callback(fields);
      if (!outcome.ok) throw new Error(outcome.error.detail);
      return outcome.statuses.map(twilioOptOutRefusal);
    };
    expect(refusal({ MessageStatus: 'undelivered', ErrorCode: '21610' })).toEqual(['Twilio error 21610']);
    expect(refusal({ MessageStatus: 'failed', ErrorCode: '21610', To: 'whatsapp:+447700900456' })).toEqual(['Twilio error 21610']);
    expect(refusal({ MessageStatus: 'failed', ErrorCode: '30003' })).toEqual([undefined]);
    expect(refusal({ MessageStatus: 'failed' })).toEqual([undefined]);
    expect(refusal({ MessageStatus: 'delivered', ErrorCode: '21610' })).toEqual([undefined]);
    expect(twilioOptOutRefusal({ provider: 'whatsapp', providerMessageId: 'wamid.X', state: 'failed', providerStatus: 'failed', occurredAt: NOW, errorCode: '21610' })).toBeUndefined();
  });

  it('ignores the statuses of messages we receive, and refuses unknown ones', () => {
    expect(callback({ MessageStatus: 'received' })).toEqual({ ok: true, messages: [], statuses: [] });
    expect(callback({ MessageStatus: 'teleported' })).toMatchObject({ ok: false, error: { code: 'invalid_field' } });
  });
});
