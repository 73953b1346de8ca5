// What each carrier posts to the hub when a patient's phone sends something: the exact body, its
// encoding and its signature. Pure: builds the request; hub-client.ts delivers it.
import type { CarrierConfig } from '../channels/carrier-config';
import { countSmsSegments } from '../../shared/sms-segments';
import { opaqueId, pubsubMessageId, twilioSid, wamid } from './ids';
import { googleSignature, metaJson, metaSignature, twilioSignature } from './signing';
import type { InboundRoute, PhoneSend, SignedRequest } from './types';

export class CarrierDisabledError extends Error {
  constructor(readonly route: InboundRoute) {
    super(`the ${route} carrier has no settings here: generate dev secrets (clarion simulate) or set its variables`);
    this.name = 'CarrierDisabledError';
  }
}

const digits = (e164: string) => e164.replace(/^\+/, '');
/** Notify gives the hospital's own number in national form (07…), the patient's as digits without +. */
const national = (e164: string) => (e164.startsWith('+44') ? `0${e164.slice(3)}` : digits(e164));

/** Form encoding as Twilio sends it (application/x-www-form-urlencoded, UTF-8, space as +). */
function formBody(params: ReadonlyArray<readonly [string, string]>): Buffer {
  return Buffer.from(new URLSearchParams(params.map(([name, value]) => [name, value])).toString(), 'utf8');
}

function twilioRequest(carriers: CarrierConfig, send: PhoneSend, whatsapp: boolean): { id: string; request: SignedRequest } {
  const setting = carriers.twilio;
  if (!setting.enabled) throw new CarrierDisabledError(send.route);
  const { accountSid, authToken, publicUrl } = setting.settings;
  const sid = twilioSid('SM');
  const prefix = whatsapp ? 'whatsapp:' : '';
  const text = send.reply?.title ?? send.text ?? '';
  // Twilio's field order for an inbound message; the signature sorts them, the body keeps this order.
  const params: [string, string][] = [
    ['ToCountry', 'GB'],
    ['ToState', ''],
    ['SmsMessageSid', sid],
    ['NumMedia', '0'],
    ['ToCity', ''],
    ['FromZip', ''],
    ['SmsSid', sid],
    ['FromState', ''],
    ['SmsStatus', 'received'],
    ['FromCity', ''],
    ['Body', text],
    ['FromCountry', 'GB'],
    ['To', prefix + send.to],
    ['ToZip', ''],
    ['NumSegments', String(Math.max(1, countSmsSegments(text).segments))],
    ['MessageSid', sid],
    ['AccountSid', accountSid],
    ['From', prefix + send.from],
    ['ApiVersion', '2010-04-01'],
  ];
  if (whatsapp) {
    params.push(['WaId', digits(send.from)], ['ProfileName', send.name ?? 'Patient'], ['MessageType', send.reply ? 'button' : 'text']);
    if (send.reply) params.push(['ButtonText', send.reply.title], ['ButtonPayload', send.reply.id]);
    if (send.inReplyTo) params.push(['OriginalRepliedMessageSid', send.inReplyTo]);
  }
  const path = '/webhooks/twilio';
  return {
    id: sid,
    request: {
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, publicUrl + path, params) },
      body: formBody(params),
    },
  };
}

function whatsAppRequest(carriers: CarrierConfig, send: PhoneSend, nowMs: number): { id: string; request: SignedRequest } {
  const setting = carriers.whatsapp;
  if (!setting.enabled) throw new CarrierDisabledError(send.route);
  const id = wamid();
  const message: Record<string, unknown> = { from: digits(send.from), id, timestamp: String(Math.floor(nowMs / 1000)) };
  if (send.inReplyTo) message.context = { from: digits(send.to), id: send.inReplyTo };
  if (send.reply && send.replyKind === 'list') {
    Object.assign(message, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: send.reply.id, title: send.reply.title } } });
  } else if (send.reply && send.replyKind === 'template') {
    Object.assign(message, { type: 'button', button: { payload: send.reply.id, text: send.reply.title } });
  } else if (send.reply) {
    Object.assign(message, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: send.reply.id, title: send.reply.title } } });
  } else {
    Object.assign(message, { type: 'text', text: { body: send.text ?? '' } });
  }
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: digits(send.to), phone_number_id: setting.settings.phoneNumberId },
    contacts: [{ profile: { name: send.name ?? 'Patient' }, wa_id: digits(send.from) }],
    messages: [message],
  };
  return { id, request: metaWebhook(setting.settings.appSecret, value) };
}

/** Wraps a WhatsApp Cloud API change `value` (messages or statuses) in the webhook envelope Meta posts, signed. */
export function metaWebhook(appSecret: string, value: Record<string, unknown>): SignedRequest {
  const payload = { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ value, field: 'messages' }] }] };
  const body = metaJson(payload);
  return { path: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(appSecret, body) }, body };
}

/** Wraps an RBM UserMessage or UserEvent in the Pub/Sub push envelope Google posts, signed over `data`. */
export function rbmPush(clientToken: string, agentId: string, inner: Record<string, unknown>, nowMs: number): SignedRequest {
  const data = Buffer.from(JSON.stringify(inner), 'utf8');
  const messageId = pubsubMessageId();
  const publishTime = new Date(nowMs).toISOString();
  const envelope = {
    message: {
      attributes: { message_type: 'eventType' in inner ? 'EVENT' : 'MESSAGE', agent_id: agentId },
      data: data.toString('base64'),
      messageId,
      message_id: messageId,
      publishTime,
      publish_time: publishTime,
    },
    subscription: `projects/rbm-${agentId}/subscriptions/rbm-agent-subscription`,
  };
  return {
    path: '/webhooks/rbm',
    headers: { 'content-type': 'application/json', 'x-goog-signature': googleSignature(clientToken, data) },
    body: Buffer.from(JSON.stringify(envelope), 'utf8'),
  };
}

function rbmRequest(carriers: CarrierConfig, send: PhoneSend, nowMs: number): { id: string; request: SignedRequest } {
  const setting = carriers.rbm;
  if (!setting.enabled) throw new CarrierDisabledError(send.route);
  const id = opaqueId();
  const content = send.reply
    ? { suggestionResponse: { postbackData: send.reply.id, text: send.reply.title, type: 'REPLY' } }
    : { text: send.text ?? '' };
  const inner = { senderPhoneNumber: send.from, messageId: id, sendTime: new Date(nowMs).toISOString(), agentId: setting.settings.agentId, ...content };
  return { id, request: rbmPush(setting.settings.clientToken, setting.settings.agentId, inner, nowMs) };
}

export type RcsSubscriptionChange = 'unsubscribe' | 'subscribe';

/**
 * The UserEvent Google posts when the user taps Unsubscribe or Subscribe in Google Messages, in the shape of Google's
 * "Receive events" guide plus the sendTime the UserEvent reference gives every event. `eventId` is for a test that
 * wants to post the same event again as a redelivery would.
 */
export function buildRcsSubscriptionEvent(carriers: CarrierConfig, input: { phone: string; change: RcsSubscriptionChange; eventId?: string }, nowMs: number = Date.now()): { eventId: string; request: SignedRequest } {
  const setting = carriers.rbm;
  if (!setting.enabled) throw new CarrierDisabledError('rbm');
  const eventId = input.eventId ?? opaqueId();
  const inner = {
    senderPhoneNumber: input.phone,
    eventType: input.change === 'unsubscribe' ? 'UNSUBSCRIBE' : 'SUBSCRIBE',
    eventId,
    sendTime: new Date(nowMs).toISOString(),
    agentId: setting.settings.agentId,
  };
  return { eventId, request: rbmPush(setting.settings.clientToken, setting.settings.agentId, inner, nowMs) };
}

/**
 * The text Google Messages posts for the user along with that event, chosen by the country of their number (as
 * Google's partners document it: BAJA/ALTA in Spain and Mexico, STOP/Démarrer in France, parar/começar in Brazil,
 * STOP/START everywhere else, the UK included).
 */
export function rcsSubscriptionKeyword(phone: string, change: RcsSubscriptionChange): string {
  const unsubscribe = change === 'unsubscribe';
  if (phone.startsWith('+34') || phone.startsWith('+52')) return unsubscribe ? 'BAJA' : 'ALTA';
  if (phone.startsWith('+33')) return unsubscribe ? 'STOP' : 'Démarrer';
  if (phone.startsWith('+55')) return unsubscribe ? 'parar' : 'começar';
  return unsubscribe ? 'STOP' : 'START';
}

function notifyRequest(carriers: CarrierConfig, send: PhoneSend, nowMs: number): { id: string; request: SignedRequest } {
  const setting = carriers.notify;
  if (!setting.enabled) throw new CarrierDisabledError(send.route);
  const id = opaqueId();
  const body = {
    id,
    source_number: digits(send.from),
    destination_number: national(send.to),
    message: send.text ?? send.reply?.title ?? '',
    // Notify's own format: microseconds and a Z.
    date_received: new Date(nowMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
  };
  return {
    id,
    request: {
      path: '/webhooks/notify/inbound',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${setting.settings.callbackToken}` },
      body: Buffer.from(JSON.stringify(body), 'utf8'),
    },
  };
}

/** The request the carrier behind `send.route` would post to the hub, with the id it gave the message. */
export function buildInbound(carriers: CarrierConfig, send: PhoneSend, nowMs: number = Date.now()): { id: string; request: SignedRequest } {
  switch (send.route) {
    case 'twilio-sms':
      return twilioRequest(carriers, send, false);
    case 'twilio-whatsapp':
      return twilioRequest(carriers, send, true);
    case 'whatsapp':
      return whatsAppRequest(carriers, send, nowMs);
    case 'rbm':
      return rbmRequest(carriers, send, nowMs);
    case 'notify':
      return notifyRequest(carriers, send, nowMs);
    default: {
      const unexpected: never = send.route;
      throw new Error(`unknown route ${String(unexpected)}`);
    }
  }
}
