// What a queue promises and who is told when it does not keep the promise: deadlines, warnings, the ladder.
// Part of the validated site config (clarion.config.json) and of the admins' policy editor on the desk, so every field
// is parsed by the schema that gives its type — on the hub, whichever way the policy arrives.
import { z } from 'zod';
import { RoleSchema } from './domain';
import { CalendarConfigSchema } from './business-hours';

/**
 * A span of time: `minutes` are real minutes on a 24x7 calendar and opening minutes on a business calendar;
 * `workingDays` are whole working days (weekends and bank holidays skipped on a business calendar).
 */
export const DurationSchema = z.union([
  z.strictObject({ minutes: z.number().int().positive().max(527_040) }),
  z.strictObject({ workingDays: z.number().int().positive().max(366) }),
]);
export type Duration = z.infer<typeof DurationSchema>;

/** `case` means the ward of the case that raised the alert (a ward queue's nurses, say). */
const WardTargetSchema = z.union([z.literal('case'), z.string().regex(/^[A-Za-z0-9-]{1,16}$/)]);

/** Who a ladder step notifies. Only staff who can see the case's queue are ever notified (invariant 5). */
export const NotifyTargetSchema = z.discriminatedUnion('kind', [
  /** One named person. */
  z.strictObject({ kind: z.literal('user'), username: z.string().min(1).max(64) }),
  /** Whoever of that role (and ward) has set themselves on shift and has a desk connected. */
  z.strictObject({ kind: z.literal('on_shift'), role: RoleSchema, ward: WardTargetSchema.optional() }),
  /** Everyone of that role (and ward) with a desk connected, on shift or not. */
  z.strictObject({ kind: z.literal('team'), role: RoleSchema, ward: WardTargetSchema.optional() }),
]);
export type NotifyTarget = z.infer<typeof NotifyTargetSchema>;

export const LadderStepSchema = z.strictObject({
  /** Minutes after the previous step (or after the alert starts, for the first step). Real minutes: a ward needs minutes. */
  afterMinutes: z.number().int().nonnegative().max(10_080),
  notify: NotifyTargetSchema,
});
export type LadderStep = z.infer<typeof LadderStepSchema>;

export const LadderSchema = z.strictObject({
  steps: z.array(LadderStepSchema).min(1).max(20),
  /** How many more times the whole ladder runs after its last step, while nobody acknowledges. The cap stops a storm. */
  repeat: z.number().int().nonnegative().max(10).default(0),
  /** Minutes between the last step and the first step of the next round (so a first step "after 0" cannot loop hot). */
  repeatAfterMinutes: z.number().int().positive().max(1440).default(5),
  /**
   * After the last round, the last step again every `repeatAfterMinutes` until someone acknowledges, instead of
   * stopping: for a queue whose alert must never go quiet while nobody has taken it (Martha's Rule). Absent or false:
   * the ladder ends after `repeat` rounds, and only the banner and the case's deadlines are left.
   */
  lastStepUntilAcknowledged: z.boolean().optional(),
});
export type Ladder = z.infer<typeof LadderSchema>;

/** A queue whose policy names no silence limit: an hour, well inside the 240 minutes the protocol allows. */
export const DEFAULT_MAX_SILENCE_MINUTES = 60;

export const FractionSchema = z.number().gt(0).lt(1);

export const EscalationPolicySchema = z.strictObject({
  queueId: z.string().min(1).max(64),
  calendar: CalendarConfigSchema,
  acknowledgeBy: DurationSchema,
  firstResponseBy: DurationSchema.optional(),
  resolveBy: DurationSchema.optional(),
  /** Warnings before each breach, as fractions of the time allowed (0.5 = half-way). */
  warnAt: z.array(FractionSchema).max(5).default([0.5, 0.8]),
  /** An acknowledged case still unresolved after this many real minutes goes back to open and alerts again. */
  acknowledgedTimeoutMinutes: z.number().int().positive().max(527_040).optional(),
  ladder: LadderSchema.optional(),
  /**
   * The longest one silence of this queue's alerts may last, in real minutes; a longer request is refused, not
   * shortened. @default DEFAULT_MAX_SILENCE_MINUTES
   */
  maxSilenceMinutes: z.number().int().positive().max(240).optional(),
  /** Send the automatic first reply on a new Martha's Rule call (server/escalation/marthas-rule.ts). @default false */
  firstReply: z.boolean().optional(),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicySchema>;
export type EscalationPolicyInput = z.input<typeof EscalationPolicySchema>;

