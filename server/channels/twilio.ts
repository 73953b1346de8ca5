// Twilio (SMS and WhatsApp via Twilio): verifies X-Twilio-Signature and turns the form-encoded
// inbound and status-callback requests into Clarion's carrier-neutral events.
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '../../shared/domain';
import type { Channel } from '../../shared/domain';
import type { DeliveryStatus, DeliveryStatusState, InboundMessage } from '../../shared/inbound';
import { detectKeyword } from '../../shared/keywords';
import { toE164 } from '../../shared/phone';
import { checkedOutcome, describeIssues, parseFailure, type ParseOutcome, type VerifyOutcome } from './carrier-events';
import { isTwilioOptOut, twilioErrorReason } from './twilio-errors';

export type TwilioParams = Record<string, string | string[]>;

/** Form fields as Twilio's signature sees them: a name sent twice becomes an array. */
export function decodeTwilioForm(body: string): TwilioParams {
  const params: TwilioParams = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = params[name];
    if (previous === undefined) params[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else params[name] = [previous, value];
  }
  return params;
}

/**
 * `url` is the full URL Twilio called (public base URL + path + query). The official helper checks it
 * with and without the scheme's default port, because Twilio signs whichever form it was given.
 */
export function verifyTwilioSignature(input: {
  authToken: string;
  url: string;
  params: TwilioParams;
  signature: string | undefined;
}): VerifyOutcome {
  if (input.signature === undefined || input.signature === '') return { ok: false, reason: 'missing_signature' };
  try {
    return validateRequest(input.authToken, input.signature, input.url, input.params)
      ? { ok: true }
      : { ok: false, reason: 'bad_signature' };
  } catch {
    // The helper re-parses the URL with `new URL`; a URL it cannot parse cannot carry a valid signature.
    return { ok: false, reason: 'bad_signature' };
  }
}

const Sid = z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, 'expected a 34-character Twilio SID');

const InboundFields = z.looseObject({
  MessageSid: Sid,
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().max(MAX_MESSAGE_LENGTH).optional(),
  NumMedia: z.string().regex(/^\d{1,2}$/).optional(),
  ProfileName: z.string().optional(),
  ButtonText: z.string().optional(),
  ButtonPayload: z.string().optional(),
  OriginalRepliedMessageSid: Sid.optional(),
  Latitude: z.string().regex(/^-?\d{1,3}(\.\d+)?$/).optional(),
  Longitude: z.string().regex(/^-?\d{1,3}(\.\d+)?$/).optional(),
  Address: z.string().optional(),
  Label: z.string().optional(),
});

const MAX_MEDIA = 10;

function channelOf(address: string): Channel {
  return address.toLowerCase().startsWith('whatsapp:') ? 'whatsapp' : 'sms';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function parseTwilioInbound(params: TwilioParams, now: number): ParseOutcome {
  const parsed = InboundFields.safeParse(params);
  if (!parsed.success) return parseFailure('malformed_body', describeIssues(parsed.error.issues));
  const fields = parsed.data;
  const from = toE164(fields.From);
  const to = toE164(fields.To);
  if (from === null) return parseFailure('invalid_field', 'From is not a phone number');
  if (to === null) return parseFailure('invalid_field', 'To is not a phone number');

  const mediaCount = Number(fields.NumMedia ?? '0');
  if (mediaCount > MAX_MEDIA) return parseFailure('invalid_field', `NumMedia is over ${MAX_MEDIA}`);
  const media: { type: string; ref: string }[] = [];
  for (let index = 0; index < mediaCount; index += 1) {
    const url = params[`MediaUrl${index}`];
    const type = params[`MediaContentType${index}`];
    if (typeof url !== 'string' || url === '') return parseFailure('invalid_field', `MediaUrl${index} is missing`);
    media.push({ type: typeof type === 'string' && type !== '' ? type : 'application/octet-stream', ref: url });
  }

  const body = nonEmpty(fields.Body);
  const buttonText = nonEmpty(fields.ButtonText);
  const buttonPayload = nonEmpty(fields.ButtonPayload);
  const base = {
    provider: 'twilio',
    channel: channelOf(fields.From),
    providerMessageId: fields.MessageSid,
    from,
    to,
    receivedAt: now,
    ...(fields.ProfileName ? { contactName: fields.ProfileName } : {}),
    ...(fields.OriginalRepliedMessageSid ? { inReplyTo: fields.OriginalRepliedMessageSid } : {}),
  } as const;

  let message: InboundMessage;
  if (buttonText !== undefined || buttonPayload !== undefined) {
    const title = buttonText ?? buttonPayload ?? '';
    message = { ...base, kind: 'button_reply', text: title, reply: { id: buttonPayload ?? title, title } };
  } else if (fields.Latitude !== undefined && fields.Longitude !== undefined) {
    const label = nonEmpty(fields.Label) ?? nonEmpty(fields.Address);
    message = {
      ...base,
      kind: 'location',
      media: [{ type: 'location', ref: `geo:${fields.Latitude},${fields.Longitude}` }],
      ...(label !== undefined ? { text: label } : {}),
    };
  } else if (media.length > 0) {
    message = { ...base, kind: 'media', media, ...(body !== undefined ? { text: body } : {}) };
  } else {
    // An SMS with an empty body is still a message the patient sent; keep it rather than drop it.
    message = { ...base, kind: 'text', text: body ?? '' };
  }
  const keyword = message.text !== undefined ? detectKeyword(message.text) : undefined;
  return checkedOutcome({ messages: [keyword ? { ...message, keyword } : message], statuses: [] });
}

const StatusFields = z.looseObject({
  MessageSid: Sid,
  MessageStatus: z.string().min(1).max(64),
  // Empty is read as absent (see parseTwilioStatus): a blank field is no reason to lose a receipt.
  ErrorCode: z.string().regex(/^\d{0,6}$/).optional(),
  To: z.string().optional(),
});

/** Statuses of messages we receive, not ones we send: nothing for the outbox to learn. */
const INBOUND_ONLY_STATUSES = new Set(['receiving', 'received']);

const STATE_BY_STATUS: Record<string, DeliveryStatusState> = {
  accepted: 'accepted',
  scheduled: 'accepted',
  queued: 'accepted',
  sending: 'sent',
  sent: 'sent',
  // Some parts arrived and some did not: not yet "delivered", and nothing is gained by resending.
  partially_delivered: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Twilio error codes that describe a passing condition (queue overflow, handset off, unknown). */
const RETRYABLE_ERRORS = new Set(['30001', '30003', '30008']);
/**
 * The refusal in a status callback that says the recipient opted out with Twilio (21610 on a failed or undelivered
 * message, reported after Twilio took the send), in the words the send path uses ("Twilio error 21610"); undefined
 * for every other status. The caller records it as an opt-out (consent/carrier-opt-out.ts).
 */
export function twilioOptOutRefusal(status: DeliveryStatus): string | undefined {
  if (status.provider !== 'twilio' || status.state !== 'failed' || status.errorCode === undefined) return undefined;
  return isTwilioOptOut(status.errorCode) ? twilioErrorReason(status.errorCode) : undefined;
}

export function parseTwilioStatus(params: TwilioParams, now: number): ParseOutcome {
  const parsed = StatusFields.safeParse(params);
  if (!parsed.success) return parseFailure('malformed_body', describeIssues(parsed.error.issues));
  const fields = parsed.data;
  if (INBOUND_ONLY_STATUSES.has(fields.MessageStatus)) return { ok: true, messages: [], statuses: [] };
  const state = STATE_BY_STATUS[fields.MessageStatus];
  if (state === undefined) return parseFailure('invalid_field', 'MessageStatus is not a known Twilio status');

  const errorCode = nonEmpty(fields.ErrorCode);
  const status: DeliveryStatus = {
    provider: 'twilio',
    providerMessageId: fields.MessageSid,
    state,
    providerStatus: fields.MessageStatus,
    occurredAt: now,
    ...(errorCode !== undefined ? { errorCode } : {}),
  };
  if (state !== 'failed') return checkedOutcome({ messages: [], statuses: [status] });

  // Opted out: no other channel and no retry may be tried.
  const optedOut = errorCode !== undefined && isTwilioOptOut(errorCode);
  const viaWhatsApp = fields.To !== undefined && channelOf(fields.To) === 'whatsapp';
  return checkedOutcome({
    messages: [],
    statuses: [
      {
        ...status,
        retryable: !optedOut && errorCode !== undefined && RETRYABLE_ERRORS.has(errorCode),
        // SMS is the floor; a failed WhatsApp message can still reach the patient by SMS.
        fallbackSuggested: !optedOut && viaWhatsApp,
      },
    ],
  });
}
