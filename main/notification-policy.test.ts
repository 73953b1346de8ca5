import type { Notification } from 'electron';
import { describe, expect, it } from 'vitest';
import type { AlertKind, DesktopAlert } from '../shared/bridge';
import { LiveAlerts } from '../shared/live-alerts';
import { isSticky, notificationFor, shouldHoldOnTop } from './notification-policy';

function alert(kind: AlertKind, urgent: boolean, caseId = 'c1'): DesktopAlert {
  return { caseId, kind, title: 'Alert', body: 'Ward 3 — case #12', urgent };
}

describe('notificationFor', () => {
  it.each<AlertKind>(['martha', 'breach', 'nobody_reachable'])('keeps %s on screen until handled, even if not marked urgent', (kind) => {
    expect(notificationFor(alert(kind, false))).toEqual({
      title: 'Alert',
      body: 'Ward 3 — case #12',
      urgency: 'critical',
      timeoutType: 'never',
      silent: false,
      sticky: true,
    });
  });

  it.each<AlertKind>(['warning', 'escalated'])('lets %s time out unless urgent', (kind) => {
    expect(notificationFor(alert(kind, false))).toMatchObject({ urgency: 'normal', timeoutType: 'default', sticky: false });
    expect(notificationFor(alert(kind, true))).toMatchObject({ urgency: 'critical', timeoutType: 'never', sticky: true });
  });

  it('never silences an alert', () => {
    for (const kind of ['martha', 'warning'] as const) expect(notificationFor(alert(kind, false)).silent).toBe(false);
  });

  it('agrees with isSticky', () => {
    expect(isSticky(alert('warning', false))).toBe(false);
    expect(isSticky(alert('martha', false))).toBe(true);
  });
});

/** Stands in for Electron's Notification where LiveAlerts touches it: `close`. */
class FakeNotification implements Pick<Notification, 'close'> {
  closed = false;
  closeCalls = 0;
  close(): void {
    this.closed = true;
    this.closeCalls += 1;
  }
}

describe('LiveAlerts', () => {
  it('replaces the earlier alert for the same case, so old details do not linger', () => {
    const live = new LiveAlerts<FakeNotification>();
    const first = new FakeNotification();
    const second = new FakeNotification();
    live.show('c1', first, true);
    live.show('c1', second, false);
    expect(first.closed).toBe(true);
    expect(second.closed).toBe(false);
    expect(live.size).toBe(1);
    expect(live.stickyCount).toBe(0);
  });

  it('ignores the release of an alert that was already replaced', () => {
    const live = new LiveAlerts<FakeNotification>();
    const first = new FakeNotification();
    const second = new FakeNotification();
    live.show('c1', first, true);
    live.show('c1', second, true);
    live.release('c1', first);
    expect(live.stickyCount).toBe(1);
    live.release('c1', second);
    expect(live.size).toBe(0);
  });

  it('withdraws the notification of the alert a key names, and no other', () => {
    const live = new LiveAlerts<FakeNotification>();
    const escalated = new FakeNotification();
    const paged = new FakeNotification();
    live.show('c1', escalated, true, '7:escalated:c1');
    live.show('c2', paged, false, '8:paged:c2');
    expect(live.withdraw('7:escalated:c1')).toBe(true);
    expect(escalated.closed).toBe(true);
    expect(paged.closed).toBe(false);
    expect(live.size).toBe(1);
    expect(live.stickyCount).toBe(0);
  });

  it('leaves a newer alert for the case up when the older one it replaced is withdrawn', () => {
    const live = new LiveAlerts<FakeNotification>();
    const older = new FakeNotification();
    const newer = new FakeNotification();
    live.show('c1', older, true, '7:escalated:c1');
    live.show('c1', newer, true, '9:reopened_by_message:c1');
    expect(live.withdraw('7:escalated:c1')).toBe(false);
    expect(newer.closed).toBe(false);
    expect(live.size).toBe(1);
  });

  it('does nothing for an alert already clicked or dismissed, a key withdrawn twice, or one it never showed', () => {
    const live = new LiveAlerts<FakeNotification>();
    const clicked = new FakeNotification();
    const withdrawn = new FakeNotification();
    const keyless = new FakeNotification();
    live.show('c1', clicked, true, 'martha:c1');
    live.show('c2', withdrawn, true, 'martha:c2');
    live.show('c3', keyless, true);
    live.release('c1', clicked);
    expect(live.withdraw('martha:c1')).toBe(false);
    expect(clicked.closeCalls).toBe(0);
    expect(live.withdraw('martha:c2')).toBe(true);
    expect(live.withdraw('martha:c2')).toBe(false);
    expect(withdrawn.closeCalls).toBe(1);
    expect(live.withdraw('martha:c9')).toBe(false);
    expect(keyless.closed).toBe(false);
    expect(live.size).toBe(1);
  });

  it('closes everything at once', () => {
    const live = new LiveAlerts<FakeNotification>();
    const handles = [new FakeNotification(), new FakeNotification()];
    live.show('c1', handles[0]!, true);
    live.show('c2', handles[1]!, false);
    live.closeAll();
    expect(handles.every((handle) => handle.closed)).toBe(true);
    expect(live.size).toBe(0);
  });
});

describe('shouldHoldOnTop', () => {
  it('holds only with the setting on, a sticky alert pending and work outstanding', () => {
    expect(shouldHoldOnTop(true, 1, 1)).toBe(true);
    expect(shouldHoldOnTop(false, 1, 1)).toBe(false);
    expect(shouldHoldOnTop(true, 0, 5)).toBe(false);
    expect(shouldHoldOnTop(true, 1, 0)).toBe(false);
  });
});
