import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRbmEvent, readRbmEnvelope, verifyRbmHandshake, verifyRbmSignature } from './rbm';

const CLIENT_TOKEN = 'SJENCPGJESMGUFPY';
const CONTEXT = { agentId: 'clarion-ward-agent', lineNumber: '+447700900333' };

function googleSignature(token: string, data: Buffer): string {
  return createHmac('sha512', token).update(data).digest('base64');
}

/** A Pub/Sub push around a UserMessage or UserEvent, as Google posts it. */
function push(payload: Record<string, unknown>): { body: Buffer; data: Buffer } {
  const data = Buffer.from(JSON.stringify(payload), 'utf8');
  const body = Buffer.from(
    JSON.stringify({
      message: { data: data.toString('base64'), messageId: '2070443601311540', publishTime: '2026-11-27T09:30:00.123Z', attributes: {} },
      subscription: 'projects/rbm-clarion/subscriptions/rbm-clarion-sub',
    }),
  );
  return { body, data };
}

const sender = { senderPhoneNumber: '+447700900456', sendTime: '2026-11-27T09:30:00.045123456Z', agentId: 'clarion-ward-agent' };

describe('RBM handshake', () => {
  it('reads the handshake and accepts only our clientToken', () => {
    const envelope = readRbmEnvelope(Buffer.from(JSON.stringify({ clientToken: CLIENT_TOKEN, secret: '1234567890' })));
    expect(envelope).toEqual({ kind: 'handshake', clientToken: CLIENT_TOKEN, secret: '1234567890' });
    expect(verifyRbmHandshake({ clientToken: CLIENT_TOKEN }, CLIENT_TOKEN)).toBe(true);
    expect(verifyRbmHandshake({ clientToken: 'SJENCPGJESMGUFPZ' }, CLIENT_TOKEN)).toBe(false);
    expect(verifyRbmHandshake({ clientToken: 'SJENC' }, CLIENT_TOKEN)).toBe(false);
  });
});

describe('verifyRbmSignature', () => {
  const { body, data } = push({ ...sender, messageId: 'MsXYZ', text: 'Hello' });

  it('accepts Google\'s base64 HMAC-SHA512 over the decoded data', () => {
    const envelope = readRbmEnvelope(body);
    expect(envelope.kind).toBe('push');
    if (envelope.kind !== 'push') return;
    expect(envelope.data.equals(data)).toBe(true);
    expect(verifyRbmSignature({ clientToken: CLIENT_TOKEN, data: envelope.data, signature: googleSignature(CLIENT_TOKEN, data) })).toEqual({ ok: true });
  });

  it('rejects a signature over the base64 text instead of the bytes, or with another token', () => {
    const overText = createHmac('sha512', CLIENT_TOKEN).update(data.toString('base64')).digest('base64');
    expect(verifyRbmSignature({ clientToken: CLIENT_TOKEN, data, signature: overText })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyRbmSignature({ clientToken: CLIENT_TOKEN, data, signature: googleSignature('OTHERTOKEN', data) })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyRbmSignature({ clientToken: CLIENT_TOKEN, data, signature: undefined })).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyRbmSignature({ clientToken: CLIENT_TOKEN, data, signature: 'not base64!' })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('never throws on arbitrary data and headers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.option(fc.string(), { nil: undefined }), (raw, signature) => {
        expect(verifyRbmSignature({ clientToken: CLIENT_TOKEN, data: Buffer.from(raw), signature }).ok).toBe(false);
      }),
    );
  });
});

describe('parseRbmEvent', () => {
  const parse = (payload: Record<string, unknown>) => parseRbmEvent(push(payload).data, CONTEXT);

  it('files a text message under the configured line, timed by sendTime', () => {
    expect(parse({ ...sender, messageId: 'MsXYZ1', text: 'Can I bring flowers?' })).toEqual({
      ok: true,
      statuses: [],
      messages: [
        {
          provider: 'rbm',
          channel: 'rcs',
          providerMessageId: 'MsXYZ1',
          from: '+447700900456',
          to: '+447700900333',
          receivedAt: Date.UTC(2026, 10, 27, 9, 30, 0, 45),
          kind: 'text',
          text: 'Can I bring flowers?',
        },
      ],
    });
  });

  it('reads suggestion responses, files and locations', () => {
    expect(parse({ ...sender, messageId: 'Ms2', suggestionResponse: { postbackData: 'confirm-42', text: 'Yes', type: 'REPLY' } })).toMatchObject({
      messages: [{ kind: 'button_reply', text: 'Yes', reply: { id: 'confirm-42', title: 'Yes' } }],
    });
    const file = {
      mimeType: 'image/jpeg',
      fileSizeBytes: 34567,
      fileUri: 'https://rcs-user-content-eu.storage.googleapis.com/abc',
      fileName: 'photo.jpg',
    };
    expect(parse({ ...sender, messageId: 'Ms3', userFile: { payload: file, thumbnail: { ...file, fileUri: 'https://thumb' } } })).toMatchObject({
      messages: [{ kind: 'media', media: [{ type: 'image/jpeg', ref: 'https://rcs-user-content-eu.storage.googleapis.com/abc' }] }],
    });
    expect(parse({ ...sender, messageId: 'Ms4', location: { latitude: 53.4084, longitude: -2.9916 } })).toMatchObject({
      messages: [{ kind: 'location', media: [{ type: 'location', ref: 'geo:53.4084,-2.9916' }] }],
    });
    expect(parse({ ...sender, messageId: 'Ms5', text: 'Stop' })).toMatchObject({ messages: [{ keyword: 'STOP' }] });
  });

  it('turns DELIVERED and READ into statuses of our own message id, and ignores IS_TYPING', () => {
    const ours = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    expect(parse({ ...sender, eventType: 'DELIVERED', eventId: 'Ev1', messageId: ours })).toEqual({
      ok: true,
      messages: [],
      statuses: [
        { provider: 'rbm', providerMessageId: ours, state: 'delivered', providerStatus: 'DELIVERED', occurredAt: Date.UTC(2026, 10, 27, 9, 30, 0, 45) },
      ],
    });
    expect(parse({ ...sender, eventType: 'READ', eventId: 'Ev2', messageId: ours })).toMatchObject({ statuses: [{ state: 'read' }] });
    expect(parse({ ...sender, eventType: 'IS_TYPING', eventId: 'Ev3' })).toEqual({ ok: true, messages: [], statuses: [] });
  });

  it('turns UNSUBSCRIBE and SUBSCRIBE, in Google\'s documented shape, into a change to RCS for the sender', () => {
    // Google's "Receive events" guide: senderPhoneNumber, eventType, eventId, agentId; the UserEvent reference adds sendTime.
    expect(parse({ senderPhoneNumber: '+447700900456', eventType: 'UNSUBSCRIBE', eventId: 'MxUnsub1', sendTime: '2026-11-27T09:30:00.045123456Z', agentId: 'clarion-ward-agent' })).toEqual({
      ok: true,
      messages: [],
      statuses: [],
      subscriptions: [
        { provider: 'rbm', channel: 'rcs', providerEventId: 'MxUnsub1', from: '+447700900456', change: 'unsubscribed', occurredAt: Date.UTC(2026, 10, 27, 9, 30, 0, 45) },
      ],
    });
    expect(parse({ ...sender, eventType: 'SUBSCRIBE', eventId: 'MxSub1' })).toMatchObject({ subscriptions: [{ providerEventId: 'MxSub1', change: 'subscribed' }] });
    // The guide's example has no sendTime: taken as arriving now rather than refused (and retried for a week).
    const guideShape = { senderPhoneNumber: '+447700900456', eventType: 'UNSUBSCRIBE', eventId: 'MxUnsub2', agentId: 'clarion-ward-agent' };
    expect(parseRbmEvent(push(guideShape).data, { ...CONTEXT, now: 1_790_000_000_000 })).toMatchObject({ ok: true, subscriptions: [{ occurredAt: 1_790_000_000_000 }] });
    // Another agent's subscribers are not ours.
    expect(parse({ ...sender, agentId: 'someone-elses-agent', eventType: 'UNSUBSCRIBE', eventId: 'MxUnsub3' })).toEqual({ ok: true, messages: [], statuses: [] });
  });

  it('refuses an UNSUBSCRIBE or SUBSCRIBE it cannot act on: no phone number, no event id, a bad time', () => {
    const unsubscribe = { ...sender, eventType: 'UNSUBSCRIBE', eventId: 'MxBad' };
    expect(parse({ ...unsubscribe, senderPhoneNumber: 'unknown' })).toMatchObject({ ok: false, error: { code: 'invalid_field' } });
    expect(parse({ ...unsubscribe, eventId: '' })).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
    expect(parse({ ...unsubscribe, eventId: undefined })).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
    expect(parse({ ...unsubscribe, eventType: 'SUBSCRIBE', sendTime: 'yesterday' })).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
  });

  it('leaves another agent\'s traffic alone (partner webhooks carry every agent)', () => {
    expect(parse({ ...sender, agentId: 'someone-elses-agent', messageId: 'Ms6', text: 'hi' })).toEqual({ ok: true, messages: [], statuses: [] });
  });

  it('refuses data that is not a UserMessage or UserEvent', () => {
    expect(parseRbmEvent(Buffer.from('nope'), CONTEXT)).toMatchObject({ ok: false, error: { code: 'malformed_body' } });
    expect(parse({ ...sender, messageId: 'Ms7', senderPhoneNumber: 'unknown', text: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_field' } });
    expect(readRbmEnvelope(Buffer.from('{"message":{"data":"%%%"}}'))).toMatchObject({ kind: 'malformed' });
  });

  it('never throws on fuzzed envelopes or data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (raw) => {
        expect(['handshake', 'push', 'malformed']).toContain(readRbmEnvelope(Buffer.from(raw)).kind);
        expect(typeof parseRbmEvent(Buffer.from(raw), CONTEXT).ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('senderPhoneNumber', 'messageId', 'sendTime', 'agentId', 'text', 'userFile', 'location', 'suggestionResponse', 'eventType', 'eventId'),
          fc.jsonValue(),
        ),
        (payload) => {
          expect(typeof parse(payload).ok).toBe('boolean');
        },
      ),
    );
  });
});
