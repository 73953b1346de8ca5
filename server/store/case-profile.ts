// The contact and patient panel and the case timeline, read for `case:profile` (docs/protocol.md). The caller has
// already checked scope against the stored case. Audit details are turned into typed facts here, field by field, so a
// desk never receives an audit row's raw JSON (and the audit holds no patient text to begin with).
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AlertKindSchema, type CaseProfileResult, type ChannelConsent, type MarthaCall, type TimelineEntry, TimelineEntrySchema } from '../../shared/protocol';
import { CallerTypeSchema, CategorySchema, ChannelSchema, DeliveryStateSchema, IdSchema, OutcomeSchema, PrioritySchema, RelationSchema, type CaseView } from '../../shared/domain';
import { CONSENT_CHANNELS } from '../consent/consent-records';
import { WHATSAPP_WINDOW_MS, whatsAppWindowOpen } from '../outbox/channel-choice';
import { caseAuditTrail } from './audit-log';
import type { Database } from './schema';

type ProfileOk = Extract<CaseProfileResult, { ok: true }>;

const fromTo = <T extends z.ZodType>(schema: T) => z.object({ from: schema, to: schema });

/** The audit detail fields the timeline uses; anything else in a detail is ignored. Each is optional and checked. */
const AuditDetailSchema = z.object({
  outcome: OutcomeSchema.optional().catch(undefined),
  summary: z.string().nullable().optional().catch(undefined),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
  priority: fromTo(PrioritySchema).optional().catch(undefined),
  category: fromTo(CategorySchema).optional().catch(undefined),
  queue: fromTo(z.string()).optional().catch(undefined),
  channel: ChannelSchema.optional().catch(undefined),
  channels: z.array(ChannelSchema).optional().catch(undefined),
  reason: z.string().optional().catch(undefined),
  alert: z.object({ kind: AlertKindSchema }).optional().catch(undefined),
  minutes: z.number().int().optional().catch(undefined),
  automatic: z.string().optional().catch(undefined),
});

export async function readCaseProfile(db: Kysely<Database>, view: CaseView, now: number): Promise<ProfileOk> {
  const contact = await db.selectFrom('contacts').selectAll().where('id', '=', view.contactId).executeTakeFirstOrThrow();
  const consentRows = await db.selectFrom('consents').selectAll().where('contact_id', '=', contact.id).execute();
  const consents: ChannelConsent[] = CONSENT_CHANNELS.map((channel) => {
    const row = consentRows.find((candidate) => candidate.channel === channel);
    if (row === undefined) return { channel, status: 'opted_in', recorded: false, source: null, changedAt: null };
    return { channel, status: row.status === 'opted_out' ? 'opted_out' : 'opted_in', recorded: true, source: row.source, changedAt: row.changed_at };
  });
  const lastInboundChannel = contact.last_inbound_channel === null ? null : ChannelSchema.parse(contact.last_inbound_channel);
  // The outbox's own rule, so the panel never says "open" when a send would need a template.
  const open = whatsAppWindowOpen({ lastInboundAt: contact.last_inbound_at, lastInboundChannel, now });
  const patientId = view.patientId ?? contact.patient_id;
  const patient = patientId === null ? undefined : await db.selectFrom('patients').selectAll().where('id', '=', patientId).executeTakeFirst();
  return {
    ok: true,
    caseId: view.id,
    contact: {
      id: contact.id,
      phone: contact.phone,
      name: contact.name,
      relation: RelationSchema.catch('unknown').parse(contact.relation),
      preferredChannel: contact.preferred_channel === null ? null : ChannelSchema.parse(contact.preferred_channel),
      consents,
      whatsAppWindow: { open, closesAt: open && contact.last_inbound_at !== null ? contact.last_inbound_at + WHATSAPP_WINDOW_MS : null },
    },
    patient: patient === undefined ? null : { id: patient.id, name: patient.name, nhsNumber: patient.nhs_number, ward: patient.ward },
    marthaCall: view.linePurpose === 'martha' ? await readMarthaCall(db, view.id) : null,
    timeline: await readTimeline(db, view.id),
  };
}

/** The call as staff recorded it; a caller type the enum no longer knows shows as not recorded rather than failing. */
async function readMarthaCall(db: Kysely<Database>, caseId: string): Promise<MarthaCall | null> {
  const row = await db.selectFrom('martha_calls').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  if (row === undefined) return null;
  return {
    callerType: CallerTypeSchema.nullable().catch(null).parse(row.caller_type),
    patientName: row.patient_name,
    ward: row.ward,
    contactNumber: row.contact_number,
    concern: row.concern,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

async function readTimeline(db: Kysely<Database>, caseId: string): Promise<TimelineEntry[]> {
  const rows = await caseAuditTrail(db, caseId);
  const userIds = new Set<string>();
  const details = rows.map((row) => {
    const detail = AuditDetailSchema.safeParse(JSON.parse(row.detail));
    return detail.success ? detail.data : {};
  });
  rows.forEach((row, index) => {
    if (row.actor_type === 'user' && row.actor_id !== null) userIds.add(row.actor_id);
    const to = details[index]?.to;
    if (row.action === 'case.assigned' && typeof to === 'string') userIds.add(to);
  });
  const users = userIds.size === 0 ? [] : await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...userIds]).execute();
  const nameOf = (userId: string | null) => (userId === null ? null : (users.find((user) => user.id === userId)?.display_name ?? null));
  return rows.map((row, index): TimelineEntry => {
    const detail = details[index] ?? {};
    const kind = row.actor_type === 'user' || row.actor_type === 'carrier' ? row.actor_type : 'system';
    const entry: TimelineEntry = {
      id: row.id,
      at: row.at,
      action: row.action,
      actor: { kind, userId: kind === 'user' ? row.actor_id : null, name: kind === 'user' ? nameOf(row.actor_id) : null },
    };
    if (detail.outcome !== undefined) entry.outcome = detail.outcome;
    if (typeof detail.summary === 'string' && detail.summary !== '') entry.summary = detail.summary;
    if (row.action === 'case.assigned') {
      const from = IdSchema.nullable().safeParse(detail.from ?? null);
      const to = IdSchema.nullable().safeParse(detail.to ?? null);
      const toId = to.success ? to.data : null;
      entry.assignee = { from: from.success ? from.data : null, to: toId, toName: nameOf(toId) };
    }
    if (row.action === 'delivery.updated') {
      const state = DeliveryStateSchema.safeParse(detail.to);
      if (state.success) entry.deliveryState = state.data;
    }
    if (detail.priority !== undefined && detail.priority.from !== detail.priority.to) entry.priority = detail.priority;
    if (detail.category !== undefined && detail.category.from !== detail.category.to) entry.category = detail.category;
    if (detail.queue !== undefined && detail.queue.from !== detail.queue.to) entry.queue = detail.queue;
    if (detail.channel !== undefined) entry.channel = detail.channel;
    if (detail.channels !== undefined) entry.channels = detail.channels;
    if (detail.reason !== undefined) entry.reason = detail.reason;
    if (detail.alert !== undefined) entry.alertKind = detail.alert.kind;
    if (detail.minutes !== undefined) entry.minutes = detail.minutes;
    if (detail.automatic !== undefined) entry.automatic = true;
    // Fails loudly here rather than confusing a desk.
    return TimelineEntrySchema.parse(entry);
  });
}
