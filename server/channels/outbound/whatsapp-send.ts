// Sends text, interactive (reply buttons, list) and template messages through the WhatsApp Cloud API.
import { z } from 'zod';
import { MAX_REPLY_LENGTH } from '../../../shared/domain';
import { E164Schema } from '../../../shared/inbound';
import type { WhatsAppSettings } from '../carrier-config';
import { whatsappErrorWords } from '../carrier-error-words';
import { isRetryableStatus, requestCarrier, unreachableFailure } from './carrier-request';
import type { SendResult } from './send-result';

// Meta's limits for interactive messages; Meta rejects the whole message when one is exceeded.
const ReplyButton = z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) });
const ListRow = z.object({ id: z.string().min(1).max(200), title: z.string().min(1).max(24), description: z.string().max(72).optional() });

export const WhatsAppOutboundSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), to: E164Schema, body: z.string().min(1).max(MAX_REPLY_LENGTH) }),
  z.object({
    type: z.literal('buttons'),
    to: E164Schema,
    body: z.string().min(1).max(1024),
    buttons: z
      .array(ReplyButton)
      .min(1)
      .max(3)
      .refine((buttons) => new Set(buttons.map((button) => button.title)).size === buttons.length, 'button titles must be unique')
      .refine((buttons) => new Set(buttons.map((button) => button.id)).size === buttons.length, 'button ids must be unique'),
  }),
  z.object({
    type: z.literal('list'),
    to: E164Schema,
    body: z.string().min(1).max(4096),
    buttonText: z.string().min(1).max(20),
    sections: z
      .array(z.object({ title: z.string().max(24).optional(), rows: z.array(ListRow).min(1) }))
      .min(1)
      .max(10)
      .refine((sections) => sections.reduce((count, section) => count + section.rows.length, 0) <= 10, 'a list has at most 10 rows'),
  }),
  z.object({
    type: z.literal('template'),
    to: E164Schema,
    name: z.string().min(1).max(512),
    languageCode: z.string().min(2).max(15),
    bodyParameters: z.array(z.string().max(1024)).max(20).optional(),
  }),
]);
export type WhatsAppOutbound = z.infer<typeof WhatsAppOutboundSchema>;

function payloadFor(message: WhatsAppOutbound): Record<string, unknown> {
  // Meta takes the number as digits with the country code and no plus.
  const common = { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to.slice(1) };
  switch (message.type) {
    case 'text':
      return { ...common, type: 'text', text: { preview_url: false, body: message.body } };
    case 'buttons':
      return {
        ...common,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: message.body },
          action: { buttons: message.buttons.map((button) => ({ type: 'reply', reply: { id: button.id, title: button.title } })) },
        },
      };
    case 'list':
      return {
        ...common,
        type: 'interactive',
        interactive: { type: 'list', body: { text: message.body }, action: { button: message.buttonText, sections: message.sections } },
      };
    case 'template':
      return {
        ...common,
        type: 'template',
        template: {
          name: message.name,
          language: { code: message.languageCode },
          ...(message.bodyParameters !== undefined && message.bodyParameters.length > 0
            ? { components: [{ type: 'body', parameters: message.bodyParameters.map((text) => ({ type: 'text', text })) }] }
            : {}),
        },
      };
    default: {
      const unexpected: never = message;
      throw new Error(`unhandled WhatsApp message type ${JSON.stringify(unexpected)}`);
    }
  }
}

const Sent = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });
const GraphError = z.looseObject({ error: z.looseObject({ code: z.number().int(), error_subcode: z.number().int().optional() }) });

/** Meta's throttling and transient-fault codes. */
const RETRYABLE_CODES = new Set([4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);
/** Outside the 24-hour window (131047), undeliverable / not on WhatsApp (131026): SMS may still reach them. */
const FALLBACK_CODES = new Set([131026, 131047]);

export async function sendWhatsAppMessage(settings: WhatsAppSettings, message: WhatsAppOutbound, options: { timeoutMs: number }): Promise<SendResult> {
  const checked = WhatsAppOutboundSchema.safeParse(message);
  if (!checked.success) return { ok: false, retryable: false, reason: `invalid message: ${checked.error.issues[0]?.message ?? 'rejected'}` };

  const response = await requestCarrier({
    method: 'POST',
    url: `${settings.apiBaseUrl}/${settings.phoneNumberId}/messages`,
    headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(payloadFor(checked.data)),
    timeoutMs: options.timeoutMs,
  });
  if (response.kind === 'unreachable') return unreachableFailure(response.reason);

  if (response.status === 200) {
    const sent = Sent.safeParse(response.json);
    const id = sent.success ? sent.data.messages[0]?.id : undefined;
    if (id !== undefined) return { ok: true, providerMessageId: id };
    return { ok: false, retryable: false, reason: 'WhatsApp accepted the message but sent no message id', status: response.status };
  }
  const error = GraphError.safeParse(response.json);
  const code = error.success ? error.data.error.code : undefined;
  return {
    ok: false,
    retryable: isRetryableStatus(response.status) || (code !== undefined && RETRYABLE_CODES.has(code)),
    reason: code !== undefined ? whatsappErrorWords(code) : `WhatsApp answered HTTP ${response.status}`,
    status: response.status,
    ...(code !== undefined && FALLBACK_CODES.has(code) ? { fallbackSuggested: true } : {}),
  };
}
