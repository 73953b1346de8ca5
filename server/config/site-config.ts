// The hospital's own shape: the lines the carriers deliver to, its wards, and the queues staff work from.
// Read from `clarion.config.json` in the data dir; with no file, the demo below (ARCHITECTURE.md, "Lines").
import { z } from 'zod';
import { LinePurposeSchema, RoleSchema } from '../../shared/domain';
import { E164Schema } from '../../shared/inbound';
import { demoPolicies, EscalationPolicySchema } from '../escalation/policy-schema';
import { DEFAULT_SHIFT_LIMITS, ShiftLimitsSchema, type ShiftLimits } from '../escalation/shift-limits';

const QueueIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'queue ids are letters, digits, - and _');

export const LineSchema = z.object({
  /** The number (E.164) the carriers deliver to; WhatsApp and RCS senders are configured against the same number. */
  address: E164Schema,
  name: z.string().min(1),
  purpose: LinePurposeSchema,
  /**
   * For martha and pals lines: the queue a new conversation opens in. For a ward line, optional: a number that serves
   * one ward names that ward's queue; a shared ward line leaves it out, and routes by the patient's ward or to triage.
   */
  queueId: QueueIdSchema.optional(),
});
export type Line = z.infer<typeof LineSchema>;

export const WardSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9-]{1,16}$/),
  name: z.string().min(1),
});
export type Ward = z.infer<typeof WardSchema>;

export const QueueSchema = z.object({
  id: QueueIdSchema,
  name: z.string().min(1),
  /** Set for a ward's own queue: ward nurses see it only if they work on that ward. */
  ward: z.string().optional(),
  /** Roles whose desks see this queue (admins see every queue). */
  roles: z.array(RoleSchema).min(1),
});
export type Queue = z.infer<typeof QueueSchema>;

export const SiteConfigSchema = z
  .object({
    lines: z.array(LineSchema).min(1),
    wards: z.array(WardSchema),
    queues: z.array(QueueSchema).min(1),
    /** Where a ward-line message goes when the sender is not known to be about a patient on a ward. */
    triageQueueId: QueueIdSchema,
    /** Deadlines and escalation ladders per queue (docs/escalation.md). A queue without a policy never escalates. */
    policies: z.array(EscalationPolicySchema).optional(),
    /** How long a shift runs when set without an end, and the longest allowed (docs/escalation.md, "Shifts"). */
    shifts: ShiftLimitsSchema.optional(),
  })
  .superRefine((site, context) => {
    const queueIds = new Set(site.queues.map((queue) => queue.id));
    const wardCodes = new Set(site.wards.map((ward) => ward.code));
    const problem = (message: string, path: (string | number)[]) => context.addIssue({ code: 'custom', message, path });
    if (queueIds.size !== site.queues.length) problem('queue ids must be unique', ['queues']);
    if (!queueIds.has(site.triageQueueId)) problem(`triage queue "${site.triageQueueId}" is not a queue`, ['triageQueueId']);
    site.lines.forEach((line, index) => {
      if (line.purpose !== 'ward' && (line.queueId === undefined || !queueIds.has(line.queueId))) {
        problem(`line ${line.address} (${line.purpose}) needs the id of an existing queue`, ['lines', index, 'queueId']);
      }
      // A Martha's Rule call is for the rapid-response team: a line whose calls land where outreach cannot see them
      // would leave every call to the admins and the ladder (docs/clinical-safety.md H2).
      const queue = site.queues.find((candidate) => candidate.id === line.queueId);
      if (line.purpose === 'martha' && queue !== undefined && !queue.roles.includes('outreach')) {
        problem(`Martha's Rule line ${line.address} opens calls in ${queue.id}, which outreach staff do not see (roles: ${queue.roles.join(', ')})`, ['lines', index, 'queueId']);
      }
      if (line.purpose === 'ward' && line.queueId !== undefined && site.queues.find((queue) => queue.id === line.queueId)?.ward === undefined) {
        problem(`ward line ${line.address} names ${line.queueId}, which is not a ward's queue`, ['lines', index, 'queueId']);
      }
    });
    if (new Set(site.lines.map((line) => line.address)).size !== site.lines.length) problem('line numbers must be unique', ['lines']);
    site.queues.forEach((queue, index) => {
      if (queue.ward !== undefined && !wardCodes.has(queue.ward)) problem(`queue ${queue.id} names unknown ward ${queue.ward}`, ['queues', index, 'ward']);
    });
    for (const ward of site.wards) {
      if (!site.queues.some((queue) => queue.ward === ward.code)) problem(`ward ${ward.code} has no queue`, ['wards']);
    }
    (site.policies ?? []).forEach((policy, index) => {
      if (!queueIds.has(policy.queueId)) problem(`policy names unknown queue ${policy.queueId}`, ['policies', index, 'queueId']);
      if ((site.policies ?? []).findIndex((other) => other.queueId === policy.queueId) !== index) problem(`queue ${policy.queueId} has two policies`, ['policies', index]);
    });
  });
export type SiteConfig = z.infer<typeof SiteConfigSchema>;

export function shiftLimits(site: SiteConfig): ShiftLimits {
  return site.shifts ?? DEFAULT_SHIFT_LIMITS;
}

/** The demo hospital. 07700 900xxx numbers are reserved for drama, so the demo never texts a real person. */
export function demoSiteConfig(): SiteConfig {
  const wards = ['W1', 'W2', 'W3', 'W4'].map((code) => ({ code, name: `Ward ${code.slice(1)}` }));
  return {
    lines: [
      { address: '+447700900111', name: "Martha's Rule", purpose: 'martha', queueId: 'outreach' },
      { address: '+447700900222', name: 'PALS', purpose: 'pals', queueId: 'pals' },
      { address: '+447700900333', name: 'Wards', purpose: 'ward' },
    ],
    wards,
    queues: [
      { id: 'outreach', name: "Martha's Rule", roles: ['outreach'] },
      { id: 'pals', name: 'PALS', roles: ['pals_officer'] },
      ...wards.map((ward) => ({ id: `ward-${ward.code}`, name: ward.name, ward: ward.code, roles: ['ward_nurse' as const] })),
      { id: 'triage', name: 'Triage', roles: ['ward_nurse', 'pals_officer'] },
      { id: 'complaints', name: 'Complaints', roles: ['pals_officer'] },
    ],
    triageQueueId: 'triage',
    policies: demoPolicies([...wards.map((ward) => `ward-${ward.code}`), 'triage']),
  };
}
