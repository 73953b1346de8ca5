// Invariant 3's memory: every command's first answer, stored under its id in the transaction that made the change, so
// a repeated id (a desk retrying after a dropped connection) gets that answer back and changes nothing. One place for
// the case commands, shifts and policy edits alike.
import type { z } from 'zod';
import type { CommandError } from '../../shared/protocol';
import type { WriteUnit } from '../store/write-queue';

export type Refusal = { ok: false; error: CommandError };

export interface LedgerEntry {
  commandId: string;
  /** The socket event, so an id reused for another kind of command is told apart from a retry. */
  name: string;
  userId: string;
}

export async function answerOnce<R extends { ok: boolean }>(
  unit: WriteUnit,
  entry: LedgerEntry,
  answerSchema: z.ZodType<R>,
  work: () => Promise<R>,
): Promise<R | Refusal> {
  const earlier = await unit.trx.selectFrom('commands').select(['user_id', 'name', 'result']).where('command_id', '=', entry.commandId).executeTakeFirst();
  if (earlier !== undefined) {
    // An id reused by someone else, or for another command, is a client bug, not a retry.
    if (earlier.user_id !== entry.userId || earlier.name !== entry.name) return { ok: false, error: { code: 'invalid', message: 'This command id was already used for a different request.' } };
    return answerSchema.parse(JSON.parse(earlier.result));
  }
  const result = await work();
  await unit.trx.insertInto('commands').values({ command_id: entry.commandId, user_id: entry.userId, name: entry.name, result: JSON.stringify(result), at: unit.now }).execute();
  return result;
}
