// Alerts that cannot be missed: Martha's Rule calls not yet acknowledged, and cases past a deadline.
// The banner and its sound last exactly as long as `active` is non-empty: any colleague in scope
// acknowledging a call clears it here too, because the acknowledgement arrives as an event.
import { makeAutoObservable } from 'mobx';
import type { CaseView } from '../../../shared/domain';
import type { DeskEvent } from '../../../shared/protocol';
import type { RootStore } from './root-store';
import { isBreaching } from './selection-store';

export type AlertKind = 'martha' | 'breach';

export interface Alert {
  kind: AlertKind;
  caseView: CaseView;
}

export class AlertStore {
  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root'>(this, { root: false }, { autoBind: true });
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

  /** Announces arrivals to screen readers; the banner itself is derived from `active`. */
  applyEvent(event: DeskEvent): void {
    if (event.type !== 'case.opened' && event.type !== 'message.received') return;
    const view = event.case;
    const where = view.ward ? `ward ${view.ward}` : this.root.directory.queueName(view.queueId);
    if (view.linePurpose === 'martha') {
      this.root.notices.announce(`Martha's Rule call, case ${view.ref}, ${where}. Needs acknowledging now.`, 'urgent');
    } else {
      this.root.notices.announce(`New message in case ${view.ref}, ${where}.`);
    }
  }
}
