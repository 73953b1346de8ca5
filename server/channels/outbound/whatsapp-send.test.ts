import { beforeEach, describe, expect, it } from 'vitest';
import type { WhatsAppSettings } from '../carrier-config';
import { useFakeCarrier } from './fake-carrier';
import { sendWhatsAppMessage, type WhatsAppOutbound } from './whatsapp-send';

const carrier = useFakeCarrier();
let settings: WhatsAppSettings;
const WAMID = 'wamid.HBgLNDQ3NzAwOTAwNDU2FQIAERgSQzVGRkMyMzZGQzk5NjZGNjY0AA==';
const options = { timeoutMs: 5_000 };

/** The Cloud API's answer to a successful send. */
const accepted = { messaging_product: 'whatsapp', contacts: [{ input: '447700900456', wa_id: '447700900456' }], messages: [{ id: WAMID }] };

function graphError(code: number, status: number): { status: number; json: unknown } {
  return { status, json: { error: { message: `(#${code}) error`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp' }, fbtrace_id: 'AbCdEf' } } };
}

beforeEach(() => {
  settings = {
    appSecret: 's',
    verifyToken: 'v',
    accessToken: 'EAAG-access-token',
    phoneNumberId: '106540352242922',
    apiBaseUrl: `${carrier.baseUrl}/v24.0`,
  };
});

async function sendAndCapture(message: WhatsAppOutbound): Promise<unknown> {
  carrier.answer({ status: 200, json: accepted });
  expect(await sendWhatsAppMessage(settings, message, options)).toEqual({ ok: true, providerMessageId: WAMID });
  const [request] = carrier.requests;
  expect(request?.method).toBe('POST');
  expect(request?.url).toBe('/v24.0/106540352242922/messages');
  expect(request?.headers.authorization).toBe('Bearer EAAG-access-token');
  expect(request?.headers['content-type']).toBe('application/json');
  return JSON.parse(request?.body ?? '');
}

describe('sendWhatsAppMessage', () => {
  it('sends text with the number as digits without the plus', async () => {
    expect(await sendAndCapture({ type: 'text', to: '+447700900456', body: 'The ward will call you back.' })).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447700900456',
      type: 'text',
      text: { preview_url: false, body: 'The ward will call you back.' },
    });
  });

  it('sends up to three reply buttons', async () => {
    const payload = await sendAndCapture({
      type: 'buttons',
      to: '+447700900456',
      body: 'Can you come at 10:00 tomorrow?',
      buttons: [
        { id: 'yes', title: 'Yes' },
        { id: 'no', title: 'No' },
        { id: 'call', title: 'Call me' },
      ],
    });
    expect(payload).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Can you come at 10:00 tomorrow?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
            { type: 'reply', reply: { id: 'no', title: 'No' } },
            { type: 'reply', reply: { id: 'call', title: 'Call me' } },
          ],
        },
      },
    });
  });

  it('sends a list and a template with body parameters', async () => {
    expect(
      await sendAndCapture({
        type: 'list',
        to: '+447700900456',
        body: 'Which ward?',
        buttonText: 'Choose ward',
        sections: [{ title: 'Wards', rows: [{ id: 'W1', title: 'Ward 1' }, { id: 'W2', title: 'Ward 2', description: 'Cardiology' }] }],
      }),
    ).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list', action: { button: 'Choose ward', sections: [{ title: 'Wards', rows: [{ id: 'W1' }, { id: 'W2', description: 'Cardiology' }] }] } },
    });
    carrier.requests.length = 0;
    expect(await sendAndCapture({ type: 'template', to: '+447700900456', name: 'ward_reply_waiting', languageCode: 'en_GB', bodyParameters: ['Ward 3'] })).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447700900456',
      type: 'template',
      template: { name: 'ward_reply_waiting', language: { code: 'en_GB' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ward 3' }] }] },
    });
  });

  it.each<[string, WhatsAppOutbound]>([
    ['four buttons', { type: 'buttons', to: '+447700900456', body: 'b', buttons: ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id })) }],
    ['a title over 20 characters', { type: 'buttons', to: '+447700900456', body: 'b', buttons: [{ id: 'x', title: 'This title is too long' }] }],
    ['two buttons with one title', { type: 'buttons', to: '+447700900456', body: 'b', buttons: [{ id: 'x', title: 'Yes' }, { id: 'y', title: 'Yes' }] }],
    [
      'eleven list rows',
      { type: 'list', to: '+447700900456', body: 'b', buttonText: 'Pick', sections: [{ rows: Array.from({ length: 11 }, (_, index) => ({ id: `r${index}`, title: `Row ${index}` })) }] },
    ],
  ])('refuses %s without calling Meta', async (_case, message) => {
    expect(await sendWhatsAppMessage(settings, message, options)).toMatchObject({ ok: false, retryable: false });
    expect(carrier.requests).toEqual([]);
  });

  it('suggests SMS outside the 24-hour window and retries throttling', async () => {
    carrier.answer(graphError(131047, 400));
    expect(await sendWhatsAppMessage(settings, { type: 'text', to: '+447700900456', body: 'hi' }, options)).toEqual({
      ok: false,
      retryable: false,
      reason: 'more than 24 hours since the contact last wrote on WhatsApp: only an approved template can reach them (WhatsApp error 131047)',
      status: 400,
      fallbackSuggested: true,
    });
    carrier.answer(graphError(130429, 400));
    expect(await sendWhatsAppMessage(settings, { type: 'text', to: '+447700900456', body: 'hi' }, options)).toMatchObject({ ok: false, retryable: true });
    carrier.answer(graphError(190, 401));
    expect(await sendWhatsAppMessage(settings, { type: 'text', to: '+447700900456', body: 'hi' }, options)).toMatchObject({ ok: false, retryable: false, status: 401 });
  });
});
