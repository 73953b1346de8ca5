// The one entry for every inbound patient message, whichever carrier brought it: find or create the contact, route,
// open a case or add to the open one, and store message + case change + event + audit in one transaction.
// Resolves only after that transaction commits (invariant 1: the carrier is answered after this).
import type { InboundMessage } from '../../shared/inbound';
import type { SiteConfig } from '../config/site-config';
import { appendAudit } from '../store/audit-log';
import { toCaseView, toMessageView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import type { Store } from '../store/open-store';
import type { CaseRow, ContactRow, MessageRow } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';
import type { IntakeEscalation } from '../escalation/hooks';
import { applyConsentKeyword, consentKeywordOf } from '../consent/keyword-consent';
import { answerIntent, readAnswer } from './answer-binding';
import { inboundBody, preview } from './message-text';
import { newSortableId } from '../store/sortable-id';
import { prepareInsert, prepareQuery } from '../store/prepared-query';
import { routeInbound } from './route';

// The statements every inbound message runs, compiled once (server/store/prepared-query.ts).
const findRedelivery = prepareQuery((db, p: { provider: string; providerMessageId: string }) =>
  db.selectFrom('messages').select(['id', 'case_id']).where('provider', '=', p.provider).where('provider_message_id', '=', p.providerMessageId),
);
const findContact = prepareQuery((db, p: { phone: string }) => db.selectFrom('contacts').selectAll().where('phone', '=', p.phone));
const touchContact = prepareQuery((db, p: Pick<ContactRow, 'id' | 'last_inbound_at' | 'last_inbound_channel' | 'name' | 'whatsapp_id'>) =>
  db
    .updateTable('contacts')
    .set({ last_inbound_at: p.last_inbound_at, last_inbound_channel: p.last_inbound_channel, name: p.name, whatsapp_id: p.whatsapp_id })
    .where('id', '=', p.id),
);
const findOpenCase = prepareQuery((db, p: { contactId: string; line: string }) =>
  db
    .selectFrom('cases')
    .select(['id', 'version'])
    .where('contact_id', '=', p.contactId)
    .where('line', '=', p.line)
    .where('status', '!=', 'resolved')
    .orderBy('opened_at', 'desc')
    .limit(1),
);
const addToCase = prepareQuery(
  (db, p: { id: string; version: number; now: number; preview: string; channel: CaseRow['channel'] }) =>
    db
      .updateTable('cases')
      .set({ version: p.version, updated_at: p.now, last_message_at: p.now, last_message_preview: p.preview, channel: p.channel })
      .where('id', '=', p.id)
      .returningAll(),
);
const raiseToTopPriority = prepareQuery((db, p: { id: string }) => db.updateTable('cases').set({ priority: 1 }).where('id', '=', p.id).returningAll());
const URGENT_ANSWER = answerIntent('urgent');
const insertMessage = prepareInsert('messages', ['id', 'case_id', 'contact_id', 'direction', 'channel', 'provider', 'provider_message_id', 'body', 'intent', 'delivery_state', 'author_id', 'created_at']);

export interface ReceiveResult {
  /** True when this carrier message id was stored before: nothing changed this time. */
  duplicate: boolean;
  caseId: string;
  messageId: string;
}

export class Intake {
  constructor(
    private readonly store: Store,
    private readonly site: SiteConfig,
    /** Deadlines and alerts for new and re-opened cases, in the intake's own transaction (invariant 4). */
    private readonly escalation?: IntakeEscalation,
  ) {}

  receive(message: InboundMessage): Promise<ReceiveResult> {
    return this.store.writes.run((unit) => this.receiveIn(unit, message));
  }

  private async receiveIn(unit: WriteUnit, message: InboundMessage): Promise<ReceiveResult> {
    const { trx, now } = unit;
    const earlier = await findRedelivery.first(unit, { provider: message.provider, providerMessageId: message.providerMessageId });
    if (earlier !== undefined) return { duplicate: true, caseId: earlier.case_id, messageId: earlier.id };

    const contact = await this.upsertContact(unit, message);
    const patientWard =
      contact.patient_id === null
        ? null
        : ((await trx.selectFrom('patients').select('ward').where('id', '=', contact.patient_id).executeTakeFirst())?.ward ?? null);
    const line = this.site.lines.find((candidate) => candidate.address === message.to);
    const body = inboundBody(message);

    const open = await findOpenCase.first(unit, { contactId: contact.id, line: message.to });

    // The case row as written, via RETURNING: with the contact already in hand it makes the case view without
    // reading the cases/contacts join again (nothing below changes the case before the event is built).
    let stored: CaseRow;
    let opened = false;
    if (open === undefined) {
      const route = routeInbound(this.site, line, patientWard);
      const lastRef = await trx.selectFrom('cases').select('ref').orderBy('ref', 'desc').limit(1).executeTakeFirst();
      opened = true;
      stored = await trx
        .insertInto('cases')
        .values({
          id: newSortableId(),
          ref: (lastRef?.ref ?? 1000) + 1,
          line: message.to,
          line_purpose: route.linePurpose,
          queue_id: route.queueId,
          ward: route.ward,
          status: 'open',
          priority: route.priority,
          category: route.category,
          assignee_id: null,
          contact_id: contact.id,
          patient_id: contact.patient_id,
          channel: message.channel,
          version: 1,
          opened_at: now,
          updated_at: now,
          last_message_at: now,
          last_message_preview: preview(body),
          acknowledged_at: null,
          acknowledged_by: null,
          resolved_at: null,
          resolved_by: null,
          outcome: null,
          ...(this.escalation?.openingDeadlines(route.queueId, now) ?? { ack_due_at: null, respond_due_at: null, resolve_due_at: null }),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      const updated = await addToCase.first(unit, { id: open.id, version: open.version + 1, now, preview: preview(body), channel: message.channel });
      if (updated === undefined) throw new Error(`case ${open.id} vanished inside its own transaction`);
      stored = updated;
    }
    const caseId = stored.id;

    // A consent keyword is handled as consent, never read as the answer to a question (docs/channels.md, "Consent").
    const consentKeyword = await consentKeywordOf(trx, message, contact.id);
    const intent = consentKeyword === undefined ? await readAnswer(unit, contact.id, message, body) : null;
    const row: MessageRow = {
      id: newSortableId(),
      case_id: caseId,
      contact_id: contact.id,
      direction: 'inbound',
      channel: message.channel,
      provider: message.provider,
      provider_message_id: message.providerMessageId,
      body,
      intent,
      delivery_state: 'received',
      author_id: null,
      created_at: now,
    };
    await insertMessage.execute(unit, row);
    // "Reply URGENT if symptoms have worsened", answered clearly: the case goes to the top of its queue at once. Only
    // ever upwards, and only on a clear answer; an unclear one is read by a person (answer-binding.ts).
    const raisedFrom = intent === URGENT_ANSWER && stored.priority !== 1 ? stored.priority : undefined;
    if (raisedFrom !== undefined) {
      const raised = await raiseToTopPriority.first(unit, { id: caseId });
      if (raised === undefined) throw new Error(`case ${caseId} vanished inside its own transaction`);
      stored = raised;
    }

    // The case's contact is `contact` (the open case was found by contact_id, a new one is created with it), as stored.
    const view = toCaseView({ ...stored, contact_phone: contact.phone, contact_name: contact.name });
    await appendEvent(unit, { type: opened ? 'case.opened' : 'message.received', actorId: null, case: view, message: toMessageView(row) });
    await appendAudit(unit, {
      actorType: 'carrier',
      actorId: message.provider,
      action: opened ? 'case.opened' : 'message.received',
      caseId,
      // Patient text stays out of the audit detail: the message row holds it, the audit says it happened.
      detail: { messageId: row.id, provider: message.provider, providerMessageId: message.providerMessageId, channel: message.channel, queueId: view.queueId },
    });
    // The view the event carried: the event and audit rows above do not change the case, so it is still current.
    await this.escalation?.afterInbound(unit, view, opened);
    if (raisedFrom !== undefined) {
      await appendAudit(unit, { actorType: 'carrier', actorId: message.provider, action: 'case.priority_raised', caseId, detail: { messageId: row.id, from: raisedFrom, to: 1, intent } });
    }
    if (consentKeyword !== undefined) await applyConsentKeyword(unit, { keyword: consentKeyword, message, contactId: contact.id, caseId });
    return { duplicate: false, caseId, messageId: row.id };
  }

  private async upsertContact(unit: WriteUnit, message: InboundMessage): Promise<ContactRow> {
    const { trx, now } = unit;
    const existing = await findContact.first(unit, { phone: message.from });
    const whatsappId = message.channel === 'whatsapp' ? message.from.slice(1) : null;
    if (existing === undefined) {
      const contact: ContactRow = {
        id: newSortableId(),
        phone: message.from,
        name: message.contactName ?? null,
        patient_id: null,
        relation: 'unknown',
        preferred_channel: message.channel,
        whatsapp_id: whatsappId,
        last_inbound_at: now,
        last_inbound_channel: message.channel,
        created_at: now,
      };
      await trx.insertInto('contacts').values(contact).execute();
      return contact;
    }
    const changes = {
      last_inbound_at: now,
      last_inbound_channel: message.channel,
      name: existing.name ?? message.contactName ?? null,
      whatsapp_id: existing.whatsapp_id ?? whatsappId,
    };
    await touchContact.execute(unit, { id: existing.id, ...changes });
    return { ...existing, ...changes };
  }
}
