// The alerts addressed to one user that are still open (`alerts:mine`): what a desk's tray must show after sign-in or
// reload, because the live event that announced each one reached only the desks open at the time (docs/clinical-safety.md
// H1, H6, H8). Two kinds are listed:
// - ladder notifications, by the same rule as the `mine` count (EscalationEngine.alertCounts): a notification row of the
//   case's current alert episode, the alert still triggered or silenced;
// - the user's own replies marked not delivered (`cases.reply_undelivered` naming them as author), on open or resolved
//   cases, until the mark is cleared (a later reply delivered, or dismissed): server/outbox/reply-undelivered.ts.
// Either way only on cases in a queue the user sees now.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import { AlertKindSchema, MY_ALERTS_LIMIT, type MyAlert } from '../../shared/protocol';
import { readReplyUndelivered } from '../store/case-views';
import type { Database } from '../store/schema';

/** What is read back from a stored event's payload: enough to tell which notification it announced. */
const StoredAlertSchema = z.object({ alert: z.object({ kind: AlertKindSchema, targets: z.array(z.string()) }).optional() });

/** One alert before its event is found: the event names the same case, instant and kind, with this user as a target. */
type Unplaced = Omit<MyAlert, 'seq'>;

export async function listMyAlerts(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<MyAlert[]> {
  if (queueIds.length === 0) return [];
  const unplaced = [...(await ladderNotifications(db, user, queueIds)), ...(await undeliveredReplies(db, user, queueIds))];
  if (unplaced.length === 0) return [];

  // The seq of the event that announced each one: written in the same transaction, at the same instant, naming the
  // same kind and this user (engine.ts recordNotifications + appendAlertEvent; reply-undelivered.ts markReplyUndelivered).
  const caseIds = [...new Set(unplaced.map((alert) => alert.caseId))];
  const since = Math.min(...unplaced.map((alert) => alert.at));
  const events = await db.selectFrom('events').select(['seq', 'case_id', 'at', 'payload']).where('case_id', 'in', caseIds).where('at', '>=', since).execute();
  const seqOf = new Map<string, number>();
  for (const event of events) {
    const parsed = StoredAlertSchema.safeParse(JSON.parse(event.payload));
    const alert = parsed.success ? parsed.data.alert : undefined;
    if (alert === undefined || !alert.targets.includes(user.id)) continue;
    const key = `${event.case_id}:${event.at}:${alert.kind}`;
    seqOf.set(key, Math.max(seqOf.get(key) ?? 0, event.seq));
  }

  const alerts: MyAlert[] = [];
  for (const alert of unplaced) {
    const seq = seqOf.get(`${alert.caseId}:${alert.at}:${alert.kind}`);
    // Without its event the desk could not place the entry in its sequence; there always is one (same transaction).
    if (seq !== undefined) alerts.push({ seq, ...alert });
  }
  return alerts.sort((left, right) => right.seq - left.seq).slice(0, MY_ALERTS_LIMIT);
}

async function ladderNotifications(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<Unplaced[]> {
  const rows = await db
    .selectFrom('alert_notifications')
    .innerJoin('case_alerts', (join) => join.onRef('case_alerts.case_id', '=', 'alert_notifications.case_id').onRef('case_alerts.episode', '=', 'alert_notifications.episode'))
    .innerJoin('cases', 'cases.id', 'alert_notifications.case_id')
    .select(['alert_notifications.case_id', 'alert_notifications.kind', 'alert_notifications.level', 'alert_notifications.at', 'cases.ref', 'cases.queue_id'])
    .where('alert_notifications.user_id', '=', user.id)
    .where('case_alerts.state', 'in', ['triggered', 'silenced'])
    .where('cases.queue_id', 'in', queueIds)
    .orderBy('alert_notifications.at', 'desc')
    .limit(MY_ALERTS_LIMIT)
    .execute();
  return rows.flatMap((row) => {
    const kind = AlertKindSchema.safeParse(row.kind);
    return kind.success ? [{ caseId: row.case_id, ref: row.ref, queueId: row.queue_id, kind: kind.data, level: row.level, at: row.at }] : [];
  });
}

/**
 * Cases whose "reply not delivered" mark names this user as the reply's author. The author is inside the mark's JSON,
 * so marked cases in the user's queues are read and filtered here: marks are few (each is cleared by a delivered reply
 * or by staff), and SQLite and PostgreSQL spell JSON paths differently.
 */
async function undeliveredReplies(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<Unplaced[]> {
  const rows = await db.selectFrom('cases').select(['id', 'ref', 'queue_id', 'reply_undelivered']).where('queue_id', 'in', queueIds).where('reply_undelivered', 'is not', null).execute();
  return rows.flatMap((row) => {
    const mark = readReplyUndelivered(row.reply_undelivered);
    if (mark === null || mark.authorId !== user.id) return [];
    return [{ caseId: row.id, ref: row.ref, queueId: row.queue_id, kind: 'reply_undelivered' as const, level: 0, at: mark.at, messageId: mark.messageId }];
  });
}
