// Invariant 2: the event log. Every change to a case appends one event, numbered max(seq)+1 inside the change's own
// transaction, so numbers follow commit order with no gaps (see write-queue.ts for how appends are serialised).
import type { Kysely } from 'kysely';
import { prepareInsert, prepareQuery, type QueryTarget } from './prepared-query';
import type { CaseView, MessageView } from '../../shared/domain';
import { DeskEventSchema, type AlertPayload, type DeskEvent, type EventType } from '../../shared/protocol';
import type { Database } from './schema';
import type { WriteUnit } from './write-queue';

export interface NewEvent {
  type: EventType;
  actorId: string | null;
  case: CaseView;
  message?: MessageView | undefined;
  /** For alert events: what the desk shows in its banner and tray. */
  alert?: AlertPayload | undefined;
  prevQueueId?: string | null | undefined;
}

const lastEvent = prepareQuery((db) => db.selectFrom('events').select('seq').orderBy('seq', 'desc').limit(1));
const insertEvent = prepareInsert('events', ['seq', 'case_id', 'type', 'at', 'actor_id', 'queue_id', 'prev_queue_id', 'payload']);

export async function appendEvent(unit: WriteUnit, change: NewEvent): Promise<DeskEvent> {
  // max(seq) is read once per transaction, then carried in unit.heads (see LogHeads in write-queue.ts).
  const lastSeq = unit.heads.seq ?? (await currentSeq(unit));
  const event: DeskEvent = {
    seq: lastSeq + 1,
    type: change.type,
    at: unit.now,
    actorId: change.actorId,
    case: change.case,
    ...(change.message === undefined ? {} : { message: change.message }),
    ...(change.alert === undefined ? {} : { alert: change.alert }),
  };
  const prevQueueId = change.prevQueueId != null && change.prevQueueId !== change.case.queueId ? change.prevQueueId : null;
  await insertEvent.execute(unit, {
    seq: event.seq,
    case_id: change.case.id,
    type: event.type,
    at: event.at,
    actor_id: event.actorId,
    queue_id: change.case.queueId,
    prev_queue_id: prevQueueId,
    payload: JSON.stringify(event),
  });
  // Only after the insert succeeded: a failed insert that the caller catches must not leave a gap.
  unit.heads.seq = event.seq;
  unit.emit({ event, prevQueueId });
  return event;
}

/** The last event's seq (0 before the first): on a write unit, or on the store as `{ trx: store.db, dialect: store.dialect }`. */
export async function currentSeq(target: QueryTarget): Promise<number> {
  return (await lastEvent.first(target, {}))?.seq ?? 0;
}

/** Events after `since` that touched any of the queues, oldest first, at most `limit`. */
export async function eventsSince(
  db: Kysely<Database>,
  since: number,
  queueIds: readonly string[],
  limit: number,
): Promise<DeskEvent[]> {
  if (queueIds.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select('payload')
    .where('seq', '>', since)
    .where((eb) => eb.or([eb('queue_id', 'in', queueIds), eb('prev_queue_id', 'in', queueIds)]))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => DeskEventSchema.parse(JSON.parse(row.payload)));
}
