// What every case command sees, and the one way a command changes a case: new version, event, audit — together.
import type { CaseView, MessageView, UserView } from '../../shared/domain';
import type { CommandError, CommandResult, EventType } from '../../shared/protocol';
import type { SiteConfig } from '../config/site-config';
import type { SendingReach } from '../outbox/sending-reach';
import { appendAudit } from '../store/audit-log';
import { getCaseView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import type { CaseUpdate } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';

export interface CommandContext {
  unit: WriteUnit;
  user: UserView;
  site: SiteConfig;
  /** The case as stored when the command started. */
  current: CaseView;
  /** What this hub can send by; absent on a hub told to hold replies queued without a carrier (tests). */
  reach?: SendingReach;
}

export interface CaseChange {
  set: Omit<CaseUpdate, 'version' | 'updated_at' | 'id'>;
  event: EventType;
  audit: { action: string; detail: Record<string, unknown> };
  message?: MessageView;
}

export async function changeCase(context: CommandContext, change: CaseChange): Promise<CommandResult> {
  const { unit, user, current } = context;
  const result = await unit.trx
    .updateTable('cases')
    .set({ ...change.set, version: current.version + 1, updated_at: unit.now })
    .where('id', '=', current.id)
    // The version guard makes the update itself refuse a lost race, whatever the caller checked before.
    .where('version', '=', current.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new Error(`[commands] case ${current.id} changed under its own transaction`);
  const updated = await getCaseView(unit.trx, current.id);
  await appendEvent(unit, { type: change.event, actorId: user.id, case: updated, message: change.message, prevQueueId: current.queueId });
  await appendAudit(unit, { actorType: 'user', actorId: user.id, action: change.audit.action, caseId: current.id, detail: change.audit.detail });
  return { ok: true, case: updated };
}

export function failure(code: CommandError['code'], message: string, extra: Omit<CommandError, 'code' | 'message'> = {}): CommandResult {
  return { ok: false, error: { code, message, ...extra } };
}

/** The hub refuses a change made on a stale view, and sends the truth back with the refusal. */
export function staleVersion(context: CommandContext, seenVersion: number): CommandResult | undefined {
  if (seenVersion === context.current.version) return undefined;
  return failure('conflict', 'This case changed since you opened it. The latest version is now shown.', { case: context.current });
}

export function resolvedAlready(context: CommandContext): CommandResult | undefined {
  if (context.current.status !== 'resolved') return undefined;
  return failure('conflict', 'This case is already resolved.', { case: context.current });
}
