// Reads cases and messages in the shape the desk receives. Parsing rows through the shared schemas means a corrupt
// row fails loudly here instead of confusing a desk.
import type { Kysely, Transaction } from 'kysely';
import { CaseViewSchema, MessageViewSchema, ReplyUndeliveredSchema, type CaseView, type MessageView, type ReplyUndelivered } from '../../shared/domain';
import { prepareQuery, type QueryTarget } from './prepared-query';
import type { Database, MessageRow } from './schema';

type Reader = Kysely<Database> | Transaction<Database>;

function caseQuery(db: Reader) {
  return db
    .selectFrom('cases')
    .innerJoin('contacts', 'contacts.id', 'cases.contact_id')
    .selectAll('cases')
    .select(['contacts.phone as contact_phone', 'contacts.name as contact_name']);
}

type CaseJoinRow = Awaited<ReturnType<ReturnType<typeof caseQuery>['executeTakeFirstOrThrow']>>;

export function toCaseView(row: CaseJoinRow): CaseView {
  return CaseViewSchema.parse({
    id: row.id,
    ref: row.ref,
    line: row.line,
    linePurpose: row.line_purpose,
    queueId: row.queue_id,
    ward: row.ward,
    status: row.status,
    priority: row.priority,
    category: row.category,
    assigneeId: row.assignee_id,
    contactId: row.contact_id,
    contactPhone: row.contact_phone,
    contactName: row.contact_name,
    channel: row.channel,
    patientId: row.patient_id,
    version: row.version,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    outcome: row.outcome,
    ackDueAt: row.ack_due_at,
    respondDueAt: row.respond_due_at,
    resolveDueAt: row.resolve_due_at,
    replyUndelivered: readReplyUndelivered(row.reply_undelivered),
  });
}

/** The case's not-delivered mark, checked: it comes back from a column a person or an older hub may have written. */
export function readReplyUndelivered(json: string | null): ReplyUndelivered | null {
  if (json === null) return null;
  return ReplyUndeliveredSchema.parse(JSON.parse(json));
}

export async function findCaseView(db: Reader, caseId: string): Promise<CaseView | undefined> {
  const row = await caseQuery(db).where('cases.id', '=', caseId).executeTakeFirst();
  return row === undefined ? undefined : toCaseView(row);
}

const caseViewById = prepareQuery((db, p: { caseId: string }) => caseQuery(db).where('cases.id', '=', p.caseId));

/** findCaseView inside a write, where it runs on every escalation step: the same query, compiled once. */
export async function findCaseViewIn(target: QueryTarget, caseId: string): Promise<CaseView | undefined> {
  const row = await caseViewById.first(target, { caseId });
  return row === undefined ? undefined : toCaseView(row);
}

export async function getCaseView(db: Reader, caseId: string): Promise<CaseView> {
  const view = await findCaseView(db, caseId);
  if (view === undefined) throw new Error(`[store] case ${caseId} vanished inside its own transaction`);
  return view;
}

/**
 * Open and acknowledged cases in the given queues, most urgent first, and resolved ones whose reply did not reach the
 * family: those stay in the inbox until someone deals with it (docs/channels.md, "Replies not delivered").
 */
export async function listActiveCases(db: Reader, queueIds: readonly string[]): Promise<CaseView[]> {
  if (queueIds.length === 0) return [];
  const rows = await caseQuery(db)
    .where('cases.queue_id', 'in', queueIds)
    .where((eb) => eb.or([eb('cases.status', '!=', 'resolved'), eb('cases.reply_undelivered', 'is not', null)]))
    .orderBy('cases.priority')
    .orderBy('cases.last_message_at', 'desc')
    .execute();
  return rows.map(toCaseView);
}

export function toMessageView(row: MessageRow & { delivery_error?: string | null }): MessageView {
  return MessageViewSchema.parse({
    id: row.id,
    caseId: row.case_id,
    direction: row.direction,
    channel: row.channel,
    body: row.body,
    authorId: row.author_id,
    deliveryState: row.delivery_state,
    intent: row.intent,
    createdAt: row.created_at,
    ...(row.delivery_error == null ? {} : { deliveryError: row.delivery_error }),
  });
}

export async function listCaseMessages(db: Reader, caseId: string): Promise<MessageView[]> {
  const rows = await db.selectFrom('messages').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toMessageView);
}
