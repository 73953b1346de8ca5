// Mirrors desk state onto the machine: the unacknowledged count as a badge, live/stale for the tray,
// and one native notification (plus a taskbar flash) per new Martha's Rule call or breach.
// Titles name what and where, never patient text: they show on lock screens (shared/bridge.ts).
import { reaction } from 'mobx';
import type { ClarionBridge } from '../../../shared/bridge';
import type { Alert } from './alert-store';
import type { RootStore } from './root-store';

export type PlatformSurface = Pick<ClarionBridge, 'notify' | 'setBadge' | 'setConnection' | 'flash' | 'onFocusCase'>;

function alertKey(alert: Alert): string {
  return `${alert.kind}:${alert.caseView.id}`;
}

export function nativeAlertFor(alert: Alert, placeName: string) {
  const view = alert.caseView;
  return {
    caseId: view.id,
    kind: alert.kind,
    title: alert.kind === 'martha' ? `Martha's Rule call — ${placeName}` : `Acknowledge-by passed — case #${view.ref}`,
    body: `Case #${view.ref} is waiting to be acknowledged.`,
    urgent: true,
  };
}

export function linkPlatform(root: RootStore, platform: PlatformSurface): () => void {
  const notified = new Set<string>();
  const place = (alert: Alert) => (alert.caseView.ward ? `Ward ${alert.caseView.ward}` : root.directory.queueName(alert.caseView.queueId));
  const disposers = [
    reaction(() => root.cases.unacknowledgedTotal, (count) => void platform.setBadge(count), { fireImmediately: true }),
    reaction(
      () => (root.connection.state === 'live' ? 'live' : 'stale'),
      (state) => void platform.setConnection(state),
      { fireImmediately: true },
    ),
    reaction(
      () => root.alerts.active.map(alertKey).join(' '),
      () => {
        let fresh = false;
        for (const alert of root.alerts.active) {
          const key = alertKey(alert);
          if (notified.has(key)) continue;
          notified.add(key);
          fresh = true;
          void platform.notify(nativeAlertFor(alert, place(alert)));
        }
        if (fresh) void platform.flash();
      },
      { fireImmediately: true },
    ),
    platform.onFocusCase((caseId) => root.selection.select(caseId)),
  ];
  return () => {
    for (const dispose of disposers) dispose();
  };
}
