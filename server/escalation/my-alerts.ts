// The alerts addressed to one user that nobody has acknowledged yet (`alerts:mine`): what a desk's tray must show
// after sign-in or reload, because the live event that announced each one reached only the desks open at the time
// (docs/clinical-safety.md H1, H8). Same rule as the `mine` count (EscalationEngine.alertCounts): a notification row
// of the case's current alert episode, the alert still triggered or silenced, the case in a queue the user sees now.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import { AlertKindSchema, MY_ALERTS_LIMIT, type MyAlert } from '../../shared/protocol';
import type { Database } from '../store/schema';

/** What is read back from a stored event's payload: enough to tell which notification it announced. */
const StoredAlertSchema = z.object({ alert: z.object({ kind: AlertKindSchema, targets: z.array(z.string()) }).optional() });

export async function listMyAlerts(db: Kysely<Database>, user: UserView, queueIds: readonly string[]): Promise<MyAlert[]> {
  if (queueIds.length === 0) return [];
  const notifications = await db
    .selectFrom('alert_notifications')
    .innerJoin('case_alerts', (join) => join.onRef('case_alerts.case_id', '=', 'alert_notifications.case_id').onRef('case_alerts.episode', '=', 'alert_notifications.episode'))
    .innerJoin('cases', 'cases.id', 'alert_notifications.case_id')
    .select(['alert_notifications.case_id', 'alert_notifications.kind', 'alert_notifications.level', 'alert_notifications.at', 'cases.ref'])
    .where('alert_notifications.user_id', '=', user.id)
    .where('case_alerts.state', 'in', ['triggered', 'silenced'])
    .where('cases.queue_id', 'in', queueIds)
    .orderBy('alert_notifications.at', 'desc')
    .limit(MY_ALERTS_LIMIT)
    .execute();
  if (notifications.length === 0) return [];

  // The seq of the event that announced each notification: written in the same transaction, at the same instant,
  // naming the same kind and this user (engine.ts recordNotifications + appendAlertEvent).
  const caseIds = [...new Set(notifications.map((row) => row.case_id))];
  const since = Math.min(...notifications.map((row) => row.at));
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
  for (const row of notifications) {
    const kind = AlertKindSchema.safeParse(row.kind);
    const seq = seqOf.get(`${row.case_id}:${row.at}:${row.kind}`);
    // Without its event the desk could not place the entry in its sequence; there always is one (same transaction).
    if (!kind.success || seq === undefined) continue;
    alerts.push({ seq, caseId: row.case_id, ref: row.ref, kind: kind.data, level: row.level, at: row.at });
  }
  return alerts.sort((left, right) => right.seq - left.seq);
}
