// Delivery receipts as each carrier posts them back to the hub, signed as that carrier signs them.
// Returns null where a carrier has no callback for that state (RBM has no "sent", Notify no "read").
import type { CarrierConfig, CarrierName } from '../channels/carrier-config';
import { opaqueId } from './ids';
import { metaWebhook, rbmPush } from './inbound-wire';
import { twilioSignature } from './signing';
import type { ReceiptState, SignedRequest } from './types';

export interface ReceiptInput {
  carrier: CarrierName;
  /** The carrier's id for the hub's outbound message (Twilio SID, wamid, our RBM UUID, Notify id). */
  providerMessageId: string;
  state: ReceiptState;
  /** The patient's number (E.164). */
  to: string;
  /** Twilio: the sender as the hub gave it (`+44…` or `whatsapp:+44…`). */
  from?: string;
  /** Twilio: the StatusCallback URL the hub gave with the message; the signature covers it. */
  statusCallback?: string;
  /** Twilio: whether the message went by WhatsApp. */
  whatsapp?: boolean;
  /** Notify: the hub's reference, echoed. */
  reference?: string | null;
  /** Notify: the template the hub used. */
  templateId?: string;
  /** A carrier error code for `failed` (Twilio 30003, Meta 131047…); Notify picks its failure kind from it. */
  errorCode?: string;
  /** When the message was accepted (Notify's created_at). */
  createdAt?: number;
}

const digits = (e164: string) => e164.replace(/^\+/, '');

/** The titles Meta gives the failures the simulator produces. */
const META_ERROR_TITLES: ReadonlyMap<number, string> = new Map([
  [131047, 'Re-engagement message'],
  [131026, 'Message undeliverable'],
]);

function twilioReceipt(carriers: CarrierConfig, input: ReceiptInput): SignedRequest | null {
  const setting = carriers.twilio;
  if (!setting.enabled) return null;
  const status = input.state === 'failed' ? 'undelivered' : input.state;
  // WhatsApp via Twilio reports read; SMS never does.
  if (status === 'read' && input.whatsapp !== true) return null;
  const prefix = input.whatsapp === true ? 'whatsapp:' : '';
  const callback = input.statusCallback ?? `${setting.settings.publicUrl}/webhooks/twilio/status`;
  const params: [string, string][] = [
    ['SmsSid', input.providerMessageId],
    ['SmsStatus', status],
    ['MessageStatus', status],
    ['To', prefix + input.to],
    ['MessageSid', input.providerMessageId],
    ['AccountSid', setting.settings.accountSid],
    ['From', input.from ?? ''],
    ['ApiVersion', '2010-04-01'],
  ];
  if (input.state === 'failed') params.push(['ErrorCode', input.errorCode ?? '30003']);
  const url = new URL(callback);
  return {
    path: url.pathname + url.search,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(setting.settings.authToken, callback, params) },
    body: Buffer.from(new URLSearchParams(params).toString(), 'utf8'),
  };
}

function whatsAppReceipt(carriers: CarrierConfig, input: ReceiptInput, nowMs: number): SignedRequest | null {
  const setting = carriers.whatsapp;
  if (!setting.enabled) return null;
  const status: Record<string, unknown> = {
    id: input.providerMessageId,
    status: input.state,
    timestamp: String(Math.floor(nowMs / 1000)),
    recipient_id: digits(input.to),
  };
  if (input.state !== 'failed') {
    status.conversation = { id: 'c0ffee5e0b1ad0c5', origin: { type: 'service' } };
    status.pricing = { billable: true, pricing_model: 'PMP', category: 'service' };
  } else {
    const code = Number(input.errorCode ?? '131047');
    status.errors = [{ code, title: META_ERROR_TITLES.get(code) ?? 'Message failed to send', error_data: { details: 'simulated' } }];
  }
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: digits(input.from ?? '+447700900111'), phone_number_id: setting.settings.phoneNumberId },
    statuses: [status],
  };
  return metaWebhook(setting.settings.appSecret, value);
}

function rbmReceipt(carriers: CarrierConfig, input: ReceiptInput, nowMs: number): SignedRequest | null {
  const setting = carriers.rbm;
  if (!setting.enabled || (input.state !== 'delivered' && input.state !== 'read')) return null;
  const inner = {
    senderPhoneNumber: input.to,
    eventType: input.state === 'delivered' ? 'DELIVERED' : 'READ',
    eventId: opaqueId(),
    messageId: input.providerMessageId,
    sendTime: new Date(nowMs).toISOString(),
    agentId: setting.settings.agentId,
  };
  return rbmPush(setting.settings.clientToken, setting.settings.agentId, inner, nowMs);
}

function notifyTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function notifyReceipt(carriers: CarrierConfig, input: ReceiptInput, nowMs: number): SignedRequest | null {
  const setting = carriers.notify;
  if (!setting.enabled || (input.state !== 'delivered' && input.state !== 'failed')) return null;
  const failure = input.errorCode === 'permanent-failure' || input.errorCode === 'technical-failure' ? input.errorCode : 'temporary-failure';
  const body = {
    id: input.providerMessageId,
    reference: input.reference ?? null,
    to: input.to,
    status: input.state === 'delivered' ? 'delivered' : failure,
    created_at: notifyTime(input.createdAt ?? nowMs),
    completed_at: notifyTime(nowMs),
    sent_at: notifyTime(input.createdAt ?? nowMs),
    notification_type: 'sms',
    template_id: input.templateId ?? setting.settings.templateId,
    template_version: 1,
  };
  return {
    path: '/webhooks/notify/status',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${setting.settings.callbackToken}` },
    body: Buffer.from(JSON.stringify(body), 'utf8'),
  };
}

export function buildReceipt(carriers: CarrierConfig, input: ReceiptInput, nowMs: number = Date.now()): SignedRequest | null {
  switch (input.carrier) {
    case 'twilio':
      return twilioReceipt(carriers, input);
    case 'whatsapp':
      return whatsAppReceipt(carriers, input, nowMs);
    case 'rbm':
      return rbmReceipt(carriers, input, nowMs);
    case 'notify':
      return notifyReceipt(carriers, input, nowMs);
    default: {
      const unexpected: never = input.carrier;
      throw new Error(`unknown carrier ${String(unexpected)}`);
    }
  }
}
