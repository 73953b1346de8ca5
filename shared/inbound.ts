// The carrier-neutral shapes every channel adapter normalises to (see docs/channels.md).
import { z } from 'zod';
import { ChannelSchema, MAX_MESSAGE_LENGTH, ProviderSchema } from './domain';

/** E.164: a plus, a non-zero country digit and up to 14 more digits. */
export const E164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +447700900123');

export const InboundKindSchema = z.enum(['text', 'button_reply', 'list_reply', 'media', 'location', 'other']);
export type InboundKind = z.infer<typeof InboundKindSchema>;

export const KeywordSchema = z.enum(['STOP', 'START', 'HELP']);
export type Keyword = z.infer<typeof KeywordSchema>;

export const InboundMessageSchema = z.object({
  provider: ProviderSchema,
  channel: ChannelSchema,
  providerMessageId: z.string().min(1).max(128),
  from: E164Schema,
  to: E164Schema,
  receivedAt: z.number().int().nonnegative(),
  kind: InboundKindSchema,
  text: z.string().max(MAX_MESSAGE_LENGTH).optional(),
  reply: z.object({ id: z.string().max(2048), title: z.string().max(256) }).optional(),
  inReplyTo: z.string().max(128).optional(),
  media: z.array(z.object({ type: z.string().max(128), ref: z.string().max(2048) })).max(10).optional(),
  contactName: z.string().max(256).optional(),
  keyword: KeywordSchema.optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

export const DeliveryStatusStateSchema = z.enum(['accepted', 'sent', 'delivered', 'read', 'failed', 'expired']);
export type DeliveryStatusState = z.infer<typeof DeliveryStatusStateSchema>;

export const DeliveryStatusSchema = z.object({
  provider: ProviderSchema,
  providerMessageId: z.string().min(1).max(128),
  state: DeliveryStatusStateSchema,
  providerStatus: z.string().max(64),
  retryable: z.boolean().optional(),
  fallbackSuggested: z.boolean().optional(),
  occurredAt: z.number().int().nonnegative(),
  errorCode: z.string().max(64).optional(),
});
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/**
 * The contact told the carrier itself that they want no more messages on one channel, or want them again (RBM's
 * UNSUBSCRIBE / SUBSCRIBE user events, sent when they tap Unsubscribe or Subscribe in Google Messages). Not a message:
 * it opens no case and is never shown as text.
 */
export const SubscriptionChangeSchema = z.object({
  provider: ProviderSchema,
  channel: ChannelSchema,
  /** The carrier's id of the event (RBM eventId), kept in the audit. */
  providerEventId: z.string().min(1).max(128),
  from: E164Schema,
  change: z.enum(['unsubscribed', 'subscribed']),
  /** When the carrier says it happened (RBM sendTime); when it arrived, if the carrier gave no time. */
  occurredAt: z.number().int().nonnegative(),
});
export type SubscriptionChange = z.infer<typeof SubscriptionChangeSchema>;
