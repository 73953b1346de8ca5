// The socket protocol between hub and desk. docs/protocol.md describes every entry here; keep them in step.
// Types alone do not protect the hub: it parses every payload with these schemas before acting.
import { z } from 'zod';
import {
  CallerTypeSchema,
  CaseViewSchema,
  CategorySchema,
  ChannelSchema,
  DeliveryStateSchema,
  IdSchema,
  MAX_REPLY_LENGTH,
  MessageViewSchema,
  OutcomeSchema,
  PrioritySchema,
  RelationSchema,
  UserViewSchema,
} from './domain';
import { EscalationPolicySchema } from './escalation-policy';
import { NhsNumberSchema } from './nhs-number';

/** Every command names itself (so a retry is recognised) and the case version the user was looking at. */
const CommandBase = z.object({
  commandId: z.string().uuid(),
  caseId: IdSchema,
  version: z.number().int().nonnegative(),
});

/**
 * `seenLastMessageAt`: the case's `lastMessageAt` as the desk showed it. When the family has written since, the hub
 * refuses (`unseen_message`) rather than let an acknowledgement stop the ladder over a message nobody has read.
 * Optional, so a caller that shows no thread (a script, an older desk) acknowledges as before.
 */
export const AcknowledgeCommandSchema = CommandBase.extend({ seenLastMessageAt: z.number().int().nonnegative().optional() });
export const AssignCommandSchema = CommandBase.extend({ assigneeId: IdSchema.nullable() });
export const TriageCommandSchema = CommandBase.extend({
  priority: PrioritySchema.optional(),
  category: CategorySchema.optional(),
  queueId: z.string().min(1).max(64).optional(),
}).refine((c) => c.priority !== undefined || c.category !== undefined || c.queueId !== undefined, {
  message: 'triage needs a priority, a category or a queue',
});
export const ReplyCommandSchema = CommandBase.extend({
  body: z.string().trim().min(1, 'a reply needs text').max(MAX_REPLY_LENGTH),
  /** A structured question (shared/reply-intent.ts REPLY_TEMPLATES): sent with its options as buttons where the channel has them. */
  templateId: z.string().min(1).max(64).optional(),
});
export const ResolveCommandSchema = CommandBase.extend({
  outcome: OutcomeSchema,
  summary: z.string().max(2000).optional(),
});
export const NoteCommandSchema = CommandBase.extend({
  body: z.string().trim().min(1, 'a note needs text').max(MAX_REPLY_LENGTH),
});
/** Escalation (docs/escalation.md): give an acknowledged case back, so its alert climbs again. */
export const UnacknowledgeCommandSchema = CommandBase;
/** Pause a case's escalation for a few minutes; a new patient message ends the silence at once. */
export const SilenceCommandSchema = CommandBase.extend({ minutes: z.number().int().min(1).max(240) });
/** Call extra responders into an active case. */
export const PageCommandSchema = CommandBase.extend({ userIds: z.array(IdSchema).min(1).max(20) });
/** Martha's Rule: record what the call is about, as learnt in the conversation. At least one field. */
export const RecordCallCommandSchema = CommandBase.extend({
  callerType: CallerTypeSchema.optional(),
  patientName: z.string().trim().min(1).max(200).optional(),
  ward: z.string().trim().min(1).max(16).optional(),
  contactNumber: z.string().trim().min(3).max(32).optional(),
  concern: z.string().trim().min(1).max(2000).optional(),
}).refine((c) => [c.callerType, c.patientName, c.ward, c.contactNumber, c.concern].some((field) => field !== undefined), {
  message: 'record_call needs at least one detail',
});
/**
 * The contact writes about this patient: links the phone to the patient (found by NHS number, or recorded now), so the
 * case shows who it is about and the contact's next conversation on a shared ward line opens in the patient's ward.
 * `ward` must be one of the hospital's wards, or null when not known.
 */
export const LinkPatientCommandSchema = CommandBase.extend({
  nhsNumber: NhsNumberSchema,
  name: z.string().trim().min(1).max(200),
  ward: z.string().trim().min(1).max(16).nullable(),
  relation: RelationSchema,
});
/**
 * A reply marked not delivered (CaseView.replyUndelivered) has been dealt with another way ("I phoned the family"):
 * clears the mark. `messageId` names the mark the user saw, so a newer failure is not dismissed by mistake; `note`
 * says what was done, and goes on the thread as an internal note. Allowed on resolved cases: that is where it matters.
 */
export const DismissUndeliveredCommandSchema = CommandBase.extend({
  messageId: IdSchema,
  note: z.string().trim().min(1, 'say what was done instead, such as "Phoned the family"').max(500),
});

export type AcknowledgeCommand = z.infer<typeof AcknowledgeCommandSchema>;
export type AssignCommand = z.infer<typeof AssignCommandSchema>;
export type TriageCommand = z.infer<typeof TriageCommandSchema>;
export type ReplyCommand = z.infer<typeof ReplyCommandSchema>;
export type ResolveCommand = z.infer<typeof ResolveCommandSchema>;
export type NoteCommand = z.infer<typeof NoteCommandSchema>;
export type UnacknowledgeCommand = z.infer<typeof UnacknowledgeCommandSchema>;
export type SilenceCommand = z.infer<typeof SilenceCommandSchema>;
export type PageCommand = z.infer<typeof PageCommandSchema>;
export type RecordCallCommand = z.infer<typeof RecordCallCommandSchema>;
export type DismissUndeliveredCommand = z.infer<typeof DismissUndeliveredCommandSchema>;
export type LinkPatientCommand = z.infer<typeof LinkPatientCommandSchema>;

export const COMMAND_SCHEMAS = {
  acknowledge: AcknowledgeCommandSchema,
  assign: AssignCommandSchema,
  triage: TriageCommandSchema,
  reply: ReplyCommandSchema,
  resolve: ResolveCommandSchema,
  note: NoteCommandSchema,
  unacknowledge: UnacknowledgeCommandSchema,
  silence: SilenceCommandSchema,
  page: PageCommandSchema,
  record_call: RecordCallCommandSchema,
  dismiss_undelivered: DismissUndeliveredCommandSchema,
  link_patient: LinkPatientCommandSchema,
} as const;
export type CommandName = keyof typeof COMMAND_SCHEMAS;
export const COMMAND_NAMES = Object.keys(COMMAND_SCHEMAS) as CommandName[];
export type CommandPayload<N extends CommandName> = z.infer<(typeof COMMAND_SCHEMAS)[N]>;

export const ErrorCodeSchema = z.enum(['invalid', 'forbidden', 'not_found', 'conflict', 'already_acknowledged', 'unseen_message', 'unavailable']);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const CommandErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** For `already_acknowledged`: who got there first, and when; for `unseen_message`, `at` is when the family wrote. */
  by: z.object({ userId: IdSchema, displayName: z.string() }).optional(),
  at: z.number().int().optional(),
  /** For `conflict`, `already_acknowledged` and `unseen_message`: the case as it is now, so the desk can show the truth. */
  case: CaseViewSchema.optional(),
});
export type CommandError = z.infer<typeof CommandErrorSchema>;

export const CommandResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    case: CaseViewSchema,
    /**
     * `reply` only: the outbound message it stored, so the desk can tell which delivery report is about this reply,
     * even one that arrives before this answer. Stored with the answer, so a replay of the commandId names it too.
     */
    messageId: IdSchema.optional(),
  }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type CommandResult = z.infer<typeof CommandResultSchema>;

export const EventTypeSchema = z.enum([
  'case.opened',
  'message.received',
  'case.acknowledged',
  'case.assigned',
  'case.triaged',
  'reply.queued',
  'note.added',
  'case.resolved',
  'case.reopened',
  'delivery.updated',
  // Escalation (docs/escalation.md): each carries `alert`.
  'alert.warning',
  'alert.breach',
  'alert.escalated',
  'alert.nobody_reachable',
  'case.unacknowledged',
  'case.silenced',
  'call.recorded',
  // Consent (server/consent/): the contact opted out or back in; shown on the case.
  'consent.changed',
  // A reply will not reach the family (carries `alert`, kind reply_undelivered, for its author); and staff dismissed it.
  'reply.undelivered',
  'reply.undelivered_dismissed',
  // Staff linked the contact to the patient the conversation is about.
  'patient.linked',
]);
export type EventType = z.infer<typeof EventTypeSchema>;

export const AlertKindSchema = z.enum([
  'warning',
  'breach',
  'escalated',
  'nobody_reachable',
  'paged',
  'reopened_by_message',
  'acknowledged_timeout',
  'silence_ended',
  'silenced',
  'unacknowledged',
  'reply_undelivered',
]);
export type AlertKind = z.infer<typeof AlertKindSchema>;
export const DeadlineNameSchema = z.enum(['acknowledge', 'first_response', 'resolve']);
export type DeadlineName = z.infer<typeof DeadlineNameSchema>;

/** What an alert event says beyond the case: why it fired, how far up the ladder, and who it is for. */
export const AlertPayloadSchema = z.object({
  kind: AlertKindSchema,
  /** The ladder step (0-based) and how many times the ladder has run round; 0 when not a ladder step. */
  level: z.number().int().nonnegative(),
  cycle: z.number().int().nonnegative(),
  /** Users this alert is for (escalated to them, paged, or told nobody was reachable). Empty: the whole queue. */
  targets: z.array(IdSchema),
  deadline: DeadlineNameSchema.optional(),
  dueAt: z.number().int().optional(),
  fraction: z.number().optional(),
  /** For silences: when escalation resumes. */
  until: z.number().int().optional(),
  /** For nobody_reachable: the step that had nobody to tell. */
  unreachableLevel: z.number().int().nonnegative().optional(),
});
export type AlertPayload = z.infer<typeof AlertPayloadSchema>;

/** One change to one case, as stored in the event log and streamed to the desks in scope. */
export const DeskEventSchema = z.object({
  seq: z.number().int().positive(),
  type: EventTypeSchema,
  at: z.number().int(),
  actorId: IdSchema.nullable(),
  case: CaseViewSchema,
  message: MessageViewSchema.optional(),
  alert: AlertPayloadSchema.optional(),
});
export type DeskEvent = z.infer<typeof DeskEventSchema>;

/** The `events` push: one commit's events in the desk's scope, in seq order. */
export const DeskEventBatchSchema = z.array(DeskEventSchema).min(1);

export const QueueViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  ward: z.string().nullable(),
  /** The longest silence this queue's policy allows (minutes); the desk offers no more. Absent from an older hub. */
  maxSilenceMinutes: z.number().int().positive().max(240).optional(),
});
export type QueueView = z.infer<typeof QueueViewSchema>;

export const BootstrapResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** The last event already reflected in `cases`; live events and `sync` continue from here. */
    seq: z.number().int().nonnegative(),
    me: UserViewSchema,
    queues: z.array(QueueViewSchema),
    /** Colleagues who can be assigned cases in the queues this user sees. */
    staff: z.array(UserViewSchema),
    cases: z.array(CaseViewSchema),
    /**
     * The hub's clock when it answered (epoch ms). The desk runs its countdowns on the hub's time, not the ward PC's:
     * a PC whose clock is minutes out would otherwise show a Martha's Rule call's five minutes wrongly. Optional, so a
     * desk still works against a hub that does not send it.
     */
    serverTime: z.number().int().nonnegative().optional(),
  }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type BootstrapResult = z.infer<typeof BootstrapResultSchema>;

export const SyncRequestSchema = z.object({ since: z.number().int().nonnegative() });
export type SyncRequest = z.infer<typeof SyncRequestSchema>;

/** Events after `since` in the user's scope, oldest first; when `more` is true, ask again from the last seq. */
export const SyncResultSchema = z.discriminatedUnion('ok', [
  /** `serverTime`: as in the bootstrap, so a desk that reconnects without one corrects its clock too. */
  z.object({ ok: z.literal(true), events: z.array(DeskEventSchema), more: z.boolean(), seq: z.number().int(), serverTime: z.number().int().nonnegative().optional() }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type SyncResult = z.infer<typeof SyncResultSchema>;

export const CaseDetailRequestSchema = z.object({ caseId: IdSchema });
export const CaseDetailResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), case: CaseViewSchema, messages: z.array(MessageViewSchema) }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type CaseDetailResult = z.infer<typeof CaseDetailResultSchema>;

export const LoginRequestSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
});
export const LoginResponseSchema = z.object({ token: z.string(), expiresAt: z.number().int(), user: UserViewSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** One queue's escalation policy as the admins' editor shows it: where it comes from, and who last changed it. */
export const PolicyViewSchema = z.object({
  queueId: z.string(),
  queueName: z.string(),
  /** null: the queue has no policy (no deadlines, no ladder). */
  policy: EscalationPolicySchema.nullable(),
  source: z.enum(['config', 'edited', 'none']),
  updatedAt: z.number().int().nullable(),
  updatedBy: z.object({ userId: IdSchema, displayName: z.string() }).nullable(),
});
export type PolicyView = z.infer<typeof PolicyViewSchema>;

export const PoliciesListResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), policies: z.array(PolicyViewSchema) }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type PoliciesListResult = z.infer<typeof PoliciesListResultSchema>;

/** Admins only. Replaces the queue's policy for alerts that start from now on; running ladders keep their snapshot. */
export const PolicySetRequestSchema = z.object({ commandId: z.string().uuid(), policy: EscalationPolicySchema });
export type PolicySetRequest = z.input<typeof PolicySetRequestSchema>;
export const PolicySetResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), policy: PolicyViewSchema }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type PolicySetResult = z.infer<typeof PolicySetResultSchema>;

type Ack<T> = (result: T) => void;
type CommandHandler<N extends CommandName> = (payload: CommandPayload<N>, ack: Ack<CommandResult>) => void;

export interface ClientToServerEvents {
  acknowledge: CommandHandler<'acknowledge'>;
  assign: CommandHandler<'assign'>;
  triage: CommandHandler<'triage'>;
  reply: CommandHandler<'reply'>;
  resolve: CommandHandler<'resolve'>;
  note: CommandHandler<'note'>;
  unacknowledge: CommandHandler<'unacknowledge'>;
  silence: CommandHandler<'silence'>;
  page: CommandHandler<'page'>;
  record_call: CommandHandler<'record_call'>;
  dismiss_undelivered: CommandHandler<'dismiss_undelivered'>;
  link_patient: CommandHandler<'link_patient'>;
  'reports:measures': (payload: MeasuresRequest, ack: Ack<MeasuresResult>) => void;
  'reports:marthas-rule': (payload: MarthasRuleReportRequest, ack: Ack<MarthasRuleReportResult>) => void;
  'shift:set': (payload: ShiftRequest, ack: Ack<ShiftResult>) => void;
  'alerts:counts': (payload: Record<string, never>, ack: Ack<AlertCountsResult>) => void;
  'alerts:mine': (payload: Record<string, never>, ack: Ack<MyAlertsResult>) => void;
  bootstrap: (payload: Record<string, never>, ack: Ack<BootstrapResult>) => void;
  sync: (payload: SyncRequest, ack: Ack<SyncResult>) => void;
  'case:detail': (payload: z.infer<typeof CaseDetailRequestSchema>, ack: Ack<CaseDetailResult>) => void;
  'case:profile': (payload: CaseProfileRequest, ack: Ack<CaseProfileResult>) => void;
  'presence:set': (payload: PresenceSetRequest, ack: Ack<PresenceSetResult>) => void;
  'presence:list': (payload: Record<string, never>, ack: Ack<PresenceListResult>) => void;
  'shift:get': (payload: Record<string, never>, ack: Ack<ShiftStatusResult>) => void;
  'policies:list': (payload: Record<string, never>, ack: Ack<PoliciesListResult>) => void;
  'policies:set': (payload: PolicySetRequest, ack: Ack<PolicySetResult>) => void;
}

export interface ServerToClientEvents {
  /** One commit's events in the desk's scope, in seq order (never empty). */
  events: (events: DeskEvent[]) => void;
  /** Who is viewing or typing in one case, replacing what the desk held for it. Ephemeral: never stored, no seq. */
  presence: (update: CasePresence) => void;
}

export const SocketAuthSchema = z.object({ token: z.string().min(1).max(256) });

/**
 * Set yourself (or, as an admin, a colleague) on or off shift. Idempotent by commandId. Going on shift (or extending
 * a shift already running) may name when it ends (`endsAt`, epoch ms, hub clock); without it the hub's default length.
 */
export const ShiftRequestSchema = z.object({
  commandId: z.string().uuid(),
  userId: IdSchema.optional(),
  onShift: z.boolean(),
  endsAt: z.number().int().positive().optional(),
});
export type ShiftRequest = z.infer<typeof ShiftRequestSchema>;
export const ShiftResultSchema = z.discriminatedUnion('ok', [
  /** `endsAt` is null when off shift. */
  z.object({ ok: z.literal(true), userId: IdSchema, onShift: z.boolean(), changedAt: z.number().int(), endsAt: z.number().int().nullable() }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type ShiftResult = z.infer<typeof ShiftResultSchema>;

/** Unacknowledged alerts: per queue the user sees, and those escalated or paged to the user. */
export const AlertCountsResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), queues: z.record(z.string(), z.number().int().nonnegative()), mine: z.number().int().nonnegative() }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type AlertCountsResult = z.infer<typeof AlertCountsResultSchema>;

/**
 * One alert addressed to this user by name that is still open, in a queue the user sees: escalated, paged, nobody
 * reachable, ... on a case whose alert is still unacknowledged, or `reply_undelivered` for a reply of theirs whose mark
 * is still on its case (resolved or not). What the desk's tray shows after sign-in or reload. `seq` is the event that
 * announced it, so a desk that also received that event live keeps one entry, not two.
 */
export const MyAlertSchema = z.object({
  seq: z.number().int().positive(),
  caseId: IdSchema,
  ref: z.number().int(),
  /** The case's queue now: the desk ends the entry when the case moves (a new alert on the new queue) or leaves its sight. */
  queueId: z.string(),
  kind: AlertKindSchema,
  level: z.number().int().nonnegative(),
  at: z.number().int(),
  /** `reply_undelivered` only: the reply marked (`case.replyUndelivered.messageId`); the entry lasts while that mark does. */
  messageId: IdSchema.optional(),
});
export type MyAlert = z.infer<typeof MyAlertSchema>;
/** Newest first, at most MY_ALERTS_LIMIT. */
export const MyAlertsResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), alerts: z.array(MyAlertSchema) }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type MyAlertsResult = z.infer<typeof MyAlertsResultSchema>;
/** As many as the desk's tray keeps. */
export const MY_ALERTS_LIMIT = 50;

/** Reports: acknowledge/resolve times and SLA share for cases opened in [from, to) (epoch ms; default the last 30 days). */
export const MeasuresRequestSchema = z.object({ from: z.number().int().optional(), to: z.number().int().optional() });
export type MeasuresRequest = z.infer<typeof MeasuresRequestSchema>;
export const MeasureRowSchema = z.object({
  queueId: z.string(),
  priority: PrioritySchema,
  cases: z.number().int(),
  /** Milliseconds; null when no case in the group got that far. */
  acknowledgeP50: z.number().nullable(),
  acknowledgeP90: z.number().nullable(),
  resolveP50: z.number().nullable(),
  resolveP90: z.number().nullable(),
  /** Share (0–1) of cases with an acknowledge deadline that were acknowledged by it; null when none had one. */
  acknowledgeSlaMet: z.number().nullable(),
  resolveSlaMet: z.number().nullable(),
  breaches: z.number().int(),
});
export type MeasureRow = z.infer<typeof MeasureRowSchema>;
export const MeasuresResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), from: z.number().int(), to: z.number().int(), rows: z.array(MeasureRowSchema) }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type MeasuresResult = z.infer<typeof MeasuresResultSchema>;

/** Martha's Rule monthly figures for NHS England, as CSV text (also GET /api/reports/marthas-rule.csv?month=). */
export const MarthasRuleReportRequestSchema = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month is YYYY-MM') });
export type MarthasRuleReportRequest = z.infer<typeof MarthasRuleReportRequestSchema>;
export const MarthasRuleReportResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), month: z.string(), csv: z.string() }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type MarthasRuleReportResult = z.infer<typeof MarthasRuleReportResultSchema>;

// ---- Presence (issue 5, item 4): who is viewing or typing in a case. Live state only: not stored, not an event, no
// version bump. Sent to the rooms of the case's queue, like the case's events.

/** Without a refresh, "typing" ends this long after the last one (hub and desk). @default 5000 */
export const TYPING_EXPIRES_MS = 5000;
/** A desk whose user keeps typing says so again at most this often, well inside TYPING_EXPIRES_MS. */
export const TYPING_REFRESH_MS = 2000;

/** What this desk is looking at: one case (or none), and whether its user is typing in that case's composer. */
export const PresenceSetRequestSchema = z.object({ caseId: IdSchema.nullable(), typing: z.boolean() });
export type PresenceSetRequest = z.infer<typeof PresenceSetRequestSchema>;

export const PresenceViewerSchema = z.object({ userId: IdSchema, displayName: z.string(), typing: z.boolean() });
export type PresenceViewer = z.infer<typeof PresenceViewerSchema>;
/** Everyone viewing one case (one entry per user, whatever number of desks); empty when nobody is. */
export const CasePresenceSchema = z.object({ caseId: IdSchema, viewers: z.array(PresenceViewerSchema) });
export type CasePresence = z.infer<typeof CasePresenceSchema>;

export const PresenceSetResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type PresenceSetResult = z.infer<typeof PresenceSetResultSchema>;
/** Every case in the desk's queues that someone is viewing; asked on each (re)connect. */
export const PresenceListResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), cases: z.array(CasePresenceSchema) }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type PresenceListResult = z.infer<typeof PresenceListResultSchema>;

// ---- Case profile (issue 5, item 1): the contact and patient panel, and the case timeline from the audit.

export const CaseProfileRequestSchema = z.object({ caseId: IdSchema });
export type CaseProfileRequest = z.infer<typeof CaseProfileRequestSchema>;

/** One channel's consent. `recorded: false`: the contact never said STOP or START there (messages may be sent). */
export const ChannelConsentSchema = z.object({
  channel: ChannelSchema,
  status: z.enum(['opted_in', 'opted_out']),
  recorded: z.boolean(),
  /** Where the status came from (e.g. "keyword:sms"), and when; null when not recorded. */
  source: z.string().nullable(),
  changedAt: z.number().int().nullable(),
});
export type ChannelConsent = z.infer<typeof ChannelConsentSchema>;

export const ContactProfileSchema = z.object({
  id: IdSchema,
  phone: z.string(),
  name: z.string().nullable(),
  relation: RelationSchema,
  preferredChannel: ChannelSchema.nullable(),
  consents: z.array(ChannelConsentSchema),
  /** WhatsApp's 24-hour window, by the same rule the outbox sends by (server/outbox/channel-choice.ts). */
  whatsAppWindow: z.object({ open: z.boolean(), closesAt: z.number().int().nullable() }),
});
export type ContactProfile = z.infer<typeof ContactProfileSchema>;

export const PatientProfileSchema = z.object({
  id: IdSchema,
  name: z.string(),
  nhsNumber: z.string().nullable(),
  ward: z.string().nullable(),
});
export type PatientProfile = z.infer<typeof PatientProfileSchema>;

/**
 * What staff have recorded of a Martha's Rule call (`record_call`), for the outreach nurse who picks it up: who is
 * calling, about whom, where, and the concern. Null fields are not recorded yet, so the desk can say what to ask for.
 */
export const MarthaCallSchema = z.object({
  callerType: CallerTypeSchema.nullable(),
  patientName: z.string().nullable(),
  ward: z.string().nullable(),
  contactNumber: z.string().nullable(),
  concern: z.string().nullable(),
  updatedAt: z.number().int(),
  updatedBy: IdSchema,
});
export type MarthaCall = z.infer<typeof MarthaCallSchema>;

/** One audited action on the case. Typed facts only (never patient text); the desk puts them into words. */
export const TimelineEntrySchema = z.object({
  id: z.number().int(),
  at: z.number().int(),
  action: z.string(),
  actor: z.object({ kind: z.enum(['user', 'system', 'carrier']), userId: IdSchema.nullable(), name: z.string().nullable() }),
  outcome: OutcomeSchema.optional(),
  /** Staff-written resolution summary (text only). */
  summary: z.string().optional(),
  assignee: z.object({ from: IdSchema.nullable(), to: IdSchema.nullable(), toName: z.string().nullable() }).optional(),
  priority: z.object({ from: PrioritySchema, to: PrioritySchema }).optional(),
  category: z.object({ from: CategorySchema, to: CategorySchema }).optional(),
  queue: z.object({ from: z.string(), to: z.string() }).optional(),
  channel: ChannelSchema.optional(),
  channels: z.array(ChannelSchema).optional(),
  deliveryState: DeliveryStateSchema.optional(),
  /** Staff-facing reason (a failed send). */
  reason: z.string().optional(),
  alertKind: AlertKindSchema.optional(),
  minutes: z.number().int().optional(),
  automatic: z.boolean().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const CaseProfileResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    caseId: IdSchema,
    contact: ContactProfileSchema,
    patient: PatientProfileSchema.nullable(),
    /** Martha's Rule cases only: the call as recorded so far, null when nothing is recorded (and on other cases). */
    marthaCall: MarthaCallSchema.nullable(),
    /** Oldest first. */
    timeline: z.array(TimelineEntrySchema),
  }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type CaseProfileResult = z.infer<typeof CaseProfileResultSchema>;

// ---- Shift status (issue 5): the desk's on/off shift control shows the truth before the first `shift:set`.
/**
 * This user's shift: off until they (or an admin) say otherwise, and off again once `endsAt` passes; `changedAt` null
 * when never set. `defaultMinutes` and `maxMinutes` are the site's shift limits, so the desk offers only what the hub takes.
 */
export const ShiftStatusResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    userId: IdSchema,
    onShift: z.boolean(),
    changedAt: z.number().int().nullable(),
    endsAt: z.number().int().nullable(),
    defaultMinutes: z.number().int().positive(),
    maxMinutes: z.number().int().positive(),
  }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);
export type ShiftStatusResult = z.infer<typeof ShiftStatusResultSchema>;
