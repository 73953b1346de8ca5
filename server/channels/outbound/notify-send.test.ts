import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NotifySettings } from '../carrier-config';
import { useFakeCarrier } from './fake-carrier';
import { sendNotifySms } from './notify-send';

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const NOW = Date.UTC(2026, 10, 27, 9, 30, 0, 700);
const NOTIFICATION_ID = '740e5834-3a29-46b4-9a6f-16142fde533a';

const carrier = useFakeCarrier();
let settings: NotifySettings;
const options = { timeoutMs: 5_000, now: () => NOW };
const message = { phoneNumber: '+447700900456', personalisation: { body: 'The ward will call you back.' }, reference: 'outbox-01J9Z' };

beforeEach(() => {
  settings = {
    callbackToken: 'c',
    serviceId: SERVICE_ID,
    apiKeySecret: SECRET,
    templateId: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
    smsSenderId: undefined,
    apiBaseUrl: carrier.baseUrl,
  };
});

/** Reads a JWT the way Notify's API does: split, base64url-decode, recompute HS256 with the secret. */
function decodeVerified(token: string, secret: string): { header: unknown; claims: unknown; signatureValid: boolean } {
  const [header = '', claims = '', signature = ''] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${claims}`).digest();
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')),
    signatureValid: Buffer.from(signature, 'base64url').equals(expected),
  };
}

/** Notify's documented 201 answer to POST /v2/notifications/sms. */
const created = {
  id: NOTIFICATION_ID,
  reference: 'outbox-01J9Z',
  content: { body: 'The ward will call you back.', from_number: 'NHSTRUST' },
  uri: `https://api.notifications.service.gov.uk/v2/notifications/${NOTIFICATION_ID}`,
  template: { id: 'f33517ff-2a88-4f6e-b855-c550268ce08a', version: 1, uri: 'https://api.notifications.service.gov.uk/v2/template/f33517ff' },
};

describe('sendNotifySms', () => {
  it('posts the SMS with our reference, authorised by an HS256 JWT Notify can verify', async () => {
    carrier.answer({ status: 201, json: created });
    expect(await sendNotifySms(settings, message, options)).toEqual({ ok: true, providerMessageId: NOTIFICATION_ID });
    const [request] = carrier.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v2/notifications/sms');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      phone_number: '+447700900456',
      template_id: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
      personalisation: { body: 'The ward will call you back.' },
      reference: 'outbox-01J9Z',
    });
    const token = (request?.headers.authorization ?? '').replace(/^Bearer /, '');
    expect(decodeVerified(token, SECRET)).toEqual({ header: { typ: 'JWT', alg: 'HS256' }, claims: { iss: SERVICE_ID, iat: 1795771800 }, signatureValid: true });
    expect(decodeVerified(token, 'another-secret').signatureValid).toBe(false);
  });

  it('names the sender when one is configured', async () => {
    settings = { ...settings, smsSenderId: 'c2b0f2a5-6f3e-4f64-9d0a-2f8b5e9c1a11' };
    carrier.answer({ status: 201, json: created });
    await sendNotifySms(settings, message, options);
    expect(JSON.parse(carrier.requests[0]?.body ?? '')).toMatchObject({ sms_sender_id: 'c2b0f2a5-6f3e-4f64-9d0a-2f8b5e9c1a11' });
  });

  it('retries rate limits and Notify faults, not bad requests', async () => {
    carrier.answer({ status: 400, json: { status_code: 400, errors: [{ error: 'BadRequestError', message: "Can't send to this recipient using a team-only API key" }] } });
    expect(await sendNotifySms(settings, message, options)).toEqual({ ok: false, retryable: false, reason: 'Notify BadRequestError', status: 400 });
    carrier.answer({ status: 429, json: { status_code: 429, errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds' }] } });
    expect(await sendNotifySms(settings, message, options)).toEqual({ ok: false, retryable: true, reason: 'Notify RateLimitError', status: 429 });
    carrier.answer({ status: 500, json: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } });
    expect(await sendNotifySms(settings, message, options)).toMatchObject({ ok: false, retryable: true, status: 500 });
  });

  it('refuses a number that is not E.164 without calling Notify', async () => {
    expect(await sendNotifySms(settings, { ...message, phoneNumber: '07700900456' }, options)).toMatchObject({ ok: false, retryable: false });
    expect(carrier.requests).toEqual([]);
  });
});
