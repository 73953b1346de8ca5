// Alert events: one event (with the `alert` payload the desk shows) and one audit row, in the caller's transaction
// (invariant 2).
import type { CaseView } from '../../shared/domain';
import type { AlertPayload, DeskEvent, EventType } from '../../shared/protocol';
import { appendAudit, type ActorType } from '../store/audit-log';
import { appendEvent } from '../store/event-log';
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
  const event = await appendEvent(unit, { type: input.type, actorId: input.actor.type === 'user' ? input.actor.id : null, case: input.case, alert: input.alert });
  await appendAudit(unit, { actorType: input.actor.type, actorId: input.actor.id, action: input.type, caseId: input.case.id, detail: { alert: input.alert, ...input.detail } });
  return event;
}
