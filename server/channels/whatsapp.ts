// Meta WhatsApp Cloud API: the GET subscription handshake, X-Hub-Signature-256 over the raw body,
// and the `messages` webhook turned into Clarion's carrier-neutral events.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '../../shared/domain';
import type { DeliveryStatus, DeliveryStatusState, InboundMessage } from '../../shared/inbound';
import { detectKeyword } from '../../shared/keywords';
import { toE164 } from '../../shared/phone';
import { checkedOutcome, describeIssues, parseFailure, type ParseOutcome, type VerifyOutcome } from './carrier-events';
import { constantTimeEqualBytes, constantTimeEqualText } from './constant-time';

export type HandshakeOutcome = { ok: true; challenge: string } | { ok: false };

/** Meta's GET `?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: echo the challenge if the token is ours. */
export function verifyWhatsAppHandshake(query: Record<string, unknown>, verifyToken: string): HandshakeOutcome {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return { ok: false };
  if (challenge === '' || challenge.length > 256) return { ok: false };
  return constantTimeEqualText(token, verifyToken) ? { ok: true, challenge } : { ok: false };
}

const SIGNATURE_HEADER_FORM = /^sha256=([0-9a-fA-F]{64})$/;

/** HMAC-SHA256 keyed with the app secret over the body bytes exactly as received, before any JSON parse. */
export function verifyWhatsAppSignature(input: { appSecret: string; rawBody: Buffer; signature: string | undefined }): VerifyOutcome {
  if (input.signature === undefined || input.signature === '') return { ok: false, reason: 'missing_signature' };
  const match = SIGNATURE_HEADER_FORM.exec(input.signature.trim());
  if (match === null || match[1] === undefined) return { ok: false, reason: 'bad_signature' };
  const expected = createHmac('sha256', input.appSecret).update(input.rawBody).digest();
  return constantTimeEqualBytes(Buffer.from(match[1], 'hex'), expected) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

const MediaObject = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().max(MAX_MESSAGE_LENGTH).optional(),
  filename: z.string().optional(),
});

const MessageObject = z.looseObject({
  from: z.string().min(1),
  id: z.string().min(1).max(128),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().min(1),
  context: z.looseObject({ from: z.string().optional(), id: z.string().max(128).optional() }).optional(),
  text: z.looseObject({ body: z.string().max(MAX_MESSAGE_LENGTH) }).optional(),
  button: z.looseObject({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  image: MediaObject.optional(),
  audio: MediaObject.optional(),
  document: MediaObject.optional(),
  video: MediaObject.optional(),
  sticker: MediaObject.optional(),
  location: z
    .looseObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
});
type WhatsAppMessage = z.infer<typeof MessageObject>;

const StatusObject = z.looseObject({
  id: z.string().min(1).max(128),
  status: z.string().min(1).max(64),
  timestamp: z.string().regex(/^\d{1,12}$/),
  recipient_id: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.number().int() })).optional(),
});

const MessagesValue = z.looseObject({
  metadata: z.looseObject({ display_phone_number: z.string(), phone_number_id: z.string() }),
  contacts: z.array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(MessageObject).optional(),
  statuses: z.array(StatusObject).optional(),
});

const WebhookBody = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

const MEDIA_TYPES = ['image', 'audio', 'document', 'video', 'sticker'] as const;

function toMessage(message: WhatsAppMessage, to: string, contactName: string | undefined): InboundMessage | string {
  const from = toE164(message.from);
  if (from === null) return 'messages[].from is not a phone number';
  const base = {
    provider: 'whatsapp',
    channel: 'whatsapp',
    providerMessageId: message.id,
    from,
    to,
    receivedAt: Number(message.timestamp) * 1000,
    ...(contactName !== undefined ? { contactName } : {}),
    ...(message.context?.id !== undefined ? { inReplyTo: message.context.id } : {}),
  } as const;

  if (message.type === 'text' && message.text !== undefined) {
    return { ...base, kind: 'text', text: message.text.body };
  }
  if (message.type === 'button' && message.button !== undefined) {
    // A template's quick-reply button: the payload is what we set when sending, the text what was shown.
    const title = message.button.text ?? message.button.payload ?? '';
    return { ...base, kind: 'button_reply', text: title, reply: { id: message.button.payload ?? title, title } };
  }
  if (message.type === 'interactive' && message.interactive !== undefined) {
    const { button_reply: buttonReply, list_reply: listReply } = message.interactive;
    if (buttonReply !== undefined) {
      return { ...base, kind: 'button_reply', text: buttonReply.title, reply: { id: buttonReply.id, title: buttonReply.title } };
    }
    if (listReply !== undefined) {
      return { ...base, kind: 'list_reply', text: listReply.title, reply: { id: listReply.id, title: listReply.title } };
    }
  }
  if (message.type === 'location' && message.location !== undefined) {
    const { latitude, longitude, name, address } = message.location;
    const label = name ?? address;
    return {
      ...base,
      kind: 'location',
      media: [{ type: 'location', ref: `geo:${latitude},${longitude}` }],
      ...(label !== undefined ? { text: label } : {}),
    };
  }
  for (const mediaType of MEDIA_TYPES) {
    const media = message[mediaType];
    if (message.type === mediaType && media !== undefined) {
      // The media id is a placeholder: fetching the bytes needs the access token and is done on demand.
      return {
        ...base,
        kind: 'media',
        media: [{ type: mediaType, ref: media.id }],
        ...(media.caption !== undefined ? { text: media.caption } : {}),
      };
    }
  }
  // system, unknown, reaction, contacts, order… are kept so staff see that something arrived.
  return { ...base, kind: 'other' };
}

const STATE_BY_STATUS: Record<string, DeliveryStatusState> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

/** Meta's codes for throttling and transient faults; anything else will fail the same way again. */
const RETRYABLE_ERRORS = new Set([4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);
/** The user stopped this business's marketing messages: another channel would be going round them. */
const OPTED_OUT_ERRORS = new Set([131050]);

function toStatus(status: z.infer<typeof StatusObject>): DeliveryStatus | undefined {
  const state = STATE_BY_STATUS[status.status];
  // Meta adds statuses (played, deleted, warning) without notice; none of them moves delivery on.
  if (state === undefined) return undefined;
  const delivery: DeliveryStatus = {
    provider: 'whatsapp',
    providerMessageId: status.id,
    state,
    providerStatus: status.status,
    occurredAt: Number(status.timestamp) * 1000,
  };
  if (state !== 'failed') return delivery;
  const code = status.errors?.[0]?.code;
  const optedOut = code !== undefined && OPTED_OUT_ERRORS.has(code);
  return {
    ...delivery,
    ...(code !== undefined ? { errorCode: String(code) } : {}),
    retryable: code !== undefined && RETRYABLE_ERRORS.has(code),
    // Outside the 24-hour window (131047), not on WhatsApp (131026) and the rest: SMS still reaches them.
    fallbackSuggested: !optedOut,
  };
}

export function parseWhatsAppWebhook(rawBody: Buffer): ParseOutcome {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return parseFailure('malformed_body', 'body is not JSON');
  }
  const parsed = WebhookBody.safeParse(json);
  if (!parsed.success) return parseFailure('malformed_body', describeIssues(parsed.error.issues));

  const messages: InboundMessage[] = [];
  const statuses: DeliveryStatus[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      // Other fields (account updates, template reviews) share the endpoint and are not ours to act on.
      if (change.field !== 'messages') continue;
      const value = MessagesValue.safeParse(change.value);
      if (!value.success) return parseFailure('malformed_body', describeIssues(value.error.issues));
      const to = toE164(value.data.metadata.display_phone_number);
      if (to === null) return parseFailure('invalid_field', 'metadata.display_phone_number is not a phone number');
      for (const message of value.data.messages ?? []) {
        const contactName = value.data.contacts?.find((contact) => contact.wa_id === message.from)?.profile?.name;
        const normalised = toMessage(message, to, contactName);
        if (typeof normalised === 'string') return parseFailure('invalid_field', normalised);
        const keyword = normalised.text !== undefined ? detectKeyword(normalised.text) : undefined;
        messages.push(keyword ? { ...normalised, keyword } : normalised);
      }
      for (const status of value.data.statuses ?? []) {
        const delivery = toStatus(status);
        if (delivery !== undefined) statuses.push(delivery);
      }
    }
  }
  return checkedOutcome({ messages, statuses });
}
