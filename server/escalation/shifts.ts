// On and off shift: staff set themselves at the desk; an admin may set a colleague. Audited, and idempotent by command
// id through the same `commands` table the case commands use (a desk retrying after a dropped connection changes
// nothing the second time).
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import { ShiftRequestSchema, ShiftResultSchema, type ShiftResult, type ShiftStatusResult } from '../../shared/protocol';
import { answerOnce } from '../commands/command-ledger';
import { appendAudit } from '../store/audit-log';
import type { Store } from '../store/open-store';

const COMMAND_NAME = 'shift:set';

export async function setShift(store: Store, user: UserView, payload: unknown): Promise<ShiftResult> {
  const parsed = ShiftRequestSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, error: { code: 'invalid', message: `shift:set needs { commandId, onShift }: ${z.prettifyError(parsed.error)}` } };
  const request = parsed.data;
  const targetId = request.userId ?? user.id;
  return store.writes.run((unit) =>
    answerOnce(unit, { commandId: request.commandId, name: COMMAND_NAME, userId: user.id }, ShiftResultSchema, async (): Promise<ShiftResult> => {
      const target = await unit.trx.selectFrom('users').select(['id']).where('id', '=', targetId).where('disabled', '=', 0).executeTakeFirst();
      if (targetId !== user.id && user.role !== 'admin') {
        return { ok: false, error: { code: 'forbidden', message: 'Only an administrator can put a colleague on or off shift.' } };
      }
      if (target === undefined) return { ok: false, error: { code: 'not_found', message: 'That colleague does not exist or is no longer active.' } };
      const row = { on_shift: request.onShift ? 1 : 0, changed_at: unit.now, changed_by: user.id };
      await unit.trx
        .insertInto('shifts')
        .values({ user_id: targetId, ...row })
        .onConflict((conflict) => conflict.column('user_id').doUpdateSet(row))
        .execute();
      await appendAudit(unit, { actorType: 'user', actorId: user.id, action: request.onShift ? 'shift.started' : 'shift.ended', caseId: null, detail: { userId: targetId } });
      return { ok: true, userId: targetId, onShift: request.onShift, changedAt: unit.now };
    }),
  );
}

/** The user's own shift as stored; no row means never put on shift (escalation counts them off shift). */
export async function readShift(store: Store, user: UserView): Promise<ShiftStatusResult> {
  const row = await store.db.selectFrom('shifts').select(['on_shift', 'changed_at']).where('user_id', '=', user.id).executeTakeFirst();
  return { ok: true, userId: user.id, onShift: row?.on_shift === 1, changedAt: row?.changed_at ?? null };
}
