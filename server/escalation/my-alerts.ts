// The alerts addressed to one user that are still open (`alerts:mine`): what a desk's tray must show after sign-in or
// reload, because the live event that announced each one reached only the desks open at the time (docs/clinical-safety.md
// H1, H6, H8); and how many there are (the `mine` count of `alerts:counts`, EscalationEngine.alertCounts), by the same
// rules, so the header's "to you" count and the tray agree. Four kinds are listed:
// - ladder notifications: a notification row of the case's current alert episode, the alert still triggered or
//   silenced (escalated, paged, silence ended, nobody reachable, re-opened for the holder);
// - pages into a case already acknowledged: its alert is acknowledged, yet the colleague paged was called in after
//   that, so the page stands until the case is resolved, its alert starts again (re-opened, handed back: a new
//   episode) or it moves to another queue — as the desk's tray ends it (docs/protocol.md, "When an alert is over");
// - pages into a case that has no alert (opened in a queue without an escalation policy, so no `case_alerts` row:
//   `page` records them in episode 0): by that same rule, over at a later acknowledgement, resolution, re-opening,
//   hand-back or move to another queue, and otherwise standing while the case is open or acknowledged;
// - the user's own replies marked not delivered (`cases.reply_undelivered` naming them as author), on open or resolved
//   cases, until the mark is cleared (a later reply delivered, or dismissed): server/outbox/reply-undelivered.ts.
// Each only on cases in a queue the user sees now.
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import { AlertKindSchema, MY_ALERTS_LIMIT, type MyAlert } from '../../shared/protocol';
import { readReplyUndelivered } from '../store/case-views';
import type { Database, EventsTable } from '../store/schema';

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
  const alerts = [...(await placed(db, user, unplaced)), ...(await pagesIntoAcknowledged(db, user, queueIds)), ...(await pagesWithoutAlert(db, user, queueIds))];
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
  const pages = [...(await pagesIntoAcknowledged(db, user, queueIds)), ...(await pagesWithoutAlert(db, user, queueIds))];
  const pagedCases = new Set(pages.map((alert) => alert.caseId));
  const replies = await undeliveredReplies(db, user, queueIds);
  return Number(ladder.count) + pagedCases.size + replies.length;
}

/**
 * The seq of the event that announced each one: written in the same transaction, at the same instant, naming the same
 * kind and this user (engine.ts recordNotifications + appendAlertEvent; reply-undelivered.ts markReplyUndelivered).
 */
async function placed(db: Kysely<Database>, user: UserView, unplaced: readonly Unplaced[]): Promise<MyAlert[]> {
  if (unplaced.length === 0) return [];
  const events = await caseEventsSince(db, unplaced.map((alert) => ({ case_id: alert.caseId, at: alert.at })));
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

  const events = await caseEventsSince(db, rows);
  const alerts = new Map<number, MyAlert>();
  for (const row of rows) {
    const ofCase = events.filter((event) => event.case_id === row.case_id);
    let page: StoredEvent | undefined;
    for (const event of ofCase) {
      if (event.at === row.at && pagedStatus(event, user) === 'acknowledged') page = event;
    }
    if (page === undefined) continue;
    // Moved to another queue since, even if back again: the desk ended it at the move, as it ends any ladder alert.
    const pageEvent = page;
    if (ofCase.some((event) => event.seq > pageEvent.seq && event.queue_id !== pageEvent.queue_id)) continue;
    alerts.set(page.seq, { seq: page.seq, caseId: row.case_id, ref: row.ref, queueId: row.queue_id, kind: 'paged', level: row.level, at: row.at });
  }
  return [...alerts.values()];
}

/** What ends an earlier ladder alert of the case on a desk, a page included (docs/protocol.md, "When an alert is over"). */
const ENDS_LADDER_ALERTS: ReadonlySet<string> = new Set(['case.acknowledged', 'case.resolved', 'case.reopened', 'case.unacknowledged']);

/**
 * Pages to this user into a case that has no alert: it opened in a queue without an escalation policy, so it has no
 * `case_alerts` row and `page` recorded the notification in episode 0. Without an alert state to read, each page's own
 * event decides, by the rule a desk's tray applies to it (renderer/src/stores/alert-store.ts): it stands until a later
 * event of the case acknowledges, resolves, re-opens or hands it back, or carries another queue (even if it comes
 * back). So an acknowledgement after the page ends it, as it ends a page into an open case that has an alert: the page
 * asked for someone to see to a case nobody held, and now someone does — and a desk open at the time drops it at that
 * acknowledgement, so listing it after a reload would bring back what the open desk had ended. A page made into a case
 * already acknowledged stands, as pagesIntoAcknowledged's do: the acknowledgement came first. Once the case does get
 * an alert row (re-opened, handed back, or moved while open: a new alert from the ladder's first step), these pages
 * are over, as the desk's tray ends them at that event. Compared by event order, not by time, because a page and an
 * acknowledgement committed in one batch share their instant. Read only for cases still open or acknowledged.
 */
async function pagesWithoutAlert(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<MyAlert[]> {
  const rows = await db
    .selectFrom('alert_notifications')
    .innerJoin('cases', 'cases.id', 'alert_notifications.case_id')
    .leftJoin('case_alerts', 'case_alerts.case_id', 'alert_notifications.case_id')
    .select(['alert_notifications.case_id', 'alert_notifications.level', 'alert_notifications.at', 'cases.ref', 'cases.queue_id'])
    .where('alert_notifications.user_id', '=', user.id)
    .where('alert_notifications.kind', '=', 'paged')
    .where('alert_notifications.episode', '=', 0)
    .where('case_alerts.case_id', 'is', null)
    .where('cases.status', 'in', ['open', 'acknowledged'])
    .where('cases.queue_id', 'in', queueIds)
    .execute();
  if (rows.length === 0) return [];

  // Each page's event was written with its notification row: same case, same instant, naming this user.
  const rowAt = new Map(rows.map((row) => [`${row.case_id}:${row.at}`, row]));
  const alerts: MyAlert[] = [];
  const events = await caseEventsSince(db, rows);
  events.forEach((page, index) => {
    const row = rowAt.get(`${page.case_id}:${page.at}`);
    if (row === undefined || pagedStatus(page, user) === undefined) return;
    const later = events.slice(index + 1).filter((event) => event.case_id === page.case_id);
    if (later.some((event) => ENDS_LADDER_ALERTS.has(event.type) || event.queue_id !== page.queue_id)) return;
    alerts.push({ seq: page.seq, caseId: row.case_id, ref: row.ref, queueId: row.queue_id, kind: 'paged', level: row.level, at: row.at });
  });
  return alerts;
}

type StoredEvent = Pick<Selectable<EventsTable>, 'seq' | 'case_id' | 'at' | 'type' | 'queue_id' | 'payload'>;

/** The events of the cases of these notification rows from the earliest of them on, in order (the events (case_id, at) index). */
function caseEventsSince(db: Kysely<Database>, rows: readonly { case_id: string; at: number }[]): Promise<StoredEvent[]> {
  const caseIds = [...new Set(rows.map((row) => row.case_id))];
  const since = Math.min(...rows.map((row) => row.at));
  return db.selectFrom('events').select(['seq', 'case_id', 'at', 'type', 'queue_id', 'payload']).where('case_id', 'in', caseIds).where('at', '>=', since).orderBy('seq').execute();
}

/** The case's status when `event` paged this user into it, as the event carries it; undefined if it is not such a page. */
function pagedStatus(event: StoredEvent, user: UserView): string | undefined {
  if (event.type !== 'alert.escalated') return undefined;
  const parsed = StoredAlertSchema.safeParse(JSON.parse(event.payload));
  if (!parsed.success) return undefined;
  const { alert, case: paged } = parsed.data;
  return alert?.kind === 'paged' && alert.targets.includes(user.id) ? paged?.status : undefined;
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
