// NativeAlerts with Electron's Notification, Tray, app and nativeImage replaced by minimal stand-ins (the Electron
// binary cannot run here): what goes on screen, what the desk's withdrawal takes down, and what a reload leaves.
import type { BrowserWindow, Notification, NotificationConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesktopAlert } from '../shared/bridge';

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;

  /** Electron's Notification as NativeAlerts uses it. Like Electron on some platforms, close() also emits 'close'. */
  class FakeNotification implements Pick<Notification, 'show' | 'close'> {
    static readonly created: FakeNotification[] = [];
    static isSupported(): boolean {
      return true;
    }
    readonly #listeners = new Map<string, Listener[]>();
    shown = false;
    closeCalls = 0;
    constructor(readonly options: NotificationConstructorOptions) {
      FakeNotification.created.push(this);
    }
    on(event: string, listener: Listener): this {
      this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
      return this;
    }
    show(): void {
      this.shown = true;
    }
    close(): void {
      this.closeCalls += 1;
      this.emit('close');
    }
    /** What the OS does when the user clicks or dismisses it. */
    emit(event: 'click' | 'close'): void {
      for (const listener of this.#listeners.get(event) ?? []) listener({});
    }
  }

  class FakeTray {
    on(): void {}
    setToolTip(): void {}
    setImage(): void {}
    destroy(): void {}
  }

  return {
    FakeNotification,
    module: {
      app: { setBadgeCount: () => true, dock: undefined },
      nativeImage: { createFromBuffer: () => ({}) },
      Notification: FakeNotification,
      Tray: FakeTray,
    },
  };
});

vi.mock('electron', () => electron.module);

const { NativeAlerts } = await import('./native-alerts');

/** The desk window as NativeAlerts uses it: its page's events, focus, flashing and the wall display's hold on top. */
function fakeWindow() {
  const pageListeners = new Map<string, () => void>();
  let onTop = false;
  const window = {
    webContents: {
      on: (event: string, listener: () => void) => pageListeners.set(event, listener),
      getURL: () => 'http://127.0.0.1:4610/',
      send: () => undefined,
    },
    isFocused: () => true,
    isMinimized: () => false,
    flashFrame: () => undefined,
    once: () => undefined,
    show: () => undefined,
    focus: () => undefined,
    isAlwaysOnTop: () => onTop,
    setAlwaysOnTop: (hold: boolean) => {
      onTop = hold;
    },
    setOverlayIcon: () => undefined,
  };
  return { window: window as unknown as BrowserWindow, reload: () => pageListeners.get('did-navigate')?.(), onTop: () => onTop };
}

function setUp() {
  const { window, reload, onTop } = fakeWindow();
  const alerts = new NativeAlerts({ deskWindow: () => window, hubOrigin: () => 'http://127.0.0.1:4610', alertWindowOnTop: () => true, log: () => undefined });
  alerts.start();
  alerts.setBadge(2);
  return { alerts, reload, onTop };
}

const escalated: DesktopAlert = { caseId: 'c1', key: '7:escalated:c1', kind: 'escalated', title: 'Escalated to you — case #12', body: 'Case #12', urgent: true };
const paged: DesktopAlert = { caseId: 'c2', key: '8:paged:c2', kind: 'paged', title: 'Paged into case #13', body: 'Case #13', urgent: true };

beforeEach(() => {
  electron.FakeNotification.created.length = 0;
});

describe('NativeAlerts', () => {
  it('takes down the notification whose alert the desk says is over, and lets the wall display go', () => {
    const { alerts, onTop } = setUp();
    alerts.notify(escalated);
    alerts.notify(paged);
    const [first, second] = electron.FakeNotification.created;
    expect([first?.shown, second?.shown]).toEqual([true, true]);
    expect(onTop()).toBe(true);

    alerts.withdraw('7:escalated:c1');
    expect(first?.closeCalls).toBe(1);
    expect(second?.closeCalls).toBe(0);
    expect(onTop()).toBe(true);
    alerts.withdraw('8:paged:c2');
    expect(second?.closeCalls).toBe(1);
    // Nothing sticky left on screen: the window no longer holds itself above the others.
    expect(onTop()).toBe(false);
  });

  it('does not touch a notification again once the user clicked or dismissed it', () => {
    const { alerts } = setUp();
    alerts.notify(escalated);
    alerts.notify(paged);
    const [clicked, dismissed] = electron.FakeNotification.created;
    clicked?.emit('click');
    dismissed?.emit('close');
    alerts.withdraw('7:escalated:c1');
    alerts.withdraw('8:paged:c2');
    alerts.withdraw('8:paged:c2');
    expect([clicked?.closeCalls, dismissed?.closeCalls]).toEqual([0, 0]);
  });

  it('keeps a newer alert for the same case when the one it replaced is withdrawn', () => {
    const { alerts } = setUp();
    alerts.notify(escalated);
    alerts.notify({ ...escalated, key: '9:reopened_by_message:c1', kind: 'reopened_by_message', title: 'New message on your case #12' });
    const [older, newer] = electron.FakeNotification.created;
    expect(older?.closeCalls).toBe(1);
    alerts.withdraw('7:escalated:c1');
    expect(newer?.closeCalls).toBe(0);
  });

  it('takes down what the page raised when the page is replaced, since the new page cannot withdraw it', () => {
    const { alerts, reload, onTop } = setUp();
    alerts.notify(escalated);
    alerts.notify({ caseId: 'c3', kind: 'martha', title: "Martha's Rule call — Ward 3", body: 'Case #14', urgent: true });
    reload();
    expect(electron.FakeNotification.created.map((notification) => notification.closeCalls)).toEqual([1, 1]);
    expect(onTop()).toBe(false);
    // A late withdrawal from the old page's alert finds nothing to close.
    alerts.withdraw('7:escalated:c1');
    expect(electron.FakeNotification.created.map((notification) => notification.closeCalls)).toEqual([1, 1]);
  });
});
