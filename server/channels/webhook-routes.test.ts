import { createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryStatus, InboundMessage, SubscriptionChange } from '../../shared/inbound';
import { loadCarrierConfig } from './carrier-config';
import type { CarrierIntake } from './carrier-intake';
import { registerCarrierWebhooks } from './webhook-routes';
import { metaWebhookBytes } from '../testing/meta-webhook';

const NOW = Date.UTC(2026, 10, 27, 9, 30);
const PUBLIC_URL = 'https://clarion.example.nhs.uk';
const TWILIO_TOKEN = 'twilio-auth-token-0123456789abcdef';
const APP_SECRET = 'whatsapp-app-secret-0123456789';
const CLIENT_TOKEN = 'SJENCPGJESMGUFPY';
const NOTIFY_TOKEN = 'notify-callback-token-0123';

const env = {
  CLARION_PUBLIC_URL: PUBLIC_URL,
  TWILIO_ACCOUNT_SID: 'AC' + '0f'.repeat(16),
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  TWILIO_FROM: '+447700900111',
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: 'ward-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  RBM_CLIENT_TOKEN: CLIENT_TOKEN,
  RBM_AGENT_ID: 'clarion-ward-agent',
  RBM_SERVICE_ACCOUNT_FILE: '/etc/clarion/rbm.json',
  RBM_LINE_NUMBER: '+447700900333',
  NOTIFY_CALLBACK_TOKEN: NOTIFY_TOKEN,
  NOTIFY_API_KEY: 'clarion_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0',
  NOTIFY_TEMPLATE_ID: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
};

/** Stands in for the hub's store: records what it committed, and can be told to fail or to wait. */
class RecordingIntake implements CarrierIntake {
  messages: InboundMessage[] = [];
  statuses: DeliveryStatus[] = [];
  subscriptions: SubscriptionChange[] = [];
  failures = 0;
  gate: Promise<void> | undefined;
  onReceive: (() => void) | undefined;
  readonly order: string[] = [];
  private readonly stored = new Set<string>();

  async receive(message: InboundMessage): Promise<{ duplicate: boolean }> {
    this.onReceive?.();
    if (this.gate !== undefined) await this.gate;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('database is locked');
    }
    const key = `${message.provider}:${message.providerMessageId}`;
    if (this.stored.has(key)) return { duplicate: true };
    this.stored.add(key);
    this.messages.push(message);
    this.order.push('committed');
    return { duplicate: false };
  }

  async applyDeliveryStatus(status: DeliveryStatus): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('disk I/O error');
    }
    this.statuses.push(status);
  }

  async applySubscriptionChange(change: SubscriptionChange): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('database is locked');
    }
    this.subscriptions.push(change);
  }
}

const SID = 'SM' + 'a1'.repeat(16);

function twilioSignature(url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', TWILIO_TOKEN).update(Buffer.from(data, 'utf8')).digest('base64');
}

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

const sms = { MessageSid: SID, AccountSid: env.TWILIO_ACCOUNT_SID, From: '+447700900456', To: '+447700900111', Body: 'Dad seems worse', NumMedia: '0' };

let app: FastifyInstance;
let base: string;
let intake: RecordingIntake;

async function startHub(environment: Record<string, string>, recorder: CarrierIntake): Promise<{ app: FastifyInstance; base: string }> {
  const hub = Fastify();
  await registerCarrierWebhooks(hub, { config: loadCarrierConfig(environment), intake: recorder, log: pino({ level: 'silent' }), now: () => NOW });
  // A route of the rest of the hub: it must keep its ordinary JSON parsing.
  hub.post('/api/echo', async (request) => ({ received: request.body }));
  const address = await hub.listen({ host: '127.0.0.1', port: 0 });
  return { app: hub, base: address };
}

beforeAll(async () => {
  intake = new RecordingIntake();
  ({ app, base } = await startHub(env, {
    receive: (message) => intake.receive(message),
    applyDeliveryStatus: (status) => intake.applyDeliveryStatus(status),
    applySubscriptionChange: (change) => intake.applySubscriptionChange(change),
  }));
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  intake = new RecordingIntake();
});

function postTwilio(path: string, params: Record<string, string>, signature: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== undefined) headers['x-twilio-signature'] = signature;
  return fetch(base + path, { method: 'POST', headers, body: form(params) });
}

describe('POST /webhooks/twilio', () => {
  it('stores the message, then answers empty TwiML', async () => {
    const response = await postTwilio('/webhooks/twilio', sms, twilioSignature(`${PUBLIC_URL}/webhooks/twilio`, sms));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(intake.messages).toMatchObject([{ provider: 'twilio', providerMessageId: SID, from: '+447700900456', text: 'Dad seems worse', receivedAt: NOW }]);
  });

  it('checks the signature over the public URL including the query string', async () => {
    const signature = twilioSignature(`${PUBLIC_URL}/webhooks/twilio?line=martha`, sms);
    expect((await postTwilio('/webhooks/twilio?line=martha', sms, signature)).status).toBe(200);
    expect((await postTwilio('/webhooks/twilio?line=pals', sms, signature)).status).toBe(403);
  });

  it('answers 400 without a signature and 403 with a wrong one, storing nothing', async () => {
    expect((await postTwilio('/webhooks/twilio', sms, undefined)).status).toBe(400);
    const forged = twilioSignature(`${PUBLIC_URL}/webhooks/twilio`, { ...sms, Body: 'something else' });
    expect((await postTwilio('/webhooks/twilio', sms, forged)).status).toBe(403);
    expect(intake.messages).toEqual([]);
  });

  it('answers 400 to a signed body that is not an inbound message', async () => {
    const odd = { MessageSid: 'nope', From: '+447700900456' };
    const response = await postTwilio('/webhooks/twilio', odd, twilioSignature(`${PUBLIC_URL}/webhooks/twilio`, odd));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'malformed_body' });
  });

  it('answers 5xx when the store fails, so Twilio retries; the retry is stored once', async () => {
    const signature = twilioSignature(`${PUBLIC_URL}/webhooks/twilio`, sms);
    intake.failures = 1;
    expect((await postTwilio('/webhooks/twilio', sms, signature)).status).toBe(503);
    expect(intake.messages).toEqual([]);
    expect((await postTwilio('/webhooks/twilio', sms, signature)).status).toBe(200);
    expect((await postTwilio('/webhooks/twilio', sms, signature)).status).toBe(200);
    expect(intake.messages).toHaveLength(1);
  });

  it('does not answer before intake has committed', async () => {
    let openGate: () => void = () => undefined;
    intake.gate = new Promise((resolve) => {
      openGate = resolve;
    });
    const called = new Promise<void>((resolve) => {
      intake.onReceive = resolve;
    });
    const answered = postTwilio('/webhooks/twilio', sms, twilioSignature(`${PUBLIC_URL}/webhooks/twilio`, sms)).then((response) => {
      intake.order.push('answered');
      return response;
    });
    await called;
    // Give a wrongly early answer every chance to arrive while the commit is still held back.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(intake.order).toEqual([]);
    openGate();
    expect((await answered).status).toBe(200);
    expect(intake.order).toEqual(['committed', 'answered']);
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const huge = { ...sms, Body: 'x'.repeat(70 * 1024) };
    const response = await postTwilio('/webhooks/twilio', huge, twilioSignature(`${PUBLIC_URL}/webhooks/twilio`, huge));
    expect(response.status).toBe(413);
    expect(intake.messages).toEqual([]);
  });
});

describe('POST /webhooks/twilio/status', () => {
  it('records the delivery status and answers 204', async () => {
    const status = { MessageSid: SID, MessageStatus: 'undelivered', ErrorCode: '30003', To: '+447700900456', From: '+447700900111' };
    const response = await postTwilio('/webhooks/twilio/status', status, twilioSignature(`${PUBLIC_URL}/webhooks/twilio/status`, status));
    expect(response.status).toBe(204);
    expect(intake.statuses).toEqual([
      { provider: 'twilio', providerMessageId: SID, state: 'failed', providerStatus: 'undelivered', occurredAt: NOW, errorCode: '30003', retryable: true, fallbackSuggested: false },
    ]);
  });

  it('answers 5xx when the status cannot be recorded', async () => {
    const status = { MessageSid: SID, MessageStatus: 'delivered' };
    intake.failures = 1;
    expect((await postTwilio('/webhooks/twilio/status', status, twilioSignature(`${PUBLIC_URL}/webhooks/twilio/status`, status))).status).toBe(503);
  });
});

function whatsAppBody(messages: unknown[], statuses: unknown[] = []): Buffer {
  return metaWebhookBytes({ contacts: [{ profile: { name: 'Sam' }, wa_id: '447700900456' }], messages, statuses });
}

function postWhatsApp(body: Buffer, signature: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  return fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers, body: new Uint8Array(body) });
}

const metaSign = (body: Buffer) => 'sha256=' + createHmac('sha256', APP_SECRET).update(body).digest('hex');

describe('/webhooks/whatsapp', () => {
  it('answers the verification handshake with the challenge, or 403', async () => {
    const ok = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=ward-verify-token&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
  });

  it('stores messages and statuses from a signed body', async () => {
    const body = whatsAppBody(
      [{ from: '447700900456', id: 'wamid.IN1', timestamp: '1749416383', type: 'text', text: { body: 'Is he awake?' } }],
      [{ id: 'wamid.OUT1', status: 'read', timestamp: '1749416390', recipient_id: '447700900456' }],
    );
    const response = await postWhatsApp(body, metaSign(body));
    expect(response.status).toBe(200);
    expect(intake.messages).toMatchObject([{ provider: 'whatsapp', providerMessageId: 'wamid.IN1', contactName: 'Sam', to: '+447700900333' }]);
    expect(intake.statuses).toMatchObject([{ providerMessageId: 'wamid.OUT1', state: 'read' }]);
  });

  it('answers 401 without a signature, 403 with a wrong one, 400 to a signed non-webhook', async () => {
    const body = whatsAppBody([{ from: '447700900456', id: 'wamid.IN2', timestamp: '1749416383', type: 'text', text: { body: 'x' } }]);
    expect((await postWhatsApp(body, undefined)).status).toBe(401);
    expect((await postWhatsApp(body, 'sha256=' + '0'.repeat(64))).status).toBe(403);
    const junk = Buffer.from('{"hello":"world"}');
    expect((await postWhatsApp(junk, metaSign(junk))).status).toBe(400);
    expect(intake.messages).toEqual([]);
  });
});

function rbmPush(payload: Record<string, unknown>): { body: string; signature: string } {
  const data = Buffer.from(JSON.stringify(payload));
  return {
    body: JSON.stringify({ message: { data: data.toString('base64'), messageId: '1', publishTime: '2026-11-27T09:30:00Z' }, subscription: 'projects/p/subscriptions/s' }),
    signature: createHmac('sha512', CLIENT_TOKEN).update(data).digest('base64'),
  };
}

describe('POST /webhooks/rbm', () => {
  it('answers Google\'s handshake with the plain-text secret, only for our clientToken', async () => {
    const ok = await fetch(`${base}/webhooks/rbm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientToken: CLIENT_TOKEN, secret: '1234567890' }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1234567890');
    const wrong = await fetch(`${base}/webhooks/rbm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientToken: 'NOTTHETOKEN', secret: '1234567890' }),
    });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('1234567890');
  });

  it('stores a signed user message, and refuses unsigned or mis-signed pushes', async () => {
    const push = rbmPush({ senderPhoneNumber: '+447700900456', messageId: 'MsRBM1', sendTime: '2026-11-27T09:30:00Z', agentId: 'clarion-ward-agent', text: 'hello' });
    const send = (signature: string | undefined) =>
      fetch(`${base}/webhooks/rbm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature !== undefined ? { 'x-goog-signature': signature } : {}) },
        body: push.body,
      });
    expect((await send(undefined)).status).toBe(401);
    expect((await send(createHmac('sha512', 'other').update('x').digest('base64'))).status).toBe(403);
    expect(intake.messages).toEqual([]);
    expect((await send(push.signature)).status).toBe(200);
    expect(intake.messages).toMatchObject([{ provider: 'rbm', channel: 'rcs', providerMessageId: 'MsRBM1', to: '+447700900333' }]);
  });

  it('answers an UNSUBSCRIBE 200 only once it is stored, and 503 (Google retries) when it could not be', async () => {
    const push = rbmPush({ senderPhoneNumber: '+447700900456', eventType: 'UNSUBSCRIBE', eventId: 'MxUnsub1', sendTime: '2026-11-27T09:30:00Z', agentId: 'clarion-ward-agent' });
    const send = () => fetch(`${base}/webhooks/rbm`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-goog-signature': push.signature }, body: push.body });
    intake.failures = 1;
    expect((await send()).status).toBe(503);
    expect(intake.subscriptions).toEqual([]);
    expect((await send()).status).toBe(200);
    expect(intake.subscriptions).toEqual([
      { provider: 'rbm', channel: 'rcs', providerEventId: 'MxUnsub1', from: '+447700900456', change: 'unsubscribed', occurredAt: Date.UTC(2026, 10, 27, 9, 30) },
    ]);
  });
});

function postNotify(path: string, body: unknown, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
}

describe('/webhooks/notify', () => {
  const received = {
    id: 'a4a5d2b0-6f4c-4bf0-8b9a-8d6a3c1a2b3c',
    source_number: '447700900456',
    destination_number: '07700900222',
    message: 'STOP',
    date_received: '2026-11-27T09:30:15.000000Z',
  };

  it('stores a received text with both numbers normalised', async () => {
    expect((await postNotify('/webhooks/notify/inbound', received, NOTIFY_TOKEN)).status).toBe(200);
    expect(intake.messages).toMatchObject([{ provider: 'notify', from: '+447700900456', to: '+447700900222', keyword: 'STOP' }]);
  });

  it('answers 401 without the bearer token and 403 with a wrong one', async () => {
    expect((await postNotify('/webhooks/notify/inbound', received, undefined)).status).toBe(401);
    expect((await postNotify('/webhooks/notify/inbound', received, 'guess-guess-guess')).status).toBe(403);
    expect(intake.messages).toEqual([]);
  });

  it('records delivery receipts', async () => {
    const receipt = {
      id: '740e5834-3a29-46b4-9a6f-16142fde533a',
      reference: 'outbox-1',
      to: '07700900456',
      status: 'permanent-failure',
      created_at: '2026-11-27T09:30:00.000000Z',
      completed_at: '2026-11-27T09:31:00.000000Z',
      sent_at: '2026-11-27T09:30:01.000000Z',
      notification_type: 'sms',
      template_id: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
      template_version: 1,
    };
    expect((await postNotify('/webhooks/notify/status', receipt, NOTIFY_TOKEN)).status).toBe(200);
    expect(intake.statuses).toMatchObject([{ provider: 'notify', state: 'failed', retryable: false }]);
  });
});

describe('scope', () => {
  it('leaves the rest of the hub parsing JSON as before', async () => {
    const response = await fetch(`${base}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await response.json()).toEqual({ received: { a: 1 } });
  });

  it('answers 404 with a reason on the routes of a disabled carrier', async () => {
    const bare = await startHub({}, new RecordingIntake());
    try {
      const response = await fetch(`${bare.base}/webhooks/notify/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'carrier_disabled', reason: 'GOV.UK Notify is not enabled on this hub' });
      expect((await fetch(`${bare.base}/webhooks/whatsapp?hub.mode=subscribe`)).status).toBe(404);
      expect((await fetch(`${bare.base}/webhooks/twilio`, { method: 'POST', body: '' })).status).toBe(404);
    } finally {
      await bare.app.close();
    }
  });
});
