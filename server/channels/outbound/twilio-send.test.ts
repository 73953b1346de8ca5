import { beforeEach, describe, expect, it } from 'vitest';
import type { TwilioSettings } from '../carrier-config';
import { useFakeCarrier } from './fake-carrier';
import { sendTwilioMessage } from './twilio-send';

const ACCOUNT_SID = 'AC' + '0f'.repeat(16);
const AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';
const MESSAGE_SID = 'SM' + 'd4'.repeat(16);

const carrier = useFakeCarrier();
let settings: TwilioSettings;

beforeEach(() => {
  settings = {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    publicUrl: 'https://clarion.example.nhs.uk',
    sender: { kind: 'from', from: '+447700900111' },
    apiBaseUrl: carrier.baseUrl,
  };
});

/** The Message resource as Twilio's API documents it, trimmed to the fields that matter here. */
function created(to: string, from: string): unknown {
  return {
    account_sid: ACCOUNT_SID,
    api_version: '2010-04-01',
    body: 'We have passed your message to the ward.',
    date_created: 'Fri, 27 Nov 2026 09:30:00 +0000',
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: '1',
    sid: MESSAGE_SID,
    status: 'queued',
    to,
    uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}.json`,
  };
}

describe('sendTwilioMessage', () => {
  it('posts a form with Basic auth to the account\'s Messages resource and returns the SID', async () => {
    carrier.answer({ status: 201, json: created('+447700900456', '+447700900111') });
    const result = await sendTwilioMessage(settings, { to: '+447700900456', channel: 'sms', body: 'We have passed your message to the ward.' }, { timeoutMs: 5_000 });
    expect(result).toEqual({ ok: true, providerMessageId: MESSAGE_SID });

    const [request] = carrier.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const credentials = Buffer.from((request?.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    expect(credentials).toBe(`${ACCOUNT_SID}:${AUTH_TOKEN}`);
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      To: '+447700900456',
      From: '+447700900111',
      Body: 'We have passed your message to the ward.',
      StatusCallback: 'https://clarion.example.nhs.uk/webhooks/twilio/status',
    });
  });

  it('prefixes both ends for WhatsApp and sends a Content template through a Messaging Service', async () => {
    settings = { ...settings, sender: { kind: 'messagingService', messagingServiceSid: 'MG' + 'ab'.repeat(16) } };
    carrier.answer({ status: 201, json: created('whatsapp:+447700900456', 'whatsapp:+447700900111') });
    const result = await sendTwilioMessage(
      settings,
      { to: '+447700900456', channel: 'whatsapp', contentSid: 'HX' + 'cd'.repeat(16), contentVariables: { '1': 'Ward 3' } },
      { timeoutMs: 5_000 },
    );
    expect(result).toEqual({ ok: true, providerMessageId: MESSAGE_SID });
    expect(Object.fromEntries(new URLSearchParams(carrier.requests[0]?.body))).toEqual({
      To: 'whatsapp:+447700900456',
      MessagingServiceSid: 'MG' + 'ab'.repeat(16),
      ContentSid: 'HX' + 'cd'.repeat(16),
      ContentVariables: '{"1":"Ward 3"}',
      StatusCallback: 'https://clarion.example.nhs.uk/webhooks/twilio/status',
    });
  });

  it('does not retry an opted-out recipient, and suggests SMS outside the WhatsApp window', async () => {
    carrier.answer({
      status: 400,
      json: { code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 },
    });
    expect(await sendTwilioMessage(settings, { to: '+447700900456', channel: 'sms', body: 'hi' }, { timeoutMs: 5_000 })).toEqual({
      ok: false,
      retryable: false,
      reason: 'Twilio error 21610',
      status: 400,
      optedOut: true,
    });
    carrier.answer({ status: 400, json: { code: 63016, message: 'Outside the allowed window', more_info: '', status: 400 } });
    expect(await sendTwilioMessage(settings, { to: '+447700900456', channel: 'whatsapp', body: 'hi' }, { timeoutMs: 5_000 })).toMatchObject({
      ok: false,
      retryable: false,
      fallbackSuggested: true,
    });
  });

  it('retries throttling and Twilio faults', async () => {
    carrier.answer({ status: 429, json: { code: 20429, message: 'Too Many Requests', more_info: '', status: 429 } });
    expect(await sendTwilioMessage(settings, { to: '+447700900456', channel: 'sms', body: 'hi' }, { timeoutMs: 5_000 })).toMatchObject({ ok: false, retryable: true, status: 429 });
    carrier.answer({ status: 503 });
    expect(await sendTwilioMessage(settings, { to: '+447700900456', channel: 'sms', body: 'hi' }, { timeoutMs: 5_000 })).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'Twilio answered HTTP 503',
    });
  });

  it('gives up on a silent carrier after the timeout, as retryable', async () => {
    carrier.answer('hang');
    expect(await sendTwilioMessage(settings, { to: '+447700900456', channel: 'sms', body: 'hi' }, { timeoutMs: 1_000 })).toEqual({
      ok: false,
      retryable: true,
      reason: 'carrier did not answer in time',
    });
  });

  it('refuses a message that is neither text nor template without calling Twilio', async () => {
    expect(await sendTwilioMessage(settings, { to: '+447700900456', channel: 'sms' }, { timeoutMs: 5_000 })).toMatchObject({ ok: false, retryable: false });
    expect(await sendTwilioMessage(settings, { to: '07700900456', channel: 'sms', body: 'hi' }, { timeoutMs: 5_000 })).toMatchObject({ ok: false, retryable: false });
    expect(carrier.requests).toEqual([]);
  });
});
