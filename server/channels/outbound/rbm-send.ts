// Sends RCS messages through Google's RBM API, checks whether a number is reachable by RCS, and
// revokes messages not yet delivered (so a time-sensitive message can go by SMS instead).
import { z } from 'zod';
import { E164Schema } from '../../../shared/inbound';
import type { RbmSettings } from '../carrier-config';
import { isRetryableStatus, requestCarrier, unreachableFailure, type CarrierResponse } from './carrier-request';
import type { SendResult } from './send-result';

export interface RbmRequestOptions {
  timeoutMs: number;
  /** An OAuth access token for the RBM scope (see google-access-token.ts). */
  accessToken: () => Promise<string>;
}

const UUID = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID');

export const RbmOutboundSchema = z.object({
  to: E164Schema,
  /** Chosen by us (the outbox id's UUID): RBM refuses a second message with the same id, so retries are safe. */
  messageId: UUID,
  text: z.string().min(1).max(3072),
  suggestions: z
    .array(z.object({ text: z.string().min(1).max(25), postbackData: z.string().min(1).max(2048) }))
    .max(11)
    .optional(),
});
export type RbmOutbound = z.infer<typeof RbmOutboundSchema>;

function phonePath(settings: RbmSettings, phone: string): string {
  // E.164 in the path as Google writes it (phones/+447…); '+' is legal in a path segment.
  return `${settings.apiBaseUrl}/v1/phones/${phone}`;
}

async function authorised(options: RbmRequestOptions): Promise<Record<string, string> | undefined> {
  try {
    return { authorization: `Bearer ${await options.accessToken()}` };
  } catch {
    return undefined;
  }
}

const GoogleError = z.looseObject({ error: z.looseObject({ code: z.number().int().optional(), status: z.string().optional() }) });

function googleStatus(response: Extract<CarrierResponse, { kind: 'answered' }>): string {
  const error = GoogleError.safeParse(response.json);
  return error.success && error.data.error.status !== undefined ? error.data.error.status : `HTTP ${response.status}`;
}

export async function sendRbmMessage(settings: RbmSettings, message: RbmOutbound, options: RbmRequestOptions): Promise<SendResult> {
  const checked = RbmOutboundSchema.safeParse(message);
  if (!checked.success) return { ok: false, retryable: false, reason: `invalid message: ${checked.error.issues[0]?.message ?? 'rejected'}` };
  const outbound = checked.data;
  const headers = await authorised(options);
  if (headers === undefined) return { ok: false, retryable: true, reason: 'could not obtain an RBM access token' };

  const query = new URLSearchParams({ messageId: outbound.messageId, agentId: settings.agentId });
  const suggestions = outbound.suggestions?.map((suggestion) => ({ reply: { text: suggestion.text, postbackData: suggestion.postbackData } }));
  const response = await requestCarrier({
    method: 'POST',
    url: `${phonePath(settings, outbound.to)}/agentMessages?${query.toString()}`,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ contentMessage: { text: outbound.text, ...(suggestions !== undefined && suggestions.length > 0 ? { suggestions } : {}) } }),
    timeoutMs: options.timeoutMs,
  });
  if (response.kind === 'unreachable') return unreachableFailure(response.reason);
  // RBM ignores a repeat of a messageId it already took; should it answer 409 instead, that too means
  // an earlier attempt (one that timed out on our side) was accepted.
  if (response.status === 200 || response.status === 409) return { ok: true, providerMessageId: outbound.messageId };
  if (response.status === 404) {
    return { ok: false, retryable: false, reason: 'number is not reachable by RCS', status: 404, fallbackSuggested: true };
  }
  return { ok: false, retryable: isRetryableStatus(response.status), reason: `RBM error ${googleStatus(response)}`, status: response.status };
}

export type CapabilityResult =
  | { ok: true; rcsCapable: true; features: string[] }
  | { ok: true; rcsCapable: false }
  | { ok: false; retryable: boolean; reason: string; status?: number };

const Capabilities = z.looseObject({ features: z.array(z.string()).optional() });

/** GET …/capabilities: the features the handset supports, or 404 when RCS cannot reach it. */
export async function checkRbmCapability(
  settings: RbmSettings,
  phone: string,
  requestId: string,
  options: RbmRequestOptions,
): Promise<CapabilityResult> {
  if (!E164Schema.safeParse(phone).success || !UUID.safeParse(requestId).success) {
    return { ok: false, retryable: false, reason: 'invalid capability request' };
  }
  const headers = await authorised(options);
  if (headers === undefined) return { ok: false, retryable: true, reason: 'could not obtain an RBM access token' };
  const query = new URLSearchParams({ requestId, agentId: settings.agentId });
  const response = await requestCarrier({ method: 'GET', url: `${phonePath(settings, phone)}/capabilities?${query.toString()}`, headers, timeoutMs: options.timeoutMs });
  if (response.kind === 'unreachable') return unreachableFailure(response.reason);
  if (response.status === 404) return { ok: true, rcsCapable: false };
  if (response.status === 200) {
    const capabilities = Capabilities.safeParse(response.json);
    if (capabilities.success) return { ok: true, rcsCapable: true, features: capabilities.data.features ?? [] };
    return { ok: false, retryable: false, reason: 'RBM capability answer was not understood', status: 200 };
  }
  return { ok: false, retryable: isRetryableStatus(response.status), reason: `RBM error ${googleStatus(response)}`, status: response.status };
}

export type RevokeResult =
  | { ok: true }
  | { ok: false; retryable: boolean; reason: string; status?: number; alreadyDelivered?: boolean };

/**
 * DELETE …/agentMessages/{id}. A 404 means the message is no longer pending: it was most likely
 * delivered first (a DELIVERED event follows), so the caller must not send the SMS copy.
 */
export async function revokeRbmMessage(settings: RbmSettings, phone: string, messageId: string, options: RbmRequestOptions): Promise<RevokeResult> {
  if (!E164Schema.safeParse(phone).success || !UUID.safeParse(messageId).success) {
    return { ok: false, retryable: false, reason: 'invalid revoke request' };
  }
  const headers = await authorised(options);
  if (headers === undefined) return { ok: false, retryable: true, reason: 'could not obtain an RBM access token' };
  const query = new URLSearchParams({ agentId: settings.agentId });
  const response = await requestCarrier({
    method: 'DELETE',
    url: `${phonePath(settings, phone)}/agentMessages/${messageId}?${query.toString()}`,
    headers,
    timeoutMs: options.timeoutMs,
  });
  if (response.kind === 'unreachable') return unreachableFailure(response.reason);
  if (response.status === 200 || response.status === 204) return { ok: true };
  if (response.status === 404) return { ok: false, retryable: false, reason: 'message no longer pending', status: 404, alreadyDelivered: true };
  return { ok: false, retryable: isRetryableStatus(response.status), reason: `RBM error ${googleStatus(response)}`, status: response.status };
}
