// Domain vocabulary shared by the hub and the desk. Each schema is the single source of its type:
// parse with it at every boundary, never cast.
import { z } from 'zod';

export const RoleSchema = z.enum(['ward_nurse', 'pals_officer', 'outreach', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** What a carrier line is for; decides the queue a new conversation lands in. */
export const LinePurposeSchema = z.enum(['martha', 'pals', 'ward']);
export type LinePurpose = z.infer<typeof LinePurposeSchema>;

export const ChannelSchema = z.enum(['sms', 'whatsapp', 'rcs']);
export type Channel = z.infer<typeof ChannelSchema>;

export const ProviderSchema = z.enum(['twilio', 'whatsapp', 'rbm', 'notify', 'dev']);
export type Provider = z.infer<typeof ProviderSchema>;

export const CaseStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** 1 is the most urgent. Martha's Rule calls open at 1. */
export const PrioritySchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type Priority = z.infer<typeof PrioritySchema>;

export const CategorySchema = z.enum([
  'martha_rule',
  'clinical_concern',
  'appointment',
  'enquiry',
  'complaint',
  'feedback',
  'other',
]);
export type Category = z.infer<typeof CategorySchema>;

export const RelationSchema = z.enum(['self', 'parent', 'partner', 'child', 'carer', 'relative', 'friend', 'staff', 'unknown']);
export type Relation = z.infer<typeof RelationSchema>;

/** Outcomes a case may be resolved with. Martha's Rule outcomes are the figures NHS England collects. */
export const OutcomeSchema = z.enum([
  'review_done',
  'transfer_critical_care',
  'change_in_care',
  'no_change',
  'redirected_pals',
  'answered',
  'referred_complaints',
  'no_action_needed',
  'duplicate',
]);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const MARTHA_OUTCOMES: readonly Outcome[] = [
  'review_done',
  'transfer_critical_care',
  'change_in_care',
  'no_change',
  'redirected_pals',
];

export const MessageDirectionSchema = z.enum(['inbound', 'outbound', 'note']);
export type MessageDirection = z.infer<typeof MessageDirectionSchema>;

/** Delivery states in the order they may advance; `failed` is terminal unless a later delivery proves otherwise. */
export const DeliveryStateSchema = z.enum(['queued', 'accepted', 'sent', 'delivered', 'read', 'failed', 'expired', 'received']);
export type DeliveryState = z.infer<typeof DeliveryStateSchema>;

/** A message that will not reach the contact: the carrier failed it, or it expired undelivered. */
export function isUndelivered(state: DeliveryState | null): boolean {
  return state === 'failed' || state === 'expired';
}

export const IdSchema = z.string().min(1).max(64);

export const UserViewSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  wards: z.array(z.string()),
});
export type UserView = z.infer<typeof UserViewSchema>;

/**
 * A reply that will not reach the family (failed with no channel left, or never confirmed delivered in time): kept on
 * the case until a later reply is delivered or staff dismiss it, so the inbox shows it (docs/channels.md, "Replies not
 * delivered"). `reason` is in words for staff, naming the carrier's reason where known.
 */
export const ReplyUndeliveredSchema = z.object({
  messageId: IdSchema,
  channel: ChannelSchema.nullable(),
  reason: z.string().max(1000),
  /** Who wrote the reply; null for one the hub sent itself (the Martha's Rule first reply). */
  authorId: IdSchema.nullable(),
  at: z.number().int(),
});
export type ReplyUndelivered = z.infer<typeof ReplyUndeliveredSchema>;

/** A case as the desk sees it: the row plus what the inbox list needs to draw it without a second query. */
export const CaseViewSchema = z.object({
  id: IdSchema,
  ref: z.number().int(),
  line: z.string(),
  linePurpose: LinePurposeSchema,
  queueId: z.string(),
  ward: z.string().nullable(),
  status: CaseStatusSchema,
  priority: PrioritySchema,
  category: CategorySchema,
  assigneeId: IdSchema.nullable(),
  contactId: IdSchema,
  contactPhone: z.string(),
  contactName: z.string().nullable(),
  channel: ChannelSchema,
  patientId: IdSchema.nullable(),
  version: z.number().int(),
  openedAt: z.number().int(),
  updatedAt: z.number().int(),
  lastMessageAt: z.number().int(),
  lastMessagePreview: z.string(),
  acknowledgedAt: z.number().int().nullable(),
  acknowledgedBy: IdSchema.nullable(),
  resolvedAt: z.number().int().nullable(),
  resolvedBy: IdSchema.nullable(),
  outcome: OutcomeSchema.nullable(),
  ackDueAt: z.number().int().nullable(),
  respondDueAt: z.number().int().nullable(),
  resolveDueAt: z.number().int().nullable(),
  /** Set while a reply on this case has not reached the family; optional so an older hub's views still parse. */
  replyUndelivered: ReplyUndeliveredSchema.nullable().optional(),
});
export type CaseView = z.infer<typeof CaseViewSchema>;

export const MessageViewSchema = z.object({
  id: IdSchema,
  caseId: IdSchema,
  direction: MessageDirectionSchema,
  channel: ChannelSchema.nullable(),
  body: z.string(),
  authorId: IdSchema.nullable(),
  deliveryState: DeliveryStateSchema.nullable(),
  intent: z.string().nullable(),
  createdAt: z.number().int(),
  /** Why an outbound message was not delivered, in words for staff (server/outbox/). */
  deliveryError: z.string().nullable().optional(),
});
export type MessageView = z.infer<typeof MessageViewSchema>;

/** Longest patient text stored; carriers cap lower (Twilio 1600, WhatsApp 4096) but a bound is a bound. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Longest staff reply or note accepted from a desk. */
export const MAX_REPLY_LENGTH = 1600;

/** Who is making a Martha's Rule call: the figures NHS England collects count calls by caller type. */
export const CallerTypeSchema = z.enum(['patient', 'family', 'carer', 'staff']);
export type CallerType = z.infer<typeof CallerTypeSchema>;
