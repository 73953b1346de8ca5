// The alerts addressed to one user that are still open (`alerts:mine`): what a desk's tray must show after sign-in or
// reload, because the live event that announced each one reached only the desks open at the time (docs/clinical-safety.md
// H1, H6, H8); and how many there are (the `mine` count of `alerts:counts`, EscalationEngine.alertCounts), by the same
// rules, so the header's "to you" count and the tray agree. Three kinds are listed:
// - ladder notifications: a notification row of the case's current alert episode, the alert still triggered or
//   silenced (escalated, paged, silence ended, nobody reachable, re-opened for the holder);
// - pages into a case already acknowledged: its alert is acknowledged, yet the colleague paged was called in after
//   that, so the page stands until the case is resolved, its alert starts again (re-opened, handed back: a new
//   episode) or it moves to another queue — as the desk's tray ends it (docs/protocol.md, "When an alert is over");
// - the user's own replies marked not delivered (`cases.reply_undelivered` naming them as author), on open or resolved
//   cases, until the mark is cleared (a later reply delivered, or dismissed): server/outbox/reply-undelivered.ts.
// Either way only on cases in a queue the user sees now.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import { AlertKindSchema, MY_ALERTS_LIMIT, type MyAlert } from '../../shared/protocol';
import { readReplyUndelivered } from '../store/case-views';
import type { Database } from '../store/schema';

/** What is read back from a stored event's payload: enough to tell which notification it announced, and on what case. */
const StoredAlertSchema = z.object({
  alert: z.object({ kind: AlertKindSchema, targets: z.array(z.string()) }).optional(),
  case: z.object({ status: z.string() }).optional(),
});

/** One alert before its event is found: the event names the same case, instant and kind, with this user as a target. */
type Unplaced = Omit<MyAlert, 'seq'>;

export async function listMyAlerts(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<MyAlert[]> {
  if (queueIds.length === 0) return [];
  const unplaced = [...(await ladderNotifications(db, user, queueIds)), ...(await undeliveredReplies(db, user, queueIds))];
  const alerts = [...(await placed(db, user, unplaced)), ...(await pagesIntoAcknowledged(db, user, queueIds))];
  return alerts.sort((left, right) => right.seq - left.seq).slice(0, MY_ALERTS_LIMIT);
}

/**
 * The `mine` count: each case with a ladder alert or a page listed for this user counts once (a case escalated to them
 * twice is one case to see to), and each of their replies not delivered once — so it equals the number of tray
 * entries `listMyAlerts` gives whenever no case holds two ladder notifications for the user.
 */
export async function countMyAlerts(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<number> {
  if (queueIds.length === 0) return 0;
  const ladder = await openLadderNotifications(db, user, queueIds)
    .select((eb) => eb.fn.count<number>('alert_notifications.case_id').distinct().as('count'))
    .executeTakeFirstOrThrow();
  const pagedCases = new Set((await pagesIntoAcknowledged(db, user, queueIds)).map((alert) => alert.caseId));
  const replies = await undeliveredReplies(db, user, queueIds);
  return Number(ladder.count) + pagedCases.size + replies.length;
}

/**
 * The seq of the event that announced each one: written in the same transaction, at the same instant, naming the same
 * kind and this user (engine.ts recordNotifications + appendAlertEvent; reply-undelivered.ts markReplyUndelivered).
 */
async function placed(db: Kysely<Database>, user: UserView, unplaced: readonly Unplaced[]): Promise<MyAlert[]> {
  if (unplaced.length === 0) return [];
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
  return alerts;
}

/** Notification rows to this user of their case's current alert episode, the alert in one of `states`, in the user's queues. */
function currentNotifications(db: Kysely<Database>, user: UserView, queueIds: readonly string[], states: readonly string[]) {
  return db
    .selectFrom('alert_notifications')
    .innerJoin('case_alerts', (join) => join.onRef('case_alerts.case_id', '=', 'alert_notifications.case_id').onRef('case_alerts.episode', '=', 'alert_notifications.episode'))
    .innerJoin('cases', 'cases.id', 'alert_notifications.case_id')
    .where('alert_notifications.user_id', '=', user.id)
    .where('case_alerts.state', 'in', states)
    .where('cases.queue_id', 'in', queueIds);
}

/** Notification rows to this user of the current episode of an alert still triggered or silenced, in the user's queues. */
function openLadderNotifications(db: Kysely<Database>, user: UserView, queueIds: readonly string[]) {
  return currentNotifications(db, user, queueIds, ['triggered', 'silenced']);
}

async function ladderNotifications(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<Unplaced[]> {
  const rows = await openLadderNotifications(db, user, queueIds)
    .select(['alert_notifications.case_id', 'alert_notifications.kind', 'alert_notifications.level', 'alert_notifications.at', 'cases.ref', 'cases.queue_id'])
    .orderBy('alert_notifications.at', 'desc')
    .limit(MY_ALERTS_LIMIT)
    .execute();
  return rows.flatMap((row) => {
    const kind = AlertKindSchema.safeParse(row.kind);
    return kind.success ? [{ caseId: row.case_id, ref: row.ref, queueId: row.queue_id, kind: kind.data, level: row.level, at: row.at }] : [];
  });
}

/**
 * Pages to this user into a case that was already acknowledged when they were paged, in the alert episode still
 * current, the case still acknowledged and in the queue it was in then. Acknowledgement cannot end these (it came
 * first), so the alert's state cannot tell them from a page the acknowledgement did end; the page's own event can:
 * it carries the case as it was when the page was made. Compared by event order, not by time, because a page and an
 * acknowledgement committed in one batch share their instant.
 */
async function pagesIntoAcknowledged(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<MyAlert[]> {
  const rows = await currentNotifications(db, user, queueIds, ['acknowledged'])
    .select(['alert_notifications.case_id', 'alert_notifications.level', 'alert_notifications.at', 'cases.ref', 'cases.queue_id'])
    .where('alert_notifications.kind', '=', 'paged')
    // A page made before the acknowledgement ended with it; only one made no earlier can have been made into it.
    .whereRef('alert_notifications.at', '>=', 'cases.acknowledged_at')
    .execute();
  if (rows.length === 0) return [];

  const caseIds = [...new Set(rows.map((row) => row.case_id))];
  const since = Math.min(...rows.map((row) => row.at));
  const events = await db
    .selectFrom('events')
    .select(['seq', 'case_id', 'at', 'type', 'queue_id', 'payload'])
    .where('case_id', 'in', caseIds)
    .where('at', '>=', since)
    .orderBy('seq')
    .execute();
  const alerts = new Map<number, MyAlert>();
  for (const row of rows) {
    const ofCase = events.filter((event) => event.case_id === row.case_id);
    let page: (typeof events)[number] | undefined;
    for (const event of ofCase) {
      if (event.type !== 'alert.escalated' || event.at !== row.at) continue;
      const parsed = StoredAlertSchema.safeParse(JSON.parse(event.payload));
      if (!parsed.success) continue;
      const { alert, case: paged } = parsed.data;
      if (alert?.kind === 'paged' && alert.targets.includes(user.id) && paged?.status === 'acknowledged') page = event;
    }
    if (page === undefined) continue;
    // Moved to another queue since, even if back again: the desk ended it at the move, as it ends any ladder alert.
    const pageEvent = page;
    if (ofCase.some((event) => event.seq > pageEvent.seq && event.queue_id !== pageEvent.queue_id)) continue;
    alerts.set(page.seq, { seq: page.seq, caseId: row.case_id, ref: row.ref, queueId: row.queue_id, kind: 'paged', level: row.level, at: row.at });
  }
  return [...alerts.values()];
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
