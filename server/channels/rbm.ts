// Google RCS Business Messaging: the clientToken/secret handshake, X-Goog-Signature over the decoded
// Pub/Sub `data`, and UserMessage / UserEvent turned into Clarion's carrier-neutral events.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '../../shared/domain';
import type { DeliveryStatus, InboundMessage, SubscriptionChange } from '../../shared/inbound';
import { detectKeyword } from '../../shared/keywords';
import { toE164 } from '../../shared/phone';
import { checkedOutcome, describeIssues, parseFailure, type ParseOutcome, type VerifyOutcome } from './carrier-events';
import { constantTimeEqualBytes, constantTimeEqualText } from './constant-time';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const HandshakeBody = z.object({ clientToken: z.string().min(1).max(1024), secret: z.string().min(1).max(1024) });
const PushBody = z.looseObject({
  message: z.looseObject({
    data: z.string().min(1).regex(BASE64, 'expected base64'),
    messageId: z.string().optional(),
    publishTime: z.string().optional(),
  }),
  subscription: z.string().optional(),
});

export type RbmEnvelope =
  | { kind: 'handshake'; clientToken: string; secret: string }
  | { kind: 'push'; data: Buffer }
  | { kind: 'malformed'; detail: string };

/**
 * Google posts two shapes to one URL: the one-off handshake and Pub/Sub pushes. The signature covers
 * the decoded `data`, so the envelope has to be opened (but nothing inside `data` read) to verify it.
 */
export function readRbmEnvelope(rawBody: Buffer): RbmEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { kind: 'malformed', detail: 'body is not JSON' };
  }
  const handshake = HandshakeBody.safeParse(json);
  if (handshake.success) return { kind: 'handshake', ...handshake.data };
  const push = PushBody.safeParse(json);
  if (!push.success) return { kind: 'malformed', detail: describeIssues(push.error.issues) };
  return { kind: 'push', data: Buffer.from(push.data.message.data, 'base64') };
}

/** The handshake is answered with the secret only when Google proves it knows our clientToken. */
export function verifyRbmHandshake(envelope: { clientToken: string }, clientToken: string): boolean {
  return constantTimeEqualText(envelope.clientToken, clientToken);
}

/** X-Goog-Signature: base64 HMAC-SHA512 keyed with the clientToken over the decoded `data` bytes. */
export function verifyRbmSignature(input: { clientToken: string; data: Buffer; signature: string | undefined }): VerifyOutcome {
  if (input.signature === undefined || input.signature === '') return { ok: false, reason: 'missing_signature' };
  if (!BASE64.test(input.signature.trim())) return { ok: false, reason: 'bad_signature' };
  const expected = createHmac('sha512', input.clientToken).update(input.data).digest();
  return constantTimeEqualBytes(Buffer.from(input.signature.trim(), 'base64'), expected)
    ? { ok: true }
    : { ok: false, reason: 'bad_signature' };
}

const Timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected an RFC 3339 timestamp');

const FileInfo = z.looseObject({
  mimeType: z.string().min(1).max(128),
  fileUri: z.string().min(1).max(2048),
  fileName: z.string().optional(),
  fileSizeBytes: z.union([z.number(), z.string()]).optional(),
});

const UserMessage = z.looseObject({
  senderPhoneNumber: z.string().min(1),
  messageId: z.string().min(1).max(128),
  sendTime: Timestamp,
  agentId: z.string().optional(),
  text: z.string().max(MAX_MESSAGE_LENGTH).optional(),
  suggestionResponse: z
    .looseObject({ postbackData: z.string().max(2048).optional(), text: z.string().max(MAX_MESSAGE_LENGTH).optional(), type: z.string().optional() })
    .optional(),
  userFile: z.looseObject({ payload: FileInfo, thumbnail: FileInfo.optional() }).optional(),
  location: z.looseObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
});

const UserEvent = z.looseObject({
  senderPhoneNumber: z.string().min(1),
  eventType: z.string().min(1),
  eventId: z.string().min(1).max(128),
  messageId: z.string().max(128).optional(),
  // Google's guide shows UNSUBSCRIBE and SUBSCRIBE without it (the UserEvent reference lists it for every event):
  // an opt-out must not be refused, and retried for a week, over a missing timestamp.
  sendTime: Timestamp.optional(),
  agentId: z.string().optional(),
});

const STATE_BY_EVENT = { DELIVERED: 'delivered', READ: 'read' } as const;
const CHANGE_BY_EVENT = { UNSUBSCRIBE: 'unsubscribed', SUBSCRIBE: 'subscribed' } as const;

type RbmContext = {
  agentId: string;
  lineNumber: string;
  /** Epoch ms, for a subscription event Google sent without a sendTime. */
  now?: number;
};

/**
 * `data` is the verified, decoded Pub/Sub payload. A partner webhook carries every agent of the
 * partner: events for an agent other than ours are not ours to file under our line.
 */
export function parseRbmEvent(data: Buffer, context: RbmContext): ParseOutcome {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    return parseFailure('malformed_body', 'message.data is not JSON');
  }
  const isEvent = typeof json === 'object' && json !== null && 'eventType' in json;
  if (isEvent) {
    const event = UserEvent.safeParse(json);
    if (!event.success) return parseFailure('malformed_body', describeIssues(event.error.issues));
    if (event.data.agentId !== undefined && event.data.agentId !== context.agentId) return { ok: true, messages: [], statuses: [] };
    const eventType = event.data.eventType;
    if (eventType === 'UNSUBSCRIBE' || eventType === 'SUBSCRIBE') return subscriptionOutcome(event.data, eventType, context.now ?? Date.now());
    // IS_TYPING and anything new says nothing about delivery.
    if (eventType !== 'DELIVERED' && eventType !== 'READ') return { ok: true, messages: [], statuses: [] };
    if (event.data.messageId === undefined) return parseFailure('invalid_field', `${eventType} event has no messageId`);
    if (event.data.sendTime === undefined) return parseFailure('invalid_field', `${eventType} event has no sendTime`);
    const status: DeliveryStatus = {
      provider: 'rbm',
      providerMessageId: event.data.messageId,
      state: STATE_BY_EVENT[eventType],
      providerStatus: eventType,
      occurredAt: Date.parse(event.data.sendTime),
    };
    return checkedOutcome({ messages: [], statuses: [status] });
  }

  const parsed = UserMessage.safeParse(json);
  if (!parsed.success) return parseFailure('malformed_body', describeIssues(parsed.error.issues));
  const message = parsed.data;
  if (message.agentId !== undefined && message.agentId !== context.agentId) return { ok: true, messages: [], statuses: [] };
  const from = toE164(message.senderPhoneNumber);
  if (from === null) return parseFailure('invalid_field', 'senderPhoneNumber is not a phone number');
  const base = {
    provider: 'rbm',
    channel: 'rcs',
    providerMessageId: message.messageId,
    from,
    to: context.lineNumber,
    receivedAt: Date.parse(message.sendTime),
  } as const;

  let normalised: InboundMessage;
  if (message.text !== undefined) {
    normalised = { ...base, kind: 'text', text: message.text };
  } else if (message.suggestionResponse !== undefined) {
    const { postbackData, text } = message.suggestionResponse;
    const title = text ?? postbackData ?? '';
    normalised = { ...base, kind: 'button_reply', text: title, reply: { id: postbackData ?? title, title } };
  } else if (message.userFile !== undefined) {
    const { mimeType, fileUri } = message.userFile.payload;
    normalised = { ...base, kind: 'media', media: [{ type: mimeType, ref: fileUri }] };
  } else if (message.location !== undefined) {
    const { latitude, longitude } = message.location;
    normalised = { ...base, kind: 'location', media: [{ type: 'location', ref: `geo:${latitude},${longitude}` }] };
  } else {
    normalised = { ...base, kind: 'other' };
  }
  const keyword = normalised.text !== undefined ? detectKeyword(normalised.text) : undefined;
  return checkedOutcome({ messages: [keyword ? { ...normalised, keyword } : normalised], statuses: [] });
}

/**
 * The user tapped Unsubscribe (or Subscribe again) in Google Messages: a change to RCS only. Google Messages also posts a
 * keyword text for them ("STOP" / "START" for a UK number), which intake applies as any keyword; this event is what
 * says it was RCS they left, and it comes even where that keyword is one Clarion does not know (BAJA, parar).
 */
function subscriptionOutcome(event: z.infer<typeof UserEvent>, eventType: keyof typeof CHANGE_BY_EVENT, now: number): ParseOutcome {
  const from = toE164(event.senderPhoneNumber);
  if (from === null) return parseFailure('invalid_field', 'senderPhoneNumber is not a phone number');
  const change: SubscriptionChange = {
    provider: 'rbm',
    channel: 'rcs',
    providerEventId: event.eventId,
    from,
    change: CHANGE_BY_EVENT[eventType],
    occurredAt: event.sendTime === undefined ? now : Date.parse(event.sendTime),
  };
  return checkedOutcome({ messages: [], statuses: [], subscriptions: [change] });
}
