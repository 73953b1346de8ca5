// On and off shift: staff set themselves at the desk; an admin may set a colleague, by the same rules. Every shift has
// an end (server/escalation/shift-limits.ts), stored with it and read against the hub's clock. Audited, and idempotent
// by command id through the same `commands` table the case commands use (a desk retrying after a dropped connection
// changes nothing the second time).
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import { ShiftRequestSchema, ShiftResultSchema, type ShiftRequest, type ShiftResult, type ShiftStatusResult } from '../../shared/protocol';
import { answerOnce } from '../commands/command-ledger';
import { appendAudit } from '../store/audit-log';
import type { Store } from '../store/open-store';
import { isOnShiftAt, type ShiftLimits } from './shift-limits';

const COMMAND_NAME = 'shift:set';
const MINUTE_MS = 60_000;

type Refusal = Extract<ShiftResult, { ok: false }>;
const invalid = (message: string): Refusal => ({ ok: false, error: { code: 'invalid', message } });

/** When the requested shift ends, or why it cannot: refused, never shortened, so nobody is off shift by surprise. */
function endOf(request: ShiftRequest, limits: ShiftLimits, now: number): number | null | Refusal {
  if (!request.onShift) return request.endsAt === undefined ? null : invalid('An end time goes with going on shift, not off it.');
  if (request.endsAt === undefined) return now + limits.defaultMinutes * MINUTE_MS;
  if (request.endsAt <= now) return invalid('That end time has already passed. Choose a time later today or tonight.');
  if (request.endsAt > now + limits.maxMinutes * MINUTE_MS) {
    return invalid(`A shift can end at most ${formatHours(limits.maxMinutes)} from now. Choose an earlier end, and extend it nearer the time if you must.`);
  }
  return request.endsAt;
}

function formatHours(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hours` : `${(minutes / 60).toFixed(1)} hours`;
}

export async function setShift(store: Store, limits: ShiftLimits, user: UserView, payload: unknown): Promise<ShiftResult> {
  const parsed = ShiftRequestSchema.safeParse(payload);
  if (!parsed.success) return invalid(`shift:set needs { commandId, onShift, endsAt? }: ${z.prettifyError(parsed.error)}`);
  const request = parsed.data;
  const targetId = request.userId ?? user.id;
  return store.writes.run((unit) =>
    answerOnce(unit, { commandId: request.commandId, name: COMMAND_NAME, userId: user.id }, ShiftResultSchema, async (): Promise<ShiftResult> => {
      const target = await unit.trx.selectFrom('users').select(['id']).where('id', '=', targetId).where('disabled', '=', 0).executeTakeFirst();
      if (targetId !== user.id && user.role !== 'admin') {
        return { ok: false, error: { code: 'forbidden', message: 'Only an administrator can put a colleague on or off shift.' } };
      }
      if (target === undefined) return { ok: false, error: { code: 'not_found', message: 'That colleague does not exist or is no longer active.' } };
      const endsAt = endOf(request, limits, unit.now);
      if (typeof endsAt === 'object' && endsAt !== null) return endsAt;
      const before = await unit.trx.selectFrom('shifts').select(['on_shift', 'ends_at']).where('user_id', '=', targetId).executeTakeFirst();
      // Moving the end of a shift still running is an extension (or a shortening): audited as such, with both ends.
      const running = isOnShiftAt(before, unit.now);
      const row = { on_shift: request.onShift ? 1 : 0, ends_at: endsAt, changed_at: unit.now, changed_by: user.id };
      await unit.trx
        .insertInto('shifts')
        .values({ user_id: targetId, ...row })
        .onConflict((conflict) => conflict.column('user_id').doUpdateSet(row))
        .execute();
      const action = !request.onShift ? 'shift.ended' : running ? 'shift.extended' : 'shift.started';
      const detail = !request.onShift ? { userId: targetId } : running ? { userId: targetId, endsAt, previousEndsAt: before?.ends_at ?? null } : { userId: targetId, endsAt };
      await appendAudit(unit, { actorType: 'user', actorId: user.id, action, caseId: null, detail });
      return { ok: true, userId: targetId, onShift: request.onShift, changedAt: unit.now, endsAt };
    }),
  );
}

/** The user's own shift at `now` (hub clock): no row, or an end that has passed, is off shift (as escalation counts it). */
export async function readShift(store: Store, limits: ShiftLimits, user: UserView, now: number): Promise<ShiftStatusResult> {
  const row = await store.db.selectFrom('shifts').select(['on_shift', 'ends_at', 'changed_at']).where('user_id', '=', user.id).executeTakeFirst();
  const onShift = isOnShiftAt(row, now);
  return { ok: true, userId: user.id, onShift, changedAt: row?.changed_at ?? null, endsAt: onShift ? (row?.ends_at ?? null) : null, defaultMinutes: limits.defaultMinutes, maxMinutes: limits.maxMinutes };
}
