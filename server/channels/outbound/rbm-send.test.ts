import { beforeEach, describe, expect, it } from 'vitest';
import type { RbmSettings } from '../carrier-config';
import { useFakeCarrier } from './fake-carrier';
import { checkRbmCapability, revokeRbmMessage, sendRbmMessage } from './rbm-send';

const MESSAGE_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const REQUEST_ID = '9a8b7c6d-5e4f-4a3b-9c1d-0e2f4a6b8c0d';
const carrier = useFakeCarrier();
let settings: RbmSettings;
let tokenRequests = 0;
const options = {
  timeoutMs: 5_000,
  accessToken: async () => {
    tokenRequests += 1;
    return 'ya29.rbm-access-token';
  },
};
const notFound = { status: 404, json: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } };

beforeEach(() => {
  tokenRequests = 0;
  settings = { clientToken: 'c', agentId: 'clarion-ward-agent', serviceAccountFile: '/dev/null', lineNumber: '+447700900333', apiBaseUrl: carrier.baseUrl };
});

describe('sendRbmMessage', () => {
  it('posts the content message with our messageId and suggested replies, Bearer-authorised', async () => {
    carrier.answer({
      status: 200,
      json: { name: `phones/+447700900456/agentMessages/${MESSAGE_ID}`, sendTime: '2026-11-27T09:30:00.123Z', contentMessage: { text: 'Can you come at 10?' } },
    });
    const result = await sendRbmMessage(
      settings,
      { to: '+447700900456', messageId: MESSAGE_ID, text: 'Can you come at 10?', suggestions: [{ text: 'Yes', postbackData: 'confirm-42' }, { text: 'No', postbackData: 'decline-42' }] },
      options,
    );
    expect(result).toEqual({ ok: true, providerMessageId: MESSAGE_ID });
    const [request] = carrier.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/v1/phones/+447700900456/agentMessages?messageId=${MESSAGE_ID}&agentId=clarion-ward-agent`);
    expect(request?.headers.authorization).toBe('Bearer ya29.rbm-access-token');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      contentMessage: {
        text: 'Can you come at 10?',
        suggestions: [{ reply: { text: 'Yes', postbackData: 'confirm-42' } }, { reply: { text: 'No', postbackData: 'decline-42' } }],
      },
    });
  });

  it('reports a number RCS cannot reach as a fallback to SMS, not a retry', async () => {
    carrier.answer(notFound);
    expect(await sendRbmMessage(settings, { to: '+447700900456', messageId: MESSAGE_ID, text: 'hi' }, options)).toEqual({
      ok: false,
      retryable: false,
      reason: 'number is not reachable by RCS',
      status: 404,
      fallbackSuggested: true,
    });
  });

  it('refuses more than 11 suggestions, a reply over 25 characters, or an id that is no UUID', async () => {
    const reply = (text: string, index: number) => ({ text, postbackData: `p${index}` });
    for (const message of [
      { to: '+447700900456', messageId: MESSAGE_ID, text: 'hi', suggestions: Array.from({ length: 12 }, (_, index) => reply(`R${index}`, index)) },
      { to: '+447700900456', messageId: MESSAGE_ID, text: 'hi', suggestions: [reply('This reply is far too long!', 0)] },
      { to: '+447700900456', messageId: 'outbox-17', text: 'hi' },
    ]) {
      expect(await sendRbmMessage(settings, message, options)).toMatchObject({ ok: false, retryable: false });
    }
    expect(carrier.requests).toEqual([]);
    expect(tokenRequests).toBe(0);
  });

  it('retries Google faults and a failed token, never calling Google without a token', async () => {
    carrier.answer({ status: 503, json: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } } });
    expect(await sendRbmMessage(settings, { to: '+447700900456', messageId: MESSAGE_ID, text: 'hi' }, options)).toEqual({
      ok: false,
      retryable: true,
      reason: 'RBM error UNAVAILABLE',
      status: 503,
    });
    carrier.requests.length = 0;
    const failingToken = { ...options, accessToken: async () => Promise.reject(new Error('token endpoint down')) };
    expect(await sendRbmMessage(settings, { to: '+447700900456', messageId: MESSAGE_ID, text: 'hi' }, failingToken)).toMatchObject({ ok: false, retryable: true });
    expect(carrier.requests).toEqual([]);
  });
});

describe('checkRbmCapability', () => {
  it('lists features for an RCS handset and says no on 404', async () => {
    carrier.answer({ status: 200, json: { features: ['RICHCARD_STANDALONE', 'ACTION_DIAL'] } });
    expect(await checkRbmCapability(settings, '+447700900456', REQUEST_ID, options)).toEqual({ ok: true, rcsCapable: true, features: ['RICHCARD_STANDALONE', 'ACTION_DIAL'] });
    expect(carrier.requests[0]).toMatchObject({ method: 'GET', url: `/v1/phones/+447700900456/capabilities?requestId=${REQUEST_ID}&agentId=clarion-ward-agent` });
    carrier.answer(notFound);
    expect(await checkRbmCapability(settings, '+447700900456', REQUEST_ID, options)).toEqual({ ok: true, rcsCapable: false });
  });
});

describe('revokeRbmMessage', () => {
  it('revokes with DELETE, and reports a message no longer pending as probably delivered', async () => {
    carrier.answer({ status: 200, json: {} });
    expect(await revokeRbmMessage(settings, '+447700900456', MESSAGE_ID, options)).toEqual({ ok: true });
    expect(carrier.requests[0]).toMatchObject({ method: 'DELETE', url: `/v1/phones/+447700900456/agentMessages/${MESSAGE_ID}?agentId=clarion-ward-agent` });
    carrier.answer(notFound);
    expect(await revokeRbmMessage(settings, '+447700900456', MESSAGE_ID, options)).toMatchObject({ ok: false, retryable: false, alreadyDelivered: true });
  });
});
