// Alert events: one event row (with the `alert` payload the desk shows) and one audit row, in the caller's
// transaction (invariant 2). Mirrors appendEvent in store/event-log.ts, which has no place for the alert payload.
import type { CaseView } from '../../shared/domain';
import type { AlertPayload, DeskEvent, EventType } from '../../shared/protocol';
import { appendAudit, type ActorType } from '../store/audit-log';
import { currentSeq } from '../store/event-log';
import type { WriteUnit } from '../store/write-queue';

export interface AlertEventInput {
  type: EventType;
  case: CaseView;
  alert: AlertPayload;
  actor: { type: ActorType; id: string | null };
  /** Extra audit detail (never patient text). */
  detail?: Record<string, unknown>;
}

export async function appendAlertEvent(unit: WriteUnit, input: AlertEventInput): Promise<DeskEvent> {
  const event: DeskEvent = {
    seq: (await currentSeq(unit.trx)) + 1,
    type: input.type,
    at: unit.now,
    actorId: input.actor.type === 'user' ? input.actor.id : null,
    case: input.case,
    alert: input.alert,
  };
  await unit.trx
    .insertInto('events')
    .values({ seq: event.seq, case_id: input.case.id, type: event.type, at: event.at, actor_id: event.actorId, queue_id: input.case.queueId, prev_queue_id: null, payload: JSON.stringify(event) })
    .execute();
  unit.emit({ event, prevQueueId: null });
  await appendAudit(unit, { actorType: input.actor.type, actorId: input.actor.id, action: input.type, caseId: input.case.id, detail: { alert: input.alert, ...input.detail } });
  return event;
}
