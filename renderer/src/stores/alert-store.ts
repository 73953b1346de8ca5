// Alerts that cannot be missed: Martha's Rule calls not yet acknowledged, and cases past a deadline.
// The banner and its sound last exactly as long as `active` is non-empty: any colleague in scope
// acknowledging a call clears it here too, because the acknowledgement arrives as an event.
// The tray holds the alerts that are still running, as the hub sees them: an entry leaves it on the event that ends its
// alert (`endsEntry`), on every desk in scope, so a desk left open shows what a reload would (docs/desk.md).
import { makeAutoObservable, observable } from 'mobx';
import type { CaseView } from '../../../shared/domain';
import { MY_ALERTS_LIMIT, type AlertKind as HubAlertKind, type DeskEvent, type EventType, type MyAlert } from '../../../shared/protocol';
import { alertKindLabel } from '../format/labels';
import type { RootStore } from './root-store';
import { isBreaching } from './selection-store';

export type AlertKind = 'martha' | 'breach';

export interface Alert {
  kind: AlertKind;
  caseView: CaseView;
}

/** One escalation event, kept in the tray so warnings are not lost once the banner moves on. */
export interface TrayEntry {
  seq: number;
  kind: HubAlertKind;
  caseId: string;
  ref: number;
  at: number;
  /** Escalated or paged to this user by name (not just to the whole queue). */
  forMe: boolean;
  /**
   * Brought back from the hub (`alerts:mine`) after sign-in, reload or reconnect: shown and counted as new, but no
   * sound, notification or flash, or every reload would repeat every alert still open.
   */
  restored: boolean;
  /** The case's queue when the alert was raised: a case moved to another queue starts a new alert there. */
  queueId: string;
  /** `reply_undelivered` only: the reply marked. The entry lasts as long as that mark is on the case. */
  messageId: string | null;
}

/** One tray entry per event: the same event can reach the tray live and again from the hub's list. */
export function trayEntryKey(entry: Pick<TrayEntry, 'seq' | 'kind' | 'caseId'>): string {
  return `${entry.seq}:${entry.kind}:${entry.caseId}`;
}

/**
 * After these, none of the case's earlier ladder alerts (escalations, pages, warnings, silences...) is running on the
 * hub: it was acknowledged or resolved, or the hub began a new alert episode (re-opened, handed back).
 */
const ENDS_LADDER_ALERTS: ReadonlySet<EventType> = new Set<EventType>(['case.acknowledged', 'case.resolved', 'case.reopened', 'case.unacknowledged']);

/**
 * Whether `event`, a later event about the entry's case, ends the alert the entry belongs to — the same rule by which
 * the hub stops listing it in `alerts:mine`. A reply not delivered is not part of the ladder: it ends when its mark
 * leaves the case (a later reply delivered, or someone dealt with it), not on acknowledgement or resolution.
 * `inScope`: the case is still in one of this desk's queues (moved out, nothing about it reaches this desk again).
 */
function endsEntry(entry: TrayEntry, event: DeskEvent, inScope: boolean): boolean {
  if (event.case.id !== entry.caseId || event.seq <= entry.seq) return false;
  if (!inScope) return true;
  if (entry.kind === 'reply_undelivered') {
    const mark = event.case.replyUndelivered ?? null;
    return mark === null || (entry.messageId !== null && mark.messageId !== entry.messageId);
  }
  return ENDS_LADDER_ALERTS.has(event.type) || event.case.queueId !== entry.queueId;
}

/** What a colleague did that ended an alert addressed to this user, said when it leaves the tray. */
const ENDED_BY_WORDS: Partial<Record<EventType, string>> = {
  'case.acknowledged': 'Acknowledged',
  'case.resolved': 'Resolved',
  'reply.undelivered_dismissed': 'Reply not delivered dealt with',
};

const TRAY_LIMIT = MY_ALERTS_LIMIT;

export class AlertStore {
  /** Newest first. */
  readonly tray = observable.array<TrayEntry>([], { deep: false });
  seenSeq = 0;
  /** One list per `alerts:mine` request out: the events applied meanwhile, which may end alerts the hub then lists. */
  private readonly appliedWhileAsking = new Set<DeskEvent[]>();

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root' | 'appliedWhileAsking'>(this, { root: false, tray: false, appliedWhileAsking: false }, { autoBind: true });
  }

  get unseenCount(): number {
    return this.tray.filter((entry) => entry.seq > this.seenSeq).length;
  }

  markSeen(): void {
    this.seenSeq = this.tray[0]?.seq ?? this.seenSeq;
  }

  get active(): Alert[] {
    const now = this.root.clock.now;
    const alerts: Alert[] = [];
    for (const view of this.root.cases.activeCases) {
      if (view.status !== 'open') continue;
      // Category, not line: a call triaged as something else (parking, food) is no longer a Martha's Rule alert.
      if (view.category === 'martha_rule') alerts.push({ kind: 'martha', caseView: view });
      else if (isBreaching(view, now)) alerts.push({ kind: 'breach', caseView: view });
    }
    return alerts;
  }

  get hasMartha(): boolean {
    return this.active.some((alert) => alert.kind === 'martha');
  }

  /** Takes ended alerts out of the tray, collects new ones, announces arrivals; the banner is derived from `active`. */
  applyEvent(event: DeskEvent): void {
    for (const applied of this.appliedWhileAsking) applied.push(event);
    this.dropEnded(event);
    if (event.alert) this.collect(event, event.alert.kind, event.alert.targets);
    if (event.type !== 'case.opened' && event.type !== 'message.received') return;
    const view = event.case;
    const where = view.ward ? `ward ${view.ward}` : this.root.directory.queueName(view.queueId);
    if (view.linePurpose === 'martha') {
      this.root.notices.announce(`Martha's Rule call, case ${view.ref}, ${where}. Needs acknowledging now.`, 'urgent');
    } else {
      this.root.notices.announce(`New message in case ${view.ref}, ${where}.`);
    }
  }

  reset(): void {
    this.tray.clear();
    this.seenSeq = 0;
  }

  /**
   * Asks the hub for the alerts addressed to this user that are not over (unacknowledged ladder alerts, pages that
   * still stand, their replies still marked not delivered) and puts back any the tray lacks: a desk that signs in (or
   * reloads) after an escalation or a failed reply would otherwise never show it (docs/clinical-safety.md H1, H6, H8).
   */
  async recallMine(): Promise<void> {
    if (!this.root.transport.connected) return;
    const userId = this.root.session.user?.id;
    const applied: DeskEvent[] = [];
    this.appliedWhileAsking.add(applied);
    try {
      const result = await this.root.transport.request('alerts:mine', {});
      // Signed out (or in as someone else) while asking: the answer was for another tray.
      if (!result.ok || userId === undefined || this.root.session.user?.id !== userId) return;
      this.restore(result.alerts, applied);
    } catch (error) {
      // The next catch-up asks again; the counts still show how many are waiting.
      console.error('[alerts] could not read the alerts addressed to you', error instanceof Error ? error.message : error);
    } finally {
      this.appliedWhileAsking.delete(applied);
    }
  }

  /**
   * Merges the hub's list into the tray in sequence order, without repeating an entry or announcing one. `appliedSince`:
   * events the desk applied while the list was on its way; one that ends a listed alert (the hub answered before it)
   * keeps that alert out.
   */
  restore(alerts: readonly MyAlert[], appliedSince: readonly DeskEvent[] = []): void {
    const held = new Set(this.tray.map(trayEntryKey));
    const missing = alerts
      .filter((alert) => !held.has(trayEntryKey(alert)))
      .map((alert): TrayEntry => ({ seq: alert.seq, kind: alert.kind, caseId: alert.caseId, ref: alert.ref, at: alert.at, forMe: true, restored: true, queueId: alert.queueId, messageId: alert.messageId ?? null }))
      .filter((entry) => !appliedSince.some((event) => endsEntry(entry, event, this.inScope(event))));
    if (missing.length === 0) return;
    const merged = [...this.tray, ...missing].sort((left, right) => right.seq - left.seq).slice(0, TRAY_LIMIT);
    this.tray.replace(merged);
    // One polite line, not one alarm per entry: the tray and the header's count carry the detail.
    this.root.notices.announce(`${restoredWords(missing)}: see the alert tray.`);
  }

  /** Whether the event's case is (still) in one of this desk's queues. */
  private inScope(event: DeskEvent): boolean {
    return this.root.directory.sees(event.case.queueId);
  }

  /** Takes out the entries whose alert this event ends; says so when a colleague ended one addressed to this user. */
  private dropEnded(event: DeskEvent): void {
    const inScope = this.inScope(event);
    const ended = this.tray.filter((entry) => endsEntry(entry, event, inScope));
    if (ended.length === 0) return;
    this.tray.replace(this.tray.filter((entry) => !ended.includes(entry)));
    const words = ENDED_BY_WORDS[event.type];
    const me = this.root.session.user?.id;
    if (words === undefined || event.actorId === null || event.actorId === me || !ended.some((entry) => entry.forMe)) return;
    this.root.notices.announce(`${words} by ${this.root.directory.displayName(event.actorId)}: case ${event.case.ref}, taken out of your alert tray.`);
  }

  private collect(event: DeskEvent, kind: HubAlertKind, targets: readonly string[]): void {
    const me = this.root.session.user?.id;
    const forMe = me !== undefined && targets.includes(me);
    const entry: TrayEntry = {
      seq: event.seq,
      kind,
      caseId: event.case.id,
      ref: event.case.ref,
      at: event.at,
      forMe,
      restored: false,
      queueId: event.case.queueId,
      messageId: kind === 'reply_undelivered' ? (event.case.replyUndelivered?.messageId ?? null) : null,
    };
    // One entry per event, even if the hub's list (alerts:mine) already put this one back.
    if (this.tray.some((held) => trayEntryKey(held) === trayEntryKey(entry))) return;
    this.tray.unshift(entry);
    if (this.tray.length > TRAY_LIMIT) this.tray.splice(TRAY_LIMIT);
    if (kind === 'reply_undelivered') {
      // Addressed to the reply's author; colleagues see the mark in the inbox row.
      if (forMe) this.root.notices.announce(`Your reply was not delivered: case ${event.case.ref}. The family may need a phone call.`, 'urgent');
      return;
    }
    if (forMe || kind === 'nobody_reachable') {
      this.root.notices.announce(`${alertKindLabel(kind)}${forMe ? ' to you' : ''}: case ${event.case.ref}.`, 'urgent');
    }
  }
}

/** "2 alerts sent to you not yet dealt with", "1 reply you wrote was not delivered", or both. */
function restoredWords(entries: readonly TrayEntry[]): string {
  const replies = entries.filter((entry) => entry.kind === 'reply_undelivered').length;
  const alerts = entries.length - replies;
  const parts: string[] = [];
  if (alerts > 0) parts.push(`${alerts} ${alerts === 1 ? 'alert' : 'alerts'} sent to you not yet dealt with`);
  if (replies > 0) parts.push(`${replies} ${replies === 1 ? 'reply you wrote was' : 'replies you wrote were'} not delivered`);
  return parts.join('; ');
}
