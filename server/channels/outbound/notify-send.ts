// Sends SMS through GOV.UK Notify's API. The request token is an HS256 JWT built here with
// node:crypto: Notify's official client sends through axios with no timeout of its own, while every
// Clarion sender uses global fetch bounded by AbortSignal.timeout.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { NotifySettings } from '../carrier-config';
import { isRetryableStatus, requestCarrier, unreachableFailure } from './carrier-request';
import type { SendResult } from './send-result';

function base64Url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** Notify's API token: `{"iss": service id, "iat": seconds}` signed with the key's secret; valid ±30 s. */
export function notifyToken(serviceId: string, secret: string, nowMs: number): string {
  const header = base64Url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const claims = base64Url(JSON.stringify({ iss: serviceId, iat: Math.floor(nowMs / 1000) }));
  const signature = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}

export const NotifyOutboundSchema = z.object({
  /** Notify takes UK numbers in any common form; E.164 keeps one form end to end. */
  phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number'),
  personalisation: z.record(z.string(), z.string().max(918)),
  /** Our outbox id: Notify echoes it in receipts, which ties a receipt to the outbox row even after a lost answer. */
  reference: z.string().min(1).max(1000),
});
export type NotifyOutbound = z.infer<typeof NotifyOutboundSchema>;

const Created = z.looseObject({ id: z.string().min(1).max(128) });
const NotifyErrors = z.looseObject({ errors: z.array(z.looseObject({ error: z.string() })).min(1) });

export async function sendNotifySms(
  settings: NotifySettings,
  message: NotifyOutbound,
  options: { timeoutMs: number; now: () => number },
): Promise<SendResult> {
  const checked = NotifyOutboundSchema.safeParse(message);
  if (!checked.success) return { ok: false, retryable: false, reason: `invalid message: ${checked.error.issues[0]?.message ?? 'rejected'}` };
  const outbound = checked.data;

  const response = await requestCarrier({
    method: 'POST',
    url: `${settings.apiBaseUrl}/v2/notifications/sms`,
    headers: {
      authorization: `Bearer ${notifyToken(settings.serviceId, settings.apiKeySecret, options.now())}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      phone_number: outbound.phoneNumber,
      template_id: settings.templateId,
      personalisation: outbound.personalisation,
      reference: outbound.reference,
      ...(settings.smsSenderId !== undefined ? { sms_sender_id: settings.smsSenderId } : {}),
    }),
    timeoutMs: options.timeoutMs,
  });
  if (response.kind === 'unreachable') return unreachableFailure(response.reason);

  if (response.status === 201 || response.status === 200) {
    const created = Created.safeParse(response.json);
    if (created.success) return { ok: true, providerMessageId: created.data.id };
    return { ok: false, retryable: false, reason: 'Notify accepted the message but sent no notification id', status: response.status };
  }
  const errors = NotifyErrors.safeParse(response.json);
  const kind = errors.success ? errors.data.errors[0]?.error : undefined;
  return {
    ok: false,
    retryable: isRetryableStatus(response.status),
    reason: kind !== undefined ? `Notify ${kind}` : `Notify answered HTTP ${response.status}`,
    status: response.status,
  };
}
