// Alerts that cannot be missed: Martha's Rule calls not yet acknowledged, and cases past a deadline.
// The banner and its sound last exactly as long as `active` is non-empty: any colleague in scope
// acknowledging a call clears it here too, because the acknowledgement arrives as an event.
import { makeAutoObservable, observable } from 'mobx';
import type { CaseView } from '../../../shared/domain';
import { MY_ALERTS_LIMIT, type AlertKind as HubAlertKind, type DeskEvent, type MyAlert } from '../../../shared/protocol';
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
}

/** One tray entry per event: the same event can reach the tray live and again from the hub's list. */
export function trayEntryKey(entry: Pick<TrayEntry, 'seq' | 'kind' | 'caseId'>): string {
  return `${entry.seq}:${entry.kind}:${entry.caseId}`;
}

const TRAY_LIMIT = MY_ALERTS_LIMIT;

export class AlertStore {
  /** Newest first. */
  readonly tray = observable.array<TrayEntry>([], { deep: false });
  seenSeq = 0;

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root'>(this, { root: false, tray: false }, { autoBind: true });
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

  /** Collects escalation events in the tray and announces arrivals; the banner is derived from `active`. */
  applyEvent(event: DeskEvent): void {
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
   * Asks the hub for the unacknowledged alerts addressed to this user and puts back any the tray lacks: a desk that
   * signs in (or reloads) after an escalation would otherwise never show it (docs/clinical-safety.md H1, H8).
   */
  async recallMine(): Promise<void> {
    if (!this.root.transport.connected) return;
    const userId = this.root.session.user?.id;
    try {
      const result = await this.root.transport.request('alerts:mine', {});
      // Signed out (or in as someone else) while asking: the answer was for another tray.
      if (!result.ok || userId === undefined || this.root.session.user?.id !== userId) return;
      this.restore(result.alerts);
    } catch (error) {
      // The next catch-up asks again; the counts still show how many are waiting.
      console.error('[alerts] could not read the alerts addressed to you', error instanceof Error ? error.message : error);
    }
  }

  /** Merges the hub's list into the tray in sequence order, without repeating an entry or announcing one. */
  restore(alerts: readonly MyAlert[]): void {
    const held = new Set(this.tray.map(trayEntryKey));
    const missing = alerts.filter((alert) => !held.has(trayEntryKey(alert)));
    if (missing.length === 0) return;
    const entries = missing.map((alert): TrayEntry => ({ seq: alert.seq, kind: alert.kind, caseId: alert.caseId, ref: alert.ref, at: alert.at, forMe: true, restored: true }));
    const merged = [...this.tray, ...entries].sort((left, right) => right.seq - left.seq).slice(0, TRAY_LIMIT);
    this.tray.replace(merged);
    // One polite line, not one alarm per entry: the tray and the header's count carry the detail.
    const count = missing.length;
    this.root.notices.announce(`${count} ${count === 1 ? 'alert' : 'alerts'} sent to you still not acknowledged: see the alert tray.`);
  }

  private collect(event: DeskEvent, kind: HubAlertKind, targets: readonly string[]): void {
    const me = this.root.session.user?.id;
    const forMe = me !== undefined && targets.includes(me);
    const entry: TrayEntry = { seq: event.seq, kind, caseId: event.case.id, ref: event.case.ref, at: event.at, forMe, restored: false };
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
