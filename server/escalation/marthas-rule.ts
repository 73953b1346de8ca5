// Martha's Rule (DOMAIN.md): the details a call records, the automatic first reply that tells the family the call is
// received and when to expect a response, and the monthly figures NHS England collects, as CSV.
import type { Kysely } from 'kysely';
import { zonedTimeToEpoch, localParts } from '../../shared/business-hours';
import { CallerTypeSchema, type CaseView, type Outcome } from '../../shared/domain';
import type { CommandResult, RecordCallCommand } from '../../shared/protocol';
import { changeCase, failure, staleVersion, type CommandContext } from '../commands/command-context';
import { appendAudit } from '../store/audit-log';
import { getCaseView, toMessageView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import { queueOutbound } from '../outbox/queue-outbound';
import type { Database } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';

const TIME_ZONE = 'Europe/London';

function clockTime(epochMs: number): string {
  const parts = localParts(epochMs, TIME_ZONE);
  return `${String(parts.hour).padStart(2, '0')}:${String(parts.minute).padStart(2, '0')}`;
}

/**
 * The first reply. Minimum necessary content (lock screens, shared phones): no names, no clinical detail; it says the
 * call is received, when a nurse will answer, what to send if not sent yet, and what to do in an emergency.
 */
export function firstReplyText(openedAt: number, ackDueAt: number | null): string {
  const minutes = ackDueAt === null ? null : Math.max(1, Math.round((ackDueAt - openedAt) / 60_000));
  const when = ackDueAt === null || minutes === null ? 'as soon as possible' : `within ${minutes} minutes (by ${clockTime(ackDueAt)})`;
  return (
    `Your Martha's Rule call has been received by the critical care outreach team. A nurse will reply ${when}. ` +
    'If you have not told us yet, please reply with: who you are (patient, family, carer or staff), the patient\'s name, ' +
    'their ward, and your concern. If the patient is in immediate danger, press the call bell or tell any member of staff now.'
  );
}

/** Queues the first reply in the outbox in the intake's transaction (invariant 7), with its event and audit. */
export async function queueFirstReply(unit: WriteUnit, view: CaseView): Promise<void> {
  const body = firstReplyText(view.openedAt, view.ackDueAt);
  // A `reply`, so the sender re-checks consent: a number that has opted out is never texted, even automatically.
  const message = await queueOutbound(unit, { caseId: view.id, contactId: view.contactId, channel: view.channel, to: view.contactPhone, body, kind: 'reply', authorId: null });
  const updated = await getCaseView(unit.trx, view.id);
  await appendEvent(unit, { type: 'reply.queued', actorId: null, case: updated, message: toMessageView(message) });
  await appendAudit(unit, { actorType: 'system', actorId: null, action: 'reply.queued', caseId: view.id, detail: { messageId: message.id, automatic: 'martha_first_reply', length: body.length } });
}

/** record_call: staff fill in the call's details from the conversation; later calls overwrite only what they give. */
export async function recordCall(context: CommandContext, command: RecordCallCommand): Promise<CommandResult> {
  const refused = staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { unit, user, current } = context;
  if (current.linePurpose !== 'martha') return failure('invalid', "Call details are recorded for Martha's Rule calls only.");
  const given = {
    ...(command.callerType === undefined ? {} : { caller_type: command.callerType }),
    ...(command.patientName === undefined ? {} : { patient_name: command.patientName }),
    ...(command.ward === undefined ? {} : { ward: command.ward }),
    ...(command.contactNumber === undefined ? {} : { contact_number: command.contactNumber }),
    ...(command.concern === undefined ? {} : { concern: command.concern }),
  };
  const stamp = { updated_at: unit.now, updated_by: user.id };
  await unit.trx
    .insertInto('martha_calls')
    .values({ case_id: current.id, caller_type: null, patient_name: null, ward: null, contact_number: null, concern: null, ...given, ...stamp })
    .onConflict((conflict) => conflict.column('case_id').doUpdateSet({ ...given, ...stamp }))
    .execute();
  // The audit names the fields, not their content: the row holds the detail, the audit says who recorded it when.
  return changeCase(context, { set: {}, event: 'call.recorded', audit: { action: 'call.recorded', detail: { fields: Object.keys(given), callerType: command.callerType ?? null } } });
}

const REVIEWED: readonly Outcome[] = ['review_done', 'transfer_critical_care', 'change_in_care', 'no_change'];
const COLUMNS = ['month', 'caller_type', 'calls', 'reviews', 'transfers_to_critical_care', 'other_changes_in_care', 'no_change', 'redirected_to_pals', 'still_open'] as const;

/** The month's bounds as instants: midnight to midnight in London, so a call at 00:30 BST on the 1st counts. */
export function monthBounds(month: string): { from: number; to: number } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const midnight = (y: number, m: number) => zonedTimeToEpoch({ year: y, month: m, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, TIME_ZONE);
  return { from: midnight(year, monthNumber), to: monthNumber === 12 ? midnight(year + 1, 1) : midnight(year, monthNumber + 1) };
}

/** One row per caller type (plus "not_recorded") and a total; outcome columns count resolved calls. */
export async function marthasRuleCsv(db: Kysely<Database>, month: string): Promise<string> {
  const { from, to } = monthBounds(month);
  const rows = await db
    .selectFrom('cases')
    .leftJoin('martha_calls', 'martha_calls.case_id', 'cases.id')
    .select(['cases.status', 'cases.outcome', 'martha_calls.caller_type'])
    .where('cases.line_purpose', '=', 'martha')
    .where('cases.opened_at', '>=', from)
    .where('cases.opened_at', '<', to)
    .execute();
  const groups = [...CallerTypeSchema.options, 'not_recorded', 'total'] as const;
  const tally = new Map(groups.map((group) => [group, { calls: 0, reviews: 0, transfers: 0, changes: 0, noChange: 0, pals: 0, open: 0 }]));
  for (const row of rows) {
    const type = CallerTypeSchema.safeParse(row.caller_type);
    for (const group of [type.success ? type.data : 'not_recorded', 'total'] as const) {
      const counts = tally.get(group)!;
      counts.calls += 1;
      const outcome = row.outcome as Outcome | null;
      if (row.status !== 'resolved' || outcome === null) counts.open += 1;
      else {
        if (REVIEWED.includes(outcome)) counts.reviews += 1;
        if (outcome === 'transfer_critical_care') counts.transfers += 1;
        if (outcome === 'change_in_care') counts.changes += 1;
        if (outcome === 'no_change') counts.noChange += 1;
        if (outcome === 'redirected_pals') counts.pals += 1;
      }
    }
  }
  const lines = [COLUMNS.join(',')];
  for (const group of groups) {
    const counts = tally.get(group)!;
    lines.push([month, group, counts.calls, counts.reviews, counts.transfers, counts.changes, counts.noChange, counts.pals, counts.open].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
