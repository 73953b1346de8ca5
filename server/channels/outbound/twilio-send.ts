// Sends SMS and WhatsApp messages through Twilio's Messages API.
import { z } from 'zod';
import { MAX_REPLY_LENGTH } from '../../../shared/domain';
import { E164Schema } from '../../../shared/inbound';
import type { TwilioSettings } from '../carrier-config';
import { twilioErrorWords } from '../carrier-error-words';
import { isTwilioOptOut } from '../twilio-errors';
import { isRetryableStatus, requestCarrier, unreachableFailure } from './carrier-request';
import type { SendResult } from './send-result';

export const TwilioOutboundSchema = z
  .object({
    to: E164Schema,
    channel: z.enum(['sms', 'whatsapp']),
    body: z.string().min(1).max(MAX_REPLY_LENGTH).optional(),
    /** An approved Content template: the only thing WhatsApp accepts outside the 24-hour window. */
    contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/).optional(),
    contentVariables: z.record(z.string(), z.string()).optional(),
  })
  .refine((message) => (message.body === undefined) !== (message.contentSid === undefined), 'give either body or contentSid');
export type TwilioOutbound = z.infer<typeof TwilioOutboundSchema>;

const Created = z.looseObject({ sid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/) });
const TwilioError = z.looseObject({ code: z.number().int(), message: z.string().optional() });

/** Twilio codes that will not change on a retry however long we wait; 20429 is its throttle. */
const RETRYABLE_CODES = new Set([20429, 30001]);
/** Outside the WhatsApp window (63016) or no WhatsApp account (63003): SMS may still reach them. */
const FALLBACK_CODES = new Set([63003, 63016]);

export async function sendTwilioMessage(settings: TwilioSettings, message: TwilioOutbound, options: { timeoutMs: number }): Promise<SendResult> {
  const checked = TwilioOutboundSchema.safeParse(message);
  if (!checked.success) return { ok: false, retryable: false, reason: `invalid message: ${checked.error.issues[0]?.message ?? 'rejected'}` };
  const outbound = checked.data;
  const prefix = outbound.channel === 'whatsapp' ? 'whatsapp:' : '';

  const form = new URLSearchParams();
  form.set('To', prefix + outbound.to);
  if (settings.sender.kind === 'messagingService') form.set('MessagingServiceSid', settings.sender.messagingServiceSid);
  else form.set('From', prefix + settings.sender.from);
  if (outbound.body !== undefined) form.set('Body', outbound.body);
  if (outbound.contentSid !== undefined) form.set('ContentSid', outbound.contentSid);
  if (outbound.contentVariables !== undefined) form.set('ContentVariables', JSON.stringify(outbound.contentVariables));
  form.set('StatusCallback', `${settings.publicUrl}/webhooks/twilio/status`);

  const response = await requestCarrier({
    method: 'POST',
    url: `${settings.apiBaseUrl}/2010-04-01/Accounts/${settings.accountSid}/Messages.json`,
    headers: {
      authorization: 'Basic ' + Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64'),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
    timeoutMs: options.timeoutMs,
  });
  if (response.kind === 'unreachable') return unreachableFailure(response.reason);

  if (response.status === 200 || response.status === 201) {
    const created = Created.safeParse(response.json);
    if (created.success) return { ok: true, providerMessageId: created.data.sid };
    return { ok: false, retryable: false, reason: 'Twilio accepted the message but sent no message SID', status: response.status };
  }
  const error = TwilioError.safeParse(response.json);
  const code = error.success ? error.data.code : undefined;
  // Opted out: no channel may be tried, and Twilio will refuse every send until START; Clarion records it.
  const optedOut = code !== undefined && isTwilioOptOut(code);
  return {
    ok: false,
    retryable: !optedOut && (isRetryableStatus(response.status) || (code !== undefined && RETRYABLE_CODES.has(code))),
    reason: code !== undefined ? twilioErrorWords(code) : `Twilio answered HTTP ${response.status}`,
    status: response.status,
    ...(code !== undefined && FALLBACK_CODES.has(code) ? { fallbackSuggested: true } : {}),
    ...(optedOut ? { optedOut: true } : {}),
  };
}
