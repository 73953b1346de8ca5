// GOV.UK Notify: callbacks authenticated by the bearer token we set in Notify, for received text
// messages and for delivery receipts, turned into Clarion's carrier-neutral events.
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '../../shared/domain';
import type { DeliveryStatus, DeliveryStatusState, InboundMessage } from '../../shared/inbound';
import { detectKeyword } from '../../shared/keywords';
import { toE164 } from '../../shared/phone';
import { checkedOutcome, describeIssues, parseFailure, type ParseOutcome, type VerifyOutcome } from './carrier-events';
import { constantTimeEqualText } from './constant-time';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function verifyNotifyBearer(input: { authorization: string | undefined; callbackToken: string }): VerifyOutcome {
  const match = input.authorization === undefined ? null : BEARER.exec(input.authorization);
  if (match === null || match[1] === undefined) return { ok: false, reason: 'missing_signature' };
  return constantTimeEqualText(match[1], input.callbackToken) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/** Notify writes UTC with a trailing Z; a stamp without a zone is still UTC, never the hub's local time. */
const UtcTimestamp = z
  .string()
  .transform((text) => (/(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`))
  .transform((text) => Date.parse(text))
  .refine((epoch) => !Number.isNaN(epoch), 'expected an ISO 8601 timestamp');

function readJson(rawBody: Buffer): { ok: true; json: unknown } | { ok: false } {
  try {
    return { ok: true, json: JSON.parse(rawBody.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

const ReceivedText = z.looseObject({
  id: z.string().min(1).max(128),
  source_number: z.string().min(1),
  destination_number: z.string().min(1),
  message: z.string().max(MAX_MESSAGE_LENGTH),
  date_received: UtcTimestamp,
});

export function parseNotifyInbound(rawBody: Buffer): ParseOutcome {
  const body = readJson(rawBody);
  if (!body.ok) return parseFailure('malformed_body', 'body is not JSON');
  const parsed = ReceivedText.safeParse(body.json);
  if (!parsed.success) return parseFailure('malformed_body', describeIssues(parsed.error.issues));
  const received = parsed.data;
  // Notify sends the source without its plus and the destination in national form ("07700…").
  const from = toE164(received.source_number);
  const to = toE164(received.destination_number);
  if (from === null) return parseFailure('invalid_field', 'source_number is not a phone number');
  if (to === null) return parseFailure('invalid_field', 'destination_number is not a phone number');
  const keyword = detectKeyword(received.message);
  const message: InboundMessage = {
    provider: 'notify',
    channel: 'sms',
    providerMessageId: received.id,
    from,
    to,
    receivedAt: received.date_received,
    kind: 'text',
    text: received.message,
    ...(keyword !== undefined ? { keyword } : {}),
  };
  return checkedOutcome({ messages: [message], statuses: [] });
}

const DeliveryReceipt = z.looseObject({
  id: z.string().min(1).max(128),
  reference: z.string().nullable().optional(),
  status: z.string().min(1).max(64),
  notification_type: z.string().optional(),
  created_at: UtcTimestamp,
  sent_at: UtcTimestamp.nullable().optional(),
  completed_at: UtcTimestamp.nullable().optional(),
});

const STATE_BY_STATUS: Record<string, DeliveryStatusState> = {
  created: 'accepted',
  sending: 'sent',
  pending: 'sent',
  // "sent" is what Notify reports for international numbers whose networks give no receipt.
  sent: 'sent',
  delivered: 'delivered',
  'permanent-failure': 'failed',
  'temporary-failure': 'failed',
  'technical-failure': 'failed',
};

/**
 * Notify's own guidance: a temporary failure (phone off, inbox full) and a technical failure (between
 * Notify and the network) may be sent again; a permanent failure (no such number) may not.
 */
const RETRYABLE_STATUSES = new Set(['temporary-failure', 'technical-failure']);

export function parseNotifyStatus(rawBody: Buffer): ParseOutcome {
  const body = readJson(rawBody);
  if (!body.ok) return parseFailure('malformed_body', 'body is not JSON');
  const parsed = DeliveryReceipt.safeParse(body.json);
  if (!parsed.success) return parseFailure('malformed_body', describeIssues(parsed.error.issues));
  const receipt = parsed.data;
  const state = STATE_BY_STATUS[receipt.status];
  if (state === undefined) return parseFailure('invalid_field', 'status is not a known Notify status');
  const status: DeliveryStatus = {
    provider: 'notify',
    providerMessageId: receipt.id,
    state,
    providerStatus: receipt.status,
    occurredAt: receipt.completed_at ?? receipt.sent_at ?? receipt.created_at,
  };
  if (state !== 'failed') return checkedOutcome({ messages: [], statuses: [status] });
  // Notify is SMS, the floor every other channel falls back to: there is nowhere further to fall.
  return checkedOutcome({
    messages: [],
    statuses: [{ ...status, retryable: RETRYABLE_STATUSES.has(receipt.status), fallbackSuggested: false }],
  });
}
